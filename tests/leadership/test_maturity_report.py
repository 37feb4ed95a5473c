"""The report's numbers: the profile, strengths, opportunities, spread and change since last time;
the Lead overview's card; and the demo round."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Role
from champion.leadership.maturity.report import build
from champion.leadership.models import Assessment
from tests.conftest import make_person
from tests.leadership.maturity import KEYS, answer_all, finish, start_round, url

# Consensus: board 1, ceo 2, physicians 3, quality_strategy 4, everything else developing.
AGREED = {**dict.fromkeys(KEYS, 2), "board": 1, "ceo_management": 2, "physicians": 3,
          "quality_strategy": 4}  # fmt: skip


def finished_round(w, title, agreed, days_ago):
    a = start_round(w, title)
    answer_all(a, w.leader, {**dict.fromkeys(KEYS, 2), "trust": 4})
    answer_all(a, w.member, {**dict.fromkeys(KEYS, 2), "trust": 1}, notes={"trust": "Fear"})
    answer_all(a, w.coach, {**dict.fromkeys(KEYS, 3), "trust": 2})
    finish(a, agreed)
    Assessment.objects.filter(pk=a.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    a.refresh_from_db()
    return a


def test_the_profile_strengths_opportunities_and_spread(world):
    a = finished_round(world, "Spring", AGREED, 1)
    r = build(a)
    assert r.participants == 3 and r.frontline == 1
    assert r.by_stage == [
        ("Beginning", 1),
        ("Developing", 11),
        ("Advancing", 1),
        ("Approaching", 1),
    ]
    assert [row.component.key for row in r.strengths] == ["quality_strategy", "physicians"]
    opportunities = [row.component.key for row in r.opportunities]
    assert opportunities[0] == "board" and len(opportunities) == 12
    # Among the developing ones, trust (the widest spread) comes first.
    assert opportunities[1] == "trust"
    trust = next(row for row in r.rows if row.component.key == "trust")
    # One frontline answer is counted but not shown apart: it would be that person's.
    assert trust.spread.counts == [1, 1, 0, 1] and trust.spread.frontline == [0, 0, 0, 0]
    assert not r.frontline_shown
    assert trust.spread.wide and trust.spread.width == 3 and trust.spread.notes == ["Fear"]
    board = r.rows[0]
    assert board.spread.counts == [0, 2, 1, 0] and not board.spread.wide
    assert [row.component.key for row in r.wide] == ["trust"]
    assert r.previous is None and board.change is None
    # What to try next comes from the component's agreed stage.
    assert board.next_steps[0].url == reverse("measures:board")
    assert board.next_stage.startswith("The board reviews a quality report")


def test_the_change_since_the_units_previous_round(world):
    first = finished_round(world, "Last year", dict.fromkeys(KEYS, 2), 365)
    second = finished_round(world, "This year", AGREED, 1)
    r = build(second)
    assert r.previous == first
    assert r.changes == {"up": 2, "same": 11, "down": 1}
    assert {row.component.key: row.change for row in r.rows if row.change} == {
        "board": -1, "physicians": 1, "quality_strategy": 2,
    }  # fmt: skip
    assert build(first).previous is None  # the older round does not compare with the newer


def test_the_report_page_shows_the_profile_and_links_next_steps(client_for, world):
    finished_round(world, "Last year", dict.fromkeys(KEYS, 2), 365)
    a = finished_round(world, "This year", AGREED, 1)
    page = client_for(world.admin).get(url("report", a)).content.decode()
    assert "2 up, 11 the same, 1 down" in page
    assert "▲ up 2" in page and "▼ down 1" in page
    assert "Where views differed most" in page and "(frontline:" not in page
    assert "Fewer than three frontline staff answered" in page  # one: counted, not shown apart
    assert f'href="{reverse("measures:board")}"' in page
    assert "Based on the framework of Chassin &amp; Loeb (2013)" in page


def test_the_lead_overview_shows_the_latest_profile_of_the_area(client_for, world):
    finished_round(world, "Last year", dict.fromkeys(KEYS, 2), 365)
    latest = finished_round(world, "This year", AGREED, 1)
    page = client_for(world.coach).get(reverse("leadership:overview")).content.decode()
    assert "This year" in page and url("report", latest) in page
    assert page.count('class="stage-name"') == 14
    # A leader of another hospital sees no round of North.
    south = client_for(world.leader_elsewhere).get(reverse("leadership:overview")).content.decode()
    assert "This year" not in south and "No maturity round has finished here yet" in south


def test_a_round_in_progress_is_counted_but_not_shown_as_the_profile(client_for, world):
    start_round(world, "Still answering")
    page = client_for(world.coach).get(reverse("leadership:overview")).content.decode()
    assert "1 in progress" in page and "No maturity round has finished here yet" in page


def test_the_demo_round_is_mixed_mostly_developing_and_advancing(db):
    from champion.web.demo import load_demo

    load_demo()
    load_demo()  # idempotent
    # Two finished rounds a year apart (issue 11): the latest is the mixed one.
    earlier, a = Assessment.objects.finished().order_by("finished_at")
    assert (a.finished_at - earlier.finished_at).days == 365
    r = build(a)
    counts = dict(r.by_stage)
    assert counts["Developing"] + counts["Advancing"] >= 11 and counts["Approaching"] == 0
    assert r.participants == 10 and r.frontline == 3
    assert [row.component.key for row in r.wide] == ["trust"]
    # Compared with the year before: nothing went down, several components went up.
    assert r.previous == earlier
    assert r.changes["down"] == 0 and r.changes["up"] >= 7
    # And Ward 7's local round, still answering, asks twelve components and nothing is sent.
    ward = Assessment.objects.get(status="open")
    assert ward.scope == "local" and len(ward.framework.components) == 12
    assert ward.facilitator.email == "leader@riverside.example"
    assert not ward.participants.filter(submitted_at__isnull=False).exists()


def test_another_leader_invited_as_frontline_is_counted_as_frontline(world):
    nurse = make_person("nurse@test.example", world.org, world.ward_b, Role.MEMBER, "Nia Nurse")
    a = start_round(world, "With a nurse")
    from champion.leadership.maturity import rounds

    rounds.invite(a, leaders=[], frontline=[nurse])
    answer_all(a, nurse, 1)
    answer_all(a, world.leader, 3)
    rounds.close_answers(a)
    r = build(a)
    assert r.frontline == 1 and r.rows[0].spread.counts == [1, 0, 1, 0]


def test_frontline_answers_are_shown_apart_only_from_three_frontline_people(client_for, world):
    from champion.leadership.maturity import rounds

    nurses = [
        make_person(f"nurse{i}@test.example", world.org, world.ward_b, Role.MEMBER, f"Nurse {i}")
        for i in range(2)
    ]

    def round_with(title, frontline_answering):
        a = start_round(world, title)  # the Ward A member is invited as frontline
        rounds.invite(a, leaders=[], frontline=nurses)
        answer_all(a, world.leader, 3)
        for person in frontline_answering:
            answer_all(a, person, 1)
        rounds.close_answers(a)
        return a

    small = round_with("Two nurses", nurses)
    two = build(small)
    assert two.frontline == 2 and not two.frontline_shown
    assert two.rows[0].spread.counts == [2, 0, 1, 0] and two.rows[0].spread.frontline == [0] * 4
    page = client_for(world.coach).get(url("consensus", small)).content.decode()
    assert "Fewer than three frontline staff answered" in page

    three = build(round_with("Three frontline", [*nurses, world.member]))
    assert three.frontline == 3 and three.frontline_shown
    assert three.rows[0].spread.counts == [3, 0, 1, 0]
    assert three.rows[0].spread.frontline == [3, 0, 0, 0]
