"""Hands-on exercises: shown shuffled per person, graded by the platform, feedback that teaches."""

from __future__ import annotations

import random
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString

from champion.core.http import AuthedRequest
from champion.learning.content.markdown import render_text
from champion.learning.grading import GradingError, compute, mdc
from champion.learning.grading.kinds import (
    CAPABILITY_LABELS,
    LEVELS,
    LINE_FIELDS,
    LINE_LABELS,
    line_point,
    point_matters,
)
from champion.learning.grading.spc_data import (
    CHART_LABELS,
    RULE_LABELS,
    analyse,
    rule_columns,
)
from champion.learning.grading.spc_data import label as value_label
from champion.learning.models import Exercise, ExerciseAttempt
from champion.learning.permissions import lesson_for
from champion.learning.services import own_charts, progress, rule_sets
from champion.learning.services.chart_svg import exercise_chart
from champion.measures import services as measures


def _shuffled(exercise: Exercise, user_id: int, count: int) -> list[int]:
    """The same order for one person each time they open it (stable), different across people."""
    order = list(range(count))
    random.Random(f"{exercise.pk}:{user_id}").shuffle(order)
    return order


def _form_context(exercise: Exercise, user_id: int, posted: Any | None = None) -> dict[str, Any]:
    """What the form shows; `posted` refills typed boxes after a refused answer (nothing lost)."""
    data = exercise.data
    posted = posted or {}

    def kept(name: str) -> str:
        return str(posted.get(name, ""))[:40]

    kind = exercise.kind
    context: dict[str, Any] = {}
    if kind in ("categorise", "driver_diagram"):
        items = data["items"]
        context["items"] = [(i, items[i]["text"]) for i in _shuffled(exercise, user_id, len(items))]
        context["buckets"] = (
            [(c["key"], c["label"]) for c in data["categories"]]
            if kind == "categorise"
            else list(LEVELS.items())
        )
    elif kind == "order_steps":
        steps = data["steps"]
        context["steps"] = [(i, steps[i]) for i in _shuffled(exercise, user_id, len(steps))]
        context["positions"] = list(range(1, len(steps) + 1))
    elif kind == "choose_chart":
        context["scenarios"] = list(enumerate(data["scenarios"]))
        context["charts"] = list(CHART_LABELS.items())
    elif kind == "pareto_vital_few":
        categories = data["categories"]
        context["categories"] = list(enumerate(categories))
        context["pareto_total"] = sum(c["count"] for c in categories)
    elif kind == "fmea_rank":
        modes = data["failure_modes"]
        context["modes"] = [
            (i, modes[i], kept(f"rpn-{i}"), kept(f"rank-{i}"))
            for i in _shuffled(exercise, user_id, len(modes))
        ]
        context["positions"] = list(range(1, len(modes) + 1))
    elif kind == "capability":
        y = data["y"]
        limits = {"LSL": data.get("lsl"), "USL": data.get("usl")}
        context["chart"] = exercise_chart(
            {"chart": "run", "y": y}, show_centre=False, show_limits=False, spec=limits
        )
        context["chart"]["chart_name"] = "The values in time order, with the specification limits"
        context["values"] = list(enumerate(y, start=1))
        context["asks"] = [(key, CAPABILITY_LABELS[key], kept(f"ask-{key}")) for key in data["ask"]]
    elif kind == "compute_value":
        context["questions"] = [
            (i, q, compute.input_rows(q["compute"], q["inputs"]), kept(f"answer-{i}"))
            for i, q in enumerate(data["questions"])
        ]
    if kind in ("spc_signals", "compute_centre_line"):
        # The limits are computed from the centre line: drawing them would hint at the answer.
        signals = kind == "spc_signals"
        context["chart"] = exercise_chart(data, show_centre=signals, show_limits=signals)
        if not signals:
            # The data as collected (counts and denominators), not the plotted proportions.
            context["table"] = [
                (point["x"], data["y"][i], data["n"][i] if data.get("n") else None)
                for i, point in enumerate(context["chart"]["points"])
            ]
            ask = list(data.get("ask") or ["cl"])
            context["line_fields"] = [
                (LINE_FIELDS[key], LINE_LABELS[key], kept(LINE_FIELDS[key])) for key in ask
            ]
            at = line_point(data)
            context["at_label"] = context["chart"]["points"][at]["x"]
            context["asks_limits"] = point_matters(data)
            context["limits_asked"] = bool({"ucl", "lcl"} & set(ask))
        # The exercise's baseline, phases or fixed centre line, said in words (never hidden).
        points = context["chart"]["points"]
        context["chart_notes"] = _chart_notes(data, points)
        if signals:
            rules = list(data.get("rules") or [])
            context["rule_options"] = [
                (column, RULE_LABELS.get(column, column))
                for column in rule_columns(analyse(data), rules)
            ]
    return context


def _chart_notes(data: dict[str, Any], points: list[dict[str, Any]]) -> list[str]:
    notes = []
    if data.get("freeze"):
        last = points[min(int(data["freeze"]), len(points)) - 1]["x"]
        notes.append(
            f"The baseline is the first {data['freeze']} points (up to {last}): the centre "
            "line is computed from them only and carried forward."
        )
    for start in data.get("parts") or []:
        if 0 < start < len(points):
            notes.append(
                f"A new phase starts at {points[start]['x']}: each phase has its own centre line."
            )
    if data.get("cl") is not None:
        notes.append(f"The centre line is fixed at {data['cl']}.")
    return notes


def exercise(request: AuthedRequest, slug: str) -> HttpResponse:
    lesson = lesson_for(request.user, slug)
    exercise = lesson.live_exercise
    if exercise is None:
        raise Http404("This lesson has no exercise.")
    error = ""
    result = None
    attempt = None
    if request.method == "POST":
        try:
            attempt, result = progress.submit_exercise(request.user, exercise, request.POST)
        except GradingError as exc:
            error = str(exc)
    previous = ExerciseAttempt.objects.filter(user=request.user, exercise=exercise).first()
    posted: Any = request.POST if request.method == "POST" else {}
    posted_categories = posted.getlist("category") if hasattr(posted, "getlist") else []
    if request.method == "GET" and previous is not None and exercise.kind == "aim_statement":
        # Trying again means revising the aim in the light of the feedback, not retyping it.
        posted = {"text": previous.answer.get("text", "")}
    context = {
        "lesson": lesson,
        "exercise": exercise,
        "data": exercise.data,
        "error": error,
        "result": result,
        "attempt": attempt,
        "previous": previous,
        "posted": posted,
        "posted_categories": posted_categories,
        "rule_set_note": rule_sets.note(request.user, "", exercise.data),
        "rendered": {
            key: render_text(str(exercise.data[key]))
            for key in ("explanation", "example", "scenario")
            if key in exercise.data
        },
        **_form_context(exercise, request.user.pk, posted if error else None),
    }
    if exercise.kind == "mdc_icons":
        context.update(_mdc_context(request, exercise, posted if error else None, result))
    if result is not None and exercise.kind == "spc_signals":
        context["chart"] = exercise_chart(exercise.data, show_centre=True, feedback=result.feedback)
    return render(request, "learning/exercise.html", context, status=422 if error else 200)


def _mdc_context(
    request: AuthedRequest, exercise: Exercise, posted: Any | None, result: Any | None
) -> dict[str, Any]:
    """The charts (the learner's own when the exercise uses them), each with its two radio
    groups; after grading, the engine's icons and why, chart by chart."""
    post = request.POST if request.method == "POST" else None
    try:
        data = own_charts.exercise_data(request.user, exercise, post)
    except GradingError:  # a refused (tampered or stale) choice: show the learner's own again
        data = own_charts.exercise_data(request.user, exercise, None)
    posted = posted or {}
    charts = []
    for index, chart in enumerate(data["charts"]):
        analysis = mdc.analyse_chart(chart)
        improvement = str(chart["improvement"])
        chosen_v = str(posted.get(f"variation-{index}", ""))
        chosen_a = str(posted.get(f"assurance-{index}", ""))
        charts.append(
            {
                "index": index,
                "title": chart.get("title") or f"Chart {index + 1}",
                "rag": chart.get("rag") or "",
                "measure_id": chart.get("measure_id"),
                "better": "Higher is better" if improvement == "up" else "Lower is better",
                "target": spc_data_label(chart.get("target")),
                "drawing": exercise_chart(
                    chart,
                    show_centre=True,
                    analysis=analysis,
                    target=chart.get("target"),
                    chart_id=f"mdc-chart-{index}",
                ),
                "variations": [
                    (key, label, choice_icon("variation", key, improvement), key == chosen_v)
                    for key, label in mdc.variation_choices().items()
                ],
                "assurances": [
                    (key, label, choice_icon("assurance", key, improvement), key == chosen_a)
                    for key, label in mdc.assurance_choices().items()
                ],
            }
        )
    feedback = []
    if result is not None:
        for chart, row in zip(charts, result.feedback["charts"], strict=True):
            feedback.append(
                {
                    **row,
                    "drawing": chart["drawing"],
                    "variation_icon": choice_icon(
                        "variation", row["variation"], row["improvement"]
                    ),
                    "assurance_icon": choice_icon(
                        "assurance", row["assurance"], row["improvement"]
                    ),
                }
            )
    own = bool(data.get("own"))
    return {
        "mdc_charts": charts,
        "mdc_feedback": feedback,
        "mdc_own": own,
        "mdc_units": sorted({str(c.get("unit_name")) for c in data["charts"]}) if own else [],
    }


def spc_data_label(value: Any) -> str:
    return value_label(float(value)) if value is not None else ""


def choice_icon(kind: str, key: str, improvement: str, size: int = 32) -> SafeString:
    """The icon an MDC choice stands for, drawn as the measure pages draw it (with its text)."""
    if kind == "variation":
        side = {"improvement": improvement, "concern": "down" if improvement == "up" else "up"}
        summary = measures.Summary(variation=key, direction=side.get(key))
        return measures.variation_icon(summary, size)
    if key == mdc.NO_TARGET:
        return SafeString("")
    return measures.assurance_icon(measures.Summary(assurance=key), size)
