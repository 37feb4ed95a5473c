"""Actions: who sees and changes them, the list's scopes, the source link, bad input, the
home card and query counts (the maturity gap and reminders have their own files)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from champion.actions import services
from champion.actions.models import Action, SourceKind, Status
from champion.actions.services import Source, create_from, home_card, source_token
from champion.core.models import AuditEvent
from champion.home.views import CARDS
from champion.improvement.ideas.models import Idea
from champion.improvement.models import Project, ProjectMember, TeamRole
from tests.conftest import make_person
from tests.scale import queries

TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=10)


def make(w, *, owner=None, by=None, unit=None, due=LATER, title="Fix the bed alarms", **kw):
    return Action.objects.create(
        unit=unit or w.ward_a,
        title=title,
        owner=owner or w.member,
        created_by=by or w.leader,
        due_on=due,
        **kw,
    )


def visible(user):
    return set(Action.objects.visible_to(user).values_list("pk", flat=True))


# --- who sees what ---------------------------------------------------------------------


def test_owner_creator_and_the_units_overseers_see_an_action_nobody_else(world):
    a = make(world, owner=world.member, by=world.member)
    for person in (world.member, world.leader, world.coach, world.admin):
        assert a.pk in visible(person), person
    for person in (world.colleague, world.leader_elsewhere, world.outsider):
        assert a.pk not in visible(person), person


def test_a_creator_outside_the_unit_still_sees_what_they_made(world):
    a = make(world, owner=world.member, by=world.leader_elsewhere)
    assert a.pk in visible(world.leader_elsewhere)


@pytest.mark.parametrize("who", ["colleague", "outsider", "leader_elsewhere"])
def test_outsiders_get_404_on_every_page_of_an_action(world, client, who):
    a = make(world)
    client.force_login(getattr(world, who))
    for name in ("detail", "edit"):
        assert client.get(reverse(f"actions:{name}", args=[a.pk])).status_code == 404
    for name in ("complete", "reopen", "edit"):
        assert client.post(reverse(f"actions:{name}", args=[a.pk])).status_code == 404
    a.refresh_from_db()
    assert a.status == Status.OPEN and a.title == "Fix the bed alarms"


def test_the_owner_completes_and_reopens_and_both_are_audited(world, client):
    a = make(world)
    client.force_login(world.member)
    response = client.post(reverse("actions:complete", args=[a.pk]))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.DONE and a.completed_at is not None
    client.post(reverse("actions:reopen", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == Status.OPEN and a.completed_at is None
    entries = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id=str(a.pk)
    )
    assert [e.changes.get("status") for e in entries.order_by("at", "pk")][1:] == [
        ["open", "done"],
        ["done", "open"],
    ]
    assert entries.filter(actor=world.member).count() == 2


def test_complete_refuses_get_and_only_goes_back_to_this_site(world, client):
    a = make(world)
    client.force_login(world.member)
    assert client.get(reverse("actions:complete", args=[a.pk])).status_code == 405
    response = client.post(
        reverse("actions:complete", args=[a.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == a.get_absolute_url()
    response = client.post(reverse("actions:reopen", args=[a.pk]), {"next": "/improve/"})
    assert response["Location"] == "/improve/"


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_mine_made_by_me_and_my_area(world, client):
    mine = make(world, owner=world.leader, title="Mine to do")
    given = make(world, owner=world.member, by=world.leader, title="Given to Mia")
    south = make(world, unit=world.ward_c, owner=world.leader_elsewhere,
                 by=world.leader_elsewhere, title="Ward C task")  # fmt: skip
    client.force_login(world.leader)
    page = client.get(reverse("actions:list")).content.decode()
    assert mine.title in page and given.title not in page
    page = client.get(reverse("actions:list") + "?scope=created").content.decode()
    assert given.title in page and mine.title in page
    page = client.get(reverse("actions:list") + "?scope=area").content.decode()
    assert given.title in page and mine.title in page and south.title not in page
    client.force_login(world.admin)
    page = client.get(reverse("actions:list") + "?scope=area").content.decode()
    assert south.title in page and given.title in page


def test_a_member_asking_for_an_area_gets_their_own(world, client):
    other = make(world, owner=world.leader, by=world.leader, title="The leader task")
    make(world, owner=world.member, title="Mia task")
    client.force_login(world.member)
    page = client.get(reverse("actions:list") + "?scope=area").content.decode()
    assert "Mia task" in page and other.title not in page


def test_the_status_filter(world, client):
    make(world, title="Still open")
    make(world, title="Finished one", status=Status.DONE)
    make(world, title="Late one", due=TODAY - datetime.timedelta(days=3))
    client.force_login(world.member)
    url = reverse("actions:list")
    page = client.get(url).content.decode()
    assert "Still open" in page and "Late one" in page and "Finished one" not in page
    page = client.get(url + "?status=done").content.decode()
    assert "Finished one" in page and "Still open" not in page
    page = client.get(url + "?status=overdue").content.decode()
    assert "Late one" in page and "Still open" not in page
    page = client.get(url + "?status=nonsense").content.decode()
    assert "Finished one" in page and "Still open" in page  # any status


def test_the_list_is_paginated(world, client):
    Action.objects.bulk_create(
        Action(unit=world.ward_a, title=f"Task {i:03d}", owner=world.member, due_on=LATER)
        for i in range(30)
    )
    client.force_login(world.member)
    page = client.get(reverse("actions:list")).content.decode()
    assert "Task 024" in page and "Task 025" not in page and "Page 1 of 2" in page


def _bulk(world, n, start=0):
    Action.objects.bulk_create(
        Action(unit=world.ward_a, title=f"Bulk {start + i}", owner=world.member,
               created_by=world.leader, due_on=LATER)
        for i in range(n)
    )  # fmt: skip


def test_query_counts_do_not_grow_with_the_number_of_actions(world, client):
    _bulk(world, 3)
    client.force_login(world.leader)
    urls = [
        reverse("actions:list") + "?scope=area",
        reverse("actions:list") + "?scope=created&status=",
        reverse("home:home"),
    ]
    small = [queries(client, u)[0] for u in urls]
    _bulk(world, 60, start=3)
    large = [queries(client, u)[0] for u in urls]
    assert large == small
    client.force_login(world.member)
    home_small = queries(client, reverse("home:home"))[0]
    _bulk(world, 40, start=100)
    assert queries(client, reverse("home:home"))[0] == home_small


# --- making one ----------------------------------------------------------------------------


def post_new(client, **data):
    base = {"title": "Put a sign on the scanner", "owner": "", "due_on": LATER.isoformat(),
            "unit": "", "detail": ""}  # fmt: skip
    base.update({k: str(v) for k, v in data.items()})
    return client.post(reverse("actions:new"), base)


def test_a_member_makes_an_action_for_their_ward_with_a_colleague_as_owner(world, client):
    client.force_login(world.member)
    response = post_new(client, owner=world.colleague.pk, unit=world.ward_a.pk)
    assert response.status_code == 302
    a = Action.objects.get()
    assert (a.owner, a.created_by, a.unit, a.source_kind) == (
        world.colleague,
        world.member,
        world.ward_a,
        "",
    )
    assert a.pk in visible(world.colleague)  # the owner sees it, though in Ward B


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_on": (TODAY - datetime.timedelta(days=1)).isoformat()}, "due date from today"),
        ({"due_on": "31/02/2026"}, "valid date"),
        ({"title": ""}, "required"),
        ({"title": "x" * 201}, "characters"),
        ({"detail": "x" * 2001}, "characters"),
        ({"unit": "ward_c"}, "valid choice"),  # a unit where Mia has no role
        ({"owner": "outsider"}, "valid choice"),  # another organisation's person
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_saved(world, client, change, field):
    client.force_login(world.member)
    data = {"owner": world.member.pk, "unit": world.ward_a.pk, **change}
    if data["unit"] == "ward_c":
        data["unit"] = world.ward_c.pk
    if data["owner"] == "outsider":
        data["owner"] = world.outsider.pk
    response = post_new(client, **data)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not Action.objects.exists()


def test_today_is_a_valid_due_date(world, client):
    client.force_login(world.member)
    today = timezone.localdate()  # at run time: the module's TODAY may be yesterday by now
    response = post_new(client, owner=world.member.pk, unit=world.ward_a.pk,
                        due_on=today.isoformat())  # fmt: skip
    assert response.status_code == 302


def test_an_overdue_action_keeps_its_date_when_edited_but_a_new_past_date_is_refused(world, client):
    a = make(world, due=TODAY - datetime.timedelta(days=5))
    client.force_login(world.member)
    data = {"title": "Fix the bed alarms today", "detail": "", "owner": world.member.pk,
            "due_on": a.due_on.isoformat(), "unit": world.ward_a.pk, "status": "in_progress"}  # fmt: skip
    assert client.post(reverse("actions:edit", args=[a.pk]), data).status_code == 302
    a.refresh_from_db()
    assert a.title == "Fix the bed alarms today" and a.status == Status.IN_PROGRESS
    data["due_on"] = (TODAY - datetime.timedelta(days=2)).isoformat()
    response = client.post(reverse("actions:edit", args=[a.pk]), data)
    assert response.status_code == 422 and "from today" in response.content.decode()
    a.refresh_from_db()
    assert a.due_on == TODAY - datetime.timedelta(days=5)


def test_nobody_without_a_role_can_make_an_action(world, client):
    loner = make_person("loner@test.example", world.org)
    client.force_login(loner)
    assert client.get(reverse("actions:new")).status_code == 403


# --- the source link and the button ------------------------------------------------------------


def source(world, unit=None):
    return Source(kind=SourceKind.HUDDLE, id="7", label="Huddle: bladder scanner",
                  url="/improve/ideas/7/", unit_id=(unit or world.ward_a).pk)  # fmt: skip


def test_the_button_carries_the_rooms_label_and_link_into_the_action(world, client):
    client.force_login(world.leader)
    token = source_token(world.leader, source(world))
    page = client.get(reverse("actions:new") + "?source=" + token).content.decode()
    assert "Huddle: bladder scanner" in page
    response = client.post(
        reverse("actions:new"),
        {"source": token, "title": "Find the scanner a home", "owner": world.member.pk,
         "due_on": LATER.isoformat(), "unit": world.ward_a.pk, "detail": ""},
    )  # fmt: skip
    assert response.status_code == 302
    a = Action.objects.get()
    assert (a.source_kind, a.source_id, a.source_label, a.source_url) == (
        "huddle",
        "7",
        "Huddle: bladder scanner",
        "/improve/ideas/7/",
    )
    page = client.get(a.get_absolute_url()).content.decode()
    assert 'href="/improve/ideas/7/"' in page and "Huddle board" in page


def test_a_changed_or_borrowed_source_is_refused(world, client):
    token = source_token(world.leader, source(world))
    client.force_login(world.member)  # not the person the link was made for
    assert client.get(reverse("actions:new") + "?source=" + token).status_code == 403
    client.force_login(world.leader)
    assert client.get(reverse("actions:new") + "?source=" + token[:-2] + "xx").status_code == 403
    assert not Action.objects.exists()


def test_create_from_checks_what_the_room_cannot(world):
    with pytest.raises(ValidationError):  # a unit where the person has no role
        create_from("huddle", 1, "x", "/x/", world.ward_c, title="t", owner=world.member,
                    due_on=LATER, by=world.member)  # fmt: skip
    with pytest.raises(ValidationError):  # another organisation's owner
        create_from("huddle", 1, "x", "/x/", world.ward_a, title="t", owner=world.outsider,
                    due_on=LATER, by=world.leader)  # fmt: skip
    with pytest.raises(ValidationError):  # an unknown kind
        create_from("spaceship", 1, "x", "/x/", world.ward_a, title="t", owner=world.member,
                    due_on=LATER, by=world.leader)  # fmt: skip
    with pytest.raises(ValidationError):  # a past date
        create_from("", "", "", "", world.ward_a, title="t", owner=world.member,
                    due_on=TODAY - datetime.timedelta(days=1), by=world.leader)  # fmt: skip
    a = create_from("board_exception", 3, "Falls: special cause", "https://evil.example/",
                    world.ward_a, title="Review falls", owner=world.member, due_on=LATER,
                    by=world.leader)  # fmt: skip
    assert a.source_url == "" and a.source_label == "Falls: special cause"
    assert not Action.objects.exclude(pk=a.pk).exists()


def test_from_source_returns_only_what_the_person_may_see(world):
    a = make(world, source_kind=SourceKind.HUDDLE, source_id="9")
    make(world, unit=world.ward_c, owner=world.leader_elsewhere, by=world.leader_elsewhere,
         source_kind=SourceKind.HUDDLE, source_id="9")  # fmt: skip
    assert services.from_source(world.leader, SourceKind.HUDDLE, ["9"]) == {"9": [a]}
    assert services.from_source(world.colleague, SourceKind.HUDDLE, ["9"]) == {}


def test_the_huddle_board_offers_the_button_to_its_leaders(world, client):
    Idea.objects.create(unit=world.ward_a, submitted_by=world.member, problem="Scanner lost",
                        idea="Give the scanner a home")  # fmt: skip
    client.force_login(world.leader)
    page = client.get(reverse("ideas:board", args=[world.ward_a.pk])).content.decode()
    assert "Make this an action" in page
    client.force_login(world.member)
    page = client.get(reverse("ideas:board", args=[world.ward_a.pk])).content.decode()
    assert "Make this an action" not in page


def test_a_project_step_becomes_an_action_listed_on_the_project(world, client):
    p = Project.objects.create(unit=world.ward_a, title="Fewer falls", created_by=world.leader)
    ProjectMember.objects.create(project=p, user=world.leader, role=TeamRole.LEAD)
    client.force_login(world.leader)
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Make an action for this step" in page
    token = source_token(
        world.leader,
        Source(kind=SourceKind.PROJECT_STEP, id=f"{p.pk}:{p.phase}", label="Fewer falls: step",
               url=p.get_absolute_url(), unit_id=world.ward_a.pk),
    )  # fmt: skip
    client.post(reverse("actions:new"), {"source": token, "title": "Audit bed alarms",
                "owner": world.member.pk, "due_on": LATER.isoformat(),
                "unit": world.ward_a.pk, "detail": ""})  # fmt: skip
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Audit bed alarms" in page


# --- the home card --------------------------------------------------------------------------


def test_the_home_card_lists_my_open_actions_soonest_first_and_counts_overdue(world, client):
    empty = home_card(world.member)
    assert empty is not None and empty["rows"] == [] and empty["open"] == 0
    assert home_card(make_person("loner@test.example", world.org)) is None  # no role, no action
    make(world, title="Later one", due=LATER)
    make(world, title="Late one", due=TODAY - datetime.timedelta(days=2))
    make(world, title="Done one", status=Status.DONE)
    make(world, owner=world.leader, title="Not mine")
    card = home_card(world.member)
    assert card is not None
    assert [a.title for a in card["rows"]] == ["Late one", "Later one"]
    assert (card["open"], card["overdue"]) == (2, 1)
    assert CARDS[0] is home_card
    client.force_login(world.member)
    page = client.get(reverse("home:home")).content.decode()
    assert "Your actions" in page and "overdue since" in page and "Not mine" not in page


def test_the_home_card_without_actions_points_to_the_list_and_leaders_to_their_area(world, client):
    client.force_login(world.member)
    page = client.get(reverse("home:home")).content.decode()
    assert "Nothing open for you" in page and "?scope=area" not in page
    client.force_login(world.leader)
    page = client.get(reverse("home:home")).content.decode()
    assert "Your area&#x27;s actions" in page or "Your area's actions" in page
