"""Setting objectives and throwing catchball: each function does one whole step in a
transaction, records it as a `Catch` on the objective and tells the people on the other side
(`champion.core.notify`: in the app and by e-mail). Permission checks are the caller's
(`permissions.objective_for`); these functions check the state.

- `create` saves a new objective. An annual goal set by someone who may decide it is accepted
  at once; anyone else's is **proposed**, and the leaders above its unit are told.
- `decide` accepts a proposed goal or returns it with a comment (a return needs one), and
  tells its proposer and owner.
- `propose_again` sends a returned goal back for a decision, with what changed.
- `comment` adds to the conversation and tells the other side.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from champion.accounts.people import leaders_of
from champion.core import limits
from champion.core.notify import notify
from champion.leadership.strategy.models import (
    Catch,
    CatchKind,
    GoalProject,
    GoalStatus,
    Level,
    Objective,
    PlanMonth,
    Strength,
)
from champion.leadership.strategy.permissions import decides_over, sets_strategy


class StateError(Exception):
    """The objective is not in a state that allows this step (shown as 409)."""


def deciders(goal: Objective) -> list[Any]:
    """The leaders who accept or return the goal: those of the unit above it (of the top unit
    for its own goals), the nearest above when that unit has none."""
    unit = goal.unit.parent or goal.unit
    return leaders_of(unit)


def _proposers(goal: Objective) -> list[Any]:
    return [p for p in (goal.created_by, goal.owner) if p is not None]


def _tell(people: Iterable[Any], by: Any, title: str, goal: Objective, body: str = "") -> None:
    notify([p for p in people if p.pk != by.pk], title, body, goal.get_absolute_url(), kind="work")


@transaction.atomic
def create(goal: Objective, *, by: Any, note: str = "") -> Objective:
    """Validate and save a new objective, then throw its first catch."""
    if goal.level in (Level.TRUE_NORTH, Level.BREAKTHROUGH) and not sets_strategy(by):
        raise ValidationError("Only the executive team sets the organisation's strategy.")
    goal.created_by = by
    if goal.level == Level.ANNUAL and not decides_over(by, goal.unit):
        goal.status = GoalStatus.PROPOSED
    else:
        goal.status = GoalStatus.ACCEPTED
        goal.decided_by, goal.decided_at = by, timezone.now()
    goal.full_clean(exclude=["measure", "owner", "parent"])
    goal.save()
    kind = CatchKind.PROPOSED if goal.is_proposed else CatchKind.SET
    Catch.objects.create(objective=goal, kind=kind, author=by, text=note)
    if goal.is_proposed:
        _tell(
            deciders(goal),
            by,
            f"Goal proposed for {goal.unit.name}: {goal.title}",
            goal,
            f"{by} proposes it for {goal.year}. Accept it or return it with your questions.",
        )
    return goal


def _locked(goal: Objective) -> Objective:
    return Objective.objects.select_for_update(of=("self",)).get(pk=goal.pk)


@transaction.atomic
def decide(goal: Objective, *, by: Any, accept: bool, text: str) -> Objective:
    """Accept or return a proposed goal (a return says why)."""
    text = text.strip()
    limits.check(text, limits.TEXT, "The comment")
    fresh = _locked(goal)
    if fresh.status != GoalStatus.PROPOSED:
        raise StateError("This goal is not waiting for a decision (someone may have decided it).")
    if not accept and not text:
        raise ValidationError("Say what should change before returning the goal.")
    goal.status = GoalStatus.ACCEPTED if accept else GoalStatus.RETURNED
    goal.decided_by, goal.decided_at = by, timezone.now()
    goal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    Catch.objects.create(
        objective=goal,
        kind=CatchKind.ACCEPTED if accept else CatchKind.RETURNED,
        author=by,
        text=text,
    )
    verb = "accepted" if accept else "returned for changes"
    _tell(_proposers(goal), by, f"Goal {verb}: {goal.title}", goal, text)
    return goal


@transaction.atomic
def propose_again(goal: Objective, *, by: Any, text: str) -> Objective:
    """Send a returned goal back for a decision."""
    text = text.strip()
    limits.check(text, limits.TEXT, "The comment")
    if _locked(goal).status != GoalStatus.RETURNED:
        raise StateError("Only a returned goal is proposed again.")
    goal.status = GoalStatus.PROPOSED
    goal.save(update_fields=["status", "updated_at"])
    Catch.objects.create(objective=goal, kind=CatchKind.PROPOSED, author=by, text=text)
    _tell(deciders(goal), by, f"Goal proposed again: {goal.title}", goal, text)
    return goal


@transaction.atomic
def comment(goal: Objective, *, by: Any, text: str) -> Catch:
    text = text.strip()
    if not text:
        raise ValidationError("Write a comment first.")
    limits.check(text, limits.TEXT, "The comment")
    catch = Catch.objects.create(objective=goal, kind=CatchKind.COMMENT, author=by, text=text)
    if goal.level == Level.ANNUAL:
        # A decider's comment goes to the proposer and owner; anyone else's to both sides.
        others = _proposers(goal) + ([] if decides_over(by, goal.unit) else deciders(goal))
        _tell(others, by, f"Comment on the goal {goal.title}", goal, text)
    return catch


@transaction.atomic
def save_plan(goal: Objective, values: dict[datetime.date, float | None]) -> None:
    """Replace the goal's monthly plan (months not given, or given as None, have no plan)."""
    months = set(goal.months())
    if set(values) - months:
        raise ValidationError("A plan month is outside the goal's twelve months.")
    # Row by row (twelve at most), so the audit log keeps each month's change.
    kept = {p.month: p for p in PlanMonth.objects.filter(objective=goal)}
    for month in sorted(months):
        value, row = values.get(month), kept.get(month)
        if value is None:
            if row is not None:
                row.delete()
        elif row is None:
            PlanMonth.objects.create(objective=goal, month=month, plan=value)
        elif row.plan != value:
            row.plan = value
            row.save(update_fields=["plan"])


@transaction.atomic
def link_project(goal: Objective, project: Any, *, by: Any, strength: str) -> GoalProject:
    if strength not in Strength.values:
        raise ValidationError("Choose a strong or a weak link.")
    link, _ = GoalProject.objects.update_or_create(
        objective=goal, project=project, defaults={"strength": strength, "added_by": by}
    )
    return link
