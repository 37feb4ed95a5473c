"""'Which chart should I use?': plain answers in, a suggested chart and the reason out.

Follows the usual decision tree of the improvement literature (Provost & Murray,
*The Health Care Data Guide*; Mohammed et al., BMJ Qual Saf 2008): a run chart
to start or with few points, then the Shewhart chart that matches the data type.
"""

from __future__ import annotations

from dataclasses import dataclass

from champion.measures.models import ChartType


@dataclass(frozen=True)
class Suggestion:
    chart: str
    why: str
    multiply: float = 1.0

    @property
    def name(self) -> str:
        return str(ChartType(self.chart).label)


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
                    "U′ chart widens them to the real variation between periods.",
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
                "that almost every point looks special. The Laney P′ chart corrects for that.",
                100,
            )
        return Suggestion(
            "p",
            "Each case either meets the criterion or not, out of a known number of cases, so a "
            "P chart of the percentage is right. Its limits widen in periods with fewer cases.",
            100,
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
