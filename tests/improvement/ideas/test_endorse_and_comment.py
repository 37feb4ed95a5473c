"""Colleagues endorse (once each, and can take it back) and comment; the submitter hears of comments."""

from django.core import mail
from django.urls import reverse

from champion.improvement.ideas.models import Endorsement, IdeaEvent


def test_endorsing_twice_takes_the_endorsement_back(world, client_for, idea):
    client = client_for(world.colleague)
    client.post(reverse("ideas:endorse", args=[idea.pk]))
    assert Endorsement.objects.filter(idea=idea, user=world.colleague).count() == 1
    client.post(reverse("ideas:endorse", args=[idea.pk]))
    assert not Endorsement.objects.filter(idea=idea).exists()


def test_endorsing_with_htmx_returns_only_the_button(world, client_for, idea):
    response = client_for(world.colleague).post(
        reverse("ideas:endorse", args=[idea.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="endorse"' in body and "You endorse this" in body and "<html" not in body


def test_a_comment_tells_the_submitter(world, client_for, idea, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.colleague).post(
            reverse("ideas:comment", args=[idea.pk]), {"body": "Same on Ward B!"}
        )
    assert idea.comments.get().body == "Same on Ward B!"
    assert IdeaEvent.objects.filter(idea=idea, kind="comment").exists()
    assert [m.to for m in mail.outbox] == [[world.member.email]]
    assert "commented" in mail.outbox[0].subject


def test_an_empty_comment_is_refused(world, client_for, idea):
    response = client_for(world.colleague).post(
        reverse("ideas:comment", args=[idea.pk]), {"body": " "}
    )
    assert response.status_code == 200 and not idea.comments.exists()


def test_outsiders_cannot_endorse(world, client_for, idea):
    assert (
        client_for(world.outsider).post(reverse("ideas:endorse", args=[idea.pk])).status_code == 404
    )
