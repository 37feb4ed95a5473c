"""`mdc_icons`: read a board's charts with the Making Data Count icons.

The answer key is the engine's own icons (`spc.analyze(..., rules=("anhoej", "mdc"),
improvement=..., target=...)`, as `champion.measures.analysis` computes them for every
measure page), and the choices use the words and icons the measure pages show
(`champion.measures.templatetags.measure_tags`). Nothing here stores an answer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from champion import spc
from champion.charts import ASSURANCE, VARIATION
from champion.learning.grading import spc_data
from champion.learning.grading.base import Grade, GradingError

#: The charts an `mdc_icons` chart may use: they have process limits.
LIMIT_CHARTS = ("i", "p", "u", "c", "pp", "up")
#: At least this many points in a bundled chart (a measure needs the engine's own minimum).
MIN_CHART_POINTS = 15
MAX_CHARTS = 4
RAG_COLOURS = ("red", "amber", "green")
#: The rule sets every measure page uses (`champion.measures.analysis.RULES`).
RULES = ("anhoej", "mdc")

#: The learner's choices, keyed by the engine's words (`spc.VARIATION`, `spc.ASSURANCE`).
VARIATION_KEYS = ("common_cause", "improvement", "concern")
NO_TARGET = "none"
ASSURANCE_KEYS = ("pass", "fail", "hit_and_miss", NO_TARGET)


def variation_choices() -> dict[str, str]:
    """The variation choices in the measure pages' own words."""
    return {key: VARIATION[key] for key in VARIATION_KEYS}


def assurance_choices() -> dict[str, str]:
    return {
        **{key: ASSURANCE[key][1] for key in ASSURANCE_KEYS if key != NO_TARGET},
        NO_TARGET: "No target (no assurance icon)",
    }


#: The MDC rules in the order the engine takes the last point's special cause from them.
MDC_ORDER = ("outside", "trend", "two_of_three", "shift")
RULE_WHY = {
    "outside": "it lies outside the process limits",
    "trend": "it ends a run of 7 or more points each going the same way (a trend)",
    "two_of_three": "it is one of 2 out of 3 points close to a limit (beyond the 2-sigma line)",
    "shift": "it ends a run of 7 or more points on the same side of the centre line (a shift)",
}


def analyse_chart(chart: Mapping[str, Any]) -> spc.Analysis:
    """The engine's analysis of one chart: a measure's own (already computed by the measure's
    service), or the bundled data with the measure pages' rule sets. Raises spc.SPCError."""
    stored = chart.get("analysis")
    if isinstance(stored, spc.Analysis):
        return stored
    x = chart.get("x")
    return spc.analyze(
        chart["y"],
        chart=chart["chart"],
        x=None if spc_data.text_labels(x) else spc_data.parse_x(x),
        n=chart.get("n"),
        freeze=chart.get("freeze"),
        rules=RULES,
        improvement=chart["improvement"],
        target=chart.get("target"),
    )


def icons(analysis: spc.Analysis) -> tuple[str, str]:
    """(variation, assurance) as the engine gives them; assurance "none" without a target.
    Raises GradingError when the engine gives no variation icon."""
    variation = analysis.variation_icon
    if variation not in VARIATION_KEYS:
        raise GradingError(
            "The engine cannot give this chart a Making Data Count variation icon "
            f"(it gave {variation!r}): it needs a direction of improvement and limits."
        )
    return variation, analysis.assurance_icon or NO_TARGET


def _number(value: float) -> str:
    return spc_data.label(round(float(value), 4)) if math.isfinite(value) else "none"


def last_rule(analysis: spc.Analysis) -> tuple[str, str] | None:
    """The MDC rule that flags the last point, with its side ("up"/"down"), or None."""
    pts = analysis.points
    last = len(pts["y"]) - 1
    for rule in MDC_ORDER:
        column = f"mdc:{rule}"
        if column in pts and bool(pts[column][last]):
            if rule == "trend" and last > 0:
                side = "up" if float(pts["y"][last]) > float(pts["y"][last - 1]) else "down"
            else:
                side = "up" if float(pts["y"][last]) > float(pts["cl"][last]) else "down"
            return rule, side
    return None


def why_variation(analysis: spc.Analysis, improvement: str, label: str) -> str:
    """Why the variation icon is what it is, in words that agree with the engine."""
    fired = last_rule(analysis)
    y = _number(float(analysis.points["y"][-1]))
    better = "higher" if improvement == "up" else "lower"
    if fired is None:
        return (
            f"No Making Data Count rule fires at the last point ({label}: {y}): it is inside "
            "the limits, not part of a run of 7 on one side of the centre line or 7 going "
            "the same way, and not one of 2 in 3 close to a limit. Common cause: the process "
            "has not changed."
        )
    rule, side = fired
    moved = "upwards" if side == "up" else "downwards"
    verdict = "improvement" if side == improvement else "concern"
    return (
        f"At the last point ({label}: {y}) {RULE_WHY[rule]}, {moved}. {better.capitalize()} "
        f"is better on this chart, so it is a special cause of {verdict}."
    )


def why_assurance(analysis: spc.Analysis, improvement: str, target: float | None) -> str:
    """Where the target sits against the last point's limits, as the engine reads it."""
    if target is None:
        return (
            "This chart has no target, so it has no assurance icon: the only question is "
            "whether the process has changed."
        )
    pts = analysis.points
    lcl, ucl = float(pts["lcl"][-1]), float(pts["ucl"][-1])
    where = f"the process limits at the last point run from {_number(lcl)} to {_number(ucl)}"
    key = analysis.assurance_icon
    t = _number(target)
    better = "higher" if improvement == "up" else "lower"
    if key == "pass":
        return (
            f"The target is {t} and {where}: the whole range of common cause variation is on "
            f"the passing side ({better} is better), so the process will consistently meet it "
            "while it stays as it is."
        )
    if key == "fail":
        return (
            f"The target is {t} and {where}: the target lies beyond the limit on the side that "
            f"counts as better ({better}), so the process as it is will consistently miss it; "
            "only a change to the process can meet it."
        )
    return (
        f"The target is {t} and {where}: the target lies between the limits, so the process "
        "will meet it some periods and miss it others by chance alone (hit and miss). A single "
        "period above or below the target says nothing about a change."
    )


def rag_contrast(rag: str, variation: str, assurance: str) -> str:
    """A sentence contrasting the red-amber-green verdict with what the chart says."""
    says = {
        "common_cause": "nothing has changed: the last value is common cause variation",
        "improvement": "the process has changed for the better",
        "concern": "the process has changed for the worse",
    }[variation]
    assured = {
        "pass": "it will keep meeting the target",
        "fail": "it will keep missing the target until the process changes",
        "hit_and_miss": "it will meet and miss the target at random",
        NO_TARGET: "there is no target to judge",
    }[assurance]
    if variation == "common_cause":
        lesson = (
            f"so {rag} is not news: next period's colour can change by chance alone, and "
            "reacting to it would be tampering with a stable process."
        )
    elif variation == "concern" and rag != "red":
        lesson = f"so {rag} hid a real deterioration that needs a look now."
    elif variation == "improvement" and rag != "green":
        lesson = (
            f"so {rag} hid a real improvement: the change is working even if the target is "
            "not met yet."
        )
    else:
        lesson = (
            f"here {rag} and the chart agree, but only the chart shows that the change is "
            "real and not one period's chance."
        )
    return (
        f"The RAG table said {rag}, from one period's value against the target. The chart "
        f"says {says}, and {assured}; {lesson}"
    )


def grade_mdc_icons(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Each chart's two icons against the engine's; a pass needs every icon right."""
    variation_words, assurance_words = variation_choices(), assurance_choices()
    variations = answer.get("variation", {})
    assurances = answer.get("assurance", {})
    rows = []
    right = 0
    for index, chart in enumerate(data["charts"]):
        try:
            analysis = analyse_chart(chart)
        except spc.SPCError as exc:
            raise GradingError(f"Chart {index + 1} cannot be analysed: {exc}") from None
        variation, assurance = icons(analysis)
        chosen_v = variations.get(str(index))
        chosen_a = assurances.get(str(index))
        improvement = str(chart["improvement"])
        target = chart.get("target")
        last = spc_data.point_label(chart, analysis, len(analysis.points["y"]) - 1)
        row = {
            "title": str(chart.get("title") or f"Chart {index + 1}"),
            "variation": variation,
            "variation_label": variation_words[variation],
            "chosen_variation": chosen_v,
            "chosen_variation_label": variation_words.get(chosen_v or "", "(none chosen)"),
            "variation_correct": chosen_v == variation,
            "assurance": assurance,
            "assurance_label": assurance_words[assurance],
            "chosen_assurance": chosen_a,
            "chosen_assurance_label": assurance_words.get(chosen_a or "", "(none chosen)"),
            "assurance_correct": chosen_a == assurance,
            "why_variation": why_variation(analysis, improvement, last),
            "why_assurance": why_assurance(
                analysis, improvement, float(target) if target is not None else None
            ),
            "direction": (last_rule(analysis) or (None, None))[1],
            "improvement": improvement,
            "rag": chart.get("rag") or "",
            "rag_contrast": (
                rag_contrast(str(chart["rag"]), variation, assurance) if chart.get("rag") else ""
            ),
        }
        if chart.get("measure_id"):
            row["measure_id"] = chart["measure_id"]
        right += row["variation_correct"] + row["assurance_correct"]
        rows.append(row)
    total = 2 * len(rows)
    return Grade(right / total, right == total, {"charts": rows, "right": right, "total": total})


def read_answer(data: dict[str, Any], post: Mapping[str, Any]) -> dict[str, Any]:
    """The chosen icons per chart; refused when some charts are answered and others not."""
    count = len(data["charts"])
    variation = {
        str(i): str(post.get(f"variation-{i}"))
        for i in range(count)
        if str(post.get(f"variation-{i}", "")) in VARIATION_KEYS
    }
    assurance = {
        str(i): str(post.get(f"assurance-{i}"))
        for i in range(count)
        if str(post.get(f"assurance-{i}", "")) in ASSURANCE_KEYS
    }
    answer: dict[str, Any] = {"variation": variation, "assurance": assurance}
    ids = [c["measure_id"] for c in data["charts"] if c.get("measure_id")]
    if ids:
        answer["measures"] = ids
    if not variation and not assurance:
        return answer
    missing = [
        f"chart {i + 1} ({'variation' if str(i) not in variation else 'assurance'})"
        for i in range(count)
        if str(i) not in variation or str(i) not in assurance
    ]
    if missing:
        raise GradingError(
            "Choose both icons for every chart: "
            + ", ".join(missing)
            + " has no answer yet. Nothing was recorded."
        )
    return answer
