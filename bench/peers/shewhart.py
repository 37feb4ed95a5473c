"""Bench adapter: an i chart with `shewhart` and its Nelson rules 1-8.

Run in the separate .venv-bench with ``python -I`` (so this file's name does
not shadow the package): ``python -I shewhart.py DATA.npy REPEATS``. Prints
one JSON object with the best time of the analysis call alone.
"""

import json
import sys
import time

import numpy as np
import shewhart as sw


def main() -> None:
    y = np.load(sys.argv[1])
    repeats = int(sys.argv[2])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = sw.imr(y, rules="nelson")
        best = min(best, time.perf_counter() - start)
    flagged = {p for s in result.signals if s.chart == "i" for p in s.points}
    print(
        json.dumps(
            {
                "seconds": best,
                "version": sw.__version__,
                "rules": "Nelson 1-8 (+ MR beyond limit)",
                "full_rule_set": True,
                "flagged": len(flagged),
            }
        )
    )


main()
