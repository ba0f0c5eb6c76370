"""One document in, plan drafts and report notes out; nothing is written here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from planpub.importer.cleaning import clean
from planpub.importer.markdown import render_body
from planpub.importer.metadata import Metadata, Title, clean_title, detect, find_title, is_signature, title_gaps
from planpub.importer.model import Block, Note, NoteKind
from planpub.importer.page import read_page
from planpub.importer.parts import Part, split_parts
from planpub.importer.reading import Source, read_source
from planpub.importer.script import repair_script
from planpub.importer.structure import Heading, Node, Paragraph, build_structure, heading_depths
from planpub.importer.text import ends_sentence
from planpub.masking import masked_in_body
from planpub.regions import Gazetteer


@dataclass(frozen=True)
class Options:
    keep_traditional: bool = False


@dataclass
class Draft:
    """One plan as it will be written, before it has an id."""

    title: str
    """What the report calls the plan."""
    metadata: Metadata
    body: str
    nodes: list[Node]
    notes: list[Note] = field(default_factory=list)

    def outline(self) -> list[tuple[int, str]]:
        depths = heading_depths(self.nodes)
        return [(depths[n.rank], n.label + n.text) for n in self.nodes if isinstance(n, Heading)]

    def levels(self) -> list[tuple[str, int, int]]:
        """Each numbering level used: an example label, its Markdown depth and how many headings it has."""
        depths = heading_depths(self.nodes)
        counts = Counter(n.rank for n in self.nodes if isinstance(n, Heading))
        first: dict[int, str] = {}
        for node in self.nodes:
            if isinstance(node, Heading):
                first.setdefault(node.rank, node.label.strip() or "无编号标题")
        return [(first[rank], depths[rank], counts[rank]) for rank in sorted(counts)]


@dataclass
class Conversion:
    kind: str
    unit: str
    notes: list[Note]
    drafts: list[Draft]


def _part_title(part: Part, collection: str, total: int) -> tuple[Title | None, list[Block], list[str]]:
    changes: list[str] = []
    title, blocks = find_title(part.blocks)
    if part.title:
        title = Title(part.title, 0)
    if title is not None:
        text, changes = clean_title(title.text)
        return replace(title, text=text, gaps=title_gaps(text)), blocks, changes
    if collection:
        return Title(collection, 0, title_gaps(collection), borrowed=total > 1), blocks, changes
    return None, blocks, changes


def _truncation(nodes: list[Node]) -> list[Note]:
    """A body whose last sentence stops short: the site showed only part of the document."""
    tail = list(nodes)
    while tail and isinstance(tail[-1], Paragraph) and is_signature(tail[-1].text):
        tail.pop()
    last = tail[-1] if tail else None
    if isinstance(last, Paragraph) and not last.bold and not ends_sentence(last.text):
        return [Note(NoteKind.CHECK, f"原文在“…{last.text[-12:]}”处中断，后面的内容缺失，请对照原件补全")]
    return []


def convert(path: Path, name: str, options: Options, categories: tuple[str, ...], gazetteer: Gazetteer) -> Conversion:
    """Raises ImportFailure when the file cannot be read at all."""
    return convert_source(read_source(path, name), options, categories, gazetteer)


def convert_source(source: Source, options: Options, categories: tuple[str, ...], gazetteer: Gazetteer) -> Conversion:
    """The drafts of a document already read: a pure function of its blocks."""
    repaired = repair_script(source.blocks, options.keep_traditional)
    page = read_page(repaired.blocks)
    cleaned = clean(page.blocks)
    split = split_parts(cleaned.blocks)
    notes = [*repaired.notes, *page.notes, *cleaned.notes, *split.notes]
    convert_text: Callable[[str], str] = repaired.restore or str
    drafts = []
    for part in split.parts:
        title, blocks, changes = _part_title(part, split.collection_title, len(split.parts))
        if title is None and "title" in page.stated and len(split.parts) == 1:
            # The page names the plan outside its text: in the notice that issues it or its disclosure block.
            text, changes = clean_title(page.stated["title"][0])
            title = Title(text, page.stated["title"][1], title_gaps(text))
        metadata = detect(title, blocks, categories, gazetteer, convert_text, page.stated)
        body_blocks = [b for i, b in enumerate(blocks) if i not in metadata.consumed]
        structure = build_structure(body_blocks)
        body = render_body(structure.nodes, convert_text, raw=source.markdown)
        draft_notes = [Note(NoteKind.REPAIRED, change) for change in changes]
        draft_notes += structure.notes + metadata.notes + _truncation(structure.nodes)
        shown = title.text if title else f"第 {part.number} 篇"
        drafts.append(Draft(convert_text(shown), metadata, body, structure.nodes, draft_notes))
    if not drafts:
        notes.append(Note(NoteKind.CHECK, "清理网站信息后没有剩下正文，没有生成计划"))
    return Conversion(source.kind, source.unit, notes, drafts)


def masked_lines(text: str) -> list[tuple[int, str]]:
    """Masked values left in a plan file's body, with their line in the file: the ones `planpub check` refuses."""
    lines = text.split("\n")
    start = lines.index("---", 1) + 1 if lines and lines[0] == "---" and "---" in lines[1:] else 0
    return masked_in_body("\n".join(lines[start:]), start + 1)
