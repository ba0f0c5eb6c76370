"""Plan files: the front matter in schema order, stable and unique ids, and writing without overwriting."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planpub import frontmatter
from planpub.catalog import plan_files
from planpub.ids import derive_id, is_valid_id, slugify
from planpub.importer.metadata import MASK, core_name
from planpub.importer.model import ImportFailure
from planpub.problems import PlanpubError
from planpub.schema import FIELDS, PLACEHOLDER

_ID_LENGTH = 80
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def yaml_scalar(value: object) -> str:
    """A value as YAML that reads back as the same value, plain where that is safe (dates and years stay typed)."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:
        if yaml.safe_load(text) == text or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return text
    except yaml.YAMLError:
        pass
    # YAML reads \uXXXX escapes in double quotes but not every character raw (a DEL, a lone surrogate).
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(text, ensure_ascii=False))


def render_front_matter(plan_id: str, values: dict[str, object], fill: dict[str, str]) -> str:
    lines = ["---"]
    for spec in FIELDS:
        if spec.key == "id":
            lines.append(f"id: {plan_id}")
        elif spec.key in fill:
            why = fill[spec.key].replace("\n", " ")
            lines.append(f"{spec.key}: {PLACEHOLDER}  # {spec.alias}：{why}")
        elif spec.key in values:
            lines.append(f"{spec.key}: {yaml_scalar(values[spec.key])}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def base_id(title: str, region: str | None, year: int | None, period: str | None) -> str:
    """`瓯海区科学技术局2024年科技工作要点` in 瓯海区 → `ou-hai-2024-ke-xue-ji-shu-ju-ke-ji-gong-zuo-yao-dian`.

    What a site masked or cut out of the title (`20xx`, a leading 年 or 县) does not go into the id."""
    rest = re.sub(r"^[年省市州县区旗盟镇乡]+", "", MASK.sub("", title))
    names = [n for n in (region or "").split("/") if n]
    for name in sorted({*names, *(core_name(n) for n in names)}, key=len, reverse=True):
        rest = rest.replace(name, "")
    rest = re.sub(r"[(（]?\d{4}\s*[-—–－~～至到]?\s*(?:\d{4})?\s*年?[)）]?", "", rest)
    parts = [core_name(names[-1]) if names else "", period or (str(year) if year else ""), rest]
    slug = slugify("-".join(p for p in parts if p))
    if len(slug) > _ID_LENGTH:
        slug = slug[:_ID_LENGTH].rsplit("-", 1)[0]
    return slug


@dataclass
class IdRegistry:
    """Ids already used in the output folder (declared, derived or former) and those given out in this run."""

    out_dir: Path
    taken: dict[str, Path] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)

    @classmethod
    def scan(cls, out_dir: Path) -> IdRegistry:
        registry = cls(out_dir)
        if not out_dir.is_dir():
            return registry
        for path in plan_files(out_dir):
            relative = path.relative_to(out_dir).as_posix()
            names = [derive_id(relative)]
            try:
                fm = frontmatter.split(relative, frontmatter.decode(relative, path.read_bytes()))
                declared = fm.values.get("id") or fm.values.get("标识")
                aliases = fm.values.get("aliases") or fm.values.get("曾用标识") or []
                if declared:
                    names = [str(declared)]
                names += [str(a) for a in (aliases if isinstance(aliases, list) else [aliases])]
            except (PlanpubError, OSError):
                pass
            for name in names:
                registry.taken.setdefault(name, path.resolve())
        return registry

    def allocate(self, base: str) -> tuple[str, Path]:
        """The id for a plan and its file. Importing the same document again gives the same id and file."""
        base = base if is_valid_id(base) else "plan"
        candidate, number = base, 1
        # The folder is resolved, the file name is not: a symbolic link named like the plan is the link itself, never
        # the place it points to.
        folder = self.out_dir.resolve()
        while True:
            target = folder / f"{candidate}.md"
            owner = self.taken.get(candidate)
            # A link under the name is never written through, and the scan of plan files does not list links.
            free = owner is None and not target.is_symlink()
            if candidate not in self.given and (free or owner == target):
                self.given.add(candidate)
                self.taken[candidate] = target
                return candidate, target
            number += 1
            candidate = f"{base}-{number}"


def write_plan(target: Path, text: str, *, force: bool) -> str:
    """Writes the file unless it exists and `force` is off; returns what happened, for the report.

    Never through a symbolic link (a dangling one would put the plan outside the output folder), and a new file
    is created exclusively, so that a file appearing meanwhile is not overwritten."""
    if target.is_symlink():
        raise ImportFailure(f"{target} 是符号链接，planpub 不会通过它写入（它可能指向计划文件夹之外），没有写入。"
                            "请删去这个链接，或用 --out 指定另一个文件夹。")
    existed = target.exists()
    if existed and not force:
        return "exists"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if existed:
        temporary = target.with_name(f".{target.name}.{os.getpid()}.import")
        try:
            _write_new(temporary, data)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        return "overwritten"
    try:
        _write_new(target, data)
    except FileExistsError:
        return "exists"
    return "written"


def _write_new(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)

