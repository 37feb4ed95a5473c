"""The strategy page (X-matrix, goals, bowling charts), linking measures and projects, the
X-matrix's marks and drawing, the demo, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from django.urls import reverse

from champion.accounts.models import User
from champion.improvement.models import (
    MeasureRole,
    Project,
    ProjectMeasure,
    ProjectMember,
    ProjectStatus,
    TeamRole,
)
from champion.leadership.permissions import area_for
from champion.leadership.strategy import catchball, xmatrix
from champion.leadership.strategy.models import GoalProject, GoalStatus, Level, Objective
from champion.web.demo import load_demo
from tests.leadership.strategy.conftest import START, falls_measure, objective
from tests.scale import queries

INDEX = reverse("leadership:strategy")


def project(world, title, *, lead, sponsor=None, unit=None):
    p = Project.objects.create(
        unit=unit or world.ward_a, title=title, status=ProjectStatus.ACTIVE, problem_statement="x"
    )
    ProjectMember.objects.create(project=p, user=lead, role=TeamRole.LEAD)
    if sponsor:
        ProjectMember.objects.create(project=p, user=sponsor, role=TeamRole.SPONSOR)
    return p


def accepted_goal_with_work(w):
    g = w.goal
    g.measure = falls_measure(w.ward_a, [6.0, 4.0, 5.5])
    g.save()
    catchball.save_plan(g, {START: 5.0, datetime.date(2026, 2, 1): 5.0})
    catchball.decide(g, by=w.admin, accept=True, text="")
    bundle = project(w, "Falls bundle", lead=w.member, sponsor=w.leader)
    ProjectMeasure.objects.create(project=bundle, measure=g.measure, role=MeasureRole.OUTCOME)
    rounding = project(w, "Intentional rounding", lead=w.leader)
    GoalProject.objects.create(objective=g, project=bundle, strength="strong")
    GoalProject.objects.create(objective=g, project=rounding, strength="weak")
    return g, bundle, rounding


def test_the_x_matrix_marks_every_corner(strategy):
    g, _, _ = accepted_goal_with_work(strategy)
    x = xmatrix.x_matrix(strategy.leader, area_for(strategy.leader), 2026)
    assert [i.code for i in x.breakthroughs] == ["B1"]
    assert [(i.code, i.title) for i in x.annual] == [("A1", g.title)]
    assert [(i.code, i.title) for i in x.projects] == [
        ("P1", "Falls bundle"),
        ("P2", "Intentional rounding"),
    ]
    assert [(i.code, i.title) for i in x.metrics] == [("M1", "Falls")]
    assert x.metrics[0].detail == "↓ target 4.5"
    assert [i.title for i in x.owners] == ["Lee Leader", "Mia Member"]
    assert x.marks == {
        ("A1", "B1"): "strong",  # the goal serves the objective
        ("M1", "B1"): "strong",  # its metric does too
        ("A1", "P1"): "strong",
        ("A1", "P2"): "weak",
        ("P1", "M1"): "strong",  # the bundle tracks the falls measure
        ("P2", "M1"): "weak",  # rounding serves the goal without tracking it
        ("P1", "O2"): "strong",  # Mia leads the bundle
        ("P1", "O1"): "weak",  # Lee sponsors it
        ("P2", "O1"): "strong",  # Lee leads rounding
    }
    rows = x.rows()
    assert [b.code for b in rows[0]["serves"]] == ["B1"]
    assert [m.code for m in rows[0]["metrics"]] == ["M1"]
    assert [(p.code, s) for p, s in rows[0]["projects"]] == [("P1", "strong"), ("P2", "weak")]
    assert [(o.code, [(p.code, r) for p, r in roles]) for o, roles in x.owner_rows()] == [
        ("O1", [("P1", "sponsors"), ("P2", "leads")]),
        ("O2", [("P1", "leads")]),
    ]


def test_the_x_matrix_is_valid_svg_with_a_title_and_every_code(strategy):
    accepted_goal_with_work(strategy)
    strategy.goal.title = "Falls <b>&</b> harm"
    strategy.goal.save()
    x = xmatrix.x_matrix(strategy.leader, area_for(strategy.leader), 2026)
    drawing = xmatrix.svg(x)
    root = ET.fromstring(drawing)  # well formed: the title's markup is escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "X-matrix for 2026"
    texts = " ".join(t.text or "" for t in root.iter(f"{ns}text"))
    for code in ("B1", "A1", "P1", "P2", "M1", "O1", "O2"):
        assert code in texts
    assert "Falls <b>&</b> harm" in texts
    assert len(list(root.iter(f"{ns}circle"))) == 9 + 2  # nine marks and the key's two


def test_proposed_goals_are_not_on_the_x_matrix(strategy):
    x = xmatrix.x_matrix(strategy.admin, area_for(strategy.admin), 2026)
    assert x.annual == [] and [b.title for b in x.breakthroughs] == [strategy.b1.title]


def test_the_page_shows_the_matrix_the_table_and_the_bowling_chart(strategy, client_for):
    accepted_goal_with_work(strategy)
    response = client_for(strategy.leader).get(INDEX + "?year=2026")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "X-matrix as a table" in body
    assert "Falls (↓ target 4.5)" in body  # the goal's metric in the table
    assert "Safe care, no waiting" in body and strategy.b1.title in body
    assert "1 of 2 months met the plan, 1 missed it." in body
    assert body.count('class="met"') == 1 and body.count('class="missed"') == 1
    assert "missed the plan" in body  # words, not colour alone


def test_the_page_offers_decisions_to_those_who_decide(strategy, client_for):
    body = client_for(strategy.admin).get(INDEX + "?year=2026").content.decode()
    assert "Goals waiting for your decision" in body and strategy.goal.title in body
    body = client_for(strategy.leader).get(INDEX + "?year=2026").content.decode()
    assert "Goals waiting for your decision" not in body


def test_the_page_is_scoped_to_the_area(strategy, client_for):
    body = client_for(strategy.leader_elsewhere).get(INDEX + "?year=2026").content.decode()
    assert strategy.goal.title not in body and strategy.b1.title in body
    assert (
        client_for(strategy.leader_elsewhere).get(INDEX + f"?unit={strategy.ward_a.pk}").status_code
        == 403
    )
    assert client_for(strategy.member).get(INDEX).status_code == 403
    assert (
        client_for(strategy.outsider).get(INDEX + f"?unit={strategy.ward_a.pk}").status_code == 404
    )
    assert client_for(strategy.leader).get(INDEX + "?year=banana").status_code == 400


def test_the_goals_are_searched_and_paginated(strategy, client_for):
    for i in range(25):
        Objective.objects.create(
            unit=strategy.ward_a, level=Level.ANNUAL, parent=strategy.b1, title=f"Goal {i:02d}",
            year=2026, start=START, direction="up", status=GoalStatus.ACCEPTED,
        )  # fmt: skip
    client = client_for(strategy.leader)
    body = client.get(INDEX + "?year=2026").content.decode()
    assert "Page 1 of 2" in body
    assert body.count("<article") == 20
    body = client.get(INDEX + "?year=2026&q=Goal 07").content.decode()
    assert body.count("<article") == 1 and ">Goal 07</a>" in body
    assert "13 more annual are not drawn" in body


def test_linking_the_measure_and_a_project(strategy, client_for):
    g = strategy.goal
    m = falls_measure(strategy.ward_a, [5.0], name="Falls with harm")
    p = project(strategy, "Bed sensors", lead=strategy.leader)
    client = client_for(strategy.leader)
    page = client.get(reverse("leadership:strategy-objective", args=[g.pk]) + "?mq=harm&pq=sens")
    body = page.content.decode()
    assert "Falls with harm" in body and "Bed sensors" in body
    link = reverse("leadership:strategy-link", args=[g.pk])
    assert client.post(link, {"what": "measure", "id": m.pk}).status_code == 302
    assert client.post(link, {"what": "project", "id": p.pk, "strength": "weak"}).status_code == 302
    g.refresh_from_db()
    assert g.measure == m and g.projects.get().strength == "weak"
    # Another organisation's measure does not exist for them; a bad strength is refused.
    other = falls_measure(strategy.other_ward, [1.0], name="Theirs")
    assert client.post(link, {"what": "measure", "id": other.pk}).status_code == 404
    bad = client.post(link, {"what": "project", "id": p.pk, "strength": "huge"})
    assert bad.status_code == 422 and "strong or a weak" in bad.content.decode()
    assert client.post(link, {"what": "project", "id": "x"}).status_code == 422
    # Unlinking takes the second click: without `confirm=yes` nothing is removed.
    once = client.post(link, {"what": "project", "id": p.pk, "remove": "1"})
    assert once.status_code == 422 and "Nothing was removed" in once.content.decode()
    assert g.projects.exists()
    client.post(link, {"what": "project", "id": p.pk, "remove": "1", "confirm": "yes"})
    client.post(link, {"what": "measure", "remove": "1", "confirm": "yes"})
    g.refresh_from_db()
    assert g.measure is None and not g.projects.exists()


def test_pages_cost_the_same_queries_with_more_goals(strategy, client_for):
    accepted_goal_with_work(strategy)
    client = client_for(strategy.admin)
    url = INDEX + f"?unit={strategy.root.pk}&year=2026"
    small, _ = queries(client, url)
    detail = reverse("leadership:strategy-objective", args=[strategy.goal.pk])
    small_detail, _ = queries(client, detail)
    for i in range(15):
        g = objective(
            strategy, Level.ANNUAL, f"More {i}", unit=strategy.ward_b, parent=strategy.b1,
            start=START, direction="up",
        )  # fmt: skip
        g.measure = falls_measure(strategy.ward_b, [5.0, 6.0], name=f"M{i}")
        g.save()
        catchball.save_plan(g, {START: 5.0})
        bundle = project(strategy, f"Project {i}", lead=strategy.member, unit=strategy.ward_b)
        GoalProject.objects.create(objective=g, project=bundle)
        Objective.objects.filter(pk=g.pk).update(status="proposed")
        if i % 2:
            Objective.objects.filter(pk=g.pk).update(status="accepted")
        g.catches.create(kind="comment", author=strategy.admin, text="Hm")
    large, body = queries(client, url)
    assert large == small, (small, large)
    assert "more annual are not drawn" not in body  # 8 accepted + 1: under the cap
    large_detail, _ = queries(client, detail)
    assert large_detail == small_detail


def test_the_demo_has_a_strategy_with_bowling_charts_and_a_proposal(db, client):
    load_demo()
    assert Objective.objects.filter(level=Level.TRUE_NORTH).count() == 1
    assert Objective.objects.filter(level=Level.BREAKTHROUGH).count() == 3
    goals = Objective.objects.filter(level=Level.ANNUAL)
    assert goals.filter(status=GoalStatus.PROPOSED).count() == 1
    assert goals.filter(status=GoalStatus.ACCEPTED, measure__isnull=False).count() >= 3
    load_demo()  # idempotent
    assert Objective.objects.count() == 1 + 3 + goals.count()
    client.force_login(User.objects.get(email="executive@riverside.example"))
    body = client.get(INDEX + "?year=2026").content.decode()
    assert "Goals waiting for your decision" in body and "Hand hygiene at 95%" in body
    assert 'class="met"' in body and 'class="missed"' in body
    client.force_login(User.objects.get(email="leader@riverside.example"))
    body = client.get(INDEX + "?year=2026").content.decode()
    assert "Falls on Ward 7 under 5" in body and "Four in five ED patients" not in body
