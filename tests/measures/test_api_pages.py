"""The API's lists come a page at a time (issue 15, docs/api.md): bounded answers, the same
number of queries with little data and with much more, and the same permissions."""

import pytest

from champion.accounts.models import Unit
from champion.core.models import ApiToken
from tests.measures.test_api import auth
from tests.scale import add_work, queries

pytestmark = pytest.mark.django_db


def auth_client(client, user):
    client.defaults.update(auth(ApiToken.issue(user, "test")[1]))
    return client


@pytest.mark.parametrize("url", ["/api/v1/measures", "/api/v1/units", "/api/v1/measures?unit={b}"])
def test_queries_do_not_grow_with_the_data(client, world, url):
    url = url.format(b=world.ward_b.pk)
    api = auth_client(client, world.admin)
    add_work(world.org, world.ward_b, 5, "early")
    small, _ = queries(api, url)
    add_work(world.org, world.ward_b, 150, "later")
    for i in range(30):
        Unit.objects.create(organisation=world.org, parent=world.ward_b, name=f"Bay {i:02d}")
    large, body = queries(api, url)
    assert large <= small, f"{url}: {small} queries with little data, {large} with more"
    assert len(body) < 200_000


def test_measures_come_a_page_at_a_time_with_their_points_counted(client, world):
    api = auth_client(client, world.admin)
    add_work(world.org, world.ward_b, 150, "later")  # 12 points each
    response = api.get("/api/v1/measures")
    first = response.json()
    assert len(first) == 100 and response["X-Total-Count"] == "150"
    assert response["Link"] == '</api/v1/measures?page=2>; rel="next"'
    assert {m["points"] for m in first} == {12}
    response = api.get("/api/v1/measures?page=2")
    second = response.json()
    assert len(second) == 50 and 'rel="prev"' in response["Link"] and "next" not in response["Link"]
    names = [m["name"] for m in first + second]
    assert names == sorted(names) and len(set(names)) == 150  # every one, once, in order
    assert api.get("/api/v1/measures?page=9").json() == []
    response = api.get(f"/api/v1/measures?unit={world.ward_b.pk}&per_page=500")
    assert len(response.json()) == 150 and "Link" not in response
    assert f"unit={world.ward_b.pk}" in api.get(f"/api/v1/measures?unit={world.ward_b.pk}")["Link"]


@pytest.mark.parametrize("bad", ["page=0", "per_page=501", "per_page=0", "page=two"])
def test_a_bad_page_is_refused_in_the_problem_shape(client, world, bad):
    response = auth_client(client, world.admin).get(f"/api/v1/measures?{bad}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["errors"][0]["loc"][0] == "query"


def test_units_page_keeps_the_whole_path_and_hides_other_organisations(client, world):
    api = auth_client(client, world.member)
    units = api.get("/api/v1/units?per_page=1&page=3").json()
    assert len(units) == 1
    everything = api.get("/api/v1/units?per_page=500").json()
    assert units[0] == everything[2]
    assert {
        "id": world.ward_a.pk,
        "name": "Ward A",
        "path": "Testshire Health > North Hospital > Ward A",
    } in everything
    assert all(u["name"] != "Ward Z" for u in everything)
