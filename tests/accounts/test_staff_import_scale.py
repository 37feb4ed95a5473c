"""A long staff list: set-based checks and writes (queries do not grow with the rows), one audit
entry per import, and a list over 500 rows imported by the task worker with progress."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from champion.accounts import staff_import
from champion.accounts.models import Membership, StaffImport, User
from champion.accounts.tasks import run_staff_import, welcome_after_commit
from champion.core.models import AuditEvent

pytestmark = pytest.mark.django_db

WARD_B = "Testshire Health > North Hospital > Ward B"
WARD_C = "Testshire Health > South Hospital > Ward C"


def rows(n):
    """n rows: new people (some with two roles), and an existing person's role change."""
    out = [{"line": 2, "name": "Mia Member", "email": "member@test.example",
            "unit": "Testshire Health > North Hospital > Ward A", "role": "leader",
            "job_title": ""}]  # fmt: skip
    for k in range(n - 1):
        person = k // 2  # every new person has a role in two wards
        out.append({
            "line": k + 3, "name": f"Person {person}", "email": f"p{person}@test.example",
            "unit": WARD_B if k % 2 else WARD_C, "role": "member", "job_title": "Nurse",
        })  # fmt: skip
    return out


def pending(world, n):
    return StaffImport.objects.create(
        organisation=world.org, uploaded_by=world.admin, filename="staff.csv", rows=rows(n)
    )


def queries_to_check_and_apply(world, n):
    imp = pending(world, n)
    with CaptureQueriesContext(connection) as checked:
        assert staff_import.validate(imp.rows, admin=world.admin).ok
    with CaptureQueriesContext(connection) as applied:
        staff_import.apply_import(imp.pk, admin=world.admin, welcome=lambda ids: None)
    return len(checked.captured_queries), applied.captured_queries


def forget_new_people():
    Membership.objects.filter(user__email__startswith="p").delete()
    User.objects.filter(email__startswith="p").delete()


def test_checking_and_applying_take_as_many_queries_for_2000_rows_as_for_200(world):
    queries_to_check_and_apply(world, 20)  # warm: caches and the one role change
    forget_new_people()
    check_200, apply_200 = queries_to_check_and_apply(world, 200)
    forget_new_people()
    check_2000, apply_2000 = queries_to_check_and_apply(world, 2000)
    assert check_2000 == check_200
    # Only the bulk writes split into batches (the database's parameter limit), never per row.
    inserts = [q for q in apply_2000 if q["sql"].startswith("INSERT")]
    others = [q for q in apply_2000 if not q["sql"].startswith("INSERT")]
    others_200 = [q for q in apply_200 if not q["sql"].startswith("INSERT")]
    assert len(others) == len(others_200)
    assert len(inserts) <= 2000 * 2 // 50  # batches, not rows: far fewer than the 3,000 writes
    assert User.objects.filter(email__startswith="p").count() == 1000
    assert Membership.objects.filter(user__email__startswith="p").count() == 1999


def test_one_audit_entry_summarises_the_import(world):
    imp = pending(world, 201)
    before = AuditEvent.objects.count()
    staff_import.apply_import(imp.pk, admin=world.admin, welcome=lambda ids: None)
    assert AuditEvent.objects.count() == before + 1
    entry = AuditEvent.objects.latest("pk")
    assert entry.object_id == str(imp.pk) and entry.organisation_id == world.org.pk
    assert entry.changes["new people"] == [0, 100]
    assert entry.changes["new roles"] == [0, 200] and entry.changes["role changes"] == [0, 1]
    assert world.member.memberships.get().role == "leader"
    person = User.objects.get(email="p0@test.example")
    assert not person.has_usable_password() and person.organisation == world.org


def test_a_20000_row_list_is_imported_by_the_task_with_progress(
    world, client_for, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    imp = pending(world, 20_000)
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("accounts:staff-import-apply", args=[imp.pk]))
    assert response.url == reverse("accounts:staff-import", args=[imp.pk])  # not applied inline
    imp.refresh_from_db()
    assert imp.status == "queued" and not User.objects.filter(email="p0@test.example").exists()
    assert len(queued) == 1
    page = client.get(response.url).content.decode()
    assert "Waiting to start" in page and 'hx-get="/people/import/' in page
    progress_url = reverse("accounts:staff-import-progress", args=[imp.pk])
    with django_capture_on_commit_callbacks(execute=True) as welcome:
        assert run_staff_import.call(imp.pk) == "applied"
    done = client.get(progress_url)
    imp.refresh_from_db()
    assert imp.status == "applied" and imp.progress == 100
    assert done.headers.get("HX-Refresh") == "true"  # the page reloads to show the result
    assert User.objects.filter(email__startswith="p").count() == 10_000
    assert Membership.objects.filter(user__email__startswith="p").count() == 19_999
    assert len(welcome) == 1
    assert "Imported" in client.get(response.url).content.decode()


def test_the_progress_partial_shows_the_percent_while_running(world, client_for):
    imp = pending(world, 600)
    imp.status, imp.progress, imp.touched_at = "running", 40, timezone.now()
    imp.save()
    client = client_for(world.admin)
    part = client.get(reverse("accounts:staff-import-progress", args=[imp.pk]))
    assert "40% done" in part.content.decode() and "HX-Refresh" not in part.headers


def test_the_task_reports_progress_as_it_goes(world):
    imp = pending(world, 600)
    imp.status = "queued"
    imp.save()
    steps = []
    staff_import.apply_import(imp.pk, admin=world.admin, welcome=lambda ids: None,
                              progress=steps.append)  # fmt: skip
    assert steps == sorted(steps) and steps[0] < steps[-1] < 100


def test_a_short_list_is_still_applied_at_once(
    world, client_for, django_capture_on_commit_callbacks
):
    imp = pending(world, 500)
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:staff-import-apply", args=[imp.pk]))
    assert response.url == reverse("accounts:people")
    imp.refresh_from_db()
    assert imp.status == "applied"
    assert len(mail.outbox) == 250


def test_stopped_work_is_marked_failed_and_can_be_retried_or_discarded(world, client_for):
    imp = pending(world, 600)
    imp.status, imp.progress = "running", 40
    imp.touched_at = timezone.now() - datetime.timedelta(minutes=20)
    imp.save()
    client = client_for(world.admin)
    page = client.get(reverse("accounts:staff-import", args=[imp.pk])).content.decode()
    imp.refresh_from_db()
    assert imp.status == "failed" and "stopped before it finished" in page
    assert "Import 600 rows" in page  # retry
    client.post(reverse("accounts:staff-import-discard", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.status == "discarded"


def test_the_task_welcomes_new_people_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        welcome_after_commit([world.member.pk])
    assert len(callbacks) == 1
