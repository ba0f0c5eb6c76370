"""Read a government page as a person does: skip the site's header and breadcrumb, read the disclosure block
(索引号, 发布机构, 文号, 成文日期 …) and the notice that issues the plan (its title, document number, signature and
date), and hand on the plan itself, starting at its own title.

What is read here is what the page states; nothing is guessed. The facts go to the metadata step, which decides
what each field gets; the blocks read leave the body and each is named in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planpub.importer.dates import date_line, find_date
from planpub.importer.markers import starts_with_marker
from planpub.importer.model import Block, Note, NoteKind
from planpub.importer.text import excerpt

_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|现在的位置|所在位置)\s*[:：]|"
                         r"首页\s*(?:[>＞»›/]|&gt;)")
_BREADCRUMB_MORE = re.compile(r"^\s*(?:[>＞»›]|&gt;)\s*\S")
_HEADER_REACH = 8
"""A breadcrumb this near the top: what is above it is the site's header (site name, slogan)."""

_LABELS = ("索引号", "组配分类", "主题分类", "体裁分类", "服务对象分类", "发布机构", "发文机关",
           "发文单位", "名称", "文号", "发文字号", "成文日期", "发文日期", "发布日期", "生效日期",
           "废止日期", "实施日期", "公文种类", "有效性", "时效性", "时效", "公开方式", "公开范围",
           "公开时限", "主题词", "关键词", "信息分类", "文件编号", "效力状况")
# Letter-spaced labels (索 引 号, 文  号) as portals lay them out in a table.
_LABEL = re.compile("|".join(r"\s*".join(label) for label in sorted(_LABELS, key=len, reverse=True)))
_LABEL_START = re.compile(rf"^[|｜•·\s]*(?:{_LABEL.pattern})\s*(?:[:：|｜]|\s|$)")
_INDEX_NO = re.compile(r"^[0-9A-Za-z]{6,20}(?:[-/][0-9A-Za-z]{1,12}){1,3}$")
_FIELD_OF = {"索引号": "index_no", "发布机构": "site_issuer", "发文机关": "site_issuer", "发文单位": "site_issuer",
             "名称": "title", "文号": "doc_number", "发文字号": "doc_number", "成文日期": "written",
             "发文日期": "written"}
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号")

# `乐府发〔202315`: a document number that lost its closing bracket and 号 in the copy.
_MANGLED_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]?\s*\d{0,4}\s*号?$")
_NOTICE = re.compile(r"关于(?:印发|下达|转发|下发|发布)")
_NOTICE_END = "的通知"
_SALUTATION = re.compile(r"^[^。！？]{0,150}各[^。！？]{0,150}[:：]$")
_ORGAN_END = re.compile(r"(?:局|厅|委|办|委员会|政府|办公室|办公厅|中心|小组|管委会|联席会议办公室|政法委|法宣办|"
                        r"人民政府办公室|党委|委员会办公室)$")
_OPEN_NOTE = re.compile(r"^[(（]\s*此件.{0,12}[)）]$")
_SUBTITLE_DATE = re.compile(r"^[—―–\-－]{1,2}\s*(.{6,16}日)\s*在.{2,60}(?:会议|大会)上")
_NOTICE_REACH = 16
"""How far into the page the notice's salutation can be."""
_BODY_REACH = 8
"""How many blocks after the salutation the notice's signature date can be."""
_QUOTED = re.compile(r"[《〈]([^》〉]{4,80})[》〉]")
_SUBMITTED = re.compile(r"现将(.{6,90}?)(?:提请|印发|报告|报请)")


@dataclass
class Page:
    blocks: list[Block]
    stated: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    """Fact key → (value as written, source line, where the page states it)."""
    notes: list[Note] = field(default_factory=list)

    def state(self, key: str, value: str, line: int, how: str) -> None:
        if value and key not in self.stated:
            self.stated[key] = (value, line, how)


_LOST_INDENT = re.compile(r"^[?？]{2,}\s*")
"""Full-width indentation a mirror site turned into question marks."""


def read_page(blocks: list[Block]) -> Page:
    page = Page([])
    lost = 0
    for block in blocks:
        indent = None if block.is_table else _LOST_INDENT.match(block.text)
        if indent and len(block.text) > indent.end():
            block = block.with_text(block.text[indent.end():], bold_lead=0)
            lost += 1
        page.blocks.append(block)
    if lost:
        page.notes.append(Note(NoteKind.REPAIRED, f"去掉 {lost} 行行首由缩进变成的“??”"))
    _drop_header(page)
    _read_disclosure(page)
    _read_notice(page)
    return page


def _remove(page: Page, indexes: set[int], what: str) -> None:
    for index in sorted(indexes):
        block = page.blocks[index]
        page.notes.append(Note(NoteKind.REMOVED, f"{what}“{excerpt(block.text, 40)}”", block.line))
    page.blocks = [b for i, b in enumerate(page.blocks) if i not in indexes]


def _drop_header(page: Page) -> None:
    """A breadcrumb (`当前位置: 首页 > …`) and the site name or slogan above it."""
    blocks = page.blocks
    # The last breadcrumb near the top: a page copied from another site can carry two.
    crumbs = [i for i, b in enumerate(blocks[:_HEADER_REACH * 2]) if not b.is_table and _BREADCRUMB.search(b.text)
              and len(b.text) <= 200]
    crumbs = [i for i in crumbs if i < _HEADER_REACH or any(0 < i - j <= _HEADER_REACH for j in crumbs)]
    if not crumbs:
        return
    crumb = crumbs[-1]
    end = crumb + 1
    while end < len(blocks) and not blocks[end].is_table and _BREADCRUMB_MORE.match(blocks[end].text):
        end += 1
    _remove(page, set(range(end)), "网站页头和导航“当前位置”")


def _pairs(text: str) -> list[tuple[str, str]]:
    """`索 引 号: X 公文种类: 通知` → [(索引号, X), (公文种类, 通知)]; values may be glued to the next label."""
    matches = list(_LABEL.finditer(text))
    pairs = []
    for here, after in zip(matches, [*matches[1:], None], strict=True):
        value = text[here.end(): after.start() if after else len(text)]
        pairs.append((re.sub(r"\s", "", here.group(0)), value.strip(" \t|｜:：•·")))
    return pairs


def _is_disclosure(text: str) -> bool:
    return bool(_LABEL_START.match(text)) and len(text) <= 200


def _read_disclosure(page: Page) -> None:
    """The 信息公开 table, flattened into lines, pipes or label-value pairs, in the page's first lines."""
    blocks = page.blocks
    start = next((i for i, b in enumerate(blocks[:_HEADER_REACH]) if not b.is_table and _is_disclosure(b.text)
                  and len(_LABEL.findall(b.text)) >= 2), None)
    if start is None:
        return
    end = start
    while end < len(blocks) and not blocks[end].is_table and _is_disclosure(blocks[end].text):
        end += 1
    for block in blocks[start:end]:
        for label, value in _pairs(block.text):
            key = _FIELD_OF.get(label)
            value = re.sub(r"\s+", " ", value).strip()
            if not key or not value:
                continue
            if key == "written":
                date = find_date(value)
                if date:
                    page.state("written", date.isoformat(), block.line, f"据信息公开栏“{label}”")
            elif key == "index_no":
                if _INDEX_NO.match(value):
                    page.state(key, value, block.line, "据信息公开栏")
            elif key == "doc_number":
                match = _DOC_NUMBER.search(value)
                if match:
                    page.state(key, match.group(0), block.line, "据信息公开栏")
            else:
                page.state(key, value, block.line, f"据信息公开栏“{label}”")
    _remove(page, set(range(start, end)), "信息公开栏（已读出其中的索引号、发布机构等）")


def _organ(text: str) -> bool:
    return 2 <= len(text) <= 40 and bool(_ORGAN_END.search(text)) and not any(c in text for c in "。，,；;：:")


def _notice_title(blocks: list[Block], end: int) -> tuple[int, int, str] | None:
    """The last `…关于印发…的通知` before the salutation, also when it is broken over up to three lines."""
    found = None
    for start in range(end):
        if blocks[start].is_table or not _NOTICE.search(blocks[start].text):
            continue
        text = blocks[start].text
        stop = start + 1
        while not text.endswith(_NOTICE_END) and stop < end and stop - start < 3 and not blocks[stop].is_table:
            text += blocks[stop].text
            stop += 1
        if text.endswith(_NOTICE_END) and len(text) <= 120:
            found = (start, stop, text)
    return found


def _plain_title(notice: str) -> tuple[str, str]:
    """(issuer, the plan's title) from `××关于印发《X》的通知` or `××关于印发X的通知`."""
    match = re.match(r"^(.{0,40}?)\s*关于(?:印发|下达|转发|下发|发布)\s*(.+?)的通知$", notice)
    if not match:
        return "", ""
    issuer, title = match.group(1).strip(), match.group(2).strip()
    quoted = _QUOTED.fullmatch(title)
    return issuer, (quoted.group(1) if quoted else title)


def _read_notice(page: Page) -> None:
    blocks = page.blocks
    salutation = next((i for i, b in enumerate(blocks[:_NOTICE_REACH]) if not b.is_table
                       and _SALUTATION.match(b.text) and len(b.text) <= 200), None)
    if salutation is None:
        return
    notice = _notice_title(blocks, salutation)
    header = set(range(salutation))
    if notice is None:
        _read_report_header(page, salutation)
        return
    start, stop, text = notice
    issuer, title = _plain_title(text)
    if not issuer and start > 0 and _organ(blocks[start - 1].text):
        issuer = blocks[start - 1].text
    if issuer:
        page.state("notice_issuer", issuer, blocks[start].line, "据发文通知的标题")
    for block in blocks[:salutation]:
        match = None if block.is_table else _DOC_NUMBER.search(block.text)
        if match and len(block.text) <= len(match.group(0)) + 4:
            page.state("doc_number", match.group(0), block.line, "据发文通知的文号")
    signed = _read_signature(page, salutation, title)
    if signed is None:
        # The notice is the document itself (its requirements follow): the plan's name is the notice's.
        if title:
            page.state("title", title, blocks[start].line, "据发文通知的标题")
        read = set(range(start, stop)) | {i for i in header if _DOC_NUMBER.fullmatch(blocks[i].text.strip("()（） "))
                                          or _MANGLED_NUMBER.match(blocks[i].text)}
        if start > 0 and issuer == blocks[start - 1].text:
            read.add(start - 1)
        _remove(page, read, "发文通知的标题（已读出计划名称和发文机关）")
        return
    end, plan_start = signed
    if title and plan_start < len(blocks) and _same(blocks[plan_start].text, title):
        pass
    elif title:
        page.state("title", title, blocks[start].line, "据发文通知的标题")
    _remove(page, header | set(range(salutation, end)), "印发计划的通知（已读出发文机关、日期和文号）")


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[\s()（）《》〈〉]", "", text)
    return norm(a) == norm(b)


def _read_signature(page: Page, salutation: int, title: str) -> tuple[int, int] | None:
    """The notice's signature and date after its short text: (end of the notice, where the plan starts)."""
    blocks = page.blocks
    for index in range(salutation + 1, min(len(blocks), salutation + 1 + _BODY_REACH)):
        block = blocks[index]
        if not block.is_table and ((title and _same(block.text, title)) or starts_with_marker(block.text)):
            return None  # the plan began: a date further on is the plan's, not the notice's
        found = None if block.is_table else date_line(block.text)
        if found is None:
            continue
        page.state("written", found.date.isoformat(), block.line, "据发文通知的落款日期")
        if found.repaired:
            page.notes.append(Note(NoteKind.REPAIRED, found.repaired, block.line))
        signer = blocks[index - 1] if index - 1 > salutation else None
        if signer is not None and not signer.is_table and _organ(signer.text):
            page.state("signature", signer.text, signer.line, "据发文通知的落款")
        end = index + 1
        while end < len(blocks) and not blocks[end].is_table and _OPEN_NOTE.match(blocks[end].text):
            end += 1
        return end, end
    return None


def _read_report_header(page: Page, salutation: int) -> None:
    """A report to a congress: `—2023年2月2日在…会议上`, the reporting body, then `各位代表：`."""
    blocks = page.blocks
    header = set()
    for index in range(salutation):
        block = blocks[index]
        if block.is_table:
            continue
        subtitle = _SUBTITLE_DATE.match(block.text)
        date = find_date(subtitle.group(1)) if subtitle else None
        if date:
            page.state("written", date.isoformat(), block.line, "据报告的副标题")
            header.add(index)
        elif _organ(block.text) and header:
            page.state("notice_issuer", block.text, block.line, "据报告的署名")
            header.add(index)
    if not header:
        return
    opening = blocks[salutation + 1].text if salutation + 1 < len(blocks) else ""
    submitted = _SUBMITTED.search(opening)
    if submitted:
        page.state("title", submitted.group(1).strip("《》"), blocks[salutation + 1].line, "据报告的开头")
    _remove(page, header, "报告的副标题和署名")
