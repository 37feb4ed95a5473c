"""The idea funnel for leaders: recent ideas by status, time to a first answer, ideas left waiting."""

import datetime

from django.utils import timezone

from champion.improvement.ideas.funnel import funnel, waiting_too_long
from champion.improvement.ideas.models import (
    DEFAULT_RESPONSE_DAYS,
    Idea,
    UnitIdeaSettings,
    response_days_for,
)
from tests.leadership.conftest import idea


def test_each_unit_has_its_response_time_or_the_default(world):
    UnitIdeaSettings.objects.create(unit=world.ward_b, response_days=2)
    assert response_days_for([world.ward_a.pk, world.ward_b.pk]) == {
        world.ward_a.pk: DEFAULT_RESPONSE_DAYS,
        world.ward_b.pk: 2,
    }


def test_waiting_too_long_uses_the_same_rule_as_the_idea_page(world):
    UnitIdeaSettings.objects.create(unit=world.ward_b, response_days=2)
    late_b = idea(world.ward_b, world.colleague, "B", days_ago=3)
    on_time_a = idea(world.ward_a, world.member, "A", days_ago=3)
    late_a = idea(world.ward_a, world.member, "Old A", days_ago=9)
    idea(world.ward_a, world.member, "Answered", days_ago=30, status="review", answered_after=1)
    waiting = waiting_too_long(Idea.objects.visible_to(world.leader))
    assert list(waiting) == [late_a, late_b]  # a queryset now, counted and sliced in the database
    assert all(i.is_overdue() for i in waiting) and not on_time_a.is_overdue()


def test_the_funnel_counts_the_last_90_days_and_the_median_first_answer(world):
    for days, after in ((10, 1), (20, 2), (30, 3), (40, 6)):
        idea(
            world.ward_a,
            world.member,
            f"{days}",
            days_ago=days,
            status="testing",
            answered_after=after,
        )
    idea(world.ward_a, world.member, "Unanswered", days_ago=5)
    idea(world.ward_a, world.member, "Too old", days_ago=91, status="adopted", answered_after=1)
    result = funnel(Idea.objects.visible_to(world.leader), now=timezone.now())
    assert {s: n for s, _, n in result.stages} == {
        "new": 1, "review": 0, "testing": 4, "adopted": 0, "not_now": 0,
    }  # fmt: skip
    assert (result.shared, result.answered) == (5, 4)
    assert result.median_response == datetime.timedelta(days=2.5)
    assert result.median_response_days == 2.5


def test_nothing_answered_has_no_median(world):
    idea(world.ward_a, world.member, "Unanswered", days_ago=5)
    assert funnel(Idea.objects.visible_to(world.leader)).median_response is None
    assert funnel(Idea.objects.visible_to(world.outsider)).shared == 0
