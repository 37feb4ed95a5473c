"""Lesson Markdown to safe HTML: markdown-it-py renders, nh3 sanitises, `lesson:` links resolve."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

LESSON_SCHEME = "lesson:"
TIER_SCHEME = "tier:"

_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"style"},
    "td": {"style"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "code": {"class"},
}


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"typographer": True}).enable(["table", "strikethrough"])


def lesson_links(markdown: str, scheme: str = LESSON_SCHEME) -> list[tuple[str, int]]:
    """Every `lesson:slug` (or `tier:slug`) link target in the text, with its 1-based line."""
    found: list[tuple[str, int]] = []
    for token in parser().parse(markdown):
        for child in token.children or []:
            href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
            if href.startswith(scheme):
                line = (token.map[0] + 1) if token.map else 0
                found.append((href[len(scheme) :], line))
    return found


def top_headings(markdown: str) -> list[int]:
    """Lines of level-1 headings: lessons start at `##` because the page owns the `#`."""
    return [
        (t.map[0] + 1 if t.map else 0)
        for t in parser().parse(markdown)
        if t.type == "heading_open" and t.tag == "h1"
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "section"


def render(
    markdown: str,
    lesson_url: Callable[[str], str] | None = None,
    figures: list[str] | None = None,
    tier_url: Callable[[str], str] | None = None,
) -> tuple[str, list]:
    """Safe HTML and an outline [(id, title)] of the `##` headings for an "on this page" list.

    `figures` holds the checked HTML of each ```figure block in order (see `figures.py`);
    it is put in after sanitising, since it is built by the platform, not typed as HTML.
    Without it (or for a figure that failed its check) the block is left out.
    """
    md = parser()
    tokens = md.parse(markdown)
    nonce = secrets.token_hex(8)
    placed: dict[str, str] = {}
    outline: list[tuple[str, str]] = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            inline: Token = tokens[index + 1]
            anchor = base = _slug(inline.content)
            counter = 2
            while anchor in used:
                anchor, counter = f"{base}-{counter}", counter + 1
            used.add(anchor)
            token.attrSet("id", anchor)
            if token.tag == "h2":
                outline.append((anchor, inline.content))
        if token.type == "fence" and token.info.strip() == "figure":
            marker = f"champion-figure-{nonce}-{len(placed)}"
            figure_list = figures or []
            placed[marker] = figure_list[len(placed)] if len(placed) < len(figure_list) else ""
            token.type, token.content = "paragraph_marker", marker
        for child in token.children or []:
            href = str(child.attrGet("href") or "")
            if child.type == "link_open" and href.startswith(LESSON_SCHEME) and lesson_url:
                child.attrSet("href", lesson_url(href[len(LESSON_SCHEME) :]))
            elif child.type == "link_open" and href.startswith(TIER_SCHEME) and tier_url:
                child.attrSet("href", tier_url(href[len(TIER_SCHEME) :]))
    md.add_render_rule(
        "paragraph_marker", lambda _self, tokens, idx, *_: f"<p>{tokens[idx].content}</p>\n"
    )
    html = sanitise(md.renderer.render(tokens, md.options, {}))
    for marker, figure in placed.items():
        html = html.replace(f"<p>{marker}</p>", figure)
    return html, outline


def sanitise(html: str) -> str:
    clean = nh3.clean(html, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})
    # Wide tables scroll inside their own box on a phone instead of widening the page.
    return clean.replace("<table>", '<div class="table-wrap"><table>').replace(
        "</table>", "</table></div>"
    )


def render_inline(markdown: str) -> str:
    """One line of Markdown (a caption) as safe inline HTML, without a wrapping paragraph."""
    return sanitise(parser().renderInline(markdown))


def render_text(markdown: str) -> str:
    """Short Markdown (instructions, explanations) without the outline."""
    return render(markdown)[0]
