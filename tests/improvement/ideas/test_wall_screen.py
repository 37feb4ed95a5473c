"""Wall-screen links: a unit's huddle board on a screen nobody is signed in to, for as long as it is on.

A signed-in board would either sign its person out after the idle time or, kept alive by
its refreshes, leave their account open on the wall. So a leader makes a link per
screen; the link shows the board and nothing else and stops the moment it is switched off.
"""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from champion.core.models import AuditEvent
from champion.improvement.ideas.models import Idea, Status, WallDisplay


def make_link(client, unit, name="Staff room"):
    response = client.post(reverse("ideas:wall-create", args=[unit.pk]), {"name": name})
    assert response.status_code == 200, response.status_code
    match = re.search(
        r'value="(http://testserver/improve/ideas/wall/[^"]+/)"', response.content.decode()
    )
    assert match, "the new link is shown on the page"
    return match.group(1).removeprefix("http://testserver"), response


@pytest.fixture
def other_ward_idea(world):
    return Idea.objects.create(
        unit=world.ward_c,
        submitted_by=world.leader_elsewhere,
        problem="P",
        idea="Ward C's own idea",
    )


def test_a_leader_makes_a_link_that_shows_the_board_to_a_screen_nobody_is_signed_in_to(
    world, client_for, idea, other_ward_idea
):
    path, created = make_link(client_for(world.leader), world.ward_a)
    assert created["Cache-Control"] == "no-store"
    screen = Client()
    response = screen.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the bladder scanner a marked home" in page and "Ward A: ideas" in page
    assert "Ward C's own idea" not in page  # only the unit's own subtree
    # Nothing to click through to, nothing to submit, nobody's name in the header.
    assert "<form" not in page and reverse("ideas:detail", args=[idea.pk]) not in page
    assert "Lee Leader" not in page and "account-menu" not in page
    # It refreshes itself from the same address.
    assert f'hx-get="{path}"' in page and 'hx-trigger="every 60s"' in page


def test_a_long_column_on_the_wall_says_how_many_it_shows_with_nothing_to_click(world, client_for):
    Idea.objects.bulk_create(
        Idea(unit=world.ward_a, submitted_by=world.member, problem="p", idea=f"idea {i}")
        for i in range(45)
    )
    path, _ = make_link(client_for(world.leader), world.ward_a)
    page = Client().get(path).content.decode()
    assert '<span class="count">45</span>' in page
    assert '<p class="col-more">30 shown of 45</p>' in page
    assert "see them all" not in page and "<a " not in page


def test_the_wall_screen_sets_no_cookie_and_keeps_its_secret_out_of_caches_and_referrers(
    world, client_for, idea
):
    path, _ = make_link(client_for(world.leader), world.ward_a)
    response = Client().get(path)
    assert not response.cookies  # no session, no CSRF cookie: nobody is signed in
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_refresh_returns_only_the_columns_and_shows_what_changed(world, client_for, idea):
    path, _ = make_link(client_for(world.leader), world.ward_a)
    idea.move_to(Status.TESTING, by=world.leader)
    poll = Client().get(path, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in poll and "board-col" in poll
    testing = poll.split('id="col-testing"')[1].split("</section>")[0]
    assert "Give the bladder scanner a marked home" in testing


def test_only_a_hash_of_the_secret_is_kept_and_the_audit_log_records_neither(world, client_for):
    path, _ = make_link(client_for(world.leader), world.ward_a)
    token = path.rstrip("/").rsplit("/", 1)[1]
    display = WallDisplay.objects.get()
    assert len(token) >= 40 and token not in display.token_hash
    assert display.created_by == world.leader and display.name == "Staff room"
    logged = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(WallDisplay), object_id=str(display.pk)
    )
    assert logged.actor == world.leader and logged.changes["name"] == [None, "Staff room"]
    assert token not in str(logged.changes) and display.token_hash not in str(logged.changes)


def test_a_switched_off_link_stops_and_a_refreshing_screen_reloads_to_say_so(
    world, client_for, idea
):
    client = client_for(world.leader)
    path, _ = make_link(client, world.ward_a)
    display = WallDisplay.objects.get()
    client.post(reverse("ideas:wall-revoke", args=[display.pk]))
    display.refresh_from_db()
    assert display.revoked_at is not None and display.revoked_by == world.leader
    screen = Client()
    off = screen.get(path)
    assert off.status_code == 404 and "does not work" in off.content.decode()
    assert "bladder scanner" not in off.content.decode()
    poll = screen.get(path, HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true" and b"bladder" not in poll.content


@pytest.mark.parametrize("token", ["x", "not-a-real-token-" * 3, "a" * 500])
def test_unknown_or_mistyped_links_show_nothing(world, idea, token):
    response = Client().get(reverse("ideas:wall", args=[token]))
    assert response.status_code == 404 and b"bladder" not in response.content


def test_a_link_without_a_name_is_refused_with_a_reason(world, client_for):
    response = client_for(world.leader).post(
        reverse("ideas:wall-create", args=[world.ward_a.pk]), {"name": "   "}, follow=True
    )
    assert "Say where the screen is" in response.content.decode()
    assert not WallDisplay.objects.exists()


@pytest.mark.parametrize("who", ["member", "leader_elsewhere", "colleague"])
def test_only_the_units_leaders_and_coaches_make_links(world, client_for, who):
    response = client_for(getattr(world, who)).post(
        reverse("ideas:wall-create", args=[world.ward_a.pk]), {"name": "Corridor"}
    )
    assert response.status_code == 403 and not WallDisplay.objects.exists()


def test_a_coach_above_the_unit_makes_a_link(world, client_for):
    make_link(client_for(world.coach), world.ward_a)
    assert WallDisplay.objects.get().unit == world.ward_a


def test_outsiders_cannot_make_or_see_links(world, client_for):
    response = client_for(world.outsider).post(
        reverse("ideas:wall-create", args=[world.ward_a.pk]), {"name": "Corridor"}
    )
    assert response.status_code == 404 and not WallDisplay.objects.exists()


@pytest.mark.parametrize("who", ["member", "leader_elsewhere", "outsider"])
def test_only_the_units_leaders_switch_links_off(world, client_for, who):
    display, _ = WallDisplay.create_for(world.ward_a, name="Staff room", by=world.leader)
    response = client_for(getattr(world, who)).post(reverse("ideas:wall-revoke", args=[display.pk]))
    assert response.status_code == 404
    display.refresh_from_db()
    assert display.revoked_at is None


def test_the_board_lists_the_units_links_for_its_leaders_only(world, client_for):
    WallDisplay.create_for(world.ward_a, name="Staff room", by=world.leader)
    board = reverse("ideas:board", args=[world.ward_a.pk])
    assert "Staff room" in client_for(world.leader).get(board).content.decode()
    member_page = client_for(world.member).get(board).content.decode()
    assert "Staff room" not in member_page and "wall-links" not in member_page


def test_the_signed_in_board_does_not_refresh_itself_so_it_keeps_no_session_alive(
    world, client_for
):
    page = client_for(world.leader).get(reverse("ideas:board", args=[world.ward_a.pk]))
    assert "hx-trigger" not in page.content.decode()


def test_visits_are_written_down_at_most_every_few_minutes(world):
    display, token = WallDisplay.create_for(world.ward_a, name="Staff room", by=world.leader)
    start = timezone.now()
    display.seen(start)
    display.seen(start + datetime.timedelta(minutes=1))
    display.refresh_from_db()
    assert display.last_seen_at == start
    display.seen(start + datetime.timedelta(minutes=6))
    display.refresh_from_db()
    assert display.last_seen_at == start + datetime.timedelta(minutes=6)
    assert WallDisplay.objects.for_token(token) == display
