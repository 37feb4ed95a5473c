"""What evidence each credential needs, from curriculum-research.md section A.

Foundation: one small practical (a waste walk with one improvement idea, or one personal
PDSA). Practitioner: the project rubric. Leader: the portfolio rubric. Each item is
answered in text, with links and files where the rubric asks for an artefact.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The least a written answer must hold: enough to show real work, not a placeholder.
MIN_CHARS = 40


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    help: str
    files: bool = False


PRACTICALS: dict[str, tuple[str, str, tuple[Item, ...]]] = {
    "waste-walk": (
        "A waste walk with one improvement idea",
        "Walk through your own workplace for 15 to 30 minutes looking for the eight wastes, "
        "then choose one idea worth testing.",
        (
            Item(
                "where",
                "Where and when you walked",
                "The area, the time of day, and who came with you, if anyone.",
            ),
            Item(
                "wastes",
                "The wastes you saw",
                "At least three, each named as one of the eight wastes, with what you saw.",
            ),
            Item(
                "idea",
                "One improvement idea",
                "A small change that would remove or reduce one waste, and who it would help.",
            ),
            Item(
                "next",
                "What happens next",
                "Who you shared the idea with, or the first small test you could run.",
            ),
        ),
    ),
    "pdsa": (
        "One personal PDSA cycle",
        "Test one small change in your own work, on a small scale, and write up the cycle.",
        (
            Item(
                "plan",
                "Plan: the change and your prediction",
                "What you will try, where and when, and what you predict will happen.",
            ),
            Item("do", "Do: what happened", "What you actually did and anything unexpected."),
            Item("study", "Study: what you learned", "Compare what happened with your prediction."),
            Item("act", "Act: adapt, adopt or abandon", "What you will do next, and why."),
        ),
    ),
}

PROJECT: tuple[Item, ...] = (
    Item(
        "charter",
        "Charter",
        "Problem, aim statement (how much, by when, for whom), scope, team, sponsor, and the strategic goal it serves.",
        True,
    ),
    Item(
        "measures",
        "Family of measures",
        "At least one outcome, one process and one balancing measure, each with an operational definition.",
    ),
    Item(
        "baseline",
        "Baseline run chart",
        "Enough points to apply the run rules (commonly 10 or more).",
        True,
    ),
    Item(
        "process",
        "Process understanding and cause analysis",
        "A process map or value stream map, and a fishbone, 5 Whys or Pareto analysis.",
        True,
    ),
    Item(
        "pdsa",
        "At least 3 linked PDSA cycles",
        "A ramp: each cycle's prediction, what happened, what was learned and the next step.",
        True,
    ),
    Item(
        "chart",
        "Annotated run or control chart",
        "The measure over time, annotated with the changes tested.",
        True,
    ),
    Item("sustain", "Sustain and spread plan", "Standard work, a control plan and an owner."),
    Item(
        "reflection",
        "Reflection",
        "Results (improved or a well-documented null result) and the lessons learned.",
    ),
)

PORTFOLIO: tuple[Item, ...] = (
    Item(
        "maturity",
        "Team maturity self-assessment",
        "Done individually and then to consensus, with a 90-day action plan.",
        True,
    ),
    Item(
        "strategy",
        "Strategy-deployment artefact",
        "An X-matrix or driver diagram, plus a bowling chart for one unit.",
        True,
    ),
    Item(
        "standard-work",
        "Leader standard work",
        "A gemba or huddle routine kept for at least 6 weeks, with a reflection.",
    ),
    Item(
        "sponsorship",
        "Sponsorship of a Practitioner project",
        "At least one project sponsored through to completion.",
    ),
    Item("change-plan", "A change plan", "For one initiative, using Kotter and ADKAR.", True),
    Item(
        "action-learning",
        "Action-learning set",
        "Participation in at least 4 sessions: dates, themes and what you took away.",
    ),
)

#: Tier slug -> the submission kind that completes its credential.
KIND_FOR_TIER = {"foundation": "practical", "practitioner": "project", "leader": "portfolio"}


def items_for(kind: str, variant: str = "") -> tuple[Item, ...]:
    if kind == "practical":
        return PRACTICALS[variant][2] if variant in PRACTICALS else ()
    return PROJECT if kind == "project" else PORTFOLIO


def missing_items(kind: str, variant: str, evidence: dict[str, dict[str, object]]) -> list[Item]:
    """Rubric items without a substantial written answer."""
    return [
        item
        for item in items_for(kind, variant)
        if len(str((evidence.get(item.key) or {}).get("text", "")).strip()) < MIN_CHARS
    ]
