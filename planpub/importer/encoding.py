"""Decode a text file whose encoding nobody recorded, and say which encoding was used.

A strict decode is tried for each encoding Chinese documents come in. GB18030 and Big5 byte ranges overlap, so
when both succeed the one whose characters are ordinary Chinese wins; a file neither reads as ordinary Chinese is
refused rather than guessed.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from functools import cache

from opencc import OpenCC

from planpub.importer.model import ImportFailure

_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "UTF-8（带 BOM）"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16（带 BOM）"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16（带 BOM）"),
)
# Windows code page 950 is Big5 with the extensions every Big5 file written on Windows uses.
_LEGACY = (("gb18030", "GB18030/GBK"), ("cp950", "Big5"))
_LETTERS = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Co"})
"""Letters and private-use characters: what a wrong decoding turns bytes into."""
_MIN_SHARE = 0.8
_MIN_MARGIN = 0.15


@dataclass(frozen=True)
class Decoded:
    text: str
    label: str
    """The encoding as the report names it."""


@cache
def _common_characters() -> frozenset[str]:
    """The 3,755 most used Simplified characters (GB 2312 level 1) and their Traditional forms."""
    level1 = "".join(
        bytes([row, col]).decode("gb2312")
        for row in range(0xB0, 0xD8)
        for col in range(0xA1, 0xFF)
        if not (row == 0xD7 and col > 0xF9)
    )
    return frozenset(level1 + OpenCC("s2t").convert(level1))


def ordinary_share(text: str) -> float:
    """Share of the non-ASCII letters that are common Chinese characters; mojibake scores low."""
    letters = [c for c in text if ord(c) > 0x7F and unicodedata.category(c) in _LETTERS]
    if not letters:
        return 1.0
    common = _common_characters()
    return sum(c in common for c in letters) / len(letters)


def decode_text(data: bytes, name: str) -> Decoded:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(codec), label)
            except UnicodeDecodeError:
                break
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    scored: list[tuple[float, str, str]] = []
    for codec, label in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((ordinary_share(text), label, text))
    scored.sort(key=lambda item: -item[0])
    if scored:
        best_share, label, text = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best_share >= _MIN_SHARE and best_share - runner_up >= _MIN_MARGIN:
            return Decoded(text, label)
    raise ImportFailure(
        f"{name}：无法确定文件的编码（试过 UTF-8、GB18030/GBK 和 Big5，读出来都不像正常的中文）。"
        "请用记事本或 WPS 打开文件，确认文字正常后“另存为”，编码选 UTF-8，再导入。"
    )
