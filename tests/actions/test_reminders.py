"""Action reminders: once when due soon, once when overdue, never twice for the same date."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.utils import timezone

from champion.actions.models import Action, Status
from champion.actions.reminders import send_action_reminders
from champion.core.models import Notification

TODAY = datetime.date(2030, 3, 10)


def make(w, due, owner=None, status=Status.OPEN, title="Fix the alarms"):
    return Action.objects.create(
        unit=w.ward_a, title=title, owner=owner or w.member, created_by=w.leader,
        due_on=due, status=status,
    )  # fmt: skip


def notes(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_due_soon_and_overdue_each_remind_the_owner_once(world):
    make(world, TODAY + datetime.timedelta(days=3), title="Soon one")
    make(world, TODAY - datetime.timedelta(days=1), title="Late one")
    make(world, TODAY + datetime.timedelta(days=4), title="Not yet")
    counts = send_action_reminders(TODAY)
    assert counts == {"due_soon": 1, "overdue": 1, "notifications": 2}
    assert sorted(notes(world.member)) == [
        "1 of your actions is due soon",
        "1 of your actions is overdue",
    ]
    body = Notification.objects.get(user=world.member, title__endswith="overdue").body
    assert "Late one" in body and "Soon one" not in body
    # Run again the same day, and the next: nothing new.
    assert send_action_reminders(TODAY)["notifications"] == 0
    assert send_action_reminders(TODAY + datetime.timedelta(days=1))["due_soon"] == 1  # "Not yet"
    assert send_action_reminders(TODAY + datetime.timedelta(days=2))["notifications"] == 0
    assert len(notes(world.member)) == 3


def test_a_due_soon_action_that_becomes_overdue_gets_the_overdue_reminder(world):
    a = make(world, TODAY)
    assert send_action_reminders(TODAY)["due_soon"] == 1
    counts = send_action_reminders(TODAY + datetime.timedelta(days=1))
    assert (counts["due_soon"], counts["overdue"]) == (0, 1)
    a.refresh_from_db()
    assert a.due_soon_sent_for == a.overdue_sent_for == TODAY


def test_moving_the_date_arms_the_reminders_again(world):
    a = make(world, TODAY - datetime.timedelta(days=2))
    send_action_reminders(TODAY)
    Action.objects.filter(pk=a.pk).update(due_on=TODAY + datetime.timedelta(days=1))
    assert send_action_reminders(TODAY)["due_soon"] == 1
    Action.objects.filter(pk=a.pk).update(due_on=TODAY - datetime.timedelta(days=1))
    assert send_action_reminders(TODAY)["overdue"] == 1


def test_done_and_dropped_actions_are_not_reminded(world):
    make(world, TODAY - datetime.timedelta(days=1), status=Status.DONE)
    make(world, TODAY, status=Status.DROPPED)
    assert send_action_reminders(TODAY)["notifications"] == 0


def test_one_notification_per_owner_listing_each_action(world):
    for i in range(3):
        make(world, TODAY - datetime.timedelta(days=i + 1), title=f"Late {i}")
    make(world, TODAY - datetime.timedelta(days=1), owner=world.leader, title="Leader's")
    counts = send_action_reminders(TODAY)
    assert counts == {"due_soon": 0, "overdue": 4, "notifications": 2}
    body = Notification.objects.get(user=world.member).body
    assert all(f"Late {i}" in body for i in range(3)) and "Leader" not in body
    assert Notification.objects.get(user=world.member).title == "3 of your actions are overdue"


def test_an_inactive_owner_is_not_told(world):
    world.member.is_active = False
    world.member.save()
    make(world, TODAY - datetime.timedelta(days=1))
    send_action_reminders(TODAY)
    assert not Notification.objects.exists()


def test_the_command_runs_daily_without_repeating(world, capsys):
    make(world, timezone.localdate() - datetime.timedelta(days=1))
    call_command("send_action_reminders")
    call_command("send_action_reminders")
    out = capsys.readouterr().out
    assert "1 overdue in 1 notification(s)" in out and "0 overdue in 0 notification(s)" in out
    assert Notification.objects.count() == 1
