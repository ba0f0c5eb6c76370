"""The `Plan` model and its validation against the schema, one file at a time."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from planpub import frontmatter
from planpub.ids import derive_id, is_valid_id
from planpub.problems import PlanpubError, Problem, error, warning
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
)

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


class _Reader:
    """Turns raw YAML values into typed values, collecting one message per bad field."""

    def __init__(self, path: str, lines: dict[str, int], categories: tuple[str, ...], plan_dir: Path) -> None:
        self.path = path
        self.lines = lines
        self.categories = categories
        self.plan_dir = plan_dir
        self.plans_root = _plans_root(path, plan_dir)
        self.problems: list[Problem] = []

    def fail(self, spec: Field, message: str) -> None:
        self.problems.append(error(self.path, self.lines.get(spec.key, 1),
                                   f"{spec.names}{message}，例如：{spec.key}: {spec.example}"))

    def read(self, spec: Field, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "" or raw == []:
            if spec.required:
                self.problems.append(error(self.path, self.lines.get(spec.key, 1),
                                           f"缺少必填字段 {spec.names}，例如：{spec.key}: {spec.example}"))
            return None
        if spec.required and isinstance(raw, str) and PLACEHOLDER in raw:
            self.problems.append(error(self.path, self.lines.get(spec.key, 1),
                                       f"{spec.names}还是“{PLACEHOLDER}”，请填写真实内容后再发布，"
                                       f"例如：{spec.key}: {spec.example}"))
            return None
        reader = getattr(self, f"_read_{spec.kind.name.lower()}")
        return reader(spec, raw)

    def _read_text(self, spec: Field, raw: Any) -> str | None:
        if isinstance(raw, (dict, list)):
            self.fail(spec, "应当是一段文字")
            return None
        return str(raw)

    def _read_integer(self, spec: Field, raw: Any) -> int | None:
        text = str(raw).strip().removesuffix("年")
        if isinstance(raw, bool) or not text.isdigit():
            self.fail(spec, f"应当是四位数字的年份，现在是“{raw}”")
            return None
        value = int(text)
        if not YEAR_MIN <= value <= YEAR_MAX:
            self.fail(spec, f"的值 {value} 不在 {YEAR_MIN}—{YEAR_MAX} 之间，请检查是否写错")
            return None
        return value

    def _read_date(self, spec: Field, raw: Any) -> dt.date | None:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        match = DATE_PATTERN.match(str(raw))
        if not match:
            self.fail(spec, f"“{raw}”不是日期，请写成 年-月-日（YYYY-MM-DD，月和日都写两位）")
            return None
        try:
            value = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            self.fail(spec, f"“{raw}”这一天不存在，请核对月份和日期")
            return None
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            self.fail(spec, f"“{raw}”的年份不在 {YEAR_MIN}—{YEAR_MAX} 之间，请检查是否写错")
            return None
        return value

    def _read_period(self, spec: Field, raw: Any) -> tuple[int, int] | None:
        match = PERIOD_PATTERN.match(str(raw))
        if not match:
            self.fail(spec, f"“{raw}”不是“起始年-结束年”的形式")
            return None
        first, last = int(match.group(1)), int(match.group(2))
        if first > last or not (first >= YEAR_MIN and last <= YEAR_MAX):
            self.fail(spec, f"“{raw}”的起始年晚于结束年或超出范围")
            return None
        return first, last

    def _read_choice(self, spec: Field, raw: Any) -> str | None:
        choices = self.categories if spec.key == "category" else spec.choices
        value = str(raw)
        if value not in choices:
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.3)
            hint = f"是不是“{close[0]}”？" if close else ""
            self.problems.append(error(self.path, self.lines.get(spec.key, 1),
                                       f"{spec.names}不能是“{value}”。{hint}可选：{'、'.join(choices)}"))
            return None
        return value

    def _read_text_list(self, spec: Field, raw: Any) -> tuple[str, ...] | None:
        if isinstance(raw, str):
            items = [s for s in re.split(r"[,，、;；]\s*", raw) if s.strip()]
        elif isinstance(raw, list) and all(isinstance(x, (str, int)) for x in raw):
            items = [str(x) for x in raw]
        else:
            self.fail(spec, "应当是一个或多个词")
            return None
        return tuple(s.strip() for s in items)

    def _read_ident(self, spec: Field, raw: Any) -> str | None:
        value = str(raw)
        if not is_valid_id(value):
            self.fail(spec, f"“{value}”只能包含小写字母、数字和连字符")
            return None
        return value

    def _read_id_list(self, spec: Field, raw: Any) -> tuple[str, ...] | None:
        values = raw if isinstance(raw, list) else [raw]
        bad = [str(v) for v in values if not is_valid_id(str(v))]
        if bad:
            self.fail(spec, f"中的“{bad[0]}”只能包含小写字母、数字和连字符")
            return None
        return tuple(str(v) for v in values)

    def _read_region_code(self, spec: Field, raw: Any) -> str | None:
        value = str(raw).strip()
        if not re.fullmatch(r"\d{6}", value):
            self.fail(spec, f"“{value}”应当是六位数字")
            return None
        return value

    def _read_attachments(self, spec: Field, raw: Any) -> tuple[Attachment, ...] | None:
        items = raw if isinstance(raw, list) else [raw]
        result: list[Attachment] = []
        for item in items:
            entry = {"file": item} if isinstance(item, str) else item
            if not isinstance(entry, dict) or not entry.get("file"):
                self.fail(spec, "的每一项要写 file")
                return None
            name = str(entry["file"])
            source = (self.plan_dir / name).resolve()
            if not source.is_relative_to(self.plans_root):
                # Attachments are copied into the public site: a path must not reach the rest of the machine.
                self.problems.append(error(self.path, self.lines.get(spec.key, 1),
                                           f"附件“{name}”在计划文件夹之外，不能发布。请把文件复制到计划文件所在的文件夹，"
                                           "写相对路径，例如：attachments: [{file: 附件1.pdf, title: 任务分解表}]"))
                continue
            if not source.is_file():
                self.problems.append(error(self.path, self.lines.get(spec.key, 1),
                                           f"附件“{name}”不存在（按计划文件所在文件夹查找）。请把文件放到那里，"
                                           "或改正文件名。"))
                continue
            result.append(Attachment(name, str(entry.get("title") or source.stem), source))
        return tuple(result)


def parse_plan(
    relative_path: str, text: str, categories: tuple[str, ...], plan_dir: Path | None = None
) -> tuple[Plan | None, list[Problem]]:
    """Validate one plan file's text. Returns the plan (None when any error) and every problem found."""
    try:
        fm = frontmatter.split(relative_path, text)
    except PlanpubError as exc:
        return None, exc.problems
    problems = list(fm.problems)
    raw: dict[str, Any] = {}
    lines: dict[str, int] = {}
    names: dict[str, str] = {}  # key → the name (key or alias) the author wrote, for messages
    for name, value in fm.values.items():
        line = fm.key_lines.get(name, 1)
        key = KEY_BY_NAME.get(name)
        if key is None:
            problems.append(warning(relative_path, line, f"不认识的字段“{name}”，已忽略。{_suggest(name)}"))
            continue
        if key in raw:
            problems.append(error(relative_path, line, f"“{name}”和第 {lines[key]} 行的“{names[key]}”是同一个字段"
                                                       f"（{FIELDS_BY_KEY[key].names}），写了两次，请删去其中一个。"))
            continue
        raw[key], lines[key], names[key] = value, line, name
    reader = _Reader(relative_path, lines, categories, plan_dir or Path("."))
    values = {spec.key: reader.read(spec, raw.get(spec.key)) for spec in FIELDS}
    problems += reader.problems

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
    problems += _unsafe_html_warnings(relative_path, fm.body, fm.body_line)

    if any(p.is_error for p in problems):
        return None, problems
    declared = values["id"] is not None
    plan = Plan(
        id=values["id"] or derive_id(relative_path),
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


def read_plan_file(
    plans_dir: Path, path: Path, categories: tuple[str, ...]
) -> tuple[Plan | None, list[Problem]]:
    relative = path.relative_to(plans_dir).as_posix()
    try:
        text = frontmatter.decode(relative, path.read_bytes())
    except PlanpubError as exc:
        return None, exc.problems
    except OSError as exc:
        return None, [error(relative, 0, f"无法读取文件：{exc.strerror}")]
    return parse_plan(relative, text, categories, path.parent)
