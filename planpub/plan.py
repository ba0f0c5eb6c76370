"""The `Plan` model and its validation against the schema, one file at a time."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from planpub import frontmatter
from planpub.frontmatter import shown
from planpub.ids import derive_id, is_valid_id, slugify
from planpub.masking import masked_in_body
from planpub.problems import PlanpubError, Problem, error, warning
from planpub.regions import RegionError
from planpub.sanitize import removed_parts
from planpub.schema import (
    FIELDS,
    FIELDS_BY_KEY,
    KEY_BY_NAME,
    PLACEHOLDER,
    STATUS_CURRENT,
    STATUS_DRAFT,
    YEAR_MAX,
    YEAR_MIN,
    Field,
    Kind,
)
from planpub.template import PROMPT_MARK

PERIOD_PATTERN = re.compile(r"^\s*(\d{4})\s*[-–—~至到]\s*(\d{4})\s*年?\s*$")
# ISO dates; a time of day after the date (as some editors add) is accepted and ignored.
DATE_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass(frozen=True)
class Attachment:
    file: str
    """As written, relative to the plan file."""
    title: str
    source: Path


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    year: int
    region: str
    issuer: str
    category: str
    source: str
    """Path relative to the plans folder, with forward slashes; what messages name."""
    body: str = ""
    body_line: int = 1
    period: tuple[int, int] | None = None
    region_code: str | None = None
    doc_number: str | None = None
    index_no: str | None = None
    written: dt.date | None = None
    published: dt.date | None = None
    status: str = STATUS_CURRENT
    superseded_by: str | None = None
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    summary: str | None = None
    aliases: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    id_declared: bool = True
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def years(self) -> range:
        """Every year the plan applies to: a 2023–2025 plan belongs to 2023, 2024 and 2025."""
        first, last = self.period or (self.year, self.year)
        return range(first, last + 1)

    @property
    def years_label(self) -> str:
        return f"{self.period[0]}—{self.period[1]}年" if self.period else f"{self.year}年"

    @property
    def is_draft(self) -> bool:
        return self.status == STATUS_DRAFT

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


def _suggest(name: str) -> str:
    match = difflib.get_close_matches(name, list(KEY_BY_NAME), n=1, cutoff=0.5)
    if match:
        spec = FIELDS_BY_KEY[KEY_BY_NAME[match[0]]]
        other = spec.alias if match[0] == spec.key else spec.key
        return f"是不是想写“{match[0]}”（即“{other}”）？例如：{match[0]}: {spec.example}"
    return "可用的字段见 README 的“头信息字段”一节。"


def _plans_root(relative_path: str, plan_dir: Path) -> Path:
    """The plans folder, from a file's folder and its path relative to the plans folder."""
    folder = plan_dir.resolve()
    for _ in PurePosixPath(relative_path).parent.parts:
        folder = folder.parent
    return folder


# Plan and attachment names become file and folder names of the site (`/plans/<id>/<name>`); a file system refuses
# a name over 255 bytes, and a long id is no use in an address anyway.
ID_MAX_LENGTH = 100
DERIVED_ID_MAX_LENGTH = 200
NAME_MAX_BYTES = 200
PATH_MAX_BYTES = 1000
REGION_PART_MAX_LENGTH = 50
REGION_MAX_PARTS = 8
# Resource limits on one plan file, each with a message: nothing a real plan comes near (the longest line of the
# real-world material is about 2,000 characters), everything a hostile file needs to make a build slow.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINE_LENGTH = 20_000
MAX_NESTING = 20
_MAX_UNKNOWN_WARNINGS = 10
_NULL = frozenset({"~", "null", "Null", "NULL"})
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def _flow_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _too_big(path: str, size: int) -> Problem:
    limit = MAX_FILE_BYTES // 1024 // 1024
    return error(path, 1, f"文件有 {size / 1024 / 1024:.1f} MB，超过一件计划的上限 {limit} MB。"
                          "计划文件只放文字；表格、图片等请作为附件（attachments）列出，或把计划拆成几件。")


class _Reader:
    """Turns raw YAML values (text, lists and mappings of text) into typed values, collecting one message per bad
    field."""

    def __init__(self, path: str, lines: dict[str, int], categories: tuple[str, ...], plan_dir: Path,
                 plans_root: Path, names: dict[str, str]) -> None:
        self.path = path
        self.lines = lines
        self.categories = categories
        self.plan_dir = plan_dir
        self.plans_root = plans_root
        self.names = names
        self.problems: list[Problem] = []

    def line(self, spec: Field) -> int:
        return self.lines.get(spec.key, 1)

    def fail(self, spec: Field, message: str) -> None:
        self.problems.append(error(self.path, self.line(spec),
                                   f"{spec.names}{message}，例如：{spec.key}: {spec.example}"))

    def warn(self, spec: Field, message: str) -> None:
        self.problems.append(warning(self.path, self.line(spec), message))

    def read(self, spec: Field, raw: Any, unreadable: bool) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
            if raw in _NULL:
                raw = None
        if raw is None or raw == "" or raw == [] or raw == {}:
            if spec.required and not unreadable:
                self.problems.append(error(self.path, self.line(spec),
                                           f"缺少必填字段 {spec.names}，例如：{spec.key}: {spec.example}"))
            return None
        if spec.kind not in (Kind.TEXT_LIST, Kind.ID_LIST, Kind.ATTACHMENTS) and not isinstance(raw, str):
            what = "列表" if isinstance(raw, list) else "字段表（“名称: 值”）"
            self.fail(spec, f"应当是一个值，这里却写成了{what}。请在冒号后直接写值")
            return None
        if spec.required and isinstance(raw, str) and PLACEHOLDER in raw:
            self.problems.append(error(self.path, self.line(spec),
                                       f"{spec.names}还是“{PLACEHOLDER}”，请填写真实内容后再发布，"
                                       f"例如：{spec.key}: {spec.example}"))
            return None
        reader = getattr(self, f"_read_{spec.kind.name.lower()}")
        return reader(spec, raw)

    def _read_text(self, spec: Field, raw: str) -> str | None:
        if spec.key == "region":
            return self._read_region(spec, raw)
        return raw

    def _read_region(self, spec: Field, raw: str) -> str | None:
        parts = [p.strip() for p in raw.replace("／", "/").split("/")]
        bad = next((p for p in parts if p in ("", ".", "..")), None)
        if bad is not None:
            what = "空的一级" if bad == "" else f"“{bad}”"
            self.fail(spec, f"“{shown(raw)}”中有{what}。地区路径的每一级都写地区名称，用一个“/”分开，"
                            "不要以“/”开头或结尾")
            return None
        if len(parts) > REGION_MAX_PARTS or any(len(p) > REGION_PART_MAX_LENGTH for p in parts):
            self.fail(spec, f"“{shown(raw)}”太长：最多 {REGION_MAX_PARTS} 级，每级不超过 {REGION_PART_MAX_LENGTH} 个字")
            return None
        if len(raw) > 30 and len(slugify(raw)) > DERIVED_ID_MAX_LENGTH:
            self.fail(spec, f"“{shown(raw)}”太长，用作网址时超过 {DERIVED_ID_MAX_LENGTH} 个字母。请写地区的规范名称")
            return None
        return raw

    def _read_integer(self, spec: Field, raw: str) -> int | None:
        text = unicodedata.normalize("NFKC", raw.removesuffix("年").strip())
        if not (text.isascii() and text.isdigit()):
            self.fail(spec, f"应当是四位数字的年份，现在是“{shown(raw)}”")
            return None
        value = int(text)
        if not YEAR_MIN <= value <= YEAR_MAX:
            self.fail(spec, f"的值 {value} 不在 {YEAR_MIN}—{YEAR_MAX} 之间，请检查是否写错")
            return None
        if raw.endswith("年"):
            self.warn(spec, f"{spec.names}只写数字，不写“年”字：已读作 {value}。"
                            f"请写成 {self.names.get(spec.key, spec.key)}: {value}")
        return value

    def _read_date(self, spec: Field, raw: str) -> dt.date | None:
        match = DATE_PATTERN.match(raw)
        if not match:
            self.fail(spec, f"“{shown(raw)}”不是日期，请写成 年-月-日（YYYY-MM-DD，月和日都写两位）")
            return None
        try:
            value = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            self.fail(spec, f"“{shown(raw)}”这一天不存在，请核对月份和日期")
            return None
        time = _TIME.search(raw, 10)
        if time and not (int(time.group(1)) < 24 and int(time.group(2)) < 60 and int(time.group(3) or 0) < 60):
            self.fail(spec, f"“{shown(raw)}”中的时刻“{time.group(0)}”不存在。日期后面不必写时刻，只写日期即可")
            return None
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            self.fail(spec, f"“{shown(raw)}”的年份不在 {YEAR_MIN}—{YEAR_MAX} 之间，请检查是否写错")
            return None
        return value

    def _read_period(self, spec: Field, raw: str) -> tuple[int, int] | None:
        match = PERIOD_PATTERN.match(raw)
        if not match:
            self.fail(spec, f"“{shown(raw)}”不是“起始年-结束年”的形式")
            return None
        first, last = int(match.group(1)), int(match.group(2))
        if first > last or not (first >= YEAR_MIN and last <= YEAR_MAX):
            self.fail(spec, f"“{shown(raw)}”的起始年晚于结束年或超出范围")
            return None
        return first, last

    def _read_choice(self, spec: Field, raw: str) -> str | None:
        choices = self.categories if spec.key == "category" else spec.choices
        if raw not in choices:
            close = difflib.get_close_matches(raw, choices, n=1, cutoff=0.3) if len(raw) < 100 else []
            hint = f"是不是“{close[0]}”？" if close else ""
            self.problems.append(error(self.path, self.line(spec),
                                       f"{spec.names}不能是“{shown(raw)}”。{hint}可选：{'、'.join(choices)}"))
            return None
        return raw

    def _read_text_list(self, spec: Field, raw: Any) -> tuple[str, ...] | None:
        name = self.names.get(spec.key, spec.key)
        if isinstance(raw, str):
            items = [s for s in _LIST_SEPARATORS.split(raw) if s]
            if len(items) > 1:
                # An author writes a list the way Chinese text does; it is understood, and the YAML way shown.
                self.warn(spec, f"{spec.names}写成了一段文字，已按其中的顿号或逗号分成 {len(items)} 项："
                                f"{'、'.join(shown(i, 20) for i in items[:5])}。"
                                f"请写成列表：{name}: {shown(_flow_list(items), 60)}")
        elif isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            items = [x.strip() for x in raw if x.strip()]
        else:
            self.fail(spec, "应当是一个或多个词，每个词是一段文字")
            return None
        return tuple(items)

    def _check_id(self, spec: Field, value: str, what: str = "") -> bool:
        if not is_valid_id(value):
            self.fail(spec, f"{what}“{shown(value)}”只能包含小写字母、数字和连字符")
            return False
        if len(value) > ID_MAX_LENGTH:
            self.fail(spec, f"{what}“{shown(value)}”有 {len(value)} 个字符，超过上限 {ID_MAX_LENGTH}"
                            "（标识是网址的一部分）。请写一个短一些的标识")
            return False
        return True

    def _read_ident(self, spec: Field, raw: str) -> str | None:
        return raw if self._check_id(spec, raw) else None

    def _read_id_list(self, spec: Field, raw: Any) -> tuple[str, ...] | None:
        values = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(v, str) for v in values):
            self.fail(spec, "的每一项应当是一个标识")
            return None
        ids = [v.strip() for v in values]
        if all(self._check_id(spec, v, "中的") for v in ids):
            return tuple(ids)
        return None

    def _read_region_code(self, spec: Field, raw: str) -> str | None:
        if not re.fullmatch(r"\d{6}", raw, flags=re.ASCII):
            self.fail(spec, f"“{shown(raw)}”应当是六位数字")
            return None
        return raw

    def _read_attachments(self, spec: Field, raw: Any) -> tuple[Attachment, ...] | None:
        items = raw if isinstance(raw, list) else [raw]
        result: list[Attachment] = []
        for item in items:
            entry = {"file": item} if isinstance(item, str) else item
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
                self.fail(spec, "的每一项要写 file（文件名）")
                return None
            title = entry.get("title")
            if title is not None and not isinstance(title, str):
                self.fail(spec, "的 title 应当是一段文字")
                return None
            attachment = self._attachment(spec, entry["file"].strip(), (title or "").strip())
            if attachment is not None:
                result.append(attachment)
        return tuple(result)

    def _refuse(self, spec: Field, name: str, why: str) -> None:
        self.problems.append(error(self.path, self.line(spec), f"附件“{shown(name)}”{why}"))

    def _attachment(self, spec: Field, name: str, title: str) -> Attachment | None:
        """The attachment, or None after a message. Attachments are copied into the public site: a path must not
        reach a plan's source, a hidden file, or anything outside the plans folder."""
        example = "例如：attachments: [{file: 附件1.pdf, title: 任务分解表}]"
        posix = PurePosixPath(name.replace("\\", "/"))
        if len(posix.name.encode("utf-8")) > NAME_MAX_BYTES or len(name.encode("utf-8")) > PATH_MAX_BYTES:
            self._refuse(spec, name, f"的文件名太长（网站上的文件名最多 {NAME_MAX_BYTES} 字节，约 66 个汉字）。"
                                     "请给文件改一个短一些的名字")
            return None
        not_markdown = ("计划文件夹里的 .md 文件是计划的原稿（可能是草稿），不能作为附件发布。"
                        "请把附件另存为 PDF 或 Word 文件再列出")
        if posix.suffix.lower() in _MARKDOWN_SUFFIXES:
            self._refuse(spec, name, f"是 Markdown 文件：{not_markdown}")
            return None
        if any(part.startswith(".") and part not in (".", "..") for part in posix.parts):
            self._refuse(spec, name, "是隐藏文件或在以“.”开头的隐藏文件夹里，不能发布。"
                                     f"请把附件放在计划文件旁边，{example}")
            return None
        outside = f"在计划文件夹之外，不能发布。请把文件复制到计划文件所在的文件夹，写相对路径，{example}"
        if posix.is_absolute() or PureWindowsPath(name).drive:
            self._refuse(spec, name, outside)
            return None
        try:
            source = (self.plan_dir / posix).resolve()
        except (OSError, RuntimeError):
            self._refuse(spec, name, "找不到：路径里的链接绕成了圈。请改正文件名")
            return None
        if not source.is_relative_to(self.plans_root):
            # Also a link inside the plans folder that leads out of it.
            self._refuse(spec, name, outside)
            return None
        if source.suffix.lower() in _MARKDOWN_SUFFIXES:
            self._refuse(spec, name, f"是指向 Markdown 文件的链接：{not_markdown}")
            return None
        try:
            mode = source.stat().st_mode
        except OSError:
            self._refuse(spec, name, "不存在（按计划文件所在文件夹查找）。请把文件放到那里，或改正文件名。")
            return None
        if not stat.S_ISREG(mode):
            self._refuse(spec, name, "不是普通文件（是文件夹或特殊文件），不能发布。请写附件文件本身的名字")
            return None
        try:
            with source.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            self._refuse(spec, name, f"无法读取（{exc.strerror or '没有权限'}）。请检查文件的权限，或重新复制一份")
            return None
        return Attachment(name, title or source.stem, source)


RegionCheck = Callable[[str, "str | None"], object]
"""Resolves a plan's region and region code, raising RegionError (`planpub.catalog` gives one)."""


def parse_plan(
    relative_path: str, text: str, categories: tuple[str, ...], plan_dir: Path | None = None,
    plans_root: Path | None = None,
    region_check: RegionCheck | None = None,
) -> tuple[Plan | None, list[Problem]]:
    """Validate one plan file's text. Returns the plan (None when any error) and every problem found.

    `plan_dir` is the folder attachments are found in; `plans_root` the plans folder they must stay inside
    (by default found from `plan_dir` and the relative path). A valid plan's region is resolved by the catalog;
    `region_check` resolves it here when the plan has other errors, so that the author sees a wrong region in the
    same pass as the rest."""
    if len(text) > MAX_FILE_BYTES:
        return None, [_too_big(relative_path, len(text.encode("utf-8", "surrogatepass")))]
    try:
        fm = frontmatter.split(relative_path, text)
    except PlanpubError as exc:
        return None, exc.problems
    problems = list(fm.problems)
    raw: dict[str, Any] = {}
    lines: dict[str, int] = {}
    names: dict[str, str] = {}  # key → the name (key or alias) the author wrote, for messages
    unknown = 0
    for name, value in fm.values.items():
        line = fm.key_lines.get(name, 1)
        key = KEY_BY_NAME.get(name)
        if key is None:
            unknown += 1
            if unknown <= _MAX_UNKNOWN_WARNINGS:
                problems.append(warning(relative_path, line, f"不认识的字段“{shown(name)}”，已忽略。{_suggest(name)}"))
            continue
        if key in raw:
            problems.append(error(relative_path, line, f"“{name}”和第 {lines[key]} 行的“{names[key]}”是同一个字段"
                                                       f"（{FIELDS_BY_KEY[key].names}），写了两次，请删去其中一个。"))
            continue
        raw[key], lines[key], names[key] = value, line, name
    if unknown > _MAX_UNKNOWN_WARNINGS:
        problems.append(warning(relative_path, 2, f"另有 {unknown - _MAX_UNKNOWN_WARNINGS} 个不认识的字段，已忽略。"))
    unreadable = {KEY_BY_NAME.get(name) for name in fm.unreadable}
    folder = plan_dir or Path(".")
    reader = _Reader(relative_path, lines, categories, folder, plans_root or _plans_root(relative_path, folder), names)
    values = {spec.key: reader.read(spec, raw.get(spec.key), fm.gave_up or spec.key in unreadable) for spec in FIELDS}
    problems += reader.problems
    limits = body_problems(relative_path, fm.body, fm.body_line)
    problems += limits
    derived = ""
    if values["id"] is None and "id" not in raw and not any(p.is_error for p in problems):
        derived = derive_id(relative_path)
        if len(derived) > DERIVED_ID_MAX_LENGTH:
            problems.append(error(relative_path, 1, f"没有写标识（id），由文件名生成的标识有 {len(derived)} 个字母，"
                                                    f"超过上限 {DERIVED_ID_MAX_LENGTH}。请在头信息中写一个短的标识，"
                                                    f"例如：id: {FIELDS_BY_KEY['id'].example}"))
    if values["year"] and values["period"]:
        first, last = values["period"]
        if not first <= values["year"] <= last:
            problems.append(error(relative_path, lines.get("period", 1),
                                  f"实施期限 {first}-{last} 不包含年度 {values['year']}。多年计划的年度写第一年，"
                                  f"例如：year: {first}"))
    if values["written"] and values["published"] and values["published"] < values["written"]:
        problems.append(error(relative_path, lines.get("published", 1),
                              f"发布日期（published）{values['published'].isoformat()} 早于成文日期（written）"
                              f"{values['written'].isoformat()}，请检查两个日期是否写反。发布日期应不早于成文日期，"
                              f"例如：published: {values['written'].isoformat()}"))
    if not limits:
        # Finding what publishing removes renders the body: a body past the limits is not rendered at all.
        problems += _unsafe_html_warnings(relative_path, fm.body, fm.body_line)
    if values["status"] != STATUS_DRAFT:
        problems += _template_prompts(relative_path, fm.body, fm.body_line)
        problems += _masked_text(relative_path, fm.body, fm.body_line)

    if any(p.is_error for p in problems):
        code_ok = values["region_code"] is not None or "region_code" not in raw
        if region_check is not None and values["region"] and code_ok:
            try:
                region_check(values["region"], values["region_code"])
            except RegionError as exc:
                key = "region_code" if values["region_code"] else "region"
                problems.append(error(relative_path, lines.get(key, 1), str(exc)))
        return None, problems
    declared = values["id"] is not None
    plan = Plan(
        id=values["id"] or derived,
        title=values["title"],
        year=values["year"],
        region=values["region"],
        issuer=values["issuer"],
        category=values["category"],
        source=relative_path,
        body=fm.body,
        body_line=fm.body_line,
        period=values["period"],
        region_code=values["region_code"],
        doc_number=values["doc_number"],
        index_no=values["index_no"],
        written=values["written"],
        published=values["published"] or values["written"],
        status=values["status"] or STATUS_CURRENT,
        superseded_by=values["superseded_by"],
        topics=values["topics"] or (),
        keywords=values["keywords"] or (),
        summary=values["summary"],
        aliases=values["aliases"] or (),
        attachments=values["attachments"] or (),
        id_declared=declared,
        lines=lines,
    )
    return plan, problems


def _unsafe_html_warnings(path: str, body: str, body_line: int) -> list[Problem]:
    return [warning(path, body_line + line, f"正文中的“{removed.what}”发布时已删除：{removed.reason}")
            for line, removed in removed_parts(body)]


# A line's leading list and quote markers (`- `, `1. `, `> `), each one level of nesting for Markdown.
_NESTING_MARKER = re.compile(r"[ \t]*+(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))")
_NESTING_STARTS = frozenset(" \t>-*+0123456789")
_FENCE = re.compile(r"^[ \t]*+(`{3,}|~{3,})")


def _nesting(line: str) -> int:
    """How deeply a line nests lists and quotes: its markers, and the four-space indents before the first."""
    depth, position = 0, 0
    while True:
        match = _NESTING_MARKER.match(line, position)
        if not match:
            break
        depth += 1
        position = match.end()
    if not depth:
        return 0
    indent = len(line) - len(line.lstrip(" \t"))
    return depth + line[:indent].expandtabs(4).count(" ") // 4


def body_problems(path: str, body: str, body_line: int) -> list[Problem]:
    """The limits on a plan's body, each with its line: Markdown nests recursively, and the page and the index
    read every line with regular expressions."""
    problems: list[Problem] = []
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        if len(line) > MAX_LINE_LENGTH:
            problems.append(error(path, body_line + offset, f"这一行有 {len(line)} 个字符，超过上限 {MAX_LINE_LENGTH}。"
                                                            "请把它分成几段（段落之间空一行）；表格请作为附件列出。"))
            continue
        first = line[:1]
        if first in "`~ \t":
            found = _FENCE.match(line)
            if found:
                mark = found.group(1)
                fence = None if fence is not None and mark[0] == fence[0] and len(mark) >= len(fence) else (
                    fence if fence is not None else mark)
                continue
        if fence is not None or first not in _NESTING_STARTS:
            continue
        depth = _nesting(line)
        if depth > MAX_NESTING:
            problems.append(error(path, body_line + offset, f"列表或引用套了 {depth} 层，超过上限 {MAX_NESTING} 层。"
                                                            "请减少缩进或行首的“-”“>”，把内容拆成几个并列的列表。"))
        if len(problems) >= 20:
            break
    return problems


def _template_prompts(path: str, body: str, body_line: int) -> list[Problem]:
    """The prompts of the `planpub new` template left in a plan that is to be published."""
    if PROMPT_MARK not in body:
        return []
    return [error(path, body_line + offset,
                  f"正文这一行还是 planpub new 模板的提示“{line.strip()}”。请换成计划的真实内容，"
                  f"或删去这一行；还没写完的计划请保留 status: {STATUS_DRAFT}，草稿不会发布。")
            for offset, line in enumerate(body.splitlines()) if PROMPT_MARK in line]


def _masked_text(path: str, body: str, body_line: int) -> list[Problem]:
    """Masked or placeholder text left in a plan that is to be published: it would be published as it is."""
    return [error(path, line, f"正文中的“{value}”像是被遮盖或待补充的内容，发布出去读者看不懂。请换成真实内容"
                              f"（年份、地名、单位、数字），或删去；还没写完的计划请保留 status: {STATUS_DRAFT}。")
            for line, value in masked_in_body(body, body_line)]


def read_plan_file(
    plans_dir: Path, path: Path, categories: tuple[str, ...], plans_root: Path | None = None,
    region_check: RegionCheck | None = None,
) -> tuple[Plan | None, list[Problem]]:
    """Reads one plan file. A file that is not a regular file (a named pipe would block the read forever) or is
    over the size limit is refused before its content is read."""
    relative = path.relative_to(plans_dir).as_posix()
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None, [error(relative, 0, "不是普通文件（是文件夹、管道或设备），无法作为计划读取。")]
            if status.st_size > MAX_FILE_BYTES:
                return None, [_too_big(relative, status.st_size)]
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [error(relative, 0, f"无法读取文件：{exc.strerror}")]
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_big(relative, len(data))]
    try:
        text = frontmatter.decode(relative, data)
    except PlanpubError as exc:
        return None, exc.problems
    return parse_plan(relative, text, categories, path.parent, plans_root or plans_dir.resolve(), region_check)
