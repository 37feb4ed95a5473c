"""A charter's aim checked against its outcome measure's data.

The aim states numbers (`champion.aims.read_numbers`: baseline, target, unit, deadline); the
outcome measure holds the data. This says, in plain words, whether they agree:

- **baseline**: the aim's starting level against the data's level before the change (the
  centre line of the part before the project's phase, else of the chart's first part); it
  matches "within reason" when it lies within a fifth (20 %) of the data's level;
- **units**: the aim's scale against the measure's ("%" needs a percentage, "per 1,000" a
  measure multiplied by 1,000) and, without a scale, its unit words against the measure's
  unit of measure;
- **direction**: a target below the baseline needs a measure where lower is better;
- **progress**: how far the current level (the centre line of the latest part) has come from
  the baseline toward the target, and the time left before the deadline.

Nothing is guessed: a part the aim or the data do not state is "cannot check" (None).
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from typing import Any

from champion import spc
from champion.aims import AimNumbers, read_numbers
from champion.charts import format_number
from champion.core.words import quoted
from champion.improvement.measures_link import outcome_measure, project_impact
from champion.improvement.models import Project
from champion.measures.services import analyze

#: How far the aim's baseline may lie from the data's level and still "match".
BASELINE_TOLERANCE = 0.2


@dataclass(frozen=True)
class Item:
    """One check: `ok` is True (agrees), False (does not) or None (cannot check)."""

    label: str
    ok: bool | None
    text: str


@dataclass(frozen=True)
class AimData:
    numbers: AimNumbers
    measure: Any | None
    items: tuple[Item, ...]
    baseline_data: float | None = None
    now: float | None = None
    #: Percent of the way from the baseline to the target (can exceed 100 or be negative).
    progress: float | None = None

    @property
    def progress_bar(self) -> int:
        """The progress clipped to 0-100 for a bar."""
        return 0 if self.progress is None else math.floor(max(0.0, min(100.0, self.progress)))


def _levels(measure: Any, project: Project) -> tuple[float | None, float | None]:
    """The data's baseline level and current level (centre lines, plotted scale)."""
    found = project_impact(project).impact
    try:
        result = analyze(measure)
    except spc.SPCError:
        return None, None
    if result is None:
        return None, None
    cl = [float(v) for v in result.points["cl"]]
    current = cl[-1] if cl and math.isfinite(cl[-1]) else None
    if found is not None and found.before is not None:
        return found.before, current
    first = cl[0] if cl and math.isfinite(cl[0]) else None
    return first, current


def _is_percent(measure: Any) -> bool:
    return (measure.multiply or 1) == 100 or "%" in (measure.unit_label or "")


def _measure_scale(measure: Any) -> float | None:
    if _is_percent(measure):
        return 100.0
    found = re.search(r"per\s+(\d[\d,]*)", measure.unit_label or "", re.IGNORECASE)
    if found:
        return float(found.group(1).replace(",", ""))
    multiply = measure.multiply or 1.0
    return multiply if multiply != 1 else None


_WORD = re.compile(r"[a-z]+")
_STOP = {"per", "a", "an", "the", "of", "in", "on", "each", "every", "month", "week", "day"}


def _units(numbers: AimNumbers, measure: Any) -> Item:
    label = measure.unit_label or ""
    if not numbers.unit:
        return Item("Units", None, "The aim does not name the unit of its numbers.")
    if numbers.scale is not None:
        theirs = _measure_scale(measure)
        if theirs is None:
            return Item(
                "Units",
                None,
                f"The aim counts {numbers.unit}; the measure names no scale"
                f"{f' ({label})' if label else ''}.",
            )
        if theirs == numbers.scale:
            return Item(
                "Units",
                True,
                f"The aim's {numbers.unit} agrees with the measure's "
                f"{label or format_number(theirs)}.",
            )
        return Item(
            "Units",
            False,
            f"The aim counts {numbers.unit} but the measure is "
            f"{label or f'multiplied by {format_number(theirs)}'}.",
        )
    if not label:
        return Item("Units", None, "The measure has no unit of measure to compare with.")
    aim_words = set(_WORD.findall(numbers.unit.lower().replace("-", " "))) - _STOP
    measure_words = set(_WORD.findall(label.lower().replace("-", " "))) - _STOP
    if not aim_words:
        return Item(
            "Units", None, f"The aim's unit ({quoted(numbers.unit)}) names nothing to compare."
        )
    if aim_words & measure_words or any(
        a.rstrip("s") == m.rstrip("s") for a in aim_words for m in measure_words
    ):
        return Item(
            "Units",
            True,
            f"The aim's {quoted(numbers.unit)} agrees with the measure's {quoted(label)}.",
        )
    return Item(
        "Units", False, f"The aim counts {quoted(numbers.unit)} but the measure is {quoted(label)}."
    )


def check(project: Project, today: datetime.date | None = None) -> AimData | None:
    """The aim against the first outcome measure's data; None when the project has neither an
    aim with numbers nor an outcome measure (the charter's own check speaks then)."""
    numbers = read_numbers(project.aim_statement)
    measure = outcome_measure(project)
    if measure is None:
        if numbers.target is None:
            return None
        return AimData(
            numbers,
            None,
            (
                Item(
                    "Data",
                    None,
                    "Link an outcome measure to check the aim's numbers against the data.",
                ),
            ),
        )
    today = today or datetime.date.today()
    base_data, now = _levels(measure, project)
    items: list[Item] = []
    if numbers.baseline is None:
        items.append(Item("Baseline", None, "The aim states no baseline ('from ... to ...')."))
    elif base_data is None:
        items.append(
            Item("Baseline", None, "The measure has no data to compare the baseline with.")
        )
    else:
        close = abs(numbers.baseline - base_data) <= BASELINE_TOLERANCE * abs(base_data)
        items.append(
            Item(
                "Baseline",
                close,
                f"The aim starts from {format_number(numbers.baseline)}; the data's level "
                f"before the change is {format_number(base_data)}"
                + ("." if close else ": check the baseline or the measure."),
            )
        )
    units = _units(numbers, measure)
    items.append(units)
    start = numbers.baseline if numbers.baseline is not None else base_data
    progress = None
    if units.ok is False and numbers.target is not None:
        items.append(Item("Progress", None, "Progress cannot be read while the units differ."))
    elif numbers.target is not None and start is not None and start != numbers.target:
        wanted = "down" if numbers.target < start else "up"
        if measure.improvement and measure.improvement != wanted:
            items.append(
                Item(
                    "Direction",
                    False,
                    f"The aim wants the measure to go {wanted}, "
                    f"but the measure says {measure.get_improvement_display().lower()}.",
                )
            )
        elif measure.improvement:
            items.append(Item("Direction", True, f"The aim and the measure both want it {wanted}."))
        if now is not None:
            progress = (start - now) / (start - numbers.target) * 100
            reached = (now <= numbers.target) if wanted == "down" else (now >= numbers.target)
            items.append(
                Item(
                    "Progress",
                    True if reached else None,
                    f"The level now is {format_number(now)}: "
                    + (
                        "the target is reached."
                        if reached
                        else f"{math.floor(progress)}% of the way from {format_number(start)} to "
                        f"{format_number(numbers.target)}."
                    ),
                )
            )
    elif numbers.target is None:
        items.append(Item("Target", None, "The aim states no target number."))
    if numbers.deadline is None:
        items.append(Item("Deadline", None, "The aim states no deadline with a date."))
    else:
        days = (numbers.deadline - today).days
        when = f"{numbers.deadline:%d %b %Y}"
        if days >= 0:
            items.append(Item("Deadline", True, f"{when}: {days} days left."))
        else:
            met = any(i.label == "Progress" and i.ok for i in items)
            items.append(
                Item(
                    "Deadline",
                    bool(met),
                    f"{when}: passed {-days} days ago"
                    + (", with the target reached." if met else "."),
                )
            )
    return AimData(numbers, measure, tuple(items), base_data, now, progress)
