"""The index's grams as 64-bit integers, so that a corpus's millions of grams are found, deduplicated and merged
by numpy rather than one Python string at a time.

A gram of up to three characters packs into one key: 21 bits per character, each holding the code point plus
one, and 0 where the gram is shorter. Keys then sort exactly as the grams do as strings (code point by code
point, a prefix before the longer gram), so a sorted run of keys is a sorted run of grams.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from planpub.search.normalize import fold_lines

Keys = npt.NDArray[np.uint64]

_BITS = 21
_MASK = (1 << _BITS) - 1
_SHIFTS = (2 * _BITS, _BITS, 0)
_BREAK = ord("\n") + 1
_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193


def _points(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class _Folding:
    """`fold_lines` one code point at a time, as a lookup table filled in as characters are first met: each entry
    is the folded character's code point plus one (whitespace folds to a line break), `DROPPED` where it folds to
    nothing (brackets, quotes), or `SEVERAL` where folding gives several characters (`⒈` → `1.`), for which the
    text is folded as a string instead."""

    SEVERAL = np.uint32(0xFFFFFFFF)
    DROPPED = np.uint32(0xFFFFFFFE)

    def __init__(self) -> None:
        self.table = np.zeros(0x110000, dtype=np.uint32)
        self.known = np.zeros(0x110000, dtype=np.bool_)

    def codes(self, text: str) -> npt.NDArray[np.uint32] | None:
        points = _points(text)
        new = points[~self.known[points]]
        for point in set(new.tolist()):
            folded = fold_lines(chr(point))
            self.table[point] = ord(folded) + 1 if len(folded) == 1 else self.DROPPED if not folded else self.SEVERAL
            self.known[point] = True
        codes = self.table[points]
        if (codes == self.SEVERAL).any():
            return None
        return codes[codes != self.DROPPED]


_FOLDING = _Folding()


def _codes(text: str) -> npt.NDArray[np.uint64]:
    """Each character's folded code point plus one, and 0 for the whitespace that separates runs; two 0s close
    it."""
    found = _FOLDING.codes(text)
    if found is None:
        found = _points(fold_lines(text)) + np.uint32(1)
    codes = np.zeros(len(found) + 2, dtype=np.uint64)
    codes[:len(found)] = found
    codes[codes == _BREAK] = 0
    return codes


def text_keys(text: str) -> Keys:
    """The sorted distinct keys of every 1-, 2- and 3-character substring of the folded text that contains no
    whitespace."""
    return growing_keys([text])[0]


def growing_keys(texts: list[str]) -> list[Keys]:
    """`text_keys` of the first text, of the first two joined by a line break, and so on: the texts are read in
    one pass, since each of the many small arrays numpy makes costs more than the work on a short text."""
    return growing_counted_keys(texts)[0]


def growing_counted_keys(texts: list[str]) -> tuple[list[Keys], npt.NDArray[np.int64]]:
    """`growing_keys`, and how many times each key of the last (all texts joined) occurs in them."""
    parts = [_codes(text) for text in texts]
    codes = np.concatenate(parts) if len(parts) > 1 else parts[0]
    first, second, third = codes[:-2], codes[1:-1], codes[2:]
    unigrams = first << np.uint64(_SHIFTS[0])
    bigrams = unigrams | (second << np.uint64(_SHIFTS[1]))
    trigrams = bigrams | third
    has_first = first != 0
    has_second = has_first & (second != 0)
    has_third = has_second & (third != 0)
    found = []
    starts = np.zeros(0, dtype=np.int64)
    keys = np.zeros(0, dtype=np.uint64)
    end = 0
    # Each text's codes end in two 0s, so no gram starts in one text and ends in the next.
    for part in parts:
        end += len(part)
        keys = np.sort(np.concatenate((unigrams[:end][has_first[:end]], bigrams[:end][has_second[:end]],
                                       trigrams[:end][has_third[:end]])))
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else starts[:0]
        found.append(keys[starts])
    return found, np.diff(np.append(starts, len(keys))).astype(np.int64)


def distinct(keys: Keys) -> Keys:
    """The keys sorted, each once. (`np.unique` hashes first, which is several times slower on keys like these.)"""
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys


def _characters(keys: Keys) -> list[npt.NDArray[np.int64]]:
    """The code points of the keys' first, second and third characters; -1 where a gram is shorter."""
    return [((keys >> np.uint64(shift)) & np.uint64(_MASK)).astype(np.int64) - 1 for shift in _SHIFTS]


def key_strings(keys: Keys) -> list[str]:
    """The grams the keys stand for, in the same order."""
    columns = [column.tolist() for column in _characters(keys)]
    return ["".join(chr(point) for point in points if point >= 0) for points in zip(*columns, strict=True)]


def key_hashes(keys: Keys) -> npt.NDArray[np.uint64]:
    """`planpub.search.postings.gram_hash` of every key's gram (32-bit FNV-1a over its code points)."""
    value = np.full(len(keys), _FNV_OFFSET, dtype=np.uint64)
    for points in _characters(keys):
        present = points >= 0
        # Both factors are below 2**32 and 2**25, so the product fits in 64 bits before it is cut to 32.
        stepped = ((value ^ points.astype(np.uint64)) * np.uint64(_FNV_PRIME)) & np.uint64(0xFFFFFFFF)
        value = np.where(present, stepped, value)
    return value
