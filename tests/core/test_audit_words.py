"""The audit log names people and records in words, shows times in the site's time zone,
and resolves the names a page needs at a fixed cost (issue 18)."""

from __future__ import annotations

import datetime

from django.test import override_settings
from django.urls import reverse

from champion.core.audit import acting_as
from champion.core.models import AuditEvent
from champion.measures.models import Measure


def make_measure(world, name="Falls per 1,000 bed-days", **extra):
    with acting_as(world.admin):
        return Measure.objects.create(
            unit=world.ward_a, name=name, definition="Falls", chart="run", **extra
        )


def page(client, **params):
    return client.get(reverse("core:audit-log"), params).content.decode()


def test_a_change_reads_as_a_sentence_with_the_person_and_the_record(world, client_for):
    m = make_measure(world, target=5)
    with acting_as(world.admin):
        m.target = 4
        m.save()
    html = page(client_for(world.admin), action="update")
    assert (
        "<strong>Ada Admin</strong> changed the measure “Falls per 1,000 bed-days” (target 5 → 4)"
        in html
    )
    assert "admin@test.example" in html  # the address acted with stays beside the name
    assert "Measure:" not in html and f"#{m.pk}" not in html


def test_a_related_record_is_named_not_numbered(world, client_for):
    m = make_measure(world)
    with acting_as(world.admin):
        m.unit = world.ward_b
        m.save()
    html = page(client_for(world.admin), action="update")
    assert "Ward A → Ward B" in html
    assert f"{world.ward_a.pk} → {world.ward_b.pk}" not in html


def test_choices_show_their_labels_and_creations_and_deletions_read_too(world, client_for):
    membership = world.member.memberships.get()
    client = client_for(world.admin)
    client.post(reverse("accounts:membership-delete", args=[membership.pk]))
    html = page(client, action="delete")
    assert "<strong>Ada Admin</strong> deleted the membership" in html
    assert "Member → —" in html  # the role's label, not its stored value


def test_the_system_is_named_when_nobody_acted(world, client_for):
    html = page(client_for(world.admin), action="create", type="unit")
    assert "<strong>The system</strong> created the unit “Ward A”" in html


@override_settings(TIME_ZONE="Australia/Sydney")
def test_times_are_shown_in_the_sites_time_zone(world, client_for):
    make_measure(world)
    AuditEvent.objects.update(at=datetime.datetime(2026, 1, 5, 23, 30, tzinfo=datetime.UTC))
    html = page(client_for(world.admin))
    # 23:30 UTC on 5 January is 10:30 the next morning in Sydney (summer time, UTC+11).
    assert "6 Jan 2026, 10:30 AEDT" in html and "Times are in Australia/Sydney" in html
    assert 'datetime="2026-01-06T10:30:00+11:00"' in html


def test_a_page_of_named_changes_costs_the_same_as_a_few(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.admin)
    measures = [make_measure(world, f"Few {i}") for i in range(3)]
    for m in measures:
        with acting_as(world.admin):
            m.unit = world.ward_b
            m.save()
    client.get(reverse("core:audit-log"))  # warm the content-type cache
    with django_assert_max_num_queries(100) as few:
        client.get(reverse("core:audit-log"))
    for i in range(30):
        m = make_measure(world, f"Many {i}")
        with acting_as(world.admin):
            m.unit = world.ward_c
            m.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(client)
    assert html.count("(unit Ward A → Ward C)") == 25  # the newest 50: 25 moves, 25 creations
    assert "record #" not in html


def test_only_organisation_admins_read_it_and_a_bad_filter_loses_nothing(world, client_for):
    assert client_for(world.leader).get(reverse("core:audit-log")).status_code == 403
    html = page(client_for(world.admin), since="not-a-date", type="nonsense", page="x")
    assert "No changes match" in html
