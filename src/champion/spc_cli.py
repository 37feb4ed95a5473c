"""`champion spc`: analyse a CSV or Excel file from the command line.

Reads one table with Polars, runs :func:`champion.spc.analyze`, prints a
summary a person can read at a terminal (centre line, limits, runs analysis,
flagged points with their reasons, Making Data Count icons) and optionally
writes the chart (SVG, PNG, PDF) or the full result (JSON). Errors print one
line to stderr and exit with status 2, as command-line tools do for bad usage.

Example::

    champion spc falls.csv --chart u --y falls --n bed_days --x month \\
        --multiply 1000 --freeze 12 --rules mdc --improvement down --out falls.png
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

__all__ = ["main"]

PROG = "champion spc"
CHARTS = ("run", "i", "mr", "xbar", "r", "s", "t", "p", "np", "c", "u", "pp", "up", "g", "ip")
RULE_SETS = ("anhoej", "ihi", "western-electric", "nelson", "mdc")
OUTPUT_SUFFIXES = (".svg", ".png", ".pdf", ".json")


class UsageError(Exception):
    """A problem with the command line or the data, reported in one line."""


class _Parser(argparse.ArgumentParser):
    # argparse prints the usage and exits on its own; we want one line and a
    # return code, so main() stays callable from tests and from champion.cli.
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _int_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.replace(" ", "").split(",") if v]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers separated by commas, got {text!r}"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError("expected at least one position")
    return values


def _rule_list(text: str) -> list[str]:
    rules = [v.strip().lower() for v in text.split(",") if v.strip()]
    unknown = [r for r in rules if r not in RULE_SETS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown rule set {', '.join(unknown)}; choose from {', '.join(RULE_SETS)}"
        )
    return rules


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Statistical process control analysis of a CSV or Excel (.xlsx) file.",
        epilog="Positions (--parts, --exclude) are 0-based indices of the plotted points.",
    )
    parser.add_argument("file", help="a .csv or .xlsx file with one row per observation")
    parser.add_argument("--chart", default="run", choices=CHARTS, help="chart type (default run)")
    parser.add_argument("--y", required=True, help="column of values (numerators for p, u, ...)")
    parser.add_argument(
        "--n", help="column of denominators (p, np, u, pp, up, ip; optional for run/i)"
    )
    parser.add_argument("--x", help="column of labels: dates, numbers or text (default row order)")
    parser.add_argument("--sheet", help="worksheet name for .xlsx files (default the first)")
    parser.add_argument("--freeze", type=int, help="the first N points form the baseline")
    parser.add_argument(
        "--parts", type=_int_list, help="positions where new parts start, e.g. 12,24"
    )
    parser.add_argument("--exclude", type=_int_list, help="positions left out of the calculations")
    parser.add_argument(
        "--rules", type=_rule_list, default=[], help="extra rule sets, e.g. mdc,nelson"
    )
    parser.add_argument("--improvement", choices=("up", "down"), help="which direction is better")
    parser.add_argument("--target", type=float, help="target value (MDC assurance icon)")
    parser.add_argument("--cl", type=float, help="a fixed centre line")
    parser.add_argument("--multiply", type=float, default=1.0, help="scale y, e.g. 100 for percent")
    parser.add_argument("--agg", choices=("mean", "median", "sum"), default="mean",
                        help="how rows sharing an x combine without --n (default mean)")  # fmt: skip
    parser.add_argument("--runs-method", choices=("anhoej", "bestbox", "cutbox"), default="anhoej")
    parser.add_argument("--sigma-method", help="xbar/s/r/i sigma estimator (see SPC.md)")
    parser.add_argument("--no-screen", action="store_true",
                        help="do not screen large moving ranges before estimating sigma")  # fmt: skip
    parser.add_argument("--title", help="chart title")
    parser.add_argument("--out", help="write the chart (.svg, .png, .pdf) or the result (.json)")
    return parser


# --- reading the file -------------------------------------------------------------------


def read_table(path: Path, sheet: str | None = None) -> pl.DataFrame:
    """Read a CSV or .xlsx file into a DataFrame, or raise UsageError saying why not."""
    if not path.exists():
        raise UsageError(f"file not found: {path}")
    if path.is_dir():
        raise UsageError(f"{path} is a directory, not a data file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            if sheet is not None:
                return pl.read_excel(path, sheet_name=sheet, infer_schema_length=None)
            return pl.read_excel(path, infer_schema_length=None)
        # Every column as text first: we convert the three we need ourselves,
        # so a stray "n/a" gives our message and not a parser dump.
        return pl.read_csv(
            path,
            separator=_separator(path),
            infer_schema_length=0,
            null_values=["", "NA", "N/A", "null"],
        )
    except UsageError:
        raise
    except Exception as exc:  # Polars/fastexcel raise many types; all mean "unreadable"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"cannot read {path.name}: {first}") from exc


def _separator(path: Path) -> str:
    """Comma unless the header line clearly uses semicolons or tabs (European Excel exports)."""
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _column(df: pl.DataFrame, name: str, path: Path) -> pl.Series:
    if name not in df.columns:
        available = ", ".join(df.columns) or "(none)"
        raise UsageError(f"no column {name!r} in {path.name}; available columns: {available}")
    return df.get_column(name)


def numeric_column(series: pl.Series, option: str) -> np.ndarray:
    """The column as float64 with NaN for missing values; UsageError on text."""
    if series.dtype.is_numeric() or series.dtype == pl.Boolean:
        return series.cast(pl.Float64).fill_nan(None).to_numpy().astype(float)
    if series.dtype == pl.Null:
        return np.full(series.len(), np.nan)
    text = series.cast(pl.String).str.strip_chars()
    text = pl.Series(text.name, [None if v == "" else v for v in text.to_list()], dtype=pl.String)
    converted = text.cast(pl.Float64, strict=False)
    bad = text.is_not_null() & converted.is_null()
    if bad.any():
        row = int(bad.arg_true()[0])
        raise UsageError(
            f"column {series.name!r} ({option}) must hold numbers; row {row + 1} has {text[row]!r}"
        )
    return converted.to_numpy().astype(float)


# Period labels people type for monthly and weekly data. Read as dates they keep
# their time order; left as text they would be categorical, and the engine
# (rightly) never signals runs or run rules on categories.
_PERIODS: tuple[tuple[str, str, str], ...] = (
    (r"^\d{4}-\d{2}-\d{2}$", "", "%Y-%m-%d"),
    (r"^\d{4}-\d{2}$", "-01", "%Y-%m-%d"),  # 2025-03: the first of the month
    (r"^\d{4}-W\d{2}$", "-1", "%G-W%V-%u"),  # ISO week 2025-W07: its Monday
)


def x_column(series: pl.Series) -> tuple[Any, str]:
    """Labels for x: dates (ISO dates, ``2025-03`` months, ``2025-W07`` weeks), numbers, else text."""
    dtype = series.dtype
    if dtype == pl.Date:
        return series.to_numpy().astype("datetime64[D]"), "date"
    if dtype == pl.Datetime:
        values = series.to_numpy()
        days = values.astype("datetime64[D]")
        # Excel stores dates as midnight date-times; show them as dates.
        if np.all(np.isnat(values) | (values == days.astype(values.dtype))):
            return days, "date"
        return values, "date"
    if dtype.is_numeric():
        return series.cast(pl.Float64).to_numpy(), "number"
    text = series.cast(pl.String).str.strip_chars()
    present = text.drop_nulls()
    if present.len() > 0:
        for pattern, suffix, fmt in _PERIODS:
            if not present.str.contains(pattern).all():
                continue
            try:
                parsed = (text + suffix).str.to_date(fmt, strict=True)
            except Exception:  # e.g. month 13: not dates after all
                break
            return x_column(parsed)
        try:
            stamps: pl.Series | None = text.str.to_datetime(strict=True, time_unit="us")
        except Exception:  # not ISO date-times either
            stamps = None
        if stamps is not None and stamps.null_count() == text.null_count():
            return x_column(stamps)
        numbers = text.cast(pl.Float64, strict=False)
        if numbers.null_count() == text.null_count():
            return numbers.to_numpy(), "number"
    return np.array(text.to_list(), dtype=object), "text"


# --- the summary ------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    from champion.charts import format_number

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(float(value))
    return str(value)


def _label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "-" if value is None else str(value)


def _range(values: list[Any]) -> tuple[float, float] | None:
    present = [v for v in values if v is not None]
    return (min(present), max(present)) if present else None


def _span(values: list[Any]) -> str:
    r = _range(values)
    if r is None:
        return "none"
    lo, hi = r
    return (
        _fmt(lo)
        if math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-12)
        else f"{_fmt(lo)} to {_fmt(hi)}"
    )


def summary(
    result: dict[str, Any],
    reasons: list[dict[str, Any]],
    *,
    title: str,
    categorical: bool = False,
) -> str:
    """The readable report printed by the command."""
    from champion.charts import CHART_NAMES

    pts = result["points"]
    n_points = len(pts["y"])
    parts = result.get("parts") or []
    lines = [title, "=" * len(title)]
    chart = result["chart"]
    lines.append(
        f"{CHART_NAMES.get(chart, chart)}: {n_points} points"
        + (f" in {len(parts)} parts" if len(parts) > 1 else "")
    )
    if categorical:
        lines.append(
            "x is text, so the order of the points carries no information: runs and run rules "
            "never signal (give dates or numbers to keep the time order)"
        )
    elif chart == "mr":
        lines.append("On a moving-range chart the runs analysis is reported but never signals")
    part_col = pts.get("part") or [1] * n_points
    for record in parts or [{"part": 1}]:
        part = record.get("part")
        idx = [i for i, p in enumerate(part_col) if p == part]
        if not idx:
            continue
        lines.append("")
        head = f"Part {part}: " if len(parts) > 1 else ""
        lines.append(
            f"{head}points {_label(pts['x'][idx[0]])} to {_label(pts['x'][idx[-1]])} ({len(idx)})"
        )
        baseline = pts.get("baseline")
        if baseline is not None and not all(baseline[i] for i in idx):
            lines.append(f"  Baseline           first {sum(1 for i in idx if baseline[i])} points")
        lines.append(f"  Centre line        {_span([pts['cl'][i] for i in idx])}")
        if chart != "run":
            lo = _span([pts["lcl"][i] for i in idx])
            hi = _span([pts["ucl"][i] for i in idx])
            varies = " (vary with n)" if (" to " in lo or " to " in hi) else ""
            lines.append(f"  Control limits     lower {lo}, upper {hi}{varies}")
        if record.get("longest_run") is not None:
            signal = "yes" if record.get("runs_signal") else "no"
            lines.append(
                f"  Runs analysis      longest run {record['longest_run']} "
                f"(max {record['longest_run_max']}), crossings {record['n_crossings']} "
                f"(min {record['n_crossings_min']}), "
                f"{record.get('n_useful')} useful of {record.get('n_obs')}: signal {signal}"
            )
        elif "n_obs" in record:
            lines.append("  Runs analysis      no useful points")
        part_level: list[str] = []
        for i in idx:
            part_level += [t for t in reasons[i].get("part_reasons", []) if t not in part_level]
        for text in part_level:
            lines.append(f"  Signal             {text}")

    sigma = pts.get("sigma_signal") or [False] * n_points
    outside = [i for i in range(n_points) if sigma[i]]
    if chart != "run":
        lines.append("")
    if chart == "run":
        pass
    elif outside:
        lines.append(f"Points outside the limits ({len(outside)}):")
        for i in outside:
            lines.append(
                f"  {_label(pts['x'][i]):<14} {_fmt(pts['y'][i]):>10}  " + reasons[i]["reasons"][0]
            )
    else:
        lines.append("Points outside the limits: none")
    rules = [c for c in pts if ":" in c]
    if rules:
        lines.append("")
        lines.append("Rules:")
        width = max(len(r) for r in rules)
        for rule in rules:
            flagged = [i for i, v in enumerate(pts[rule]) if v]
            shown = ", ".join(_label(pts["x"][i]) for i in flagged[:8])
            more = f" and {len(flagged) - 8} more" if len(flagged) > 8 else ""
            count = f"{len(flagged)} point{'s' if len(flagged) != 1 else ''}"
            lines.append(
                f"  {rule:<{width}}  " + (f"{count}: {shown}{more}" if flagged else "none")
            )
    # Reasons about a whole part were said once in its block above.
    own = [(r, [t for t in r["reasons"] if t not in r.get("part_reasons", [])]) for r in reasons]
    flagged_points = [(r, texts) for r, texts in own if texts]
    lines.append("")
    if flagged_points:
        plural = "s" if len(flagged_points) != 1 else ""
        lines.append(f"Why points are flagged ({len(flagged_points)} point{plural}):")
        for r, texts in flagged_points:
            i = r["index"]
            lines.append(f"  {_label(pts['x'][i]):<14} {_fmt(pts['y'][i]):>10}  {texts[0]}")
            for extra in texts[1:]:
                lines.append(f"  {'':<14} {'':>10}  {extra}")
    elif any(r["reasons"] for r in reasons):
        lines.append("No single point is flagged; the runs analysis above signals.")
    else:
        lines.append("No signals: the variation looks like common cause.")
    icons = []
    if result.get("variation_icon"):
        icons.append(f"variation {result['variation_icon'].replace('_', ' ')}")
    if result.get("assurance_icon"):
        icons.append(f"assurance {result['assurance_icon'].replace('_', ' ')}")
    if icons:
        lines.append("")
        lines.append("Making Data Count icons: " + ", ".join(icons))
    return "\n".join(lines)


# --- the command ------------------------------------------------------------------------


def _y_label(args: argparse.Namespace) -> str:
    label = f"{args.y} / {args.n}" if args.n else args.y
    if args.multiply != 1:
        label += f" × {args.multiply:g}"
    return label


def run(args: argparse.Namespace) -> int:
    from champion import charts, spc

    path = Path(args.file)
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise UsageError(f"--out must end in {', '.join(OUTPUT_SUFFIXES)}, not {out.name!r}")
    df = read_table(path, args.sheet)
    if df.height == 0:
        raise UsageError(f"{path.name} has no data rows")
    y = numeric_column(_column(df, args.y, path), "--y")
    n = numeric_column(_column(df, args.n, path), "--n") if args.n else None
    x = None
    if args.x:
        x, _ = x_column(_column(df, args.x, path))
    kwargs: dict[str, Any] = {
        "chart": args.chart,
        "x": x,
        "n": n,
        "parts": args.parts,
        "freeze": args.freeze,
        "exclude": args.exclude,
        "cl": args.cl,
        "multiply": args.multiply,
        "agg": args.agg,
        "runs_method": args.runs_method,
        "screen_mr": not args.no_screen,
        "sigma_method": args.sigma_method,
        "rules": ("anhoej", *[r for r in args.rules if r != "anhoej"]),
        "improvement": args.improvement,
        "target": args.target,
    }
    try:
        analysis = spc.analyze(y, **kwargs)
    except spc.SPCError as exc:
        raise UsageError(str(exc)) from exc
    result = analysis.to_dict()
    # What each point means is the engine's; the summary only prints it.
    reasons = [m.to_dict() for m in spc.explain(analysis, improvement=args.improvement)]
    title = args.title or f"{_y_label(args)}" + (f" by {args.x}" if args.x else "")
    categorical = bool(getattr(analysis, "categorical", False))
    print(summary(result, reasons, title=title, categorical=categorical))
    if out is not None:
        if out.suffix.lower() == ".json":
            payload = json.dumps(result, indent=2, allow_nan=False).encode("utf-8")
        else:
            percent = args.chart in ("p", "pp") and args.multiply == 1
            spec = charts.spc_spec(
                result,
                title=title,
                y_label=_y_label(args),
                x_label=args.x,
                improvement=args.improvement,
                percent=percent,
                target=args.target,
            )
            try:
                payload = charts.export(spec, out.suffix)
            except charts.ChartError as exc:
                raise UsageError(str(exc)) from exc
        try:
            out.write_bytes(payload)
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from exc
        print(f"\nWrote {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``champion spc`` with ``argv`` (without the program name); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        return run(args)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
