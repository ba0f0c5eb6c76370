"""A Python-Markdown extension that lets plain Chinese prose skip inline parsing and raw-HTML scanning.

Python-Markdown tries every inline pattern (links, emphasis, code …) on every text node. A plan body is mostly
long paragraphs of Chinese text with no markup character at all, and on a 3,000-plan build those fruitless
attempts were a sixth of the engine's time. Text that contains none of the characters any inline pattern could
start with is marked `AtomicString`, the library's public way of saying "do not process this further"; the output
is byte-identical. Likewise a page without `<` or `&` cannot hold raw HTML, so it is not fed through the
library's HTML block parser, which otherwise reads every page character by character.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# Every ASCII punctuation mark that some inline pattern (core or pymdownx) may begin with, the stash markers
# Python-Markdown puts in text (\x02, \x03), and a line break (hard breaks are "  \n"). Full-width Chinese
# punctuation never starts a pattern. Digits, letters, spaces and `%,.()-/` are left out: no pattern starts with
# them, and they are common in plans ("20%", "2024-2025").
_MAY_HAVE_MARKUP = re.compile(r"[\\`*_\[\]!<>&{}~^=+:@#|\"'$\x02\x03\n]")


class PlainTextMarker(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            text = element.text
            if text and not isinstance(text, AtomicString) and not _MAY_HAVE_MARKUP.search(text):
                element.text = AtomicString(text)
            tail = element.tail
            if tail and not isinstance(tail, AtomicString) and not _MAY_HAVE_MARKUP.search(tail):
                element.tail = AtomicString(tail)


class HtmlBlocksWhereAny(HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("<" in line or "&" in line for line in lines):
            return lines
        return super().run(lines)


class PlainTextExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # the library's method name
        # Just before the inline processor (priority 20).
        md.treeprocessors.register(PlainTextMarker(md), "planpub_plain_text", 21)
        # In the place of the library's own (same name and priority), which it replaces.
        md.preprocessors.register(HtmlBlocksWhereAny(md), "html_block", 20)


def makeExtension(**kwargs: object) -> PlainTextExtension:
    return PlainTextExtension(**kwargs)
