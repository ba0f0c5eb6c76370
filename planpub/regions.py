"""Administrative regions: the shipped GB/T 2260 gazetteer and the tree of regions that plans name."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from planpub.ids import slugify

# Codes whose names are grouping rows of the standard, not divisions a plan belongs to.
_GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"})
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "省", "市",
             "区", "县", "盟", "旗")


@dataclass(frozen=True)
class GazetteerEntry:
    code: str
    name: str
    first: int
    last: int | None
    """None while the code is current."""

    @property
    def retired(self) -> bool:
        return self.last is not None


@dataclass(frozen=True)
class Gazetteer:
    """GB/T 2260 codes, including retired ones, so that old plans can name old divisions."""

    entries: dict[str, GazetteerEntry]
    edition: str
    by_name: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, code: str) -> GazetteerEntry | None:
        return self.entries.get(code)

    def lineage(self, code: str) -> list[GazetteerEntry]:
        """Province, city and county entries of a code, skipping the standard's grouping rows."""
        chain: list[GazetteerEntry] = []
        for candidate in (code[:2] + "0000", code[:4] + "00", code):
            entry = self.entries.get(candidate)
            if entry and entry.name not in _GROUPING_NAMES and (not chain or chain[-1].code != entry.code):
                chain.append(entry)
        return chain

    def codes_named(self, name: str) -> list[str]:
        return list(self.by_name.get(name, ()))


def _core(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def names_match(written: str, canonical: str) -> bool:
    """瓯海区 matches 瓯海区 and 瓯海; 温州 matches 温州市."""
    return written == canonical or _core(written) == _core(canonical)


def parse_gazetteer(text: str) -> Gazetteer:
    """A gazetteer from the text of a gbt2260.tsv file (see planpub/data/build_gbt2260.py for its columns)."""
    entries: dict[str, GazetteerEntry] = {}
    edition = ""
    for line in text.splitlines():
        if line.startswith("#"):
            if "edition:" in line:
                edition = line.split("edition:", 1)[1].strip()
            continue
        code, name, first, last = [*line.split("\t"), "", "", ""][:4]
        if not code.isdigit():
            continue
        entries[code] = GazetteerEntry(code, name, int(first), int(last) if last else None)
    by_name: dict[str, list[str]] = {}
    for entry in entries.values():
        if entry.name in _GROUPING_NAMES:
            continue
        for key in {entry.name, _core(entry.name)}:
            by_name.setdefault(key, []).append(entry.code)
    return Gazetteer(entries, edition, {k: tuple(sorted(v)) for k, v in by_name.items()})


@cache
def load_gazetteer() -> Gazetteer:
    """The dataset shipped with planpub."""
    return parse_gazetteer(resources.files("planpub.data").joinpath("gbt2260.tsv").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Region:
    key: str
    """The 6-digit GB/T 2260 code when the region has one, otherwise a stable ASCII slug."""
    name: str
    parent: str | None
    code: str | None = None
    retired: bool = False

    @property
    def is_coded(self) -> bool:
        return self.code is not None


class RegionError(ValueError):
    """A region a plan names that cannot be placed; the message is for the author."""


def _entry_path(gazetteer: Gazetteer, code: str) -> list[Region]:
    chain = gazetteer.lineage(code)
    regions, parent = [], None
    for entry in chain:
        regions.append(Region(entry.code, entry.name, parent, entry.code, entry.retired))
        parent = entry.code
    return regions


def _lineage_matches(gazetteer: Gazetteer, code: str, parts: list[str]) -> bool:
    names = [e.name for e in gazetteer.lineage(code)]
    # Every written segment must match a level of the code's lineage, in order, ending at the code itself.
    if not names or not names_match(parts[-1], names[-1]):
        return False
    position = 0
    for part in parts[:-1]:
        while position < len(names) - 1 and not names_match(part, names[position]):
            position += 1
        if position >= len(names) - 1:
            return False
        position += 1
    return True


def _pick(gazetteer: Gazetteer, candidates: list[str]) -> list[str]:
    current = [c for c in candidates if not gazetteer.entries[c].retired]
    return current or candidates


def _placed(gazetteer: Gazetteer, parts: list[str]) -> list[str]:
    """Codes that the last segment names and whose lineage fits the segments before it.

    A division whose name is exactly as written wins, so 沙县 finds the retired county and not the current 沙县区;
    otherwise current divisions win over retired ones, so 洞头 finds 洞头区 and not 洞头县.
    """
    named = gazetteer.codes_named(parts[-1]) or gazetteer.codes_named(_core(parts[-1]))
    found = [c for c in named if _lineage_matches(gazetteer, c, parts)]
    exact = [c for c in found if gazetteer.entries[c].name == parts[-1]]
    return _pick(gazetteer, exact or found)


def _describe(gazetteer: Gazetteer, code: str) -> str:
    return "/".join(e.name for e in gazetteer.lineage(code)) + f"（{code}）"


def _ambiguous(gazetteer: Gazetteer, written: str, candidates: list[str]) -> RegionError:
    options = "、".join(_describe(gazetteer, c) for c in candidates[:5])
    example = "/".join(e.name for e in gazetteer.lineage(candidates[0]))
    return RegionError(f"地区“{written}”有重名：{options}。请写成从省开始的路径（如 {example}），或写 region_code。")


def resolve_region(text: str, code: str | None, gazetteer: Gazetteer) -> list[Region]:
    """The chain of regions, province first, that a plan's `region` (and `region_code`) denote.

    A region the dataset does not list (a development zone, a new district) is placed under the longest coded
    prefix of its path, with a slug key. Raises RegionError with a message for the author when the region is
    ambiguous, contradicts its code, or puts a listed division under the wrong parent.
    """
    parts = [p.strip() for p in text.replace("／", "/").split("/") if p.strip()]
    if not parts:
        raise RegionError("地区为空。请写计划所属的地区，如 瓯海区 或 浙江省/温州市/瓯海区。")
    if code is not None:
        entry = gazetteer.get(code)
        if entry is None:
            raise RegionError(f"行政区划代码 {code} 不存在于数据集（{gazetteer.edition or 'GB/T 2260'}）中，"
                              "请核对代码；不知道代码时可以只写地区名称。")
        if not _lineage_matches(gazetteer, code, parts):
            raise RegionError(f"地区“{text}”与行政区划代码 {code} 不一致：该代码是 {_describe(gazetteer, code)}。"
                              "请改正其中一个。")
        return _entry_path(gazetteer, code)

    candidates = _placed(gazetteer, parts)
    if len(candidates) == 1:
        return _entry_path(gazetteer, candidates[0])
    if len(candidates) > 1:
        raise _ambiguous(gazetteer, text, candidates)

    # A listed division under a parent it does not belong to is a mistake in the path, not a new region.
    elsewhere = [c for c in gazetteer.codes_named(parts[-1]) if gazetteer.entries[c].name == parts[-1]]
    if elsewhere:
        options = "、".join(_describe(gazetteer, c) for c in elsewhere[:5])
        raise RegionError(f"地区“{text}”的路径不对：“{parts[-1]}”是 {options}，不在“{'/'.join(parts[:-1])}”之下。"
                          f"请改正上级地区，例如写成 {'/'.join(e.name for e in gazetteer.lineage(elsewhere[0]))}。")

    chain: list[Region] = []
    rest = parts
    for depth in range(len(parts) - 1, 0, -1):
        prefix = _placed(gazetteer, parts[:depth])
        if len(prefix) > 1:
            raise _ambiguous(gazetteer, "/".join(parts[:depth]), prefix)
        if prefix:
            chain, rest = _entry_path(gazetteer, prefix[0]), parts[depth:]
            break
    parent = chain[-1].key if chain else None
    names = [r.name for r in chain]
    for part in rest:
        names.append(part)
        key = slugify("/".join(names))
        chain.append(Region(key, part, parent))
        parent = key
    return chain


@dataclass
class RegionTree:
    """Every region that some plan belongs to, with the ancestors that connect them."""

    regions: dict[str, Region] = field(default_factory=dict)
    children: dict[str | None, list[str]] = field(default_factory=dict)

    def add_chain(self, chain: list[Region]) -> None:
        for region in chain:
            if region.key not in self.regions:
                self.regions[region.key] = region
                self.children.setdefault(region.parent, []).append(region.key)

    def finish(self) -> None:
        """Sorts children by code, then name, so output does not depend on the order plans were read."""
        for keys in self.children.values():
            keys.sort(key=lambda k: (self.regions[k].code is None, self.regions[k].code or "", self.regions[k].name))

    def __getitem__(self, key: str) -> Region:
        return self.regions[key]

    def roots(self) -> list[Region]:
        return [self.regions[k] for k in self.children.get(None, [])]

    def children_of(self, key: str) -> list[Region]:
        return [self.regions[k] for k in self.children.get(key, [])]

    def path(self, key: str) -> list[Region]:
        chain = []
        current: str | None = key
        while current is not None:
            region = self.regions[current]
            chain.append(region)
            current = region.parent
        return chain[::-1]

    def path_names(self, key: str) -> str:
        return "/".join(r.name for r in self.path(key))

    def descendants(self, key: str) -> list[str]:
        """The region itself and all regions below it."""
        found, stack = [], [key]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self.children.get(current, [])))
        return found
