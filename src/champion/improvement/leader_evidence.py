"""What Improve holds as evidence for the Leader portfolio (`learning.rubrics.PORTFOLIO`),
read live from one person's records, never typed or uploaded:

- **sponsorship**: a project where the person is the sponsor, finished, with its result
  written (`Project.result_summary`, at least `MIN_RESULT_CHARS`).
- **standard-work**: the person's responses on the idea boards (the huddle board) of the
  units they lead, coach or administer: status moves and replies (the `IdeaEvent`s they
  made) spread over at least `MIN_SPAN_DAYS` (six weeks) between the first and the last.
- **strategy**: the alternative to Lead's annual goal with its bowling chart
  (`leadership.services.strategy_evidence`; Learn's portfolio shows both and either meets the
  item): the strategic driver diagram of a project the person sponsors or leads, with at least
  one primary driver, one secondary driver and one linked measure, for an organisation that
  does not deploy its strategy on the platform; said so on the item.
- **change-plan**: a change plan tool on a project the person sponsors or leads, with at
  least `MIN_PLAN_ACTIONS` actions each naming its owner.

`leader_evidence(user)` costs a fixed number of queries however much the person has done.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Unit
from champion.core.words import quoted
from champion.improvement.evidence import Check
from champion.improvement.ideas.models import IdeaEvent
from champion.improvement.models import Project, ProjectMember, ProjectStatus, TeamRole, Tool

MIN_RESULT_CHARS = 40
#: Six weeks between the first and the last response on the board.
MIN_SPAN_DAYS = 42
MIN_PLAN_ACTIONS = 3

#: Said wherever the driver diagram is offered instead of an annual goal of strategy deployment.
STRATEGY_STAND_IN = (
    "Where your organisation does not deploy its strategy on PI Champion (Lead > Strategy), a "
    "strategic driver diagram with linked measures on a project you sponsor or lead is accepted "
    "instead of an annual goal with its bowling chart."
)


def _url(name: str, *args: Any, anchor: str = "") -> str:
    return reverse(name, args=list(args)) + (f"#{anchor}" if anchor else "")


def leader_evidence(user: Any) -> list[Check]:
    """The portfolio items Improve holds for `user`: sponsorship, standard work, strategy and
    the change plan, in that order."""
    roles: dict[int, set[str]] = {}
    for project_id, role in ProjectMember.objects.filter(
        user=user, project__in=Project.objects.visible_to(user)
    ).values_list("project_id", "role"):
        roles.setdefault(project_id, set()).add(role)
    projects = {
        p.pk: p
        for p in Project.objects.filter(pk__in=list(roles))
        .select_related("unit")
        .annotate(
            primaries=Count("drivers", filter=Q(drivers__parent__isnull=True), distinct=True),
            secondaries=Count("drivers", filter=Q(drivers__parent__isnull=False), distinct=True),
            measures=Count("measure_links", distinct=True),
        )
        .order_by("title", "pk")
    }
    steering: list[Any] = [
        p for pk, p in projects.items() if roles[pk] & {TeamRole.SPONSOR, TeamRole.LEAD}
    ]
    plans = list(
        Tool.objects.filter(project__in=[p.pk for p in steering], kind="change_plan").order_by(
            "project__title", "pk"
        )
    )
    return [
        _sponsorship(user, projects, roles),
        _standard_work(user),
        _strategy(steering),
        _change_plan(steering, plans),
    ]


def _sponsorship(user: Any, projects: dict[int, Project], roles: dict[int, set[str]]) -> Check:
    sponsored = [p for pk, p in projects.items() if TeamRole.SPONSOR in roles[pk]]
    found, met, links = [], None, []
    for p in sponsored:
        has_result = len(p.result_summary.strip()) >= MIN_RESULT_CHARS
        finished = p.status == ProjectStatus.FINISHED
        found.append(
            f"You sponsor {quoted(p.title)} ({p.unit.name}): {p.get_status_display().lower()}"
            + (", result written" if has_result else ", no result written yet")
            + "."
        )
        if finished and has_result and met is None:
            met = p
    missing: tuple[str, ...] = ()
    if met is None:
        missing = (
            (
                "Sponsor a project through to its result: the project is finished and its "
                "result (what changed, in numbers, and what was learned) is written on it."
            ),
        )
        if sponsored:
            links.append(
                (f"{quoted(sponsored[0].title)}", _url("improvement:project", sponsored[0].pk))
            )
    else:
        links.append((f"{quoted(met.title)}", _url("improvement:project", met.pk)))
    links.append(("Projects", reverse("improvement:home")))
    return Check("sponsorship", met is not None, tuple(found), missing, tuple(links))


def _standard_work(user: Any) -> Check:
    units = Unit.objects.overseen_by(user)
    events = IdeaEvent.objects.filter(
        actor=user,
        idea__unit__in=units,
        kind__in=[IdeaEvent.Kind.STATUS, IdeaEvent.Kind.COMMENT],
    )
    summary = events.aggregate(
        n=Count("pk"),
        ideas=Count("idea", distinct=True),
        moves=Count("pk", filter=Q(kind=IdeaEvent.Kind.STATUS)),
    )
    first_last = list(events.order_by("at").values_list("at", flat=True)[:1]) + list(
        events.order_by("-at").values_list("at", flat=True)[:1]
    )
    board_units = list(
        events.values_list("idea__unit_id", "idea__unit__name")
        .distinct()
        .order_by("idea__unit__name")
    )
    found: list[str] = []
    span = 0
    if first_last:
        first, last = first_last
        span = (timezone.localdate(last) - timezone.localdate(first)).days  # calendar days
        found.append(
            f"{summary['n']} responses to {summary['ideas']} ideas on the huddle board of "
            f"{', '.join(name for _, name in board_units)} ({summary['moves']} moved on the "
            f"board), from {first:%d %b %Y} to {last:%d %b %Y}: {span} days."
        )
    met = span >= MIN_SPAN_DAYS
    missing: tuple[str, ...] = ()
    if not met:
        weeks = MIN_SPAN_DAYS // 7
        missing = (
            f"Answer and move your team's ideas on the huddle board over at least {weeks} weeks "
            f"({MIN_SPAN_DAYS} days between the first response and the last"
            + (f"; {span} so far" if first_last else "")
            + ").",
        )
    links = [("Huddle boards", reverse("ideas:boards"))] + [
        (f"The board of {name}", _url("ideas:board", pk)) for pk, name in board_units[:3]
    ]
    return Check("standard-work", met, tuple(found), missing, tuple(links))


def _strategy(steering: list[Any]) -> Check:
    found, met = [], None
    for p in steering:
        if p.primaries or p.measures:
            found.append(
                f"{quoted(p.title)}: {p.primaries} primary and {p.secondaries} secondary drivers, "
                f"{p.measures} linked measure{'s' if p.measures != 1 else ''}."
            )
        if p.primaries and p.secondaries and p.measures and met is None:
            met = p
    missing: tuple[str, ...] = ()
    if met is None:
        missing = (
            "On a project you sponsor or lead, draw the driver diagram (at least one primary and "
            "one secondary driver) and link the measures that show whether it works.",
        )
    target = met or (steering[0] if steering else None)
    links = (
        ((f"The driver diagram of {quoted(target.title)}", _url("improvement:diagram", target.pk)),)
        if target
        else (("Projects", reverse("improvement:home")),)
    )
    return Check("strategy", met is not None, (*found, STRATEGY_STAND_IN), missing, links)


def _change_plan(steering: list[Project], plans: list[Tool]) -> Check:
    titles = {p.pk: p.title for p in steering}
    found, met = [], None
    for plan in plans:
        owned = [
            r
            for r in plan.rows
            if str(r.get("action") or "").strip() and str(r.get("owner") or "").strip()
        ]
        found.append(
            f"{quoted(plan.title)} on {quoted(titles.get(plan.project_id, ''))}: {len(plan.rows)} actions, "
            f"{len(owned)} with an owner."
        )
        if len(owned) >= MIN_PLAN_ACTIONS and met is None:
            met = plan
    missing: tuple[str, ...] = ()
    if met is None:
        missing = (
            f"Write a change plan on a project you sponsor or lead: at least {MIN_PLAN_ACTIONS} "
            "actions, each with its owner (who does what, by when, to make the change stick).",
        )
    target = met.project_id if met else (steering[0].pk if steering else None)
    links = (
        (("The project's tools", _url("improvement:project", target, anchor="tools-h")),)
        if target
        else (("Projects", reverse("improvement:home")),)
    )
    return Check("change-plan", met is not None, tuple(found), missing, links)
