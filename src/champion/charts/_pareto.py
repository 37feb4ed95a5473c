"""Vega-Lite spec of a Pareto chart: sorted bars and the cumulative percentage line.

Only the categories and counts are read from the ``spc.pareto`` result; the
order, the cumulative percentages and the "vital few" are recomputed here, so
the chart cannot disagree with the bars it draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._input import ChartError, _to_plain
from ._spc import VEGA_LITE_SCHEMA, format_number
from ._theme import PALETTE, theme_config

__all__ = ["pareto_spec"]

_CATEGORY_KEYS = ("categories", "category", "labels", "label")
_COUNT_KEYS = ("counts", "count", "values", "n")


def _as_mapping(result: Any) -> Mapping[str, Any]:
    if isinstance(result, Mapping):
        return result
    to_dict = getattr(result, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        if isinstance(data, Mapping):
            return data
    fields = {k: getattr(result, k) for k in (*_CATEGORY_KEYS, *_COUNT_KEYS) if hasattr(result, k)}
    if fields:
        return fields
    raise ChartError(
        f"expected an spc.pareto result or a dict of categories and counts, "
        f"got {type(result).__name__}"
    )


def _pick(data: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        if key in data:
            return data[key]
    return None


def _categories_and_counts(result: Any) -> tuple[list[str], list[float]]:
    data = _as_mapping(result)
    categories = _pick(data, _CATEGORY_KEYS)
    counts = _pick(data, _COUNT_KEYS)
    if categories is None and counts is None:
        # A plain {"category": count} mapping is a Pareto table too.
        if data and all(isinstance(v, (int, float)) for v in data.values()):
            categories, counts = list(data.keys()), list(data.values())
        else:
            raise ChartError("the Pareto result needs 'categories' and 'counts'")
    if categories is None or counts is None:
        raise ChartError("the Pareto result needs both 'categories' and 'counts'")
    cats = [str(_to_plain(c)) for c in categories]
    vals = [_to_plain(v) for v in counts]
    if len(cats) != len(vals):
        raise ChartError(f"the Pareto result has {len(cats)} categories but {len(vals)} counts")
    for v in vals:
        if v is None or isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise ChartError(f"Pareto counts must be non-negative numbers, found {v!r}")
    if not cats or sum(vals) <= 0:
        raise ChartError("the Pareto result has no counts to chart")
    return cats, [float(v) for v in vals]


def pareto_spec(
    pareto_result_or_dict: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    y_label: str = "Count",
    x_label: str | None = None,
    cutoff: float = 0.8,
    width: int | str | None = None,
    height: int = 320,
    theme: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a Vega-Lite v6 Pareto chart.

    Parameters
    ----------
    pareto_result_or_dict
        The ``spc.pareto`` result, its dict, or any mapping with
        ``categories`` and ``counts`` (or a plain ``{category: count}``).
    cutoff
        The cumulative share that defines the "vital few" (default 80 %);
        their bars are drawn darker and a dashed line marks the cutoff.

    Examples
    --------
    >>> spec = pareto_spec({"Wrong dose": 12, "Late": 30, "Omitted": 5})
    >>> [row["category"] for row in spec["datasets"]["bars"]]
    ['Late', 'Wrong dose', 'Omitted']
    """
    cats, counts = _categories_and_counts(pareto_result_or_dict)
    if not 0 < cutoff <= 1:
        raise ChartError(f"cutoff must be a share between 0 and 1, not {cutoff!r}")
    # Stable sort: ties keep the order they came in.
    order = sorted(range(len(cats)), key=lambda i: -counts[i])
    total = sum(counts)
    rows: list[dict[str, Any]] = []
    running = 0.0
    reached = False
    for rank, i in enumerate(order, start=1):
        running += counts[i]
        share = running / total
        # The vital few are the categories needed to reach the cutoff, the one
        # that crosses it included.
        vital = not reached
        reached = reached or share >= cutoff - 1e-12
        rows.append(
            {
                "category": cats[i],
                "count": counts[i],
                "cumulative": share,
                "rank": rank,
                "group": "Vital few" if vital else "Useful many",
                "count_text": format_number(counts[i]),
                "share_text": f"{counts[i] / total * 100:.1f}%",
                "cumulative_text": f"{share * 100:.1f}%",
            }
        )
    vital_count = sum(1 for r in rows if r["group"] == "Vital few")
    x_enc = {
        "field": "category",
        "type": "nominal",
        "sort": None,
        "title": x_label,
        "axis": {"labelAngle": -40 if len(rows) > 6 else 0, "labelLimit": 140},
    }
    tooltip = [
        {"field": "category", "title": x_label or "Category"},
        {"field": "count_text", "title": y_label},
        {"field": "share_text", "title": "Share"},
        {"field": "cumulative_text", "title": "Cumulative"},
    ]
    groups = ["Vital few", "Useful many"]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": title or "Pareto chart", **({"subtitle": subtitle} if subtitle else {})},
        "description": (
            f"{title or 'Pareto chart'}: {len(rows)} categories, {format_number(total)} in total. "
            f"The {vital_count} largest ("
            + ", ".join(r["category"] for r in rows[:vital_count])
            + f") make up {rows[vital_count - 1]['cumulative'] * 100:.0f}%."
        ),
        "width": width if width is not None else 640,
        "height": height,
        "datasets": {"bars": rows, "cutoff": [{"cutoff": cutoff}]},
        "data": {"name": "bars"},
        "layer": [
            {
                "name": "bars",
                "mark": {"type": "bar", "cornerRadiusEnd": 2},
                "encoding": {
                    "x": x_enc,
                    "y": {"field": "count", "type": "quantitative", "title": y_label},
                    "color": {
                        "field": "group",
                        "type": "nominal",
                        "scale": {
                            "domain": groups,
                            "range": [PALETTE["bar"], PALETTE["bar_muted"]],
                        },
                        "legend": {"title": None},
                    },
                    "tooltip": tooltip,
                },
            },
            {
                "name": "cumulative",
                "layer": [
                    {
                        "mark": {"type": "line", "color": PALETTE["concern"], "strokeWidth": 2},
                        "encoding": {"x": x_enc},
                    },
                    {
                        "mark": {
                            "type": "point",
                            "filled": True,
                            "opacity": 1,
                            "color": PALETTE["concern"],
                        },
                        "encoding": {"x": x_enc, "tooltip": tooltip},
                    },
                    {
                        "data": {"name": "cutoff"},
                        "mark": {"type": "rule", "strokeDash": [4, 4], "color": PALETTE["muted"]},
                        "encoding": {"y": {"field": "cutoff", "type": "quantitative"}},
                    },
                ],
                "encoding": {
                    "y": {
                        "field": "cumulative",
                        "type": "quantitative",
                        "title": "Cumulative %",
                        "scale": {"domain": [0, 1]},
                        "axis": {"format": ".0%", "orient": "right", "grid": False},
                    }
                },
            },
        ],
        "resolve": {"scale": {"y": "independent"}},
        "config": theme_config(theme),
    }
