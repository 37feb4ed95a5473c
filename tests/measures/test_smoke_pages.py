"""Every measures page answers for a member of the unit (a smoke test of templates and views)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,args",
    [
        ("measures:index", []),
        ("measures:board", []),
        ("measures:chooser", []),
        ("measures:create", []),
        ("measures:detail", ["pk"]),
        ("measures:edit", ["pk"]),
        ("measures:data", ["pk"]),
        ("measures:upload", ["pk"]),
        ("measures:csv", ["pk"]),
        ("core:notifications", []),
        ("core:tokens", []),
    ],
)
def test_the_page_renders(client_for, world, measure, name, args):
    url = reverse(name, args=[measure.pk if a == "pk" else a for a in args])
    response = client_for(world.member).get(url)
    assert response.status_code == 200, response.content[:500]
