"""Attachments as they appear on the site: copied next to the plan's page as `/plans/<id>/<file name>`."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from planpub.plan import Attachment, Plan
from planpub.portal import links
from planpub.problems import Problem, error

# Names the plan's own folder already uses on the site.
RESERVED = frozenset({"index.html", links.PLAN_JSON})

_KINDS = {
    ".pdf": ("PDF 文件", "application/pdf"),
    ".ofd": ("OFD 版式文件", "application/ofd"),
    ".doc": ("Word 文档", "application/msword"),
    ".docx": ("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".wps": ("WPS 文档", "application/vnd.ms-works"),
    ".xls": ("Excel 表格", "application/vnd.ms-excel"),
    ".xlsx": ("Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".et": ("WPS 表格", "application/vnd.ms-excel"),
    ".csv": ("CSV 表格", "text/csv"),
    ".txt": ("文本文件", "text/plain"),
    ".zip": ("压缩包", "application/zip"),
    ".rar": ("压缩包", "application/vnd.rar"),
    ".7z": ("压缩包", "application/x-7z-compressed"),
    ".jpg": ("图片", "image/jpeg"),
    ".jpeg": ("图片", "image/jpeg"),
    ".png": ("图片", "image/png"),
}


@dataclass(frozen=True)
class SiteAttachment:
    title: str
    name: str
    """The file name on the site, in the plan's folder."""
    path: str
    """Site path, `plans/<id>/<name>`."""
    source: Path
    size: int
    kind: str
    """What a reader calls the file type: PDF 文件, Excel 表格 …"""
    media_type: str


def _kind(name: str) -> tuple[str, str]:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in _KINDS:
        return _KINDS[suffix]
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return (f"{suffix[1:].upper()} 文件" if suffix else "文件"), guessed


def site_name(attachment: Attachment) -> str:
    return PurePosixPath(attachment.file.replace("\\", "/")).name


def site_attachment(plan: Plan, attachment: Attachment) -> SiteAttachment:
    name = site_name(attachment)
    kind, media_type = _kind(name)
    return SiteAttachment(attachment.title, name, links.attachment_path(plan.id, name), attachment.source,
                          attachment.source.stat().st_size, kind, media_type)


def site_attachments(plan: Plan) -> list[SiteAttachment]:
    return [site_attachment(plan, a) for a in plan.attachments]


def size_label(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def check_attachments(plan: Plan) -> list[Problem]:
    """Two attachments with one file name, or a name the page itself uses, would overwrite each other."""
    problems = []
    seen: dict[str, str] = {}
    for attachment in plan.attachments:
        name = site_name(attachment)
        line = plan.line_of("attachments")
        if name.lower() in RESERVED:
            problems.append(error(plan.source, line, f"附件文件名“{name}”与网页自身的文件重名，请给附件改个名字，"
                                                     "例如：任务分解表.pdf。"))
        elif name in seen:
            problems.append(error(plan.source, line, f"附件“{attachment.file}”和“{seen[name]}”文件名相同，"
                                                     "在网站上会互相覆盖。请给其中一个改名。"))
        seen.setdefault(name, attachment.file)
    return problems
