"""A real SAML 2.0 identity provider for the tests, on loopback in a thread.

Built on pysaml2's own identity-provider side (`saml2.server.Server`), with a key and a
self-signed certificate made for the test run: it publishes its metadata, reads our
AuthnRequest (HTTP-Redirect binding), signs the configured person in at once and answers
with the usual auto-posting form (HTTP-POST binding). Tests set `person` and break things
on purpose: `sign_assertion=False`, `audience` (another service provider's entity id),
`sign_with_rogue_key`.
"""

from __future__ import annotations

import datetime
import re
import shutil
import threading
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server

XMLSEC_MISSING = (
    "The SAML tests need the xmlsec1 program (pysaml2 checks XML signatures with it) and "
    "it is not installed. Install it: apt-get install xmlsec1 (.ci/run does)."
)


def make_key_and_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class SamlIdentityProvider:
    def __init__(self, directory: Path) -> None:
        xmlsec = shutil.which("xmlsec1")
        if xmlsec is None:
            raise RuntimeError(XMLSEC_MISSING)
        self.xmlsec = xmlsec
        self.key, self.cert = make_key_and_certificate(directory, "idp")
        self.rogue_key, self.rogue_cert = make_key_and_certificate(directory, "rogue")
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.entity_id = f"{self.base}/metadata"
        self.metadata = create_metadata_string(None, config=self._config(self.key, self.cert))
        self.sp_metadata = ""
        self.reset()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self) -> None:
        self.person: dict[str, Any] = {}
        self.sign_assertion = True
        self.audience: str | None = None
        self.sign_with_rogue_key = False
        self.release_attributes = True

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _config(self, key: Path, cert: Path, sp_metadata: str = "") -> IdPConfig:
        config: dict[str, Any] = {
            "entityid": self.entity_id,
            "xmlsec_binary": self.xmlsec,
            "key_file": str(key),
            "cert_file": str(cert),
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)
                        ]
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                }
            },
        }
        if sp_metadata:
            config["metadata"] = {"inline": [sp_metadata]}
        idp = IdPConfig()
        idp.load(config)
        return idp

    # The WSGI app -----------------------------------------------------------------------

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata if isinstance(self.metadata, bytes) else self.metadata.encode()]
        if path == "/sso/redirect":
            query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
            html = self.answer(query["SAMLRequest"], query.get("RelayState", ""))
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [html.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def answer(self, saml_request: str, relay_state: str) -> str:
        key, cert = (
            (self.rogue_key, self.rogue_cert) if self.sign_with_rogue_key else (self.key, self.cert)
        )
        server = Server(config=self._config(key, cert, self.sp_metadata))
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        args = server.response_args(request.message, [BINDING_HTTP_POST])
        if self.audience:
            args["sp_entity_id"] = self.audience
        email = self.person.get("email", "someone@test.example")
        identity = {k: [v] for k, v in self.person.items()} if self.release_attributes else {}
        response = server.create_authn_response(
            identity,
            userid=email,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=self.sign_assertion,
            sign_response=False,
            **args,
        )
        http = server.apply_binding(
            BINDING_HTTP_POST, str(response), args["destination"], relay_state, response=True
        )
        return str(http["data"])


def posted_form(html: str) -> tuple[str, dict[str, str]]:
    """The auto-posting form's action and fields, as a browser would send them."""
    action = re.search(r'<form[^>]*action="([^"]+)"', html)
    fields = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
    assert action, html
    return unescape(action.group(1)), {name: unescape(value) for name, value in fields}
