"""The public entry points: :func:`analyze` for one series, :func:`analyze_many` for a batch."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NoReturn

import numpy as np

from . import _rules
from . import _validate as V
from ._aggregate import Points, aggregate, first_of_runs, group_rows
from ._analysis import PART_KEYS, Analysis, frozen
from ._engine import Options, compute
from ._errors import SPCError
from ._segments import Segments

__all__ = ["analyze", "analyze_many"]


def _options(
    chart: Any, cl: Any, multiply: Any, agg: Any, runs_method: Any, screen_mr: Any,
    sigma_method: Any, rules: Any, improvement: Any, target: Any,
) -> Options:  # fmt: skip
    chart = V.check_chart(chart)
    if not isinstance(screen_mr, bool | np.bool_):
        raise SPCError(f"screen_mr must be True or False, not {screen_mr!r}")
    return Options(
        chart=chart,
        cl=V.check_cl(cl, chart),
        multiply=V.check_multiply(multiply),
        agg=V.check_choice(agg, V.AGGS, "agg"),
        runs_method=V.check_choice(runs_method, V.RUNS_METHODS, "runs_method"),
        screen_mr=bool(screen_mr),
        sigma_method=V.check_sigma_method(chart, sigma_method),
        rules=V.check_rules(rules, _rules.RULE_SETS),
        improvement=V.check_improvement(improvement),
        target=V.check_number(target, "target"),
    )


def _row(i: np.ndarray) -> int:
    return int(np.flatnonzero(i)[0])


def _check_rows(chart: str, y: np.ndarray, n: np.ndarray | None) -> None:
    """Checks on the raw rows, each naming the first offending row (0-based)."""
    if chart in V.NEEDS_N and n is None:
        raise SPCError(
            f"a {chart} chart needs n, the denominators (e.g. patients or bed-days per period)"
        )
    if n is not None:
        if chart not in V.TAKES_N:
            raise SPCError(
                f"n is not used by a {chart} chart; leave it out (n is for p, np, u, pp, up and "
                "ip charts, and optional for run and i charts)"
            )
        if n.shape != y.shape:
            raise SPCError(
                f"y has {y.shape[0]} values but n has {n.shape[0]}; give one n for each y"
            )
        bad = n <= 0
        if bad.any():
            i = _row(bad)
            raise SPCError(
                f"n must be above zero, but row {i} has n = {n[i]:g}; use None for a missing "
                "denominator"
            )
    if chart in V.COUNT_CHARTS:
        bad = y < 0
        if bad.any():
            i = _row(bad.ravel())
            raise SPCError(
                f"a {chart} chart counts events, so y cannot be negative, but row {i} has "
                f"y = {y.ravel()[i]:g}"
            )
    if chart in V.PROPORTION_CHARTS and n is not None:
        bad = y > n
        if bad.any():
            i = _row(bad)
            raise SPCError(
                f"on a {chart} chart y counts cases out of n, but row {i} has y = {y[i]:g} "
                f"above n = {n[i]:g}; check that y and n are not swapped"
            )
    if chart == "t":
        bad = y <= 0
        if bad.any():
            i = _row(bad)
            raise SPCError(
                f"a t chart needs times between events above zero, but row {i} has "
                f"y = {y[i]:g}; remove it or use a g chart for counts that can be 0"
            )


def _subgroup_input(y: np.ndarray, x: Any) -> tuple[np.ndarray, Any]:
    """A 2-D y (one row per subgroup) becomes long rows with one x per subgroup."""
    if y.ndim == 1:
        return y, x
    k, m = y.shape
    if x is None:
        labels: Any = np.arange(k)
    else:
        labels = np.asarray(x)
        if labels.ndim != 1 or labels.shape[0] != k:
            raise SPCError(
                f"y has {k} subgroups (rows) but x has {np.size(labels)} labels; give one x "
                "per row of y"
            )
    return y.ravel(), np.repeat(labels, m)


def _subgroup_error(chart: str, where: str = "") -> NoReturn:
    raise SPCError(
        f"an {chart} chart needs subgroups of several values{where}, but every x has at most "
        "one value; give rows that share an x (one subgroup per x), a 2-D y, or use an i chart "
        "for single values"
    )


def _check_subgroups(chart: str, pts: Points) -> None:
    if chart in V.SUBGROUP_CHARTS:
        assert pts.size is not None
        if not (pts.size >= 2).any():
            _subgroup_error(chart)


def _prepare(opts: Options, y: Any, x: Any, n: Any) -> tuple[Points, np.ndarray | None, str]:
    """Validate the rows and aggregate them into points; also returns the x labels."""
    chart = opts.chart
    yv, y_total = V.float_array_and_sum(y, "y", allow_2d=chart in V.SUBGROUP_CHARTS)
    summed = yv
    if yv.size == 0:
        raise SPCError("y is empty; give at least one value")
    yv, x = _subgroup_input(yv, x)
    nv = None if n is None else V.as_float_array(n, "n")
    _check_rows(chart, yv, nv)
    if x is None:
        order = starts = None
        xv = None
        kind = V.X_NUMERIC
    else:
        xv, keep, kind = V.coerce_x(x, yv.shape[0])
        if keep is not None:
            yv, xv = yv[keep], xv[keep]
            nv = None if nv is None else nv[keep]
            if yv.size == 0:
                raise SPCError("every x is missing; give an x label for each row")
        order, starts = group_rows(xv, ties=(yv,) if nv is None else (yv, nv))
        if order is not None:
            xv = xv[order]
        if starts is not None:
            xv = xv[starts]
    pts = aggregate(chart, yv, nv, order, starts, opts.agg)
    # One pass when nothing is missing, none when the rows are the points.
    if pts.y is summed:
        total = pts.y_sum = y_total
    else:
        total = pts.y.sum()
    if total != total and np.isnan(pts.y).all():
        raise SPCError("y has no values (all are missing); give at least one number")
    _check_subgroups(chart, pts)
    return pts, xv, kind


def _part_setup(
    size: int, parts: Any, freeze: Any, exclude: Any
) -> tuple[Segments, np.ndarray | None, np.ndarray | None]:
    part_pos = V.check_positions(parts, "parts", size, lowest=1)
    seg = Segments(np.concatenate(([0], part_pos)), size)
    baseline = None
    if not part_pos.size:
        f = V.check_freeze(freeze, size)
        if f is not None and f < size:
            baseline = np.zeros(size, dtype=bool)
            baseline[:f] = True
    ex = V.check_positions(exclude, "exclude", size, lowest=0)
    include = None
    if ex.size:
        include = np.ones(size, dtype=bool)
        include[ex] = False
    return seg, baseline, include


def _icons(opts: Options, columns: Mapping[str, np.ndarray]) -> tuple[str | None, str | None]:
    if "mdc" not in opts.rules:
        return None, None
    return _rules.mdc_icons(
        columns, y=columns["y"], cl=columns["cl"], ucl=columns["ucl"], lcl=columns["lcl"],
        improvement=opts.improvement, target=opts.target,
    )  # fmt: skip


def _records(
    records: Sequence[dict[str, Any]], counts: np.ndarray, *, each_part_one: bool = False
) -> tuple[Mapping[str, Any], ...]:
    """The runs records of one series' parts, numbered from 1, with their signal counts.

    With ``each_part_one`` every record is part 1 (one record per series of a batch).
    """
    out = []
    for k, (rec, cnt) in enumerate(zip(records, counts.tolist(), strict=True)):
        rec = {"part": 1 if each_part_one else k + 1, **rec, "sigma_signal_count": cnt}
        out.append(MappingProxyType({key: rec[key] for key in PART_KEYS}))
    return tuple(out)


_POSITIONS = np.arange(0, dtype=np.int64)


def _positions(size: int) -> np.ndarray:
    """0 .. size - 1 as a read-only view of one shared array, grown when needed.

    The default x of every analysis: a long series then does not write (and
    page-fault in) 8 bytes a point for it on every call. Never mutated, only
    replaced by a longer one, so a view handed out stays valid in any thread.
    """
    global _POSITIONS
    pos = _POSITIONS
    if pos.shape[0] < size:
        pos = np.arange(size, dtype=np.int64)
        pos.flags.writeable = False
        _POSITIONS = pos  # a race between threads only costs a later regrowth
    return pos[:size]


def analyze(
    y: Any,
    chart: str = "run",
    x: Any = None,
    n: Any = None,
    parts: Any = None,
    freeze: int | None = None,
    exclude: Any = None,
    cl: float | None = None,
    multiply: float = 1.0,
    agg: str = "mean",
    runs_method: str = "anhoej",
    screen_mr: bool = True,
    sigma_method: str | None = None,
    rules: Iterable[str] = ("anhoej",),
    improvement: str | None = None,
    target: float | None = None,
) -> Analysis:
    """Analyse one series on a run or control chart.

    Parameters
    ----------
    y : array_like
        The raw values, None or NaN for missing. Rows sharing an x are
        combined into one point (see ``agg`` and ``n``). For xbar, r and s
        charts each x is a subgroup of its rows' values; a 2-D y (one row per
        subgroup) is accepted too.
    chart : str, default "run"
        One of ``run i mr xbar r s t p np c u pp up g ip``; see docs/spc.md,
        "Which chart should I use?".
    x : array_like, optional
        The labels: numbers, dates (``datetime64`` or ``datetime.date``) or text
        (text is categorical and sorted as Python sorts strings). Rows whose x is
        missing are dropped. Default: 0 .. len(y) - 1.
    n : array_like, optional
        Denominators (required for p, np, u, pp and up; optional for ip, run and
        i). With n, a point is sum(y) / sum(n) over its rows.
    parts : sequence of int, optional
        0-based positions (into the aggregated points) where a new part starts;
        each part gets its own CL, limits and runs analysis.
    freeze : int, optional
        The first ``freeze`` points are the baseline the CL and limits are
        computed from (ignored when ``parts`` is given).
    exclude : sequence of int, optional
        0-based positions left out of the CL, sigma and runs analysis (still plotted).
    cl : float, optional
        A fixed centre line (for p a proportion, for t a time on the original
        scale, for g the mean, for np the expected count per subgroup), before
        ``multiply``.
    multiply : float, default 1.0
        Scale y, CL and limits (100 for percent, 1000 for "per 1000").
    agg : {"mean", "median", "sum"}, default "mean"
        How rows sharing an x combine when there is no n (run, i, mr, t, g, ip).
    runs_method : {"anhoej", "bestbox", "cutbox"}, default "anhoej"
        The runs-analysis decision rule (Anhøj & Olesen 2014; Anhøj &
        Wentzel-Larsen 2020).
    screen_mr : bool, default True
        Drop moving ranges >= 3.267 times their mean once before estimating
        sigma (i, t, pp, up; 3.2665 for ip).
    sigma_method : str, optional
        xbar: ``pooled`` (default), ``uwave-r``, ``uwave-sd``, ``mvlue-r``,
        ``mvlue-sd``, ``rmsdf``; s: ``pooled`` (default), ``uwave-sd``,
        ``mvlue-sd``, ``rmsdf``; r: ``uwave-r`` (default), ``mvlue-r``; i and
        t: ``mr`` (default) or ``sd``.
    rules : sequence of str, default ("anhoej",)
        Extra rule sets: ``ihi``, ``western-electric``, ``nelson``, ``mdc``
        (docs/spc-rules.md). Anhøj's runs analysis is always done.
    improvement : {"up", "down"}, optional
        Which direction is better (for the Making Data Count icons).
    target : float, optional
        A target on the plotted scale (for the Making Data Count assurance icon).

    Returns
    -------
    Analysis
        ``points`` (one array per column), ``parts`` (runs analysis per part)
        and the icons; ``to_dict()`` and ``to_frame()`` export them.

    Raises
    ------
    SPCError
        For any input the analysis cannot use, with a message saying why.

    Examples
    --------
    An XmR (i) chart: the CL is the mean, sigma the mean moving range / 1.128.

    >>> from champion import spc
    >>> a = spc.analyze([10, 12, 11, 13, 12, 11, 40, 12], chart="i")
    >>> float(a.points["cl"][0])
    15.125
    >>> a.points["sigma_signal"].tolist()
    [False, False, False, False, False, False, True, False]
    >>> a.parts[0]["n_useful"], a.parts[0]["longest_run"], a.parts[0]["runs_signal"]
    (8, 6, False)

    A p chart of monthly proportions, rows of the same month summed first:

    >>> a = spc.analyze([3, 2, 4, 5], chart="p", n=[50, 50, 100, 100], x=["Jan", "Jan", "Feb", "Mar"])
    >>> a.points["x"].tolist(), a.points["y"].tolist()
    (['Feb', 'Jan', 'Mar'], [0.04, 0.05, 0.05])
    >>> round(float(a.points["cl"][0]), 4)
    0.0467
    """
    opts = _options(chart, cl, multiply, agg, runs_method, screen_mr, sigma_method, rules,
                    improvement, target)  # fmt: skip
    pts, xv, kind = _prepare(opts, y, x, n)
    size = pts.y.shape[0]
    seg, baseline, include = _part_setup(size, parts, freeze, exclude)
    categorical = kind == V.X_TEXT
    columns, records, counts = compute(opts, pts, seg, baseline, include, categorical)
    x_col = _positions(size) if xv is None else xv
    part_col = (
        np.broadcast_to(np.int64(1), (size,)) if seg.count == 1
        else np.repeat(np.arange(1, seg.count + 1, dtype=np.int64), seg.lengths)
    )  # fmt: skip
    points = {"x": x_col, "part": part_col, **columns}
    points = {k: frozen(v) for k, v in points.items()}
    var_icon, ass_icon = _icons(opts, points)
    return Analysis(
        chart=opts.chart,
        points=MappingProxyType(points),
        parts=_records(records, counts),
        variation_icon=var_icon,
        assurance_icon=ass_icon,
        options=MappingProxyType(opts.as_dict()),
        x_kind=kind,
    )


# ----------------------------------------------------------------------------- many series


def _column(data: Any, key: Any, what: str) -> Any:
    if key is None or data is None or not isinstance(key, str | int):
        return key
    try:
        return data[key]
    except (KeyError, IndexError, TypeError):
        raise SPCError(f"{what}={key!r} is not a column of the table") from None


def analyze_many(
    data: Any = None,
    *,
    series: Any = None,
    y: Any = None,
    x: Any = None,
    n: Any = None,
    chart: str = "run",
    freeze: int | None = None,
    cl: float | None = None,
    multiply: float = 1.0,
    agg: str = "mean",
    runs_method: str = "anhoej",
    screen_mr: bool = True,
    sigma_method: str | None = None,
    rules: Iterable[str] = ("anhoej",),
    improvement: str | None = None,
    target: float | None = None,
) -> Any:
    """Analyse many series at once, in one vectorised pass.

    Two forms:

    1. **A long table** (the fast path): one row per observation with a series
       id, optional x, y and optional n. Give the columns as arrays
       (``series=ids, x=months, y=values``) or give ``data`` (a dict of
       columns, a Polars or pandas DataFrame) and name its columns
       (``series="unit", x="month", y="falls", n="bed_days"``). Every series
       gets the same chart and options; rows sharing a (series, x) are
       aggregated as in :func:`analyze`. Returns a ``dict`` mapping each series
       id (in sorted order) to its :class:`Analysis`. ``freeze`` applies to
       each series (a series shorter than ``freeze`` is all baseline); parts
       and exclusions differ per series, so use form 2 for them.
    2. **A list of keyword dicts**: ``analyze_many([dict(y=..., chart="p", n=...),
       ...], **defaults)`` calls :func:`analyze` on each (keyword arguments of
       ``analyze_many`` other than ``data``, ``series``, ``y``, ``x`` and ``n``
       are defaults for every dict). Returns a list of :class:`Analysis`.

    Parameters
    ----------
    data : mapping, DataFrame or list of dict, optional
        The table whose columns ``series``, ``x``, ``y`` and ``n`` name, or a
        list of :func:`analyze` keyword dicts.
    series, y, x, n : array_like or column name
        The long table's columns (``x`` and ``n`` optional).
    chart, freeze, cl, multiply, agg, runs_method, screen_mr, sigma_method, rules, improvement, target
        As in :func:`analyze`, the same for every series.

    Returns
    -------
    dict or list
        ``{series_id: Analysis}`` for a long table; a list for keyword dicts.

    Raises
    ------
    SPCError
        As :func:`analyze`; the message names the series at fault.

    Notes
    -----
    The long form is the one to use for speed: the engine treats the series
    as segments of one array, so 10,000 series of 60 points cost one pass of
    NumPy over 600,000 points plus a few microseconds per series to build the
    results. A series with no values at all gets no CL or limits rather than
    failing the batch.

    Examples
    --------
    >>> from champion import spc
    >>> out = spc.analyze_many(series=["a", "a", "a", "b", "b", "b"],
    ...                        y=[1, 2, 3, 10, 20, 30], chart="run")
    >>> sorted(out), float(out["b"].points["cl"][0])
    (['a', 'b'], 20.0)
    >>> table = {"ward": [1, 1, 2, 2], "falls": [3, 4, 1, 2], "days": [100, 120, 90, 80]}
    >>> res = spc.analyze_many(table, series="ward", y="falls", n="days", chart="u")
    >>> round(float(res[1].points["cl"][0]), 4)
    0.0318
    >>> many = spc.analyze_many([dict(y=[1, 2, 3]), dict(y=[4, 5, 6], chart="i")])
    >>> [a.chart for a in many]
    ['run', 'i']
    """
    defaults = {
        "chart": chart, "freeze": freeze, "cl": cl, "multiply": multiply, "agg": agg, "runs_method": runs_method,
        "screen_mr": screen_mr, "sigma_method": sigma_method, "rules": rules, "improvement": improvement,
        "target": target,
    }  # fmt: skip
    if isinstance(data, list | tuple) and (not data or isinstance(data[0], Mapping)):
        if series is not None or y is not None:
            raise SPCError("give either a list of analyze() keyword dicts or series= and y=")
        out = []
        for i, kwargs in enumerate(data):
            if not isinstance(kwargs, Mapping):
                raise SPCError(f"item {i} of the list is not a dict of analyze() arguments")
            try:
                out.append(analyze(**{**defaults, **kwargs}))
            except SPCError as e:
                raise SPCError(f"series {i}: {e}") from None
            except TypeError as e:
                raise SPCError(f"series {i}: {e}") from None
        return out
    opts = _options(chart, cl, multiply, agg, runs_method, screen_mr, sigma_method, rules,
                    improvement, target)  # fmt: skip
    if data is None and any(isinstance(v, str) for v in (series, y, x, n)):
        raise SPCError("column names need a table: pass it as data= (a dict or a DataFrame)")
    series = _column(data, series, "series")
    y = _column(data, y, "y")
    x = _column(data, x, "x")
    n = _column(data, n, "n")
    if series is None or y is None:
        raise SPCError("analyze_many needs series= and y= (arrays or column names of data)")
    return _many_long(opts, series, y, x, n, freeze)


def _many_long(
    opts: Options, series: Any, y: Any, x: Any, n: Any, freeze: Any
) -> dict[Hashable, Analysis]:
    """The long-table form of :func:`analyze_many`: every series a segment of one pass."""
    chart = opts.chart
    yv = V.as_float_array(y, "y")
    rows = yv.shape[0]
    sid = np.asarray(series)
    if sid.ndim != 1 or sid.shape[0] != rows:
        raise SPCError(f"series has {sid.size} values but y has {rows}; give one id per row")
    nv = None if n is None else V.as_float_array(n, "n")
    _check_rows(chart, yv, nv)
    missing = np.isnan(sid) if sid.dtype.kind == "f" else None
    if sid.dtype.kind == "O":
        missing = np.array([v is None or v != v for v in sid.tolist()], dtype=bool)
    if missing is not None and missing.any():
        raise SPCError(f"series id is missing in row {_row(missing)}; give every row a series id")
    # Series ids to codes 0..k-1 in sorted id order (no sort when already grouped in order).
    try:
        in_order = bool(np.all(sid[1:] >= sid[:-1]))
        if in_order:
            new = first_of_runs(sid)
            codes = np.cumsum(new) - 1
            ids = sid[new]
        else:
            ids, codes = np.unique(sid, return_inverse=True)
    except TypeError:
        raise SPCError("series ids must be all numbers or all text, not a mixture") from None
    if x is None:
        xv = np.arange(rows, dtype=np.int64)
        kind = V.X_NUMERIC
        keep = None
        positional = True
    else:
        xv, keep, kind = V.coerce_x(x, rows)
        positional = False
    if keep is not None:
        yv, xv, codes = yv[keep], xv[keep], codes[keep]
        nv = None if nv is None else nv[keep]
    order, starts = group_rows(xv, codes, ties=(yv,) if nv is None else (yv, nv))
    codes_s = codes if order is None else codes[order]
    xv_s = xv if order is None else xv[order]
    pts = aggregate(chart, yv, nv, order, starts, opts.agg)
    pcodes = codes_s if starts is None else codes_s[starts]
    px = xv_s if starts is None else xv_s[starts]
    size = pts.y.shape[0]
    if size == 0:
        raise SPCError("the table has no rows with an x")
    seg_starts = np.flatnonzero(first_of_runs(pcodes))
    seg = Segments(seg_starts, size)
    id_list = ids[pcodes[seg_starts]].tolist()
    pos_in = np.arange(size, dtype=np.int64) - np.repeat(seg_starts, seg.lengths)
    if chart in V.SUBGROUP_CHARTS:
        assert pts.size is not None
        multi = pts.size >= 2
        if seg.ids is None:
            has = np.array([bool(multi.any())])
        else:
            has = np.bincount(seg.ids, weights=multi, minlength=seg.count) > 0
        if not has.all():
            _subgroup_error(chart, f" (series {id_list[int(np.flatnonzero(~has)[0])]!r})")
    baseline = None
    if freeze is not None:
        if isinstance(freeze, bool) or not isinstance(freeze, int) or freeze < 1:
            raise SPCError(f"freeze must be a whole number of points, at least 1, not {freeze!r}")
        baseline = pos_in < freeze
    categorical = kind == V.X_TEXT
    columns, records, counts = compute(opts, pts, seg, baseline, None, categorical)
    x_col = pos_in if positional else px
    columns = {"x": x_col, "part": np.ones(size, dtype=np.int64), **columns}
    names = list(columns)
    arrays = [frozen(columns[k]) for k in names]
    bounds = np.append(seg_starts, size).tolist()
    options = MappingProxyType(opts.as_dict())
    if "mdc" in opts.rules:
        icons = _rules.mdc_icons_many(
            columns, seg_starts, _rules.last_valid_many(columns["y"], seg_starts),
            y=columns["y"], cl=columns["cl"], ucl=columns["ucl"], lcl=columns["lcl"],
            improvement=opts.improvement, target=opts.target,
        )  # fmt: skip
    else:
        icons = [(None, None)] * seg.count
    parts = _records(records, counts, each_part_one=True)
    out: dict[Hashable, Analysis] = {}
    for k, key in enumerate(id_list):
        a, b = bounds[k], bounds[k + 1]
        out[key] = Analysis(
            chart=chart,
            points=MappingProxyType(dict(zip(names, [arr[a:b] for arr in arrays], strict=True))),
            parts=parts[k : k + 1],
            variation_icon=icons[k][0],
            assurance_icon=icons[k][1],
            options=options,
            x_kind=kind,
        )
    return out
