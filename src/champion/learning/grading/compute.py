"""The functions a `compute_value` exercise may ask for: small, pure and documented.

Each takes the exercise's `inputs` mapping and returns one number; `INPUTS` says which
inputs each needs and how to show them to a learner (a human label per key). Bad inputs
raise `ComputeError` with a message for the content author (`content check` runs every
question through its function, so a lesson never ships a question the platform cannot answer).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from champion.core.risk import rpn as risk_priority
from champion.core.risk import valid_score


class ComputeError(ValueError):
    """The inputs cannot be computed as given."""


#: Kinds of input: one number, a list of numbers, a short text, the runs of a designed experiment.
NUMBER, NUMBERS, TEXT, RUNS, SCORE = "number", "numbers", "text", "runs", "score"


@dataclass(frozen=True)
class Input:
    key: str
    label: str
    type: str = NUMBER
    positive: bool = False  # must be above zero (a divisor, a duration)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _numbers(inputs: dict[str, Any], key: str, minimum: int = 1) -> list[float]:
    values = inputs.get(key)
    if not isinstance(values, list) or len(values) < minimum or not all(map(_is_number, values)):
        raise ComputeError(f"{key!r} must list at least {minimum} number(s)")
    return [float(v) for v in values]


def lead_time(inputs: dict[str, Any]) -> float:
    """Lead time: the sum of the minutes of every step, waits included."""
    return math.fsum(_numbers(inputs, "minutes"))


def value_added_percent(inputs: dict[str, Any]) -> float:
    """Share of the lead time that adds value, in per cent: 100 × value-added ÷ lead time."""
    value_added, lead = inputs["value_added_minutes"], inputs["lead_time_minutes"]
    if value_added > lead:
        raise ComputeError("the value-added minutes cannot exceed the lead time")
    return 100 * value_added / lead


def takt_time(inputs: dict[str, Any]) -> float:
    """Takt time: the available time divided by the demand in that time."""
    return inputs["available_minutes"] / inputs["demand"]


def littles_law_wip(inputs: dict[str, Any]) -> float:
    """Little's law: the average number in the system = arrival rate × average time in it."""
    return inputs["arrivals_per_hour"] * inputs["hours_in_system"]


def mean(inputs: dict[str, Any]) -> float:
    """The arithmetic mean of the values."""
    return statistics.fmean(_numbers(inputs, "values"))


def median(inputs: dict[str, Any]) -> float:
    """The median of the values (the mean of the middle two when there is an even number)."""
    return float(statistics.median(_numbers(inputs, "values")))


def value_range(inputs: dict[str, Any]) -> float:
    """The range: the largest value minus the smallest."""
    values = _numbers(inputs, "values")
    return max(values) - min(values)


def sd(inputs: dict[str, Any]) -> float:
    """The sample standard deviation (n - 1 in the denominator)."""
    return statistics.stdev(_numbers(inputs, "values", minimum=2))


def main_effect(inputs: dict[str, Any]) -> float:
    """A factor's main effect in a two-level experiment: mean y at +1 minus mean y at -1."""
    factor = inputs.get("factor")
    runs = inputs.get("runs")
    if not isinstance(factor, str) or not factor:
        raise ComputeError("'factor' must name a column of the runs, e.g. A")
    if not isinstance(runs, list) or not runs:
        raise ComputeError("'runs' must list the runs, e.g. [{A: -1, B: 1, y: 31.5}, ...]")
    high: list[float] = []
    low: list[float] = []
    for number, run in enumerate(runs, start=1):
        if not isinstance(run, dict) or not _is_number(run.get("y")):
            raise ComputeError(f"run {number} must be a mapping with a number 'y'")
        level = run.get(factor)
        if level not in (-1, 1) or isinstance(level, bool):
            raise ComputeError(f"run {number}: factor {factor!r} must be -1 or 1")
        for key, value in run.items():
            if key != "y" and (value not in (-1, 1) or isinstance(value, bool)):
                raise ComputeError(f"run {number}: {key!r} must be -1 or 1")
        (high if level == 1 else low).append(float(run["y"]))
    if not high or not low:
        raise ComputeError(f"factor {factor!r} needs runs at both -1 and +1")
    return statistics.fmean(high) - statistics.fmean(low)


def rpn(inputs: dict[str, Any]) -> float:
    """The FMEA risk priority number, severity × occurrence × detection (the FMEA tool's rule)."""
    result = risk_priority(inputs["severity"], inputs["occurrence"], inputs["detection"])
    assert result is not None  # the inputs were checked as scores
    return float(result)


FUNCTIONS: dict[str, tuple[Callable[[dict[str, Any]], float], tuple[Input, ...]]] = {
    "lead_time": (lead_time, (Input("minutes", "Minutes of each step, waits included", NUMBERS),)),
    "value_added_percent": (
        value_added_percent,
        (
            Input("value_added_minutes", "Value-added time (minutes)"),
            Input("lead_time_minutes", "Lead time (minutes)", positive=True),
        ),
    ),
    "takt_time": (
        takt_time,
        (
            Input("available_minutes", "Available time (minutes)", positive=True),
            Input("demand", "Demand in that time", positive=True),
        ),
    ),
    "littles_law_wip": (
        littles_law_wip,
        (
            Input("arrivals_per_hour", "Arrivals per hour", positive=True),
            Input("hours_in_system", "Average time in the system (hours)", positive=True),
        ),
    ),
    "mean": (mean, (Input("values", "Values", NUMBERS),)),
    "median": (median, (Input("values", "Values", NUMBERS),)),
    "range": (value_range, (Input("values", "Values", NUMBERS),)),
    "sd": (sd, (Input("values", "Values", NUMBERS),)),
    "main_effect": (
        main_effect,
        (Input("factor", "The factor asked about", TEXT), Input("runs", "The runs", RUNS)),
    ),
    "rpn": (
        rpn,
        (
            Input("severity", "Severity (1-10)", SCORE),
            Input("occurrence", "Occurrence (1-10)", SCORE),
            Input("detection", "Detection (1-10)", SCORE),
        ),
    ),
}


def check_inputs(name: str, inputs: Any) -> float:
    """The function's value for these inputs; `ComputeError` saying what is wrong otherwise."""
    if name not in FUNCTIONS:
        raise ComputeError(f"compute {name!r} is not one of {', '.join(FUNCTIONS)}")
    function, spec = FUNCTIONS[name]
    if not isinstance(inputs, dict):
        raise ComputeError("'inputs' must be a mapping of the function's inputs")
    wanted = {i.key for i in spec}
    missing = sorted(wanted - set(inputs))
    unknown = sorted(set(inputs) - wanted)
    if missing:
        raise ComputeError(f"{name} needs the input(s) {', '.join(missing)}")
    if unknown:
        raise ComputeError(f"{name} takes no input(s) {', '.join(unknown)}")
    for item in spec:
        value = inputs[item.key]
        if item.type == NUMBER and not _is_number(value):
            raise ComputeError(f"{item.key!r} must be a number")
        if item.type == SCORE and not valid_score(value):
            raise ComputeError(f"{item.key!r} must be a whole number from 1 to 10")
        if item.positive and not value > 0:
            raise ComputeError(f"{item.key!r} must be above zero")
        if item.type == NUMBER and value < 0:
            raise ComputeError(f"{item.key!r} cannot be negative")
    try:
        result = float(function(inputs))
    except (statistics.StatisticsError, ZeroDivisionError, TypeError, KeyError) as exc:
        raise ComputeError(f"{name} cannot be computed from these inputs: {exc}") from None
    if not math.isfinite(result):
        raise ComputeError(f"{name} gives no finite value for these inputs")
    return result


def compute(name: str, inputs: dict[str, Any]) -> float:
    """The platform's answer to a question (the inputs were checked by `content check`)."""
    return check_inputs(name, inputs)


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def input_rows(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs as a learner reads them: labelled rows, and the runs of an experiment as a table."""
    _function, spec = FUNCTIONS[name]
    rows: list[tuple[str, str]] = []
    runs: dict[str, Any] | None = None
    for item in spec:
        value = inputs.get(item.key)
        if item.type == RUNS and isinstance(value, list):
            columns = (
                [k for k in value[0] if k != "y"] if value and isinstance(value[0], dict) else []
            )
            runs = {
                "columns": columns,
                "rows": [
                    (n, [_level(run.get(c)) for c in columns], _show(run.get("y")))
                    for n, run in enumerate(value, start=1)
                ],
            }
        elif item.type == NUMBERS and isinstance(value, list):
            rows.append((item.label, ", ".join(_show(v) for v in value)))
        else:
            rows.append((item.label, _show(value)))
    return {"rows": rows, "runs": runs}


def _level(value: Any) -> str:
    return {1: "+1", -1: "−1"}.get(value, str(value))


def working(name: str, inputs: dict[str, Any], result: float) -> str:
    """The sum in words, for the feedback after grading."""
    r = f"{result:.4g}" if abs(result) < 1e5 else f"{result:.0f}"
    if name == "lead_time":
        return f"{' + '.join(_show(v) for v in inputs['minutes'])} = {r}"
    if name == "value_added_percent":
        return (
            f"100 × {_show(inputs['value_added_minutes'])} ÷ "
            f"{_show(inputs['lead_time_minutes'])} = {r}"
        )
    if name == "takt_time":
        return f"{_show(inputs['available_minutes'])} ÷ {_show(inputs['demand'])} = {r}"
    if name == "littles_law_wip":
        return f"{_show(inputs['arrivals_per_hour'])} × {_show(inputs['hours_in_system'])} = {r}"
    if name == "rpn":
        return f"{inputs['severity']} × {inputs['occurrence']} × {inputs['detection']} = {r}"
    if name == "main_effect":
        factor = inputs["factor"]
        high = [float(run["y"]) for run in inputs["runs"] if run[factor] == 1]
        low = [float(run["y"]) for run in inputs["runs"] if run[factor] == -1]
        return (
            f"mean at +1 = {statistics.fmean(high):.4g}, mean at −1 = "
            f"{statistics.fmean(low):.4g}; {statistics.fmean(high):.4g} − "
            f"{statistics.fmean(low):.4g} = {r}"
        )
    values = inputs.get("values", [])
    if name == "mean":
        return f"({' + '.join(_show(v) for v in values)}) ÷ {len(values)} = {r}"
    if name == "median":
        ordered = ", ".join(_show(v) for v in sorted(values))
        return f"in order: {ordered}; the middle value is {r}"
    if name == "range":
        return f"{_show(max(values))} − {_show(min(values))} = {r}"
    if name == "sd":
        return f"the square root of the sum of squared deviations from the mean ÷ (n − 1 = {len(values) - 1}) = {r}"
    return r
