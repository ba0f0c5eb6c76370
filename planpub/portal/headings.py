"""A plan's section headings with the anchors the rendered page gives them, read from the Markdown so that
the JSON catalogue does not depend on the rendered HTML (which other build processes may produce)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planpub.anchors import unique_slugs
from planpub.pages import body_markdown
from planpub.plan import Plan

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATTR_LIST = re.compile(r"\s*\{:?\s*([^}]*)\}\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+|~~)(.+?)\1")
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def _plain(text: str) -> str:
    """The heading as a reader sees it: without inline Markdown and HTML."""
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return _ESCAPE.sub(r"\1", text).strip()


def _explicit_id(text: str) -> tuple[str, str | None]:
    """`## 标题 {#id}` (attr_list) names its own anchor."""
    match = _ATTR_LIST.search(text)
    if not match:
        return text, None
    found = re.search(r"#([\w-]+)", match.group(1))
    return text[: match.start()], found.group(1) if found else None


def plan_headings(plan: Plan) -> list[Heading]:
    """Headings below the title, in page order. The title is the page's first heading and takes its anchor
    first, as on the page, so duplicates further down get the same `_1`, `_2` suffixes."""
    raw: list[tuple[int, str, str | None]] = []
    fence: str | None = None
    for line in body_markdown(plan).splitlines():
        opening = _FENCE.match(line)
        if opening:
            marker = opening.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = _ATX.match(line)
        if match:
            text, explicit = _explicit_id(match.group(2))
            raw.append((len(match.group(1)), _plain(text), explicit))
    slugs = unique_slugs([plan.title, *(text for _, text, explicit in raw if explicit is None)])[1:]
    result = []
    generated = iter(slugs)
    for level, text, explicit in raw:
        result.append(Heading(level, text, explicit or next(generated)))
    return result
