"""Python-Markdown's `toc` extension, doing only what the site uses of it.

The site engine reads the heading ids, the permalinks and the list of headings (`md.toc_tokens`) that `toc`
produces. `toc` also renders a `[TOC]` table into a string nobody reads, searches the whole page for a `[TOC]`
marker, and serialises every heading to find its text; on a 3,000-plan build that was a third of all Markdown time.
This treeprocessor gives the same ids, permalinks and tokens (tests compare them on every sample plan), builds no
table and, for the common heading that is plain text, takes the text as it is.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree
from typing import Any

from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    escape_cdata,
    nest_toc_tokens,
    remove_fnrefs,
    render_inner_html,
    run_postprocessors,
    strip_tags,
    unescape,
    unique,
)

# A heading's text is its HTML as it stands unless it holds something the serialiser or a postprocessor changes:
# characters it escapes, and the \x02…\x03 markers of stashed HTML and escapes.
_NOT_PLAIN = ("&", "<", ">", "\x02", "\x03")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "H1", "H2", "H3", "H4", "H5", "H6"))


def _plain(element: etree.Element) -> bool:
    text = element.text or ""
    return len(element) == 0 and not any(mark in text for mark in _NOT_PLAIN)


class HeadingTreeprocessor(TocTreeprocessor):
    def run(self, doc: etree.Element) -> None:
        used_ids = {element.attrib["id"] for element in doc.iter() if "id" in element.attrib}
        counters: dict[str, int] = {}
        tokens: list[dict[str, Any]] = []
        for element in doc.iter():
            if element.tag not in _HEADINGS:
                continue
            self.set_level(element)
            if _plain(element):
                inner = (element.text or "").strip()
            else:
                inner = render_inner_html(remove_fnrefs(element), self.md)
            name = strip_tags(inner)
            if "id" not in element.attrib:
                element.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)
            label = ""
            if "data-toc-label" in element.attrib:
                # Rare, and exactly as `toc` treats it.
                label = run_postprocessors(unescape(element.attrib.pop("data-toc-label")), self.md)
                name = escape_cdata(strip_tags(label))
            level = int(element.tag[-1])
            if self.toc_top <= level <= self.toc_bottom:
                tokens.append({"level": level, "id": unescape(element.attrib["id"]), "name": name, "html": inner,
                               "data-toc-label": label})
            if self.use_anchors:
                self.add_anchor(element, element.attrib["id"])
            if self.use_permalinks not in (False, None):
                self.add_permalink(element, element.attrib["id"])
        self.md.toc_tokens = nest_toc_tokens(tokens)  # type: ignore[attr-defined]
        self.md.toc = ""  # type: ignore[attr-defined]


class HeadingExtension(TocExtension):
    """Same options as `toc`; `marker` is ignored: plans have no `[TOC]`, the page shows the table beside the text."""

    TreeProcessorClass = HeadingTreeprocessor


def makeExtension(**kwargs: Any) -> HeadingExtension:
    return HeadingExtension(**kwargs)
