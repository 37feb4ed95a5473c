"""Open Badges 3.0 credentials and PDF certificates.

The credential is an *unsigned* OpenBadgeCredential (a W3C Verifiable Credential 2.0 data
model document): anyone can check it against the public verification page at its `id`,
but it carries no cryptographic proof. Signing (VC-JWT or Data Integrity) needs a key
management story the platform does not have yet.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from champion.learning.models import Certificate

CRITERIA = {
    "foundation": "Completed every Foundation lesson, passed every lesson quiz at 80 % or more "
    "(questions drawn at random from a bank), passed the graded hands-on exercises, and "
    "submitted a practical: a waste walk with one improvement idea, or a personal PDSA cycle.",
    "practitioner": "Holds the Foundation credential, completed every Practitioner lesson, and led "
    "a real improvement project (charter, family of measures, baseline run chart, cause "
    "analysis, at least three linked PDSA cycles, annotated chart, sustain plan, reflection) "
    "approved by an improvement coach.",
    "leader": "Holds the Foundation credential, completed every Leader lesson, and submitted a "
    "leadership portfolio (maturity self-assessment, strategy deployment, leader standard "
    "work, project sponsorship, change plan, action learning) approved by an improvement coach.",
}


def verify_url(cert: Certificate) -> str:
    return settings.SITE_URL + reverse("learning:verify", args=[cert.public_id])


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
            "id": base + "/",
            "type": ["Profile"],
            "name": cert.organisation_name or "PI Champion",
            "url": base + "/",
        },
        "validFrom": cert.issued_at.replace(microsecond=0).isoformat(),
        "credentialSubject": {
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


def certificate_pdf(cert: Certificate) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "learning/certificate_pdf.html", {"cert": cert, "verify_url": verify_url(cert)}
    )
    return HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
