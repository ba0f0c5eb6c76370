"""What the search index reads of a plan: its head (title and disclosure facts) and its body split into sections.

A section runs from one heading to the next, whatever their levels, and is named by the heading's id on the plan
page, so a result can link straight to it. Ids are computed the way the page computes them: the page's h1 (the
plan title) comes first, then every body heading, made unique by `planpub.anchors.unique_slugs`; a heading with
an explicit `{#id}` keeps that id. Markdown syntax is removed so that only the text a reader sees is searched.
"""

from __future__ import annotations

import html
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


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*$")
_CLOSING_HASHES = re.compile(r"\s+#+$")
_ATTR_LIST = re.compile(r"\s*\{:?\s*([^}]*)\}\s*$")
_EXPLICIT_ID = re.compile(r"(?:^|\s)#([\w-]+)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_THEMATIC_BREAK = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"([^"]*)")?\s*$')
_BLOCK_PREFIX = re.compile(r"^\s*(?:>\s*)+|^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_DROPPED_HTML = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"\*+|_{2,}|~~|`+|(?<![\w])_|_(?![\w])")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Stands in for an escaped character while the markup around it is removed.
_HOLD = "\x00"
_MARKUP = re.compile(r"[\\`*_\[\]<>&~]")


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
    text = _DROPPED_HTML.sub("", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    parts = iter(held)
    text = re.sub(_HOLD, lambda _: next(parts), text)
    return html.unescape(text).strip()


def _join_lines(lines: list[str]) -> str:
    """One paragraph from its source lines; a line break between two Chinese characters is not a space."""
    text = ""
    for line in lines:
        if text and not (_CJK.match(text[-1]) and _CJK.match(line[0])):
            text += " "
        text += line
    return text


def _block_line(line: str) -> tuple[str | None, bool]:
    """A body line reduced to its text (None for lines that show none, such as rules and table delimiters), and
    whether it begins a block of its own: a list item, a quote, a table row or an admonition title."""
    if _TABLE_RULE.match(line) or _THEMATIC_BREAK.match(line) or _LINK_DEFINITION.match(line):
        return None, True
    admonition = _ADMONITION.match(line)
    if admonition:
        return admonition.group(1) or None, True
    stripped = _BLOCK_PREFIX.sub("", line)
    if stripped.lstrip().startswith("|") or stripped.rstrip().endswith("|"):
        cells = [inline_text(cell) for cell in stripped.strip().strip("|").split("|")]
        return " ".join(c for c in cells if c), True
    return inline_text(stripped), stripped != line


@dataclass
class _Open:
    heading_markdown: str | None
    explicit_id: str | None
    paragraphs: list[str]
    lines: list[str]
    level: int = 0

    def end_paragraph(self) -> None:
        if self.lines:
            self.paragraphs.append(_join_lines(self.lines))
            self.lines = []


def _heading(match: re.Match[str]) -> tuple[str, str | None]:
    text = _CLOSING_HASHES.sub("", match.group(2) or "")
    explicit = None
    attrs = _ATTR_LIST.search(text)
    if attrs:
        found = _EXPLICIT_ID.search(attrs.group(1))
        explicit = found.group(1) if found else None
        text = text[: attrs.start()]
    return text, explicit


def split_sections(title: str, body: str) -> list[Section]:
    """The body's sections in page order, each with the id its heading has on the plan page."""
    opened = [_Open(None, None, [], [])]
    fence: str | None = None
    for raw in body.splitlines():
        current = opened[-1]
        fence_match = _FENCE.match(raw)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
                current.end_paragraph()
            elif raw.strip():
                current.lines.append(raw.strip())
            continue
        if fence_match:
            fence = fence_match.group(1)
            current.end_paragraph()
            continue
        heading = _ATX.match(raw)
        if heading:
            current.end_paragraph()
            text, explicit = _heading(heading)
            opened.append(_Open(text, explicit, [], [], len(heading.group(1))))
            continue
        line, starts_block = _block_line(raw) if raw.strip() else (None, True)
        if starts_block:
            current.end_paragraph()
        if line:
            current.lines.append(line)
    opened[-1].end_paragraph()

    headings = [inline_text(o.heading_markdown) for o in opened[1:] if o.heading_markdown is not None]
    implicit = iter(unique_slugs([title] + [h for h, o in zip(headings, opened[1:], strict=True)
                                            if o.explicit_id is None])[1:])
    sections = []
    if opened[0].paragraphs:
        sections.append(Section(None, "", "\n".join(opened[0].paragraphs)))
    for heading_text, part in zip(headings, opened[1:], strict=True):
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
