"""New signals notify the owners and unit leaders (in the app and by e-mail); the board sorts by attention."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champion.core.models import Notification
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure
from champion.measures.services import record_data

from .conftest import months

pytestmark = pytest.mark.django_db


def test_new_data_with_a_new_signal_notifies_owners_and_leaders(
    world, measure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_data(measure, [(datetime.date(2025, 1, 1), 40.0, 1000.0)])
    people = set(Notification.objects.values_list("user__email", flat=True))
    assert people == {"member@test.example", "leader@test.example"}
    note = Notification.objects.get(user=world.member)
    assert note.title == "New signal: Falls" and "upper control limit" in note.body.lower()
    # The period in words, as on the chart page, not as an ISO date.
    assert "the latest for January 2025:" in note.body and "2025-01-01" not in note.body
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@test.example", "member@test.example"]


def test_a_signal_on_a_ward_without_a_leader_notifies_the_nearest_leaders_above(
    world, django_capture_on_commit_callbacks
):
    """Ward B has no leader; the coach of North Hospital is no leader; North's leader is told
    (as an overdue idea on Ward B reminds them), and nobody further up or elsewhere."""
    from champion.accounts.models import Membership, Role

    from .conftest import FALLS

    Membership.objects.create(user=world.leader_elsewhere, unit=world.north, role=Role.LEADER)
    m = Measure.objects.create(
        unit=world.ward_b, name="Falls B", definition="Falls", chart="c", improvement="down"
    )
    m.owners.add(world.colleague)
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v) for d, v in zip(months(24), FALLS, strict=True)
    )
    refresh(m)
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record_data(m, [(datetime.date(2025, 1, 1), 40.0, None)])
        refresh(m, notify_new_signals=True)  # a second look at the same data tells nobody more
    people = set(Notification.objects.values_list("user__email", flat=True))
    assert people == {"colleague@test.example", "elsewhere@test.example"}
    assert Notification.objects.filter(user=world.leader_elsewhere).count() == 1


def test_data_without_a_new_signal_notify_nobody(
    world, measure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_data(measure, [(datetime.date(2024, 11, 1), 4.0, 1000.0)])
    assert not Notification.objects.exists()


def test_a_shift_already_reported_is_not_reported_again_as_it_goes_on(
    world, measure, django_capture_on_commit_callbacks
):
    """The last 12 months already sit below the centre line (a shift people were told about):
    a 13th month below it is the same signal, one point longer, so nobody is notified."""
    shift = measure.signals.get(kind="pattern", end=datetime.date(2024, 12, 1))
    known = set(measure.signals.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        record_data(measure, [(datetime.date(2025, 1, 1), 4.0, 1000.0)])
    shift.refresh_from_db()
    assert shift.end == datetime.date(2025, 1, 1)  # the same signal row, one point longer ...
    assert set(measure.signals.values_list("pk", flat=True)) == known  # no new signal row
    assert shift.notified is None  # found on the first analysis: nobody was told
    assert not Notification.objects.exists() and mail.outbox == []  # ... which is not news


def test_a_new_shift_is_reported_once_and_not_again_as_it_grows(
    world, django_capture_on_commit_callbacks
):
    # Under the Making Data Count rules 7 points in a row make a shift (the Anhøj default
    # needs a longer run for 24 points), so the 8 points below are a new signal.
    world.org.rule_set = "mdc"
    world.org.save()
    stable = Measure.objects.create(
        unit=world.ward_a, name="Waits", definition="Minutes", chart="i", improvement="down"
    )
    stable.owners.add(world.member)
    values = [30, 34, 29, 33, 31, 35, 28, 32, 30, 34, 29, 33, 31, 35, 28, 32]
    record_data(stable, [(d, float(v), None) for d, v in zip(months(16), values, strict=True)])
    assert not stable.signals.exists()
    later = months(30)[16:]
    with django_capture_on_commit_callbacks(execute=True):
        record_data(stable, [(d, 24.0 + k % 2, None) for k, d in enumerate(later[:8])])
    assert Notification.objects.filter(user=world.member).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        for k, d in enumerate(later[8:11]):
            record_data(stable, [(d, 24.0 + k % 2, None)])
    assert Notification.objects.filter(user=world.member).count() == 1
    # A point beyond the control limits is news of its own, even in the middle of a shift.
    with django_capture_on_commit_callbacks(execute=True):
        record_data(stable, [(later[11], 5.0, None)])
    assert Notification.objects.filter(user=world.member).count() == 2


def test_the_header_shows_the_unread_count(
    client_for, world, measure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_data(measure, [(datetime.date(2025, 1, 1), 40.0, 1000.0)])
    page = client_for(world.member).get("/").content.decode()
    assert 'class="count">1<span class="visually-hidden"> unread' in page


def _many(world, count):
    for k in range(count):
        m = Measure.objects.create(
            unit=world.ward_a, name=f"M{k}", definition="x", chart="i", improvement="down", target=5
        )
        DataPoint.objects.bulk_create(
            DataPoint(measure=m, period=d, value=5 + (i % 3)) for i, d in enumerate(months(20))
        )
        refresh(m)


def test_the_board_sorts_concerns_first_and_its_queries_do_not_grow(client_for, world, measure):
    client = client_for(world.leader)
    _many(world, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("measures:board"), {"unit": world.ward_a.pk})
    _many_more = [
        Measure.objects.create(unit=world.ward_a, name=f"N{k}", definition="x", chart="run")
        for k in range(10)
    ]
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("measures:board"), {"unit": world.ward_a.pk}).content.decode()
    assert len(more.captured_queries) == len(few.captured_queries)
    assert (
        'role="img" aria-label="Special cause variation' in page
        or 'aria-label="Common cause' in page
    )


def test_notifications_page_marks_read(client_for, world):
    Notification.objects.create(user=world.member, title="Hello", url="/measures/")
    client = client_for(world.member)
    note = Notification.objects.get()
    assert client.get(reverse("core:notification", args=[note.pk])).url == "/measures/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert (
        client_for(world.leader).get(reverse("core:notification", args=[note.pk])).status_code
        == 404
    )


def test_the_board_can_show_only_what_needs_attention(client_for, world, measure):
    calm = Measure.objects.create(unit=world.ward_a, name="Calm", definition="x", chart="run")
    DataPoint.objects.bulk_create(DataPoint(measure=calm, period=d, value=5.0) for d in months(12))
    refresh(calm)
    worrying = Measure.objects.create(
        unit=world.ward_a, name="Worrying", definition="x", chart="i", improvement="down"
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=worrying, period=d, value=v)
        for d, v in zip(
            months(20),
            [5, 6, 5, 4, 5, 6, 5, 5, 4, 6, 5, 5, 9, 9, 10, 9, 10, 9, 10, 11],
            strict=True,
        )
    )
    refresh(worrying)
    assert worrying.summary.variation == "concern"
    client = client_for(world.leader)
    page = client.get(
        reverse("measures:board"), {"unit": world.ward_a.pk, "attention": "1"}
    ).content.decode()
    assert "Worrying" in page and ">Calm<" not in page
    page = client.get(reverse("measures:board"), {"unit": world.ward_a.pk}).content.decode()
    assert page.index("Worrying") < page.index(">Calm<")


def test_summaries_can_be_recomputed_for_every_measure(world, measure):
    from io import StringIO

    from django.core.management import call_command

    Measure.objects.filter(pk=measure.pk).update(summary={})
    out = StringIO()
    call_command("refresh_measures", stdout=out)
    measure.refresh_from_db()
    assert measure.summary.n == 24 and "1 measure summary refreshed in" in out.getvalue()
    assert not Notification.objects.exists()
