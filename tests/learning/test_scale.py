"""Team progress and assignments cost the same queries for 20 or 400 people, and page them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from champion.learning.models import Assignment, Exercise, Lesson, LessonProgress
from champion.learning.services.team import learners
from tests.scale import add_people, queries


def test_team_progress_queries_do_not_grow_and_the_page_lists_fifty(curriculum, world, client_for):
    client = client_for(world.admin)
    add_people(world.org, world.ward_a, 20, "early")
    small, _ = queries(client, "/learn/team/")
    people = add_people(world.org, world.ward_b, 380, "later")
    LessonProgress.objects.bulk_create(
        LessonProgress(user=p, lesson=curriculum["first"]) for p in people[:100]
    )
    large, page = queries(client, "/learn/team/")
    assert large == small
    assert page.count('href="/learn/people/') == 50
    everyone = learners(world.admin).count()
    assert everyone > 400
    assert f"Page 1 of {-(-everyone // 50)}" in page and "page=2" in page
    # the head counts are over everyone, not just the page
    assert f'<div class="stat">{everyone}</div>' in page
    assert '<div class="stat">100</div>' in page  # started: the 100 with a lesson opened


def test_team_progress_searches_by_name_or_email(curriculum, world, client_for):
    add_people(world.org, world.ward_a, 60, "bulk")
    client = client_for(world.admin)
    _, page = queries(client, "/learn/team/?q=bulk0042")
    assert "Bulk 0042" in page and "Bulk 0041" not in page
    _, page = queries(client, "/learn/team/?q=Mia")
    assert "Mia Member" in page and "Bulk 0001" not in page
    _, page = queries(client, "/learn/team/?q=nobody-like-this")
    assert "Nobody matches this search." in page


def test_assignments_queries_do_not_grow_with_people(curriculum, world, client_for):
    client = client_for(world.admin)
    due = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.create(
        organisation=world.org,
        assigned_by=world.admin,
        tier=curriculum["foundation"],
        unit=world.root,
        due_on=due,
    )
    add_people(world.org, world.ward_a, 20, "early")
    small, page = queries(client, "/learn/assignments/")
    assert "Early 0001" not in page  # the person picker searches; it does not list everyone
    add_people(world.org, world.ward_b, 380, "later")
    large, page = queries(client, "/learn/assignments/")
    assert large == small
    assert "Later 0001" not in page


def test_assignments_are_paged(curriculum, world, client_for):
    due = timezone.localdate() + datetime.timedelta(days=3)
    Assignment.objects.bulk_create(
        Assignment(
            organisation=world.org,
            assigned_by=world.admin,
            tier=curriculum["foundation"],
            person=world.member,
            due_on=due + datetime.timedelta(days=i),
        )
        for i in range(60)
    )
    _, page = queries(client_for(world.admin), "/learn/assignments/")
    assert page.count("Remove<span") == 50
    assert "Page 1 of 2" in page
    _, page = queries(client_for(world.admin), "/learn/assignments/?page=2")
    assert page.count("Remove<span") == 10


def test_a_learning_record_costs_no_query_per_lesson(curriculum, world, client_for):
    """A person's learning record (/learn/people/<pk>/) reads every lesson's exercise with the
    lesson: a curriculum twice the size costs no more queries (issue 15: 110 queries)."""
    client = client_for(world.leader)
    url = f"/learn/people/{world.member.pk}/"
    small, page = queries(client, url)
    assert "Basics" in page
    module = curriculum["first"].module
    for i in range(6):
        lesson = Lesson.objects.create(
            module=module, slug=f"extra-{i}", title=f"Extra lesson {i}", order=10 + i,
            body="x", body_html="<p>x</p>",
        )  # fmt: skip
        Exercise.objects.create(
            lesson=lesson, kind=Exercise.Kind.values[0], title="Try", instructions_html="<p>Do</p>"
        )
    large, page = queries(client, url)
    assert "Extra lesson 5" in page
    assert large <= small, f"{small} queries for 3 lessons, {large} for 9"
