"""One grader per exercise kind, and the reading of each kind's answer from a submitted form.

Form field names carry the *original* index of each item, so the order items were shown in
(shuffled per person) never affects grading.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from champion import charts, spc
from champion.aims import check_aim
from champion.core.risk import SEVERE
from champion.core.risk import rpn as risk_priority
from champion.core.words import quoted
from champion.learning.grading import compute, mdc, spc_data
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
    # Every bucket the cards use must be recognised at least once: a pass mark alone lets a
    # learner miss a whole category (review A1 #3).
    used = {item[field] for item in data["items"]}
    recognised = {
        item[field]
        for index, item in enumerate(data["items"])
        if placements.get(str(index)) == item[field]
    }
    unrecognised = [label for key, label in labels.items() if key in used - recognised]
    return Grade(
        score,
        score >= float(data.get("pass_mark", 0.8)) - 1e-9 and not unrecognised,
        {"items": items, "right": right, "total": len(items), "unrecognised": unrecognised},
    )


def grade_categorise(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Share placed right, and every category recognised at least once (review A1 #3)."""
    return _sorted(data, answer, "category", {c["key"]: c["label"] for c in data["categories"]})


def grade_driver_diagram(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Share placed at the right level, and every level recognised at least once."""
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


#: What `compute_centre_line` may ask for, with the form field that carries each answer.
LINE_LABELS = {
    "cl": "The centre line",
    "ucl": "The upper control limit",
    "lcl": "The lower control limit",
}
LINE_FIELDS = {"cl": "value", "ucl": "ucl", "lcl": "lcl"}


def line_point(data: dict[str, Any]) -> int:
    """The 0-based point whose centre line and limits are asked (`at`, default the last)."""
    at = data.get("at")
    return int(at) if isinstance(at, int) and not isinstance(at, bool) else len(data["y"]) - 1


def within(value: float, right: float, tolerance: float) -> bool:
    """|value − right| <= tolerance, an answer exactly on the boundary included (a float's
    rounding, 41.3167 − 41.4167 = 0.10000000000000142, must not fail a tolerance of 0.1)."""
    return abs(value - right) <= tolerance * (1 + 1e-9) + 1e-12


def point_matters(data: dict[str, Any]) -> bool:
    """Whether the page must say which point is asked: limits, an explicit `at`, or phases
    (each phase has its own centre line)."""
    return list(data.get("ask") or ["cl"]) != ["cl"] or "at" in data or bool(data.get("parts"))


def engine_lines(data: dict[str, Any]) -> dict[str, float]:
    """The engine's centre line and limits at the asked point (NaN where there is none)."""
    analysis = spc_data.analyse(data)
    at = line_point(data)
    return {key: float(analysis.points[key][at]) for key in ("cl", "ucl", "lcl")}


def _line_working(data: dict[str, Any], key: str, lines: dict[str, float]) -> str:
    """The sum behind the engine's number, for the charts where it is short enough to show."""
    chart, at = data["chart"], line_point(data)
    centre = lines["cl"]
    if key == "cl":
        if (
            data.get("n")
            and chart in ("p", "u", "pp", "up")
            and not (data.get("freeze") or data.get("parts") or data.get("cl") is not None)
        ):
            return f"{sum(data['y']):g} ÷ {sum(data['n']):g} = {centre:.4f}"
        return ""
    sign = "+" if key == "ucl" else "−"
    if chart == "p":
        n = data["n"][at]
        return f"{centre:.4f} {sign} 3 × √({centre:.4f} × (1 − {centre:.4f}) ÷ {n:g}) = {lines[key]:.4f}"
    if chart == "u":
        n = data["n"][at]
        return f"{centre:.4f} {sign} 3 × √({centre:.4f} ÷ {n:g}) = {lines[key]:.4f}"
    if chart == "c":
        return f"{centre:.4f} {sign} 3 × √{centre:.4f} = {lines[key]:.4f}"
    if chart == "i" and math.isfinite(lines["ucl"]):
        moving_range = (lines["ucl"] - centre) / 2.66
        return (
            f"{centre:.4f} {sign} 2.66 × the mean moving range {moving_range:.4f} "
            f"= {lines[key]:.4f}"
        )
    return ""


def grade_compute_centre_line(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """The centre line (and, when `ask` says so, the limits) at one point, against the engine."""
    ask = list(data.get("ask") or ["cl"])
    for key in ask:
        value = answer.get(LINE_FIELDS[key])
        if value is None or not math.isfinite(value):
            raise GradingError(f"Type {LINE_LABELS[key].lower()} as a number, for example 0.12.")
    lines = engine_lines(data)
    tolerance = float(data.get("tolerance", 0.005))
    rows: list[dict[str, Any]] = []
    notes = []
    for key in ask:
        value = float(answer[LINE_FIELDS[key]])
        engine = lines[key]
        ok = math.isfinite(engine) and within(value, engine, tolerance)
        # A proportion typed as a percentage (12 for 0.12) shows understanding of the sum; say so.
        if (
            not ok
            and data["chart"] in ("p", "pp")
            and math.isfinite(engine)
            and within(value / 100, engine, tolerance)
        ):
            ok = True
            notes.append(f"{LINE_LABELS[key]}: you gave a percentage; the chart plots proportions.")
        rows.append(
            {
                "key": key,
                "label": LINE_LABELS[key],
                "value": _show(value, 6),
                "engine": round(engine, 6) if math.isfinite(engine) else None,
                "shown": _show(engine) if math.isfinite(engine) else "none",
                "correct": ok,
                "working": _line_working(data, key, lines),
            }
        )
    right = sum(row["correct"] for row in rows)
    centre_row = next((row for row in rows if row["key"] == "cl"), None)
    return Grade(
        right / len(rows),
        right == len(rows),
        {
            "rows": rows,
            "right": right,
            "total": len(rows),
            "tolerance": tolerance,
            "at": line_point(data),
            "at_label": spc_data.point_label(data, spc_data.analyse(data), line_point(data)),
            "asks_limits": point_matters(data),
            # The centre line's fields, as before limits could be asked.
            "value": centre_row["value"] if centre_row else None,
            "centre": round(lines["cl"], 6) if math.isfinite(lines["cl"]) else None,
            "note": " ".join(notes),
            "working": centre_row["working"] if centre_row else "",
        },
    )


def _show(value: float, places: int = 4) -> str:
    """A number as the feedback shows it: rounded, no trailing zeros."""
    text = f"{round(value, places):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def grade_fmea_rank(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Each failure mode's RPN (the FMEA tool's rule) and the order by RPN, highest first.

    Tied RPNs may be in either order. Pass = every RPN right and the order right. The score
    counts RPNs right and failure modes in a right place, out of twice the number of modes.
    """
    modes = data["failure_modes"]
    count = len(modes)
    true = [int(risk_priority(m["severity"], m["occurrence"], m["detection"]) or 0) for m in modes]
    typed = answer.get("rpns", {})
    order = [int(i) for i in answer.get("order", [])]
    if sorted(order) != list(range(count)):
        raise GradingError(
            f"Give every failure mode a different priority, from 1 (act first) to {count}."
        )
    expected = sorted(true, reverse=True)
    # The best place a mode can hold: 1 + the number of modes with a strictly higher RPN.
    best = [1 + sum(other > own for other in true) for own in true]
    worst = [sum(other >= own for other in true) for own in true]
    position = {mode: pos for pos, mode in enumerate(order)}
    rows: list[dict[str, Any]] = []
    for index in sorted(range(count), key=lambda i: (-true[i], i)):
        mode = modes[index]
        value = typed.get(str(index))
        rpn_ok = value is not None and abs(float(value) - true[index]) < 1e-9
        place = position[index] + 1
        in_place = true[index] == expected[place - 1]
        severe_low = mode["severity"] >= SEVERE and best[index] > count / 2
        tied_with = [
            str(modes[j]["label"]) for j in range(count) if j != index and true[j] == true[index]
        ]
        rows.append(
            {
                "label": str(mode["label"]),
                "severity": mode["severity"],
                "occurrence": mode["occurrence"],
                "detection": mode["detection"],
                "rpn": true[index],
                "typed": _show(float(value)) if value is not None else "",
                "rpn_correct": rpn_ok,
                "place": place,
                "right_place": (
                    str(best[index])
                    if best[index] == worst[index]
                    else f"{best[index]}–{worst[index]}"
                ),
                "in_place": in_place,
                "tied_with": tied_with,
                "severe_low": severe_low,
            }
        )
    rpn_right = sum(row["rpn_correct"] for row in rows)
    placed_right = sum(row["in_place"] for row in rows)
    order_right = placed_right == count
    return Grade(
        (rpn_right + placed_right) / (2 * count),
        rpn_right == count and order_right,
        {
            "rows": rows,
            "your_order": [str(modes[i]["label"]) for i in order],
            "rpn_right": rpn_right,
            "placed_right": placed_right,
            "order_right": order_right,
            "total": count,
            "ties": any(row["tied_with"] for row in rows),
            "severe": SEVERE,
        },
    )


#: What a `capability` exercise may ask for, as the page labels it.
CAPABILITY_LABELS = {
    "mean": "Mean",
    "sigma_within": "Sigma within (σ within)",
    "cp": "Cp",
    "cpk": "Cpk",
    "pp": "Pp",
    "ppk": "Ppk",
    "observed_percent_outside": "Observed % outside the specification limits",
}
#: Asked values that need both specification limits.
NEEDS_BOTH_LIMITS = {"cp", "pp"}


def capability_of(data: dict[str, Any]) -> Any:
    """`champion.spc.capability` of the exercise's values and limits (a `Capability`)."""
    return spc.capability(data["y"], lsl=data.get("lsl"), usl=data.get("usl"))


def capability_values(result: Any) -> dict[str, float | None]:
    """The engine's value for every key a `capability` exercise may ask."""
    return {
        "mean": result.mean,
        "sigma_within": result.sigma_within,
        "cp": result.cp,
        "cpk": result.cpk,
        "pp": result.pp,
        "ppk": result.ppk,
        "observed_percent_outside": result.observed_ppm_total / 10_000,
    }


def _capability_working(data: dict[str, Any], key: str, result: Any) -> str:
    lsl, usl = data.get("lsl"), data.get("usl")
    m, sw, so = result.mean, result.sigma_within, result.sigma_overall
    if key == "mean":
        return f"sum of the {result.n} values ÷ {result.n} = {_show(m)}"
    if key == "sigma_within":
        return f"mean moving range {_show(sw * 1.128)} ÷ 1.128 = {_show(sw)}"

    def index(sigma: float, name: str) -> str:
        parts = []
        if usl is not None:
            parts.append(
                f"(USL − mean) ÷ 3{name} = ({usl:g} − {_show(m)}) ÷ (3 × {_show(sigma)}) = {_show((usl - m) / (3 * sigma))}"
            )
        if lsl is not None:
            parts.append(
                f"(mean − LSL) ÷ 3{name} = ({_show(m)} − {lsl:g}) ÷ (3 × {_show(sigma)}) = {_show((m - lsl) / (3 * sigma))}"
            )
        return "the smaller of " + " and ".join(parts) if len(parts) > 1 else parts[0]

    if key in ("cp", "pp"):
        sigma, name = (sw, "σ within") if key == "cp" else (so, "σ overall")
        value = result.cp if key == "cp" else result.pp
        return f"(USL − LSL) ÷ 6{name} = ({usl:g} − {lsl:g}) ÷ (6 × {_show(sigma)}) = {_show(value or 0)}"
    if key == "cpk":
        return index(sw, "σ within")
    if key == "ppk":
        return index(so, "σ overall (the sample standard deviation)")
    outside = round(result.observed_ppm_total * result.n / 1e6)
    return f"{outside} of {result.n} values outside the limits: {outside} ÷ {result.n} × 100 = {_show(result.observed_ppm_total / 10_000)} %"


def grade_capability(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Each asked value against `champion.spc.capability`, within its own absolute tolerance."""
    result = capability_of(data)
    engine = capability_values(result)
    typed = answer.get("values", {})
    rows: list[dict[str, Any]] = []
    for key, tolerance in data["ask"].items():
        value = typed.get(key)
        if value is None or not math.isfinite(value):
            raise GradingError(f"Type the {CAPABILITY_LABELS[key]} as a number, for example 1.25.")
        right_value = engine[key]
        ok = right_value is not None and within(value, right_value, float(tolerance))
        rows.append(
            {
                "key": key,
                "label": CAPABILITY_LABELS[key],
                "value": _show(value),
                "engine": _show(right_value) if right_value is not None else "—",
                "tolerance": _show(float(tolerance)),
                "correct": ok,
                "working": _capability_working(data, key, result),
            }
        )
    right = sum(row["correct"] for row in rows)
    return Grade(
        right / len(rows),
        right == len(rows),
        {
            "rows": rows,
            "right": right,
            "total": len(rows),
            "all": [
                (CAPABILITY_LABELS[key], _show(value))
                for key, value in engine.items()
                if value is not None
            ]
            + [("Sigma overall (sample standard deviation)", _show(result.sigma_overall))],
            "n": result.n,
            "lsl": data.get("lsl"),
            "usl": data.get("usl"),
        },
    )


def grade_compute_value(data: dict[str, Any], answer: dict[str, Any]) -> Grade:
    """Each question's number against the platform's own function, within its tolerance."""
    typed = answer.get("values", {})
    rows: list[dict[str, Any]] = []
    for index, question in enumerate(data["questions"]):
        value = typed.get(str(index))
        if value is None or not math.isfinite(value):
            raise GradingError(f"Type a number for question {index + 1}.")
        try:
            right_value = compute.compute(question["compute"], question["inputs"])
        except compute.ComputeError as exc:
            raise GradingError(f"This exercise's inputs cannot be computed: {exc}") from None
        tolerance = float(question["tolerance"])
        ok = within(value, right_value, tolerance)
        rows.append(
            {
                "prompt": str(question["prompt"]),
                "unit": str(question.get("unit") or ""),
                "value": _show(value),
                "engine": _show(right_value),
                "tolerance": _show(tolerance),
                "correct": ok,
                "working": compute.working(question["compute"], question["inputs"], right_value),
            }
        )
    right = sum(bool(row["correct"]) for row in rows)
    return Grade(
        right / len(rows),
        right == len(rows),
        {"rows": rows, "right": right, "total": len(rows)},
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
    "fmea_rank": grade_fmea_rank,
    "capability": grade_capability,
    "compute_value": grade_compute_value,
    "mdc_icons": mdc.grade_mdc_icons,
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
    "fmea_rank": "type each failure mode's RPN and give each its priority",
    "capability": "type each value asked as a number, for example 1.25",
    "compute_value": "type each answer as a number, for example 12.5",
    "mdc_icons": "choose the variation icon and the assurance icon for every chart",
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
        return all(answer.get(field) is None for field in LINE_FIELDS.values())
    if kind == "fmea_rank":
        return not answer.get("rpns") and not answer.get("ranked")
    if kind in ("capability", "compute_value"):
        return not answer.get("values")
    if kind == "aim_statement":
        return not str(answer.get("text", "")).strip()
    if kind == "pareto_vital_few":
        return not answer.get("chosen")
    if kind == "mdc_icons":
        return not answer.get("variation") and not answer.get("assurance")
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
        ask = list(data.get("ask") or ["cl"])
        fields = [(LINE_FIELDS[key], LINE_LABELS[key].lower()) for key in ask]
        values = _read_numbers(post, fields, "the centre line" if ask == ["cl"] else "")
        return {field: values[field] for field, _label in fields} if values else {"value": None}
    if kind == "fmea_rank":
        return _read_fmea(data, post)
    if kind == "capability":
        ask = list(data.get("ask") or {})
        fields = [(f"ask-{key}", CAPABILITY_LABELS.get(key, key)) for key in ask]
        values = _read_numbers(post, fields)
        return {"values": {key: values[f"ask-{key}"] for key in ask} if values else {}}
    if kind == "compute_value":
        fields = [
            (f"answer-{i}", f"your answer to question {i + 1}")
            for i in range(len(data["questions"]))
        ]
        values = _read_numbers(post, fields)
        return {
            "values": {str(i): values[f"answer-{i}"] for i in range(len(fields))} if values else {}
        }
    if kind == "aim_statement":
        return {"text": str(post.get("text", ""))[:2000]}
    if kind == "pareto_vital_few":
        getlist = getattr(post, "getlist", None)
        raw = getlist("category") if getlist else post.get("category", [])
        count = len(data["categories"])
        return {"chosen": sorted({int(v) for v in raw if str(v).isdigit() and int(v) < count})}
    if kind == "mdc_icons":
        return mdc.read_answer(data, post)
    raise GradingError(f"Unknown exercise kind {kind!r}.")


_BLANKS = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)


def parse_number(raw: Any) -> float | None:
    """A typed number: None when blank; spaces, a decimal comma ("0,85"), a minus sign (−)
    and a trailing % are accepted ("1,234.5" reads the comma as a thousands separator).
    Raises ValueError for anything else."""
    text = _BLANKS.sub("", str(raw if raw is not None else "")).replace("\u2212", "-")
    if not text:
        return None
    text = text.removesuffix("%")
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise ValueError(raw)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def _read_numbers(
    post: Mapping[str, Any], fields: list[tuple[str, str]], single: str = ""
) -> dict[str, float]:
    """Every field as a number; {} when all are blank (an empty answer).

    A box that is not a number, or left blank while others are filled, is refused with a
    message naming it: such an answer is not graded, nor recorded.
    """
    values: dict[str, float | None] = {}
    for field, label in fields:
        raw = post.get(field, "")
        try:
            values[field] = parse_number(raw)
        except ValueError:
            what = single or label
            raise GradingError(
                f"Type {what} as a number, for example 0.12 (you typed {quoted(str(raw)[:40])}). "
                "Nothing was recorded."
            ) from None
    if all(v is None for v in values.values()):
        return {}
    blank = [label for field, label in fields if values[field] is None]
    if blank:
        raise GradingError(
            f"Answer every box: {', '.join(blank)} {'is' if len(blank) == 1 else 'are'} empty. "
            "Nothing was recorded."
        )
    return {field: float(v) for field, v in values.items() if v is not None}


def _read_fmea(data: dict[str, Any], post: Mapping[str, Any]) -> dict[str, Any]:
    modes = data["failure_modes"]
    count = len(modes)
    labels = [f"the RPN of {quoted(m['label'])}" for m in modes]
    rpns = _read_numbers(post, [(f"rpn-{i}", labels[i]) for i in range(count)])
    raw_ranks = [str(post.get(f"rank-{i}", "")).strip() for i in range(count)]
    if not rpns and not any(raw_ranks):
        return {"rpns": {}, "order": []}
    if not rpns:
        raise GradingError(
            "Type each failure mode's RPN (severity × occurrence × detection) as well as its "
            "priority. Nothing was recorded."
        )
    ranks: dict[int, int] = {}
    for index, raw in enumerate(raw_ranks):
        if not raw.isdigit() or not 1 <= int(raw) <= count:
            raise GradingError(
                f"Give {quoted(modes[index]['label'])} a priority from 1 (act first) to {count}. "
                "Nothing was recorded."
            )
        ranks[index] = int(raw)
    if len(set(ranks.values())) != count:
        raise GradingError(
            f"Give every failure mode a different priority, from 1 (act first) to {count}. "
            "Nothing was recorded."
        )
    order = sorted(range(count), key=lambda i: ranks[i])
    return {
        "rpns": {str(i): rpns[f"rpn-{i}"] for i in range(count)},
        "order": order,
        "ranked": True,
    }
