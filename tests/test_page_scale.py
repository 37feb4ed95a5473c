"""The main pages cost the same number of queries with little data and with much more, and
list a page at a time (issue 15): home, the measure list and board, the ideas list, the
project library, the audit log, the Lead overview, the unit search."""

from __future__ import annotations

import pytest

from tests.scale import add_people, add_work, queries

PAGES = [
    "/",
    "/measures/",
    "/measures/board/",
    "/improve/ideas/",
    "/improve/ideas/boards/{root}/",
    "/improve/projects/",
    "/audit/",
    "/lead/",
    "/lead/?unit={root}",
    "/lead/strategy/new/",
    "/learn/team/",
    "/units/search/?field=unit&scope=visible&unit__q=ward",
]


#: The admin opens every page; the coach of North their home (stalled projects, tollgates), team
#: progress and Lead overview, with the area's people and projects (some stalled, some not).
CASES = [("admin", url) for url in PAGES] + [("coach", u) for u in ("/", "/learn/team/", "/lead/")]


@pytest.mark.parametrize(("persona", "url"), CASES)
def test_queries_do_not_grow_with_the_data(world, client_for, persona, url):
    url = url.format(root=world.root.pk)
    client = client_for(getattr(world, persona))
    add_people(world.org, world.ward_a, 10, "early")
    add_work(world.org, world.ward_a, 5, "early")
    small, _ = queries(client, url)
    add_people(world.org, world.ward_b, 200, "later")
    add_work(world.org, world.ward_b, 120, "later")
    large, page = queries(client, url)
    assert large <= small, f"{url}: {small} queries with little data, {large} with more"
    assert len(page) < 200_000


def test_the_lists_show_a_page_at_a_time(world, client_for):
    client = client_for(world.admin)
    add_work(world.org, world.ward_b, 120, "later")
    _, page = queries(client, "/measures/")
    assert page.count("later measure 0") == 50 and "Page 1 of 3" in page
    _, page = queries(client, "/measures/?page=3")
    assert page.count("later measure 0") == 20
    _, page = queries(client, f"/measures/board/?unit={world.ward_b.pk}")
    assert page.count("later measure 0") == 50 and "Page 1 of 3" in page
    # Concerns come first on the board: every third measure has one.
    assert page.index("later measure 0000") < page.index("later measure 0001")
    _, page = queries(client, "/improve/ideas/")
    assert page.count("later idea ") == 30 and "page=2" in page
    _, page = queries(client, "/audit/")
    assert "page=2" in page


def test_the_unit_picker_searches_instead_of_listing_every_unit(world, client_for):
    client = client_for(world.admin)
    _, page = queries(client, "/improve/ideas/")
    assert "Ward C" not in page  # no select of every unit
    _, page = queries(client, f"/lead/strategy/new/?unit={world.ward_a.pk}")
    assert "Ward C" not in page and '"scope": "overseen"' in page
    assert f'value="{world.ward_a.pk}" checked' in page  # the area's unit, chosen
    # Nor do the Lead pages' headers and forms list the area's units: they search them.
    board = f"/lead/board/{world.ward_a.pk}/?month=2024-01"
    for url in (board, "/lead/compare/", "/lead/strategy/", "/lead/maturity/new/", "/lead/"):
        _, page = queries(client, url)
        assert "Ward C" not in page and '"scope": "overseen"' in page, url
    _, page = queries(client, board)
    assert f'value="{world.ward_a.pk}" checked' in page
    _, found = queries(client, "/units/search/?field=unit&scope=visible&unit__q=ward")
    assert "Ward A" in found and "Ward C" in found and "North Hospital" in found
    _, found = queries(client, "/units/search/?field=unit&scope=visible&unit__q=w")
    assert "Ward A" not in found  # two letters at least
    # Another organisation's units are never found; unknown scopes are refused.
    _, found = queries(client, "/units/search/?field=unit&scope=visible&unit__q=Ward Z")
    assert f'value="{world.other_ward.pk}"' not in found and "No unit matches" in found
    assert client.get("/units/search/?field=unit&scope=everything&unit__q=ward").status_code == 400
    # The chosen unit stays ticked.
    _, page = queries(client, f"/improve/ideas/?unit={world.ward_a.pk}")
    assert f'value="{world.ward_a.pk}" checked' in page
