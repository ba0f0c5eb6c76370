"""Heading anchors. The site engine and the search index both name sections with this function, so a search
result can link straight to the section it matched."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[^\w\s-]", re.UNICODE)
_SPACE = re.compile(r"[\s_-]+")


def heading_slug(value: str, separator: str = "-") -> str:
    """`一、总体要求` → `一总体要求`; Chinese stays readable in the address bar and in portal deep links."""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    text = _DROP.sub("", text)
    return _SPACE.sub(separator, text).strip(separator) or "section"


def unique_slugs(headings: list[str]) -> list[str]:
    """Slugs for a page's headings in order, made unique as the Markdown toc extension does (`-1`, `-2` …)."""
    seen: set[str] = set()
    result = []
    for heading in headings:
        slug = candidate = heading_slug(heading)
        n = 0
        while candidate in seen:
            n += 1
            candidate = f"{slug}_{n}"
        seen.add(candidate)
        result.append(candidate)
    return result
