"""Strip what could run script from the HTML of a plan body; plans are public input to a public site."""

from __future__ import annotations

import re

import nh3

# Markdown alone never yields script; only raw HTML, entities or a URL scheme in a link can.
_SCHEME = re.compile(r"script\s*:", re.IGNORECASE)

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "nav", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "aria-describedby"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "col": {"span"},
    "details": {"open"},
}


def clean_html(fragment: str) -> str:
    """Keep the structure Markdown produces; drop script, event handlers, styles and javascript: URLs."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    )


def needs_cleaning(markdown_source: str) -> bool:
    """Whether the HTML rendered from this Markdown can contain anything `clean_html` would remove."""
    # The tests for single characters first: searching a whole plan without regard to case is slow, and a scheme
    # needs its colon.
    return ("<" in markdown_source or "&" in markdown_source
            or (":" in markdown_source and _SCHEME.search(markdown_source) is not None))
