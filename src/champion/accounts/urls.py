"""URLs for signing in, people, units and staff-list imports."""

from django.urls import path
from django.views.generic import RedirectView

from champion.accounts.views import auth, imports, people, scim, signup, sso, twofactor, units

app_name = "accounts"

urlpatterns = [
    path("accounts/sign-in/", auth.sign_in, name="sign-in"),
    path("accounts/sign-in/code/", twofactor.verify, name="sign-in-verify"),
    path("accounts/sign-out/", auth.sign_out, name="sign-out"),
    path("accounts/oidc/start/", sso.oidc_start, name="oidc-start"),
    path("accounts/oidc/callback/", sso.oidc_callback, name="oidc-callback"),
    path("accounts/saml/start/", sso.saml_start, name="saml-start"),
    path("accounts/saml/acs/", sso.saml_acs, name="saml-acs"),
    path("accounts/saml/metadata/", sso.saml_metadata, name="saml-metadata"),
    path("accounts/sign-up/", signup.sign_up, name="sign-up"),
    path("accounts/sign-up/<str:token>/", signup.sign_up_complete, name="sign-up-complete"),
    path("welcome/", signup.welcome, name="welcome"),
    path("accounts/two-factor/", twofactor.overview, name="two-factor"),
    path("accounts/two-factor/set-up/", twofactor.setup, name="two-factor-setup"),
    path("accounts/two-factor/passkeys/add/", twofactor.passkey_add, name="passkey-add"),
    path(
        "accounts/two-factor/passkeys/<int:passkey_id>/remove/",
        twofactor.passkey_remove,
        name="passkey-remove",
    ),
    path("accounts/two-factor/replace/", twofactor.replace, name="two-factor-replace"),
    path(
        "accounts/two-factor/recovery-codes/",
        twofactor.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("accounts/two-factor/turn-off/", twofactor.disable, name="two-factor-disable"),
    path("organisation/security/", units.organisation_security, name="organisation-security"),
    path(
        "organisation/security/tokens/<int:pk>/revoke/",
        units.provisioning_token_revoke,
        name="provisioning-token-revoke",
    ),
    # SCIM 2.0 provisioning (bearer tokens, no session): accounts.views.scim.
    path("scim/v2/ServiceProviderConfig", scim.service_provider_config, name="scim-config"),
    path("scim/v2/ResourceTypes", scim.resource_types, name="scim-resource-types"),
    path("scim/v2/Users", scim.users, name="scim-users"),
    path("scim/v2/Users/<str:pk>", scim.user, name="scim-user"),
    path("scim/v2/Groups", scim.groups, name="scim-groups"),
    path("scim/v2/Groups/<str:pk>", scim.group, name="scim-group"),
    path("accounts/password/reset/", auth.password_reset, name="password-reset"),
    path("accounts/password/reset/sent/", auth.password_reset_sent, name="password-reset-sent"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth.password_reset_complete,
        name="password-reset-complete",
    ),
    path("accounts/password/change/", auth.password_change, name="password-change"),
    path("accounts/password/change/done/", auth.password_change_done, name="password-change-done"),
    path("people/", people.people, name="people"),
    path("people/add/", people.person_add, name="person-add"),
    path("people/search/", people.people_search, name="people-search"),
    path("units/search/", people.unit_search, name="unit-search"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/details/", people.person_update, name="person-update"),
    path("people/<int:pk>/active/", people.person_set_active, name="person-active"),
    path("people/<int:pk>/invite/", people.person_invite, name="person-invite"),
    path("people/<int:pk>/roles/", people.membership_add, name="membership-add"),
    path("roles/<int:pk>/", people.membership_update, name="membership-update"),
    path("roles/<int:pk>/remove/", people.membership_delete, name="membership-delete"),
    path("people/import/", imports.upload, name="staff-upload"),
    path("people/import/<int:pk>/", imports.review, name="staff-import"),
    path("people/import/<int:pk>/apply/", imports.apply, name="staff-import-apply"),
    path("people/import/<int:pk>/progress/", imports.progress, name="staff-import-progress"),
    path("people/import/<int:pk>/discard/", imports.discard, name="staff-import-discard"),
    path("units/", units.units, name="units"),
    path("units/add/", units.unit_add, name="unit-add"),
    path("units/rule-set/", units.organisation_rules, name="organisation-rules"),
    # The password sign-in switch moved to the "Sign-in and security" page.
    path(
        "units/sign-in/",
        RedirectView.as_view(pattern_name="accounts:organisation-security", permanent=True),
    ),
    path("units/<int:pk>/", units.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit-edit"),
]
