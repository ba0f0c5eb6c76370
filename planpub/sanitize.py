"""Strip what could run script from HTML made from plans; plans are public input to a public site.

One policy, applied in two places. `SafeAttributes` is a Python-Markdown pass that keeps, of the attributes a plan
sets with `attr_list` (`## 标题 {#id .class}`), only ids and classes of a strict form, before the table of contents
reads them; `clean_html` runs every page's plan-derived HTML through nh3 (Rust's ammonia) with the same
allowances, which also covers raw HTML in a body. `removed_parts` tells `planpub check` what the two will remove,
with the line it is on."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "nav", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "svg", "math", "noscript"}
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
_URL_ATTRIBUTES = {"href", "src"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
ID_PATTERN = re.compile(r"[\w-]+")
"""An id: letters of any script, digits, `_` and `-`, which is what heading anchors are made of (planpub.anchors)."""
_CLASS_NAME = re.compile(r"-?[A-Za-z_][\w-]*", re.ASCII)
_MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"align"}, "th": {"align"},
                        "ol": {"start"}}
"""Attributes that Markdown itself sets (links, images, table alignment, numbered lists) besides id and class."""


def _valid_class(value: str) -> bool:
    names = value.split()
    return bool(names) and all(_CLASS_NAME.fullmatch(name) for name in names)


def allowed_value(attribute: str, value: str) -> bool:
    """Whether an id or class attribute may stay: ids and class names of the strict form only."""
    if attribute == "id":
        return ID_PATTERN.fullmatch(value) is not None
    if attribute == "class":
        return _valid_class(value)
    return True


def _filter(tag: str, attribute: str, value: str) -> str | None:
    return value if allowed_value(attribute, value) else None


def clean_html(fragment: str) -> str:
    """Keep the structure Markdown produces; drop script, event handlers, styles, other URL schemes than the web's
    and ids or classes of any other form."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def clean_text_html(fragment: str) -> str:
    """HTML that may hold text and entities only (a table-of-contents entry, a title): every tag is removed."""
    if "<" not in fragment and "&" not in fragment and ">" not in fragment:
        # nh3 gives such text back unchanged; most headings are plain Chinese.
        return fragment
    return nh3.clean(fragment, tags=set(), clean_content_tags=_DROPPED_WITH_CONTENT, attributes={},
                     strip_comments=True)


@dataclass(frozen=True)
class Removed:
    what: str
    """As the author wrote it, shortened: `onclick=alert(1)`, `<script>`, `javascript:`."""
    needle: str
    """What to look for in the source to find its line."""
    reason: str


class SafeAttributes(Treeprocessor):
    """Keeps of the attributes `attr_list` sets only what `clean_html` would keep, before the table of contents
    reads the ids: an id that could break out of the link the table of contents writes never reaches it."""

    def __init__(self, md: Markdown, removed: list[Removed] | None = None) -> None:
        super().__init__(md)
        self.removed = removed

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if not element.attrib:
                continue
            allowed = _MARKDOWN_ATTRIBUTES.get(str(element.tag), set())
            for name, value in list(element.attrib.items()):
                if name in allowed or (name in ("id", "class") and allowed_value(name, value)):
                    continue
                del element.attrib[name]
                if self.removed is not None:
                    self.removed.append(_attribute_removed(name, value))


class SafeAttributesExtension(Extension):
    def __init__(self, removed: list[Removed] | None = None) -> None:
        super().__init__()
        self.removed = removed

    def extendMarkdown(self, md: Markdown) -> None:  # the library's method name
        # After `attr_list` (priority 8) has set the attributes, before `toc` (5) reads the ids.
        md.treeprocessors.register(SafeAttributes(md, self.removed), "planpub_safe_attributes", 7)


_SCRIPT_HINT = "正文请只用 Markdown 和普通 HTML。"


def _attribute_removed(name: str, value: str) -> Removed:
    shown = (f"{name}={value}" if value else name)[:40]
    if name.lower().startswith("on"):
        return Removed(shown, name, f"可能执行脚本。{_SCRIPT_HINT}")
    if name.lower() == "style":
        return Removed(shown, name, "会改变页面样式，正文不能设置样式。")
    if name == "id":
        return Removed(shown, value[:20] or name,
                       "不能作为标识：标识只能用文字、数字、下划线和连字符，例如 {#总体要求}。")
    if name == "class":
        return Removed(shown, value[:20] or name, "不能作为类名：类名只能用英文字母、数字、下划线和连字符。")
    return Removed(shown, name, f"不是正文可以设置的属性。{_SCRIPT_HINT}")


class _Finder(HTMLParser):
    """What `clean_html` removes from a fragment, found by reading it as the sanitiser's policy reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Removed] = []
        self._inside_dropped = 0
        """How many elements removed with their content are open: what is inside them goes with them."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._inside_dropped:
            self._inside_dropped += tag in _DROPPED_WITH_CONTENT
            return
        if tag in _DROPPED_WITH_CONTENT:
            self._inside_dropped = 1
            self.found.append(Removed(f"<{tag}>", f"<{tag}", f"可能执行脚本，连同其中的内容。{_SCRIPT_HINT}"))
            return
        if tag not in _TAGS:
            self.found.append(Removed(f"<{tag}>", f"<{tag}", f"不是正文可用的标签（其中的文字保留）。{_SCRIPT_HINT}"))
            return
        allowed = _ATTRIBUTES["*"] | _ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name not in allowed or not allowed_value(name, value):
                self.found.append(_attribute_removed(name, value))
            elif name in _URL_ATTRIBUTES:
                scheme = _SCHEME.match("".join(value.split()))
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    written = scheme.group(0)
                    self.found.append(Removed(f"{written}…", written.lower(),
                                              "这种链接可能执行脚本，链接请用 http:// 或 https:// 开头的网址。"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _DROPPED_WITH_CONTENT and self._inside_dropped:
            self._inside_dropped -= 1

    def handle_endtag(self, tag: str) -> None:
        if self._inside_dropped and tag in _DROPPED_WITH_CONTENT:
            self._inside_dropped -= 1


_MAY_REMOVE = re.compile(r"[<&{]|\]\(|\]:")
"""Markdown without any of these yields HTML the sanitiser leaves alone: no raw HTML, entity, attribute list or
link target."""


def _check_converter() -> Markdown:
    # The extensions that can put attributes or URLs in a body; toc is left out: it only adds safe ids.
    return Markdown(extensions=["tables", "attr_list", "admonition"],
                    extension_configs={"tables": {"use_align_attribute": True}})


def removed_parts(body: str) -> Iterator[tuple[int, Removed]]:
    """What publishing removes from a plan body, each with the 0-based line of the body it comes from (the first
    line, from where the previous one was found, that holds it; 0 when none does)."""
    if not _MAY_REMOVE.search(body):
        return
    finder = _Finder()
    finder.feed(_check_converter().convert(body))
    finder.close()
    lines = [html.unescape(line).lower() for line in body.splitlines()]
    line = 0
    for item in finder.found:
        needle = item.needle.lower()
        found = next((n for n in [*range(line, len(lines)), *range(0, line)] if needle in lines[n]), None)
        if found is not None:
            line = found
        yield line, item
