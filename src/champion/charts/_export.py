"""Offline export of Vega-Lite specs (SVG, PNG, PDF) and the browser bundle.

Both go through vl-convert, which embeds Vega, Vega-Lite and a JavaScript
engine: no browser, no Node, no network. Specs are rendered with external data
loading disabled, so a spec built from user input cannot make the server fetch
a URL.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import vl_convert

from ._input import ChartError

__all__ = [
    "EXPORT_FORMATS",
    "VEGA_LITE_VERSION",
    "bundle_versions",
    "export",
    "vega_embed_bundle",
    "warm_up",
]

# Pinned so that a vl-convert upgrade (whose default is the newest, v6) does not
# silently change how our v6 specs render.
VEGA_LITE_VERSION = "6.1"
EXPORT_FORMATS = ("svg", "png", "pdf")


@functools.lru_cache(maxsize=128)
def _svg(text: str) -> str:
    """A spec's SVG, kept per process by the spec's exact text: drawing a chart costs about
    half a second, and a page showing one (a project's result chart) is opened far more often
    than its data change; any change of data, notes or settings changes the spec, so a kept
    drawing is never stale. A spec that cannot be drawn raises and is not kept."""
    return vl_convert.vegalite_to_svg(text, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])


def warm_up() -> bool:
    """Start the drawing engine in this process by drawing a tiny chart: its first drawing
    costs about half a second (the embedded JavaScript engine starting), later ones a tenth
    of that. A web worker calls it as it starts (`champion serve`), so no person waits for
    it. Returns whether it drew; a failure here is left for the first real chart to report."""
    tiny = {"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}}
    try:
        return _svg(json.dumps(tiny)).lstrip().startswith("<svg")
    except Exception:
        return False


def export(spec: Mapping[str, Any], fmt: str, *, scale: float = 2.0) -> bytes:
    """Render a Vega-Lite spec to ``"svg"``, ``"png"`` or ``"pdf"`` bytes.

    Parameters
    ----------
    spec
        A Vega-Lite v6 spec, e.g. from :func:`spc_spec`.
    fmt
        ``"svg"`` (UTF-8 text), ``"png"`` or ``"pdf"``.
    scale
        Resolution factor for PNG (2 gives crisp images on high-density
        screens and in printed reports); SVG and PDF are vector.

    Raises
    ------
    ChartError
        For an unknown format, a spec that is not a JSON object, or a spec
        Vega-Lite cannot render.
    """
    fmt_key = str(fmt).lower().lstrip(".")
    if fmt_key not in EXPORT_FORMATS:
        raise ChartError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if not isinstance(spec, Mapping):
        raise ChartError(f"a chart spec must be a dict, not {type(spec).__name__}")
    try:
        text = json.dumps(spec, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ChartError(f"the chart spec is not valid JSON: {exc}") from exc
    # allowed_base_urls=[] forbids any external data request during rendering.
    try:
        if fmt_key == "svg":
            return _accessible_svg(_svg(text), spec).encode("utf-8")
        if fmt_key == "png":
            return vl_convert.vegalite_to_png(
                text, vl_version=VEGA_LITE_VERSION, scale=scale, allowed_base_urls=[]
            )
        # vl-convert 1.8 ignores (and warns about) scale for PDF: it is vector.
        return vl_convert.vegalite_to_pdf(text, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])
    except ValueError as exc:
        raise ChartError(f"the chart could not be rendered: {exc}") from exc


def _accessible_svg(svg: str, spec: Mapping[str, Any]) -> str:
    """Give an exported SVG the spec's title and description, as a screen reader expects.

    vega-embed does this in the browser; the offline renderer does not, and an
    SVG pasted into a report would otherwise be announced as nothing at all.
    """
    title = spec.get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    description = spec.get("description")
    if not title and not description:
        return svg
    match = re.match(r"\s*<svg\b[^>]*>", svg)
    if match is None:
        return svg
    label = str(description or title)
    open_tag = match.group(0)[:-1] + f' role="img" aria-label={quoteattr(label)}>'
    inner = ""
    if title:
        inner += f"<title>{escape(str(title))}</title>"
    if description:
        inner += f"<desc>{escape(str(description))}</desc>"
    return open_tag + inner + svg[match.end() :]


@functools.cache
def vega_embed_bundle() -> str:
    """The JavaScript that lets a browser render our specs with no CDN.

    One self-contained ES module-free script (about 0.9 MB) containing
    vega-embed, Vega-Lite (the pinned :data:`VEGA_LITE_VERSION`) and Vega with
    their dependencies, built by ``vl_convert.javascript_bundle()``. Loaded in a
    ``<script>`` tag it defines ``window.vegaEmbed``, ``window.vegaLite`` and
    ``window.vega``; then ``vegaEmbed("#chart", spec)`` draws a spec. The
    web app writes it to its static files (it is cached here because building
    it takes about a second).
    """
    # The type stub marks `snippet` as required, but the function's default
    # snippet is the one we want: it assigns the three globals.
    return vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)  # type: ignore[call-arg]


def bundle_versions() -> dict[str, str]:
    """The library versions inside :func:`vega_embed_bundle`.

    The web app puts them in the static file's name, so a vl-convert upgrade
    gives browsers a new URL instead of a stale cached script.
    """
    return {
        "vega": vl_convert.get_vega_version(),
        "vega-lite": VEGA_LITE_VERSION,
        "vega-embed": vl_convert.get_vega_embed_version(),
    }
