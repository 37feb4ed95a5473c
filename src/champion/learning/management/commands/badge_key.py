"""`champion manage badge_key`: make an Open Badges signing key, or show the configured one.

generate [--type rsa|p256|ed25519]   print a new private key (PEM) on stdout, nothing else
public                               print the signing key's public key (PEM), for
                                     BADGE_RETIRED_KEYS when the key is rotated
show                                 say whether credentials are signed, with which key
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from champion.learning.services import signing


class Command(BaseCommand):
    help = "Make an Open Badges signing key (generate), or print the configured one's public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate", "public", "show"])
        parser.add_argument(
            "--type",
            choices=signing.KEY_TYPES,
            default="rsa",
            help="rsa (RS256, the algorithm every Open Badges 3.0 verifier supports; default), "
            "p256 (ES256) or ed25519 (EdDSA)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate":
            # The key alone on stdout, so `> key.pem` or a secrets-manager pipe gets exactly it.
            self.stdout.write(signing.generate_private_key_pem(options["type"]), ending="")
            return
        key = signing.signing_key()
        if key is None:
            if options["action"] == "public":
                raise CommandError("No signing key: BADGE_SIGNING_KEY is not set.")
            self.stdout.write("Credentials are served unsigned: BADGE_SIGNING_KEY is not set.")
            return
        if options["action"] == "public":
            self.stdout.write(signing.public_key_pem(key), ending="")
            return
        self.stdout.write(f"Signing with {key.alg}; kid {signing.key_url(key)}")
        for retired in signing.published_keys()[1:]:
            self.stdout.write(f"Retired, still published: {signing.key_url(retired)}")
