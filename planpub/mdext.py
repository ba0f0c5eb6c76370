"""A Python-Markdown extension that lets plain Chinese prose skip block parsing, inline parsing and raw-HTML
scanning.

Python-Markdown tries every inline pattern (links, emphasis, code …) on every text node. A plan body is mostly
long paragraphs of Chinese text with no markup character at all, and on a 3,000-plan build those fruitless
attempts were a sixth of the engine's time. Text that contains none of the characters any inline pattern could
start with is marked `AtomicString`, the library's public way of saying "do not process this further"; the output
is byte-identical. Likewise a page without `<` or `&` cannot hold raw HTML, so it is not fed through the
library's HTML block parser, which otherwise reads every page character by character.

Block parsing is the larger part of the rest: every block is offered to a dozen processors in turn, each testing
it with regular expressions, and each list item is parsed again as a document of its own. A plan body is usually
headings, paragraphs and numbered items of plain text, nothing else; `PlainBlocks` recognises a document made only
of those and builds the element tree the library's own processors would build, with the same rules (a list that
follows a list, of either kind, with a blank line between continues it, and its items become paragraphs), and leaves
any other document to them. Tests compare the two on generated documents and on every sample plan.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
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


_HEADING = re.compile(r"(#{1,6}) +(.*)")
_ORDERED = re.compile(r"\d+\. +(.*)")
_BULLET = re.compile(r"- +(.*)")
# A line no block or inline rule reads as more than text: no list marker, rule or setext underline, no white space
# at either end (indentation, hard breaks), no character an inline pattern may start with, no control character.
_TEXT_CHAR = r"[^\\`*_\[\]!<>&{}~^=+:@#|\"'$\x00-\x1f\x7f]"
_EDGE_CHAR = r"[^\s\\`*_\[\]!<>&{}~^=+:@#|\"'$\x00-\x1f\x7f]"
_PLAIN_LINE = re.compile(rf"(?!\d+\. |- |[-= ]*[-=][-= ]*$){_EDGE_CHAR}(?:{_TEXT_CHAR}*{_EDGE_CHAR})?")


def _text(line: str) -> str | None:
    """The line itself when no block or inline rule could read it as more than text."""
    return line if _PLAIN_LINE.fullmatch(line) else None


def _item(line: str) -> tuple[str, str] | None:
    for tag, pattern in (("ol", _ORDERED), ("ul", _BULLET)):
        match = pattern.fullmatch(line)
        if match:
            return tag, match.group(1)
    return None


def _plain_blocks(text: str) -> list[tuple[str, list[str]]] | None:
    """The document as (tag, texts) blocks: ("h2", [heading]), ("p", [lines]), ("ol", [items]), ("ul", [items]);
    None when it has anything else."""
    blocks: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\n+", text.strip("\n")):
        lines = chunk.split("\n")
        first = lines[0]
        heading = _HEADING.fullmatch(first) if first.startswith("#") else None
        if heading:
            title = heading.group(2)
            if len(lines) > 1 or "#" in title or _text(title) is None:
                return None
            blocks.append((f"h{len(heading.group(1))}", [title]))
            continue
        item = _item(first)
        if item is not None:
            texts = []
            for line in lines:
                found = _item(line)
                if found is None or found[0] != item[0] or _text(found[1]) is None:
                    return None
                texts.append(found[1])
            blocks.append((item[0], texts))
            continue
        if any(_text(line) is None for line in lines):
            return None
        blocks.append(("p", lines))
    return blocks


class PlainBlocks(BlockProcessor):
    """The whole document at once, when it is plain (see the module's docstring)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return parent is self.parser.root and len(parent) == 0 and not parent.text

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        found = _plain_blocks("\n\n".join(blocks))
        if not found:
            return False
        for tag, texts in found:
            if tag in ("ol", "ul"):
                self._list(parent, tag, texts)
            else:
                etree.SubElement(parent, tag).text = "\n".join(texts)
        del blocks[:]
        return None

    @staticmethod
    def _list(parent: etree.Element, tag: str, items: list[str]) -> None:
        # As the library's list processors: a list right after a list, of either kind, continues it and turns
        # loose, the last item so far and the first new one into paragraphs.
        previous = parent[-1] if len(parent) else None
        if previous is not None and previous.tag in ("ol", "ul"):
            last = previous[-1]
            if last.text:
                paragraph = etree.Element("p")
                paragraph.text, last.text = last.text, ""
                last.insert(0, paragraph)
            etree.SubElement(etree.SubElement(previous, "li"), "p").text = items[0]
            target, items = previous, items[1:]
        else:
            target = etree.SubElement(parent, tag)
        for item in items:
            etree.SubElement(target, "li").text = item


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
        # Before every block processor, the library's and the other extensions' (the highest is 105).
        md.parser.blockprocessors.register(PlainBlocks(md.parser), "planpub_plain_blocks", 200)


def makeExtension(**kwargs: object) -> PlainTextExtension:
    return PlainTextExtension(**kwargs)
