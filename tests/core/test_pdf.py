"""Every PDF is drawn by one helper that fetches nothing but the platform's static files."""

from __future__ import annotations

import pytest

from champion.core import pdf


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "ftp://example.org/x.png",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///static/core/no-such-file.svg",
        "file://evil.example/static/core/logo.svg",
        "/static/core/logo.svg",
    ],
)
def test_anything_but_a_static_file_is_refused(url):
    with pytest.raises(pdf.RefusedFetch):
        pdf.fetch_static(url)


def test_a_static_file_and_inline_data_are_loaded():
    logo = pdf.fetch_static("file:///static/core/logo.svg")
    assert logo["string"].lstrip().startswith(b"<") and logo["mime_type"] == "image/svg+xml"
    inline = pdf.fetch_static("data:text/plain,hello")
    assert (inline.get("string") or inline["file_obj"].read()) == b"hello"


def test_a_page_naming_outside_resources_still_renders_without_fetching_them(monkeypatch):
    import weasyprint

    fetched: list[str] = []
    real = weasyprint.default_url_fetcher

    def spy(url, *args, **kwargs):
        fetched.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(weasyprint, "default_url_fetcher", spy)
    html = (
        '<link rel="stylesheet" href="https://example.org/x.css">'
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">'
        '<img src="/static/core/logo.svg"><p>Report</p>'
    )
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert fetched == []


def test_the_certificate_page_draws_its_logo_from_the_static_files(monkeypatch):
    served: list[str] = []
    real = pdf.fetch_static

    def spy(url, *args, **kwargs):
        result = real(url, *args, **kwargs)  # raises for anything refused
        served.append(url)
        return result

    monkeypatch.setattr(pdf, "fetch_static", spy)
    html = pdf.render_to_string(
        "learning/certificate_pdf.html",
        {"cert": {"credential": "PI Foundations", "recipient_name": "Jo"}, "verify_url": "x"},
    )
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert served == ["file:///static/core/logo.svg"]
