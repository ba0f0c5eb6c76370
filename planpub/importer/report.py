"""The report printed for each imported file: what was removed, repaired and found, and what the author must do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from planpub.importer.metadata import describe_gap
from planpub.importer.model import Note, NoteKind
from planpub.importer.pipeline import Conversion, Draft

_MASKED_SHOWN = 8
_DEEPEST = 6


class Outcome(Enum):
    WRITTEN = "已写入"
    OVERWRITTEN = "已覆盖"
    EXISTS = "没有写入：文件已存在（要覆盖请加 --force）"
    DRY_RUN = "试运行，没有写入；将写到"
    INVALID = "没有写入：导入结果未通过检查"


@dataclass
class PlanResult:
    draft: Draft
    plan_id: str
    path: str
    """As shown to the author: the output folder as given, then the file name."""
    outcome: Outcome
    text: str
    masked: list[tuple[int, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _note_line(note: Note, unit: str) -> str:
    return f"第 {note.line} {unit}：{note.message}" if note.line else note.message


def _section(title: str, notes: list[str], indent: str) -> list[str]:
    if not notes:
        return []
    return [f"{indent}{title}：", *(f"{indent}  {line}" for line in notes)]


def _notes(notes: list[Note], unit: str, indent: str, extra_checks: list[str] | None = None) -> list[str]:
    lines: list[str] = []
    for kind in (NoteKind.REMOVED, NoteKind.REPAIRED, NoteKind.FOUND, NoteKind.CHECK):
        entries = [_note_line(n, unit) for n in sorted(notes, key=lambda n: n.line) if n.kind is kind]
        if kind is NoteKind.CHECK:
            entries += extra_checks or []
        lines += _section(kind.value, entries, indent)
    return lines


def _levels(draft: Draft) -> str:
    levels = draft.levels()
    if not levels:
        return "没有识别出标题（正文全部按段落导入）"
    return "，".join(f"{label} → {'#' * depth if depth <= _DEEPEST else '加粗段落'}（{count} 个）"
                    for label, depth, count in levels)


def render_plan(result: PlanResult, unit: str, index: int, total: int) -> list[str]:
    draft = result.draft
    where = f"{result.outcome.value} {result.path}" if result.outcome is not Outcome.EXISTS else (
        f"没有写入：{result.path} 已存在（要覆盖请加 --force）")
    lines = [f"  计划 {index}/{total}「{draft.title}」：{where}", f"    标识：{result.plan_id}",
             f"    标题层级：{_levels(draft)}"]
    lines += [f"    {p}" for p in result.problems]
    masked = []
    if result.masked:
        tokens = "、".join(f"“{t}”" for t in dict.fromkeys(text for _, text in result.masked))
        lines_with = list(dict.fromkeys(line for line, _ in result.masked))
        where = "、".join(str(n) for n in lines_with[:_MASKED_SHOWN])
        where += "等" if len(lines_with) > _MASKED_SHOWN else ""
        masked.append(f"正文中还有 {len(result.masked)} 处被隐去的内容（{tokens}），在计划文件第 {where} 行，"
                      "请对照原件补全")
    lines += _notes(draft.notes, unit, "    ", masked)
    fill = draft.metadata.fill
    if fill:
        lines.append(f"    {NoteKind.FILL.value}（在计划文件中把“待补充”换成真实内容，再运行 planpub check）：")
        lines += [f"      {describe_gap(key, why)}" for key, why in fill.items()]
    return lines


def render_file(name: str, conversion: Conversion | None, results: list[PlanResult], failure: str = "") -> str:
    if conversion is None:
        return f"导入 {name}：失败\n  {failure}\n"
    lines = [f"导入 {name}（{conversion.kind}）"]
    lines += _notes(conversion.notes, conversion.unit, "  ")
    for index, result in enumerate(results, start=1):
        lines += render_plan(result, conversion.unit, index, len(results))
    return "\n".join(lines) + "\n"
