"""Plan files: the front matter in schema order, stable and unique ids, and writing without overwriting."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planpub import frontmatter
from planpub.catalog import plan_files
from planpub.ids import derive_id, is_valid_id, slugify
from planpub.importer.metadata import MASK, core_name
from planpub.problems import PlanpubError
from planpub.schema import FIELDS, PLACEHOLDER

_ID_LENGTH = 80


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
    return json.dumps(text, ensure_ascii=False)


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
        while True:
            target = (self.out_dir / f"{candidate}.md").resolve()
            owner = self.taken.get(candidate)
            if candidate not in self.given and (owner is None or owner == target):
                self.given.add(candidate)
                self.taken[candidate] = target
                return candidate, target
            number += 1
            candidate = f"{base}-{number}"


def write_plan(target: Path, text: str, *, force: bool) -> str:
    """Writes the file unless it exists and `force` is off; returns what happened, for the report."""
    existed = target.exists()
    if existed and not force:
        return "exists"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return "overwritten" if existed else "written"

