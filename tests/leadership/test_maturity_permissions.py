"""Who may do what with a maturity round: the facilitator runs it, participants answer,
those who oversee its unit may read it, and nobody sees another person's answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.leadership.maturity import answer_all, finish, form, start_round, url

PAGES = ["round", "answer", "consensus", "report"]
POSTS = ["invite", "answer", "close", "consensus"]


@pytest.fixture
def a(world):
    return start_round(world)


@pytest.mark.parametrize(
    "persona", ["colleague", "leader_elsewhere", "outsider", "outsider_member"]
)
def test_people_outside_the_round_and_its_unit_get_404_everywhere(client_for, world, a, persona):
    client = client_for(getattr(world, persona))
    for name in PAGES:
        assert client.get(url(name, a)).status_code == 404, name
    for name in POSTS:
        assert client.post(url(name, a), form(2)).status_code == 404, name
    assert "North maturity" not in client.get(reverse("leadership:maturity")).content.decode()


def test_the_facilitator_sees_who_has_answered_but_never_what(client_for, world, a):
    answer_all(a, world.leader, 3, notes={"trust": "A private remark from the leader"})
    page = client_for(world.coach).get(url("round", a)).content.decode()
    assert "Lee Leader" in page and "Mia Member" in page
    assert "Sent" in page and "Not started" in page
    assert "A private remark" not in page
    assert 'name="leaders"' in page  # the invitation form


def test_a_participant_sees_the_round_but_not_who_has_answered(client_for, world, a):
    answer_all(a, world.leader, 3)
    page = client_for(world.member).get(url("round", a)).content.decode()
    assert "Answer the assessment" in page
    assert "Lee Leader" not in page and "Sent" not in page
    assert 'name="leaders"' not in page


def test_a_participant_cannot_run_the_round(client_for, world, a):
    client = client_for(world.leader)
    assert client.post(url("close", a)).status_code == 403
    assert client.post(url("invite", a), {"leaders": [world.admin.pk]}).status_code == 403
    assert client.get(url("consensus", a)).status_code == 403
    assert a.participants.count() == 3


def test_an_overseer_who_is_not_invited_reads_the_round_but_cannot_answer_or_run_it(
    client_for, world, a
):
    client = client_for(world.admin)
    page = client.get(url("round", a))
    assert page.status_code == 200 and "Lee Leader" not in page.content.decode()
    assert client.get(url("answer", a)).status_code == 403
    assert client.post(url("answer", a), form(2)).status_code == 403
    assert client.post(url("close", a)).status_code == 403


def test_the_report_waits_for_the_round_to_finish_then_participants_and_overseers_read_it(
    client_for, world, a
):
    answer_all(a, world.leader, 3)
    assert client_for(world.coach).get(url("report", a)).status_code == 403
    finish(a, 2)
    for persona in ("member", "leader", "coach", "admin"):
        assert client_for(getattr(world, persona)).get(url("report", a)).status_code == 200


def test_answers_stay_private_until_answering_closes(client_for, world, a):
    answer_all(a, world.leader, 3, notes={"trust": "Only after close"})
    coach = client_for(world.coach)
    assert coach.get(url("consensus", a)).status_code == 403  # still answering
    coach.post(url("close", a))
    page = coach.get(url("consensus", a)).content.decode()
    assert "Only after close" in page  # the note, with no name beside it
    assert "Lee Leader" not in page


def test_a_frontline_member_is_invited_without_seeing_lead(client_for, world, a):
    client = client_for(world.member)
    assert client.get(reverse("leadership:overview")).status_code == 403
    index = client.get(reverse("leadership:maturity")).content.decode()
    assert "North maturity" in index and url("answer", a) in index
    assert "Start a round" not in index
    assert client.get(reverse("leadership:maturity-new")).status_code == 403


def test_a_leader_starts_a_round_only_for_a_unit_they_lead(client_for, world):
    client = client_for(world.leader)
    new = reverse("leadership:maturity-new")
    for unit in (world.north, world.ward_b, world.other_ward):
        response = client.post(new, {"unit": unit.pk, "title": "Mine"})
        assert response.status_code == 400, unit
        assert "Choose a unit you lead" in response.content.decode()
    response = client.post(new, {"unit": world.ward_a.pk, "title": "Ward A round"})
    assert response.status_code == 302
    a = world.ward_a.maturity_rounds.get()
    assert a.facilitator == world.leader and a.title == "Ward A round"


def test_a_round_needs_a_title(client_for, world):
    response = client_for(world.leader).post(
        reverse("leadership:maturity-new"), {"unit": world.ward_a.pk, "title": "  "}
    )
    assert response.status_code == 400 and not world.ward_a.maturity_rounds.exists()


def test_a_title_over_the_limit_is_refused_with_its_length_not_cut(client_for, world):
    response = client_for(world.leader).post(
        reverse("leadership:maturity-new"), {"unit": world.ward_a.pk, "title": "R" * 201}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "201 characters long; the most is 200" in page
    assert not world.ward_a.maturity_rounds.exists()


def test_the_list_names_the_framework_it_is_based_on(client_for, world):
    page = client_for(world.coach).get(reverse("leadership:maturity")).content.decode()
    assert "based on the framework of Chassin &amp; Loeb (2013)" in page
