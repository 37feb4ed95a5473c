"""The engine's reading of each point as plain records, for callers that want dicts.

The meaning itself (improvement, concern or neither; the rules that fired; the
sentences) is ``champion.spc.explain``; this only flattens it next to the point's
x, y and part, for JSON and templates.
"""

from __future__ import annotations

from typing import Any

from ._input import load_analysis

__all__ = ["signal_reasons"]


def signal_reasons(
    analysis_or_dict: Any, *, improvement: str | None = None
) -> list[dict[str, Any]]:
    """``spc.explain`` as one record per point, with its ``x``, ``y`` and ``part``.

    Parameters
    ----------
    analysis_or_dict
        An ``spc.Analysis`` or its ``to_dict()`` result.
    improvement
        ``"up"`` or ``"down"`` when the better direction is known.

    Returns
    -------
    list of dict
        ``PointMeaning.to_dict()`` per point (``index``, ``category`` in the
        vocabulary of ``spc.VARIATION``, ``direction``, ``patterns``, ``rules``,
        ``reasons``, ``part_reasons``, ``excluded``, ``signal``) with ``x``,
        ``y`` and ``part``.

    Examples
    --------
    >>> result = {"chart": "i", "points": {"x": [1, 2], "y": [5.0, 9.0],
    ...     "cl": [5.0, 5.0], "lcl": [2.0, 2.0], "ucl": [8.0, 8.0],
    ...     "sigma_signal": [False, True]}, "parts": []}
    >>> signal_reasons(result)[1]["reasons"]
    ['Above the upper control limit']
    """
    s = load_analysis(analysis_or_dict, improvement=improvement)
    return [
        {"x": s.x[m.index], "y": s.columns["y"][m.index], "part": s.columns["part"][m.index],
         **m.to_dict()}
        for m in s.meaning
    ]  # fmt: skip
