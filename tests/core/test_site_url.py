"""Links in e-mails and certificates use the address the site is served at."""

from __future__ import annotations

import socket

from champion.cli import site_url


def test_the_served_address_is_the_link_address():
    assert site_url("127.0.0.1", "8000") == "http://127.0.0.1:8000"
    assert site_url("10.1.2.3", "8080") == "http://10.1.2.3:8080"


def test_a_wildcard_bind_is_reached_by_the_machines_name():
    assert site_url("0.0.0.0", "8000") == f"http://{socket.getfqdn()}:8000"


def test_an_ipv6_address_is_bracketed():
    assert site_url("::1", "8000") == "http://[::1]:8000"
