"""Text folding shared by the index builder and the browser: width, case, script and punctuation.

Every character is folded on its own: NFKC (full-width letters and digits to half-width, compatibility forms to
their plain form), then lower case, then Traditional to Simplified by OpenCC's single-character t2s table, then
punctuation: every dash or tilde of a period (`-—–－~～`) becomes `-`, and brackets and quotes are dropped, so that
`实施方案2023-2025` is found in `实施方案（2023—2025年）` and `科发[2024]` in `科发〔2024〕`. Folding
one character at a time keeps the browser, which has no OpenCC, exact: it applies the same three steps with the
table shipped in the index manifest. It also lets the browser map a match in folded text back to the original
characters for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from opencc import OpenCC

# Blocks whose characters OpenCC may convert: CJK punctuation, the unified ideographs with their extensions, the
# compatibility ideographs and the half-/full-width forms.
_SCRIPT_RANGES = ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF),
                  (0x20000, 0x2A6DF), (0x2A700, 0x2EBEF), (0x2F800, 0x2FA1F), (0x30000, 0x3134F))

# The characters JavaScript's `\s` matches. Terms and index runs are split on exactly these on both sides.
WHITESPACE = ("\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
              + "\u2028\u2029\u202f\u205f\u3000\ufeff")
_SPLIT = re.compile(f"[{re.escape(WHITESPACE)}]+")

# After NFKC, which already turns the full-width forms (－ ～ （ ） ［ ］ ｛ ｝) into these.
DASHES = "-—–~―‐‒〜⁓"
"""Characters that fold to `-`: the ways a period's two years are joined."""
DROPPED = "()[]{}【】〔〕《》〈〉「」『』〖〗“”‘’\"'"
"""Brackets and quotes, which fold to nothing: a reader types a title without them or with other ones."""
_PUNCTUATION = {**dict.fromkeys(DASHES, "-"), **dict.fromkeys(DROPPED, "")}


@cache
def t2s_table() -> dict[str, str]:
    """Every character that OpenCC's t2s conversion turns into one other character, chains resolved."""
    # Characters that NFKC changes never reach the table: folding applies NFKC first.
    chars = [char for first, last in _SCRIPT_RANGES for char in map(chr, range(first, last + 1))
             if unicodedata.normalize("NFKC", char) == char]
    converted = OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = {c: s for c, s in zip(chars, converted, strict=True) if s != c and len(s) == 1}
    for source, target in table.items():
        seen = {source}
        while target in table and target not in seen:
            seen.add(target)
            target = table[target]
        table[source] = target
    return table


def fold_char(char: str) -> str:
    """One character folded: NFKC, lower case, Traditional → Simplified, punctuation. May give several characters
    (`⒈` → `1.`) or none (a bracket)."""
    table = t2s_table()
    folded = "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", char).lower())
    return "".join(_PUNCTUATION.get(c, c) for c in folded)


class _FoldTable(dict[int, str]):
    """A `str.translate` table that folds each character the first time it is seen."""

    def __init__(self, breaks: bool) -> None:
        super().__init__()
        if breaks:
            self.update(dict.fromkeys(map(ord, WHITESPACE), "\n"))

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_TABLE = _FoldTable(breaks=False)
_BREAKING_TABLE = _FoldTable(breaks=True)


def fold(text: str) -> str:
    """Text as queries are compared with it."""
    return text.translate(_TABLE)


def fold_lines(text: str) -> str:
    """Folded text with every kind of whitespace turned into a newline, the one separator n-grams never span."""
    return text.translate(_BREAKING_TABLE)


def runs(folded: str) -> list[str]:
    """The whitespace-free runs of folded text; n-grams never span two runs."""
    return [run for run in _SPLIT.split(folded) if run]


def query_terms(query: str) -> list[str]:
    """The folded terms of a query: space-separated words that a result must all contain, without duplicates."""
    terms: list[str] = []
    for term in runs(fold(query)):
        if term not in terms:
            terms.append(term)
    return terms


def browser_t2s_pairs(folded_texts: Iterable[str]) -> str:
    """The part of the t2s table a query can need, as one string of (Traditional, Simplified) pairs.

    Only characters whose Simplified form occurs in the folded corpus are kept: a query character without its
    pair then occurs nowhere in the corpus, folded or not, so leaving it unconverted finds the same plans.
    """
    present: set[str] = set()
    for text in folded_texts:
        present.update(text)
    return "".join(f"{source}{target}" for source, target in sorted(t2s_table().items()) if target in present)
