"""The bare NumPy floor for a one-part i chart (SPC.md, Budgets).

What any vectorised i chart must do at least: the mean, the moving ranges with
one screening pass, the limits, the points outside them, and the Anhøj longest
run and number of crossings. Plain NumPy, one array operation per step, no
rules, no missing values, no parts: the engine's time is judged against this.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def floor_i_chart(y: np.ndarray) -> dict[str, Any]:
    cl = y.mean()
    mr = np.abs(np.diff(y))
    mr_bar = mr.mean()
    mr_bar = mr[mr < 3.267 * mr_bar].mean()
    sigma = mr_bar / 1.128
    ucl = cl + 3 * sigma
    lcl = cl - 3 * sigma
    outside = (y > ucl) | (y < lcl)
    side = np.sign(y - cl)
    useful = side[side != 0]
    changes = np.flatnonzero(useful[1:] != useful[:-1])
    bounds = np.concatenate(([-1], changes, [useful.size - 1]))
    return {
        "cl": float(cl),
        "lcl": float(lcl),
        "ucl": float(ucl),
        "n_outside": int(np.count_nonzero(outside)),
        "longest_run": int(np.diff(bounds).max()),
        "n_crossings": int(changes.size),
    }
