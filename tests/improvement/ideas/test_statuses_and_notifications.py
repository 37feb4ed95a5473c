"""Leaders move an idea through its statuses; "not now" needs a reason; the submitter is told
each time, in the app (my ideas) and by e-mail."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from champion.core.models import Notification
from champion.improvement.ideas.models import IdeaEvent, Status


def respond(client, idea, status, reason=""):
    return client.post(
        reverse("ideas:respond", args=[idea.pk]), {"status": status, "reason": reason}
    )


@pytest.mark.parametrize("status", [Status.UNDER_REVIEW, Status.TESTING, Status.ADOPTED])
def test_the_units_leader_moves_an_idea_and_the_submitter_is_emailed(
    world, client_for, idea, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = respond(client_for(world.leader), idea, status)
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == status and idea.responded_at is not None
    assert [m.to for m in mail.outbox] == [[world.member.email]]
    assert Status(status).label in mail.outbox[0].subject
    # The same news waits in the app, under the bell.
    note = Notification.objects.get(user=world.member)
    assert Status(status).label in note.title and note.url == idea.get_absolute_url()


def test_not_now_without_a_reason_is_refused_with_a_message(world, client_for, idea):
    response = respond(client_for(world.leader), idea, Status.NOT_NOW)
    assert response.status_code == 200
    assert "Say why not now" in str(response.context["respond_form"].errors)
    idea.refresh_from_db()
    assert idea.status == Status.NEW


def test_not_now_with_a_reason_is_shown_to_the_submitter(world, client_for, idea):
    respond(client_for(world.leader), idea, Status.NOT_NOW, "Budget is frozen until April.")
    page = client_for(world.member).get(reverse("ideas:mine"))
    assert "Budget is frozen until April." in page.content.decode()


def test_a_coach_above_the_unit_may_respond(world, client_for, idea):
    assert respond(client_for(world.coach), idea, Status.UNDER_REVIEW).status_code == 302


@pytest.mark.parametrize("persona", ["member", "colleague", "leader_elsewhere"])
def test_others_in_the_organisation_cannot_respond(world, client_for, idea, persona):
    assert respond(client_for(getattr(world, persona)), idea, Status.ADOPTED).status_code == 403


def test_outsiders_get_404(world, client_for, idea):
    assert respond(client_for(world.outsider), idea, Status.ADOPTED).status_code == 404


def test_every_step_is_recorded_in_order(world, idea):
    for status in (Status.UNDER_REVIEW, Status.TESTING, Status.ADOPTED):
        idea.move_to(status, by=world.leader)
    steps = list(
        IdeaEvent.objects.filter(idea=idea).order_by("pk").values_list("from_status", "to_status")
    )
    assert steps == [("new", "review"), ("review", "testing"), ("testing", "adopted")]


def test_moving_to_the_same_status_without_a_note_is_refused(world, idea):
    with pytest.raises(ValidationError):
        idea.move_to(Status.NEW, by=world.leader)


def test_the_submitter_is_not_emailed_about_their_own_actions(
    world, idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea.add_comment(by=world.member, body="More detail: it's usually on Ward B.")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_two_leaders_answering_at_once_do_not_overwrite_each_other(world, client_for, idea):
    client_for(world.leader).post(
        reverse("ideas:respond", args=[idea.pk]),
        {"status": Status.NOT_NOW, "reason": "No budget until April.", "seen": Status.NEW},
    )
    response = client_for(world.coach).post(
        reverse("ideas:respond", args=[idea.pk]),
        {"status": Status.ADOPTED, "reason": "Let's do it.", "seen": Status.NEW},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lee Leader moved this idea to “Not now”" in body and "No budget until April." in body
    assert "Let&#x27;s do it." in body  # what the second leader typed is kept
    idea.refresh_from_db()
    assert idea.status == Status.NOT_NOW
    # Saving again, now knowing, goes through.
    again = client_for(world.coach).post(
        reverse("ideas:respond", args=[idea.pk]),
        {"status": Status.ADOPTED, "reason": "Let's do it.", "seen": Status.NOT_NOW},
    )
    assert again.status_code == 302
