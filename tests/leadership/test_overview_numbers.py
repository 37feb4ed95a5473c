"""The Lead overview's numbers, checked against the small known world of conftest.py."""

from __future__ import annotations

import datetime

from django.urls import reverse

from champion.accounts.models import Membership
from champion.leadership import overview
from champion.leadership.permissions import area_for
from champion.learning.models import Tier
from champion.learning.services import team


def coverage_row(training, unit):
    return next(r for r in training.units if r.unit == unit and not r.direct)


def test_training_coverage_counts_each_tier_and_breaks_down_by_unit(lead_world):
    w = lead_world
    training = overview.training(w.admin, area_for(w.admin, w.north.pk))
    # Mia, Cal, Lee (Ward A/B) and Coco (North itself): nobody from South, not the viewer.
    assert training.people == 4
    foundation, practitioner, leader = training.tiers
    assert (foundation.name, foundation.lessons) == ("Foundation", 2)
    assert (foundation.started, foundation.completed, foundation.certified) == (2, 1, 1)
    assert foundation.completed_percent == 25 and foundation.started_percent == 50
    assert (practitioner.started, practitioner.completed) == (0, 0)
    assert leader.lessons == 0  # no lessons published: the page says so instead of 0 %
    assert training.certificates == 1
    assert training.overdue == 1  # Cal, on the Practitioner assignment to Ward B

    ward_a, ward_b = coverage_row(training, w.ward_a), coverage_row(training, w.ward_b)
    assert ward_a.people == 2 and ward_a.tiers[0].completed == 1 and ward_a.overdue == 0
    assert ward_b.people == 1 and ward_b.tiers[0].started == 1 and ward_b.tiers[0].completed == 0
    assert ward_b.overdue == 1
    direct = [r for r in training.units if r.direct]
    assert [(r.unit, r.people) for r in direct] == [(w.north, 1)]  # Coco's role is at North


def test_the_areas_memberships_count_the_same_people_as_the_people_in_view(lead_world):
    """The overview counts the area's memberships (active people, not the viewer) instead of
    working out the people the viewer oversees for each aggregate, and adds its rows up for
    the whole when nobody holds two roles in the area: the same numbers, for every viewer and
    area, with someone inactive, then with someone in two wards."""
    w = lead_world
    w.colleague.is_active = False
    w.colleague.save()
    tiers = list(Tier.objects.all())
    checked = 0
    for second_role in (False, True):
        if second_role:
            Membership.objects.create(user=w.member, unit=w.ward_b, role="member")
        for viewer, unit in [
            (w.admin, None),
            (w.admin, w.north),
            (w.coach, None),
            (w.leader, None),
        ]:
            area = area_for(viewer, unit.pk if unit else None)
            people = team.learners(viewer).filter(area.within("memberships__unit"))
            members = Membership.objects.filter(area.within(), user__is_active=True).exclude(
                user_id=viewer.pk
            )
            top = area.tops[0]
            groups = [(u.path, False) for u in top.children.all()] + [(top.path, True)]
            slow = team.coverage(viewer, people, groups, tiers)
            fast = team.coverage(viewer, people, groups, tiers, members=members)
            summed = team.coverage(viewer, people, groups, tiers, members=members, partition=True)
            assert slow == fast == summed
            checked += slow[0].people
    assert checked > 8


def test_a_leader_counts_their_team_but_not_themselves(lead_world):
    w = lead_world
    training = overview.training(w.leader, area_for(w.leader))
    assert training.people == 1  # Mia; Lee leads Ward A
    assert training.tiers[0].completed == 1
    assert [(r.unit, r.direct) for r in training.units] == [(w.ward_a, True)]


def test_the_portfolio_shows_status_method_phase_finished_and_stalled(lead_world):
    w = lead_world
    portfolio = overview.projects(w.coach, area_for(w.coach))  # coach of North: sees drafts
    by_status = {status: n for status, _, n in portfolio.by_status}
    assert by_status == {"draft": 1, "active": 2, "on_hold": 0, "finished": 1, "stopped": 0}
    phases = {m.method: {label: n for label, n in m.phases if n} for m in portfolio.by_method}
    assert phases == {"mfi": {"Testing changes": 1}, "dmaic": {"Analyse": 1}}
    assert [p.title for p in portfolio.finished] == ["Finished project"]
    [stalled] = portfolio.stalled
    assert stalled.project == w.stalled
    assert stalled.reasons[0] == "no outcome measure"
    assert stalled.reasons[1].startswith("no PDSA cycle since")
    # The admin of the whole organisation is not an editor of projects: drafts stay private.
    admin_view = overview.projects(w.admin, area_for(w.admin, w.north.pk))
    assert {s: n for s, _, n in admin_view.by_status}["draft"] == 0


def test_the_idea_funnel_counts_90_days_and_respects_each_units_response_time(lead_world):
    w = lead_world
    ideas = overview.ideas(w.coach, area_for(w.coach))
    stages = {status: n for status, _, n in ideas.funnel.stages}
    assert stages == {"new": 3, "review": 0, "testing": 1, "adopted": 1, "not_now": 0}
    assert ideas.funnel.shared == 5 and ideas.funnel.answered == 2  # the 120-day-old is out
    assert ideas.funnel.median_response == datetime.timedelta(days=3)
    # Ward A waits 7 days (default), Ward B promised 3: the fresh idea is not late yet.
    assert ideas.waiting == [w.idea_late, w.idea_late_b] and ideas.waiting_total == 2


def test_measure_signals_list_what_needs_attention_in_the_boards_order(lead_world):
    w = lead_world
    signals = overview.signals(w.coach, area_for(w.coach))
    assert signals.counts.total == 2 and signals.counts.concern == 1
    assert signals.attention == [w.falls]


def test_the_page_shows_the_numbers_and_links_into_each_app(client_for, lead_world):
    w = lead_world
    page = client_for(w.admin).get(reverse("leadership:overview"), {"unit": w.north.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>North Hospital</h1>" in html
    assert f'href="{reverse("learning:team")}?unit={w.ward_b.pk}"' in html
    assert f'href="{reverse("leadership:overview")}?unit={w.ward_a.pk}"' in html
    assert f'href="{w.stalled.get_absolute_url()}"' in html
    assert f'href="{w.idea_late.get_absolute_url()}"' in html
    assert f'href="{reverse("measures:detail", args=[w.falls.pk])}"' in html
    assert 'aria-label="Special cause variation: concern' in html
    for outside in ("South project", "South idea", "South concern", "Eli Elsewhere"):
        assert outside not in html
