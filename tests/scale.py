"""Bulk-made people for tests that pin query counts at two sizes of data."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from champion.accounts.models import Membership, Organisation, Role, Unit, User
from champion.core.models import AuditEvent
from champion.improvement.ideas.models import Idea
from champion.improvement.models import Project
from champion.measures.models import DataPoint, Measure
from champion.measures.summary import Summary


def add_people(org: Organisation, unit: Unit, count: int, prefix: str = "bulk") -> list[User]:
    """`count` members of `unit`, made with two bulk inserts (names sort as "Bulk 0001"...)."""
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{i:04d}@scale.example",
            full_name=f"{prefix.title()} {i:04d}",
            organisation=org,
            password="!",
        )
        for i in range(count)
    )
    users = list(User.objects.filter(email__endswith="@scale.example", email__startswith=prefix))
    Membership.objects.bulk_create(Membership(user=u, unit=unit, role=Role.MEMBER) for u in users)
    return users


def queries(client, url: str) -> tuple[int, str]:
    """How many queries a GET of `url` ran, and the page it returned (asserting 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), response.content.decode()


def add_work(org: Organisation, unit: Unit, count: int, prefix: str = "bulk") -> None:
    """`count` measures (with a stored summary and 12 points each), ideas, projects and audit
    entries in `unit`, bulk-made: the rows the main pages list or count."""
    author = User.objects.filter(organisation=org).first()
    measures = Measure.objects.bulk_create(
        Measure(
            unit=unit,
            name=f"{prefix} measure {i:04d}",
            definition="x",
            chart="i",
            summary=Summary(
                n=12,
                attention=8 if i % 3 == 0 else 0,
                variation="concern" if i % 3 == 0 else "common",
            ),
        )
        for i in range(count)
    )
    measures = list(Measure.objects.filter(unit=unit, name__startswith=f"{prefix} measure"))
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=datetime.date(2025, k + 1, 1), value=float(k % 4))
        for m in measures
        for k in range(12)
    )
    Idea.objects.bulk_create(
        Idea(
            unit=unit,
            submitted_by=author,
            problem=f"{prefix} problem {i}",
            idea=f"{prefix} idea {i}",
        )
        for i in range(count)
    )
    Project.objects.bulk_create(
        Project(unit=unit, title=f"{prefix} project {i:04d}", status="active", created_by=author)
        for i in range(count)
    )
    kind = ContentType.objects.get_for_model(Measure)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation_id=org.pk, actor=author, actor_label="bulk", action="update",
            content_type=kind, object_id=str(m.pk), object_repr=m.name, changes={"name": ["a", "b"]},
        )
        for m in measures
    )  # fmt: skip
