"""Lead's door for the other rooms (import-linter checks it): what Learn's Leader portfolio
reads from the maturity self-assessment and from strategy deployment.

`maturity_evidence(user)` says whether the person facilitated a round of the maturity
self-assessment through to its consensus and wrote its 90-day action plan: a round they only
took part in does not count. Returned as a plain dict (key, met, found, missing, links) so
Learn needs nothing else from this room. Two queries however many rounds there are.

`strategy_evidence(user)` says whether the person owns an annual goal, or accepted one a unit
proposed to them in catchball, that has its measure and a bowling chart with at least one
month judged against plan. Same shape; three queries however many goals there are.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from champion.core.words import quoted
from champion.leadership.maturity.rounds import MIN_PLAN_CHARS
from champion.leadership.models import Assessment
from champion.leadership.strategy.bowling import bowling_charts
from champion.leadership.strategy.models import GoalStatus, Objective

#: People a round needs (answering on their own before the consensus) to be a group's view.
MIN_PARTICIPANTS = 2


def maturity_evidence(user: Any) -> dict[str, Any]:
    """The rounds `user` facilitated (in their organisation), the best one first."""
    rounds: list[Any] = list(
        Assessment.objects.visible_to(user)
        .filter(facilitator=user)
        .select_related("unit")
        .annotate(
            answered=Count("participants", filter=Q(participants__submitted_at__isnull=False))
        )
        .order_by("-finished_at", "-created_at", "-pk")
    )
    took_part = (
        Assessment.objects.visible_to(user)
        .filter(participants__user=user)
        .exclude(facilitator=user)
        .exists()
    )
    found: list[str] = []
    met_round = None
    best_missing: list[str] | None = None
    for a in rounds:
        gaps = []
        if a.answered < MIN_PARTICIPANTS:
            gaps.append(
                f"at least {MIN_PARTICIPANTS} people answering on their own ({a.answered} so far)"
            )
        if not a.is_finished:
            gaps.append("the consensus agreed and the round finished")
        if len(a.action_plan.strip()) < MIN_PLAN_CHARS:
            gaps.append(
                f"a 90-day action plan under its report (at least {MIN_PLAN_CHARS} characters)"
            )
        state = (
            f"finished {a.finished_at:%d %b %Y}"
            if a.finished_at
            else a.get_status_display().lower()
        )
        found.append(
            f"You facilitated {quoted(a.title)} ({a.unit.name}, {state}): {a.answered} answered"
            + ("; action plan written" if len(a.action_plan.strip()) >= MIN_PLAN_CHARS else "")
            + "."
        )
        if not gaps and met_round is None:
            met_round = a
        if best_missing is None:
            best_missing = (
                [f"{quoted(a.title)} still needs " + "; ".join(gaps) + "."] if gaps else []
            )
    missing: list[str] = []
    if met_round is None:
        if not rounds:
            missing.append(
                "Facilitate a round of the maturity self-assessment: people answer on their own, "
                "then agree a consensus with you, and you write the 90-day action plan."
                + (" Taking part in someone else's round does not count." if took_part else "")
            )
        else:
            missing += best_missing or []
    target = met_round or (rounds[0] if rounds else None)
    links: list[tuple[str, str]] = []
    if target is not None:
        page = "leadership:maturity-report" if target.is_finished else "leadership:maturity-round"
        anchor = "#action-plan" if target.is_finished else ""
        links.append(
            (f"The round {quoted(target.title)}", reverse(page, args=[target.pk]) + anchor)
        )
    links.append(("Maturity self-assessment", reverse("leadership:maturity")))
    return {
        "key": "maturity",
        "met": met_round is not None,
        "found": tuple(found),
        "missing": tuple(missing),
        "links": tuple(links),
        "round": (
            {
                "id": met_round.pk,
                "title": met_round.title,
                "unit": met_round.unit.name,
                "action_plan": met_round.action_plan.strip(),
            }
            if met_round
            else None
        ),
    }


def strategy_evidence(user: Any) -> dict[str, Any]:
    """Accepted annual goals `user` owns or accepted, each with its bowling chart's state."""
    goals = list(
        Objective.objects.visible_to(user)
        .annual()
        .filter(status=GoalStatus.ACCEPTED)
        .filter(Q(owner=user) | Q(decided_by=user))
        .select_related("unit", "measure")
        .order_by("-start", "title", "pk")[:20]
    )
    charts = bowling_charts(goals)
    found: list[str] = []
    met = None
    for g in goals:
        role = "you own it" if g.owner_id == user.pk else "you accepted it in catchball"
        chart = charts.get(g.pk)
        if g.measure is None:
            state = "no measure linked"
        elif chart is None:
            state = f"measure {quoted(g.measure.name)}, no plan months yet"
        else:
            state = f"measure {quoted(g.measure.name)}; bowling chart: {chart.summary}"
        found.append(f"Annual goal {quoted(g.title)} ({g.unit.name}, {g.year}): {role}; {state}")
        if met is None and g.measure is not None and chart is not None and chart.judged:
            met = g
    missing: tuple[str, ...] = ()
    if met is None:
        missing = (
            "Own an annual goal of strategy deployment, or accept one a unit proposed to you, "
            "with its measure linked and a monthly plan, so that its bowling chart shows at "
            "least one month against plan.",
        )
    target = met or (goals[0] if goals else None)
    links: list[tuple[str, str]] = []
    if target is not None:
        links.append((f"The goal {quoted(target.title)}", target.get_absolute_url()))
    links.append(("Strategy deployment", reverse("leadership:strategy")))
    return {
        "key": "strategy",
        "met": met is not None,
        "found": tuple(found),
        "missing": missing,
        "links": tuple(links),
    }
