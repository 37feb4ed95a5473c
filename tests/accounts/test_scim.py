"""SCIM 2.0 provisioning, spoken as an identity provider would: Users and Groups (units)."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from champion.accounts.models import Membership, Role, Unit, User
from champion.core.models import ApiToken, AuditEvent, TokenScope

SCIM = "application/scim+json"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Idp:
    """A client speaking SCIM with a bearer token."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def get(self, path, **params):
        return self.client.get(f"/scim/v2/{path}", params, **self._headers())

    def send(self, method, path, body):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            f"/scim/v2/{path}", data, content_type=SCIM, **self._headers()
        )


@pytest.fixture
def idp(world, client):
    _, raw = ApiToken.issue(world.admin, "Entra ID", TokenScope.SCIM)
    return Idp(client, raw)


def new_user(idp, email="nia.nurse@test.example", **extra):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "name": {"givenName": "Nia", "familyName": "Nurse"},
        "title": "Staff nurse",
        "active": True,
        **extra,
    }
    return idp.send("post", "Users", body)


def test_create_get_and_filter_a_user(world, idp):
    response = new_user(idp)
    assert response.status_code == 201 and response["Content-Type"] == SCIM
    created = response.json()
    person = User.objects.get(email="nia.nurse@test.example")
    assert created["id"] == str(person.pk) and created["active"] is True
    assert person.organisation == world.org and person.full_name == "Nia Nurse"
    assert person.job_title == "Staff nurse" and not person.has_usable_password()
    assert idp.get(f"Users/{person.pk}").json()["userName"] == "nia.nurse@test.example"
    found = idp.get("Users", filter='userName eq "NIA.NURSE@test.example"').json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == str(person.pk)
    none = idp.get("Users", filter='userName eq "nobody@test.example"').json()
    assert none["totalResults"] == 0 and none["Resources"] == []
    # The change is in the audit log, made as the admin who made the token.
    event = AuditEvent.objects.get(
        content_type__model="user", object_id=str(person.pk), action="create"
    )
    assert event.actor == world.admin and event.organisation == world.org


def test_people_of_another_organisation_are_invisible(world, idp):
    assert idp.get(f"Users/{world.outsider.pk}").status_code == 404
    listing = idp.get("Users").json()
    assert str(world.outsider.pk) not in {r["id"] for r in listing["Resources"]}
    assert (
        idp.get("Users", filter='userName eq "outsider@other.example"').json()["totalResults"] == 0
    )
    assert idp.get(f"Groups/{world.other_ward.pk}").status_code == 404
    response = idp.send("patch", f"Users/{world.outsider.pk}", {
        "schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]
    })  # fmt: skip
    assert response.status_code == 404
    world.outsider.refresh_from_db()
    assert world.outsider.is_active


def test_an_address_in_use_is_a_conflict(world, idp):
    for email in ("member@test.example", "outsider@other.example"):
        response = new_user(idp, email)
        assert response.status_code == 409 and response.json()["scimType"] == "uniqueness"


def test_pages(world, idp):
    everyone = User.objects.filter(organisation=world.org).count()
    first = idp.get("Users", startIndex=1, count=3).json()
    second = idp.get("Users", startIndex=4, count=3).json()
    assert first["totalResults"] == everyone and first["itemsPerPage"] == 3
    assert second["startIndex"] == 4
    ids = [r["id"] for r in first["Resources"] + second["Resources"]]
    assert len(set(ids)) == 6


def test_replace_a_user(world, idp):
    pk = new_user(idp).json()["id"]
    response = idp.send("put", f"Users/{pk}", {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "nia.jones@test.example",
        "name": {"formatted": "Nia Jones"},
        "active": True,
    })  # fmt: skip
    assert response.status_code == 200
    person = User.objects.get(pk=pk)
    assert (person.email, person.full_name, person.job_title) == (
        "nia.jones@test.example",
        "Nia Jones",
        "",
    )


def test_patch_active_false_signs_out_everywhere_and_keeps_records(world, idp, client):
    browser = Client()
    browser.force_login(world.member)
    assert Session.objects.count() == 1
    response = idp.send("patch", f"Users/{world.member.pk}", {
        "schemas": [PATCH],
        # Entra ID's own spelling: a capital op and the value as a string.
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    })  # fmt: skip
    assert response.status_code == 200 and response.json()["active"] is False
    world.member.refresh_from_db()
    assert not world.member.is_active
    assert Session.objects.count() == 0
    assert browser.get("/").status_code == 302  # signed out
    assert Membership.objects.filter(user=world.member).exists()  # records kept
    event = AuditEvent.objects.filter(content_type__model="user", object_id=str(world.member.pk))
    assert event.filter(action="update", changes__is_active=[True, False]).exists()
    # Okta's spelling: no path, an object value; the person comes back.
    idp.send("patch", f"Users/{world.member.pk}", {
        "schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": True}}]
    })  # fmt: skip
    world.member.refresh_from_db()
    assert world.member.is_active


def test_delete_deactivates(world, idp):
    assert idp.send("delete", f"Users/{world.member.pk}", "").status_code == 204
    world.member.refresh_from_db()
    assert not world.member.is_active and User.objects.filter(pk=world.member.pk).exists()


def test_patch_names_and_title(world, idp):
    pk = new_user(idp).json()["id"]
    idp.send("patch", f"Users/{pk}", {"schemas": [PATCH], "Operations": [
        {"op": "replace", "path": "name.familyName", "value": "Okafor"},
        {"op": "replace", "path": "name.honorificPrefix", "value": "Dr"},
        {"op": "add", "path": "title", "value": "Ward manager"},
        {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Surgery"},
    ]})  # fmt: skip
    person = User.objects.get(pk=pk)
    assert person.full_name == "Nia Okafor" and person.job_title == "Ward manager"
    assert (person.given_name, person.family_name, person.title) == ("Nia", "Okafor", "Dr")
    name = idp.get(f"Users/{pk}").json()["name"]
    assert name["givenName"] == "Nia" and name["honorificPrefix"] == "Dr"


def test_groups_are_units_and_membership_follows(world, idp):
    pk = new_user(idp).json()["id"]
    found = idp.get("Groups", filter='displayName eq "Ward B"', excludedAttributes="members")
    group = found.json()["Resources"][0]
    assert group["id"] == str(world.ward_b.pk) and "members" not in group
    response = idp.send("patch", f"Groups/{world.ward_b.pk}", {"schemas": [PATCH], "Operations": [
        {"op": "Add", "path": "members", "value": [{"value": pk}]}
    ]})  # fmt: skip
    assert response.status_code == 204
    role = Membership.objects.get(user_id=pk, unit=world.ward_b)
    assert role.role == Role.MEMBER
    members = {m["value"] for m in idp.get(f"Groups/{world.ward_b.pk}").json()["members"]}
    assert pk in members
    assert str(world.ward_b.pk) in {g["value"] for g in idp.get(f"Users/{pk}").json()["groups"]}
    assert AuditEvent.objects.filter(content_type__model="membership", action="create").exists()
    # Entra ID removes with a filter in the path.
    idp.send("patch", f"Groups/{world.ward_b.pk}", {"schemas": [PATCH], "Operations": [
        {"op": "Remove", "path": f'members[value eq "{pk}"]'}
    ]})  # fmt: skip
    assert not Membership.objects.filter(user_id=pk, unit=world.ward_b).exists()
    assert AuditEvent.objects.filter(content_type__model="membership", action="delete").exists()


def test_removing_a_member_keeps_roles_given_in_pi_champion(world, idp):
    idp.send("patch", f"Groups/{world.ward_a.pk}", {"schemas": [PATCH], "Operations": [
        {"op": "remove", "path": "members", "value": [{"value": str(world.leader.pk)}, {"value": str(world.member.pk)}]}
    ]})  # fmt: skip
    assert Membership.objects.filter(user=world.leader, unit=world.ward_a).exists()
    assert not Membership.objects.filter(user=world.member, unit=world.ward_a).exists()


def test_create_and_replace_a_group(world, idp):
    a = new_user(idp, "a@test.example").json()["id"]
    b = new_user(idp, "b@test.example").json()["id"]
    response = idp.send("post", "Groups", {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Sepsis team", "members": [{"value": a}],
    })  # fmt: skip
    assert response.status_code == 201
    unit = Unit.objects.get(pk=response.json()["id"])
    assert unit.parent == world.root and unit.organisation == world.org
    assert idp.send("post", "Groups", {"displayName": "Sepsis team"}).status_code == 409
    idp.send(
        "put", f"Groups/{unit.pk}", {"displayName": "Sepsis outreach", "members": [{"value": b}]}
    )
    unit.refresh_from_db()
    assert unit.name == "Sepsis outreach"
    assert set(Membership.objects.filter(unit=unit).values_list("user_id", flat=True)) == {int(b)}


def test_a_member_of_another_organisation_is_refused(world, idp):
    response = idp.send("patch", f"Groups/{world.ward_a.pk}", {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": str(world.outsider.pk)}]}
    ]})  # fmt: skip
    assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"
    assert not Membership.objects.filter(user=world.outsider, unit=world.ward_a).exists()


def test_deleting_a_group_keeps_the_unit(world, idp):
    assert idp.send("delete", f"Groups/{world.ward_a.pk}", "").status_code == 204
    assert Unit.objects.filter(pk=world.ward_a.pk).exists()
    assert not Membership.objects.filter(unit=world.ward_a, role=Role.MEMBER).exists()
    assert Membership.objects.filter(unit=world.ward_a, role=Role.LEADER).exists()


# ---------------------------------------------------------------------------------------
# Tokens and bad input


def assert_scim_error(response, status, scim_type=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == SCIM
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status) and body["detail"]
    if scim_type:
        assert body["scimType"] == scim_type


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer pic_wrong", "Basic abc"])
def test_a_wrong_token_is_401(world, client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/scim/v2/Users", **extra)
    assert_scim_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_personal_api_token_is_not_a_provisioning_token(world, client):
    _, raw = ApiToken.issue(world.admin, "Dashboard")
    assert_scim_error(Idp(client, raw).get("Users"), 401)


def test_a_provisioning_token_does_not_work_on_the_rest_api(world, client, idp):
    response = client.get("/api/v1/measures", HTTP_AUTHORIZATION=f"Bearer {idp.token}")
    assert response.status_code == 401


def test_a_token_of_another_organisation_reaches_only_its_own(world, client):
    _, raw = ApiToken.issue(world.outsider, "Their IdP", TokenScope.SCIM)
    other = Idp(client, raw)
    assert_scim_error(other.get(f"Users/{world.member.pk}"), 404)
    assert_scim_error(other.send("delete", f"Users/{world.member.pk}", ""), 404)
    ids = {r["id"] for r in other.get("Users").json()["Resources"]}
    theirs = {
        str(pk) for pk in User.objects.filter(organisation=world.other).values_list("pk", flat=True)
    }
    assert str(world.outsider.pk) in ids and ids == theirs
    world.member.refresh_from_db()
    assert world.member.is_active


def test_a_token_stops_working_when_its_admin_is_no_longer_one(world, idp):
    Membership.objects.filter(user=world.admin).update(role=Role.MEMBER)
    assert_scim_error(idp.get("Users"), 401)


def test_a_token_made_by_a_unit_admin_is_refused(world, client):
    hospital_admin = User.objects.create_user("ha@test.example", organisation=world.org)
    Membership.objects.create(user=hospital_admin, unit=world.north, role=Role.ADMIN)
    _, raw = ApiToken.issue(hospital_admin, "Mine", TokenScope.SCIM)
    assert_scim_error(Idp(client, raw).get("Users"), 401)


def test_bad_json_is_a_scim_error(world, idp):
    assert_scim_error(idp.send("post", "Users", "{not json"), 400, "invalidSyntax")
    assert_scim_error(idp.send("post", "Users", "[1, 2]"), 400, "invalidSyntax")
    assert_scim_error(
        idp.send("post", "Users", {"userName": "not an address"}), 400, "invalidValue"
    )
    assert_scim_error(
        idp.send("post", "Users", {"userName": "x@test.example", "name": {"formatted": "x" * 201}}),
        400,
        "invalidValue",
    )
    assert_scim_error(idp.get("Users", filter='title co "nurse"'), 400, "invalidFilter")
    assert_scim_error(idp.get("Users", count="many"), 400, "invalidValue")
    assert_scim_error(
        idp.send("patch", f"Users/{world.member.pk}", {"Operations": []}), 400, "invalidSyntax"
    )
    assert_scim_error(idp.get("Users/not-a-number"), 404)
    assert_scim_error(idp.send("put", "Users", {}), 405)
    assert not User.objects.filter(email="x@test.example").exists()


def test_the_service_describes_itself(world, idp):
    config = idp.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] and not config["bulk"]["supported"]
    types = idp.get("ResourceTypes").json()
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}


def test_listing_costs_the_same_queries_for_more_people(world, idp, django_assert_max_num_queries):
    for n in range(3):
        new_user(idp, f"p{n}@test.example")
    with django_assert_max_num_queries(8):
        idp.get("Users")
    for n in range(3, 20):
        new_user(idp, f"p{n}@test.example")
    with django_assert_max_num_queries(8):
        idp.get("Users")
    with django_assert_max_num_queries(8):
        idp.get("Groups")


# ---------------------------------------------------------------------------------------
# The admin's page


def test_an_organisation_admin_makes_and_revokes_a_token(world, client):
    client.force_login(world.admin)
    url = reverse("accounts:organisation-security")
    page = client.post(url, {"token_name": "Entra ID"}).content.decode()
    token = ApiToken.objects.get(scope=TokenScope.SCIM)
    assert token.user == world.admin and token.prefix in page
    # It is not one of the admin's personal API tokens.
    assert token.name not in client.get(reverse("core:tokens")).content.decode()
    client.post(reverse("accounts:provisioning-token-revoke", args=[token.pk]))
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_a_member_cannot_make_a_token(world, client):
    client.force_login(world.member)
    url = reverse("accounts:organisation-security")
    assert client.post(url, {"token_name": "Mine"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_okta_renames_a_group_without_a_path(world, idp):
    response = idp.send("patch", f"Groups/{world.ward_c.pk}", {"schemas": [PATCH], "Operations": [
        {"op": "replace", "value": {"id": str(world.ward_c.pk), "displayName": "Ward C East"}}
    ]})  # fmt: skip
    assert response.status_code == 204
    world.ward_c.refresh_from_db()
    assert world.ward_c.name == "Ward C East"
