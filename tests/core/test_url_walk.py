"""Walk every URL pattern: an anonymous visitor gets the sign-in page (or 404/405), never data.

New URL patterns are covered automatically; a pattern that must be public has to be
added to PUBLIC, on purpose, with a reason.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may open, each for a reason.
PUBLIC = {
    "/accounts/sign-in/",  # signing in
    "/accounts/password/reset/",  # asking for a reset link
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/x/x/",  # the e-mailed link (checked against its token)
    "/accounts/password/reset/done/",
    "/healthz",  # load balancers and monitoring
    "/admin/login/",  # the operators' admin has its own sign-in
    "/api/v1/openapi.json",  # the API's description: no data, for client generators
    # Certificate verification: anyone holding the unguessable link checks a certificate
    # (name, credential and date only); unknown ids are 404.
    "/verify/1/",
    "/verify/1/certificate.pdf",
    "/verify/1/credential.json",
    "/verify/1/credential.jwt",  # the same credential signed (VC-JWT); 404 when unsigned
    # What a verifier of a signed badge fetches: the public keys (JWKS, and each key at its
    # `kid`) and the issuer Profile at `issuer.id` (only for an organisation that has issued
    # a certificate). Public keys and names already on public certificates, nothing else.
    "/verify/keys/",
    "/verify/keys/x",
    "/verify/issuers/",
    "/verify/issuers/x/",
    # A unit's huddle board on a wall screen, opened by the secret in a leader's link
    # (only its hash is stored); unknown or switched-off links are 404.
    "/improve/ideas/wall/x/",
    # Single sign-on (404 until set up, docs/deploy.md): sending the browser to the identity
    # provider and taking its checked answer (the person is found only by the matching rule),
    # and the SAML service provider's metadata (public by design: the IdP's admin reads it).
    "/accounts/oidc/start/",
    "/accounts/oidc/callback/",
    "/accounts/saml/start/",
    "/accounts/saml/acs/",
    "/accounts/saml/metadata/",
}
# The REST API authenticates with bearer tokens, not sessions: anonymous calls get 401.
TOKEN_AUTH = "/api/v1/"


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern.regex.pattern).lstrip("^").replace("\\Z", "$")
        if isinstance(entry, URLResolver):
            yield from walk(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield "^" + pattern


def example_path(pattern: str) -> str:
    """A concrete path for a pattern: numbers for ids, words for other parameters."""
    path = re.sub(r"\(\?P<\w+>\\d\+\)|\(\?P<(pk|id|\w+_id)>[^)]+\)", "1", pattern)
    path = re.sub(r"\(\?P<\w+>[^)]+\)", "x", path)
    path = path.lstrip("^").rstrip("$").replace("\\", "")
    path = re.sub(r"\(\?:[^)]*\)\??|[?*+]", "", path)
    return "/" + path


PATTERNS = sorted(set(walk()))


def test_the_walk_finds_the_pages():
    paths = {example_path(p) for p in PATTERNS}
    assert len(paths) > 20 and "/people/" in paths and paths >= PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", PATTERNS)
def test_anonymous_visitors_see_nothing_but_the_sign_in_page(client, world, pattern):
    path = example_path(pattern)
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if path in PUBLIC:
            assert response.status_code in (200, 302, 404, 405), (path, response.status_code)
            continue
        if path.startswith(TOKEN_AUTH):
            assert response.status_code in (401, 404, 405), (method, path, response.status_code)
            continue
        assert response.status_code in (302, 404, 405), (method, path, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith(("/accounts/sign-in/", "/admin/login/")), (
                path,
                response.url,
            )
