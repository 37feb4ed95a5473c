"""'Which chart should I use?': plain answers in, a suggested chart and the reason out.

Follows the usual decision tree of the improvement literature (Provost & Murray,
*The Health Care Data Guide*; Mohammed et al., BMJ Qual Saf 2008): a run chart
to start or with few points, then the Shewhart chart that matches the data type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from champion import spc
from champion.measures.models import ChartType


@dataclass(frozen=True)
class Suggestion:
    chart: str
    why: str
    multiply: float = 1.0

    @property
    def name(self) -> str:
        return str(ChartType(self.chart).label)

    @property
    def article(self) -> str:
        """'an' before a letter said with a vowel sound (an X̄, an I, an S chart), else 'a'."""
        return "an" if self.name[:1] in "AEFHILMNORSX" else "a"


def suggest(answers: dict[str, str]) -> Suggestion:
    data = answers.get("data")
    if answers.get("points") == "few":
        return Suggestion(
            "run",
            "With fewer than 12 points, control limits are not yet reliable. A run chart with "
            "its median shows shifts, trends and too few crossings from the very first points; "
            "switch to a control chart once you have 12 to 20.",
        )
    if data == "between" or (data == "count" and answers.get("rare") == "yes"):
        if answers.get("between") == "cases":
            return Suggestion(
                "g",
                "Rare events are easier to see by counting the cases between them: a G chart "
                "plots the number of cases (operations, admissions) between events. Longer gaps "
                "mean fewer events.",
            )
        return Suggestion(
            "t",
            "When events are rare, most months show 0 and a count chart cannot show improvement. "
            "A T chart plots the days between events instead: longer gaps mean fewer events.",
        )
    if data == "count":
        if answers.get("denominator") == "yes":
            if answers.get("large") == "yes":
                return Suggestion(
                    "up",
                    "Counts of events per a varying, very large exposure give a rate. With very "
                    "large denominators ordinary U chart limits become too narrow, so the Laney "
                    "U′ chart widens them to the real variation between periods. Once data are "
                    "in, the measure's edit form says whether they vary more than a U chart "
                    "allows.",
                    1000,
                )
            return Suggestion(
                "u",
                "You count events and the opportunity for them (bed-days, admissions) changes, "
                "so the chart shows a rate: a U chart, e.g. falls per 1,000 bed-days. Its limits "
                "widen when the denominator is small.",
                1000,
            )
        return Suggestion(
            "c",
            "You count events and the opportunity for them is about the same each period, so a "
            "C chart of the counts themselves is right.",
        )
    if data == "proportion":
        if answers.get("large") == "yes":
            return Suggestion(
                "pp",
                "A percentage of a very large group: ordinary P chart limits would be so narrow "
                "that almost every point looks special. The Laney P′ chart corrects for that. "
                "Once data are in, the measure's edit form says whether they vary more than a "
                "P chart allows.",
                100,
            )
        return Suggestion(
            "p",
            "Each case either meets the criterion or not, out of a known number of cases, so a "
            "P chart of the percentage is right. Its limits widen in periods with fewer cases.",
            100,
        )
    if data == "subgroups":
        return Suggestion(
            "xbar",
            "Several measurements each period form a subgroup: an X̄ chart plots each "
            "period's mean, with limits from the variation within the subgroups. Watch the "
            "spread too with an S chart (or an R chart for small subgroups) of the same data.",
        )
    if data == "measurement":
        return Suggestion(
            "i",
            "One measurement per period (or per patient) goes on an I chart (XmR): its limits "
            "come from the moving ranges between consecutive points.",
        )
    return Suggestion(
        "run",
        "Not sure yet? Start with a run chart: it needs no assumptions and shows shifts and "
        "trends. You can change the chart later without losing data.",
    )


@dataclass(frozen=True)
class ShownAs:
    """One answer to the measure form's "How is it shown?": its words, the chooser's answers it
    stands for (`suggest` turns them into a chart: the one home of that rule), the multiplier
    it implies, whether it needs an "out of what", and how the plotted value reads."""

    key: str
    label: str
    answers: dict[str, str] = field(default_factory=dict)
    multiply: float = 1.0
    needs_denominator: bool = False
    unit_label: str = ""


RATE = {"data": "count", "denominator": "yes"}

#: The plain answers to "How is it shown?", in the order the form offers them.
SHOWN_AS = (
    ShownAs("count", "A count: how many (falls, complaints, pressure ulcers)",
            {"data": "count", "denominator": "no"}),
    ShownAs("percent", "A percentage of the 'out of what' (patients screened on time, hands "
            "washed)", {"data": "proportion"}, 100, True, "%"),
    ShownAs("per100", "A rate per 100 of the 'out of what' (incidents per 100 admissions)",
            RATE, 100, True, "per 100"),
    ShownAs("per1000", "A rate per 1,000 (falls per 1,000 bed-days)", RATE, 1000, True,
            "per 1,000"),
    ShownAs("per10000", "A rate per 10,000 (infections per 10,000 bed-days)", RATE, 10000, True,
            "per 10,000"),
    ShownAs("value", "A time, amount or score, one each period (minutes to antibiotics, "
            "length of stay)", {"data": "measurement"}),
    ShownAs("average", "The average of several measurements each period (the waits of 5 "
            "patients sampled each week)", {"data": "subgroups"}),
    ShownAs("days_between", "Days between rare events (days since the last never event)",
            {"data": "between", "between": "days"}, unit_label="days between events"),
    ShownAs("cases_between", "Cases between rare events (operations since the last surgical "
            "infection)", {"data": "between", "between": "cases"},
            unit_label="cases between events"),
)  # fmt: skip
SHOWN_BY_KEY = {s.key: s for s in SHOWN_AS}
#: The multiplier of each rate answer, to read a stored measure back into its answer.
_RATES = {s.multiply: s.key for s in SHOWN_AS if s.answers is RATE}


def plain_chart(shown_as: str) -> Suggestion:
    """The chart (and multiplier) a plain answer to "How is it shown?" leads to, through the
    chooser's own rule (`suggest`)."""
    shown = SHOWN_BY_KEY[shown_as]
    return replace(suggest(shown.answers), multiply=shown.multiply)


def plain_answer(chart: str, multiply: float | None, denominator: str = "") -> str:
    """The answer to "How is it shown?" that describes a stored measure best (a chart the
    answers do not lead to, such as a run chart or a P′ chart, stays the form's advanced
    chart choice)."""
    if chart in ("p", "pp"):
        return "percent"
    if chart in ("u", "up"):
        return _RATES.get(multiply or 1.0, "per1000")
    if chart == "run" and denominator.strip():
        return "percent" if multiply == 100 else _RATES.get(multiply or 1.0, "per1000")
    return {
        "c": "count", "xbar": "average", "r": "average", "s": "average",
        "t": "days_between", "g": "cases_between",
    }.get(chart, "value")  # fmt: skip


#: The multiplier a chart gets when only the chart is given (an old form, the chooser's link).
def default_multiply(chart: str) -> float:
    return {"p": 100.0, "pp": 100.0, "u": 1000.0, "up": 1000.0}.get(chart, 1.0)


#: A denominator this large (the median of the points) makes ordinary P and U limits so
#: narrow that overdispersion shows; the Laney charts are then worth checking.
LARGE_DENOMINATOR = 1000


def read_data(
    values: Sequence[float | None], denominators: Sequence[float | None] = ()
) -> list[str]:
    """What a measure's own points say about the choice of chart, in plain sentences:
    denominators present or not, many zeros (rare events), very large denominators with
    more variation between periods than a P or U chart allows (Laney's sigma_z above 1),
    and too few points for limits (`spc.MIN_POINTS`)."""
    ys = [float(v) for v in values if v is not None]
    if not ys:
        return ["No data yet: the chart can be chosen again once points are entered."]
    notes: list[str] = []
    needed = spc.MIN_POINTS["limits"]
    if len(ys) < needed:
        notes.append(
            f"{needed} points are needed for control limits; {len(ys)} so far. A run chart "
            "reads shifts and trends until then."
        )
    pairs = [(float(v), float(d)) for v, d in zip(values, denominators, strict=False)
             if v is not None and d is not None and d > 0]  # fmt: skip
    if pairs:
        notes.append(
            f"{len(pairs)} of {len(ys)} points have a denominator: a P chart (a percentage) or "
            "a U chart (a rate) fits."
        )
    else:
        notes.append("No point has a denominator: an I chart, a C chart (counts) or a run chart.")
    zeros = sum(1 for v in ys if v == 0)
    if len(ys) >= 4 and zeros * 2 >= len(ys):
        notes.append(
            f"{zeros} of {len(ys)} points are 0: the events are rare. A T chart (days between "
            "events) or a G chart (cases between events) shows change sooner."
        )
    sigma_z = laney_sigma_z(pairs)
    big = pairs and float(np.median([d for _, d in pairs])) >= LARGE_DENOMINATOR
    if big and sigma_z is not None and sigma_z > 1:
        notes.append(
            f"The denominators are very large and the points vary {sigma_z:.1f} times as much "
            "as a P or U chart allows (Laney's sigma z): use a P′ or U′ chart, whose limits "
            "allow for that."
        )
    return notes


def laney_sigma_z(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Laney's sigma_z for (count, denominator) pairs: the standardised points' mean moving
    range / 1.128; above 1 the data vary more than the binomial or Poisson model allows. A
    proportion (every count <= its denominator) is read as a P chart, else as a U chart."""
    if len(pairs) < 3:
        return None
    y = np.array([v for v, _ in pairs])
    n = np.array([d for _, d in pairs])
    centre = y.sum() / n.sum()
    proportion = bool((y <= n).all())
    spread = centre * (1 - centre) if proportion else centre
    if spread <= 0:
        return None
    z = (y / n - centre) / np.sqrt(spread / n)
    return float(np.abs(np.diff(z)).mean() / 1.128)
