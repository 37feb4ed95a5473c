"""Uploading a CSV/XLSX file of data for a measure: preview, column mapping, checks, saving.

Two layouts. *Periods*: one row per period with a date, a value and perhaps a
denominator. *Events*: one row per event or patient with a date (and perhaps a
yes/no outcome or a measurement), counted or averaged per week or month here.
Files whose columns look like patient identifiers are refused before anything is
stored. Nothing is saved unless all rows are good. Bad rows are grouped by reason while
they are checked (`ErrorGroups`: a count and the first lines of each reason, and the
first `MAX_REPORTED_ERRORS` bad rows in detail), so a file of 200,000 bad rows keeps a
few hundred examples, never 200,000 errors; each reason comes with its likely fix
(`reasons`). Big files are processed by a background task that reports its progress on
the import.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.utils import timezone

from champion.core.identifiers import explain, find_identifiers
from champion.core.stale_work import stalled
from champion.core.tabular import TableError, find_column, read_frame
from champion.core.words import quoted
from champion.measures.data import (
    PERIOD_FORMATS,
    Point,
    Problem,
    Row,
    check_rows,
    decimal_comma,
    mixed_order_message,
    parse_number,
    parse_period,
    read_period,
    slash_date_order,
)
from champion.measures.models import COUNT_CHARTS, DataImport, Measure
from champion.measures.services import record_data

PREVIEW_ROWS = 8
#: Files with more rows than this are processed in the background, with progress.
BACKGROUND_ROWS = 20_000
#: The bad rows kept in detail (line and reason) for the page's list and its download.
MAX_REPORTED_ERRORS = 2_000
#: The example lines kept for each reason.
EXAMPLES = 5
#: Rows read and checked at a time: a long file never holds all its rows as `Row`s at once.
CHUNK = 10_000
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
    else:
        numeric = []
    if measure.subgroups or measure.from_event_dates:
        # Each row is a period's measurement(s) or an event's date: never events to count.
        return {
            "layout": "periods", "period": period,
            "value": value if measure.subgroups else "", "denominator": "",
            # A wide file: the other number columns are the period's other measurements.
            "more_values": "\n".join(numeric) if measure.subgroups else "",
            "group": "month", "aggregate": "count", "outcome": "",
        }  # fmt: skip
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
    more = [c for c in (mapping.get("more_values") or "").split("\n") if c]
    if more and not measure.subgroups:
        problems.append("Only an X̄, R or S chart takes several measurement columns.")
    elif any(c not in cols for c in more):
        problems.append("Some of the measurement columns chosen are not in the file.")
    if (measure.subgroups or measure.from_event_dates) and layout == "events":
        problems.append(
            "For this chart each row is one period's measurement(s) or one event's date: "
            "choose 'one period'."
        )
    elif layout == "periods":
        if measure.from_event_dates:
            pass  # the date of each event is all a T chart needs
        elif mapping.get("value") not in cols:
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


def rows_from_subgroups(
    frame: pl.DataFrame, mapping: dict[str, str], *, day_first: bool = True
) -> list[Row]:
    """An X̄, R or S chart's file as one row per period: long (one row per measurement, rows
    sharing a date are one subgroup) or wide (several measurement columns), or both. A row
    whose date does not read stays a row of its own, so its error names its line."""
    columns = [mapping["value"], *[c for c in (mapping.get("more_values") or "").split("\n") if c]]
    periods = frame[mapping["period"]].fill_null("").to_list()
    cells = [frame[c].fill_null("").to_list() for c in columns]
    rows: list[Row] = []
    by_period: dict[Any, Row] = {}
    for i, given in enumerate(periods):
        values = [column[i] for column in cells]
        period = parse_period(given, day_first=day_first) if isinstance(given, str) else given
        if period is None or not isinstance(period, datetime.date):
            rows.append(Row(line=i + 2, period_in=given, values_in=values))
            continue
        row = by_period.get(period)
        if row is None:
            row = by_period[period] = Row(line=i + 2, period_in=period, values_in=[])
            rows.append(row)
        row.values_in += values
    return rows


def rows_from_periods(
    frame: pl.DataFrame, mapping: dict[str, str], *, offset: int = 0
) -> list[Row]:
    """One `Row` per row of the frame; `offset` is how many rows of the file came before it."""
    period = frame[mapping["period"]].fill_null("").to_list()
    if not mapping.get("value"):  # a T chart: the dates of the events alone
        return [Row(line=offset + i + 2, period_in=p) for i, p in enumerate(period)]
    value = frame[mapping["value"]].fill_null("").to_list()
    den_col = mapping.get("denominator") or ""
    den = frame[den_col].fill_null("").to_list() if den_col else [""] * frame.height
    return [
        Row(line=offset + i + 2, period_in=p, value_in=v, denominator_in=d)
        for i, (p, v, d) in enumerate(zip(period, value, den, strict=True))
    ]


def aggregate_events(
    frame: pl.DataFrame,
    mapping: dict[str, str],
    *,
    day_first: bool = True,
    groups: ErrorGroups | None = None,
) -> tuple[list[Point], list[tuple[int, str]]]:
    """Events to one point per week or month, and the bad rows' problems, by line (dates and
    numbers read by the same parsers as every other way in, slash dates in the order
    `day_first`). Every bad row is counted by reason in `groups`; the first
    `MAX_REPORTED_ERRORS` of each reason are returned in detail."""
    groups = ErrorGroups() if groups is None else groups
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
    checks: list[tuple[pl.Expr, str, Callable[[str], Problem]]] = [
        (pl.col("_date").is_null(), "_ptext", _event_date_problem)
    ]
    if agg == "proportion":
        checks.append((pl.col("_flag").is_null(), "_ftext", _outcome_problem))
    if agg in ("mean", "median", "sum"):
        checks.append((pl.col("_value").is_null(), "_vtext", _number_problem))
    bad_any = pl.any_horizontal([check for check, _, _ in checks])
    bad_rows = data.filter(bad_any).height
    if bad_rows:
        errors: list[tuple[int, str]] = []
        for check, column, problem in checks:
            bad = data.filter(check).select("line", column)
            examples = [
                (line, problem(text)) for line, text in bad.head(MAX_REPORTED_ERRORS).iter_rows()
            ]
            if examples:
                groups.add_counted(examples[0][1].kind, bad.height, examples[:EXAMPLES])
                errors += examples
        errors.sort(key=lambda e: e[0])  # by line, date problems first within a line
        groups.add_detail(errors, bad_rows)
        return [], errors[:MAX_REPORTED_ERRORS]
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


def _event_date_problem(text: str) -> Problem:
    if not text.strip():
        return Problem("The date is empty.", "date-empty")
    if read_period(text) is not None:
        first, last = settings.DATE_YEAR_RANGE
        return Problem(
            f"'{text}' is outside the range: periods run from {first} to {last}.", "date-range"
        )
    return Problem(f"'{text}' is not a date. {PERIOD_FORMATS}", "date-not-date")


def _outcome_problem(text: str) -> Problem:
    return Problem(f"'{text}' in the outcome column is not yes or no.", "outcome-not-yes-no")


def _number_problem(text: str) -> Problem:
    if not text:
        return Problem("The number is empty.", "value-empty")
    if decimal_comma(text):
        return Problem(
            f"'{text}' is not a number. Write decimals with a point: {text.replace(',', '.')}.",
            "decimal-comma",
        )
    return Problem(f"'{text}' is not a number.", "value-not-number")


class ErrorGroups:
    """The bad rows of an upload counted by reason while they are checked: for each reason
    (a `Problem.kind`) the number of rows and the first `EXAMPLES` (line, problem); and the
    first `MAX_REPORTED_ERRORS` bad rows in detail. Never more, whatever the file's size."""

    def __init__(self) -> None:
        self.groups: dict[str, dict[str, Any]] = {}
        self.detail: list[tuple[int, str]] = []
        self.bad_rows = 0

    def add_row(self, line: int, problems: Iterable[str], prefix: str = "") -> None:
        """One bad row (line 0: a period made from events, named by `prefix`)."""
        problems = list(problems)
        self.bad_rows += 1
        if len(self.detail) < MAX_REPORTED_ERRORS:
            self.detail.append((line, prefix + " ".join(problems)))
        kinds = set()
        for problem in problems:
            kind = getattr(problem, "kind", "other")
            if kind in kinds:
                continue  # a row counts once per reason
            kinds.add(kind)
            group = self._group(kind)
            group["count"] += 1
            if len(group["examples"]) < EXAMPLES:
                group["examples"].append([line, prefix + str(problem)])

    def add_counted(self, kind: str, count: int, examples: Sequence[tuple[int, str]]) -> None:
        """Rows of one reason counted elsewhere (the events' checks, in the data frame)."""
        group = self._group(kind)
        group["count"] += count
        room = EXAMPLES - len(group["examples"])
        group["examples"] += [[line, str(text)] for line, text in examples[:room]]

    def add_detail(self, errors: Sequence[tuple[int, str]], bad_rows: int) -> None:
        self.detail += errors[: MAX_REPORTED_ERRORS - len(self.detail)]
        self.bad_rows += bad_rows

    def add_file_problem(self, message: str, kind: str) -> None:
        """A problem with the file as a whole (no row is to blame): said once, counted as none."""
        self._group(kind)["examples"].append([0, message])
        self.detail.append((0, message))

    def _group(self, kind: str) -> dict[str, Any]:
        return self.groups.setdefault(kind, {"kind": kind, "count": 0, "examples": []})

    def __bool__(self) -> bool:
        return bool(self.groups)

    def as_summary(self) -> dict[str, Any]:
        """What is stored on the import: the reasons, most rows first."""
        ordered = sorted(self.groups.values(), key=lambda g: (-g["count"], g["kind"]))
        return {"bad_rows": self.bad_rows, "groups": ordered}


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
    groups = ErrorGroups()
    # The order read from the whole column now (the same rule the mapping form used).
    order = _column_order(frame[mapping["period"]], _line_numbers(frame)).as_json()
    if order.get("order"):
        # Kept for the mapping form (an upload made before the orders were stored asks too).
        imp.date_orders = {**imp.date_orders, mapping["period"]: order}
    chosen = mapping.get("date_order", "")
    first = day_first(order, chosen)
    points: list[Point | Any] = []
    if problem := date_problem(mapping["period"], order, chosen):
        groups.add_file_problem(problem, "date-order")
    elif mapping["layout"] == "events":
        aggregated, _ = aggregate_events(frame, mapping, day_first=first, groups=groups)
        rows = [Row(line=i + 1, period_in=p.period, point=p) for i, p in enumerate(aggregated)]
        if not groups:
            # The aggregated points are checked as points: nothing is written out to be re-read.
            for r in check_rows(measure, rows, line_word="period"):
                groups.add_row(0, r.errors, prefix=f"{r.period_text}: ")
        points = [r.point for r in rows if r.point is not None]
    elif measure.subgroups:
        rows = rows_from_subgroups(frame, mapping, day_first=first)
        step(40)
        for r in check_rows(measure, rows, day_first=first):
            groups.add_row(r.line, r.errors)
        points = [r.point for r in rows if r.point is not None]
    else:
        # A part at a time: only the good points are kept (none once a row is bad), and the
        # bad rows only as counts and examples.
        seen: dict[datetime.date, int] = {}
        for start in range(0, frame.height, CHUNK):
            part = rows_from_periods(frame.slice(start, CHUNK), mapping, offset=start)
            for r in check_rows(measure, part, day_first=first, seen=seen):
                groups.add_row(r.line, r.errors)
            if not groups:
                points += [r.point for r in part if r.point is not None]
            else:
                points = []
            done = min(start + CHUNK, frame.height)
            step(25 + 45 * done // frame.height, done)
    step(70, frame.height)
    if groups:
        imp.status = DataImport.Status.FAILED
        imp.errors = [list(e) for e in groups.detail[:MAX_REPORTED_ERRORS]]
        imp.summary = groups.as_summary()
    else:
        saved = record_data(measure, points)
        imp.status = DataImport.Status.APPLIED
        imp.errors = []
        imp.data = b""  # saved as points now; the file need not be kept
        imp.summary = {"created": saved.created, "updated": saved.updated, "points": len(points)}
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


def error_rows(imp: DataImport) -> tuple[list[str], list[list[Any]]]:
    """The bad rows kept in detail (line, problem) with the file's cells on that line, when
    the file is still kept (a failed upload keeps it until it is discarded)."""
    columns: list[str] = []
    cells: dict[int, list[Any]] = {}
    lines = [int(line) for line, _ in imp.errors if line]
    if imp.data and lines:
        try:
            frame = read_frame(imp.filename, bytes(imp.data))
        except TableError:
            frame = None
        if frame is not None:
            columns = [str(c).strip() for c in frame.columns]
            picked = frame.with_row_index("_i").filter(pl.col("_i").is_in([n - 2 for n in lines]))
            for row in picked.iter_rows():
                cells[int(row[0]) + 2] = list(row[1:])
    rows = [[line, reason, *cells.get(int(line), [])] for line, reason in imp.errors]
    return ["line", "problem", *columns], rows


# What each reason is called on the page ("199,976 rows: the date repeats").
TITLES = {
    "repeat": "the date repeats (another row has the same period)",
    "date-empty": "the date is empty",
    "date-not-date": "the date cannot be read",
    "date-range": "the date is outside the years charts cover",
    "date-order": "the dates are not written one way",
    "value-empty": "the value is empty",
    "value-not-number": "the value is not a number",
    "decimal-comma": "a number is written with a decimal comma",
    "negative": "the value is below what this chart allows",
    "denominator-empty": "the denominator is missing",
    "denominator-not-number": "the denominator is not a number",
    "denominator-zero": "the denominator is zero or below",
    "denominator-unused": "a denominator is given but this chart takes none",
    "over-denominator": "the numerator is above its denominator",
    "outcome-not-yes-no": "the outcome is not yes or no",
    "subgroup-small": "a period has fewer than 2 measurements",
    "subgroup-big": "a period has too many measurements",
    "no-values": "a period has no measurements",
    "other": "other problems",
}

EVENTS_FIX = (
    "One row per event or patient (a fall, an admission)? Choose “one event or patient” under "
    "“Each row of the file is” above: the rows are then counted (or averaged) per week or month."
)
SUBGROUPS_FIX = (
    "Several measurements per period (one per patient or shift)? An X̄ and S chart takes them "
    "as subgroups: make a measure with that chart and upload the file there."
)
UNITS_FIX = "Several wards or units in one file? Upload each one's rows to its own measure."
SPREADSHEET_DATES = re.compile(r"^\d{5}(\.\d+)?$")  # 45292: a spreadsheet's day number
MONTH_NAMES = re.compile(r"[a-z]{3}", re.IGNORECASE)


@dataclass(frozen=True)
class Reason:
    """One reason bad rows failed, as the page says it: how many rows, which lines, examples
    and the likely fix."""

    kind: str
    count: int
    title: str
    lines: list[int]
    examples: list[str]
    fixes: list[str]

    @property
    def file_level(self) -> bool:
        return self.count == 0

    @property
    def more(self) -> bool:
        return self.count > len(self.lines)


def reasons(measure: Measure, imp: DataImport) -> list[Reason]:
    """The reasons the import failed, most rows first, each with its likely fix (an import
    stored before reasons were kept, or one whose task crashed, has none: its rows are shown)."""
    out = []
    for group in imp.summary.get("groups", []):
        kind = group["kind"]
        examples = [(int(line), str(text)) for line, text in group["examples"]]
        out.append(
            Reason(
                kind=kind,
                count=int(group["count"]),
                title=TITLES.get(kind, TITLES["other"]),
                lines=[line for line, _ in examples if line],
                examples=[f"Line {line}: {text}" if line else text for line, text in examples],
                fixes=fixes(kind, measure, imp, [text for _, text in examples]),
            )
        )
    return out


def _quoted(examples: list[str]) -> list[str]:
    """The cells quoted in the examples' messages ('…')."""
    return [m[1] for text in examples if (m := re.search(r"'([^']*)'", text))]


def fixes(kind: str, measure: Measure, imp: DataImport, examples: list[str]) -> list[str]:
    """The likely fixes for one reason, most likely first ([] when there is no likely one)."""
    mapping = imp.mapping
    cells = _quoted(examples)
    if kind == "repeat":
        if measure.from_event_dates:
            return [
                "A T chart takes one event per date. Several events on one day? Count events per "
                "week or month on a C chart instead."
            ]
        if measure.subgroups:
            return [UNITS_FIX]
        found = [EVENTS_FIX]
        if measure.chart not in COUNT_CHARTS:
            found.append(SUBGROUPS_FIX)
        return [*found, UNITS_FIX]
    if kind == "date-not-date":
        if cells and all(SPREADSHEET_DATES.match(c) for c in cells):
            return [
                "These look like a spreadsheet's day numbers (45292 is 1 January 2024): format "
                "the column as a date (yyyy-mm-dd) in the spreadsheet, save and upload again."
            ]
        if cells and all(parse_number(c) is not None for c in cells):
            return [
                f"The column chosen as the date ({quoted(mapping.get('period', ''))}) holds numbers: "
                "choose the date column above."
            ]
        found = [f"Dates in another format? {PERIOD_FORMATS}"]
        if any(MONTH_NAMES.search(c) for c in cells):
            found.append("Month names are not read: write 2024-01 for January 2024.")
        found.append("In a spreadsheet, format the date column as yyyy-mm-dd before saving.")
        return found
    if kind == "date-empty":
        return [
            "Often blank lines at the end of an export: delete them, or fill in the dates.",
        ]
    if kind == "date-range":
        return ["Check the year for a typing slip (2204 for 2024)."]
    if kind in ("value-not-number", "denominator-not-number"):
        column = mapping.get("value" if kind == "value-not-number" else "denominator", "")
        if cells and all(parse_period(c) is not None for c in cells):
            return [f"{quoted(column)} holds dates: choose the right column above."]
        return [
            "Write only the number: no units or words (12, not “12 mins”); leave a row out "
            "rather than writing n/a.",
            f"Is {quoted(column)} the right column? Change it above.",
        ]
    if kind == "decimal-comma":
        return [
            "Write decimals with a point (12.5, not 12,5): replace the commas in that column, "
            "or save the file from a spreadsheet set to a point as the decimal mark.",
        ]
    if kind == "value-empty":
        return ["Write 0 when nothing happened in a period; leave out periods with no data."]
    if kind == "over-denominator":
        return [
            "Are the value and denominator swapped? The value counts the events (for example "
            "hands washed), the denominator the opportunities (hands observed): change the "
            "mapping above.",
        ]
    if kind == "denominator-empty":
        return ["Choose the denominator column above, or fill in the empty cells."]
    if kind == "denominator-unused":
        return ["Choose “(none)” as the denominator above."]
    if kind == "denominator-zero":
        return ["A period with no opportunities has no rate: leave that row out."]
    if kind == "negative":
        return ["Look for minus signs, or differences worked out in the spreadsheet."]
    if kind == "outcome-not-yes-no":
        return [
            "Write the outcome as yes or no (y/n, true/false and 1/0 work too), or choose "
            "another outcome column above."
        ]
    if kind == "subgroup-small":
        return [
            "With one measurement per period, an I chart fits better. Or tick the other "
            "measurement columns above."
        ]
    if kind == "date-order":
        return []  # the message says what to do
    return []
