"""Open Badges 3.0 credentials, their VC-JWT signature, issuer profiles and PDF certificates.

`open_badge` is the OpenBadgeCredential (a W3C Verifiable Credential 2.0 data model
document) served as `credential.json`. OB 3.0 §8.2.2 lets a credential proved by a JWT
omit `proof`, so the JSON form carries none: it is the readable record. `signed_badge`
is the same credential signed as a compact JWS (OB 3.0 §8.2, "JSON Web Token Proof
Format"), served as `credential.jwt`; that is the verifiable credential. Keys and the
signature itself are in `signing.py`.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse

from champion.accounts.models import Organisation
from champion.core.pdf import render_pdf
from champion.learning.models import Certificate
from champion.learning.services import signing

CRITERIA = {
    "foundation": "Completed every Foundation lesson, passed every lesson quiz at 80 % or more "
    "(questions drawn at random from a bank), passed the graded hands-on exercises, and "
    "submitted a practical: a waste walk with one improvement idea, or a personal PDSA cycle.",
    "practitioner": "Holds the Foundation credential, completed every Practitioner lesson, and led "
    "a real improvement project (charter, family of measures, baseline run chart, cause "
    "analysis, at least three linked PDSA cycles, annotated chart, sustain plan, reflection) "
    "approved by an improvement coach.",
    "leader": "Holds the Foundation credential, completed every Leader lesson, and submitted a "
    "leadership portfolio read from their own work on the platform (a maturity self-assessment "
    "they facilitated with its action plan, a project they sponsored to its result, huddle "
    "board responses over six weeks, a driver diagram with measures, a change plan) with "
    "action learning and a reflection, approved by an improvement coach.",
}


def verify_url(cert: Certificate) -> str:
    return settings.SITE_URL + reverse("learning:verify", args=[cert.public_id])


def issuer_url(organisation: Organisation | None) -> str:
    """`issuer.id`: the awarding organisation's public Profile (the installation's without one)."""
    if organisation is None:
        return settings.SITE_URL + reverse("learning:issuer-platform")
    return settings.SITE_URL + reverse("learning:issuer", args=[organisation.slug])


def subject_id(cert: Certificate) -> str:
    """`credentialSubject.id` (the JWT's required `sub`): this recipient, for this certificate.

    Opaque and different on each certificate, so a person's credentials cannot be linked
    to one another or to their e-mail through it; who they are is in `identifier`.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, verify_url(cert) + "#recipient").urn


def issuer_profile(*, url: str, name: str) -> dict[str, Any]:
    """The OB 3.0 `Profile` served at an `issuer.id`."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": url,
        "type": ["Profile"],
        "name": name,
        "url": settings.SITE_URL + "/",
    }


def open_badge(cert: Certificate) -> dict[str, Any]:
    base = settings.SITE_URL
    salt = cert.public_id
    identity = "sha256$" + hashlib.sha256((cert.user.email + salt).encode()).hexdigest()
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": base + reverse("learning:verify-badge", args=[cert.public_id]),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": cert.credential,
        "issuer": {
            "id": issuer_url(cert.user.organisation),
            "type": ["Profile"],
            "name": cert.organisation_name or "PI Champion",
            "url": base + "/",
        },
        "validFrom": cert.issued_at.replace(microsecond=0).isoformat(),
        "credentialSubject": {
            "id": subject_id(cert),
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": cert.recipient_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                    "identityHash": identity,
                },
            ],
            "achievement": {
                "id": base + reverse("learning:tier", args=[cert.tier.slug]),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": cert.credential,
                "description": cert.tier.summary,
                "criteria": {"narrative": CRITERIA.get(cert.tier.slug, "")},
            },
        },
        "evidence": [
            {
                "type": ["Evidence"],
                "id": verify_url(cert),
                "name": "Public verification page",
                "narrative": "Issued automatically when the requirements above were met.",
            }
        ],
    }


def signed_badge(cert: Certificate) -> str | None:
    """The credential as a VC-JWT compact JWS, or None when this installation does not sign.

    The payload is the credential itself with the claims OB 3.0 §8.2.4 requires: `iss` =
    `issuer.id`, `jti` = `id`, `nbf` = `validFrom`, `sub` = `credentialSubject.id`. There
    is no `exp` because the credential has no `validUntil`: certificates do not expire.
    """
    key = signing.signing_key()
    if key is None:
        return None
    credential = open_badge(cert)
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(cert.issued_at.replace(microsecond=0).timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    return signing.compact_jws({**credential, **claims}, key)


def certificate_pdf(cert: Certificate) -> bytes:
    return render_pdf(
        "learning/certificate_pdf.html", {"cert": cert, "verify_url": verify_url(cert)}
    )
