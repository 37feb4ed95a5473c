"""Ideas unanswered past the unit's response time remind its leaders, once, in the app and by
e-mail (through the platform's notifications, which e-mail after the transaction commits)."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from champion.accounts.models import Membership, Role
from champion.core.models import Notification
from champion.improvement.ideas import reminders
from champion.improvement.ideas.models import Idea, Status, UnitIdeaSettings


@pytest.fixture
def send_idea_reminders(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send_idea_reminders()

    return run


def age(idea, days):
    Idea.objects.filter(pk=idea.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    idea.refresh_from_db()


def test_an_idea_older_than_seven_days_reminds_the_units_leader(world, idea, send_idea_reminders):
    age(idea, 8)
    assert send_idea_reminders() == {"ideas": 1, "emails": 1}
    assert mail.outbox[0].to == [world.leader.email]
    assert idea.title in mail.outbox[0].body
    note = Notification.objects.get(user=world.leader)
    assert (
        note.title == "1 idea waiting for your answer" and note.url == "/improve/ideas/?status=new"
    )


def test_a_second_run_sends_nothing_twice(world, idea, send_idea_reminders):
    age(idea, 8)
    send_idea_reminders()
    assert send_idea_reminders() == {"ideas": 0, "emails": 0}
    assert len(mail.outbox) == 1


def test_a_young_or_answered_idea_reminds_nobody(world, idea, send_idea_reminders):
    age(idea, 3)
    assert send_idea_reminders()["ideas"] == 0
    age(idea, 10)
    idea.move_to(Status.UNDER_REVIEW, by=world.leader)
    assert send_idea_reminders()["ideas"] == 0


def test_the_units_own_response_time_is_used(world, idea, send_idea_reminders):
    UnitIdeaSettings.objects.create(unit=world.ward_a, response_days=2)
    age(idea, 3)
    assert send_idea_reminders()["ideas"] == 1


def test_a_unit_without_leaders_reminds_the_nearest_leaders_above(world, send_idea_reminders):
    Membership.objects.create(user=world.leader_elsewhere, unit=world.north, role=Role.LEADER)
    idea = Idea.objects.create(
        unit=world.ward_b, submitted_by=world.colleague, problem="p", idea="i"
    )
    age(idea, 9)
    send_idea_reminders()
    assert mail.outbox[0].to == [world.leader_elsewhere.email]


def test_the_management_command_reports_what_it_did(
    world, idea, django_capture_on_commit_callbacks
):
    age(idea, 8)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_idea_reminders", stdout=out)
    assert "1 overdue idea(s) in 1 e-mail(s)" in out.getvalue()
