"""Checks for question banks and exercises: every rule of docs/content-format.md, with lines.

Each checker receives the parsed YAML (with line numbers) and a `report(line, message)`
callback, and returns plain data for the loader (or what it could salvage).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from champion import spc
from champion.aims import check_aim
from champion.core.risk import valid_score
from champion.learning.content.yamlines import line_in
from champion.learning.grading import compute, mdc, spc_data
from champion.learning.grading.kinds import CAPABILITY_LABELS, NEEDS_BOTH_LIMITS, engine_lines

#: "Cycle 2: ...", "Step 3 -", "4. ...", "(5)": a step that gives away its own position.
NUMBERED_STEP = re.compile(
    r"\s*(?:(?:cycle|step|stage|phase|part)\s*\d+|\(?\d+\s*[.):])", re.IGNORECASE
)

Report = Callable[[int, str], None]
QUESTION_ID = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
QUESTION_FIELDS = {"id", "type", "prompt", "choices"}
CHOICE_FIELDS = {"text", "correct", "explanation"}
COMMON = {"kind", "title", "instructions"}
KIND_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (required, optional)
    "categorise": ({"categories", "items"}, {"pass_mark"}),
    "order_steps": ({"steps", "explanation"}, {"pass_mark"}),
    "choose_chart": ({"scenarios"}, {"pass_mark"}),
    "spc_signals": (
        {"chart", "rules", "y", "explanation"},
        {"x", "n", "freeze", "parts", "cl", "pass_mark"},
    ),
    "compute_centre_line": (
        {"chart", "y", "explanation"},
        {"x", "n", "freeze", "parts", "cl", "tolerance", "ask", "at"},
    ),
    "pareto_vital_few": ({"categories", "explanation"}, set()),
    "fmea_rank": ({"failure_modes", "explanation"}, set()),
    "capability": ({"y", "ask", "explanation"}, {"lsl", "usl"}),
    "compute_value": ({"questions", "explanation"}, set()),
    "mdc_icons": ({"charts", "explanation"}, {"own_data"}),
    "aim_statement": ({"scenario", "example"}, set()),
    "driver_diagram": ({"aim", "items"}, {"pass_mark"}),
}


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _fields(
    data: dict[str, Any], required: set[str], optional: set[str], what: str, report: Report
) -> None:
    for name in sorted(required - set(data)):
        report(line_in(data), f"{what} is missing {name!r}")
    for name in sorted(set(data) - required - optional):
        report(line_in(data, name), f"{what} has an unknown field {name!r}")


MIN_QUESTIONS = 10
#: Absolute words that give away a wrong choice when only wrong choices use them.
CUE_WORDS = re.compile(
    r"\b(?:only|never|always|all|none|every|proven|guaranteed|completely|must)\b", re.IGNORECASE
)
CUE_P_VALUE = 0.05


def tail_probability(probabilities: list[float], observed: int) -> float:
    """P(X >= observed) for X a sum of independent Bernoulli(p_i) (Poisson-binomial)."""
    dist = [1.0]
    for p in probabilities:
        nxt = [0.0] * (len(dist) + 1)
        for k, mass in enumerate(dist):
            nxt[k] += mass * (1 - p)
            nxt[k + 1] += mass * p
        dist = nxt
    return min(1.0, sum(dist[observed:]))


def longest_answer_cue(questions: list[dict[str, Any]]) -> tuple[int, int, float, float] | None:
    """(keyed-longest count, single items, expected by chance, p) when the cue is significant.

    In an item with k choices, a keyed answer chosen without regard to length is the strictly
    longest with probability at most 1/k; a bank where it is so far more often than that
    rewards picking the longest option.
    """
    singles = [
        q
        for q in questions
        if q["type"] == "single" and sum(c["correct"] for c in q["choices"]) == 1
    ]
    hits = 0
    chances = []
    for question in singles:
        lengths = [len(c["text"]) for c in question["choices"]]
        keyed = next(len(c["text"]) for c in question["choices"] if c["correct"])
        chances.append(1 / len(lengths))
        hits += keyed == max(lengths) and lengths.count(keyed) == 1
    if not singles or hits == 0:
        return None
    p = tail_probability(chances, hits)
    return (hits, len(singles), sum(chances), p) if p < CUE_P_VALUE else None


def check_quiz(data: Any, report: Report) -> list[dict[str, Any]]:
    """Check a bank against docs/content-format.md, item-writing rules included."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        report(1, "a question bank is a mapping with a 'questions' list")
        return []
    questions = data["questions"]
    if len(questions) < MIN_QUESTIONS:
        report(
            line_in(data, "questions"),
            f"a bank needs at least {MIN_QUESTIONS} questions (has {len(questions)}), "
            "so that retakes see new questions",
        )
    ids: set[str] = set()
    result = []
    for qi, question in enumerate(questions):
        line = line_in(questions, qi)
        if not isinstance(question, dict):
            report(line, "each question is a mapping")
            continue
        _fields(question, QUESTION_FIELDS, set(), f"question {qi + 1}", report)
        qid = question.get("id")
        if not isinstance(qid, str) or not QUESTION_ID.match(qid):
            report(
                line_in(question, "id"),
                f"question id {qid!r} must be lowercase letters, digits and hyphens",
            )
        elif qid in ids:
            report(line_in(question, "id"), f"question id {qid!r} is used twice in this bank")
        else:
            ids.add(qid)
        qtype = question.get("type")
        if qtype not in ("single", "multiple"):
            report(
                line_in(question, "type"), f"question {qid}: type must be 'single' or 'multiple'"
            )
        if not _text(question.get("prompt")):
            report(line_in(question, "prompt"), f"question {qid}: the prompt is empty")
        choices = question.get("choices")
        if not isinstance(choices, list) or not 3 <= len(choices) <= 5:
            report(line_in(question, "choices"), f"question {qid}: 3 to 5 choices are needed")
            continue
        correct = 0
        texts: set[str] = set()
        clean_choices = []
        for ci, choice in enumerate(choices):
            cline = line_in(choices, ci)
            if not isinstance(choice, dict):
                report(cline, f"question {qid}: each choice is a mapping")
                continue
            _fields(
                choice,
                {"text", "explanation"},
                {"correct"},
                f"question {qid}, choice {ci + 1}",
                report,
            )
            if not _text(choice.get("text")):
                report(cline, f"question {qid}: choice {ci + 1} has no text")
            elif choice["text"].strip() in texts:
                report(cline, f"question {qid}: choice {ci + 1} repeats another choice")
            else:
                texts.add(choice["text"].strip())
            if not _text(choice.get("explanation")):
                report(cline, f"question {qid}: choice {ci + 1} has no explanation")
            if "correct" in choice and not isinstance(choice["correct"], bool):
                report(
                    line_in(choice, "correct"), f"question {qid}: 'correct' must be true or false"
                )
            correct += choice.get("correct") is True
            clean_choices.append(
                {
                    "text": str(choice.get("text", "")).strip(),
                    "correct": choice.get("correct") is True,
                    "explanation": str(choice.get("explanation", "")).strip(),
                }
            )
        if qtype == "single" and correct != 1:
            report(
                line,
                f"question {qid}: a 'single' question has exactly one correct choice (has {correct})",
            )
        if qtype == "multiple" and correct < 1:
            report(line, f"question {qid}: a 'multiple' question has at least one correct choice")
        wrong = len(choices) - correct
        if qtype == "multiple" and wrong < 2:
            report(
                line,
                f"question {qid}: a 'select all' question needs at least 2 plausible wrong "
                f"choices (has {wrong})",
            )
        if qtype == "multiple" and wrong and correct:
            cued = [bool(CUE_WORDS.search(str(c["text"]))) for c in clean_choices]
            keyed = [c["correct"] for c in clean_choices]
            if all(cue for cue, key in zip(cued, keyed, strict=True) if not key) and not any(
                cue for cue, key in zip(cued, keyed, strict=True) if key
            ):
                report(
                    line,
                    f"question {qid}: every wrong choice, and no right one, says only, never, "
                    "always, all, none, proven or guaranteed: learners can pass by leaving out "
                    "the absolute words",
                )
        result.append(
            {
                "id": str(qid),
                "type": str(qtype),
                "prompt": str(question.get("prompt", "")).strip(),
                "choices": clean_choices,
            }
        )
    cue = longest_answer_cue(result)
    if cue:
        hits, singles, expected, p = cue
        report(
            line_in(data, "questions"),
            f"the keyed answer is the strictly longest choice in {hits} of {singles} single "
            f"items (about {expected:.1f} expected by chance, p = {p:.3f}): learners can pass "
            "by picking the longest option; make the options similar in length",
        )
    return result


def _pass_mark(data: dict[str, Any], report: Report) -> None:
    mark = data.get("pass_mark", 0.8)
    if isinstance(mark, bool) or not isinstance(mark, int | float) or not 0 < mark <= 1:
        report(line_in(data, "pass_mark"), "pass_mark is a share between 0 and 1, e.g. 0.8")


def _list_of_maps(
    data: dict[str, Any], name: str, fields: set[str], report: Report, minimum: int = 2
) -> list[Any]:
    items = data.get(name)
    if not isinstance(items, list) or len(items) < minimum:
        report(line_in(data, name), f"{name!r} must list at least {minimum}")
        return []
    good = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            report(line_in(items, index), f"{name} {index + 1} must be a mapping")
            continue
        _fields(item, fields, set(), f"{name} {index + 1}", report)
        for key in fields:
            if key in item and key not in ("key",) and not _text(item[key]):
                report(line_in(item, key), f"{name} {index + 1}: {key!r} must be non-empty text")
        good.append(item)
    return good


def _numbers(data: dict[str, Any], name: str, report: Report) -> bool:
    values = data.get(name)
    if (
        not isinstance(values, list)
        or not values
        or not all(
            v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values
        )
    ):
        report(line_in(data, name), f"{name!r} must be a list of numbers")
        return False
    return True


def _check_phases(data: dict[str, Any], report: Report) -> bool:
    """`freeze` (baseline points), `parts` (0-based phase starts) and `cl` (a fixed centre)."""
    ok = True
    size = len(data["y"]) if isinstance(data.get("y"), list) else 0
    freeze = data.get("freeze")
    if "freeze" in data and (
        isinstance(freeze, bool) or not isinstance(freeze, int) or not 2 <= freeze <= size
    ):
        report(
            line_in(data, "freeze"),
            f"'freeze' is the number of baseline points: a whole number from 2 to {size}",
        )
        ok = False
    parts = data.get("parts")
    if "parts" in data:
        if (
            not isinstance(parts, list)
            or not parts
            or not all(isinstance(p, int) and not isinstance(p, bool) for p in parts)
            or any(not 0 < p < size for p in parts)
            or sorted(set(parts)) != list(parts)
        ):
            report(
                line_in(data, "parts"),
                "'parts' lists the 0-based positions where a new phase starts, in order, "
                f"each from 1 to {size - 1}, e.g. [12]",
            )
            ok = False
        elif "freeze" in data:
            report(line_in(data, "freeze"), "give 'freeze' or 'parts', not both")
            ok = False
    cl = data.get("cl")
    if "cl" in data and (isinstance(cl, bool) or not isinstance(cl, int | float)):
        report(line_in(data, "cl"), "'cl' (a fixed centre line) must be a number")
        ok = False
    return ok


def check_chart_data(
    data: dict[str, Any], report: Report, rules_optional: bool = False, text_x: bool = False
) -> None:
    """The chart code, the data and the options, and that `champion.spc` can analyse them.

    `text_x`: labels such as "2024-01" are fine (shown as written, the points kept in order)."""
    chart = data.get("chart")
    if chart not in spc.CHARTS:
        report(
            line_in(data, "chart"),
            f"chart {chart!r} is not a champion.spc chart code ({', '.join(spc.CHARTS)})",
        )
        return
    ok = _numbers(data, "y", report)
    if chart in spc_data.NEEDS_N and "n" not in data:
        report(line_in(data), f"a {chart} chart needs denominators 'n'")
        ok = False
    if "n" in data:
        ok = _numbers(data, "n", report) and ok
    for name in ("x", "n"):
        if (
            name in data
            and isinstance(data.get(name), list)
            and isinstance(data.get("y"), list)
            and len(data[name]) != len(data["y"])
        ):
            report(
                line_in(data, name),
                f"{name!r} has {len(data[name])} values but 'y' has {len(data['y'])}",
            )
            ok = False
    if "x" in data and not isinstance(data["x"], list):
        report(line_in(data, "x"), "'x' must be a list of labels")
        ok = False
    if not ok or not _check_phases(data, report):
        return
    x = spc_data.parse_x(data.get("x"))
    if (
        x is not None
        and not text_x
        and all(isinstance(v, str) for v in x)
        and any(re.match(r"^\d{4}-\d{2}", v) for v in x)
    ):
        report(
            line_in(data, "x"),
            "'x' looks like dates but is not ISO YYYY-MM-DD throughout; it would be read as text",
        )
    rules = data.get("rules") or []
    if not isinstance(rules, list) or (not rules and not rules_optional):
        report(line_in(data, "rules"), "'rules' must list at least one rule set, e.g. [ihi]")
        return
    for index, rule in enumerate(rules):
        if rule != "anhoej" and rule not in spc.RULE_SETS:
            report(
                line_in(rules, index),
                f"rule set {rule!r} is not one of anhoej, {', '.join(spc.RULE_SETS)}",
            )
            return
    try:
        spc_data.analyse(data)
    except spc.SPCError as exc:
        report(line_in(data, "y"), f"champion.spc cannot analyse this data: {exc}")


def check_exercise(data: Any, report: Report) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        report(1, "an exercise is a YAML mapping")
        return None
    kind = data.get("kind")
    if kind not in KIND_FIELDS:
        report(line_in(data, "kind"), f"kind {kind!r} must be one of {', '.join(KIND_FIELDS)}")
        return None
    required, optional = KIND_FIELDS[kind]
    _fields(data, COMMON | required, optional, f"a {kind} exercise", report)
    for name in ("title", "instructions"):
        if name in data and not _text(data[name]):
            report(line_in(data, name), f"{name!r} must be non-empty text")
    if kind == "categorise":
        categories = _list_of_maps(data, "categories", {"key", "label"}, report)
        keys = [c.get("key") for c in categories]
        if len(set(keys)) != len(keys):
            report(line_in(data, "categories"), "category keys must be unique")
        for index, item in enumerate(
            _list_of_maps(data, "items", {"text", "category", "explanation"}, report)
        ):
            if item.get("category") not in keys:
                report(
                    line_in(item, "category"),
                    f"item {index + 1}: category {item.get('category')!r} is not one of the categories",
                )
        _pass_mark(data, report)
    elif kind == "driver_diagram":
        if not _text(data.get("aim")):
            report(line_in(data, "aim"), "'aim' must be non-empty text")
        items = _list_of_maps(data, "items", {"text", "level", "explanation"}, report)
        for index, item in enumerate(items):
            if item.get("level") not in ("primary", "secondary", "change"):
                report(
                    line_in(item, "level"),
                    f"item {index + 1}: level must be primary, secondary or change",
                )
        if items and {i.get("level") for i in items} != {"primary", "secondary", "change"}:
            report(line_in(data, "items"), "a driver diagram needs items at all three levels")
        _pass_mark(data, report)
    elif kind == "order_steps":
        steps = data.get("steps")
        if not isinstance(steps, list) or len(steps) < 3 or not all(_text(s) for s in steps):
            report(line_in(data, "steps"), "'steps' must list at least 3 steps as text")
        elif len(set(steps)) != len(steps):
            report(
                line_in(data, "steps"),
                "two steps have the same text, so their order cannot be graded",
            )
        else:
            for number, step in enumerate(steps, start=1):
                if NUMBERED_STEP.match(step):
                    report(
                        line_in(data, "steps"),
                        f"step {number} starts with its number ({step[:20]!r}...): "
                        "the learner would read the answer off the card",
                    )
        if not _text(data.get("explanation")):
            report(line_in(data, "explanation"), "'explanation' must be non-empty text")
        if "pass_mark" in data:
            _pass_mark(data, report)
    elif kind == "choose_chart":
        for index, scenario in enumerate(
            _list_of_maps(data, "scenarios", {"text", "answer", "explanation"}, report)
        ):
            if scenario.get("answer") not in spc.CHARTS:
                report(
                    line_in(scenario, "answer"),
                    f"scenario {index + 1}: answer {scenario.get('answer')!r} is not a champion.spc chart code",
                )
        _pass_mark(data, report)
    elif kind in ("spc_signals", "compute_centre_line"):
        check_chart_data(data, report, rules_optional=kind == "compute_centre_line")
        if not _text(data.get("explanation")):
            report(line_in(data, "explanation"), "'explanation' must be non-empty text")
        if kind == "spc_signals":
            _pass_mark(data, report)
        else:
            tolerance = data.get("tolerance", 0.005)
            if (
                isinstance(tolerance, bool)
                or not isinstance(tolerance, int | float)
                or tolerance <= 0
            ):
                report(line_in(data, "tolerance"), "tolerance must be a positive number")
            _check_lines(data, report)
    elif kind == "pareto_vital_few":
        _check_pareto(data, report)
    elif kind == "fmea_rank":
        _check_fmea(data, report)
    elif kind == "capability":
        _check_capability(data, report)
    elif kind == "compute_value":
        _check_compute_value(data, report)
    elif kind == "mdc_icons":
        _check_mdc_icons(data, report)
    if kind in ("fmea_rank", "capability", "compute_value", "mdc_icons") and not _text(
        data.get("explanation")
    ):
        report(line_in(data, "explanation"), "'explanation' must be non-empty text")
    elif kind == "aim_statement":
        for name in ("scenario", "example"):
            if not _text(data.get(name)):
                report(line_in(data, name), f"{name!r} must be non-empty text")
        if _text(data.get("example")):
            # The aim is the example's first paragraph; what follows explains it.
            aim = data["example"].strip().split("\n\n")[0].strip().strip('"“”')
            missing = check_aim(aim).missing
            if missing:
                report(
                    line_in(data, "example"),
                    f"the example aim fails the platform's own check: no {', '.join(missing)}",
                )
    return dict(data)


def _check_pareto(data: dict[str, Any], report: Report) -> None:
    """5 to 10 categories with distinct labels and counts `champion.spc.pareto` can rank."""
    categories = data.get("categories")
    if not isinstance(categories, list) or not 5 <= len(categories) <= 10:
        report(line_in(data, "categories"), "'categories' must list 5 to 10 categories")
        return
    labels: list[str] = []
    counts: list[float] = []
    for index, category in enumerate(categories):
        if not isinstance(category, dict):
            report(line_in(categories, index), f"category {index + 1} must be a mapping")
            return
        _fields(category, {"label", "count"}, set(), f"category {index + 1}", report)
        label, count = category.get("label"), category.get("count")
        if not isinstance(label, str) or not label.strip():
            report(line_in(category, "label"), f"category {index + 1}: 'label' must be text")
            return
        if label.strip() in labels:
            report(line_in(category, "label"), f"category {label!r} is listed twice")
            return
        if isinstance(count, bool) or not isinstance(count, int | float) or count < 0:
            report(
                line_in(category, "count"),
                f"category {index + 1}: 'count' must be a number, 0 or more",
            )
            return
        labels.append(label.strip())
        counts.append(float(count))
    try:
        result = spc.pareto(labels, counts)
    except spc.SPCError as exc:
        report(line_in(data, "categories"), f"champion.spc cannot rank these counts: {exc}")
        return
    # A tie across the 80 % line would make the vital few depend on the labels' spelling.
    cut = len(result.vital_few)
    if cut < len(result.counts) and result.counts[cut - 1] == result.counts[cut]:
        report(
            line_in(data, "categories"),
            f"{result.categories[cut - 1]!r} and {result.categories[cut]!r} have the same count "
            "where the vital few end, so which one is 'vital' is arbitrary: change a count",
        )
    if cut == len(result.counts):
        report(
            line_in(data, "categories"),
            "every category is in the vital few: make a few categories account for most of the total",
        )


#: Charts whose lower limit is cut at zero by the engine (a count, proportion, rate or spread
#: cannot go below it): a lower limit of 0 there means the chart has no lower limit.
ZERO_FLOOR = {"p", "np", "c", "u", "pp", "up", "g", "mr", "r", "s"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_lines(data: dict[str, Any], report: Report) -> None:
    """`ask` (cl, ucl, lcl) and `at` (the 0-based point asked): known, in range, and existing."""
    ask = data.get("ask", ["cl"])
    if (
        not isinstance(ask, list)
        or not ask
        or any(key not in ("cl", "ucl", "lcl") for key in ask)
        or len(set(ask)) != len(ask)
    ):
        report(
            line_in(data, "ask"),
            f"'ask' lists what the learner computes, from cl, ucl and lcl, e.g. [cl, ucl, lcl] "
            f"(got {ask!r})",
        )
        return
    if not isinstance(data.get("y"), list) or not data["y"]:
        return
    size = len(data["y"])
    at = data.get("at", size - 1)
    if not _is_int(at) or not 0 <= at < size:
        report(
            line_in(data, "at"),
            f"'at' is the 0-based point whose limits are asked: a whole number from 0 to "
            f"{size - 1} (got {at!r})",
        )
        return
    try:
        lines = engine_lines(data)
    except (spc.SPCError, KeyError, TypeError, ValueError):
        return  # check_chart_data has said why
    chart = data.get("chart")
    names = {"cl": "centre line", "ucl": "upper control limit", "lcl": "lower control limit"}
    for key in ask:
        value = lines[key]
        missing = value != value  # NaN: the chart has no such line (a run chart has no limits)
        if key == "lcl" and chart in ZERO_FLOOR and value <= 0:
            missing = True
        if key == "ucl" and chart in ("p", "pp") and value >= 1:
            missing = True
        if missing:
            report(
                line_in(data, "ask"),
                f"a {chart} chart has no {names[key]} at point {at} "
                + (
                    "(the formula gives a value below zero, so there is none)"
                    if key == "lcl" and value == value
                    else "(above 100 %, so there is none)"
                    if value == value
                    else ""
                )
                + f": do not ask for {key}",
            )


def _check_fmea(data: dict[str, Any], report: Report) -> None:
    """4 to 8 failure modes, distinct labels, each score a whole number from 1 to 10."""
    modes = data.get("failure_modes")
    if not isinstance(modes, list) or not 4 <= len(modes) <= 8:
        report(line_in(data, "failure_modes"), "'failure_modes' must list 4 to 8 failure modes")
        return
    labels: set[str] = set()
    for index, mode in enumerate(modes):
        if not isinstance(mode, dict):
            report(line_in(modes, index), f"failure mode {index + 1} must be a mapping")
            continue
        _fields(
            mode,
            {"label", "severity", "occurrence", "detection"},
            set(),
            f"failure mode {index + 1}",
            report,
        )
        label = str(mode.get("label") or "")
        if not _text(label):
            report(line_in(mode, "label"), f"failure mode {index + 1}: 'label' must be text")
        elif label.strip() in labels:
            report(line_in(mode, "label"), f"failure mode {label!r} is listed twice")
        else:
            labels.add(label.strip())
        for score in ("severity", "occurrence", "detection"):
            if score in mode and not valid_score(mode[score]):
                report(
                    line_in(mode, score),
                    f"failure mode {index + 1}: {score} must be a whole number from 1 to 10 "
                    f"(got {mode[score]!r}), as in the FMEA tool",
                )


def _tolerance_ok(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _check_capability(data: dict[str, Any], report: Report) -> None:
    """20+ values of a stable process, at least one limit, and `ask` keys the engine computes."""
    if not _numbers(data, "y", report):
        return
    values = [v for v in data["y"] if v is not None]
    if len(values) < 20:
        report(
            line_in(data, "y"),
            f"capability needs at least 20 values in time order (has {len(values)})",
        )
    limits = {}
    for name in ("lsl", "usl"):
        value = data.get(name)
        if name in data and (isinstance(value, bool) or not isinstance(value, int | float)):
            report(line_in(data, name), f"{name!r} (a specification limit) must be a number")
            return
        if value is not None:
            limits[name] = value
    if not limits:
        report(
            line_in(data),
            "capability needs at least one specification limit: give 'lsl', 'usl' or both",
        )
        return
    ask = data.get("ask")
    if not isinstance(ask, dict) or not ask:
        report(
            line_in(data, "ask"),
            "'ask' maps what the learner computes to its absolute tolerance, e.g. "
            "{cpk: 0.05, mean: 0.5}",
        )
        return
    for key, tolerance in ask.items():
        if key not in CAPABILITY_LABELS:
            report(
                line_in(ask, key),
                f"'ask' key {key!r} is not one of {', '.join(CAPABILITY_LABELS)}",
            )
        elif key in NEEDS_BOTH_LIMITS and len(limits) < 2:
            report(line_in(ask, key), f"{key} needs both 'lsl' and 'usl'")
        if not _tolerance_ok(tolerance):
            report(line_in(ask, key), f"the tolerance for {key!r} must be a positive number")
    try:
        spc.capability(data["y"], lsl=data.get("lsl"), usl=data.get("usl"))
    except spc.SPCError as exc:
        report(line_in(data, "y"), f"champion.spc.capability cannot use this data: {exc}")
        return
    # Capability means something only for a stable process: the I chart must not signal.
    analysis = spc.analyze(data["y"], chart="i")
    beyond = [i + 1 for i, v in enumerate(analysis.points["sigma_signal"]) if bool(v)]
    runs = bool(analysis.points["runs_signal"].any())
    if beyond or runs:
        said = []
        if beyond:
            said.append(
                f"{'a point' if len(beyond) == 1 else 'points'} beyond a limit: "
                + ", ".join(map(str, beyond[:8]))
            )
        if runs:
            said.append("an Anhøj runs signal")
        report(
            line_in(data, "y"),
            f"the I chart of these values signals ({'; '.join(said)}): capability is "
            "meaningful only for a stable process",
        )


def _check_compute_value(data: dict[str, Any], report: Report) -> None:
    """1 to 4 questions, each with a prompt, a known function, inputs it can compute, a tolerance."""
    questions = data.get("questions")
    if not isinstance(questions, list) or not 1 <= len(questions) <= 4:
        report(line_in(data, "questions"), "'questions' must list 1 to 4 questions")
        return
    for index, question in enumerate(questions):
        where = f"question {index + 1}"
        if not isinstance(question, dict):
            report(line_in(questions, index), f"{where} must be a mapping")
            continue
        _fields(question, {"prompt", "compute", "inputs", "tolerance"}, {"unit"}, where, report)
        if not _text(question.get("prompt")):
            report(line_in(question, "prompt"), f"{where}: 'prompt' must be non-empty text")
        if "unit" in question and not _text(question["unit"]):
            report(line_in(question, "unit"), f"{where}: 'unit' must be text, e.g. minutes")
        if "tolerance" in question and not _tolerance_ok(question["tolerance"]):
            report(
                line_in(question, "tolerance"),
                f"{where}: 'tolerance' must be a positive number (absolute, e.g. 0.1)",
            )
        name = question.get("compute")
        if name not in compute.FUNCTIONS:
            report(
                line_in(question, "compute"),
                f"{where}: compute {name!r} is not one of {', '.join(compute.FUNCTIONS)}",
            )
            continue
        if "inputs" not in question:
            continue
        try:
            compute.check_inputs(str(name), question["inputs"])
        except compute.ComputeError as exc:
            report(line_in(question, "inputs"), f"{where}: {exc}")


MDC_CHART_FIELDS = ({"title", "chart", "y", "improvement"}, {"n", "x", "target", "freeze", "rag"})


def _check_mdc_icons(data: dict[str, Any], report: Report) -> None:
    """1-4 charts with limits, >= 15 points, a better direction, a sane target; the engine
    must give each its Making Data Count icons."""
    if "own_data" in data and not isinstance(data["own_data"], bool):
        report(line_in(data, "own_data"), "'own_data' is true or false")
    charts = data.get("charts")
    if not isinstance(charts, list) or not 1 <= len(charts) <= mdc.MAX_CHARTS:
        report(
            line_in(data, "charts"),
            f"'charts' must list 1 to {mdc.MAX_CHARTS} charts, like a page of a board pack",
        )
        return
    for index, chart in enumerate(charts):
        what = f"chart {index + 1}"
        if not isinstance(chart, dict):
            report(line_in(charts, index), f"{what} must be a mapping")
            continue
        required, optional = MDC_CHART_FIELDS
        _fields(chart, required, optional, what, report)
        if "title" in chart and not _text(chart["title"]):
            report(line_in(chart, "title"), f"{what}: 'title' must be non-empty text")
        if chart.get("chart") not in mdc.LIMIT_CHARTS:
            report(
                line_in(chart, "chart"),
                f"{what}: chart {chart.get('chart')!r} must be a chart with limits "
                f"({', '.join(mdc.LIMIT_CHARTS)}): the icons need process limits",
            )
            continue
        if chart.get("improvement") not in ("up", "down"):
            report(
                line_in(chart, "improvement"),
                f"{what}: 'improvement' (which direction is better) must be up or down",
            )
            continue
        if "rag" in chart and chart["rag"] not in mdc.RAG_COLOURS:
            report(line_in(chart, "rag"), f"{what}: 'rag' must be red, amber or green")
        target = chart.get("target")
        if "target" in chart and (isinstance(target, bool) or not isinstance(target, int | float)):
            report(line_in(chart, "target"), f"{what}: 'target' must be a number")
            continue
        before = _Counter(report)
        check_chart_data(chart, before, rules_optional=True, text_x=True)
        if before.count:
            continue
        if len(chart["y"]) < mdc.MIN_CHART_POINTS:
            report(
                line_in(chart, "y"),
                f"{what} needs at least {mdc.MIN_CHART_POINTS} points (has {len(chart['y'])}): "
                "limits from fewer are not worth reading",
            )
            continue
        try:
            analysis = mdc.analyse_chart(chart)
            mdc.icons(analysis)
        except spc.SPCError as exc:
            report(line_in(chart, "y"), f"{what}: champion.spc cannot analyse this data: {exc}")
            continue
        except ValueError as exc:  # GradingError: no icon
            report(line_in(chart, "y"), f"{what}: {exc}")
            continue
        if target is not None:
            _check_target(chart, analysis, what, report)


class _Counter:
    """A report callback that also counts what it reported."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.count = 0

    def __call__(self, line: int, message: str) -> None:
        self.count += 1
        self.report(line, message)


def _check_target(chart: dict[str, Any], analysis: spc.Analysis, what: str, report: Report) -> None:
    """A target on the chart's own scale: a proportion between 0 and 1 on a p chart, not
    negative for counts and rates, and not far from the data (a unit slip, 85 for 0.85)."""
    target = float(chart["target"])
    kind = chart["chart"]
    if kind in ("p", "pp") and not 0 <= target <= 1:
        report(
            line_in(chart, "target"),
            f"{what}: a {kind} chart plots proportions, so its target is between 0 and 1 "
            f"(write 0.85, not {target:g})",
        )
        return
    if kind in ("c", "u", "up") and target < 0:
        report(line_in(chart, "target"), f"{what}: a count or rate target cannot be negative")
        return
    pts = analysis.points
    values = [
        float(v)
        for name in ("y", "lcl", "ucl")
        for v in pts[name]
        if v == v  # not NaN
    ]
    lo, hi = min(values), max(values)
    span = (hi - lo) or abs(hi) or 1.0
    if not lo - 2 * span <= target <= hi + 2 * span:
        report(
            line_in(chart, "target"),
            f"{what}: the target {target:g} is far outside the data and limits "
            f"({lo:.4g} to {hi:.4g}): check it is on the chart's scale",
        )
