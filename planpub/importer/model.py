"""The units the import steps pass along: source blocks and the notes that end up in the report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from planpub.problems import PlanpubError


@dataclass(frozen=True)
class Block:
    """One paragraph (or table) of the source document."""

    text: str
    line: int
    """Where it starts in the source: the line of a text file, the paragraph number of a Word file."""
    style_level: int | None = None
    """A heading level the source format declares (Word heading style, Markdown #, HTML h1–h6)."""
    emphasized: bool = False
    """The whole paragraph is bold or set larger than the body text."""
    bold_lead: int = 0
    """Length of the bold text that opens the paragraph (a run-in heading in Word files)."""
    rows: tuple[tuple[str, ...], ...] = ()
    """The cells of a table; a block with rows is a table and its text is empty."""

    @property
    def is_table(self) -> bool:
        return bool(self.rows)

    def with_text(self, text: str, *, bold_lead: int | None = None) -> Block:
        return replace(self, text=text, bold_lead=self.bold_lead if bold_lead is None else bold_lead)


class NoteKind(Enum):
    REMOVED = "删除"
    REPAIRED = "修复"
    FOUND = "识别"
    FILL = "请补充"
    CHECK = "请核对"


@dataclass(frozen=True)
class Note:
    """One line of the report: what the importer removed, repaired or found, or what the author must do."""

    kind: NoteKind
    message: str
    line: int = 0
    """The source line it concerns, 0 when it concerns the whole document."""


class ImportFailure(PlanpubError):
    """A document that cannot be imported; the message is Chinese and tells the author what to do."""
