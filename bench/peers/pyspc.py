"""Bench adapter: an i chart with `pyspc` (xmr) and its rules ("basic": 7 on one side, beyond 3 sigma).

pyspc draws with matplotlib as it computes: ``spc(data) + xmr() + rules()``
then ``make()``, which fails on matplotlib >= 3.6 (``set_window_title`` was
removed). So the adapter calls the same chart and rules objects that
``make()`` calls, with a do-nothing axes, timing the arithmetic only.
Run with ``python -I pyspc.py DATA.npy REPEATS``.
"""

import json
import sys
import time

import numpy as np
import pyspc


class _NoAxes:
    def plot(self, *args, **kwargs):
        return None


def main() -> None:
    y = np.load(sys.argv[1])
    repeats = int(sys.argv[2])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        values, center, lcl, ucl, _title = pyspc.xmr().plot(y, 1)
        flagged = pyspc.rules().plot_violation_points(_NoAxes(), values, center, lcl, ucl)
        best = min(best, time.perf_counter() - start)
    print(
        json.dumps(
            {
                "seconds": best,
                "version": pyspc.__version__,
                "rules": "basic: beyond 3 sigma, 7 on one side",
                "full_rule_set": False,
                "flagged": len(flagged),
            }
        )
    )


main()
