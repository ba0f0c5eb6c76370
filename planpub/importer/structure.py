"""Recover the heading tree of a plan from its numbering, also where line breaks were lost.

A numbered unit becomes a heading when its lead is a heading (short, no sentence inside it) and most of its
siblings' leads are too; otherwise the numbered unit is a list item and stays a paragraph as written.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from planpub.importer.markers import Level, Marker, match_marker
from planpub.importer.model import Block, Note, NoteKind
from planpub.importer.text import CLOSERS, SENTENCE_END

# Section names that open a first-level heading and are often run into the text that follows them.
SECTION_TERMS = (
    "指导思想", "总体要求", "总体思路", "工作思路", "基本原则", "主要目标", "工作目标", "发展目标",
    "总体目标", "目标任务", "重点任务", "主要任务", "工作任务", "重点工作", "主要工作", "工作重点",
    "保障措施", "工作措施", "主要措施", "组织保障", "组织领导", "组织实施", "实施步骤", "进度安排",
    "时间安排", "工作安排", "工作要求", "基本情况", "工作回顾", "发展现状", "面临形势", "发展基础",
    "实施范围", "实施内容", "资金保障", "考核评估", "监督检查", "其他事项", "附则", "总则",
)
# Words a first-level heading ends with, for section names the list above does not know.
_TERMINALS = (
    "思想", "要求", "原则", "目标", "任务", "措施", "保障", "步骤",
    "安排", "思路", "重点", "领导", "机制", "举措",
)
# How the first sentence after a heading usually begins; where line breaks were lost and no punctuation ends
# the heading (`壮大创新主体队伍实施…`), the heading ends before the first of these.
_BODY_STARTS = (
    "实施", "引导", "积极", "加快", "加强", "推进", "推动", "围绕", "依托", "结合", "坚持", "深化", "完善", "建立",
    "健全", "组织", "开展", "支持", "鼓励", "落实", "强化", "继续", "充分", "按照", "根据", "通过", "聚焦", "着力",
    "全面", "持续", "做好", "抓好", "力争", "争取", "规范", "探索", "深入", "加大", "一是", "重点", "大力", "进一步",
)
# How headings of that kind end, so that a heading is not cut inside (`加大科技金融|支持力度` is not a cut).
_HEADING_ENDS = (
    "行动", "建设", "体系", "机制", "力度", "水平", "能力", "平台", "工程", "服务", "发展", "环境", "队伍", "专项",
    "渠道", "管理", "工作", "提升", "培育", "转化", "合作", "保护", "普及", "政策", "项目", "中心", "基地", "机构",
    "企业", "产业", "人才", "创新", "改革", "融合", "攻关", "引进", "应用", "保障", "氛围", "生态", "布局", "制度",
    "成果", "空间", "示范", "试点", "联盟", "载体", "集聚", "升级", "推广", "效能", "质量", "标准", "考核", "监管",
    "资金", "投入", "领域", "产权", "市场", "优势", "结构", "品牌", "网络", "系统", "园", "器", "区", "站", "库", "链",
)
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|家|个|项|人|名|亿|万|元|次|件|所|亩|台|套|座|篇|场|批|倍|户|余|"
                       r"以上)")
_LEAD_END = SENTENCE_END + ":："
_LIMITS = {Level.CHAPTER: 40, Level.CN: 40, Level.PAREN_CN: 40}
_LIMIT = 30
_RUN_IN_SHORT = 20
_RUN_TOGETHER = 300
"""A paragraph this long that holds numbered units is text whose line breaks were lost."""


@dataclass(frozen=True)
class Heading:
    rank: int
    """Nesting rank on the Level scale; ranks used in a document map to ##, ### … in order."""
    label: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]


Node = Heading | Paragraph | Table


@dataclass
class _Item:
    marker: Marker
    lead: str
    body: str
    original: str
    heading_like: bool
    group: int = 0
    line: int = 0


@dataclass
class _State:
    """The last number seen at each level, so that a number run into the text is taken only in sequence."""

    last: dict[Level, int] = field(default_factory=dict)
    groups: dict[Level, int] = field(default_factory=dict)
    next_group: int = 0

    def accepts(self, marker: Marker) -> bool:
        previous = self.last.get(marker.level)
        if previous is None:
            return marker.number == 1
        step = 2 if marker.explicit and marker.level is not Level.CN else 1
        return previous < marker.number <= previous + step

    def record(self, marker: Marker) -> int:
        self.last[marker.level] = marker.number
        if marker.level not in self.groups:
            self.groups[marker.level] = self.next_group
            self.next_group += 1
        group = self.groups[marker.level]
        for level in [lv for lv in self.last if lv > marker.level]:
            del self.last[level]
            self.groups.pop(level, None)
        return group

    def reset_below(self, rank: int) -> None:
        for level in [lv for lv in self.last if lv > rank]:
            del self.last[level]
            self.groups.pop(level, None)


def _limit(level: Level) -> int:
    return _LIMITS.get(level, _LIMIT)


def _commas(text: str) -> int:
    return sum(text.count(c) for c in "，,")


def _is_heading_text(lead: str, level: Level) -> bool:
    if not lead or len(lead) > _limit(level) or any(c in lead for c in _LEAD_END):
        return False
    if level <= Level.PAREN_CN:
        return _commas(lead) <= 1
    return _commas(lead) == 0 and not _QUANTITY.search(lead)


def _section_term(rest: str) -> str | None:
    """`指导思想立足新发展阶段…` → `指导思想`: a first-level heading run into its text."""
    for term in sorted(SECTION_TERMS, key=len, reverse=True):
        if rest.startswith(term) and len(rest) > len(term) and re.match(r"[\u4e00-\u9fff]", rest[len(term)]):
            return term
    return None


def _terminal_word(rest: str) -> str | None:
    """A first-level heading the list does not know, ended by a word such headings end with (`…保障`)."""
    for end in range(2, 11):
        head = rest[:end]
        if head.endswith(_TERMINALS) and end < len(rest) and re.match(r"[\u4e00-\u9fff]", rest[end]):
            nxt = rest[end:end + 2]
            return head + nxt if nxt in _TERMINALS else head
    return None


def _deeper_marker(rest: str, level: Level) -> int | None:
    """Where the first number of a deeper level starts inside a lead (`重点任务（一）开展…`, `…产业1.壮大…`)."""
    for match in re.finditer(r"(?<=[\u4e00-\u9fff”」』)）])(?:[(（]|1)", rest[: _limit(level) + 1]):
        marker = match_marker(rest, match.start())
        if marker and marker.explicit and marker.level > level and marker.number == 1 and match.start() > 1:
            return match.start()
    return None


def _lost_break(rest: str) -> int | None:
    """Where a heading ends that runs straight into its text: before the first usual opening of a sentence."""
    for position in range(4, 17):
        if any(c in rest[:position] for c in _LEAD_END + "，,、“”\"") or position >= len(rest) - 4:
            return None
        if rest.startswith(_BODY_STARTS, position) and rest[:position].endswith(_HEADING_ENDS):
            return position
    return None


def split_lead(marker: Marker, rest: str, bold: int = 0, run_together: bool = False) -> tuple[str, str, bool]:
    """The heading text of a numbered unit, the text after it, and whether it reads as a heading.

    `run_together` says the unit comes from text whose line breaks were lost, where a heading may end with no
    punctuation at all."""
    level = marker.level
    if bold > 0:
        lead = rest[:bold].strip().rstrip(_LEAD_END)
        return lead, rest[bold:].strip(), bool(lead)
    deeper = _deeper_marker(rest, level)
    if deeper is not None and _is_heading_text(rest[:deeper].strip(), level):
        return rest[:deeper].strip(), rest[deeper:].strip(), True
    whole = rest.strip()
    trimmed = whole.rstrip(CLOSERS + _LEAD_END) if whole[-1:] in _LEAD_END else whole
    one_sentence = _is_heading_text(trimmed, level) and not any(c in trimmed for c in "。！？")
    if one_sentence and whole[-1:] not in SENTENCE_END:
        return trimmed, "", True
    term = _section_term(rest) if level <= Level.CN else None
    if term:
        return term, rest[len(term):].strip(), True
    if one_sentence:
        # A whole unit that is one sentence with a full stop is a list item unless it is a short phrase.
        return trimmed, "", _commas(trimmed) == 0 and len(trimmed) <= _RUN_IN_SHORT
    end = next((i for i, c in enumerate(rest) if c in _LEAD_END), None)
    if end is not None:
        lead, body = rest[:end].strip(), rest[end + 1:].lstrip(CLOSERS).strip()
        if rest[end] in ":：" and level > Level.CN:
            return lead, body, False
        listed = lead.find("一是")
        if run_together and listed >= 4:
            # `拓展提升大学科技园一是打造…`: the enumeration “一是、二是” opens the text under the heading.
            return lead[:listed], rest[listed:].strip(), _is_heading_text(lead[:listed], level)
        if _is_heading_text(lead, level):
            return lead, body, True
    lost = _lost_break(rest) if run_together else None
    if lost is not None:
        return rest[:lost], rest[lost:], True
    term = _terminal_word(rest) if level <= Level.CN else None
    if term:
        return term, rest[len(term):].strip(), True
    if end is None:
        return whole, "", False
    return rest[:end].strip(), rest[end + 1:].lstrip(CLOSERS).strip(), False


def _boundaries(text: str) -> Iterator[int]:
    """Positions right after a sentence, where a heading run into the text can begin."""
    for index, char in enumerate(text[:-1]):
        if char in SENTENCE_END:
            position = index + 1
            while position < len(text) and text[position] in CLOSERS + " ":
                position += 1
            yield position


@dataclass
class StructureResult:
    nodes: list[Node]
    notes: list[Note]


class _Builder:
    def __init__(self) -> None:
        self.state = _State()
        self.entries: list[_Item | Node] = []
        self.notes: list[Note] = []

    def add_block(self, block: Block) -> None:
        if block.is_table:
            self.entries.append(Table(block.rows))
            return
        if block.style_level is not None and len(block.text) <= 80:
            self._add_styled(block)
            return
        self._add_text(block.text, block.line, block.bold_lead, block.emphasized)

    def _add_styled(self, block: Block) -> None:
        marker = match_marker(block.text)
        if marker:
            self.state.record(marker)
            self._note_repair(marker, block.line)
            lead = block.text[marker.length:].strip().rstrip("。；;:：")
            self.entries.append(Heading(int(marker.level), marker.label, lead))
            return
        rank = max(0, (block.style_level or 1) - 1)
        self.state.reset_below(rank)
        self.entries.append(Heading(rank, "", block.text.rstrip("。；;:：")))

    def _add_text(self, text: str, line: int, bold_lead: int, emphasized: bool, run_together: bool = False) -> None:
        start = 0
        marker = match_marker(text)
        if marker is None:
            cut = self._next_unit(text, 0)
            head = text[:cut].strip()
            if head:
                self.entries.append(Paragraph(head, bold=emphasized and cut == len(text)))
            start = cut
            bold_lead = 0
        while start < len(text):
            marker = match_marker(text, start)
            assert marker is not None
            rest_start = start + marker.length
            group = self.state.record(marker)
            cut = self._next_unit(text, rest_start)
            unit_rest = text[rest_start:cut]
            lead, body, heading_like = split_lead(marker, unit_rest, max(0, bold_lead - marker.length)
                                                  if start == 0 else 0,
                                                  run_together or start > 0 or len(text) > _RUN_TOGETHER)
            if emphasized and start == 0 and not body:
                heading_like = True
            self._note_repair(marker, line)
            self.entries.append(_Item(marker, lead, body, text[start:cut].strip(), heading_like, group, line))
            start = cut
            bold_lead = 0
            # A lead that ends where a deeper bracketed number begins leaves that unit inside the body.
            while self.entries and isinstance(self.entries[-1], _Item) and self.entries[-1].body:
                item = self.entries[-1]
                inner = match_marker(item.body)
                if not (inner and inner.level > item.marker.level and self.state.accepts(inner)):
                    break
                item.body, tail = "", item.body
                item.original = item.original[: len(item.original) - len(tail)].strip()
                self._add_text(tail, line, 0, False, run_together=True)

    def _next_unit(self, text: str, start: int) -> int:
        for position in _boundaries(text):
            if position <= start:
                continue
            marker = match_marker(text, position)
            if marker is None or not self.state.accepts(marker):
                continue
            if not marker.explicit:
                _, _, heading_like = split_lead(marker, text[position + marker.length:])
                if not heading_like:
                    continue
            return position
        return len(text)

    def _note_repair(self, marker: Marker, line: int) -> None:
        if marker.repaired:
            self.notes.append(Note(NoteKind.REPAIRED, f"把编号“{marker.repaired}”读作“{marker.label}”", line))

    def finish(self) -> list[Node]:
        votes: dict[int, list[bool]] = {}
        for entry in self.entries:
            if isinstance(entry, _Item):
                votes.setdefault(entry.group, []).append(entry.heading_like)
        nodes: list[Node] = []
        for entry in self.entries:
            if isinstance(entry, Paragraph) and not entry.bold:
                nodes.extend(Paragraph(p) for p in split_parallel_leads(entry.text))
                continue
            if not isinstance(entry, _Item):
                nodes.append(entry)
                continue
            group = votes[entry.group]
            if entry.heading_like and 2 * sum(group) >= len(group):
                nodes.append(Heading(int(entry.marker.level), entry.marker.label, entry.lead))
                if entry.body:
                    nodes.extend(Paragraph(p) for p in split_parallel_leads(entry.body))
            else:
                nodes.extend(Paragraph(p) for p in split_parallel_leads(entry.original))
        return nodes


_SHORT_SENTENCE = re.compile(r"[^。！？，,、；;：:]{4,15}。")


def split_parallel_leads(text: str) -> list[str]:
    """Split a run-together paragraph before parallel lead sentences (`坚持补齐短板抓创新。…坚持企业主体抓创新。`)."""
    if len(text) < 150:
        return [text]
    leads = [s for s in (0, *_boundaries(text)) if _SHORT_SENTENCE.match(text, s)]
    families: dict[str, list[int]] = {}
    for start in leads:
        families.setdefault(text[start:start + 2], []).append(start)
    cuts: set[int] = set()
    for members in families.values():
        endings = {_SHORT_SENTENCE.match(text, m).group(0)[-3:-1] for m in members}  # type: ignore[union-attr]
        if len(members) >= 3 or (len(members) == 2 and len(endings) == 1):
            cuts.update(m for m in members if m > 0)
    if not cuts:
        return [text]
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(bounds) if text[a:b].strip()]


def build_structure(blocks: list[Block]) -> StructureResult:
    builder = _Builder()
    for block in blocks:
        builder.add_block(block)
    return StructureResult(builder.finish(), builder.notes)


def heading_depths(nodes: list[Node]) -> dict[int, int]:
    """Markdown depth of each rank used: the plan's title is the page's h1, so the top rank is ##."""
    ranks = sorted({node.rank for node in nodes if isinstance(node, Heading)})
    return {rank: index + 2 for index, rank in enumerate(ranks)}

