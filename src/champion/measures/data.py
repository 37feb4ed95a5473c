"""Checking and saving data points: one set of rules for the grid, uploads and the API.

Every bad row is reported with its line and a reason a person can act on, and
nothing is saved unless every row is good (all or nothing, in one transaction).
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from champion.measures.models import COUNT_CHARTS, DataPoint, Measure

#: Above this many changed points, save in bulk (the upload itself is the audit record).
AUDIT_EACH_UP_TO = 200

#: 31/01/2024, also with a time as UK exports write it (31/01/2024 08:15).
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_period(text: str) -> datetime.date | None:
    """ISO dates (2024-01-31, also with a time as spreadsheets write them), 31/01/2024 (also with
    a time), or 2024-01 (a month: its first day)."""
    text = text.strip()
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-" and text[10:11] in ("", " ", "T"):
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            return None
    m = _DMY.match(text)
    if m:
        try:
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    m = _YM.match(text)
    if m:
        try:
            return datetime.date(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
    return None


def parse_number(text: str) -> float | None:
    """A number as people type it ('1,234', ' 12.5 '); None when it is not one."""
    cleaned = text.strip().replace(",", "").replace("\u00a0", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass
class Row:
    """One row to save, as typed, with what it became and what is wrong with it."""

    line: int
    period_text: str
    value_text: str
    denominator_text: str = ""
    period: datetime.date | None = None
    value: float | None = None
    denominator: float | None = None
    errors: list[str] = field(default_factory=list)


def grid_rows(post: Any) -> tuple[list[Row], list[str], list[Row], list[datetime.date]]:
    """The data grid's rows as posted: all rows, their original periods, the rows to save, and
    the periods to delete (a cleared value deletes its point; a changed date moves it)."""
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
            period_text=post.get(f"period-{i}", ""),
            value_text=post.get(f"value-{i}", ""),
            denominator_text=post.get(f"denominator-{i}", ""),
        )
        original = post.get(f"original-{i}", "")
        rows.append(row)
        originals.append(original)
        blank = not row.value_text.strip() and not row.denominator_text.strip()
        was = parse_period(original) if original else None
        if was is not None and (blank or row.period_text.strip() != original):
            deleted.append(was)
        if not blank:
            keep.append(row)
    return rows, originals, keep, deleted


def check_rows(measure: Measure, rows: Sequence[Row], *, line_word: str = "line") -> list[Row]:
    """Fill in each row's parsed values and errors; returns the bad rows."""
    seen: dict[datetime.date, int] = {}
    chart = measure.chart
    label = "numerator" if chart in ("p", "pp") else "value"
    for row in rows:
        row.period = parse_period(row.period_text)
        if not row.period_text.strip():
            row.errors.append("The period (date) is empty.")
        elif row.period is None:
            row.errors.append(
                f"'{row.period_text}' is not a date. Write dates as 2024-01-31, 31/01/2024 "
                "or 2024-01 for a month."
            )
        elif row.period in seen:
            row.errors.append(
                f"The period {row.period.isoformat()} appears twice (also on {line_word} "
                f"{seen[row.period]}); give one row per period."
            )
        else:
            seen[row.period] = row.line
        row.value = parse_number(row.value_text)
        if not row.value_text.strip():
            row.errors.append(f"The {label} is empty.")
        elif row.value is None:
            row.errors.append(f"'{row.value_text}' in the {label} column is not a number.")
        elif chart in COUNT_CHARTS and row.value < 0:
            row.errors.append(f"The {label} counts events, so it cannot be negative.")
        elif chart == "t" and row.value <= 0:
            row.errors.append("The days between events must be above zero.")
        den_text = row.denominator_text.strip()
        if den_text:
            row.denominator = parse_number(den_text)
            if not measure.takes_denominator:
                row.errors.append(
                    f"A {measure.get_chart_display()} uses no denominator; leave it empty."
                )
            elif row.denominator is None:
                row.errors.append(f"'{den_text}' in the denominator column is not a number.")
            elif row.denominator <= 0:
                row.errors.append("The denominator must be above zero.")
            elif chart in ("p", "pp") and row.value is not None and row.value > row.denominator:
                row.errors.append(
                    f"The numerator {row.value:g} is above its denominator {row.denominator:g}: "
                    "a percentage cannot be over 100%. Check the two are not swapped."
                )
        elif measure.needs_denominator:
            row.errors.append(f"A {measure.get_chart_display()} needs a denominator.")
    return [r for r in rows if r.errors]


def save_points(
    measure: Measure,
    rows: Iterable[tuple[datetime.date, float, float | None]],
    *,
    delete: Iterable[datetime.date] = (),
) -> tuple[int, int, int]:
    """Create or update points by period, delete others; returns (created, updated, deleted).

    The caller has checked every row. Runs in one transaction; refreshes the summary
    and notifies people of new signals after it commits.
    """
    from champion.measures.analysis import refresh

    rows = list(rows)
    delete = list(delete)
    with transaction.atomic():
        existing = {
            p.period: p
            for p in measure.data_points.filter(period__in=[r[0] for r in rows] + delete)
        }
        new: list[DataPoint] = []
        changed: list[DataPoint] = []
        for period, value, denominator in rows:
            point = existing.get(period)
            if point is None:
                new.append(
                    DataPoint(measure=measure, period=period, value=value, denominator=denominator)
                )
            elif point.value != value or point.denominator != denominator:
                point.value, point.denominator = value, denominator
                changed.append(point)
        gone = [existing[d] for d in delete if d in existing]
        if len(new) + len(changed) + len(gone) <= AUDIT_EACH_UP_TO:
            for point in [*new, *changed]:
                point.save()  # one audit event each
            for point in gone:
                point.delete()
        else:
            DataPoint.objects.bulk_create(new, batch_size=1000)
            DataPoint.objects.bulk_update(changed, ["value", "denominator"], batch_size=1000)
            DataPoint.objects.filter(pk__in=[p.pk for p in gone]).delete()
        if new or changed or gone:
            touched = [p.period for p in (*new, *changed, *gone)]
            refresh(measure, notify_new_signals=True, since=min(touched))
    return len(new), len(changed), len(gone)
