"""Several plans in one file: `篇1 … 篇5`, `【篇二】`, `工作计划一 / 工作计划二` each start a plan of their own."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from planpub.importer.markers import Level, chinese_number, match_marker
from planpub.importer.metadata import clean_title
from planpub.importer.model import Block, Note, NoteKind
from planpub.importer.text import excerpt, has_sentence_punctuation, is_title_like

_NUMBER = r"[一二三四五六七八九十\d]{1,3}"
_PIECE = re.compile(rf"^[【\[]?\s*(?:第\s*({_NUMBER})\s*篇|篇\s*({_NUMBER}))\s*[】\]]?\s*[:：、.．]?\s*(.*)$")
_NAMED = re.compile(rf"^[【\[]?\s*(.{{0,30}}?(?:计划|要点|方案|规划|范文|总结|安排))\s*({_NUMBER})\s*[】\]]?$")
_INLINE_PIECE = re.compile(rf"(?:(?<=[。！？\s])|^)[【\[]?篇\s*({_NUMBER})[】\]]?(?=\s|[\u4e00-\u9fff])")
_ANNOUNCED = re.compile(r"[(（【\[]\s*(?:精选|通用|最新|优秀)?\s*(\d+)\s*篇\s*[)）】\]]")


@dataclass(frozen=True)
class Part:
    blocks: list[Block]
    number: int
    """1-based position among the plans of the file."""
    title: str
    """The title the separator line gives the plan, if any."""


@dataclass(frozen=True)
class Split:
    parts: list[Part]
    collection_title: str
    """The title of the whole file (“县科技工作计划”), used for a plan that has none of its own."""
    notes: list[Note]


def _separator(block: Block) -> tuple[int, str] | None:
    if block.is_table or len(block.text) > 60:
        return None
    piece = _PIECE.match(block.text)
    if piece:
        rest = piece.group(3).strip()
        if rest and has_sentence_punctuation(rest):
            return None
        return chinese_number(piece.group(1) or piece.group(2)), rest
    named = _NAMED.match(block.text)
    if named:
        return chinese_number(named.group(2)), ""
    return None


def _unglue(blocks: list[Block]) -> list[Block]:
    """A run-together text keeps its `篇2` markers inside paragraphs; give each its own block."""
    result: list[Block] = []
    for block in blocks:
        starts = [m.start() for m in _INLINE_PIECE.finditer(block.text)] if not block.is_table else []
        if not starts or (len(starts) == 1 and starts[0] == 0 and len(block.text) <= 60):
            result.append(block)
            continue
        bounds = [0, *[s for s in starts if s > 0], len(block.text)]
        for a, b in itertools.pairwise(bounds):
            piece = block.text[a:b].strip()
            marker = _INLINE_PIECE.match(piece)
            if marker:
                result.append(block.with_text(piece[: marker.end()].strip(), bold_lead=0))
                piece = piece[marker.end():].strip()
            if piece:
                result.append(block.with_text(piece, bold_lead=0))
    return result


def split_parts(blocks: list[Block]) -> Split:
    blocks = _unglue(blocks)
    found = [(i, sep) for i, b in enumerate(blocks) if (sep := _separator(b))]
    run: list[tuple[int, tuple[int, str]]] = []
    for index, sep in found:
        if sep[0] == len(run) + 1:
            run.append((index, sep))
    structural = any(
        (m := match_marker(blocks[i + 1].text)) is not None and m.level is Level.CHAPTER
        for i, _ in run if i + 1 < len(blocks) and not blocks[i + 1].is_table
    )
    if not run or structural:
        return Split([Part(blocks, 1, "")], "", [])
    notes: list[Note] = []
    lead = blocks[: run[0][0]]
    collection = ""
    announced = None
    for block in lead:
        if not collection and is_title_like(block.text, 60):
            count = _ANNOUNCED.search(block.text)
            announced = int(count.group(1)) if count else None
            collection, _ = clean_title(block.text)
        else:
            notes.append(Note(NoteKind.REMOVED, f"第一篇之前的内容“{excerpt(block.text, 40)}”", block.line))
    parts = []
    for number, (index, (_, title)) in enumerate(run, start=1):
        end = run[number][0] if number < len(run) else len(blocks)
        parts.append(Part(blocks[index + 1:end], number, title))
    notes.append(Note(NoteKind.FOUND, f"文件里有 {len(parts)} 篇计划，分别导入"
                      + (f"（标题“{collection}”）" if collection else "")))
    if announced and announced != len(parts):
        notes.append(Note(NoteKind.CHECK, f"标题标明有 {announced} 篇，文件里只找到 {len(parts)} 篇，"
                                          "其余的可能没有复制下来"))
    return Split([p for p in parts if p.blocks], collection, notes)
