"""A maturity gap becomes an action, a project or a learning assignment in one step; the
report charts each component's stage across rounds."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from champion.actions.models import Action, SourceKind
from champion.improvement.models import Project, ProjectMember, TeamRole
from champion.leadership.maturity import trend
from champion.leadership.models import Assessment
from champion.learning.content.load import load_content
from champion.learning.models import Assignment, Tier
from tests.leadership.maturity import KEYS, answer_all, finish, start_round
from tests.learning.conftest import make_tree
from tests.scale import queries

LATER = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def finished(world):
    a = start_round(world)
    answer_all(a, world.leader, 2)
    finish(a, {**dict.fromkeys(KEYS, 3), "trust": 2, "training": 1})
    return a


def gap_url(a, key="trust"):
    return reverse("leadership:maturity-gap", args=[a.pk, key])


def test_the_report_offers_each_opportunity_to_those_who_may_act(world, client, finished):
    client.force_login(world.coach)  # the facilitator
    page = client.get(reverse("leadership:maturity-report", args=[finished.pk])).content.decode()
    assert gap_url(finished, "trust") in page and gap_url(finished, "training") in page
    assert gap_url(finished, "methods") not in page  # a strength, not a gap
    client.force_login(world.member)  # a participant who oversees nothing: reads, cannot act
    page = client.get(reverse("leadership:maturity-report", args=[finished.pk])).content.decode()
    assert "Act on this gap" not in page
    assert client.get(gap_url(finished)).status_code == 403
    client.force_login(world.colleague)
    assert client.get(gap_url(finished)).status_code == 404


def test_a_gap_becomes_an_action_in_one_step(world, client, finished):
    client.force_login(world.admin)  # oversees North from the root, not the facilitator
    page = client.get(gap_url(finished)).content.decode()
    assert "Trust: move from developing to the next stage" in page
    response = client.post(gap_url(finished), {
        "kind": "action", "title": "Close the loop on incident reports", "owner": world.leader.pk,
        "due_on": LATER.isoformat(), "detail": "Within 14 days."})  # fmt: skip
    a = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == a.get_absolute_url()
    assert (a.unit, a.owner, a.created_by, a.source_kind, a.source_id) == (
        world.north,
        world.leader,
        world.admin,
        SourceKind.MATURITY_GAP,
        f"{finished.pk}:trust",
    )
    assert "Trust at developing" in a.source_label
    assert a.source_url.endswith(f"/lead/maturity/{finished.pk}/report/#gap-trust")
    # The report and the gap page list what was made from it.
    page = client.get(reverse("leadership:maturity-report", args=[finished.pk])).content.decode()
    assert "Close the loop on incident reports" in page
    assert "Close the loop on incident reports" in client.get(gap_url(finished)).content.decode()


def test_a_gap_becomes_a_project_led_by_the_owner(world, client, finished):
    client.force_login(world.coach)
    response = client.post(gap_url(finished, "training"), {
        "kind": "project", "title": "Coach stalled Practitioner candidates",
        "owner": world.leader.pk, "due_on": "", "detail": ""})  # fmt: skip
    p = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == p.get_absolute_url()
    assert p.unit == world.north and "Training" in p.problem_statement
    assert "beginning" in p.problem_statement
    leads = set(
        ProjectMember.objects.filter(project=p, role=TeamRole.LEAD).values_list("user", flat=True)
    )
    assert leads == {world.coach.pk, world.leader.pk}
    assert not Action.objects.exists()


def test_a_gap_becomes_a_learning_assignment_for_the_unit(world, client, finished, tmp_path):
    load_content(make_tree(tmp_path))
    tier = Tier.objects.get(slug="foundation")
    client.force_login(world.coach)
    response = client.post(gap_url(finished, "training"), {
        "kind": "assignment", "title": "Training for everyone", "owner": "",
        "due_on": LATER.isoformat(), "subject": f"tier:{tier.pk}"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("learning:assignments")
    a = Assignment.objects.get()
    assert (a.unit, a.tier, a.due_on, a.assigned_by) == (world.north, tier, LATER, world.coach)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "action", "owner": "", "due_on": LATER}, "choose them"),
        (
            {"kind": "action", "due_on": timezone.localdate() - datetime.timedelta(days=1)},
            "from today",
        ),
        ({"kind": "action", "due_on": ""}, "due date"),
        ({"kind": "assignment", "subject": ""}, "learning path"),
        ({"kind": "assignment", "subject": "tier:99999"}, "valid choice"),
        ({"kind": "spaceship"}, "valid choice"),
        ({"kind": "action", "title": "x" * 201}, "characters"),
    ],
)
def test_bad_input_makes_nothing(world, client, finished, data, message):
    base = {"kind": "action", "title": "Something", "owner": world.leader.pk,
            "due_on": LATER.isoformat(), "subject": "", "detail": ""}  # fmt: skip
    base.update({k: str(v) for k, v in data.items()})
    client.force_login(world.coach)
    response = client.post(gap_url(finished), base)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Action.objects.exists() and not Project.objects.exists()
    assert not Assignment.objects.exists()


def test_an_unfinished_round_or_unknown_component_has_no_gap_page(world, client):
    a = start_round(world)
    client.force_login(world.coach)
    assert client.get(gap_url(a)).status_code == 403
    answer_all(a, world.leader, 2)
    finish(a, 2)
    assert client.get(gap_url(a, "nonsense")).status_code == 404


# --- stage across rounds --------------------------------------------------------------------


def _two_rounds(world):
    first = start_round(world, "North, last year")
    answer_all(first, world.leader, 1)
    finish(first, {**dict.fromkeys(KEYS, 1), "trust": 2})
    second = start_round(world, "North, this year")
    answer_all(second, world.leader, 2)
    finish(second, {**dict.fromkeys(KEYS, 2), "methods": 4, "trust": 1})
    year_ago = timezone.now() - datetime.timedelta(days=365)
    Assessment.objects.filter(pk=first.pk).update(finished_at=year_ago)
    return first, second


def test_the_trend_has_each_components_stage_in_each_round_oldest_first(world):
    first, second = _two_rounds(world)
    t = trend.history(world.north.pk, until=second)
    assert [r.pk for r in t.rounds] == [first.pk, second.pk] and t.enough
    rows = {r.component.key: r for r in t.rows}
    assert rows["methods"].stages == [1, 4] and rows["methods"].change == 3
    assert rows["trust"].stages == [2, 1] and rows["trust"].change == -1
    assert rows["board"].names == ["Beginning", "Developing"]
    # Up to the first round, there is only one: no chart yet.
    assert not trend.history(world.north.pk, until=first).enough


def test_the_report_charts_the_rounds_with_a_table(world, client):
    first, second = _two_rounds(world)
    client.force_login(world.coach)
    page = client.get(reverse("leadership:maturity-report", args=[second.pk])).content.decode()
    assert "Stage across rounds" in page
    assert page.count('<svg class="trend"') == len(KEYS)
    assert 'aria-hidden="true"' in page and "▲ up 3" in page and "▼ down 1" in page
    first_page = client.get(reverse("leadership:maturity-report", args=[first.pk])).content.decode()
    assert '<svg class="trend"' not in first_page and "next one will chart" in first_page


def test_the_sparkline_breaks_where_a_round_did_not_assess(world):
    svg = trend.sparkline([1, None, 3, 4])
    assert svg.count("<circle") == 3 and svg.count("<polyline") == 1  # 3-4 joined, 1 alone
    assert trend.sparkline([2]).count("<circle") == 1


def test_report_queries_do_not_grow_with_rounds(world, client):
    _, second = _two_rounds(world)
    client.force_login(world.coach)
    url = reverse("leadership:maturity-report", args=[second.pk])
    small = queries(client, url)[0]
    for i in range(3):
        a = start_round(world, f"Extra {i}")
        answer_all(a, world.leader, 3)
        finish(a, 3)
        Assessment.objects.filter(pk=a.pk).update(
            finished_at=timezone.now() - datetime.timedelta(days=100 + i)
        )
    assert queries(client, url)[0] == small
