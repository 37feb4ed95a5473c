"""Bench adapter: an i chart with `controlchartspy` and every outlier rule it has.

controlchartspy runs the NHS-R "controlcharts" JavaScript engine in QuickJS;
its rules are the Making Data Count set (astronomical point, shift, trend,
two in three), all switched on here. Keys must be dates or strings, so the
points get string keys (built before timing). Run with
``python -I controlchartspy.py DATA.npy REPEATS``.
"""

import json
import sys
import time
from importlib.metadata import version

import controlchartspy as ccp
import numpy as np

OUTLIERS = {"astronomical": True, "shift": True, "trend": True, "two_in_three": True}


def main() -> None:
    y = np.load(sys.argv[1])
    repeats = int(sys.argv[2])
    data = {"key": [f"p{i:09d}" for i in range(y.size)], "value": y.tolist()}
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = ccp.spc(
            data,
            keys="key",
            numerators="value",
            spc_settings={"chart_type": "i"},
            outlier_settings=OUTLIERS,
            return_objs="limits",
        )
        best = min(best, time.perf_counter() - start)
    flagged = sum(
        1
        for row in result.limits
        if any(
            row.get(k) not in (None, "none") for k in ("astpoint", "shift", "trend", "two_in_three")
        )
    )
    print(
        json.dumps(
            {
                "seconds": best,
                "version": version("controlchartspy"),
                "rules": "MDC: astronomical, shift, trend, two in three",
                "full_rule_set": True,
                "flagged": flagged,
            }
        )
    )


main()
