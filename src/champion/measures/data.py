"""Data points in one shape: the typed `Point`, the one period parser, and the checks.

Every way in (the data grid, CSV/XLSX uploads in both layouts, the REST API) turns its
input into `Point`s here: a period (a `datetime.date`, read by `parse_period` and by
nothing else), a value and a denominator or None. Each `Row` keeps what was given, the
point it became and what is wrong with it side by side, so every bad row is reported
with its line and a reason a person can act on. `save_points` only saves (all or
nothing, in one transaction); the service that called it refreshes the analysis
(`measures.services.record_data`).
"""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction

from champion.core import audit
from champion.measures.models import (
    COUNT_CHARTS,
    MAX_SUBGROUP,
    SAME_DAY_GAP,
    DataPoint,
    Measure,
)

#: Above this many changed points, save in bulk (the upload itself is the audit record).
AUDIT_EACH_UP_TO = 200

#: 31/01/2024 (or 31.01.2024), also with a time as UK exports write it (31/01/2024 08:15).
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")

PERIOD_FORMATS = "Write dates as 2024-01-31, 31/01/2024 or 2024-01 for a month."

#: A comma in a number only as a thousands separator (1,234 or 12,345.5): 12,5 is a decimal
#: comma, which is refused rather than read as 125.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+%?$")


class Problem(str):
    """What is wrong with a row, as a person reads it, with its `kind` (a short code) so an
    upload of many rows can count its bad rows by reason (`imports.ErrorGroups`). It is a
    string everywhere else: joined, shown, stored as JSON."""

    kind: str

    def __new__(cls, text: str, kind: str = "other") -> Problem:
        problem = super().__new__(cls, text)
        problem.kind = kind
        return problem


def decimal_comma(text: str) -> bool:
    """The text is a number written with a decimal comma (12,5 or 0,75), which is not read."""
    return bool(_DECIMAL_COMMA.match(text.strip())) and not _THOUSANDS.match(text.strip())


#: How many example lines a message about a column's date order quotes.
ORDER_EXAMPLES = 3


class Point(NamedTuple):
    """One period's data, typed: what is saved, whatever way it came in. For a T chart `value`
    is the days since the previous event, worked out from the events' dates when saved
    (`event_gaps`), None for the first event."""

    period: datetime.date
    value: float | None
    denominator: float | None = None


class Subgroup(NamedTuple):
    """One period of an X̄, R or S chart: its measurements (saved with their mean as the value)."""

    period: datetime.date
    values: tuple[float, ...]

    @property
    def value(self) -> float:
        return sum(self.values) / len(self.values)


def period_range() -> tuple[datetime.date, datetime.date]:
    """The periods a measure may hold (settings.DATE_YEAR_RANGE, the platform's one range):
    a year 1 or 9999 typed by mistake would stretch every chart, export and grid beyond use."""
    first, last = settings.DATE_YEAR_RANGE
    return datetime.date(first, 1, 1), datetime.date(last, 12, 31)


def parse_period(given: Any, *, day_first: bool = True) -> datetime.date | None:
    """`read_period` within `period_range()`; None when it is not a date or is outside."""
    period = read_period(given, day_first=day_first)
    earliest, latest = period_range()
    return period if period is not None and earliest <= period <= latest else None


def read_period(given: Any, *, day_first: bool = True) -> datetime.date | None:
    """The one period reader. ISO dates (2024-01-31, also with a time as spreadsheets write
    them), 31/01/2024 or 31.01.2024 (also with a time), 2024-01 (a month: its first day), or
    a date already typed (a JSON client's or a spreadsheet's). None when it is not a date.

    Slash dates are day first (31/01/2024) unless `day_first` is False (01/31/2024): only an
    upload whose whole date column says so (`slash_date_order`) or whose uploader chose it
    reads them month first. Dotted dates (31.01.2024) are always day first."""
    if isinstance(given, datetime.datetime):
        return given.date()
    if isinstance(given, datetime.date):
        return given
    if not isinstance(given, str):
        return None
    text = given.strip()
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-" and text[10:11] in ("", " ", "T"):
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            return None
    m = _DMY.match(text)
    if m:
        day, month = (m[1], m[2]) if day_first or "/" not in text else (m[2], m[1])
        try:
            return datetime.date(int(m[3]), int(month), int(day))
        except ValueError:
            return None
    m = _YM.match(text)
    if m:
        try:
            return datetime.date(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class DateOrder:
    """What a column's slash dates say about their order, with example (line, text) pairs.

    `order` is "day" (some first part is above 12: 31/01/2024), "month" (some second part is
    above 12: 01/31/2024), "mixed" (both are seen: the column is inconsistent), "ambiguous"
    (every slash date could be read either way: 01/02/2024) or "" (no slash dates that could
    be either: 31/31/2024 is no date at all and is reported as such)."""

    either_way: int = 0
    day_first: tuple[tuple[int, str], ...] = ()
    month_first: tuple[tuple[int, str], ...] = ()

    @property
    def order(self) -> str:
        if self.day_first and self.month_first:
            return "mixed"
        if self.day_first:
            return "day"
        if self.month_first:
            return "month"
        return "ambiguous" if self.either_way else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "day_first": [list(e) for e in self.day_first],
            "month_first": [list(e) for e in self.month_first],
        }


def slash_date_order(cells: Iterable[tuple[int, Any]]) -> DateOrder:
    """Read the order of a whole column's slash dates from (line, cell) pairs: a first part
    above 12 means day first, a second part above 12 means month first (a cell with both
    above 12 is no date either way and says nothing). The one home of the rule."""
    count = 0
    day: list[tuple[int, str]] = []
    month: list[tuple[int, str]] = []
    for line, cell in cells:
        if not isinstance(cell, str) or "/" not in cell:
            continue
        m = _DMY.match(cell.strip())
        if not m:
            continue
        first, second = int(m[1]), int(m[2])
        count += int(first <= 12 and second <= 12)
        if 12 < first <= 31 and second <= 12 and len(day) < ORDER_EXAMPLES:
            day.append((line, cell.strip()))
        elif 12 < second <= 31 and first <= 12 and len(month) < ORDER_EXAMPLES:
            month.append((line, cell.strip()))
    return DateOrder(count, tuple(day), tuple(month))


def mixed_order_message(column: str, order: dict[str, Any]) -> str:
    """Say that a date column mixes both orders, quoting lines of each."""

    def lines(examples: list[list[Any]]) -> str:
        return ", ".join(f"line {line} '{text}'" for line, text in examples)

    return (
        f"The dates in '{column}' are written both ways: day first ({lines(order['day_first'])}) "
        f"and month first ({lines(order['month_first'])}). Write every date the same way "
        "(2024-01-31 is never ambiguous) and upload the file again."
    )


def parse_number(given: Any) -> float | None:
    """A number as people type it ('1,234', ' 12.5 ', '85%') or as JSON sends it; None when it
    is not a finite number (a JSON true is not a number, though Python thinks so)."""
    if isinstance(given, bool):
        return None
    if isinstance(given, int | float):
        value = float(given)
        return value if math.isfinite(value) else None
    if not isinstance(given, str):
        return None
    cleaned = given.strip().replace("\u00a0", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].rstrip()
    if "," in cleaned:
        if not _THOUSANDS.match(cleaned):
            return None  # a decimal comma (12,5) or stray commas: never guess 125
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _blank(given: Any) -> bool:
    return given is None or (isinstance(given, str) and not given.strip())


def _shown(given: Any) -> str:
    """A given cell as a person reads it back (the grid's inputs, the error messages)."""
    if given is None:
        return ""
    if isinstance(given, bool):
        return str(given).lower()
    return str(given)


@dataclass
class Row:
    """One row as given (text from the grid or a file, JSON values from the API), the point
    it became, and what is wrong with it: errors stay beside the points."""

    line: int
    period_in: Any = ""
    value_in: Any = ""
    denominator_in: Any = ""
    #: A subgroup chart's measurements as given (one cell each; blanks are skipped).
    values_in: list[Any] = field(default_factory=list)
    point: Point | Subgroup | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def period_text(self) -> str:
        return _shown(self.period_in)

    @property
    def value_text(self) -> str:
        return _shown(self.value_in)

    @property
    def denominator_text(self) -> str:
        return _shown(self.denominator_in)

    @property
    def values_text(self) -> list[str]:
        return [_shown(v) for v in self.values_in]

    @property
    def blank(self) -> bool:
        return (
            _blank(self.value_in)
            and _blank(self.denominator_in)
            and all(_blank(v) for v in self.values_in)
        )


def subgroup_columns(post: Any) -> int:
    """How many measurement columns the posted subgroup grid has (1 to MAX_SUBGROUP)."""
    try:
        return max(1, min(int(post.get("columns", "0") or 0), MAX_SUBGROUP))
    except ValueError:
        return 1


def grid_rows(
    post: Any, measure: Measure | None = None
) -> tuple[list[Row], list[str], list[Row], list[datetime.date]]:
    """The data grid's rows as posted: all rows, their original periods, the rows to save, and
    the periods to delete (a cleared value deletes its point; a changed date moves it).

    A subgroup chart's grid has `columns` measurement cells per row (`sub-<k>-<row>`); a T
    chart's grid has only the event dates (a cleared date deletes the event)."""
    columns = subgroup_columns(post) if measure is not None and measure.subgroups else 0
    dates_only = measure is not None and measure.from_event_dates
    try:
        count = min(int(post.get("rows", "0") or 0), 5000)
    except ValueError:
        count = 0
    rows: list[Row] = []
    originals: list[str] = []
    keep: list[Row] = []
    deleted: list[datetime.date] = []
    for i in range(count):
        row = Row(
            line=i + 1,
            period_in=post.get(f"period-{i}", ""),
            value_in=post.get(f"value-{i}", ""),
            denominator_in=post.get(f"denominator-{i}", ""),
            values_in=[post.get(f"sub-{k}-{i}", "") for k in range(columns)],
        )
        original = post.get(f"original-{i}", "")
        rows.append(row)
        originals.append(original)
        blank = _blank(row.period_in) if dates_only else row.blank
        # Unbounded: a point stored before the range was enforced can still be removed.
        was = read_period(original) if original else None
        if was is not None and (blank or row.period_text.strip() != original):
            deleted.append(was)
        if not blank:
            keep.append(row)
    return rows, originals, keep, deleted


def _problems(
    measure: Measure, value: float | None, denominator: float | None, *, given: bool, text: str = ""
) -> list[str]:
    """What is wrong with a value and denominator for this measure's chart (`given`: a
    denominator was given, `text` as it was written, for the message when it did not read)."""
    chart = measure.chart
    label = _value_label(measure)
    problems: list[str] = []
    if value is not None:
        if chart in COUNT_CHARTS and value < 0:
            problems.append(
                Problem(f"The {label} counts events, so it cannot be negative.", "negative")
            )
        elif chart == "t" and value <= 0:
            problems.append(Problem("The days between events must be above zero.", "negative"))
    if given:
        if not measure.takes_denominator:
            problems.append(
                Problem(
                    f"A {measure.get_chart_display()} uses no denominator; leave it empty.",
                    "denominator-unused",
                )
            )
        elif denominator is None:
            problems.append(
                Problem(
                    f"'{text}' in the denominator column is not a number.{_comma_hint(text)}",
                    "decimal-comma" if decimal_comma(text) else "denominator-not-number",
                )
            )
        elif denominator <= 0:
            problems.append(Problem("The denominator must be above zero.", "denominator-zero"))
        elif chart in ("p", "pp") and value is not None and value > denominator:
            problems.append(
                Problem(
                    f"The numerator {value:g} is above its denominator {denominator:g}: "
                    "a percentage cannot be over 100%. Check the two are not swapped.",
                    "over-denominator",
                )
            )
    elif measure.needs_denominator:
        problems.append(
            Problem(f"A {measure.get_chart_display()} needs a denominator.", "denominator-empty")
        )
    return problems


def _comma_hint(text: str) -> str:
    """The sentence added when a number was written with a decimal comma."""
    if not decimal_comma(text):
        return ""
    return f" Write decimals with a point: {text.strip().replace(',', '.')}."


def _value_label(measure: Measure) -> str:
    return "numerator" if measure.chart in ("p", "pp") else "value"


def check_rows(
    measure: Measure,
    rows: Sequence[Row],
    *,
    line_word: str = "line",
    day_first: bool = True,
    seen: dict[datetime.date, int] | None = None,
) -> list[Row]:
    """Read each row into its point, or its errors; returns the bad rows.

    A row that already holds its point (events aggregated from a file) is only checked,
    never turned back into text to be read again. `seen` (period to its first line) carries
    the repeated-period check across calls when a long file is checked a part at a time."""
    seen = {} if seen is None else seen
    read: dict[Any, datetime.date | None] = {}  # each distinct date text parsed once
    label = _value_label(measure)
    for row in rows:
        row.errors = []
        period: datetime.date | None
        value: float | None
        denominator: float | None
        values: tuple[float, ...] | None = None
        if isinstance(row.point, Subgroup):
            period, values = row.point
            value, denominator, given = None, None, False
        elif row.point is not None:  # already typed: check it, never write it out and re-read it
            period, value, denominator = row.point
            given = denominator is not None
        else:
            period = _read_period(row, day_first, read)
        if period is not None and not measure.from_event_dates:  # a T chart: events share days
            if period in seen:
                row.errors.append(
                    Problem(
                        f"The period {period.isoformat()} appears twice (also on {line_word} "
                        f"{seen[period]}); give one row per period.",
                        "repeat",
                    )
                )
            else:
                seen[period] = row.line
        if measure.subgroups:
            if row.point is None:
                values = _read_subgroup(row)
            elif values is None:
                row.errors.append(
                    Problem(
                        "An X̄, R or S chart needs the measurements of each period.", "no-values"
                    )
                )
            else:
                row.errors += _subgroup_problems(values)
            if period is not None and values is not None and not row.errors:
                row.point = Subgroup(period, values)
            continue
        if measure.from_event_dates and row.point is None and _blank(row.value_in):
            # The days since the previous event are worked out from the dates when saved.
            if period is not None and not row.errors:
                row.point = Point(period, None)
            continue
        if row.point is None:
            value, denominator = _read_numbers(row, label)
            given = not _blank(row.denominator_in)
        row.errors += _problems(
            measure, value, denominator, given=given, text=row.denominator_text.strip()
        )
        if row.point is None and period is not None and value is not None and not row.errors:
            row.point = Point(period, value, denominator)
    return [r for r in rows if r.errors]


def _read_subgroup(row: Row) -> tuple[float, ...] | None:
    """A subgroup's measurements from its cells (blank cells skipped), or errors beside the row."""
    given = [v for v in row.values_in if not _blank(v)]
    if not given and not _blank(row.value_in):
        given = [row.value_in]  # one value column (an upload in the long layout, the API)
    values = [parse_number(v) for v in given]
    bad = [_shown(v) for v, number in zip(given, values, strict=True) if number is None]
    if bad:
        row.errors.append(
            Problem(
                "Not a number: " + ", ".join(f"'{b}'" for b in bad) + ". Write each measurement "
                "as a number, e.g. 12.5.",
                "decimal-comma" if any(decimal_comma(b) for b in bad) else "value-not-number",
            )
        )
        return None
    numbers = tuple(v for v in values if v is not None)
    row.errors += _subgroup_problems(numbers)
    return numbers


def _subgroup_problems(values: Sequence[float]) -> list[str]:
    if len(values) < 2:
        return [
            Problem(
                f"A subgroup needs at least 2 measurements; this period has {len(values)}. "
                "With one measurement per period, use an I chart.",
                "subgroup-small",
            )
        ]
    if len(values) > MAX_SUBGROUP:
        return [
            Problem(
                f"A subgroup holds at most {MAX_SUBGROUP} measurements; this one has "
                f"{len(values)}.",
                "subgroup-big",
            )
        ]
    return []


def _read_period(
    row: Row, day_first: bool = True, read: dict[Any, datetime.date | None] | None = None
) -> datetime.date | None:
    """The row's period read by the one parser, or an error beside the row (`read`: the texts
    already parsed by this check, so a long file's repeated dates are parsed once)."""
    given = row.period_in
    if read is not None and isinstance(given, str):
        if given not in read:
            read[given] = parse_period(given, day_first=day_first)
        period = read[given]
    else:
        period = parse_period(given, day_first=day_first)
    if _blank(row.period_in):
        row.errors.append(Problem("The period (date) is empty.", "date-empty"))
    elif period is None and read_period(row.period_in) is not None:
        first, last = settings.DATE_YEAR_RANGE
        row.errors.append(
            Problem(
                f"'{row.period_text}' is outside the range: periods run from {first} to {last}.",
                "date-range",
            )
        )
    elif period is None:
        row.errors.append(
            Problem(f"'{row.period_text}' is not a date. {PERIOD_FORMATS}", "date-not-date")
        )
    return period


def _read_numbers(row: Row, label: str) -> tuple[float | None, float | None]:
    """The row's value (or an error beside it) and denominator (its problems are said with
    the chart's other denominator rules)."""
    value = parse_number(row.value_in)
    if _blank(row.value_in):
        row.errors.append(Problem(f"The {label} is empty.", "value-empty"))
    elif value is None:
        text = row.value_text.strip()
        row.errors.append(
            Problem(
                f"'{row.value_text}' in the {label} column is not a number.{_comma_hint(text)}",
                "decimal-comma" if decimal_comma(text) else "value-not-number",
            )
        )
    denominator = None if _blank(row.denominator_in) else parse_number(row.denominator_in)
    return value, denominator


@dataclass(frozen=True)
class Saved:
    """What `save_points` changed: counts, and the earliest period touched (None if nothing)."""

    created: int
    updated: int
    deleted: int
    earliest: datetime.date | None

    @property
    def changed(self) -> bool:
        return self.earliest is not None


def save_points(
    measure: Measure, points: Iterable[Point | Subgroup], *, delete: Iterable[datetime.date] = ()
) -> Saved:
    """Create or update points by period and delete others, in one transaction; nothing else.

    The caller has checked every point, and refreshes the analysis afterwards
    (`services.record_data` does both)."""
    points = [p if isinstance(p, Subgroup) else Point(*p) for p in points]
    delete = list(delete)
    if measure.from_event_dates:
        return _save_events(measure, points, delete)
    with transaction.atomic():
        existing = {
            p.period: p
            for p in measure.data_points.filter(period__in=[p.period for p in points] + delete)
        }
        new: list[DataPoint] = []
        changed: list[DataPoint] = []
        for given in points:
            period, value = given.period, given.value
            denominator = None if isinstance(given, Subgroup) else given.denominator
            stored = list(given.values) if isinstance(given, Subgroup) else None
            point = existing.get(period)
            if point is None:
                new.append(
                    DataPoint(measure=measure, period=period, value=value,
                              denominator=denominator, values=stored)
                )  # fmt: skip
            elif (
                point.value != value or point.denominator != denominator or (point.values != stored)
            ):
                point.value, point.denominator, point.values = value, denominator, stored
                changed.append(point)
        gone = [existing[d] for d in delete if d in existing]
        if len(new) + len(changed) + len(gone) <= AUDIT_EACH_UP_TO:
            for point in [*new, *changed]:
                point.save()  # one audit event each
            for point in gone:
                point.delete()
        else:
            DataPoint.objects.bulk_create(new, batch_size=1000)
            DataPoint.objects.bulk_update(
                changed, ["value", "denominator", "values"], batch_size=1000
            )
            audit.delete_rows(
                DataPoint.objects.filter(pk__in=[p.pk for p in gone]),
                of=measure,
                label="data points",
            )
        touched = [p.period for p in (*new, *changed, *gone)]
        if measure.from_event_dates and touched:
            touched += event_gaps(measure)
    return Saved(len(new), len(changed), len(gone), min(touched) if touched else None)


def _save_events(
    measure: Measure, points: Sequence[Point | Subgroup], delete: Sequence[datetime.date]
) -> Saved:
    """A T chart's events: the rows given for a date are that date's events (two rows, two
    events on one day); a deleted date not given again loses its events. Their values (the
    days between) are worked out afterwards (`event_gaps`)."""
    wanted = Counter(p.period for p in points)
    for day in delete:
        wanted.setdefault(day, 0)
    with transaction.atomic():
        existing: dict[datetime.date, list[DataPoint]] = {}
        for point in measure.data_points.filter(period__in=list(wanted)).order_by("period", "seq"):
            existing.setdefault(point.period, []).append(point)
        new: list[DataPoint] = []
        gone: list[DataPoint] = []
        for day, count in wanted.items():
            have = existing.get(day, [])
            gone += have[count:]
            next_seq = max((p.seq for p in have), default=-1) + 1
            new += [
                DataPoint(measure=measure, period=day, seq=next_seq + k)
                for k in range(count - len(have))
            ]
        if len(new) + len(gone) <= AUDIT_EACH_UP_TO:
            for point in gone:
                point.delete()  # one audit event each
            for point in new:
                point.save()
        else:
            audit.delete_rows(
                DataPoint.objects.filter(pk__in=[p.pk for p in gone]),
                of=measure,
                label="data points",
            )
            DataPoint.objects.bulk_create(new, batch_size=1000)
        touched = [p.period for p in (*new, *gone)]
        if touched:
            touched += event_gaps(measure)
    return Saved(len(new), 0, len(gone), min(touched) if touched else None)


def event_gaps(measure: Measure) -> list[datetime.date]:
    """Work a T chart's values out from its events' dates: each event's value is the days since
    the event before it; the first event starts the count (None). Returns the periods whose
    value changed (an event added between two others changes the gap after it). Two events on
    one date are `SAME_DAY_GAP` apart (the engine needs a time above zero). Other charts'
    values are what people typed: left alone."""
    if not measure.from_event_dates:
        return []
    points = list(measure.data_points.order_by("period", "seq"))
    changed: list[DataPoint] = []
    previous: datetime.date | None = None
    for point in points:
        gap = None if previous is None else float((point.period - previous).days)
        if gap == 0:
            gap = SAME_DAY_GAP
        previous = point.period
        if point.value != gap:
            point.value = gap
            changed.append(point)
    DataPoint.objects.bulk_update(changed, ["value"], batch_size=1000)
    return [p.period for p in changed]
