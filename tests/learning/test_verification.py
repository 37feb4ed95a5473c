"""The public verification page, PDF and Open Badge show nothing private; unknown ids are 404."""

from __future__ import annotations

import json


def test_anyone_can_verify_without_signing_in_and_sees_only_name_credential_date(client, cert):
    page = client.get(f"/verify/{cert.public_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Mia Member" in text
        and "PI Champion Foundation" in text
        and cert.issued_at.strftime("%Y") in text
    )
    for private in ("member@test.example", "Ward A", "North Hospital", "quiz", "Sign out"):
        assert private not in text


def test_unknown_or_guessed_ids_are_not_found(client, cert):
    for guess in ("1", "abc", cert.public_id[:-1], cert.public_id + "x"):
        assert client.get(f"/verify/{guess}/").status_code == 404
        assert client.get(f"/verify/{guess}/credential.json").status_code == 404


def test_the_open_badge_is_an_open_badge_credential(client, cert):
    badge = json.loads(client.get(f"/verify/{cert.public_id}/credential.json").content)
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://www.w3.org/ns/credentials/v2" in badge["@context"]
    assert badge["issuer"]["name"] == "Testshire Health"
    assert badge["validFrom"].startswith(cert.issued_at.strftime("%Y-%m-%d"))
    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["name"] == "PI Champion Foundation" and achievement["criteria"]["narrative"]
    assert badge["id"].endswith(f"/verify/{cert.public_id}/credential.json")
    assert "member@test.example" not in json.dumps(badge)  # the e-mail is only a salted hash
    assert "ASQ" not in json.dumps(badge).replace("not an ASQ", "")


def test_the_pdf_is_a_pdf(client, cert):
    response = client.get(f"/verify/{cert.public_id}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_private_certificate_page_follows_visibility(cert, world, client_for):
    url = f"/learn/certificates/{cert.pk}/"
    assert client_for(world.member).get(url).status_code == 200
    assert client_for(world.leader).get(url).status_code == 200
    assert client_for(world.leader_elsewhere).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
