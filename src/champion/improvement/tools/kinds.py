"""The tool kinds: fields, columns and checks for each (see tools.spec for the shape)."""

from __future__ import annotations

from typing import Any

from champion.core.risk import rpn as risk_priority
from champion.improvement.tools.spec import CHOICE, DATE, LONG, NUMBER, SCORE, TEXT, Field, ToolSpec

FISHBONE_CATEGORIES = (
    "People",
    "Methods",
    "Equipment",
    "Materials",
    "Environment",
    "Measurement",
    "Policies",
    "Patients",
)


def _rpn(row: dict[str, Any]) -> dict[str, Any]:
    """Risk priority number = severity × occurrence × detection, before and after the action."""
    s, o, d = row.get("severity"), row.get("occurrence"), row.get("detection")
    rs, ro, rd = (
        row.get("revised_severity"),
        row.get("revised_occurrence"),
        row.get("revised_detection"),
    )
    rpn = risk_priority(s, o, d)
    revised = None
    if (
        any(isinstance(v, int) for v in (rs, ro, rd))
        and isinstance(s, int)
        and isinstance(o, int)
        and isinstance(d, int)
    ):
        # A revised score left blank keeps its original value: usually only one score moves.
        revised = risk_priority(rs or s, ro or o, rd or d)
    return {"rpn": rpn, "revised_rpn": revised}


def _five_whys_chain(rows: list[dict[str, Any]]) -> list[str]:
    if len(rows) > 7:
        return ["Stop at the root cause: seven whys at most."]
    return []


SPECS: dict[str, ToolSpec] = {}


def _add(spec: ToolSpec) -> None:
    SPECS[spec.kind] = spec


_add(
    ToolSpec(
        kind="fishbone",
        name="Fishbone (cause and effect)",
        purpose="Brainstorm the causes of one problem, grouped into categories.",
        header=(Field("effect", "Problem (the fish's head)", required=True),),
        columns=(
            Field("category", "Category", required=True, suggestions=FISHBONE_CATEGORIES),
            Field("cause", "Cause", required=True),
        ),
        row_label="cause",
        min_rows=1,
        picture="fishbone",
        svg=True,
    )
)
_add(
    ToolSpec(
        kind="five_whys",
        name="5 whys",
        purpose="Ask why until you reach a cause you can act on.",
        header=(
            Field("problem", "Problem", required=True),
            Field("countermeasure", "Countermeasure for the root cause", type=LONG),
        ),
        columns=(Field("answer", "Because…", required=True),),
        row_label="answer",
        min_rows=1,
        check_rows=_five_whys_chain,
        picture="five_whys",
    )
)
_add(
    ToolSpec(
        kind="sipoc",
        name="SIPOC",
        purpose="Scope a process: suppliers, inputs, process steps, outputs, customers.",
        header=(
            Field("process", "Process", required=True),
            Field("starts", "Starts when"),
            Field("ends", "Ends when"),
        ),
        columns=(
            Field("supplier", "Supplier"),
            Field("input", "Input"),
            Field("step", "Process step"),
            Field("output", "Output"),
            Field("customer", "Customer"),
        ),
        picture="sipoc",
    )
)
_add(
    ToolSpec(
        kind="process_map",
        name="Process map",
        purpose="Draw the steps as they happen, who does each, and which add value.",
        header=(Field("process", "Process", required=True),),
        columns=(
            Field("step", "Step", required=True),
            Field("owner", "Who"),
            Field(
                "value",
                "Value",
                type=CHOICE,
                required=True,
                choices=(
                    ("va", "Value-adding"),
                    ("nva", "Necessary, not value-adding"),
                    ("waste", "Waste"),
                ),
            ),
            Field("minutes", "Minutes", type=NUMBER),
        ),
        row_label="step",
        min_rows=1,
        picture="process_map",
        svg=True,
    )
)
_SCORE_HELP = "1 (best) to 10 (worst)"
_add(
    ToolSpec(
        kind="fmea",
        name="FMEA (failure modes and effects)",
        purpose="Find how a process could fail, score the risk, and act on the highest.",
        header=(Field("process", "Process or step studied", required=True),),
        columns=(
            Field("step", "Step"),
            Field("failure_mode", "Failure mode", required=True),
            Field("effect", "Effect"),
            Field("cause", "Cause"),
            Field("severity", "Severity", type=SCORE, required=True, help=_SCORE_HELP),
            Field("occurrence", "Occurrence", type=SCORE, required=True, help=_SCORE_HELP),
            Field("detection", "Detection", type=SCORE, required=True, help=_SCORE_HELP),
            Field("action", "Action", type=LONG),
            Field("owner", "Owner"),
            Field("revised_severity", "Revised S", type=SCORE),
            Field("revised_occurrence", "Revised O", type=SCORE),
            Field("revised_detection", "Revised D", type=SCORE),
        ),
        row_label="failure mode",
        min_rows=1,
        derive=_rpn,
        picture="fmea",
        extra_columns=(("rpn", "RPN"), ("revised_rpn", "Revised RPN")),
    )
)
_add(
    ToolSpec(
        kind="pareto",
        name="Pareto chart",
        purpose="Tally the categories of a problem to find the vital few.",
        header=(
            Field("measure", "What was counted", required=True),
            Field("period", "When and where"),
        ),
        columns=(
            Field("category", "Category", required=True),
            Field("count", "Count", type=NUMBER, required=True),
        ),
        row_label="category",
        min_rows=2,
        picture="pareto",
        svg=True,
        check_rows=lambda rows: (
            [] if sum(r["count"] or 0 for r in rows) > 0 else ["Enter at least one count above 0."]
        ),
    )
)
_STANCE = (
    ("against", "Against"),
    ("doubtful", "Doubtful"),
    ("neutral", "Neutral"),
    ("supportive", "Supportive"),
    ("champion", "Champion"),
)
_add(
    ToolSpec(
        kind="stakeholders",
        name="Stakeholder analysis",
        purpose="Who is affected, where they stand, where you need them, and how you will get there.",
        header=(),
        columns=(
            Field("stakeholder", "Stakeholder", required=True),
            Field("interest", "Interest or concern"),
            Field(
                "influence",
                "Influence",
                type=CHOICE,
                choices=(("high", "High"), ("medium", "Medium"), ("low", "Low")),
                required=True,
            ),
            Field("current", "Now", type=CHOICE, choices=_STANCE, required=True),
            Field("desired", "Needed", type=CHOICE, choices=_STANCE, required=True),
            Field("plan", "How we will engage them", type=LONG),
        ),
        row_label="stakeholder",
        min_rows=1,
        picture="stakeholders",
        svg=True,
    )
)
_add(
    ToolSpec(
        kind="change_plan",
        name="Change plan",
        purpose="Who does what by when to make the change stick.",
        header=(),
        columns=(
            Field("action", "Action", required=True),
            Field("owner", "Owner"),
            Field("due", "Due", type=DATE),
            Field(
                "status",
                "Status",
                type=CHOICE,
                choices=(("todo", "Not started"), ("doing", "In progress"), ("done", "Done")),
                required=True,
            ),
        ),
        row_label="action",
        min_rows=1,
        picture="change_plan",
    )
)

STANCE_ORDER = [key for key, _ in _STANCE]
TEXT_TYPES = (TEXT, LONG)


def spec_for(kind: str) -> ToolSpec:
    return SPECS[kind]
