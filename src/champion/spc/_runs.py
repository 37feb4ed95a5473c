"""Anhøj runs analysis (Anhøj & Olesen 2014), per segment, vectorised.

For each part: drop the points on the centre line and the missing ones, then
count the runs (maximal sequences on one side of the CL), the longest run and
the crossings, and compare them with the bounds of Schilling (longest run) and
Chen (crossings). bestbox and cutbox (Anhøj & Wentzel-Larsen 2020) only change
the signal decision for 10 to 100 useful points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _constants as K
from ._segments import Segments

__all__ = ["runs_analysis"]

# Run ends are looked for in blocks of this many points: one long series needs
# no index array as long as itself (8 bytes a point), only one per block.
_BLOCK = 1 << 17


def _longest_run(change: np.ndarray) -> int:
    """The longest run, given ``change[i]``: a run ends at point i (of ``change.size + 1``)."""
    prev = -1  # the point the previous run ended at
    best = 0
    for a in range(0, change.shape[0], _BLOCK):
        ends = np.flatnonzero(change[a : a + _BLOCK])
        if ends.shape[0]:
            ends += a
            best = max(best, int(ends[0]) - prev)
            if ends.shape[0] > 1:
                best = max(best, int(np.diff(ends).max()))
            prev = int(ends[-1])
    return max(best, change.shape[0] - prev)


def runs_analysis(
    y: np.ndarray,
    cl: Any,
    include: np.ndarray | None,
    seg: Segments,
    method: str,
    may_signal: bool,
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Per-segment records (without the part number) and each segment's runs signal."""
    above = y > cl
    useful = np.less(y, cl)
    useful |= above  # NaN y or NaN CL: neither
    if include is not None:
        useful &= include
    count = seg.count
    if count == 1:
        side = above if useful.all() else above[useful]
        nu = side.shape[0]
        n_useful = np.array([nu])
        n_obs = np.array([seg.size if include is None else int(np.count_nonzero(include))])
        if nu:
            change = np.not_equal(side[1:], side[:-1])
            cross = np.array([int(np.count_nonzero(change))])
            longest = np.array([_longest_run(change)])
        else:
            cross = longest = np.array([0])
    else:
        ids = seg.ids
        assert ids is not None
        pos = np.flatnonzero(useful)
        side, sid = above[pos], ids[pos]
        n_useful = np.bincount(sid, minlength=count)
        n_obs = seg.lengths if include is None else np.bincount(ids[include], minlength=count)
        same_seg = sid[1:] == sid[:-1]
        change = side[1:] != side[:-1]
        cross = np.bincount(sid[1:][change & same_seg], minlength=count)
        new_run = np.empty(side.shape[0], dtype=bool)
        if side.shape[0]:
            new_run[0] = True
            new_run[1:] = change | ~same_seg
        starts = np.flatnonzero(new_run)
        lengths = np.diff(np.append(starts, side.shape[0]))
        longest = np.zeros(count, dtype=np.int64)
        if starts.shape[0]:
            np.maximum.at(longest, sid[starts], lengths)
    records: list[dict[str, Any]] = []
    signals = np.zeros(count, dtype=bool)
    for k, (nobs, nu, lr, nc) in enumerate(
        zip(n_obs.tolist(), n_useful.tolist(), longest.tolist(), cross.tolist(), strict=True)
    ):
        if nu == 0:
            records.append({"n_obs": nobs, "n_useful": 0, "longest_run": None, "longest_run_max": None,
                                "n_crossings": None, "n_crossings_min": None, "runs_signal": False})  # fmt: skip
            continue
        lrmax = K.longest_run_max(nu)
        ncmin = K.crossings_min(nu)
        sig = lr > lrmax or nc < ncmin
        box = K.box_signal(method, nu, nc, lr)
        if box is not None:
            sig = box
        sig = sig and may_signal
        signals[k] = sig
        records.append({"n_obs": nobs, "n_useful": nu, "longest_run": lr, "longest_run_max": lrmax,
                            "n_crossings": nc, "n_crossings_min": ncmin, "runs_signal": sig})  # fmt: skip
    return records, signals
