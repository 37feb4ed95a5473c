"""The SCIM 2.0 endpoints at /scim/v2/ (champion.accounts.scim has the rules).

No session, no CSRF: each request carries `Authorization: Bearer <provisioning token>`.
The token works while the admin who made it is an active admin of their organisation's
top unit; it reaches that organisation only (another organisation's ids are 404). Every
write is made as that admin, so the audit log names them, with the caller's address.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from champion.accounts import scim
from champion.accounts.models import Organisation, User
from champion.core import audit
from champion.core.middleware import client_ip
from champion.core.models import ApiToken, TokenScope

CONTENT_TYPE = "application/scim+json"

Handler = Callable[..., HttpResponse]


def _answer(body: dict[str, Any] | None, status: int = 200) -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def _error(error: scim.ScimError) -> HttpResponse:
    response = _answer(error.body(), error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def _admin(request: HttpRequest) -> User:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _, raw = header.partition(" ")
    admin = (
        ApiToken.authenticate(raw.strip(), TokenScope.SCIM) if kind.lower() == "bearer" else None
    )
    if admin is None or admin.organisation_id is None or not admin.is_org_admin:
        raise scim.ScimError(
            401,
            "Send a valid provisioning token: Authorization: Bearer <token>. A token stops "
            "working when the admin who made it is no longer an admin of the organisation.",
        )
    return admin


def _json(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise scim.ScimError(400, "The request body is not valid JSON.", "invalidSyntax") from None
    if not isinstance(data, dict):
        raise scim.ScimError(400, "The request body must be a JSON object.", "invalidSyntax")
    return data


def endpoint(methods: dict[str, Handler]) -> Callable[..., HttpResponse]:
    """A SCIM view: bearer token, the organisation, errors in SCIM's format, audit actor."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        handler = methods.get(request.method or "")
        try:
            admin = _admin(request)
            if handler is None:
                allowed = ", ".join(methods)
                raise scim.ScimError(405, f"{request.method} is not allowed here; use {allowed}.")
            organisation = admin.organisation
            assert organisation is not None
            with audit.acting_as(admin, client_ip(request)):
                return handler(request, organisation, **kwargs)
        except scim.ScimError as error:
            return _error(error)

    view.login_required = False  # type: ignore[attr-defined]  # bearer token, not a session
    view.csrf_exempt = True  # type: ignore[attr-defined]  # no cookies are used
    return view


# ---------------------------------------------------------------------------------------
# Users


def _list_users(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    query = scim.people(organisation)
    condition = scim.parse_filter(
        request.GET.get("filter", ""),
        {"username": "email__iexact", "emails.value": "email__iexact"},
    )
    if condition:
        query = query.filter(**{condition[0]: condition[1]})
    found, total, start = scim.page(query, request.GET)
    return _answer(scim.list_response([scim.user_resource(u) for u in found], total, start))


def _create_user(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    user = scim.create_user(organisation, _json(request))
    return _answer(scim.user_resource(scim.get_user(organisation, str(user.pk))), 201)


def _get_user(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    return _answer(scim.user_resource(scim.get_user(organisation, pk)))


def _replace_user(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    user = scim.get_user(organisation, pk)
    scim.replace_user(user, _json(request))
    return _get_user(request, organisation, pk)


def _patch_user(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    user = scim.get_user(organisation, pk)
    scim.patch_user(user, _json(request))
    return _get_user(request, organisation, pk)


def _delete_user(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    scim.deactivate(scim.get_user(organisation, pk))
    return _answer(None, 204)


# ---------------------------------------------------------------------------------------
# Groups


def _with_members(request: HttpRequest) -> bool:
    excluded = request.GET.get("excludedAttributes", "").lower().split(",")
    return "members" not in [e.strip() for e in excluded]


def _list_groups(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    members = _with_members(request)
    query = scim.units(organisation, members)
    condition = scim.parse_filter(request.GET.get("filter", ""), {"displayname": "name__iexact"})
    if condition:
        query = query.filter(**{condition[0]: condition[1]})
    found, total, start = scim.page(query, request.GET)
    resources = [scim.group_resource(u, members) for u in found]
    return _answer(scim.list_response(resources, total, start))


def _create_group(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    unit = scim.create_group(organisation, _json(request))
    return _answer(scim.group_resource(scim.get_unit(organisation, str(unit.pk))), 201)


def _get_group(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    members = _with_members(request)
    return _answer(scim.group_resource(scim.get_unit(organisation, pk, members), members))


def _replace_group(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    unit = scim.get_unit(organisation, pk, members=False)
    scim.replace_group(organisation, unit, _json(request))
    return _get_group(request, organisation, pk)


def _patch_group(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    unit = scim.get_unit(organisation, pk, members=False)
    scim.patch_group(organisation, unit, _json(request))
    return _answer(None, 204)


def _delete_group(request: HttpRequest, organisation: Organisation, pk: str) -> HttpResponse:
    scim.delete_group(scim.get_unit(organisation, pk, members=False))
    return _answer(None, 204)


# ---------------------------------------------------------------------------------------
# What the service supports (RFC 7644 section 4)


def _service_provider_config(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _answer(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": scim.MAX_COUNT},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "Provisioning token",
                    "description": "A token made by an organisation admin on the Sign-in and "
                    "provisioning page, sent as Authorization: Bearer <token>.",
                    "primary": True,
                }
            ],
        }
    )


def _resource_types(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    types = [
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": name,
            "name": name,
            "endpoint": f"/{name}s",
            "schema": schema,
        }
        for name, schema in (("User", scim.USER_SCHEMA), ("Group", scim.GROUP_SCHEMA))
    ]
    return _answer(scim.list_response(types, len(types), 1))


service_provider_config = endpoint({"GET": _service_provider_config})
resource_types = endpoint({"GET": _resource_types})
users = endpoint({"GET": _list_users, "POST": _create_user})
user = endpoint(
    {"GET": _get_user, "PUT": _replace_user, "PATCH": _patch_user, "DELETE": _delete_user}
)
groups = endpoint({"GET": _list_groups, "POST": _create_group})
group = endpoint(
    {"GET": _get_group, "PUT": _replace_group, "PATCH": _patch_group, "DELETE": _delete_group}
)
