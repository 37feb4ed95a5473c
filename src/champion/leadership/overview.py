"""The Lead overview of an area: training coverage, project portfolio, idea funnel, measure signals,
and the latest high-reliability maturity profile.

This module reads the other apps only through their own querysets and services (Learn's
`team.learners` and `team.standing`, Improve's `portfolio`, the ideas' `funnel`, Measure's
`attention`), so their rules (what counts as completed, stalled, overdue or needing attention)
live in one place each. Every section costs a fixed number of queries, however many units,
people, projects, ideas or measures the area holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from champion.accounts.models import Membership, Unit, User
from champion.improvement.services import (
    Funnel,
    Idea,
    ImpactTotals,
    Portfolio,
    Project,
    funnel,
    impact_totals,
    portfolio,
    waiting_too_long,
)
from champion.leadership.maturity.report import profile
from champion.leadership.models import Assessment, RoundStatus
from champion.leadership.permissions import Area, oversight_roots
from champion.learning.services import team
from champion.learning.services.team import Tier
from champion.measures.services import (
    Measure,
    SignalCounts,
    attention_only,
    counts_of,
    ranked,
)

#: How many measures needing attention and ideas waiting the overview lists.
SHOWN = 8


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class TierCoverage:
    tier: Tier
    lessons: int  # live lessons: a tier with none cannot be started yet
    people: int
    started: int
    completed: int
    certified: int

    @property
    def name(self) -> str:
        """The tier's short name ("Foundation" of "Foundation: Improvement Basics ...")."""
        return self.tier.title.partition(":")[0]

    @property
    def started_percent(self) -> int:
        return _percent(self.started, self.people)

    @property
    def completed_percent(self) -> int:
        return _percent(self.completed, self.people)


@dataclass
class UnitCoverage:
    """One row of the per-unit table: a unit's whole subtree, or only the people directly in it."""

    unit: Unit
    direct: bool  # only the people whose role is in this very unit (not the units below)
    people: int
    tiers: list[TierCoverage]
    certificates: int
    overdue: int  # people with overdue learning


@dataclass
class Training:
    people: int
    tiers: list[TierCoverage]
    certificates: int
    overdue: int
    units: list[UnitCoverage]


def _tiers(tiers: list[Tier], lessons: dict[int, int], group: team.GroupCoverage) -> Any:
    return [
        TierCoverage(
            tier,
            lessons[tier.pk],
            group.people,
            group.started.get(tier.pk, 0),
            group.completed.get(tier.pk, 0),
            group.certified.get(tier.pk, 0),
        )
        for tier in tiers
    ]


def training(user: Any, area: Area) -> Training:
    """Learning coverage of the people in the area (as Learn's team progress counts them),
    counted in the database (`team.coverage`): a fixed number of queries whatever the number
    of people, and no row per person read into Python."""
    # Every tier, even one whose lessons are not published yet: its certificates still count.
    tiers = list(Tier.objects.all())
    lessons = team.live_lesson_counts(tiers)
    people = team.learners(user).filter(area.within("memberships__unit"))
    # The same people read from their side: everyone with a role in the area is someone the
    # user oversees (the area lies within their oversight), so the area's memberships of
    # active people other than the user are exactly theirs, with no visibility test to
    # work out again for each aggregate.
    members = Membership.objects.filter(area.within(), user__is_active=True).exclude(
        user_id=user.pk
    )
    # Rows: the chosen unit's children (each with its subtree) and the people directly in it;
    # with no unit chosen, each of the person's top units.
    if area.unit is not None:
        children = list(Unit.objects.filter(parent=area.unit).order_by("name"))
        groups = [(child, False) for child in children] + [(area.unit, True)]
    else:
        groups = [(root, False) for root in area.roots]
    # With no unit chosen and one root, that root's subtree is the whole area: one pass.
    whole, per_group = team.coverage(
        user,
        people,
        [(unit.path, direct) for unit, direct in groups],
        tiers,
        whole_is_first=area.unit is None and len(area.roots) == 1,
        members=members,
        partition=True,  # the rows cover the area: the subtrees below and the unit itself
    )
    rows = []
    for (unit, direct), group in zip(groups, per_group, strict=True):
        if direct and not group.people:
            continue
        rows.append(
            UnitCoverage(
                unit,
                direct,
                group.people,
                _tiers(tiers, lessons, group),
                sum(group.certified.values()),
                group.overdue,
            )
        )
    return Training(
        whole.people,
        _tiers(tiers, lessons, whole),
        sum(whole.certified.values()),
        whole.overdue,
        rows,
    )


@dataclass
class Ideas:
    funnel: Funnel
    waiting: list[Idea]
    waiting_total: int


def ideas(user: Any, area: Area, now: datetime.datetime | None = None) -> Ideas:
    in_area = Idea.objects.visible_to(user).filter(area.within())
    waiting = waiting_too_long(in_area, now)
    return Ideas(funnel(in_area, now), list(waiting[:SHOWN]), waiting.count())


@dataclass
class Signals:
    counts: SignalCounts
    attention: list[Measure]


def signals(user: Any, area: Area) -> Signals:
    """The area's measures that need attention, in the measure board's order."""
    measures = Measure.objects.visible_to(user).filter(area.within()).select_related("unit")
    return Signals(counts_of(measures), list(attention_only(ranked(measures))[:SHOWN]))


def projects(user: Any, area: Area, today: datetime.date | None = None) -> Portfolio:
    return portfolio(Project.objects.visible_to(user).filter(area.within()), today)


def impact(user: Any, area: Area) -> ImpactTotals:
    """The area's finished and active projects' confirmed results, summed (three queries)."""
    projects = (
        Project.objects.visible_to(user)
        .filter(area.within(), status__in=("active", "finished"))
        .select_related("unit")
    )
    return impact_totals(projects)


@dataclass
class MaturityCard:
    latest: Any  # the latest finished round of a unit in the area, or None
    profile: list[tuple[Any, int | None]]
    open_rounds: int


def maturity(user: Any, area: Area) -> MaturityCard:
    """The latest finished maturity round in the area with its profile (three queries)."""
    rounds = Assessment.objects.visible_to(user).filter(area.within())
    latest = rounds.finished().select_related("unit").order_by("-finished_at", "-pk").first()
    return MaturityCard(
        latest=latest,
        profile=profile(latest) if latest is not None else [],
        open_rounds=rounds.exclude(status=RoundStatus.FINISHED).count(),
    )


def overview(user: Any, area: Area) -> dict[str, Any]:
    now = timezone.now()
    return {
        "training": training(user, area),
        "portfolio": projects(user, area, timezone.localdate(now)),
        "ideas": ideas(user, area, now),
        "signals": signals(user, area),
        "maturity": maturity(user, area),
        "impact": impact(user, area),
    }


def home_card(user: Any) -> dict[str, Any] | None:
    """The home page's "Your team" card: the people and units of each area the person oversees."""
    roots = oversight_roots(user)
    if not roots:
        return None
    people = User.objects.visible_to(user).exclude(pk=user.pk)
    total = people.count()

    def within(unit: Unit) -> int:
        if len(roots) == 1:
            return total  # the people one oversees are those of their one subtree
        members = Membership.objects.filter(unit__path__startswith=unit.path)
        return people.filter(pk__in=members.values("user_id")).count()

    return {
        "template": "leadership/_home_card.html",
        "people": total,
        "units": Unit.objects.overseen_by(user).count(),
        "by_unit": [(unit, within(unit)) for unit in roots],
        "recent": people.order_by("-date_joined")[:5],
    }
