"""Uploading a CSV/XLSX file of data for a measure: preview, column mapping, checks, saving.

Two layouts. *Periods*: one row per period with a date, a value and perhaps a
denominator. *Events*: one row per event or patient with a date (and perhaps a
yes/no outcome or a measurement), counted or averaged per week or month here.
Files whose columns look like patient identifiers are refused before anything is
stored. Every bad row is reported with its line and reason and nothing is saved
unless all rows are good. Big files are processed by a background task that
reports its progress on the import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.utils import timezone

from champion.core.identifiers import explain, find_identifiers
from champion.core.stale_work import stalled
from champion.core.tabular import TableError, find_column, read_frame
from champion.measures.data import (
    PERIOD_FORMATS,
    Point,
    Row,
    check_rows,
    mixed_order_message,
    parse_number,
    parse_period,
    slash_date_order,
)
from champion.measures.models import DataImport, Measure
from champion.measures.services import record_data

PREVIEW_ROWS = 8
#: Files with more rows than this are processed in the background, with progress.
BACKGROUND_ROWS = 20_000
MAX_REPORTED_ERRORS = 2_000
YES = {"yes", "y", "true", "1", "t"}
NO = {"no", "n", "false", "0", "f", ""}
#: The choice offered when every slash date of the date column could be read either way.
DATE_ORDERS = {"day": "Day first (31/01/2024)", "month": "Month first (01/31/2024)"}
CHOOSE_ORDER = (
    "Every date in '{column}' could be read either way (01/02/2024 is 1 February day first, "
    "2 January month first). Choose how the file writes dates: day first (31/01/2024) or "
    "month first (01/31/2024)."
)
AGGREGATES = {
    "count": "Count the rows (events) in each period",
    "proportion": "Share of rows whose outcome column is yes (a percentage: value = yes, "
    "denominator = rows)",
    "mean": "Average of a number column in each period",
    "median": "Median of a number column in each period",
    "sum": "Total of a number column in each period",
}


class ImportRefused(ValueError):
    """The file as a whole cannot be used (not a table, patient identifiers, too big...)."""


def start(measure: Measure, user: Any, name: str, data: bytes) -> DataImport:
    """Read the file, refuse patient identifiers, and keep it waiting for its column mapping."""
    try:
        frame = read_frame(name, data)
    except TableError as exc:
        raise ImportRefused(str(exc)) from None
    columns = [str(c).strip() for c in frame.columns]
    if len({c.lower() for c in columns}) != len(columns):
        raise ImportRefused("Two columns have the same name; give every column a unique header.")
    if frame.height == 0:
        raise ImportRefused("The file has a header but no rows.")
    frame.columns = columns
    sample = frame.head(500).fill_null("").to_dicts()
    findings = find_identifiers(columns, sample)
    if findings:
        raise ImportRefused(explain(findings))
    return DataImport.objects.create(
        measure=measure,
        uploaded_by=user,
        filename=name[:255],
        data=data,
        columns=columns,
        preview=[[str(r[c]) for c in columns] for r in sample[:PREVIEW_ROWS]],
        rows_total=frame.height,
        mapping=guess_mapping(columns, measure, sample),
        date_orders=column_date_orders(frame),
    )


def column_date_orders(frame: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """The day/month order each column's slash dates show, read from the whole column (each
    distinct text once, with the first line it is on); only columns with slash dates."""
    lines = _line_numbers(frame)
    orders = {}
    for name in frame.columns:
        order = _column_order(frame[name], lines)
        if order.order:
            orders[name] = order.as_json()
    return orders


def _column_order(column: pl.Series, lines: pl.Series) -> Any:
    texts = column.cast(pl.String).fill_null("").str.strip_chars()
    firsts = (
        pl.DataFrame({"line": lines, "text": texts})
        .filter(pl.col("text").str.contains("/", literal=True))
        .unique("text", keep="first", maintain_order=True)
    )
    return slash_date_order(firsts.iter_rows())


def date_problem(column: str, order: dict[str, Any], chosen: str) -> str:
    """What is wrong with a date column's day/month order ("" when it can be read)."""
    if order.get("order") == "mixed":
        return mixed_order_message(column, order)
    if order.get("order") == "ambiguous" and chosen not in DATE_ORDERS:
        return CHOOSE_ORDER.format(column=column)
    return ""


def day_first(order: dict[str, Any], chosen: str) -> bool:
    """Read slash dates day first unless the column (or, when it cannot tell, the uploader)
    says month first."""
    found = order.get("order")
    return not (found == "month" or (found == "ambiguous" and chosen == "month"))


def guess_mapping(
    columns: list[str], measure: Measure, sample: list[dict[str, Any]] | None = None
) -> dict[str, str]:
    """A first guess at the mapping from the headers (and, failing that, the values)."""
    period = find_column(
        columns, "period", "date", "month", "week", "day", "event date", "admission date",
        "admitted", "discharge date", "discharged", "arrived", "arrival", "occurred", "when",
    ) or ""  # fmt: skip
    value = find_column(
        columns, "value", "count", "events", "numerator", "number", "falls", "infections",
        "minutes", "days", "result", "y",
    ) or ""  # fmt: skip
    denominator = find_column(
        columns, "denominator", "n", "bed days", "bed-days", "patients", "admissions",
        "opportunities", "total", "cases",
    ) or ""  # fmt: skip
    if sample and not period:
        # No telling header ("discharge_time", "Ereignis"): the first column of dates.
        period = next((c for c in columns if _mostly(_texts(sample, c), _is_date)), "")
    if sample:
        # No telling header: numeric columns, in order, are the value then the denominator.
        numeric = [
            c for c in columns if c not in (period, value, denominator) and _mostly_numbers(
                [str(r.get(c) or "").strip() for r in sample[:50]]
            )
        ]  # fmt: skip
        if not value and numeric:
            value = numeric.pop(0)
        if not denominator and numeric and measure.takes_denominator:
            denominator = numeric.pop(0)
    events = value == "" and period != ""
    # One row per event with a yes/no column: for a percentage chart, the share of yes.
    outcome = (
        next((c for c in columns if c != period and _mostly(_texts(sample, c), _is_yes_no)), "")
        if events and sample
        else ""
    )
    share = bool(outcome) and measure.chart in ("p", "pp")
    return {
        "layout": "events" if events else "periods",
        "period": period,
        "value": value,
        "denominator": denominator if measure.takes_denominator else "",
        "group": "month",
        "aggregate": "proportion" if share else "count",
        "outcome": outcome,
    }


def _texts(sample: list[dict[str, Any]], column: str) -> list[str]:
    return [str(r.get(column) or "").strip() for r in sample[:50]]


def _mostly(texts: list[str], test: Callable[[str], bool]) -> bool:
    filled = [t for t in texts if t]
    return bool(filled) and sum(test(t) for t in filled) >= 0.8 * len(filled)


def _is_date(text: str) -> bool:
    return parse_period(text) is not None


def _is_yes_no(text: str) -> bool:
    return text.lower() in YES | NO


def _mostly_numbers(texts: list[str]) -> bool:
    """Most values are numbers: a column of counts with the odd typo still counts as numeric."""
    filled = [t for t in texts if t]
    return bool(filled) and sum(parse_number(t) is not None for t in filled) >= 0.8 * len(filled)


def _line_numbers(frame: pl.DataFrame) -> pl.Series:
    return pl.Series("line", range(2, frame.height + 2))  # line 1 is the header


def _read_cells(column: pl.Series, read: Callable[[str], Any], dtype: Any) -> pl.Series:
    """A column read cell by cell by one of `data`'s parsers, each distinct text once (a file
    of a million events has far fewer distinct dates), so events and periods read alike."""
    texts = column.cast(pl.String).fill_null("")
    distinct = texts.unique()
    read_back = pl.Series([read(t) for t in distinct.to_list()], dtype=dtype)
    return texts.replace_strict(distinct, read_back, return_dtype=dtype)


def check_mapping(measure: Measure, imp: DataImport, mapping: dict[str, str]) -> list[str]:
    """Problems with the mapping itself (before any row is read)."""
    cols = set(imp.columns)
    problems = []
    if mapping.get("period") not in cols:
        problems.append("Choose the column that holds the date of each row.")
    else:
        order = imp.date_orders.get(mapping["period"], {})
        if problem := date_problem(mapping["period"], order, mapping.get("date_order", "")):
            problems.append(problem)
    layout = mapping.get("layout")
    if layout == "periods":
        if mapping.get("value") not in cols:
            problems.append("Choose the column that holds the value.")
        if measure.needs_denominator and mapping.get("denominator") not in cols:
            problems.append(f"A {measure.get_chart_display()} needs a denominator column.")
    elif layout == "events":
        agg = mapping.get("aggregate")
        if agg not in AGGREGATES:
            problems.append("Choose what to compute for each period.")
        if mapping.get("group") not in ("week", "month"):
            problems.append("Choose weeks or months.")
        if agg == "proportion" and mapping.get("outcome") not in cols:
            problems.append("Choose the yes/no outcome column.")
        if agg in ("mean", "median", "sum") and mapping.get("value") not in cols:
            problems.append("Choose the number column to average or total.")
        if measure.needs_denominator and agg != "proportion":
            problems.append(
                f"A {measure.get_chart_display()} needs a denominator per period, which a count "
                "of events alone cannot give. Use 'share of rows whose outcome is yes', or upload "
                "one row per period with the denominator."
            )
        if agg == "proportion" and not measure.takes_denominator:
            problems.append(
                f"A share of rows needs a chart with a denominator; this measure uses a "
                f"{measure.get_chart_display()}."
            )
    else:
        problems.append("Choose whether each row is a period or an event.")
    return problems


def rows_from_periods(frame: pl.DataFrame, mapping: dict[str, str]) -> list[Row]:
    period = frame[mapping["period"]].fill_null("").to_list()
    value = frame[mapping["value"]].fill_null("").to_list()
    den_col = mapping.get("denominator") or ""
    den = frame[den_col].fill_null("").to_list() if den_col else [""] * frame.height
    return [
        Row(line=i + 2, period_in=p, value_in=v, denominator_in=d)
        for i, (p, v, d) in enumerate(zip(period, value, den, strict=True))
    ]


def aggregate_events(
    frame: pl.DataFrame, mapping: dict[str, str], *, day_first: bool = True
) -> tuple[list[Point], list[tuple[int, str]]]:
    """Events to one point per week or month, and every bad row's problem (dates and numbers
    read by the same parsers as every other way in, slash dates in the order `day_first`)."""
    pcol, agg = mapping["period"], mapping["aggregate"]

    def read(text: str) -> Any:
        return parse_period(text, day_first=day_first)

    frame = frame.with_columns(_read_cells(frame[pcol], read, pl.Date).alias("_date"))
    exprs = [
        _line_numbers(frame),
        pl.col(pcol).fill_null("").alias("_ptext"),
        pl.col("_date"),
    ]
    if agg == "proportion":
        flag = pl.col(mapping["outcome"]).fill_null("").str.strip_chars().str.to_lowercase()
        exprs += [
            flag.alias("_ftext"),
            pl.when(flag.is_in(list(YES)))
            .then(1)
            .when(flag.is_in(list(NO)))
            .then(0)
            .otherwise(None)
            .alias("_flag"),
        ]
    if agg in ("mean", "median", "sum"):
        frame = frame.with_columns(
            _read_cells(frame[mapping["value"]], parse_number, pl.Float64).alias("_value")
        )
        exprs += [
            pl.col(mapping["value"]).fill_null("").str.strip_chars().alias("_vtext"),
            pl.col("_value"),
        ]
    data = frame.select(exprs)
    errors: list[tuple[int, str]] = []
    bad_date = data.filter(pl.col("_date").is_null())
    for line, text in bad_date.select("line", "_ptext").iter_rows():
        errors.append(
            (line, "The date is empty." if not text.strip() else
             f"'{text}' is not a date. {PERIOD_FORMATS}")
        )  # fmt: skip
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if agg == "proportion":
        for line, text in (
            data.filter(pl.col("_flag").is_null()).select("line", "_ftext").iter_rows()
        ):
            errors.append((line, f"'{text}' in the outcome column is not yes or no."))
    if agg in ("mean", "median", "sum"):
        bad = data.filter(pl.col("_value").is_null())
        for line, text in bad.select("line", "_vtext").iter_rows():
            errors.append(
                (line, "The number is empty." if not text else f"'{text}' is not a number.")
            )
    if errors:
        errors.sort(key=lambda e: e[0])  # by line, date problems first within a line
        return [], errors
    every = "1w" if mapping["group"] == "week" else "1mo"
    grouped = data.with_columns(pl.col("_date").dt.truncate(every).alias("_period"))
    if agg == "count":
        out = grouped.group_by("_period").agg(pl.len().cast(pl.Float64).alias("v"))
        out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias("d"))
    elif agg == "proportion":
        out = grouped.group_by("_period").agg(
            pl.col("_flag").sum().cast(pl.Float64).alias("v"), pl.len().cast(pl.Float64).alias("d")
        )
    else:
        fn = {"mean": pl.col("_value").mean(), "median": pl.col("_value").median(),
              "sum": pl.col("_value").sum()}[agg]  # fmt: skip
        out = grouped.group_by("_period").agg(fn.alias("v"))
        out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias("d"))
    out = out.sort("_period")
    return [Point(p, v, d) for p, v, d in out.select("_period", "v", "d").iter_rows()], []


Progress = Callable[[int, int], None]


def process(imp: DataImport, progress: Progress | None = None) -> DataImport:
    """Check every row and save all of it, or nothing; record the outcome on the import."""
    measure = imp.measure
    mapping = imp.mapping

    def step(percent: int, done: int = 0) -> None:
        if progress:
            progress(percent, done)

    step(5)
    frame = read_frame(imp.filename, bytes(imp.data))
    frame.columns = [str(c).strip() for c in frame.columns]
    step(25)
    errors: list[tuple[int, str]]
    # The order read from the whole column now (the same rule the mapping form used).
    order = _column_order(frame[mapping["period"]], _line_numbers(frame)).as_json()
    if order.get("order"):
        # Kept for the mapping form (an upload made before the orders were stored asks too).
        imp.date_orders = {**imp.date_orders, mapping["period"]: order}
    chosen = mapping.get("date_order", "")
    first = day_first(order, chosen)
    rows: list[Row] = []
    if problem := date_problem(mapping["period"], order, chosen):
        errors = [(0, problem)]
    elif mapping["layout"] == "events":
        points, errors = aggregate_events(frame, mapping, day_first=first)
        rows = [Row(line=i + 1, period_in=p.period, point=p) for i, p in enumerate(points)]
        if not errors:
            # The aggregated points are checked as points: nothing is written out to be re-read.
            bad = check_rows(measure, rows, line_word="period")
            errors = [(0, f"{r.period_text}: {' '.join(r.errors)}") for r in bad]
    else:
        rows = rows_from_periods(frame, mapping)
        step(40)
        bad = check_rows(measure, rows, day_first=first)
        errors = [(r.line, " ".join(r.errors)) for r in bad]
    step(70, frame.height)
    if errors:
        imp.status = DataImport.Status.FAILED
        imp.errors = [list(e) for e in errors[:MAX_REPORTED_ERRORS]]
        imp.summary = {"bad_rows": len(errors)}
    else:
        saved = record_data(measure, [r.point for r in rows if r.point is not None])
        imp.status = DataImport.Status.APPLIED
        imp.errors = []
        imp.data = b""  # saved as points now; the file need not be kept
        imp.summary = {"created": saved.created, "updated": saved.updated, "points": len(rows)}
    imp.progress = 100
    imp.rows_done = frame.height
    imp.finished_at = timezone.now()
    fields = ["status", "errors", "summary", "progress", "rows_done", "finished_at", "date_orders"]
    imp.save(update_fields=[*fields, "data"] if not imp.data else fields)
    return imp


# Never rewrite the stored file when only the mapping or the state changes.
_MAPPING_FIELDS = ["mapping", "errors", "summary", "status", "progress", "touched_at"]

STOPPED = (
    "The work on this file stopped before it finished (the background worker was probably "
    "restarted). Nothing from the file was saved. Check the mapping and try again, or discard it."
)
NO_WORKER = (
    "No background worker has picked this file up, so nothing from it was saved. Ask your "
    "administrator to start the task worker (docs/deploy.md, 'Background tasks'), then try again."
)


def fail_if_stale(imp: DataImport) -> DataImport:
    """Mark an import whose work has stopped as failed, with what happened, so it can be
    retried or discarded instead of showing "Checking and saving… 70 %" for ever.

    Saving is one transaction, so work that stopped saved nothing; when work has stopped is
    `core.stale_work.stalled`'s rule, shared with staff imports."""
    if imp.status not in (DataImport.Status.QUEUED, DataImport.Status.RUNNING):
        return imp
    now = timezone.now()
    stall = stalled(
        queued=imp.status == DataImport.Status.QUEUED,
        last_sign=imp.touched_at or imp.created_at,
        now=now,
    )
    if stall is None:
        return imp
    message = NO_WORKER if stall == "no worker" else STOPPED
    # Only if nothing moved since this was read: a worker that woke up meanwhile wins.
    DataImport.objects.filter(pk=imp.pk, status=imp.status, touched_at=imp.touched_at).update(
        status=DataImport.Status.FAILED,
        progress=100,
        errors=[],
        summary={"stopped": message},
        finished_at=now,
    )
    imp.refresh_from_db()
    return imp


def submit(imp: DataImport, mapping: dict[str, str]) -> DataImport:
    """Run a small file now; mark a big one queued, which the caller hands to the task worker
    (`tasks.run_import`) after commit (the page then shows its progress). The task calls
    `process`, so this module does not import the task."""
    imp.mapping = mapping
    imp.errors = []
    imp.summary = {}
    imp.touched_at = timezone.now()
    if imp.rows_total <= BACKGROUND_ROWS:
        imp.status = DataImport.Status.RUNNING
        imp.save(update_fields=_MAPPING_FIELDS)
        return process(imp)
    imp.status = DataImport.Status.QUEUED
    imp.progress = 0
    imp.save(update_fields=_MAPPING_FIELDS)
    return imp
