"""Front-matter fields read from what the document says, and never from what a site masked.

A masked value (`20xx`, `**`, `XX县`, `[X]`) or a place name that was cut out is not a fact: the field is left for
the author, with a note saying what the source showed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from planpub.importer.dates import year_number
from planpub.importer.markers import chinese_number, starts_with_marker, to_chinese
from planpub.importer.model import Block, Note, NoteKind
from planpub.importer.text import has_sentence_punctuation
from planpub.masking import MASK
from planpub.regions import Gazetteer, RegionError, resolve_region
from planpub.schema import FIELDS_BY_KEY, YEAR_MAX, YEAR_MIN

_PLAN_TYPE = (r"(?:三年行动计划|行动计划|工作计划|工作要点|实施方案|工作方案|行动方案|规划|计划|要点|方案|安排|意见|"
              r"工作思路|工作打算)")
_PERIOD_PAREN = r"[(（][^()（）]{2,20}[)）]"
_TITLE_PREFIX = re.compile(rf"^(?P<title>[^。，,；;：:！？!?]{{2,50}}{_PLAN_TYPE})(?P<period>\s*{_PERIOD_PAREN})?")
_PERIOD = re.compile(r"(?<!\d)(\d{4})\s*(?:年\s*)?[-—–－~～至到]\s*(\d{4})\s*年?")
_PERIOD_NO_DASH = re.compile(r"(?<!\d)(\d{4})(\d{4})年")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
# A compilation's own name (科技局工作计划合集八篇, …汇编(5篇)): never a plan's title.
_COMPILATION_NAME = re.compile(r"合集|汇编|大全|精选|[(（]?[\d一二三四五六七八九十]{1,3}篇[)）]?$")
_CN_YEAR = re.compile(r"([二〇○零一三四五六七八九]{4})年")
_MASKED_YEAR = re.compile(r"20[xX×＊*]{2}\s*年|[xX×＊*]{4}\s*年")
_BODY_YEAR = re.compile(r"^(\d{4})年(?:是|，|,|全|我|本|科技|工作)")
_COLLECTION = re.compile(r"\s*(?:[(（【\[]\s*(?:精选|通用|最新|优秀)?\s*\d+\s*篇\s*[)）】\]]|"
                         r"[(（【\[]\s*(?:精选|通用|最新|优秀|范文|合集|汇编|大全)\s*[)）】\]]|"
                         r"范文\d*|精选\d*篇?)\s*")
_ORGAN = re.compile(r"(?:科学技术局|科学技术厅|科学技术委员会|科学技术协会|科技局|科技厅|科委|科协|"
                    r"人民政府办公室|人民政府办公厅|人民政府|管理委员会|管委会|委员会|领导小组|办公室|"
                    r"[^格布结当大全开时变]局|厅)")
_NOTICE = re.compile(r"^(?P<issuer>[^《〈]{0,30}?)关于(?:印发|下达|转发)[《〈](?P<title>[^》〉]{4,60})[》〉]的通知$")
_FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五(?=[”\"]|规划|时期|期间)")
"""“十四五”: the N-th five-year plan period, the third (1966) on counted in steps of five years."""
_ADMIN_SUFFIX = "省市州县区旗盟镇乡"
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "省", "市",
             "州", "县", "区", "旗", "盟")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fffXxＸ×]{1,10}[〔\[［【(（]\s*(?:\d{4}|20[xX×]{2})\s*[〕\]］】)）]\s*"
                         r"(?:\d{1,4}|[xX×]{1,3})\s*号")
_DATE = re.compile(r"^[(（]?\s*(\d{4}|[二〇○零一三四五六七八九]{4}|20[xX×]{2})\s*年\s*"
                   r"(\d{1,2}|[一二三四五六七八九十]{1,3}|[xX×]{1,2})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3}|[xX×]{1,2})\s*日\s*[)）]?$")
_SUMMARY = re.compile(r"(?:制定|制订|特制定|现制定|印发|提出).{0,24}(?:计划|方案|要点|意见)|"
                      r"(?:安排|要点|计划)如下|主要目标是")
# Fields that quote the document's own wording, and so keep its script.
_WORDING = frozenset({"title", "issuer", "summary", "doc_number"})
_CATEGORY_RULES = (
    (re.compile(r"三年行动(?:计划|方案)"), "三年行动计划"),
    (re.compile(r"工作要点"), "工作要点"),
    (re.compile(r"国民经济和社会发展.{0,16}(?:执行情况|草案)"), "其他"),
    (re.compile(r"国民经济和社会发展.{0,12}(?:五年规划|规划纲要)|五年规划纲要"), "五年规划"),
    (re.compile(r"规划"), "专项规划"),
    (re.compile(r"方案"), "实施方案"),
    (re.compile(r"工作计划|工作安排|工作思路|工作打算|计划|安排"), "年度工作计划"),
)


@dataclass(frozen=True)
class Gaps:
    """What was cut out of a title by the site that showed it."""

    mask: str = ""
    """A masked token in the title (`20xx`, `XX`)."""
    year_cut: bool = False
    """The title starts with 年: its year was removed."""
    place_cut: str = ""
    """The division word (县, 区, 市) the title starts with, its place name removed."""

    def __str__(self) -> str:
        said = []
        if self.mask:
            said.append(f"有被隐去的内容（“{self.mask}”）")
        if self.year_cut:
            said.append("年份被隐去了")
        if self.place_cut:
            said.append(f"“{self.place_cut}”前的地名被隐去了")
        return "，".join(said)


@dataclass(frozen=True)
class Title:
    text: str
    """As the plan will carry it, with the period dash restored and collection counts removed."""
    line: int
    gaps: Gaps = Gaps()
    borrowed: bool = False
    """Taken from the title of the whole file, not the plan's own."""
    issuer: str = ""
    """The body named before “关于印发《…》的通知”, when the title came from such a notice."""

    @property
    def mask(self) -> str:
        return str(self.gaps)


@dataclass
class Metadata:
    values: dict[str, object] = field(default_factory=dict)
    """Schema key → value for every field the document states."""
    fill: dict[str, str] = field(default_factory=dict)
    """Schema key → what the source showed, for the required fields the author must write."""
    notes: list[Note] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    """Indexes of blocks that were metadata only (a document number line) and leave the body."""


def clean_title(text: str) -> tuple[str, list[str]]:
    """Remove a site's “(2篇)” and file suffix; restore the dash of a period that lost it."""
    changes = []
    cleaned = re.sub(r"\.(?:docx?|wps|pdf|txt)\b", "", text, flags=re.IGNORECASE)
    collection = _COLLECTION.sub("", cleaned)
    if collection != cleaned:
        changes.append(f"去掉标题中网站加的“{_COLLECTION.search(cleaned).group(0).strip()}”")  # type: ignore[union-attr]
    cleaned = collection

    def dash(match: re.Match[str]) -> str:
        first, last = int(match.group(1)), int(match.group(2))
        if first < last <= first + 10:
            changes.append(f"补上年份区间的连接号：“{match.group(0)}”→“{first}—{last}年”")
            return f"{first}—{last}年"
        return match.group(0)

    cleaned = _PERIOD_NO_DASH.sub(dash, cleaned)
    cleaned = re.sub(r"\((\d{4}\s*[-—–－~～至到]\s*\d{4}\s*年?)\)", r"（\1）", cleaned)
    return cleaned.strip(), changes


_SUFFIX_WORDS = ("市场", "区域", "县域", "省级", "市级", "县级", "区级", "市县", "省市")


def title_gaps(title: str) -> Gaps:
    mask = MASK.search(title)
    if mask:
        return Gaps(mask.group(0))
    stripped = re.sub(r"^\s*(?:\d{4}\s*年)?", "", MASK.sub("", title))
    year_cut = stripped.startswith("年")
    stripped = stripped.removeprefix("年")
    place = stripped[:1] if stripped[:1] in _ADMIN_SUFFIX and len(stripped) > 1 else ""
    if place and stripped.startswith(_SUFFIX_WORDS) and not stripped.startswith(("市县", "省市")):
        place = ""
    return Gaps("", year_cut, place)


def find_title(blocks: list[Block]) -> tuple[Title | None, list[Block]]:
    """The document's title and the blocks after it; a title run into the first paragraph is split off."""
    if not blocks or blocks[0].is_table:
        return None, blocks
    first = blocks[0]
    text = first.text
    if starts_with_marker(text) and first.style_level is None:
        return None, blocks
    titled = (first.style_level in (0, 1) or first.emphasized) and len(text) <= 80
    plain_title = len(text) <= 60 and not any(c in text for c in "。，,；;！？") and re.search(_PLAN_TYPE, text)
    if titled or plain_title:
        rest = blocks[1:]
        # An issuing body on the line above the plan's name: “××县科学技术局” / “2024年科技工作要点”.
        if (rest and not rest[0].is_table and len(text) <= 30 and _ORGAN.search(text[-6:])
                and not re.search(_PLAN_TYPE, text) and re.search(_PLAN_TYPE, rest[0].text)
                and len(rest[0].text) <= 40):
            text, rest = text + rest[0].text, rest[1:]
        return _title(text, first.line), rest
    match = _TITLE_PREFIX.match(text)
    if match and len(text) > match.end() + 10:
        title = match.group("title") + (match.group("period") or "")
        body = text[match.end():].strip()
        again = _TITLE_PREFIX.match(body)
        if again and len(body) > again.end() + 10 and _alike(title, again.group("title")):
            # A site's file title run into the document's own: “…2021年度工作总结范文及…县…2021年工作总结及…”.
            title = again.group("title") + (again.group("period") or "")
            body = body[again.end():].strip()
        return _title(title, first.line), [first.with_text(body, bold_lead=0), *blocks[1:]]
    return None, blocks


def _alike(a: str, b: str) -> bool:
    def core(text: str) -> str:
        return re.sub(r"[\s年度]|范文|精选", "", text)
    return core(a) == core(b)


def is_signature(text: str) -> bool:
    """The issuing body or the date under the text."""
    organ = _ORGAN.search(text)
    return bool(_DATE.match(text)) or (len(text) <= 30 and organ is not None and organ.end() == len(text)
                                       and not has_sentence_punctuation(text))


def _title(text: str, line: int) -> Title:
    """A notice that issues the plan (“××局关于印发《2024年科技工作要点》的通知”) gives the plan's own title."""
    text = text.strip()
    notice = _NOTICE.match(text)
    if notice:
        return Title(notice.group("title"), line, title_gaps(notice.group("title")), issuer=notice.group("issuer"))
    return Title(text, line, title_gaps(text))


def core_name(name: str) -> str:
    """瓯海区 → 瓯海: the name without the word for the kind of division."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _places(text: str, gazetteer: Gazetteer) -> list[str]:
    """Named divisions in a title or issuer, in order: “温州市瓯海区科学技术局” → [温州市, 瓯海区]."""
    found: list[str] = []
    position = 0
    while position < len(text):
        best = ""
        for end in range(position + 2, min(len(text), position + 12) + 1):
            candidate = text[position:end]
            if candidate.endswith(_SUFFIXES) and gazetteer.codes_named(candidate):
                best = candidate
        if best:
            if not found or found[-1] != best:
                found.append(best)
            position += len(best)
        else:
            position += 1
    return found


def _year_from(text: str) -> tuple[int | None, tuple[int, int] | None, str]:
    """Year, period and (when masked) the masked text, from a title or an opening sentence."""
    for pattern in (_PERIOD, _PERIOD_NO_DASH):
        match = pattern.search(text)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            if YEAR_MIN <= first < last <= min(YEAR_MAX, first + 10):
                return first, (first, last), ""
    masked = _MASKED_YEAR.search(text)
    if masked:
        return None, None, masked.group(0)
    years = [int(m.group(1)) for m in _YEAR.finditer(text) if YEAR_MIN <= int(m.group(1)) <= YEAR_MAX]
    if years:
        # “2023年工作总结及2024年工作安排”: the plan is for the year named last.
        return years[-1], None, ""
    chinese = _CN_YEAR.search(text)
    if chinese:
        year = year_number(chinese.group(1))
        if YEAR_MIN <= year <= YEAR_MAX:
            return year, None, ""
    return None, None, ""


def five_year_period(text: str) -> tuple[int, int] | None:
    """“十四五” → (2021, 2025): the period of a five-year plan a title names by its number."""
    match = _FIVE_YEAR.search(text)
    if not match:
        return None
    first = 1966 + 5 * (10 + chinese_number(match.group(1)) - 3)
    return (first, first + 4) if YEAR_MIN <= first <= YEAR_MAX else None


Stated = dict[str, tuple[str, int, str]]
"""Facts the page states outside the plan's text (its disclosure block, the notice that issues it): key →
(value, source line, where)."""


class _Detector:
    def __init__(self, title: Title | None, blocks: list[Block], categories: tuple[str, ...],
                 gazetteer: Gazetteer, shown: Callable[[str], str], stated: Stated) -> None:
        self.shown = shown
        self.stated = stated
        if title is None and "title" in stated:
            text, line, _ = stated["title"]
            title = _title(clean_title(text)[0], line)
        self.title = title
        self.title_text = title.text if title else ""
        self.blocks = blocks
        self.categories = categories
        self.gazetteer = gazetteer
        self.meta = Metadata()

    def found(self, key: str, value: object, how: str, line: int = 0) -> None:
        if key in _WORDING and isinstance(value, str):
            value = self.shown(value)
        self.meta.values[key] = value
        self.meta.notes.append(Note(NoteKind.FOUND, f"{FIELDS_BY_KEY[key].alias}：{value}（{how}）", line))

    def ask(self, key: str, why: str) -> None:
        self.meta.fill[key] = why

    def check(self, message: str, line: int = 0) -> None:
        self.meta.notes.append(Note(NoteKind.CHECK, message, line))

    def run(self) -> Metadata:
        self._title()
        self._year()
        issuer = self._issuer_text()
        self._region(issuer)
        self._issuer(issuer)
        self._category()
        self._doc_number()
        self._index_no()
        self._written()
        self._summary()
        return self.meta

    def _title(self) -> None:
        if self.title is None:
            self.ask("title", "没有找到标题")
        elif _COMPILATION_NAME.search(self.title.text):
            self.ask("title", f"“{self.title.text}”是网站给汇编起的名称，不是这篇计划的标题，请写计划的标题")
        elif self.title.borrowed:
            self.ask("title", f"这篇没有自己的标题，整个文件的标题是“{self.title.text}”，请写这篇计划的标题")
        elif self.title.mask:
            self.ask("title", f"原文标题“{self.title.text}”中{self.title.mask}，请补全")
        else:
            self.found("title", self.title.text, "据文档开头")

    def _opening(self) -> str:
        return next((b.text for b in self.blocks if not b.is_table), "")

    def _year(self) -> None:
        year, period, masked = _year_from(self.title_text)
        where = "据标题"
        written = self.stated.get("written")
        if period and written:
            # A plan for 2011–2015 issued in 2012: its year is the year it was issued.
            self.found("period", f"{period[0]}-{period[1]}", where)
            self.found("year", int(written[0][:4]), "据成文日期")
            return
        if year is None and not masked and written:
            year, where = int(written[0][:4]), "据成文日期"
        if period is None and year is None and not masked:
            five = five_year_period(self.title_text)
            if five:
                self.found("period", f"{five[0]}-{five[1]}", f"据标题中的“十{to_chinese(five[0] // 5 - 390)}五”")
                self.ask("year", f"原文只写明实施期限 {five[0]}-{five[1]}，没有写明年度")
                return
        year_cut = bool(self.title and self.title.gaps.year_cut)
        if year is None and not masked and not year_cut:
            match = _BODY_YEAR.match(self._opening())
            masked_open = _MASKED_YEAR.match(self._opening())
            if match:
                year, where = int(match.group(1)), "据正文第一句"
            elif masked_open:
                masked = masked_open.group(0)
        if year is not None:
            self.found("year", year, where)
            if period:
                self.found("period", f"{period[0]}-{period[1]}", where)
            return
        if masked:
            self.ask("year", f"原文年份被隐去（写作“{masked.strip()}”）")
        elif year_cut:
            self.ask("year", "标题中的年份被隐去了")
        else:
            self.ask("year", "原文没有写明年度")

    def _issuer_text(self) -> tuple[str, int]:
        """The issuing body as written: in the title, or signed under the text."""
        for key in ("signature", "notice_issuer", "site_issuer"):
            if key in self.stated:
                text, line, _ = self.stated[key]
                if key == "signature" and (text[0] in _ADMIN_SUFFIX or MASK.search(text)):
                    continue  # “区法宣办”: a short form; the full name may be stated elsewhere
                return text, line
        if self.title is not None and self.title.issuer:
            return self.title.issuer, self.title.line
        title = re.sub(r"^\s*(?:\d{4}|20[xX×]{2})?\s*年?", "", self.title_text)
        match = None if self.title is None or self.title.borrowed else _ORGAN.search(title)
        if match and match.end() <= 24 and not re.search(_PLAN_TYPE, title[: match.start()]) and "关于" not in title[
                : match.start()]:
            return title[: match.end()], self.title.line if self.title else 0
        for block in reversed(self.blocks[-4:]):
            if not block.is_table and not _DATE.match(block.text) and is_signature(block.text):
                return block.text, block.line
        return "", 0

    def _region(self, issuer: tuple[str, int]) -> None:
        places = _places(self.title_text, self.gazetteer) or _places(issuer[0], self.gazetteer)
        if not places:
            gaps = self.title.gaps if self.title else Gaps()
            if gaps.place_cut:
                self.ask("region", f"标题中“{gaps.place_cut}”前的地名被隐去了")
            elif gaps.mask or (issuer[0] and MASK.search(issuer[0])):
                self.ask("region", "标题或发文机关中的地名被隐去了")
            else:
                self.ask("region", "原文没有写明地区")
            return
        written = "/".join(places)
        try:
            chain = resolve_region(written, None, self.gazetteer)
        except RegionError as exc:
            self.found("region", written, "据标题")
            self.check(f"地区：{exc}")
            return
        names = "/".join(region.name for region in chain)
        self.found("region", names, f"据“{written}”")
        if chain[-1].code:
            self.found("region_code", chain[-1].code, f"据 {self.gazetteer.edition}")

    def _issuer(self, issuer: tuple[str, int]) -> None:
        text, line = issuer
        if not text:
            self.ask("issuer", "原文没有写明发文机关")
            return
        if MASK.search(text):
            self.ask("issuer", f"原文为“{text}”，其中有被隐去的内容")
            return
        if _ORGAN.match(text):
            self.ask("issuer", f"原文只写了“{text}”，请写发文机关全称")
            return
        if text[0] in _ADMIN_SUFFIX:
            region = str(self.meta.values.get("region", "")).split("/")[-1]
            if region.endswith(text[0]):
                self.found("issuer", region + text[1:], f"据“{text}”和地区")
                return
            self.ask("issuer", f"原文为“{text}”，缺少地名，请写发文机关全称")
            return
        from_title = not line or line == (self.title.line if self.title else 0)
        self.found("issuer", text, "据标题" if from_title else "据落款", 0 if from_title else line)

    def _category(self) -> None:
        period = self.meta.values.get("period")
        text = self.title_text
        for pattern, category in _CATEGORY_RULES:
            if pattern.search(text):
                if category == "专项规划" and isinstance(period, str) and "行动计划" in text:
                    category = "三年行动计划"
                if category in self.categories:
                    self.found("category", category, f"据标题中的“{pattern.search(text).group(0)}”")  # type: ignore
                else:
                    self.ask("category", f"标题像是“{category}”，但本站的类别中没有它，请从配置的类别中选一个")
                return
        self.ask("category", "无法从标题判断类别")

    def _doc_number(self) -> None:
        if "doc_number" in self.stated:
            value, line, how = self.stated["doc_number"]
            self.found("doc_number", value, how, line)
            return
        for index, block in enumerate(self.blocks[:6]):
            match = None if block.is_table else _DOC_NUMBER.search(block.text)
            if not match or re.search(r"[》〉][(（]?\s*$", block.text[: match.start()]):
                continue  # the number of a document the text cites: 《…》（浙政办发〔2022〕59号）
            if MASK.search(match.group(0)):
                self.check(f"发文字号被隐去（“{match.group(0)}”），如有请填写 doc_number", block.line)
            else:
                self.found("doc_number", match.group(0), "据文号", block.line)
            if len(block.text) <= len(match.group(0)) + 4:
                self.meta.consumed.add(index)
            return

    def _index_no(self) -> None:
        if "index_no" in self.stated:
            value, line, how = self.stated["index_no"]
            self.found("index_no", value, how, line)

    def _written(self) -> None:
        """The date the page states (signature of the notice, disclosure block), a date in brackets under the
        title, or the date under the signature."""
        if "written" in self.stated:
            value, line, how = self.stated["written"]
            self.found("written", value, how, line)
            return
        opening = [(i, b, True) for i, b in enumerate(self.blocks[:2]) if b.text.startswith(("(", "（"))]
        closing = [(i, b, False) for i, b in enumerate(self.blocks) if i >= len(self.blocks) - 3]
        for index, block, at_top in [*opening, *reversed(closing)]:
            match = None if block.is_table else _DATE.match(block.text)
            if not match:
                continue
            if at_top:
                self.meta.consumed.add(index)
            year, month, day = match.groups()
            if any(MASK.search(part) or "x" in part.lower() for part in (year, month, day)):
                self.check(f"成文日期被隐去（“{block.text}”），如有请填写 written", block.line)
                return
            try:
                date = dt.date(year_number(year), chinese_number(month), chinese_number(day))
            except ValueError:
                return
            self.found("written", date.isoformat(), "据标题下的日期" if at_top else "据落款", block.line)
            return

    def _summary(self) -> None:
        for block in self.blocks[:2]:
            if block.is_table or starts_with_marker(block.text):
                return
            for sentence in re.findall(r"[^。！？]+[。！？]", block.text):
                if _SUMMARY.search(sentence) and 15 <= len(sentence) <= 150 and not MASK.search(sentence):
                    self.found("summary", sentence.strip(), "据正文开头")
                    return


def detect(title: Title | None, blocks: list[Block], categories: tuple[str, ...], gazetteer: Gazetteer,
           shown: Callable[[str], str] = str, stated: Stated | None = None) -> Metadata:
    """`shown` maps the Simplified text every step reads back to the script the plan keeps."""
    return _Detector(title, blocks, categories, gazetteer, shown, stated or {}).run()


def describe_gap(key: str, why: str) -> str:
    spec = FIELDS_BY_KEY[key]
    return f"{spec.key}（{spec.alias}）：{why}。例如：{spec.key}: {spec.example}"
