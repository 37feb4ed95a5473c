"""A huddle board per unit: ideas by status, a full-screen view (wall screens: test_wall_screen)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from champion.improvement.ideas.models import Endorsement, Idea, Status, UnitIdeaSettings
from tests.scale import add_people, queries


def by_status(columns):
    """A board's cards by status."""
    return {column.status: column.ideas for column in columns}


def test_the_board_shows_ideas_in_their_status_column(world, client_for, idea):
    idea.move_to(Status.TESTING, by=world.leader)
    response = client_for(world.member).get(reverse("ideas:board", args=[world.ward_a.pk]))
    columns = by_status(response.context["columns"])
    assert [i.pk for i in columns[Status.TESTING]] == [idea.pk]
    assert columns[Status.NEW] == []


def test_a_hospital_board_includes_its_wards(world, client_for, idea):
    response = client_for(world.member).get(reverse("ideas:board", args=[world.north.pk]))
    assert idea in by_status(response.context["columns"])[Status.NEW]


def test_full_screen_hides_the_menus_and_the_quick_moves(world, client_for, idea):
    page = (
        client_for(world.leader)
        .get(reverse("ideas:board", args=[world.ward_a.pk]) + "?wall=1")
        .content.decode()
    )
    assert "board wall" in page and ".site-header" in page and "Leave full screen" in page


def test_leaders_set_their_units_response_time(world, client_for):
    client_for(world.leader).post(
        reverse("ideas:board-settings", args=[world.ward_a.pk]), {"response_days": 3}
    )
    assert world.ward_a.idea_settings.response_days == 3


def test_members_cannot_set_the_response_time(world, client_for):
    response = client_for(world.member).post(
        reverse("ideas:board-settings", args=[world.ward_a.pk]), {"response_days": 3}
    )
    assert response.status_code == 403


def test_outsiders_see_no_board(world, client_for):
    assert (
        client_for(world.outsider).get(reverse("ideas:board", args=[world.ward_a.pk])).status_code
        == 404
    )


def test_leaders_move_ideas_from_the_board_and_return_to_it(world, client_for, idea):
    client = client_for(world.leader)
    board = reverse("ideas:board", args=[world.ward_a.pk])
    assert 'class="quick-move"' in client.get(board).content.decode()
    assert 'class="quick-move"' not in client.get(board + "?wall=1").content.decode()
    response = client.post(
        reverse("ideas:respond", args=[idea.pk]), {"status": Status.TESTING, "next": board}
    )
    assert response.url == board
    idea.refresh_from_db()
    assert idea.status == Status.TESTING


def test_members_get_no_quick_moves_and_foreign_next_urls_are_ignored(world, client_for, idea):
    board = reverse("ideas:board", args=[world.ward_a.pk])
    assert 'class="quick-move"' not in client_for(world.member).get(board).content.decode()
    response = client_for(world.leader).post(
        reverse("ideas:respond", args=[idea.pk]),
        {"status": Status.TESTING, "next": "https://evil.example/"},
    )
    assert response.url == idea.get_absolute_url()


def test_a_column_shows_the_most_endorsed_then_the_oldest_up_to_its_limit(world, client_for):
    """Each column is read a page at a time in the database (issue 15), in the same order as
    before: most endorsements first, then oldest first; 30 a column, 12 of the closed ones;
    each card knows its unit's response time without a query per card."""
    people = add_people(world.org, world.ward_b, 3, "fan")
    start = timezone.now() - datetime.timedelta(days=60)
    ideas = Idea.objects.bulk_create(
        Idea(unit=world.ward_a if i % 2 else world.ward_b, submitted_by=world.member,
             problem=f"problem {i:02d}", idea=f"idea {i:02d}", created_at=start + datetime.timedelta(hours=i))
        for i in range(45)
    )  # fmt: skip
    ideas = list(Idea.objects.order_by("created_at"))
    Endorsement.objects.bulk_create(
        [Endorsement(idea=ideas[30], user=p) for p in people]
        + [Endorsement(idea=ideas[44], user=people[0])]
    )
    Idea.objects.filter(pk__in=[i.pk for i in ideas[:20]]).update(status=Status.ADOPTED)
    UnitIdeaSettings.objects.create(unit=world.ward_b, response_days=90)
    client = client_for(world.leader)
    count, _ = queries(client, reverse("ideas:board", args=[world.north.pk]))
    columns = by_status(
        client.get(reverse("ideas:board", args=[world.north.pk])).context["columns"]
    )
    new = columns[Status.NEW]
    assert [i.pk for i in new] == [ideas[30].pk, ideas[44].pk] + [i.pk for i in ideas[20:30]] + [
        i.pk for i in ideas[31:44]
    ]
    assert [i.endorsement_count for i in new[:3]] == [3, 1, 0]
    assert [i.pk for i in columns[Status.ADOPTED]] == [i.pk for i in ideas[:12]]
    # Overdue after the unit's own response time (Ward B: 90 days; Ward A: the default).
    overdue = {i.pk for i in new if i.is_overdue()}
    assert overdue == {i.pk for i in new if i.unit_id == world.ward_a.pk}
    Idea.objects.bulk_create(
        Idea(unit=world.ward_a, submitted_by=world.member, problem="p", idea=f"more {i}")
        for i in range(60)
    )
    more, _ = queries(client, reverse("ideas:board", args=[world.north.pk]))
    assert more <= count
    columns = by_status(
        client.get(reverse("ideas:board", args=[world.north.pk])).context["columns"]
    )
    assert len(columns[Status.NEW]) == 30


def test_a_long_column_says_how_many_it_does_not_show_and_links_to_them_all(world, client_for):
    """A column shows its first 30 cards, but its heading counts every idea of that status
    (a whole system's board would otherwise say "30" of 18,000 new ideas), and the leader's
    board links to the rest in the ideas list, filtered to the area and the status."""
    Idea.objects.bulk_create(
        Idea(unit=world.ward_a, submitted_by=world.member, problem="p", idea=f"idea {i}")
        for i in range(1234)
    )
    Idea.objects.bulk_create(
        Idea(unit=world.ward_b, submitted_by=world.member, problem="p", idea=f"tested {i}",
             status=Status.TESTING)
        for i in range(3)
    )  # fmt: skip
    response = client_for(world.leader).get(reverse("ideas:board", args=[world.north.pk]))
    columns = {column.status: column for column in response.context["columns"]}
    assert (len(columns[Status.NEW].ideas), columns[Status.NEW].total) == (30, 1234)
    assert (len(columns[Status.TESTING].ideas), columns[Status.TESTING].total) == (3, 3)
    assert not columns[Status.TESTING].more and columns[Status.NEW].more
    html = response.content.decode()
    assert '<span class="count">1,234</span>' in html
    assert '<span class="count">3</span>' in html
    link = reverse("ideas:list") + f"?unit={world.north.pk}&amp;status=new"
    assert f'<a href="{link}">30 shown of 1,234: see them all' in html
    assert html.count("see them all") == 1  # only the long column
    # The link's list shows the same ideas the column counts.
    listed = client_for(world.leader).get(
        reverse("ideas:list"), {"unit": world.north.pk, "status": "new"}
    )
    assert listed.context["page"].paginator.count == 1234
