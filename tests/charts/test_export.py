"""Offline export to SVG, PNG and PDF, and the browser bundle."""

from __future__ import annotations

import pytest

from champion.charts import (
    ChartError,
    bundle_versions,
    export,
    pareto_spec,
    spc_spec,
    vega_embed_bundle,
)


@pytest.fixture
def spec(p_chart):
    return spc_spec(p_chart, title="Pressure ulcers", annotations=[(6, "New mattresses")])


def test_svg_is_an_svg_document_with_the_title(spec):
    svg = export(spec, "svg")
    assert svg.lstrip().startswith(b"<svg")
    assert b"Pressure ulcers" in svg


def test_png_has_the_png_signature(spec):
    assert export(spec, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_pdf_has_the_pdf_signature(spec):
    assert export(spec, "pdf")[:5] == b"%PDF-"


def test_format_is_case_insensitive_and_may_have_a_dot(spec):
    assert export(spec, ".SVG").lstrip().startswith(b"<svg")


def test_pareto_exports(spec):
    assert export(pareto_spec({"a": 3, "b": 1}), "svg").lstrip().startswith(b"<svg")


def test_unknown_format_is_refused(spec):
    with pytest.raises(ChartError, match="unknown export format 'jpg'"):
        export(spec, "jpg")


def test_non_dict_spec_is_refused():
    with pytest.raises(ChartError, match="must be a dict"):
        export("not a spec", "svg")  # type: ignore[arg-type]


def test_spec_vega_lite_cannot_compile_is_a_chart_error():
    with pytest.raises(ChartError, match="could not be rendered"):
        export({"mark": "nonsense-mark", "data": {"values": []}}, "svg")


def test_external_data_is_never_fetched():
    remote = {"data": {"url": "http://127.0.0.1:9/data.csv"}, "mark": "point"}
    with pytest.raises(ChartError, match="not allowed"):
        export(remote, "svg")


def test_bundle_defines_vega_embed_globally():
    bundle = vega_embed_bundle()
    assert len(bundle) > 100_000
    assert "window.vegaEmbed" in bundle


def test_the_bundle_pairs_vega_lite_6_with_vega_6():
    # Vega-Lite 6 compiles to Vega 6 specs: the browser's Vega runs them without a
    # version-mismatch warning, and the page and the exports draw the same picture.
    versions = bundle_versions()
    assert versions["vega-lite"].startswith("6.") and versions["vega"].startswith("6.")
    assert set(versions) == {"vega", "vega-lite", "vega-embed"}


def test_svg_carries_the_title_and_description_for_screen_readers(p_chart):
    spec = spc_spec(p_chart, title="Ulcers & <sores>")
    svg = export(spec, "svg").decode()
    assert svg.startswith("<svg") and 'role="img"' in svg.split(">", 1)[0]
    assert "<title>Ulcers &amp; &lt;sores&gt;</title>" in svg
    assert "<desc>Ulcers &amp; &lt;sores&gt;. P chart" in svg


def test_warm_up_starts_the_engine_with_a_drawing_and_never_raises(monkeypatch):
    from champion.charts import _export, warm_up

    assert warm_up() is True  # a web worker calls it as it starts (champion serve)

    def broken(text):
        raise RuntimeError("no engine")

    monkeypatch.setattr(_export, "_svg", broken)
    assert warm_up() is False  # the worker still starts; the first chart reports the error
