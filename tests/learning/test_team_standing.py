"""Where each person stands on each tier, in bulk, by the same rules as the team progress page."""

import datetime

from django.utils import timezone

from champion.accounts.models import User
from champion.learning.models import Assignment, LessonProgress
from champion.learning.services import team
from champion.learning.services.overview import assignment_state
from tests.leadership.conftest import tiers


def test_standing_matches_team_progress_and_overdue_matches_each_assignment(world):
    t = tiers()
    today = timezone.localdate()
    now = timezone.now()
    LessonProgress.objects.create(user=world.member, lesson=t.f1, completed_at=now)
    LessonProgress.objects.create(user=world.member, lesson=t.f2, completed_at=now)
    LessonProgress.objects.create(user=world.colleague, lesson=t.p1)
    overdue_unit = Assignment.objects.create(
        organisation=world.org, assigned_by=world.admin, tier=t.foundation, unit=world.north,
        due_on=today - datetime.timedelta(days=1),
    )  # fmt: skip
    Assignment.objects.create(
        organisation=world.org, assigned_by=world.admin, module=t.p1.module, person=world.member,
        due_on=today - datetime.timedelta(days=1),
    )  # fmt: skip
    Assignment.objects.create(  # not due yet: never overdue
        organisation=world.org, assigned_by=world.admin, tier=t.leader, unit=world.root,
        due_on=today + datetime.timedelta(days=1),
    )  # fmt: skip
    people = team.learners(world.admin)
    result = team.standing(world.admin, people, [t.foundation, t.practitioner, t.leader])
    member, colleague = result[world.member.pk], result[world.colleague.pk]
    assert member.started == member.completed == {t.foundation.pk}
    assert colleague.started == {t.practitioner.pk} and colleague.completed == set()
    assert member.overdue == ["Practice"]  # Foundation done; the module assigned to her is not
    assert colleague.overdue == [str(t.foundation)]
    # The bulk answer agrees with the per-person rule Learn shows each learner.
    for person in User.objects.filter(pk__in=[world.member.pk, world.colleague.pk]):
        single = assignment_state(overdue_unit, person)
        assert single.overdue == (str(t.foundation) in result[person.pk].overdue)
    rows = {r.person.pk: r for r in team.team_progress(world.admin, t.foundation)}
    assert rows[world.member.pk].stage == "Lessons done" and rows[world.colleague.pk].overdue
    assert team.live_lesson_counts([t.foundation, t.leader]) == {t.foundation.pk: 2, t.leader.pk: 0}
