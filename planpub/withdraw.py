"""`planpub withdraw ID`: takes a published plan down by setting `status: 已撤回` in its author's file.

The plan keeps its page (which says it was withdrawn), its JSON entry and its feed entries, so no published URL
breaks and `published-urls.txt` needs no editing. Only the status line changes (or one is added at the end of
the front matter); every other byte of the file stays as it was, and the file is replaced in one step, never
half written, and only if nobody changed it meanwhile.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planpub import frontmatter
from planpub.catalog import plan_files
from planpub.ids import derive_id
from planpub.problems import PlanpubError
from planpub.schema import FIELDS_BY_KEY, STATUS_DRAFT, STATUS_WITHDRAWN

_STATUS_NAMES = (FIELDS_BY_KEY["status"].key, FIELDS_BY_KEY["status"].alias)
_STATUS_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<key>status|有效性)[ \t]*:(?P<rest>[^\r\n]*)(?P<end>\r\n|\n|\r)?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


@dataclass(frozen=True)
class Found:
    path: Path
    relative: str
    plan_id: str
    values: dict[str, Any]


def _named(plans_dir: Path, plan_id: str) -> tuple[Found | None, list[str]]:
    """The plan whose id (declared, derived or former) is `plan_id`, and every id seen, for suggestions."""
    seen: list[str] = []
    for path in plan_files(plans_dir):
        relative = path.relative_to(plans_dir).as_posix()
        try:
            fm = frontmatter.split(relative, frontmatter.decode(relative, path.read_bytes()))
        except (PlanpubError, OSError):
            continue
        declared = fm.values.get("id") or fm.values.get("标识")
        own = str(declared) if declared else derive_id(relative)
        aliases = fm.values.get("aliases") or fm.values.get("曾用标识") or []
        names = [own, *(str(a) for a in (aliases if isinstance(aliases, list) else [aliases]))]
        if plan_id in names:
            return Found(path, relative, own, fm.values), seen
        seen.append(own)
    return None, seen


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _new_text(text: str, fm: frontmatter.FrontMatter, reason: str, today: dt.date) -> str:
    """The file's text with the status set to 已撤回: the status line rewritten, or a line added before the
    front matter's closing `---`."""
    lines = text.splitlines(keepends=True)
    note = f"  # {today.isoformat()} 撤回" + (f"：{reason}" if reason else "")
    written = [name for name in _STATUS_NAMES if name in fm.key_lines]
    if written:
        index = fm.key_lines[written[0]] - 1
        match = _STATUS_LINE.match(lines[index])
        if match is None:
            raise PlanpubError(f"第 {index + 1} 行的有效性写法无法自动修改（没有修改文件）。"
                               f"请手工把它改成：status: {STATUS_WITHDRAWN}")
        lines[index] = f"{match['indent']}{match['key']}: {STATUS_WITHDRAWN}{note}{match['end'] or ''}"
    else:
        closing = fm.body_line - 2
        previous = lines[closing - 1] if closing > 0 else "\n"
        ending = "\r\n" if previous.endswith("\r\n") else "\r" if previous.endswith("\r") else "\n"
        if not previous.endswith(("\n", "\r")):
            lines[closing - 1] = previous + ending
        lines.insert(closing, f"status: {STATUS_WITHDRAWN}{note}{ending}")
    return "".join(lines)


def withdraw(plans_dir: Path, plan_id: str, reason: str, as_of: dt.date) -> str:
    """Sets the plan's status to 已撤回 and returns what to tell the author. Raises PlanpubError, with the
    closest ids, when no plan has this id, and refuses plans that were never public."""
    found, seen = _named(plans_dir, plan_id)
    if found is None:
        close = difflib.get_close_matches(plan_id, seen, n=3, cutoff=0.5)
        hint = f"是不是{'或'.join(f'“{c}”' for c in close)}？" if close else ""
        raise PlanpubError(f"没有标识为“{plan_id}”的计划（在 {plans_dir} 中找过）。{hint}"
                           "标识写在计划文件头信息的 id 一行，也是网址 /plans/<标识>/ 中的那一段。")
    shown = found.relative
    if found.path.is_symlink():
        raise PlanpubError(f"{shown} 是符号链接，planpub 不修改它。请在它指向的文件中把有效性改为 status: "
                           f"{STATUS_WITHDRAWN}。")
    status = str(found.values.get("status") or found.values.get("有效性") or "").strip()
    if status == STATUS_WITHDRAWN:
        return f"{shown} 已经是“{STATUS_WITHDRAWN}”，没有修改。"
    if status == STATUS_DRAFT:
        raise PlanpubError(f"{shown} 是草稿，从未公开，不需要撤回（没有修改文件）。不要它了可以直接删除这个文件。")
    published = _date(found.values.get("published") or found.values.get("发布日期")
                      or found.values.get("written") or found.values.get("成文日期"))
    if published and published > as_of:
        raise PlanpubError(f"{shown} 的发布日期是 {published.isoformat()}，还没有公开，不需要撤回（没有修改文件）。"
                           f"不再发布时请把有效性改为 status: {STATUS_DRAFT}。")

    data = found.path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanpubError(f"{shown} 不是 UTF-8 编码，无法自动修改（没有修改文件）。"
                           f"请手工把有效性改为 status: {STATUS_WITHDRAWN}。") from None
    fm = frontmatter.split(shown, text)
    clean_reason = _CONTROL.sub(" ", reason).strip()
    new_text = _new_text(text, fm, clean_reason, dt.date.today())
    # Nothing but the status may differ: read back, the rest of the front matter and the body must be the same.
    try:
        after: frontmatter.FrontMatter | None = frontmatter.split(shown, new_text)
    except PlanpubError:
        after = None
    status_key = next((n for n in _STATUS_NAMES if n in fm.key_lines), "status")
    if after is None or after.values != {**fm.values, status_key: STATUS_WITHDRAWN} or after.body != fm.body:
        raise PlanpubError(f"{shown} 的有效性写法无法自动修改（没有修改文件）。"
                           f"请手工把它改成：status: {STATUS_WITHDRAWN}")
    _replace(found.path, data, new_text.encode("utf-8"), shown)
    line = (fm.key_lines.get(status_key) or after.key_lines.get("status", 0))
    return (f"已撤回：{shown} 第 {line} 行改为 status: {STATUS_WITHDRAWN}。\n"
            f"下次 planpub build 后，网址 /plans/{found.plan_id}/ 仍然有效，页面注明“已撤回”；"
            "published-urls.txt 不需要修改。请提交这个文件。")


def _replace(path: Path, before: bytes, after: bytes, shown: str) -> None:
    """Writes a temporary file beside the plan and renames it over the plan, unless the plan changed since it was
    read: an editor saving at the same moment must not lose the author's work."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.withdraw")
    mode = path.stat().st_mode & 0o777
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(after)
            handle.flush()
            os.fsync(handle.fileno())
        if path.is_symlink() or path.read_bytes() != before:
            raise PlanpubError(f"{shown} 在修改期间被改动了，没有修改文件。"
                               "请保存并关闭编辑器后重新运行 planpub withdraw。")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
