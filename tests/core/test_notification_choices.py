"""Notifications people control: per kind of notice, in the app only, by e-mail at once, or in
a weekly digest that also says what happened in the person's area."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from champion.core.models import Notification, NotificationPreference
from champion.core.notify import KINDS, deliveries, notify
from champion.home.digest import send_weekly_digests
from champion.improvement.ideas.models import Idea
from champion.measures.models import Measure, Signal

pytestmark = pytest.mark.django_db


def choose(user, kind, delivery):
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )


def test_by_default_every_kind_is_emailed_at_once(world, django_capture_on_commit_callbacks):
    assert set(deliveries(world.member).values()) == {"email"}
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.member], "New signal: Falls", kind="signals")
    assert len(mail.outbox) == 1 and "/notifications/settings/" in mail.outbox[0].body
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.parametrize("delivery", ["app", "digest"])
def test_app_only_and_digest_send_no_email_now_but_keep_the_notice(
    world, django_capture_on_commit_callbacks, delivery
):
    choose(world.member, "signals", delivery)
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.member, world.leader], "New signal: Falls", kind="signals")
    assert [m.to for m in mail.outbox] == [["leader@test.example"]]  # the leader kept e-mail
    note = Notification.objects.get(user=world.member)
    assert note.kind == "signals" and note.emailed_at is None


def test_an_unknown_kind_is_a_programming_error(world):
    with pytest.raises(ValueError, match="Unknown kind"):
        notify([world.member], "x", kind="gossip")


def test_the_settings_page_saves_each_choice_and_refuses_a_bad_one(client_for, world):
    client = client_for(world.member)
    url = reverse("core:notification-settings")
    page = client.get(url).content.decode()
    assert all(label in page for label, _, _ in KINDS.values())
    form = dict.fromkeys(KINDS, "email") | {"signals": "digest", "ideas": "app"}
    assert client.post(url, form).status_code == 302
    assert deliveries(world.member)["signals"] == "digest"
    assert deliveries(world.member)["ideas"] == "app"
    bad = client.post(url, dict.fromkeys(KINDS, "pigeon"))
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert deliveries(world.member)["signals"] == "digest"  # nothing lost
    assert deliveries(world.leader)["signals"] == "email"  # only one's own choices


def test_the_weekly_digest_carries_the_chosen_notices_and_the_area_once(world):
    choose(world.leader, "signals", "digest")
    notify([world.leader], "New signal: Falls", url="/measures/1/", kind="signals")
    notify([world.leader], "Idea answered", kind="ideas")  # e-mailed at once: not in the digest
    falls = Measure.objects.create(unit=world.ward_a, name="Falls", definition="d", chart="c")
    Signal.objects.create(
        measure=falls, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 1),
        kind="shift", direction="down", meaning="improvement",
    )  # fmt: skip
    Idea.objects.create(unit=world.ward_a, submitted_by=world.member, problem="p", idea="i")
    assert send_weekly_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == ["leader@test.example"] and digest.subject == "PI Champion: your week"
    assert "Hello Lee," in digest.body and "- New signal: Falls" in digest.body
    assert "Idea answered" not in digest.body
    assert "New signals on 1 measure: Falls (Ward A)." in digest.body
    assert "1 idea shared." in digest.body
    # A second run the same week repeats no notice.
    mail.outbox.clear()
    send_weekly_digests()
    assert all("- New signal: Falls" not in m.body for m in mail.outbox)


def test_the_digest_never_reports_another_area_or_an_old_week(world):
    choose(world.member, "ideas", "digest")
    Idea.objects.create(unit=world.ward_c, submitted_by=world.colleague, problem="p", idea="i")
    old = Idea.objects.create(unit=world.ward_a, submitted_by=world.member, problem="p", idea="i")
    Idea.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=9))
    assert send_weekly_digests() == 0 and mail.outbox == []
