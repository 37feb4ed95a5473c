"""The one matching rule of single sign-on (champion.accounts.sso.match_person), and
password sign-in switched off for an organisation."""

from django.urls import reverse

from champion.accounts import checks
from champion.accounts.models import Membership, Role, User
from champion.accounts.sso import Policy, Reason, match_person
from tests.conftest import PASSWORD


def test_a_verified_address_matches_the_account_ignoring_case(world):
    match = match_person(" MEMBER@Test.Example ", verified=True, full_name="", policy=Policy())
    assert match.user == world.member and not match.reason and not match.created


def test_an_unverified_address_is_refused_even_for_a_known_person(world):
    match = match_person("member@test.example", verified=False, full_name="", policy=Policy())
    assert match.user is None and match.reason == Reason.UNVERIFIED


def test_a_missing_or_malformed_address_is_refused(world):
    for email in (None, "", "not an address", 42):
        match = match_person(email, verified=True, full_name="", policy=Policy())
        assert match.user is None and match.reason == Reason.NO_EMAIL


def test_an_unknown_person_is_refused_and_nobody_is_created(world):
    count = User.objects.count()
    match = match_person("new@test.example", verified=True, full_name="New", policy=Policy())
    assert match.user is None and match.reason == Reason.UNKNOWN
    assert User.objects.count() == count


def test_a_deactivated_account_is_refused(world):
    User.objects.filter(pk=world.member.pk).update(is_active=False)
    match = match_person("member@test.example", verified=True, full_name="", policy=Policy())
    assert match.user is None and match.reason == Reason.INACTIVE


def test_unknown_people_are_created_as_members_of_the_default_unit_when_allowed(world):
    policy = Policy(create_users=True, default_unit=world.ward_b.pk)
    match = match_person(
        "New.Person@test.example", verified=True, full_name=" Nia  New ", policy=policy
    )
    user = match.user
    assert match.created and user is not None
    assert (user.email, user.full_name, user.organisation) == (
        "new.person@test.example",
        "Nia New",
        world.org,
    )
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("unit", "role")) == [
        (world.ward_b.pk, Role.MEMBER)
    ]


def test_creation_with_a_missing_default_unit_is_refused_as_misconfigured(world):
    policy = Policy(create_users=True, default_unit=999999)
    match = match_person("new@test.example", verified=True, full_name="", policy=policy)
    assert (
        match.reason == Reason.MISCONFIGURED
        and not User.objects.filter(email="new@test.example").exists()
    )


def test_an_organisation_restriction_refuses_other_organisations_people(world):
    policy = Policy(organisation=world.org.slug)
    assert (
        match_person("member@test.example", verified=True, full_name="", policy=policy).user
        == world.member
    )
    refused = match_person("outsider@other.example", verified=True, full_name="", policy=policy)
    assert refused.user is None and refused.reason == Reason.UNKNOWN
    # Creation never makes a second account for an address another organisation holds.
    create = Policy(organisation=world.org.slug, create_users=True, default_unit=world.ward_a.pk)
    refused = match_person("outsider@other.example", verified=True, full_name="", policy=create)
    assert (
        refused.reason == Reason.UNKNOWN
        and User.objects.filter(email="outsider@other.example").count() == 1
    )


def sign_in(client, email, url=None):
    return client.post(
        url or reverse("accounts:sign-in"), {"username": email, "password": PASSWORD}
    )


def test_password_sign_in_switched_off_refuses_the_organisations_people_and_says_why(world, client):
    world.org.password_sign_in = False
    world.org.save()
    response = sign_in(client, "member@test.example")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "signs in with single sign-on only" in response.content.decode()
    # A wrong password does not learn that the organisation uses single sign-on.
    response = client.post(
        reverse("accounts:sign-in"), {"username": "member@test.example", "password": "nope"}
    )
    assert "single sign-on" not in response.content.decode()
    # Another organisation's people still sign in with passwords.
    assert sign_in(client, "outsider@other.example").status_code == 302


def test_password_sign_in_switched_off_also_closes_the_admin_login(world, client):
    world.org.password_sign_in = False
    world.org.save()
    User.objects.filter(pk=world.admin.pk).update(is_staff=True)
    response = sign_in(client, "admin@test.example", url="/admin/login/")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_switching_password_sign_in_off_ends_password_sessions(world, client):
    assert sign_in(client, "member@test.example").status_code == 302
    world.org.password_sign_in = False
    world.org.save()
    response = client.get("/")
    assert response.status_code == 302 and reverse("accounts:sign-in") in response.url


def test_superusers_keep_password_sign_in_as_the_break_glass_route(world, client):
    User.objects.filter(pk=world.admin.pk).update(is_superuser=True, is_staff=True)
    world.org.password_sign_in = False
    world.org.save()
    assert sign_in(client, "admin@test.example").status_code == 302
    assert int(client.session["_auth_user_id"]) == world.admin.pk


def test_saml_without_xmlsec1_is_a_system_check_error(settings, monkeypatch):
    settings.SAML_IDP_METADATA_URL = "https://idp.example/metadata"
    assert checks.saml_can_check_signatures() == []
    monkeypatch.setattr(checks.shutil, "which", lambda name: None)
    [error] = checks.saml_can_check_signatures()
    assert error.id == "accounts.E001" and "apt-get install xmlsec1" in error.msg
    settings.SAML_IDP_METADATA_URL = ""
    assert checks.saml_can_check_signatures() == []


def test_an_identity_provider_over_plain_http_warns_at_deploy(settings):
    settings.OIDC_ISSUER = "http://id.example"
    settings.SAML_IDP_METADATA_URL = "https://idp.example/metadata"
    assert [w.id for w in checks.sso_over_https()] == ["accounts.W001"]
    settings.OIDC_ISSUER = "https://id.example"
    assert checks.sso_over_https() == []
