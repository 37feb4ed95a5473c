"""Catchball: a unit proposes, the leaders above accept or return with a comment; each step is
recorded, audited and told to the other side; everything is scoped to the leader's area."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from champion.accounts.models import Membership, Role
from champion.core.models import AuditEvent, Notification
from champion.leadership.strategy import catchball
from champion.leadership.strategy.models import CatchKind, GoalStatus, Level, Objective
from champion.leadership.strategy.permissions import can_decide, decides_over, sets_strategy
from tests.leadership.strategy.conftest import START, objective


def url(name, o):
    return reverse(f"leadership:strategy-{name}", args=[o.pk])


def test_a_ward_proposes_and_the_leaders_above_are_told(strategy):
    g = strategy.goal
    assert g.is_proposed and g.decided_by is None
    assert [c.kind for c in g.catches.all()] == [CatchKind.PROPOSED]
    # Ward A's nearest leaders above it: North has none, so the root's leaders; the world's
    # root has only an admin, so nobody is told but nothing breaks. Give North a leader.
    assert AuditEvent.objects.filter(object_repr=g.title).exists()


def test_the_deciders_are_the_leaders_above_the_unit(strategy, world):
    Membership.objects.create(user=world.leader_elsewhere, unit=world.north, role=Role.LEADER)
    world.leader_elsewhere.__dict__.pop("_role_cache", None)
    assert [p.pk for p in catchball.deciders(strategy.goal)] == [world.leader_elsewhere.pk]
    g = objective(
        world, Level.ANNUAL, "Second goal", unit=world.ward_a, parent=strategy.b1,
        by=world.leader, start=START, direction="up",
    )  # fmt: skip
    note = Notification.objects.get(user=world.leader_elsewhere)
    assert note.title == f"Goal proposed for Ward A: {g.title}" and note.url == g.get_absolute_url()


def test_who_decides(strategy, world):
    g = strategy.goal
    assert can_decide(world.admin, g)  # admin of the top unit
    assert not can_decide(world.leader, g)  # not one's own unit's goal
    assert not can_decide(world.coach, g)  # coaches advise, they do not decide
    assert not can_decide(world.leader_elsewhere, g)  # another hospital's leader
    assert sets_strategy(world.admin) and not sets_strategy(world.leader)
    assert decides_over(world.admin, world.root)  # the top unit's own goals: its leaders


def test_accepting_tells_the_proposer_and_is_recorded(strategy, client_for):
    g = strategy.goal
    response = client_for(strategy.admin).post(
        url("catch", g), {"kind": "accept", "text": "Agreed."}
    )
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.status == GoalStatus.ACCEPTED and g.decided_by == strategy.admin
    assert [c.kind for c in g.catches.all()] == [CatchKind.PROPOSED, CatchKind.ACCEPTED]
    note = Notification.objects.get(user=strategy.leader)
    assert note.title == f"Goal accepted: {g.title}" and note.body == "Agreed."
    # Deciding twice is refused: it is no longer waiting.
    again = client_for(strategy.admin).post(url("catch", g), {"kind": "return", "text": "No"})
    assert again.status_code == 409
    assert "not waiting for a decision" in again.content.decode()


def test_returning_needs_a_comment_and_keeps_what_was_typed(strategy, client_for):
    g = strategy.goal
    client = client_for(strategy.admin)
    response = client.post(url("catch", g), {"kind": "return", "text": "  "})
    assert response.status_code == 422
    assert "Say what should change" in response.content.decode()
    g.refresh_from_db()
    assert g.is_proposed
    long = "x" * 2001
    response = client.post(url("catch", g), {"kind": "return", "text": long})
    assert response.status_code == 422 and "2,001 characters" in response.content.decode()
    assert long in response.content.decode()  # nothing typed is lost
    client.post(url("catch", g), {"kind": "return", "text": "Which falls count?"})
    g.refresh_from_db()
    assert g.status == GoalStatus.RETURNED
    # The proposer changes it and proposes it again.
    client = client_for(strategy.leader)
    assert (
        client.post(url("catch", g), {"kind": "propose", "text": "All falls."}).status_code == 302
    )
    g.refresh_from_db()
    assert g.is_proposed
    assert [c.kind for c in g.catches.all()][-2:] == [CatchKind.RETURNED, CatchKind.PROPOSED]


def test_the_proposer_may_not_accept_their_own_goal(strategy, client_for):
    g = strategy.goal
    response = client_for(strategy.leader).post(url("catch", g), {"kind": "accept"})
    assert response.status_code == 403
    g.refresh_from_db()
    assert g.is_proposed


def test_an_unknown_step_is_refused(strategy, client_for):
    response = client_for(strategy.leader).post(url("catch", strategy.goal), {"kind": "shout"})
    assert response.status_code == 422


def test_comments_go_to_the_other_side(strategy, client_for):
    client_for(strategy.admin).post(
        url("catch", strategy.goal), {"kind": "comment", "text": "Why 4.5?"}
    )
    assert Notification.objects.filter(user=strategy.leader, body="Why 4.5?").exists()
    empty = client_for(strategy.leader).post(url("catch", strategy.goal), {"kind": "comment"})
    assert empty.status_code == 422


def test_an_accepted_goal_changes_only_with_the_level_above(strategy, client_for):
    g = strategy.goal
    assert client_for(strategy.leader).get(url("edit", g)).status_code == 200
    catchball.decide(g, by=strategy.admin, accept=True, text="")
    assert client_for(strategy.leader).get(url("edit", g)).status_code == 403
    assert client_for(strategy.admin).get(url("edit", g)).status_code == 200
    # The owner still links projects and the measure and comments: they carry it out.
    response = client_for(strategy.leader).post(url("link", g), {"what": "nothing"})
    assert response.status_code == 422


def test_outsiders_and_other_units_do_not_see_a_wards_goal(strategy, client_for):
    g = strategy.goal
    for person in (strategy.outsider, strategy.colleague, strategy.leader_elsewhere):
        assert client_for(person).get(url("objective", g)).status_code == 404
    # The organisation's strategy is seen by everyone in it, not outside it.
    assert client_for(strategy.colleague).get(url("objective", strategy.b1)).status_code == 200
    assert client_for(strategy.outsider).get(url("objective", strategy.b1)).status_code == 404
    # Those who oversee Ward A see it.
    for person in (strategy.leader, strategy.coach, strategy.admin):
        assert client_for(person).get(url("objective", g)).status_code == 200


def test_only_the_executive_sets_the_true_north(strategy, client_for):
    with pytest.raises(ValidationError):
        catchball.create(
            Objective(unit=strategy.root, level=Level.TRUE_NORTH, title="Mine"),
            by=strategy.leader,
        )
    response = client_for(strategy.leader).post(
        reverse("leadership:strategy-new"),
        {"level": "breakthrough", "unit": strategy.ward_a.pk, "title": "Mine"},
    )
    assert response.status_code == 422
    assert not Objective.objects.filter(title="Mine").exists()
    # A breakthrough objective of a ward is refused even for the executive.
    response = client_for(strategy.admin).post(
        reverse("leadership:strategy-new"),
        {"level": "breakthrough", "unit": strategy.ward_a.pk, "title": "Ward strategy"},
    )
    assert response.status_code == 422
    assert "belongs to its top unit" in response.content.decode()


def test_proposing_through_the_form(strategy, client_for):
    client = client_for(strategy.leader)
    page = client.get(reverse("leadership:strategy-new"))
    assert page.status_code == 200
    # A ward manager is offered annual goals only, for the units they lead.
    body = page.content.decode()
    assert 'value="annual"' in body and 'value="breakthrough"' not in body
    response = client.post(
        reverse("leadership:strategy-new"),
        {
            "level": "annual", "unit": strategy.ward_a.pk, "parent": strategy.b1.pk,
            "title": "Pressure ulcers halved", "owner": strategy.leader.pk, "start": "2026-04",
            "direction": "down", "target": "2", "note": "We can do it.",
        },
    )  # fmt: skip
    assert response.status_code == 302
    g = Objective.objects.get(title="Pressure ulcers halved")
    assert g.is_proposed and g.start.isoformat() == "2026-04-01" and g.year == 2026
    assert g.months()[-1].isoformat() == "2027-03-01"
    assert g.catches.get().text == "We can do it."
    # A unit outside the area, a goal without what it serves, a bad month: refused.
    for bad in (
        {"unit": strategy.ward_c.pk},
        {"parent": ""},
        {"start": "April"},
        {"parent": strategy.true_north.pk},
        {"target": "lots"},
    ):
        data = {
            "level": "annual", "unit": strategy.ward_a.pk, "parent": strategy.b1.pk,
            "title": "Bad", "start": "2026-04", "direction": "down", **bad,
        }  # fmt: skip
        assert client.post(reverse("leadership:strategy-new"), data).status_code == 422, bad
    assert not Objective.objects.filter(title="Bad").exists()


def test_the_plan_form_refuses_what_is_not_a_number_and_saves_nothing(strategy, client_for):
    g = strategy.goal
    client = client_for(strategy.leader)
    data = {"plan-2026-01": "5", "plan-2026-02": "five", "plan-2026-03": "nan"}
    response = client.post(url("plan", g), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "“five” is not a number" in body and "give a finite number" in body
    assert 'value="five"' in body  # what was typed stays
    assert not g.plan.exists()
    response = client.post(url("plan", g), {"plan-2026-01": "5", "plan-2026-12": "4,5"})
    assert response.status_code == 302
    assert list(g.plan.values_list("month__month", "plan")) == [(1, 5.0), (12, 45.0)]
    client.post(url("plan", g), {"plan-2026-01": "4.8"})
    assert list(g.plan.values_list("month__month", "plan")) == [(1, 4.8)]


def test_moving_the_first_month_drops_plan_months_outside_the_new_year(strategy, client_for):
    g = strategy.goal
    catchball.save_plan(g, {START: 5.0, START.replace(month=12): 4.5})
    response = client_for(strategy.leader).post(
        url("edit", g),
        {
            "unit": strategy.ward_a.pk, "parent": strategy.b1.pk, "title": g.title,
            "start": "2026-06", "direction": "down", "target": "4.5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.start.isoformat() == "2026-06-01" and g.level == Level.ANNUAL
    assert list(g.plan.values_list("month", flat=True)) == [START.replace(month=12)]
