"""Lesson figures: the ```figure fenced block (YAML inside), checked and rendered to HTML.

Two forms (docs/content-format.md, "Figures"):

- a chart drawn by `champion.spc` from the block's own data (`chart`, `y`, ...), so what the
  lesson shows is what the engine computes;
- a drawn diagram, an SVG file in the module's `figures/` folder (`svg: name.svg`), checked
  against the figure rules and re-written from an allow-list of elements and attributes, so
  nothing but drawing reaches the page.

Both render as `<figure class="lesson-figure">` with the SVG (role="img", labelled by the
figure's `alt`) and a `<figcaption>`. No Django here: `content check` runs without settings.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from champion.learning.content import yamlines

Report = Callable[[int, str], None]

FIGURE_INFO = "figure"
CHART_FIELDS = {"chart", "y", "x", "n", "freeze", "parts", "cl", "rules", "title"}
SVG_FIELDS = {"svg"}
COMMON_FIELDS = {"alt", "caption"}
MAX_VIEWBOX_WIDTH = 480
MAX_SVG_BYTES = 15_000

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

#: Elements a drawn diagram may use (local names, SVG namespace).
SVG_ELEMENTS = {
    "svg", "g", "title", "desc", "defs", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "path", "text", "tspan", "marker", "use", "symbol", "linearGradient",
    "radialGradient", "stop", "clipPath",
}  # fmt: skip
#: Presentation attributes kept when the SVG is inlined (anything else is dropped).
SVG_ATTRIBUTES = {
    "id", "class", "viewBox", "preserveAspectRatio", "x", "y", "x1", "x2", "y1", "y2", "cx",
    "cy", "r", "rx", "ry", "width", "height", "d", "points", "transform", "fill",
    "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "opacity", "font-family",
    "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "alignment-baseline", "letter-spacing", "dx", "dy", "rotate", "textLength", "markerWidth",
    "markerHeight", "refX", "refY", "orient", "markerUnits", "marker-start", "marker-mid",
    "marker-end", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "clip-path", "clipPathUnits", "href", "role", "aria-hidden", "aria-label", "vector-effect",
    "paint-order", "lang", "xml:space", "fx", "fy", "spreadMethod",
}  # fmt: skip
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "image", "iframe", "object", "embed", "a"}


@dataclass
class Figure:
    """One figure block: its line in the lesson file and its rendered HTML ("" if broken)."""

    line: int
    html: str


def figure_blocks(markdown: str) -> list[tuple[str, int]]:
    """The YAML text of every ```figure block, with the 0-based line its content starts on."""
    from champion.learning.content.markdown import parser

    return [
        (token.content, token.map[0] + 1 if token.map else 0)
        for token in parser().parse(markdown)
        if token.type == "fence" and token.info.strip() == FIGURE_INFO
    ]


def read_figures(markdown: str, body_line: int, folder: Path, report: Report) -> list[Figure]:
    """Check every figure block of a lesson and render it; problems go to `report(line, msg)`."""
    figures = []
    for text, offset in figure_blocks(markdown):
        # Line numbers in the YAML are those of the lesson file.
        first = body_line + offset
        try:
            data = yamlines.load("\n" * (first - 1) + text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            report(mark.line + 1 if mark else first, f"figure: not valid YAML: {exc}")
            figures.append(Figure(first, ""))
            continue
        line = first - 1
        figures.append(Figure(line, check_figure(data, folder, report, line)))
    return figures


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_figure(data: Any, folder: Path, report: Report, line: int = 0) -> str:
    """The figure's HTML, or "" after reporting why it cannot be drawn."""
    if not isinstance(data, dict):
        report(line, "figure: the block holds YAML fields (chart or svg, alt, caption)")
        return ""
    start = yamlines.line_in(data) or line
    is_chart, is_svg = "chart" in data, "svg" in data
    if is_chart == is_svg:
        report(start, "figure: give either 'chart' (drawn from data) or 'svg' (a drawn file)")
        return ""
    allowed = COMMON_FIELDS | (CHART_FIELDS if is_chart else SVG_FIELDS)
    ok = True
    for name in sorted(set(data) - allowed):
        report(yamlines.line_in(data, name), f"figure has an unknown field {name!r}")
        ok = False
    for name in ("alt", "caption"):
        if not _text(data.get(name)):
            report(
                yamlines.line_in(data, name) or start,
                f"figure is missing {name!r}: "
                + (
                    "say what the figure shows, for people who cannot see it"
                    if name == "alt"
                    else "say what to learn from it"
                ),
            )
            ok = False
    if "title" in data and not _text(data["title"]):
        report(yamlines.line_in(data, "title"), "figure: 'title' must be non-empty text")
        ok = False
    if is_chart:
        from champion.learning.content.schema import check_chart_data

        errors: list[tuple[int, str]] = []
        check_chart_data(data, lambda ln, msg: errors.append((ln, msg)), rules_optional=True)
        for ln, msg in errors:
            report(ln, f"figure: {msg}")
        if errors or not ok:
            return ""
        from champion.learning.services.chart_svg import lesson_chart_svg

        svg = lesson_chart_svg(dict(data), alt=data["alt"].strip())
        title = str(data.get("title") or "").strip()
        heading = f'<p class="figure-title">{html.escape(title)}</p>' if title else ""
        return _figure_html(heading + svg, data["caption"], "lesson-figure chart")
    name = data.get("svg")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9._-]*\.svg", name):
        report(
            yamlines.line_in(data, "svg"),
            f"figure: svg {name!r} must be a file name like swiss-cheese.svg (lowercase, no folders)",
        )
        return ""
    path = folder / "figures" / name
    if not path.is_file():
        report(yamlines.line_in(data, "svg"), f"figure: figures/{name} does not exist")
        return ""
    problems: list[str] = []
    drawn = clean_svg(path.read_bytes(), problems, alt=str(data.get("alt") or "").strip())
    for problem in problems:
        report(yamlines.line_in(data, "svg"), f"figure: figures/{name}: {problem}")
    if problems or not ok or drawn is None:
        return ""
    return _figure_html(drawn, data["caption"], "lesson-figure diagram")


def _figure_html(svg: str, caption: str, css: str) -> str:
    from champion.learning.content.markdown import render_inline

    return (
        f'<figure class="{css}">{svg}'
        f"<figcaption>{render_inline(caption.strip())}</figcaption></figure>"
    )


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _viewbox(value: str | None) -> list[float] | None:
    if not value:
        return None
    try:
        parts = [float(v) for v in re.split(r"[\s,]+", value.strip())]
    except ValueError:
        return None
    return parts if len(parts) == 4 and parts[2] > 0 and parts[3] > 0 else None


def clean_svg(raw: bytes, problems: list[str], *, alt: str, prefix: str = "") -> str | None:
    """Check a drawn SVG against the figure rules; return it re-written for inlining.

    Problems are appended to `problems` (the SVG is then not used). The output keeps only
    allow-listed elements and attributes, labels the root with role="img" and the alt text,
    and prefixes ids so two figures on one page cannot collide.
    """
    if len(raw) > MAX_SVG_BYTES:
        problems.append(f"is {len(raw) // 1000} KB; keep a figure under 15 KB")
    if re.search(rb"<!DOCTYPE|<!ENTITY", raw, re.IGNORECASE):
        problems.append("has a DOCTYPE or ENTITY declaration; remove it")
        return None
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        problems.append(f"is not well-formed XML ({exc})")
        return None
    ns, name = _local(root.tag)
    if name != "svg" or ns != SVG_NS:
        problems.append('the root must be <svg xmlns="http://www.w3.org/2000/svg" ...>')
        return None
    box = _viewbox(root.get("viewBox"))
    if box is None:
        problems.append('the root <svg> needs a viewBox="0 0 W H"')
    elif box[2] > MAX_VIEWBOX_WIDTH:
        problems.append(
            f"the viewBox is {box[2]:g} wide; draw it at most {MAX_VIEWBOX_WIDTH} wide "
            "(compact or vertical) so it reads on a phone"
        )
    for attribute in ("width", "height"):
        if attribute in root.attrib:
            problems.append(
                f"remove the {attribute} attribute from the root <svg> (the viewBox scales it)"
            )
    seen: set[str] = set()
    for element in root.iter():
        ens, local = _local(element.tag) if isinstance(element.tag, str) else ("", "")
        if not local:
            continue
        if local in FORBIDDEN_ELEMENTS or ens != SVG_NS:
            message = f"<{local}> is not allowed in a figure"
            if message not in seen:
                problems.append(message)
                seen.add(message)
            continue
        for key, value in element.attrib.items():
            _, attr = _local(key)
            if attr.lower().startswith("on"):
                problems.append(f"<{local}> has an event handler {attr}=; remove it")
            elif attr == "href" and not value.startswith("#"):
                problems.append(f"<{local}> links outside the file (href={value!r})")
            elif "url(" in value.replace(" ", "") and not re.fullmatch(
                r"\s*url\(\s*#[\w.-]+\s*\)\s*", value
            ):
                problems.append(f"<{local}> {attr}= refers outside the file")
            elif attr == "style" and re.search(r"url\(|@import|expression", value, re.I):
                problems.append(f"<{local}> style= refers outside the file")
    if root.get("role") != "img":
        problems.append('the root <svg> needs role="img"')
    if not any(_local(child.tag)[1] == "title" for child in root if isinstance(child.tag, str)):
        problems.append("the root <svg> needs a <title> (a short name for the figure)")
    problems.extend(_text_problems(root))
    if problems:
        return None
    out: list[str] = []
    _write(root, out, prefix or f"f{hashlib.sha256(raw).hexdigest()[:8]}-", alt, top=True)
    return "".join(out)


def _font_size(value: str) -> float | None:
    match = re.fullmatch(r"\s*([\d.]+)\s*(px)?\s*", value)
    return float(match.group(1)) if match else None


def _text_problems(root: ET.Element) -> list[str]:
    """Text readable on a phone: font-size >= 15 and a sans-serif system font, set on the text
    or inherited from a group or the root."""
    found: list[str] = []

    def walk(element: ET.Element, size: str | None, family: str | None) -> None:
        size = element.get("font-size", size)
        family = element.get("font-family", family)
        local = _local(element.tag)[1] if isinstance(element.tag, str) else ""
        if local == "text" and "".join(element.itertext()).strip():
            words = "".join(element.itertext()).strip()[:30]
            value = _font_size(size) if size is not None else None
            if size is not None and (value is None or value < 15):
                found.append(f"text {words!r} has font-size {size}; use 15 or more")
            if family is None or "sans-serif" not in family:
                found.append(
                    f'text {words!r} needs font-family="system-ui, sans-serif" '
                    "(on the text, a group or the root)"
                )
        for child in element:
            if isinstance(child.tag, str):
                walk(child, size, family)

    walk(root, None, None)
    return found[:5]


def _attr_value(value: str, prefix: str) -> str:
    return re.sub(r"url\(\s*#", f"url(#{prefix}", value)


def _write(element: ET.Element, out: list[str], prefix: str, alt: str, top: bool) -> None:
    _, local = _local(element.tag)
    if local not in SVG_ELEMENTS:
        return  # dropped with its content (already reported if forbidden)
    attrs: list[tuple[str, str]] = []
    for key, value in element.attrib.items():
        ns, attr = _local(key)
        if ns == XLINK_NS and attr == "href":
            attr = "href"
        elif ns == "http://www.w3.org/XML/1998/namespace":
            attr = f"xml:{attr}"
        elif ns:
            continue
        if attr not in SVG_ATTRIBUTES or (top and attr in ("width", "height", "role")):
            continue
        if attr == "id":
            value = prefix + value
        elif attr == "href":
            value = "#" + prefix + value[1:]
        else:
            value = _attr_value(value, prefix)
        attrs.append((attr, value))
    if top:
        attrs = [("role", "img"), ("aria-label", alt), *attrs]
    if local == "style":
        return
    text = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs)
    out.append(f"<{local}{text}>")
    if element.text and local in ("title", "desc", "text", "tspan"):
        out.append(html.escape(element.text, quote=False))
    for child in element:
        if isinstance(child.tag, str):
            _write(child, out, prefix, alt, top=False)
        if child.tail and local in ("text", "tspan"):
            out.append(html.escape(child.tail, quote=False))
    out.append(f"</{local}>")
