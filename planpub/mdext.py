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

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, nest_toc_tokens, strip_tags, unique
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from planpub.sanitize import SafeAttributesExtension

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
_ITEM = re.compile(r"(?:(\d+\.)|-) +(.*)")
"""A numbered item (group 1 is its number) or a bulleted one; group 2 is its text."""
# A line no block or inline rule reads as more than text: no list marker, rule or setext underline, no white space
# at either end (indentation, hard breaks), no character an inline pattern may start with, no control character.
_TEXT_CHAR = r"[^\\`*_\[\]!<>&{}~^=+:@#|\"'$\x00-\x1f\x7f]"
_EDGE_CHAR = r"[^\s\\`*_\[\]!<>&{}~^=+:@#|\"'$\x00-\x1f\x7f]"
_PLAIN_LINE = re.compile(rf"(?!\d+\. |- |[-= ]*[-=][-= ]*$){_EDGE_CHAR}(?:{_TEXT_CHAR}*{_EDGE_CHAR})?")


def _text(line: str) -> str | None:
    """The line itself when no block or inline rule could read it as more than text."""
    return line if _PLAIN_LINE.fullmatch(line) else None


def _item(line: str) -> tuple[str, str] | None:
    match = _ITEM.fullmatch(line)
    return ("ol" if match.group(1) else "ul", match.group(2)) if match else None


@dataclass
class _Block:
    tag: str
    """h1 … h6, p, ol or ul."""
    texts: list[str]
    """The heading, the paragraph's lines or the list's items."""
    loose: list[bool]
    """For a list: which items are paragraphs (`<li><p>…</p></li>`)."""


def _plain_blocks(text: str) -> list[_Block] | None:
    """The document as blocks, None when it has anything but headings, paragraphs and list items of plain text.

    Lists join as the library's list processors join them: a list right after a list, of either kind, continues
    it and turns loose, the last item so far and the first new one into paragraphs."""
    blocks: list[_Block] = []
    for chunk in re.split(r"\n\n+", text.strip("\n")):
        lines = chunk.split("\n")
        first = lines[0]
        heading = _HEADING.fullmatch(first) if first.startswith("#") else None
        if heading:
            title = heading.group(2)
            if len(lines) > 1 or "#" in title or _text(title) is None:
                return None
            blocks.append(_Block(f"h{len(heading.group(1))}", [title], []))
            continue
        item = _item(first)
        if item is not None:
            texts = []
            for line in lines:
                found = _item(line)
                if found is None or found[0] != item[0] or _text(found[1]) is None:
                    return None
                texts.append(found[1])
            previous = blocks[-1] if blocks else None
            if previous is not None and previous.tag in ("ol", "ul"):
                previous.loose[-1] = True
                previous.texts += texts
                previous.loose += [True] + [False] * (len(texts) - 1)
            else:
                blocks.append(_Block(item[0], texts, [False] * len(texts)))
            continue
        if any(_text(line) is None for line in lines):
            return None
        blocks.append(_Block("p", lines, []))
    return blocks


class PlainBlocks(BlockProcessor):
    """The whole document at once, when it is plain (see the module's docstring)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return parent is self.parser.root and len(parent) == 0 and not parent.text

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        found = _plain_blocks("\n\n".join(blocks))
        if not found:
            return False
        for block in found:
            element = etree.SubElement(parent, block.tag)
            if block.tag not in ("ol", "ul"):
                element.text = "\n".join(block.texts)
                continue
            for text, loose in zip(block.texts, block.loose, strict=True):
                item = etree.SubElement(element, "li")
                if loose:
                    etree.SubElement(item, "p").text = text
                else:
                    item.text = text
        del blocks[:]
        return None


@dataclass(frozen=True)
class PlainRendering:
    html: str
    toc_tokens: list[dict[str, Any]]
    """As the `toc` extension leaves them on the converter (`md.toc_tokens`)."""
    ids: frozenset[str]
    """Every id in the HTML: what a link's `#anchor` into the page can name."""


# Extensions that leave a plain document as the library's core renders it: their syntax needs characters a plain
# document has none of (tables `|`, attribute lists `{`, admonitions `!`, fenced code `` ` `` or `~`), or they
# only remove attributes, which a plain document has none of before its headings get ids.
_NO_EFFECT_ON_PLAIN = (TableExtension, AttrListExtension, AdmonitionExtension, FencedCodeExtension,
                       SafeAttributesExtension)
# What a serialiser would escape in an attribute or in text.
_NEEDS_ESCAPING = re.compile(r'[&<>"]')


class PlainRenderer:
    """The HTML that a converter with these extensions gives a plain document, written straight from its blocks.

    Most plan bodies are plain (see the module's docstring), and for them even the fast block pass leaves the
    library's tree passes and serialiser, with the converter that the engine builds for every page, as most of the
    Markdown time of a build. The output is the library's, character for character: tests compare the two on
    generated documents. `render` gives None for any other document, and every document gives None when the
    extensions include one this class does not know (`smarty`, `nl2br` … change plain text too) or the heading
    anchors are configured in a way it does not write."""

    def __init__(self, extensions: Sequence[Extension]) -> None:
        self._headings: TocTreeprocessor | None = None
        self._usable = True
        for extension in extensions:
            if isinstance(extension, TocExtension):
                # Each registers its pass under the same name, so the last one given is the one that runs.
                converter = Markdown(extensions=[extension])
                headings = converter.treeprocessors["toc"]
                assert isinstance(headings, TocTreeprocessor)
                self._headings = headings
            elif not isinstance(extension, (*_NO_EFFECT_ON_PLAIN, PlainTextExtension)):
                self._usable = False
        headings = self._headings
        if headings is not None:
            permalink = headings.use_permalinks
            self._usable &= (not headings.use_anchors and not headings.permalink_leading and headings.base_level == 0
                             and (permalink in (False, None) or (isinstance(permalink, str)
                                                                  and not _NEEDS_ESCAPING.search(permalink)))
                             and not _NEEDS_ESCAPING.search(headings.permalink_class + headings.permalink_title))

    def render(self, text: str) -> PlainRendering | None:
        if not self._usable:
            return None
        found = _plain_blocks(text)
        if found is None:
            return None
        parts: list[str] = []
        tokens: list[dict[str, Any]] = []
        ids: set[str] = set()
        counters: dict[str, int] = {}
        for block in found:
            if block.tag in ("ol", "ul"):
                parts.append(_list_html(block))
            elif block.tag == "p":
                parts.append("<p>" + "\n".join(block.texts) + "</p>")
            else:
                heading = self._heading_html(block.tag, block.texts[0], ids, counters, tokens)
                if heading is None:
                    return None
                parts.append(heading)
        return PlainRendering("\n".join(parts), nest_toc_tokens(tokens), frozenset(ids))

    def _heading_html(self, tag: str, text: str, ids: set[str], counters: dict[str, int],
                      tokens: list[dict[str, Any]]) -> str | None:
        headings = self._headings
        if headings is None:
            return f"<{tag}>{text}</{tag}>"
        name = strip_tags(text)
        anchor = unique(headings.slugify(html.unescape(name), headings.sep), ids, counters)
        if _NEEDS_ESCAPING.search(anchor):
            return None
        level = int(tag[1])
        if headings.toc_top <= level <= headings.toc_bottom:
            tokens.append({"level": level, "id": anchor, "name": name, "html": text, "data-toc-label": ""})
        permalink = ""
        if headings.use_permalinks:
            title = f' title="{headings.permalink_title}"' if headings.permalink_title else ""
            permalink = (f'<a class="{headings.permalink_class}" href="#{anchor}"{title}>'
                         f"{headings.use_permalinks}</a>")
        return f'<{tag} id="{anchor}">{text}{permalink}</{tag}>'


def _list_html(block: _Block) -> str:
    body = "\n".join(f"<li>\n<p>{text}</p>\n</li>" if loose else f"<li>{text}</li>"
                     for text, loose in zip(block.texts, block.loose, strict=True))
    return f"<{block.tag}>\n{body}\n</{block.tag}>"


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
