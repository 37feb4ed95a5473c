"""Bench adapter: an XmR chart with `process-improvement` (points beyond the limits only).

Its ``xmr_chart`` draws a matplotlib figure; the arithmetic is in
``process_improvement.calculations.xmr_calculations``, which the adapter
calls in the same order as ``xmr_chart`` does. It has no run rules, so it is
not a "full rule set" peer. Run with
``python -I process_improvement.py DATA.npy REPEATS``.
"""

import json
import sys
import time
from importlib.metadata import version

import numpy as np
import pandas as pd
from process_improvement.calculations import xmr_calculations as xmr


def main() -> None:
    y = np.load(sys.argv[1])
    repeats = int(sys.argv[2])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        data = pd.Series(y)
        mr = xmr.calculate_moving_range(data, 12)
        limits = xmr.calculate_xmr_limits(data, mr, 12, False, False)
        x_var = xmr.characterize_x_variation(data, limits.LPL, limits.UPL)
        xmr.characterize_mr_variation(mr, limits.URL)
        best = min(best, time.perf_counter() - start)
    print(
        json.dumps(
            {
                "seconds": best,
                "version": version("process-improvement"),
                "rules": "beyond the process limits only",
                "full_rule_set": False,
                "flagged": int((x_var == "Assignable Cause").sum()),
            }
        )
    )


main()
