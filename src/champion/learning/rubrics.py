"""What evidence each credential needs, from curriculum-research.md section A.

Foundation: one small practical (a waste walk with one improvement idea, or one personal
PDSA). Practitioner: the project rubric, read from the learner's own project in Improve
(only the reflection is written). Leader: the portfolio rubric, read live from the leader's
own records but for action learning and the reflection. Practical items are answered in text.
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

#: The Practitioner project: every item but the reflection is read live from the learner's
#: own project in Improve (`champion.improvement.evidence`), never typed or uploaded.
PROJECT: tuple[Item, ...] = (
    Item(
        "charter",
        "Charter with a checked aim",
        "A problem statement, an aim the aim checker passes (how much, by when, for whom), "
        "the scope, a project lead and a sponsor.",
    ),
    Item(
        "measures",
        "Family of measures",
        "An outcome, a process and a balancing measure linked to the project, each with an "
        "operational definition.",
    ),
    Item(
        "baseline",
        "Baseline chart",
        "A linked measure with enough points before the first change (or in a frozen "
        "baseline): 10 for a run chart, 12 for a control chart, the SPC engine's minimums.",
    ),
    Item(
        "process",
        "Cause analysis",
        "A fishbone, 5 whys, Pareto chart or process map on the project with at least 3 "
        "entries (causes, whys, categories or steps).",
    ),
    Item(
        "pdsa",
        "At least 3 linked PDSA cycles",
        "Three complete cycles in one ramp, each started from the one before: a prediction, "
        "what happened, the study and a decision.",
    ),
    Item(
        "chart",
        "Annotated chart showing the result",
        "A linked measure whose chart carries the project's PDSA marks, with data after the "
        "first one, and what the chart says.",
    ),
    Item(
        "sustain",
        "Sustain plan",
        "A change plan (the control plan) on the project: at least one action with its owner.",
    ),
    Item(
        "reflection",
        "Reflection",
        "In your own words: the result (an improvement, or a well-documented null result), "
        "your part in the project, and what you learned. At least a few sentences.",
    ),
)

#: The reflection is the one item the learner writes on the submission itself.
MIN_REFLECTION_CHARS = 200

#: The Leader portfolio: the first five items are read live from the leader's own records
#: (Lead's maturity rounds, Improve's projects, idea boards and tools:
#: `champion.learning.services.portfolio`); action learning and the reflection are written on
#: the submission, because the platform holds no record of action-learning sets.
PORTFOLIO: tuple[Item, ...] = (
    Item(
        "maturity",
        "Maturity self-assessment you facilitated, with its action plan",
        "A round of the high-reliability maturity self-assessment that you facilitated: people "
        "answered on their own, the group agreed a consensus, and you wrote its 90-day action plan.",
    ),
    Item(
        "sponsorship",
        "A project you sponsored through to its result",
        "An improvement project where you are the sponsor, finished, with its result written "
        "on it (what changed, in numbers, and what was learned).",
    ),
    Item(
        "standard-work",
        "Huddle board and idea responses over six weeks",
        "Your responses on your team's huddle board: ideas you answered or moved on, over at "
        "least six weeks between the first and the last.",
    ),
    Item(
        "strategy",
        "Strategy-deployment objectives with measures",
        "An annual goal of strategy deployment (Lead > Strategy) that you own or accepted in "
        "catchball, with its measure linked and a bowling chart showing at least one month "
        "against plan. Where strategy is not deployed on the platform: the driver diagram of a "
        "project you sponsor or lead (primary and secondary drivers) with linked measures.",
    ),
    Item(
        "change-plan",
        "A change plan",
        "A change plan on a project you sponsor or lead: at least three actions, each with "
        "its owner.",
    ),
    Item(
        "action-learning",
        "Action-learning set",
        "Written here: the sessions you took part in (at least 4), their dates and themes, "
        "and what you took away.",
    ),
    Item(
        "reflection",
        "Reflection",
        "In your own words: what you learned leading this work, what you would do differently, "
        "and what you will keep doing. At least a few sentences.",
    ),
)

#: The portfolio items read from the platform (the rest are written on the submission).
PORTFOLIO_LIVE = ("maturity", "sponsorship", "standard-work", "strategy", "change-plan")
#: Items the leader writes on the submission, and the least each must hold.
PORTFOLIO_WRITTEN = {"action-learning": 120, "reflection": MIN_REFLECTION_CHARS}

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
