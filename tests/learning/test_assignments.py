"""Leaders assign learning with a due date; people see it; reminders go out once before and once after."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from champion.learning.models import Assignment, ReminderSent
from champion.learning.services import team
from tests.learning.test_certificates import complete


def test_a_leader_assigns_a_path_to_their_unit_and_members_see_it(curriculum, world, client_for):
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = client_for(world.leader).post(
        "/learn/assignments/",
        {
            "subject": f"tier:{curriculum['foundation'].pk}",
            "target": f"unit:{world.ward_a.pk}",
            "due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert set(assignment.people()) == {world.member, world.leader}
    page = client_for(world.member).get("/learn/").content.decode()
    assert "Assigned to you" in page and "Due" in page
    assert "Assigned to you" not in client_for(world.colleague).get("/learn/").content.decode()


def test_a_leader_cannot_assign_outside_their_subtree(curriculum, world, client_for):
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    for target in (
        {"target": f"unit:{world.ward_c.pk}"},
        {"target": "person", "person": world.colleague.pk},
        {"target": "person", "person": world.outsider_member.pk},
        {"target": "person"},  # one person, but nobody chosen
        {"target": f"unit:{world.other_ward.pk}"},
    ):
        response = client_for(world.leader).post(
            "/learn/assignments/",
            {"subject": f"tier:{curriculum['foundation'].pk}", "due_on": due, **target},
        )
        assert response.status_code == 422
    assert not Assignment.objects.exists()


def test_a_leader_assigns_one_person_chosen_with_the_search_picker(curriculum, world, client_for):
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    response = client_for(world.leader).post(
        "/learn/assignments/",
        {
            "subject": f"tier:{curriculum['foundation'].pk}",
            "target": "person",
            "person": world.member.pk,
            "due_on": due,
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.person == world.member and assignment.unit is None


def test_only_the_assigner_or_an_overseer_removes_an_assignment(curriculum, world, client_for):
    assignment = Assignment.objects.create(
        organisation=world.org,
        assigned_by=world.admin,
        tier=curriculum["foundation"],
        person=world.member,
        due_on=timezone.localdate(),
    )
    assert (
        client_for(world.member).post(f"/learn/assignments/{assignment.pk}/delete/").status_code
        == 403
    )
    assert (
        client_for(world.leader_elsewhere)
        .post(f"/learn/assignments/{assignment.pk}/delete/")
        .status_code
        == 404
    )
    assert (
        client_for(world.leader).post(f"/learn/assignments/{assignment.pk}/delete/").status_code
        == 302
    )
    assert not Assignment.objects.exists()


def test_reminders_before_and_after_the_due_date_are_never_sent_twice(curriculum, world):
    today = timezone.localdate()
    Assignment.objects.create(
        organisation=world.org,
        assigned_by=world.leader,
        tier=curriculum["foundation"],
        unit=world.ward_a,
        due_on=today + datetime.timedelta(days=3),
    )
    complete(world.leader, [curriculum["first"], curriculum["second"]])  # finished: no reminder
    call_command("send_learning_reminders")
    assert [m.to for m in mail.outbox] == [[world.member.email]]
    assert "Due" in mail.outbox[0].subject and "/learn/foundation/" in mail.outbox[0].body
    call_command("send_learning_reminders")
    assert len(mail.outbox) == 1
    # After the due date: one overdue notice, once.
    assert team.send_reminders(today + datetime.timedelta(days=5)) == 1
    assert team.send_reminders(today + datetime.timedelta(days=6)) == 0
    assert mail.outbox[-1].subject.startswith("Overdue")
    assert ReminderSent.objects.count() == 2


def test_team_progress_flags_overdue_learning(curriculum, world, client_for):
    Assignment.objects.create(
        organisation=world.org,
        assigned_by=world.leader,
        tier=curriculum["foundation"],
        person=world.member,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    rows = {r.person: r for r in team.team_progress(world.leader, curriculum["foundation"])}
    assert rows[world.member].overdue == [curriculum["foundation"].title]
    assert "overdue" in client_for(world.leader).get("/learn/team/").content.decode()
