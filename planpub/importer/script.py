"""Repair the script of a copy: pinyin annotations after characters, and Traditional characters.

Some sites show Traditional text with the reading of a character in parentheses after it (`服務(wù)`). The
annotations go; the text is converted to Simplified with OpenCC (t2s) unless the author keeps Traditional.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from opencc import OpenCC

from planpub.importer.model import Block, Note, NoteKind

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü{_TONED}]{{1,6}}"
# A reading in parentheses right after a Han character: `務(wù)`, `點（diǎn）`, `要(yao4)`.
_ANNOTATION = re.compile(rf"(?<=[\u4e00-\u9fff])[(（]\s*({_SYLLABLE}[1-5]?)\s*[)）]")
_PLAIN_PINYIN = re.compile(r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:[aeiouv]|ü)[a-z]{0,4}$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Share of Han characters that t2s changes above which a text is taken as written in Traditional script.
_TRADITIONAL_SHARE = 0.03
_TRADITIONAL_MIN = 3


@cache
def _converter() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_converter().convert(text))


def _is_annotation(reading: str, plain_allowed: bool) -> bool:
    if any(c in _TONED for c in reading) or reading[-1].isdigit():
        return True
    return plain_allowed and bool(_PLAIN_PINYIN.match(reading))


def strip_annotations(blocks: list[Block]) -> tuple[list[Block], int]:
    """Remove readings; untoned syllables count only when toned ones show the document is annotated."""
    toned = sum(1 for b in blocks for m in _ANNOTATION.finditer(b.text) if _is_annotation(m.group(1), False))
    plain_allowed = toned >= 2
    removed = 0
    result: list[Block] = []
    for block in blocks:
        def drop(match: re.Match[str]) -> str:
            nonlocal removed
            if _is_annotation(match.group(1), plain_allowed):
                removed += 1
                return ""
            return match.group(0)

        text = _ANNOTATION.sub(drop, block.text)
        rows = tuple(tuple(_ANNOTATION.sub(drop, cell) for cell in row) for row in block.rows)
        result.append(Block(text, block.line, block.style_level, block.emphasized,
                            min(block.bold_lead, len(text)), rows))
    return result, removed


def is_traditional(blocks: list[Block]) -> bool:
    text = "".join(b.text + "".join("".join(row) for row in b.rows) for b in blocks)
    han = _HAN.findall(text)
    if not han:
        return False
    changed = sum(1 for a, b in zip(text, _char_fold(text), strict=True) if a != b)
    return changed >= _TRADITIONAL_MIN and changed / len(han) >= _TRADITIONAL_SHARE


def _char_fold(text: str) -> str:
    """t2s one character at a time, so that positions in the result match positions in the input."""
    converter = _converter()
    out = []
    for char in text:
        converted = str(converter.convert(char)) if _HAN.match(char) else char
        out.append(converted if len(converted) == 1 else char)
    return "".join(out)


@dataclass(frozen=True)
class ScriptRepair:
    blocks: list[Block]
    """The text in Simplified script, which every later step reads."""
    notes: list[Note]
    restore: Callable[[str], str] | None
    """Maps the Simplified output back to the document's own Traditional characters (--keep-traditional)."""


def _map_blocks(blocks: list[Block], convert: Callable[[str], str]) -> list[Block]:
    return [Block(convert(b.text), b.line, b.style_level, b.emphasized, b.bold_lead,
                  tuple(tuple(convert(cell) for cell in row) for row in b.rows)) for b in blocks]


def _restorer(blocks: list[Block]) -> Callable[[str], str]:
    """The document's own Traditional character for each Simplified one, the most frequent where several fold
    to the same character (後 and 后 both become 后)."""
    seen: dict[str, Counter[str]] = {}
    for block in blocks:
        text = block.text + "".join("".join(row) for row in block.rows)
        for original, folded in zip(text, _char_fold(text), strict=True):
            if original != folded:
                seen.setdefault(folded, Counter())[original] += 1
            else:
                seen.setdefault(folded, Counter())[folded] += 1
    table = {ord(k): counts.most_common(1)[0][0] for k, counts in seen.items() if counts.most_common(1)[0][0] != k}
    return lambda text: text.translate(table)


def repair_script(blocks: list[Block], keep_traditional: bool) -> ScriptRepair:
    notes: list[Note] = []
    blocks, removed = strip_annotations(blocks)
    if removed:
        notes.append(Note(NoteKind.REPAIRED, f"删除了字后括号里的拼音注音 {removed} 处，如“服務(wù)”改为“服務”"))
    if not is_traditional(blocks):
        return ScriptRepair(blocks, notes, None)
    if keep_traditional:
        notes.append(Note(NoteKind.REPAIRED, "原文是繁体字，按 --keep-traditional 保留繁体"))
        return ScriptRepair(_map_blocks(blocks, _char_fold), notes, _restorer(blocks))
    notes.append(Note(NoteKind.REPAIRED,
                      "原文是繁体字，已转换为简体字（OpenCC t2s）；要保留繁体请加 --keep-traditional"))
    return ScriptRepair(_map_blocks(blocks, to_simplified), notes, None)
