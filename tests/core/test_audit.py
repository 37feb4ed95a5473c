"""The audit log records every create, update and delete, and only organisation admins read it."""

from django.urls import reverse

from champion.core.models import AuditEvent


def events_for(obj):
    return AuditEvent.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name
    )


def test_a_change_through_the_platform_records_who_what_and_the_fields(world, client_for):
    client_for(world.admin).post(
        reverse("accounts:unit-edit", args=[world.ward_b.pk]),
        {"name": "Ward B East", "kind": "ward", "parent": world.north.pk},
    )
    event = events_for(world.ward_b).get(action="update")
    assert event.actor == world.admin and event.actor_label == "admin@test.example"
    assert event.changes == {"name": ["Ward B", "Ward B East"]}
    assert event.organisation == world.org and event.ip_address == "127.0.0.1"


def test_creation_and_deletion_are_recorded(world, client_for):
    client = client_for(world.admin)
    membership = world.member.memberships.get()
    client.post(reverse("accounts:membership-delete", args=[membership.pk]))
    deleted = AuditEvent.objects.get(action="delete", content_type__model="membership")
    assert deleted.changes["role"] == ["member", None] and deleted.actor == world.admin
    created = events_for(world.ward_a).get(action="create")
    assert created.changes["name"] == [None, "Ward A"] and created.actor_label == "system"


def test_passwords_are_logged_as_changed_never_by_value(world):
    world.member.set_password("a-new-secret-passphrase")
    world.member.save()
    event = events_for(world.member).get(action="update")
    assert event.changes == {"password": ["(changed)", "(changed)"]}


def test_saving_without_changes_records_nothing(world):
    before = AuditEvent.objects.count()
    world.ward_a.save()
    assert AuditEvent.objects.count() == before


def test_the_audit_log_page_lists_and_filters_events(world, client_for):
    client = client_for(world.admin)
    client.post(
        reverse("accounts:unit-edit", args=[world.ward_b.pk]),
        {"name": "Ward B East", "kind": "ward", "parent": world.north.pk},
    )
    page = client.get(reverse("core:audit-log"), {"action": "update"}).content.decode()
    assert "Ward B East" in page and "admin@test.example" in page
    assert "Otto" not in page  # another organisation's events never appear
    filtered = client.get(reverse("core:audit-log"), {"actor": "nobody"}).content.decode()
    assert "No changes match" in filtered


def test_htmx_requests_get_only_the_results(world, client_for):
    response = client_for(world.admin).get(reverse("core:audit-log"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html


def test_only_organisation_admins_read_the_audit_log(world, client_for):
    for persona in ("member", "leader", "coach", "leader_elsewhere"):
        assert client_for(getattr(world, persona)).get(reverse("core:audit-log")).status_code == 403
    outsider_page = client_for(world.outsider).get(reverse("core:audit-log")).content.decode()
    assert "Ward A" not in outsider_page and "Testshire" not in outsider_page
