"""Hand-made ``Analysis.to_dict()`` results shaped like SPC.md, for chart tests.

They let the chart tests pin exact inputs (a known shift, a known point above
the limit) independently of the engine's arithmetic.
"""

from __future__ import annotations

import math
from typing import Any

import pytest


def _part_record(part: int, n: int, **extra: Any) -> dict[str, Any]:
    record = {
        "part": part,
        "n_obs": n,
        "n_useful": n,
        "longest_run": 3,
        "longest_run_max": round(math.log2(n)) + 3,
        "n_crossings": n // 2,
        "n_crossings_min": n // 3,
        "runs_signal": False,
        "sigma_signal_count": 0,
    }
    record.update(extra)
    return record


@pytest.fixture
def i_chart() -> dict[str, Any]:
    """An i chart, 20 monthly points, one point above the UCL, a downward shift at the end."""
    n = 20
    y = [10.0, 11.0, 9.5, 10.5, 9.0, 11.5, 10.0, 17.0, 10.2, 9.8,
         10.4, 10.1, 8.0, 8.2, 7.9, 8.1, 7.5, 8.3, 7.7, 9.0]  # fmt: skip
    shift = [False] * 12 + [True] * 7 + [False]
    above = [v > 15.0 for v in y]
    return {
        "chart": "i",
        "points": {
            "x": [f"{2024 + i // 12}-{i % 12 + 1:02d}-01" for i in range(n)],
            "part": [1] * n,
            "baseline": [True] * n,
            "include": [True] * n,
            "n": [None] * n,
            "y": y,
            "cl": [10.0] * n,
            "lcl": [5.0] * n,
            "ucl": [15.0] * n,
            "lcl_95": [6.67] * n,
            "ucl_95": [13.33] * n,
            "sigma_signal": above,
            "runs_signal": [False] * n,
            "mdc:outside": above,
            "mdc:shift": shift,
            "mdc:trend": [False] * n,
            "mdc:two_of_three": [False] * n,
        },
        "parts": [_part_record(1, n, sigma_signal_count=1)],
        "variation_icon": "neither",
        "assurance_icon": None,
    }


@pytest.fixture
def p_chart() -> dict[str, Any]:
    """A p chart whose limits vary with the denominators, in two parts."""
    ns = [50, 80, 120, 60, 90, 200, 70, 100, 150, 75, 60, 110]
    events = [6, 9, 15, 7, 10, 26, 3, 4, 6, 3, 2, 5]
    part = [1] * 6 + [2] * 6
    cl_by_part = {1: 73 / 600, 2: 23 / 565}
    cl = [cl_by_part[p] for p in part]
    ucl = [min(1, c + 3 * math.sqrt(c * (1 - c) / k)) for c, k in zip(cl, ns, strict=True)]
    lcl = [max(0, c - 3 * math.sqrt(c * (1 - c) / k)) for c, k in zip(cl, ns, strict=True)]
    y = [e / k for e, k in zip(events, ns, strict=True)]
    sig = [a > u or a < b for a, u, b in zip(y, ucl, lcl, strict=True)]
    return {
        "chart": "p",
        "points": {
            "x": list(range(1, 13)),
            "part": part,
            "baseline": [True] * 12,
            "include": [True] * 12,
            "n": ns,
            "y": y,
            "cl": cl,
            "lcl": lcl,
            "ucl": ucl,
            "lcl_95": [None] * 12,
            "ucl_95": [None] * 12,
            "sigma_signal": sig,
            "runs_signal": [False] * 12,
        },
        "parts": [_part_record(1, 6), _part_record(2, 6)],
        "variation_icon": None,
        "assurance_icon": None,
    }


@pytest.fixture
def run_chart() -> dict[str, Any]:
    """A run chart over ward names with a long run above the median (an Anhøj signal)."""
    y = [5.0, 3.0, 6.0, 7.0, 8.0, 8.5, 7.5, 9.0, 6.2, 8.8, 7.1, 4.0, 3.5, 4.5]
    n = len(y)
    return {
        "chart": "run",
        "points": {
            "x": [f"Ward {chr(65 + i)}" for i in range(n)],
            "part": [1] * n,
            "baseline": [True] * n,
            "include": [True] * n,
            "n": [None] * n,
            "y": y,
            "cl": [5.5] * n,
            "lcl": [None] * n,
            "ucl": [None] * n,
            "lcl_95": [None] * n,
            "ucl_95": [None] * n,
            "sigma_signal": [False] * n,
            "runs_signal": [True] * n,
            "ihi:shift": [False, False] + [True] * 9 + [False] * 3,
            "ihi:trend": [False] + [True] * 5 + [False] * 8,
            "ihi:runs": [False] * n,
        },
        "parts": [
            _part_record(
                1,
                n,
                longest_run=9,
                longest_run_max=7,
                n_crossings=2,
                n_crossings_min=4,
                runs_signal=True,
            )
        ],
        "variation_icon": None,
        "assurance_icon": None,
    }
