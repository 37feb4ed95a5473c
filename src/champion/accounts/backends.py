"""Authentication backends: passwords (unless the organisation signs in only with single
sign-on) and the session backend of people signed in by single sign-on.

An organisation with `password_sign_in` off signs in only through its identity provider:
`PasswordBackend` refuses its people's passwords, on our sign-in page and /admin/login/ alike,
and ends their password sessions (Django checks `user_can_authenticate` when it loads a
session's user). Superusers are the break-glass route: their password always works, so an
operator can still get in when the identity provider is down (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


def password_allowed(user: Any) -> bool:
    """May this person sign in with a password?"""
    organisation = getattr(user, "organisation", None)
    return bool(user.is_superuser or organisation is None or organisation.password_sign_in)


class PasswordBackend(ModelBackend):
    """Django's e-mail and password backend, refusing organisations that use only single
    sign-on. A right password refused for that reason marks the request
    (`request.sso_only = True`) so the sign-in page can say why."""

    refused_for_sso = False

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username, password, **kwargs)
        if user is None and self.refused_for_sso and request is not None:
            request.sso_only = True  # type: ignore[attr-defined]
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if not password_allowed(user):
            self.refused_for_sso = True
            return False
        return True


class SsoBackend(ModelBackend):
    """The backend recorded in the sessions of people signed in by OIDC or SAML. It never
    checks a password (`authenticate` always declines); it only loads the session's user,
    who must still be active."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        return None
