"""Pages that share a layout, laid out once.

A site theme draws the same frame (header, navigation, footer, scripts) around every page, and on a large site
drawing it again for each of thousands of plan pages took a third of the build. A `Stencil` is one rendering of the
frame with marker text where the pages differ (title, body, table of contents …): laying out a page is then
joining its own parts with the stencil's pieces. The markers are letters only, so that no escaping, tag stripping
or URL handling in a theme changes them; a value goes into a hole as it is, so only values that those would leave
alone as well (`inert`) may go there, and the caller renders any other page in full.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_PREFIX = "ppstencil"
# Text no HTML escaping (`<>&"'`), tag stripping or white-space folding changes.
_INERT = re.compile(r"[^<>&\"'\s]+(?: [^<>&\"'\s]+)*")


def marker(name: str) -> str:
    return f"{_PREFIX}{name}{_PREFIX}"


def inert(text: str) -> bool:
    return _INERT.fullmatch(text) is not None


@dataclass(frozen=True)
class Stencil:
    pieces: tuple[str, ...]
    holes: tuple[str, ...]
    """The hole between `pieces[i]` and `pieces[i + 1]`; a name may recur."""

    def fill(self, values: Mapping[str, str]) -> str:
        parts = [self.pieces[0]]
        for hole, piece in zip(self.holes, self.pieces[1:], strict=True):
            parts += (values[hole], piece)
        return "".join(parts)


def carve(rendering: str, stand_ins: Mapping[str, str]) -> Stencil | None:
    """The stencil of a page rendered with `stand_ins[name]` in the place of each value `name`. None when what is
    left still holds a marker: then the theme changed a stand-in, and a page would not come out as the theme draws
    it."""
    if not stand_ins:
        return Stencil((rendering,), ())
    by_text = {text: name for name, text in stand_ins.items()}
    pattern = re.compile("|".join(re.escape(text) for text in sorted(by_text, key=len, reverse=True)))
    pieces: list[str] = []
    holes: list[str] = []
    start = 0
    for found in pattern.finditer(rendering):
        pieces.append(rendering[start:found.start()])
        holes.append(by_text[found.group()])
        start = found.end()
    pieces.append(rendering[start:])
    if any(_PREFIX in piece for piece in pieces):
        return None
    return Stencil(tuple(pieces), tuple(holes))
