"""Who sees whom, and how admins add people and change roles."""

import pytest
from django.core import mail
from django.urls import reverse

from champion.accounts.models import Membership, Role, User
from tests.conftest import make_person
from tests.scale import add_people, queries


def visible(user):
    return set(User.objects.visible_to(user).values_list("email", flat=True))


def test_a_member_sees_only_themselves(world):
    assert visible(world.member) == {"member@test.example"}


def test_a_leader_sees_their_units_subtree(world):
    assert visible(world.leader) == {"member@test.example", "leader@test.example"}


def test_a_coach_of_a_hospital_sees_all_its_wards(world):
    assert visible(world.coach) == {
        "member@test.example",
        "leader@test.example",
        "colleague@test.example",
        "coach@test.example",
    }


def test_a_leader_elsewhere_does_not_see_ward_a(world):
    assert "member@test.example" not in visible(world.leader_elsewhere)


def test_the_root_admin_sees_everyone_in_the_organisation_and_nobody_outside(world):
    emails = visible(world.admin)
    assert "elsewhere@test.example" in emails and "outsider@other.example" not in emails


def test_someone_with_several_roles_in_view_is_counted_once(world):
    """Visibility is a membership subquery, not a join: no person twice, without DISTINCT."""
    Membership.objects.create(user=world.member, unit=world.ward_b, role=Role.LEADER)
    Membership.objects.create(user=world.member, unit=world.north, role=Role.MEMBER)
    people = User.objects.visible_to(world.coach)
    emails = list(people.values_list("email", flat=True))
    assert emails.count("member@test.example") == 1
    assert people.count() == len(set(emails)) == len(emails)


def test_people_directory_is_for_those_who_oversee_people(world, client_for):
    assert client_for(world.member).get(reverse("accounts:people")).status_code == 403
    page = client_for(world.leader).get(reverse("accounts:people")).content.decode()
    assert "Mia Member" in page and "Cal Colleague" not in page


def test_person_page_is_404_for_those_who_may_not_see_them(world, client_for):
    url = reverse("accounts:person", args=[world.member.pk])
    assert client_for(world.leader_elsewhere).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.leader).get(url).status_code == 200


def test_admin_adds_a_person_who_gets_a_welcome_email(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.admin).post(
            reverse("accounts:person-add"),
            {
                "given_name": "Nia",
                "family_name": "New",
                "email": "Nia.New@Test.example",
                "job_title": "Porter",
                "unit": world.ward_b.pk,
                "role": "member",
            },
        )
    person = User.objects.get(email="nia.new@test.example")
    assert response.status_code == 302
    assert person.organisation == world.org and not person.has_usable_password()
    assert Membership.objects.get(user=person).unit == world.ward_b
    assert len(mail.outbox) == 1 and "nia.new@test.example" in mail.outbox[0].to
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_adding_an_existing_colleague_adds_a_role_instead_of_a_duplicate(world, client_for):
    client_for(world.admin).post(
        reverse("accounts:person-add"),
        {
            "given_name": "Mia",
            "family_name": "Member",
            "email": "member@test.example",
            "unit": world.ward_b.pk,
            "role": "member",
        },
    )
    assert User.objects.filter(email="member@test.example").count() == 1
    assert set(world.member.memberships.values_list("unit__name", flat=True)) == {
        "Ward A",
        "Ward B",
    }
    assert len(mail.outbox) == 0


def test_an_email_of_another_organisation_is_refused(world, client_for):
    response = client_for(world.admin).post(
        reverse("accounts:person-add"),
        {
            "given_name": "Otto",
            "family_name": "Other",
            "email": "outsider@other.example",
            "unit": world.ward_b.pk,
            "role": "member",
        },
    )
    page = response.content.decode()
    assert "cannot be used here" in page
    assert "organisation" not in page.split("cannot be used here")[1][:200]  # nothing confirmed
    assert not Membership.objects.filter(user=world.outsider, unit=world.ward_b).exists()


def test_a_half_finished_form_keeps_what_was_typed_and_saves_nothing(world, client_for):
    response = client_for(world.admin).post(
        reverse("accounts:person-add"),
        {"given_name": "Half", "family_name": "Done", "email": "", "unit": world.ward_b.pk},
    )
    page = response.content.decode()
    assert (
        response.status_code == 200
        and 'value="Half"' in page
        and 'value="Done"' in page
        and "This field is required" in page
    )
    assert not User.objects.filter(full_name="Half Done").exists()


@pytest.mark.parametrize("persona", ["member", "leader", "coach"])
def test_non_admins_cannot_add_people(world, client_for, persona):
    response = client_for(getattr(world, persona)).post(
        reverse("accounts:person-add"),
        {
            "given_name": "X",
            "family_name": "Y",
            "email": "x@test.example",
            "unit": world.ward_a.pk,
            "role": "member",
        },
    )
    assert response.status_code == 403 and not User.objects.filter(email="x@test.example").exists()


def test_admin_changes_a_role_and_removes_it(world, client_for):
    client = client_for(world.admin)
    membership = world.member.memberships.get()
    client.post(reverse("accounts:membership-update", args=[membership.pk]), {"role": "leader"})
    membership.refresh_from_db()
    assert membership.role == Role.LEADER
    client.post(reverse("accounts:membership-delete", args=[membership.pk]))
    assert not world.member.memberships.exists()


def test_a_leader_cannot_change_roles(world, client_for):
    membership = world.member.memberships.get()
    response = client_for(world.leader).post(
        reverse("accounts:membership-update", args=[membership.pk]), {"role": "admin"}
    )
    membership.refresh_from_db()
    assert response.status_code == 403 and membership.role == Role.MEMBER


def test_an_outsider_cannot_touch_our_memberships(world, client_for):
    membership = world.member.memberships.get()
    response = client_for(world.outsider).post(
        reverse("accounts:membership-delete", args=[membership.pk])
    )
    assert response.status_code == 404 and Membership.objects.filter(pk=membership.pk).exists()


def test_deactivated_people_cannot_sign_in(world, client_for):
    client_for(world.admin).post(
        reverse("accounts:person-active", args=[world.member.pk]), {"active": "0"}
    )
    world.member.refresh_from_db()
    assert not world.member.is_active
    client = client_for(world.member)
    client.logout()
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "member@test.example", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_admins_cannot_deactivate_themselves(world, client_for):
    response = client_for(world.admin).post(
        reverse("accounts:person-active", args=[world.admin.pk]), {"active": "0"}
    )
    world.admin.refresh_from_db()
    assert response.status_code == 403 and world.admin.is_active


@pytest.fixture
def hospital_admin(world):
    """An admin of North Hospital, while the organisation's admin also works on Ward A."""
    Membership.objects.create(user=world.admin, unit=world.ward_a, role=Role.MEMBER)
    return make_person("north-admin@test.example", world.org, world.north, Role.ADMIN, "Nora North")


def test_a_hospital_admin_cannot_rename_or_deactivate_the_organisation_admin(
    world, client_for, hospital_admin
):
    client = client_for(hospital_admin)
    rename = client.post(
        reverse("accounts:person-update", args=[world.admin.pk]),
        {"given_name": "Taken", "family_name": "Over"},
    )
    deactivate = client.post(
        reverse("accounts:person-active", args=[world.admin.pk]), {"active": "0"}
    )
    assert rename.status_code == 403 and deactivate.status_code == 403
    world.admin.refresh_from_db()
    assert world.admin.full_name == "Ada Admin" and world.admin.is_active


def test_a_hospital_admin_manages_people_whose_every_role_is_in_the_hospital(
    world, client_for, hospital_admin
):
    Membership.objects.create(user=world.colleague, unit=world.ward_c, role=Role.MEMBER)
    managed = set(User.objects.managed_by(hospital_admin).values_list("email", flat=True))
    assert {"member@test.example", "leader@test.example", "coach@test.example"} <= managed
    # The organisation's admin and a colleague who also works in South Hospital are not theirs.
    assert not {"admin@test.example", "colleague@test.example"} & managed
    response = client_for(hospital_admin).post(
        reverse("accounts:person-update", args=[world.member.pk]),
        {"given_name": "Mia", "family_name": "Renamed"},
    )
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.full_name == "Mia Renamed"


def test_people_without_a_role_are_managed_by_the_top_admins_only(world, hospital_admin):
    Membership.objects.filter(user=world.member).delete()
    assert User.objects.managed_by(world.admin).filter(pk=world.member.pk).exists()
    assert not User.objects.managed_by(hospital_admin).filter(pk=world.member.pk).exists()


def test_adding_a_colleague_who_has_roles_elsewhere_needs_their_own_admin(
    world, client_for, hospital_admin
):
    response = client_for(hospital_admin).post(
        reverse("accounts:person-add"),
        {
            "given_name": "Ada",
            "family_name": "Admin",
            "email": "admin@test.example",
            "unit": world.ward_b.pk,
            "role": "admin",
        },
    )
    assert "ask an admin who covers all their units" in response.content.decode()
    assert not Membership.objects.filter(user=world.admin, unit=world.ward_b).exists()


def test_the_directory_filtered_by_a_unit_lists_each_person_once(world, client_for):
    """The unit filter keeps people with a role anywhere in the unit's subtree, once each,
    however many roles they have there (issue 15: it no longer joins and de-duplicates)."""
    Membership.objects.create(user=world.member, unit=world.north, role=Role.MEMBER)
    client = client_for(world.admin)
    small, page = queries(client, f"/people/?unit={world.north.pk}")
    assert page.count(f'href="/people/{world.member.pk}/"') == 1
    assert "Eli Elsewhere" not in page  # Ward C is not under North Hospital
    add_people(world.org, world.ward_a, 80, "more")
    large, page = queries(client, f"/people/?unit={world.north.pk}")
    assert large <= small and "Page 1 of 2" in page
    _, page = queries(client, f"/people/?unit={world.north.pk}&page=2")
    assert page.count('href="/people/') - page.count('href="/people/add') <= 50
