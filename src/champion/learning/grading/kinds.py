"""One grader per exercise kind, and the reading of each kind's answer from a submitted form.

Form field names carry the *original* index of each item, so the order items were shown in
(shuffled per person) never affects grading.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from champion import charts, spc
from champion.aims import check_aim
from champion.learning.grading import spc_data
from champion.learning.grading.base import Grade, GradingError

LEVELS = {"primary": "Primary driver", "secondary": "Secondary driver", "change": "Change idea"}


def _placements(data: dict[str, Any], post: Mapping[str, Any], valid: set[str]) -> dict[str, str]:
    placed = {}
    for index in range(len(data["items"])):
        value = str(post.get(f"item-{index}", "")).strip()
        if value in valid:
            placed[str(index)] = value
    return placed


def _sorted(
    data: dict[str, Any], answer: dict[str, Any], field: str, labels: dict[str, str]
) -> Grade:
    """Shared by categorise and driver_diagram: each item into one bucket."""
    placements = answer.get("placements", {})
    items = []
    right = 0
    for index, item in enumerate(data["items"]):
        chosen = placements.get(str(index))
        ok = chosen == item[field]
        right += ok
        items.append(
            {
                "text": item["text"],
                "chosen": labels.get(chosen or "", "(not placed)"),
                "answer": labels[item[field]],
                "correct": ok,
                "explanation": item.get("explanation", ""),
            }
        )
    score = right / len(data["items"])
    return Grade(
        score,
        score >= float(data.get("pass_mark", 0.8)) - 1e-9,
        {"items": items, "right": right, "total": len(items)},
    )


def grade_categorise(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Share placed right, and every category recognised at least once (review A1 #3)."""
    labels = {c["key"]: c["label"] for c in data["categories"]}
    result = _sorted(data, answer, "category", labels)
    used = {item["category"] for item in data["items"]}
    recognised = {
        item["category"]
        for index, item in enumerate(data["items"])
        if answer.get("placements", {}).get(str(index)) == item["category"]
    }
    unrecognised = [c["label"] for c in data["categories"] if c["key"] in used - recognised]
    result.feedback["unrecognised"] = unrecognised
    if unrecognised:
        result.passed = False
    return result


def grade_driver_diagram(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    result = _sorted(data, answer, "level", LEVELS)
    result.feedback["diagram"] = {
        level: [item["text"] for item in data["items"] if item["level"] == level]
        for level in LEVELS
    }
    return result


def grade_order_steps(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    steps = data["steps"]
    order = answer.get("order", [])
    if sorted(order) != list(range(len(steps))):
        raise GradingError(f"Give every step a different position, from 1 to {len(steps)}.")
    placed = [
        {
            "text": steps[step],
            "position": pos + 1,
            "correct_position": step + 1,
            "correct": step == pos,
        }
        for pos, step in enumerate(order)
    ]
    right = sum(p["correct"] for p in placed)
    chain = _longest_in_order(order)
    for pos, entry in enumerate(placed):
        entry["in_order"] = pos in chain
    # The score is how close the order is (the longest run of steps in the right order
    # relative to each other, not necessarily next to each other); a pass needs it all.
    score = len(chain) / len(steps)
    return Grade(
        score,
        score >= float(data.get("pass_mark", 1.0)) - 1e-9,  # 1.0 only for the exact order
        {
            "placed": placed,
            "right": right,
            "in_order": len(chain),
            "out_of_order": len(steps) - len(chain),
            "total": len(steps),
            "steps": steps,
        },
    )


def _longest_in_order(order: list[int]) -> set[int]:
    """Positions of one longest increasing subsequence of `order` (steps in the right order)."""
    best: list[int] = [1] * len(order)
    back: list[int] = [-1] * len(order)
    for j in range(len(order)):
        for i in range(j):
            if order[i] < order[j] and best[i] + 1 > best[j]:
                best[j], back[j] = best[i] + 1, i
    if not order:
        return set()
    end = max(range(len(order)), key=lambda k: (best[k], -k))
    chain = set()
    while end != -1:
        chain.add(end)
        end = back[end]
    return chain


def grade_choose_chart(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    choices = answer.get("choices", {})
    scenarios = []
    for index, scenario in enumerate(data["scenarios"]):
        chosen = choices.get(str(index))
        scenarios.append(
            {
                "text": scenario["text"],
                "chosen": spc_data.CHART_LABELS.get(chosen or "", "(none chosen)"),
                "answer": spc_data.CHART_LABELS[scenario["answer"]],
                "correct": chosen == scenario["answer"],
                "explanation": scenario.get("explanation", ""),
            }
        )
    right = sum(s["correct"] for s in scenarios)
    score = right / len(scenarios)
    return Grade(
        score,
        score >= float(data.get("pass_mark", 0.8)) - 1e-9,
        {"items": scenarios, "right": right, "total": len(scenarios)},
    )


def grade_spc_signals(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Strict (review A1 #2): a pass marks no point that is not a signal, finds the signals
    (share of them at least `pass_mark`, default all) and names exactly the rules that fired.
    """
    analysis = spc_data.analyse(data)
    rule_list = list(data.get("rules") or [])
    flagged = set(spc_data.flagged_points(analysis, rule_list))
    marked = {int(i) for i in answer.get("marked", [])}
    hits, false_marks, missed = marked & flagged, marked - flagged, flagged - marked
    if flagged:
        score = 2 * len(hits) / (2 * len(hits) + len(false_marks) + len(missed))
    else:
        score = 0.0 if marked else 1.0
    reasons = charts.signal_reasons(analysis)
    points = []
    for i, y in enumerate(analysis.points["y"]):
        points.append(
            {
                "index": i,
                "x": spc_data.point_label(data, analysis, i),
                "y": spc_data.label(float(y)),
                "marked": i in marked,
                "flagged": i in flagged,
                "reasons": reasons[i]["reasons"] if i in flagged else [],
            }
        )
    part = analysis.parts[0]
    found_share = len(hits) / len(flagged) if flagged else 1.0
    # Naming the rule is part of the answer: the ticked rules must be the ones that fired.
    fired = spc_data.fired_rules(analysis, rule_list)
    named = set(answer.get("rules") or [])
    options = spc_data.rule_columns(analysis, rule_list)
    named_right = named == set(fired)
    naming = {
        "correct": named_right,
        "rules": [
            {"label": spc_data.RULE_LABELS.get(c, c), "fired": c in fired, "named": c in named}
            for c in options
        ],
    }
    passed = (
        not false_marks and found_share >= float(data.get("pass_mark", 1.0)) - 1e-9 and named_right
    )
    return Grade(
        score,
        passed,
        {
            "naming": naming,
            "points": points,
            "hits": len(hits),
            "false_marks": len(false_marks),
            "missed": len(missed),
            "flagged": len(flagged),
            "rules": sorted(rule_list),
            "centre": spc_data.label(round(float(analysis.points["cl"][0]), 4)),
            "runs": {
                "n_useful": part["n_useful"],
                "longest_run": part["longest_run"],
                "longest_run_max": part["longest_run_max"],
                "n_crossings": part["n_crossings"],
                "n_crossings_min": part["n_crossings_min"],
            },
        },
    )


def grade_compute_centre_line(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    value = answer.get("value")
    if value is None or not math.isfinite(value):
        raise GradingError("Type the centre line as a number, for example 0.12.")
    analysis = spc_data.analyse(data)
    centre = float(analysis.points["cl"][0])
    tolerance = float(data.get("tolerance", 0.005))
    ok = abs(value - centre) <= tolerance
    note = ""
    # A proportion typed as a percentage (12 for 0.12) shows understanding of the sum; say so.
    if not ok and data["chart"] in ("p", "pp") and abs(value / 100 - centre) <= tolerance:
        ok, note = True, "You gave a percentage; the chart's centre line is the proportion."
    working = ""
    if data.get("n"):
        working = f"{sum(data['y']):g} ÷ {sum(data['n']):g} = {centre:.4f}"
    return Grade(
        1.0 if ok else 0.0,
        ok,
        {
            "value": value,
            "centre": round(centre, 6),
            "tolerance": tolerance,
            "note": note,
            "working": working,
        },
    )


def grade_pareto_vital_few(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Tick the vital few: right when the ticks are exactly `spc.pareto(...).vital_few`."""
    labels = [str(c["label"]).strip() for c in data["categories"]]
    result = spc.pareto(labels, [c["count"] for c in data["categories"]])
    vital = set(result.vital_few)
    chosen = {labels[i] for i in answer.get("chosen", []) if 0 <= i < len(labels)}
    rows = [
        {
            "label": label,
            "count": spc_data.label(count),
            "percent": round(percent, 1),
            "cumulative": round(cumulative, 1),
            "vital": label in vital,
            "chosen": label in chosen,
            "correct": (label in vital) == (label in chosen),
        }
        for label, count, percent, cumulative in zip(
            result.categories, result.counts, result.percent, result.cumulative_percent, strict=True
        )
    ]
    right = sum(bool(row["correct"]) for row in rows)
    return Grade(
        right / len(rows),
        chosen == vital,
        {
            "rows": rows,
            "right": right,
            "total": len(rows),
            "vital": len(vital),
            "missed": len(vital - chosen),
            "extra": len(chosen - vital),
        },
    )


def grade_aim_statement(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    text = str(answer.get("text", "")).strip()
    if not text:
        raise GradingError("Write your aim statement in the box first.")
    aim = check_aim(text)
    checks = aim.messages()
    return Grade(
        sum(found for _part, found, _message in checks) / len(checks),
        aim.ok,
        {
            "text": text,
            "checks": [
                {"label": part.capitalize(), "ok": found, "message": message}
                for part, found, message in checks
            ],
            "advice": aim.notes,
        },
    )


GRADERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], Grade]] = {
    "categorise": grade_categorise,
    "order_steps": grade_order_steps,
    "choose_chart": grade_choose_chart,
    "spc_signals": grade_spc_signals,
    "compute_centre_line": grade_compute_centre_line,
    "aim_statement": grade_aim_statement,
    "driver_diagram": grade_driver_diagram,
    "pareto_vital_few": grade_pareto_vital_few,
}


def grade(kind: str, data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    try:
        grader = GRADERS[kind]
    except KeyError:
        raise GradingError(f"Unknown exercise kind {kind!r}.") from None
    try:
        return grader(data, answer)
    except spc.SPCError as exc:  # content check stops this in CI; say so if it slips through
        raise GradingError(f"This exercise's data cannot be charted: {exc}") from None


EMPTY_MESSAGE = "You have not answered yet: {what}. Nothing was recorded."
_EMPTY_WHAT = {
    "categorise": "place at least one card in a category",
    "driver_diagram": "place at least one statement at a level",
    "order_steps": "give each step its position",
    "choose_chart": "choose a chart for at least one scenario",
    "spc_signals": "tick the points that signal and the rules they break, "
    "or tick “No point signals”",
    "compute_centre_line": "type the centre line as a number, for example 0.12",
    "aim_statement": "write your aim statement in the box",
    "pareto_vital_few": "tick the categories that make up the vital few",
}


def is_empty(kind: str, answer: dict[str, Any]) -> bool:
    """An answer with nothing in it: refused, never graded (it would show the key for nothing)."""
    if kind in ("categorise", "driver_diagram"):
        return not answer.get("placements")
    if kind == "order_steps":
        return all(pos == -1 for pos in answer.get("order", [])) or not answer.get("order")
    if kind == "choose_chart":
        return not answer.get("choices")
    if kind == "spc_signals":
        return not answer.get("marked") and not answer.get("rules") and not answer.get("none")
    if kind == "compute_centre_line":
        return answer.get("value") is None
    if kind == "aim_statement":
        return not str(answer.get("text", "")).strip()
    if kind == "pareto_vital_few":
        return not answer.get("chosen")
    return False


def read_answer(kind: str, data: dict[str, Any], post: Mapping[str, Any]) -> dict[str, Any]:
    """The answer of a submitted exercise form, as the grader expects it.

    An empty answer raises `GradingError` with a message saying what to do: it is never
    graded or recorded, and the answer key is not shown.
    """
    answer = _read_answer(kind, data, post)
    if is_empty(kind, answer):
        raise GradingError(EMPTY_MESSAGE.format(what=_EMPTY_WHAT.get(kind, "answer first")))
    return answer


def _read_answer(kind: str, data: dict[str, Any], post: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "categorise":
        return {"placements": _placements(data, post, {c["key"] for c in data["categories"]})}
    if kind == "driver_diagram":
        return {"placements": _placements(data, post, set(LEVELS))}
    if kind == "order_steps":
        positions: dict[int, int] = {}
        raw_positions = [str(post.get(f"step-{i}", "")).strip() for i in range(len(data["steps"]))]
        if not any(raw_positions):
            return {"order": []}
        for index, raw_position in enumerate(raw_positions):
            try:
                positions[index] = int(raw_position) - 1
            except ValueError:
                raise GradingError("Choose a position for every step.") from None
        order = [-1] * len(data["steps"])
        for step, pos in positions.items():
            if 0 <= pos < len(order) and order[pos] == -1:
                order[pos] = step
        return {"order": order}
    if kind == "choose_chart":
        return {
            "choices": {
                str(i): str(post.get(f"scenario-{i}", ""))
                for i in range(len(data["scenarios"]))
                if post.get(f"scenario-{i}")
            }
        }
    if kind == "spc_signals":
        getlist = getattr(post, "getlist", None)
        raw = getlist("point") if getlist else post.get("point", [])
        rules = getlist("rule") if getlist else post.get("rule", [])
        answer = {
            "marked": sorted({int(v) for v in raw if str(v).isdigit()}),
            "rules": sorted({str(r) for r in rules if r in spc_data.RULE_LABELS}),
        }
        if post.get("none"):
            answer["none"] = True
        return answer
    if kind == "compute_centre_line":
        text = str(post.get("value", "")).strip().replace(",", ".").rstrip("%").strip()
        if not text:
            return {"value": None}
        try:
            return {"value": float(text)}
        except ValueError:
            raise GradingError("Type the centre line as a number, for example 0.12.") from None
    if kind == "aim_statement":
        return {"text": str(post.get("text", ""))[:2000]}
    if kind == "pareto_vital_few":
        getlist = getattr(post, "getlist", None)
        raw = getlist("category") if getlist else post.get("category", [])
        count = len(data["categories"])
        return {"chosen": sorted({int(v) for v in raw if str(v).isdigit() and int(v) < count})}
    raise GradingError(f"Unknown exercise kind {kind!r}.")
