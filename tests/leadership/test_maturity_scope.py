"""A round's scope: a local round (a ward, department...) leaves out the board and the chief
executive, and every step after it (answering, closing, the consensus, the report, the gaps,
the trend and the Lead overview's profile) works with its fewer components. Also: the set-up
form reads like the product's other forms, and answering cannot close with no answers sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from champion.accounts.models import Unit, UnitKind
from champion.leadership.maturity import rounds, trend
from champion.leadership.maturity.framework import LOCAL, FrameworkError, framework
from champion.leadership.maturity.report import build, profile
from champion.leadership.models import RoundStatus, Scope
from tests.leadership.maturity import KEYS, form, participant, url

ORG_ONLY = {"board", "ceo_management"}
LOCAL_KEYS = [k for k in KEYS if k not in ORG_ONLY]


def test_the_rule_is_the_units_place_in_the_tree(world):
    assert rounds.scope_of(world.root) == Scope.ORGANISATION  # the top of the tree
    assert rounds.scope_of(world.north) == Scope.ORGANISATION  # a hospital
    assert rounds.scope_of(world.ward_a) == Scope.LOCAL
    for kind in (UnitKind.DIVISION, UnitKind.DEPARTMENT, UnitKind.TEAM, UnitKind.SERVICE):
        unit = Unit.objects.create(
            organisation=world.org, parent=world.north, name=f"A {kind}", kind=kind
        )
        assert rounds.scope_of(unit) == Scope.LOCAL, kind
    # A ward that is the top of its own organisation's tree answers for everything.
    assert rounds.scope_of(world.other_root) == Scope.ORGANISATION


def test_a_local_framework_leaves_out_the_board_and_executive_and_rewords_the_rest():
    local = framework().for_scope(LOCAL)
    keys = [c.key for c in local.components]
    assert keys == LOCAL_KEYS and len(keys) == 12
    questions = " ".join(c.question for c in local.components)
    assert "board" not in questions.lower() and "chief executive" not in questions.lower()
    assert "the organisation" not in questions
    assert len(framework().components) == 14  # the full framework is untouched
    with pytest.raises(FrameworkError):
        framework().for_scope("ward")


@pytest.fixture
def ward_round(world, client_for):
    response = client_for(world.leader).post(
        reverse("leadership:maturity-new"), {"unit": world.ward_a.pk, "title": "Ward A, May"}
    )
    assert response.status_code == 302
    a = world.ward_a.maturity_rounds.get()
    rounds.invite(a, leaders=[], frontline=[world.member])
    return a


def test_a_ward_round_does_not_ask_the_ward_to_rate_the_board(client_for, world, ward_round):
    a = ward_round
    assert a.scope == Scope.LOCAL
    page = client_for(world.member).get(url("answer", a)).content.decode()
    assert 'name="stage-board"' not in page and 'name="stage-ceo_management"' not in page
    assert "How does the board" not in page
    assert "How well does this unit find risks before they cause harm?" in page
    assert "0 of 12 answered" in page
    # An answer about the board is refused, and nothing is saved.
    data = form(dict.fromkeys(LOCAL_KEYS[:2], 2))
    data["stage-board"] = "3"
    response = client_for(world.member).post(url("answer", a), data)
    assert response.status_code == 400 and "no component called" in response.content.decode()
    assert not participant(a, world.member).answers.exists()


def test_a_ward_round_runs_to_its_report_with_twelve_components(client_for, world, ward_round):
    a = ward_round
    member = client_for(world.member)
    response = member.post(url("answer", a), form(dict.fromkeys(LOCAL_KEYS, 2), action="send"))
    assert response.status_code == 302
    assert participant(a, world.member).submitted_at is not None  # twelve answers are all
    leader = client_for(world.leader)
    assert leader.post(url("close", a)).status_code == 302
    consensus = leader.get(url("consensus", a)).content.decode()
    assert "Chief executive" not in consensus
    response = leader.post(url("consensus", a), form(dict.fromkeys(LOCAL_KEYS, 2), action="finish"))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == RoundStatus.FINISHED
    report = build(a)
    assert [r.component.key for r in report.rows] == LOCAL_KEYS
    assert len(report.opportunities) == 12 and report.by_stage[1] == ("Developing", 12)
    page = leader.get(url("report", a)).content.decode()
    assert page.count('id="gap-') == 12 and 'id="gap-board"' not in page
    assert "Chief executive and management" not in page
    assert leader.get(reverse("leadership:maturity-gap", args=[a.pk, "board"])).status_code == 404
    assert leader.get(reverse("leadership:maturity-gap", args=[a.pk, "trust"])).status_code == 200
    assert [c.key for c, _ in profile(a)] == LOCAL_KEYS
    assert [r.component.key for r in trend.history(world.ward_a.pk).rows] == LOCAL_KEYS


def test_finishing_a_ward_round_needs_only_its_own_components(client_for, world, ward_round):
    a = ward_round
    rounds.save_answers(
        participant(a, world.member), dict.fromkeys(LOCAL_KEYS, (1, "")), submit=True
    )
    rounds.close_answers(a)
    with pytest.raises(rounds.RoundError, match="1 still"):
        rounds.save_consensus(a, dict.fromkeys(LOCAL_KEYS[1:], (2, "")), finish=True)
    rounds.save_consensus(a, {LOCAL_KEYS[0]: (2, "")}, finish=True)
    assert a.status == RoundStatus.FINISHED


def test_a_hospital_round_still_asks_all_fourteen(client_for, world):
    a = rounds.start(unit=world.north, title="North", by=world.coach)
    assert a.scope == Scope.ORGANISATION and len(a.framework.components) == 14
    page = client_for(world.coach).get(url("answer", a)).content.decode()
    assert 'name="stage-board"' in page and "0 of 14 answered" in page


def test_the_close_button_is_offered_only_once_someone_has_sent(client_for, world, ward_round):
    a = ward_round
    leader = client_for(world.leader)
    page = leader.get(a.get_absolute_url()).content.decode()
    assert url("close", a) not in page and "at least one person has sent" in page
    response = leader.post(url("close", a))  # the refusal is the same without the button
    assert response.status_code == 409
    assert (
        "Nobody has sent their answers yet, so answering cannot close" in response.content.decode()
    )
    a.refresh_from_db()
    assert a.status == RoundStatus.OPEN and a.answers_closed_at is None
    # A draft is not enough.
    rounds.save_answers(participant(a, world.member), {"trust": (2, "")}, submit=False)
    assert url("close", a) not in leader.get(a.get_absolute_url()).content.decode()
    rounds.save_answers(
        participant(a, world.member), dict.fromkeys(LOCAL_KEYS, (2, "")), submit=True
    )
    assert url("close", a) in leader.get(a.get_absolute_url()).content.decode()


def test_the_set_up_form_is_built_like_the_products_forms(client_for, world):
    client = client_for(world.leader)
    page = client.get(reverse("leadership:maturity-new")).content.decode()
    assert '<input type="text" name="title"' in page  # so the shared input styles apply
    assert 'aria-describedby="id_title_helptext"' in page
    assert 'id="id_unit_helptext"' in page and "leaves out the board" in page
    response = client.post(reverse("leadership:maturity-new"), {"unit": "", "title": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a unit you lead" in page and "Give the round a name" in page
    assert page.count('aria-invalid="true"') == 2
    assert 'role="alert"' in page


def test_the_set_up_form_keeps_what_was_typed_when_refused(client_for, world):
    response = client_for(world.leader).post(
        reverse("leadership:maturity-new"), {"unit": "99999", "title": "Ward A in spring"}
    )
    assert response.status_code == 400
    assert 'value="Ward A in spring"' in response.content.decode()
    assert not world.ward_a.maturity_rounds.exists()
