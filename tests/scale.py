"""Bulk-made people for tests that pin query counts at two sizes of data."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from champion.accounts.models import Membership, Organisation, Role, Unit, User


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
