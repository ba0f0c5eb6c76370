"""What the search index reads of a plan: its head (title and disclosure facts) and its body split into sections.

A section runs from one heading to the next, whatever their levels, and is named by the heading's id on the plan
page, so a result can link straight to it. Ids are computed the way the page computes them: the page's h1 (the
plan title) comes first, then every body heading, made unique by `planpub.anchors.unique_slugs`; a heading with
an explicit `{#id}` keeps that id. Markdown syntax is removed so that only the text a reader sees is searched.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass

from planpub.anchors import unique_slugs
from planpub.plan import Plan
from planpub.regions import RegionTree
from planpub.schema import FIELDS_BY_KEY


@dataclass(frozen=True)
class Section:
    anchor: str | None
    """The heading's id on the plan page; None for the text before the first heading."""
    heading: str
    text: str
    """Paragraphs separated by newlines."""
    level: int = 0
    """The heading's level (2 for `##`); 0 for the text before the first heading."""


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


# A fence or an ATX heading line; planpub.portal.headings reads headings with the same patterns.
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# Every pattern here runs on every line of hostile text: none may backtrack more than linearly. Runs of white space
# are taken possessively (`\s*+`), and a span between delimiters never crosses an opening delimiter, so that a
# line of 300,000 spaces or of `[a](` repeated costs what its length costs.
ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s++((?:\s*+\S)*+))?\s*+$")
_CLOSING_HASHES = re.compile(r"(?<!\s)\s++#++$")
_EXPLICIT_ID = re.compile(r"(?:^|\s)#([\w-]+)")
_TABLE_RULE = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")
_THEMATIC_BREAK = re.compile(r"^\s{0,3}([-*_])(?:\s*+\1){2,}+\s*+$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_ADMONITION = re.compile(r'^\s*+(?:!!!|\?\?\?\+?)\s*+[\w-]++(?:\s++"([^"]*+)")?\s*+$')
_BLOCK_PREFIX = re.compile(r"^\s*+(?:>\s*+)++|^\s*+(?:[-*+]|\d{1,9}[.)])\s++(?:\[[ xX]\]\s++)?")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_IMAGE = re.compile(r"!\[([^\[\]]*+)\]\([^)\[]*+\)")
_LINK = re.compile(r"\[([^\[\]]++)\]\([^)\[]*+\)|\[([^\[\]]++)\]\[[^\[\]]*+\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]++)>")
_DROPPED_OPEN = re.compile(r"<(script|style|template)\b", re.IGNORECASE)
_DROPPED_CLOSE = {tag: re.compile(rf"</{tag}\s*+>", re.IGNORECASE) for tag in ("script", "style", "template")}
_TAG = re.compile(r"</?[A-Za-z][^<>]*+>")
_EMPHASIS = re.compile(r"\*+|_{2,}|~~|`+|(?<![\w])_|_(?![\w])")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Stands in for an escaped character while the markup around it is removed.
_HOLD = "\x00"
_MARKUP = re.compile(r"[\\`*_\[\]<>&~]")


def _without_dropped_html(text: str) -> str:
    """The text without its script, style and template elements. An element without its closing tag is kept: a
    regular expression would look for the closing tag once from every opening tag."""
    lasts = {tag: max((m.end() for m in close.finditer(text)), default=-1) for tag, close in _DROPPED_CLOSE.items()
             if f"/{tag}" in text.lower()}
    if not lasts:
        return text
    kept: list[str] = []
    position = start = 0
    while True:
        opening = _DROPPED_OPEN.search(text, position)
        if opening is None:
            break
        tag = opening.group(1).lower()
        if lasts.get(tag, -1) <= opening.end():
            position = opening.end()
            continue
        closing = _DROPPED_CLOSE[tag].search(text, opening.end())
        assert closing is not None
        kept.append(text[start:opening.start()])
        position = start = closing.end()
    kept.append(text[start:])
    return "".join(kept)


def _without_comments(text: str) -> str:
    """The text without HTML comments; an unclosed one is kept, as Python-Markdown keeps it."""
    kept: list[str] = []
    start = 0
    while True:
        opening = text.find("<!--", start)
        closing = text.find("-->", opening + 4) if opening >= 0 else -1
        if closing < 0:
            break
        kept.append(text[start:opening])
        start = closing + 3
    kept.append(text[start:])
    return "".join(kept) if start else text


def _attr_list(text: str) -> tuple[int, str] | None:
    """Where a heading's trailing `{: #id .class}` begins and what is inside it, as Python-Markdown's attr_list
    finds it: the last `{…}` at the end of the text with no `}` inside. Found by hand: a regular expression
    searching for it from every `{` of a line of braces takes the square of its length."""
    stripped = text.rstrip()
    if not stripped.endswith("}"):
        return None
    close = len(stripped) - 1
    opening = stripped.find("{", stripped.rfind("}", 0, close) + 1, close)
    if opening < 0:
        return None
    start = opening
    while start > 0 and text[start - 1].isspace():
        start -= 1
    inner = stripped[opening + 1:close]
    return start, inner.removeprefix(":").lstrip()


def inline_text(markdown: str) -> str:
    """Inline Markdown as a reader sees it: no emphasis marks, links reduced to their text, no tags."""
    if not _MARKUP.search(markdown):
        return markdown.strip()
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(1))
        return _HOLD

    text = _ESCAPE.sub(hold, markdown)
    text = _AUTOLINK.sub(r"\1", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    if "<" in text:
        text = _TAG.sub("", _without_comments(_without_dropped_html(text)))
    text = _EMPHASIS.sub("", text)
    parts = iter(held)
    text = re.sub(_HOLD, lambda _: next(parts), text)
    return html.unescape(text).strip()


def _join_lines(lines: list[str]) -> str:
    """One paragraph from its source lines; a line break between two Chinese characters is not a space."""
    pieces = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        if not (_CJK.match(previous[-1]) and _CJK.match(line[0])):
            pieces.append(" ")
        pieces.append(line)
    return "".join(pieces)


# The first visible character of every line that can be more than a line of paragraph text; any other line is
# looked at no further, which is most of a plan.
_FENCE_STARTS = frozenset("`~")
_RULE_STARTS = frozenset("|:-*_")
_ADMONITION_STARTS = frozenset("!?")
_PREFIX_STARTS = frozenset(">-*+")


def _block_line(line: str, first: str) -> tuple[str | None, bool]:
    """A body line, whose first visible character is `first`, reduced to its text (None for lines that show none,
    such as rules and table delimiters), and whether it begins a block of its own: a list item, a quote, a table
    row or an admonition title."""
    if first in _RULE_STARTS and (_TABLE_RULE.match(line) or _THEMATIC_BREAK.match(line)):
        return None, True
    if first == "[" and _LINK_DEFINITION.match(line):
        return None, True
    if first in _ADMONITION_STARTS:
        admonition = _ADMONITION.match(line)
        if admonition:
            return admonition.group(1) or None, True
    prefix = _BLOCK_PREFIX.match(line) if first in _PREFIX_STARTS or first.isdecimal() else None
    stripped = line[prefix.end():] if prefix else line
    if "|" in stripped and (stripped.lstrip().startswith("|") or stripped.rstrip().endswith("|")):
        cells = [inline_text(cell) for cell in stripped.strip().strip("|").split("|")]
        return " ".join(c for c in cells if c), True
    return inline_text(stripped), prefix is not None


def _paragraph(lines: list[str]) -> str:
    return lines[0] if len(lines) == 1 else _join_lines(lines)


@dataclass
class _Part:
    """The text from one heading to the next, as read so far."""

    heading_markdown: str | None
    explicit_id: str | None
    level: int
    paragraphs: list[str]


def heading_parts(match: re.Match[str]) -> tuple[str, str | None]:
    """An `ATX` match as the heading's Markdown text and its explicit `{#id}`, if it has one."""
    text = match.group(2) or ""
    if "#" in text:
        text = _CLOSING_HASHES.sub("", text)
    explicit = None
    attrs = _attr_list(text) if "}" in text else None
    if attrs:
        found = _EXPLICIT_ID.search(attrs[1])
        explicit = found.group(1) if found else None
        text = text[: attrs[0]]
    return text, explicit


def _read_parts(body: str) -> list[_Part]:
    """The body cut at its headings, each part's text as paragraphs of visible text."""
    # One loop with the open paragraph in locals: this runs once per line of every plan on each build.
    paragraphs: list[str] = []
    parts = [_Part(None, None, 0, paragraphs)]
    lines: list[str] = []
    fence: str | None = None
    for raw in body.splitlines():
        visible = raw.lstrip()
        first = visible[:1]
        fence_match = FENCE.match(raw) if first in _FENCE_STARTS else None
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
                if lines:
                    paragraphs.append(_paragraph(lines))
                    lines = []
            elif visible:
                lines.append(visible.rstrip())
            continue
        if fence_match:
            fence = fence_match.group(1)
            if lines:
                paragraphs.append(_paragraph(lines))
                lines = []
            continue
        if not visible:
            if lines:
                paragraphs.append(_paragraph(lines))
                lines = []
            continue
        heading = ATX.match(raw) if first == "#" else None
        if heading:
            if lines:
                paragraphs.append(_paragraph(lines))
                lines = []
            text, explicit = heading_parts(heading)
            paragraphs = []
            parts.append(_Part(text, explicit, len(heading.group(1)), paragraphs))
            continue
        line, starts_block = _block_line(raw, first)
        if starts_block and lines:
            paragraphs.append(_paragraph(lines))
            lines = []
        if line:
            lines.append(line)
    if lines:
        paragraphs.append(_paragraph(lines))
    return parts


def split_sections(title: str, body: str) -> list[Section]:
    """The body's sections in page order, each with the id its heading has on the plan page."""
    parts = _read_parts(body)
    headings = [inline_text(p.heading_markdown) for p in parts[1:] if p.heading_markdown is not None]
    implicit = iter(unique_slugs([title] + [h for h, p in zip(headings, parts[1:], strict=True)
                                            if p.explicit_id is None])[1:])
    sections = []
    if parts[0].paragraphs:
        sections.append(Section(None, "", "\n".join(parts[0].paragraphs)))
    for heading_text, part in zip(headings, parts[1:], strict=True):
        anchor = part.explicit_id or next(implicit)
        sections.append(Section(anchor, heading_text, "\n".join(part.paragraphs), part.level))
    return sections


def plan_sections(plan: Plan) -> list[Section]:
    return split_sections(plan.title, plan.body)


# The disclosure facts a search looks in besides the title, in the order a result shows a matching one.
HEAD_FIELDS = ("summary", "keywords", "topics", "issuer", "doc_number", "index_no", "category")


def plan_facts(plan: Plan, tree: RegionTree, region_key: str) -> list[Fact]:
    """The plan's metadata as searchable text: its disclosure facts and the names of its region and the regions
    above it."""
    facts: list[Fact] = []
    for key in HEAD_FIELDS:
        value = getattr(plan, key)
        if isinstance(value, tuple):
            value = "、".join(value)
        if value:
            facts.append(Fact(FIELDS_BY_KEY[key].label, str(value)))
    facts.append(Fact(FIELDS_BY_KEY["region"].label, " ".join(r.name for r in tree.path(region_key))))
    return facts
