"""A huddle board per unit: ideas by status, a full-screen view (wall screens: test_wall_screen)."""

from django.urls import reverse

from champion.improvement.ideas.models import Status


def test_the_board_shows_ideas_in_their_status_column(world, client_for, idea):
    idea.move_to(Status.TESTING, by=world.leader)
    response = client_for(world.member).get(reverse("ideas:board", args=[world.ward_a.pk]))
    columns = dict(response.context["columns"])
    assert [i.pk for i in columns[Status.TESTING]] == [idea.pk]
    assert columns[Status.NEW] == []


def test_a_hospital_board_includes_its_wards(world, client_for, idea):
    response = client_for(world.member).get(reverse("ideas:board", args=[world.north.pk]))
    assert idea in dict(response.context["columns"])[Status.NEW]


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
