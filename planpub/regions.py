"""Administrative regions: the shipped GB/T 2260 gazetteer and the tree of regions that plans name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from planpub.ids import is_valid_id, slugify
from planpub.problems import Problem, error

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


@dataclass(frozen=True)
class Place:
    """A place outside GB/T 2260 (a development zone, an industrial park) that mkdocs.yml declares once."""

    name: str
    chain: tuple[Region, ...]
    """Province first, ending with the place itself."""
    line: int = 0

    @property
    def key(self) -> str:
        return self.chain[-1].key

    @property
    def path(self) -> str:
        return "/".join(r.name for r in self.chain)


@dataclass(frozen=True)
class Places:
    """The declared places, by name; empty when mkdocs.yml declares none."""

    by_name: dict[str, tuple[Place, ...]] = field(default_factory=dict)

    def all(self) -> list[Place]:
        return [p for group in self.by_name.values() for p in group]


NO_PLACES = Places()
PLACES_SETTING = "extra.planpub.places"
_PLACE_EXAMPLE = "places: [{name: 瓯江口产业集聚区, parent: 330300}]"


def place_key(parent_key: str, name: str) -> str:
    """The permanent URL key of a declared place: its name in pinyin and a hash of its parent's key and its name.

    Pinyin alone is not enough (科技园 and 科技元, A园区 and a园区 read the same); the hash makes distinct places
    distinct keys, and since it depends only on the place itself, declaring or publishing other places never
    changes a key that is already public."""
    digest = hashlib.sha256(f"{parent_key}/{name}".encode()).hexdigest()[:6]
    return f"{slugify(name)[:60].strip('-')}-{digest}"


@dataclass(frozen=True)
class PlaceConfig:
    """`extra.planpub.places` as mkdocs.yml wrote it, with the line of each item when known (0 otherwise)."""

    items: Any = None
    source: str = "mkdocs.yml"
    lines: tuple[int, ...] = ()

    def line(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else (self.lines[0] if self.lines else 0)


def parse_places(config: PlaceConfig, gazetteer: Gazetteer) -> tuple[Places, list[Problem]]:
    """Validates the declared places. Each is `{name: …, parent: 六位代码或从省开始的路径}`, optionally with a
    `key` that keeps a URL published before; a parent may be a place declared above it."""
    items = config.items
    if items is None:
        return NO_PLACES, []
    problems: list[Problem] = []
    where = config.source

    def fail(index: int, message: str) -> None:
        problems.append(error(where, config.line(index), f"{PLACES_SETTING} 第 {index + 1} 项：{message}"
                                                         f"每项写名称和上级地区，例如：{_PLACE_EXAMPLE}"))

    if not isinstance(items, list):
        problems.append(error(where, config.line(0), f"{PLACES_SETTING} 应当是一个列表，例如：{_PLACE_EXAMPLE}"))
        return NO_PLACES, problems
    places = Places({})
    keys: dict[str, Place] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            fail(index, "缺少名称（name）。")
            continue
        name = item["name"].strip()
        if "/" in name or "／" in name:
            fail(index, f"名称“{name}”里不能有“/”，上级地区写在 parent 中。")
            continue
        parent_raw = item.get("parent")
        if parent_raw is None or str(parent_raw).strip() == "":
            fail(index, f"“{name}”缺少上级地区（parent）：写上级的六位行政区划代码或从省开始的路径。")
            continue
        parent_text = str(parent_raw).strip()
        try:
            if parent_text.isdigit():
                if len(parent_text) != 6 or gazetteer.get(parent_text) is None:
                    edition = gazetteer.edition or "GB/T 2260"
                    raise RegionError(f"上级地区代码 {parent_text} 不存在于数据集（{edition}）中，请核对代码。")
                parent_chain = _entry_path(gazetteer, parent_text)
            else:
                parent_chain = resolve_region(parent_text, None, gazetteer, places)
        except RegionError as exc:
            fail(index, f"“{name}”的上级地区（parent）“{parent_text}”：{exc}")
            continue
        parent_key = parent_chain[-1].key
        if _placed(gazetteer, [*(r.name for r in parent_chain), name]):
            fail(index, f"“{name}”是 GB/T 2260 中的行政区划，不必声明，请删去这一项。")
            continue
        key = item.get("key")
        if key is not None and (not isinstance(key, str) or not is_valid_id(key) or key.isdigit()):
            fail(index, f"“{name}”的网址键（key）“{key}”只能包含小写字母、数字和连字符，且不能全是数字。")
            continue
        key = key or place_key(parent_key, name)
        place = Place(name, (*parent_chain, Region(key, name, parent_key)), config.line(index))
        same = [p for p in places.by_name.get(name, ()) if p.chain[-2].key == parent_key]
        if same:
            fail(index, f"“{place.path}”声明了两次，请删去其中一项。")
            continue
        if key in keys:
            fail(index, f"“{name}”的网址键“{key}”与“{keys[key].path}”相同，请换一个 key。")
            continue
        keys[key] = place
        places.by_name[name] = (*places.by_name.get(name, ()), place)
    return places, problems


def resolve_region(text: str, code: str | None, gazetteer: Gazetteer, places: Places = NO_PLACES) -> list[Region]:
    """The chain of regions, province first, that a plan's `region` (and `region_code`) denote.

    A region the dataset does not list (a development zone, a new district) must be declared in mkdocs.yml
    (`places`); an undeclared one is an error naming the closest real names, because a typo (瑞按市 for 瑞安市)
    would otherwise become a new region. Raises RegionError with a message for the author when the region is
    unknown, ambiguous, contradicts its code, or puts a listed division under the wrong parent.
    """
    parts = [p.strip() for p in text.replace("／", "/").split("/") if p.strip()]
    if not parts:
        raise RegionError("地区为空。请写计划所属的地区，如 瓯海区 或 浙江省/温州市/瓯海区。")
    try:
        return _resolve_parts(text, parts, code, gazetteer, places)
    except _Unknown:
        raise _unknown(text, parts, gazetteer, places) from None


class _Unknown(RegionError):
    """No division or declared place has this name; the author's message is composed by `_unknown`."""


def _resolve_parts(text: str, parts: list[str], code: str | None, gazetteer: Gazetteer,
                   places: Places) -> list[Region]:
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

    declared = [p for p in places.by_name.get(parts[-1], ()) if _path_fits([r.name for r in p.chain], parts)]
    if len(declared) == 1:
        return list(declared[0].chain)
    if len(declared) > 1:
        options = "、".join(p.path for p in declared[:5])
        raise RegionError(f"地区“{text}”有重名：{options}。请写成从省开始的路径（如 {declared[0].path}）。")

    # A listed division under a parent it does not belong to is a mistake in the path, not a new region.
    elsewhere = [c for c in gazetteer.codes_named(parts[-1]) if gazetteer.entries[c].name == parts[-1]]
    if elsewhere:
        options = "、".join(_describe(gazetteer, c) for c in elsewhere[:5])
        raise RegionError(f"地区“{text}”的路径不对：“{parts[-1]}”是 {options}，不在“{'/'.join(parts[:-1])}”之下。"
                          f"请改正上级地区，例如写成 {'/'.join(e.name for e in gazetteer.lineage(elsewhere[0]))}。")
    raise _Unknown(text)


def _path_fits(names: list[str], parts: list[str]) -> bool:
    """Whether the written segments are the levels of `names` in order (any may be left out), ending at the last."""
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


def _known_prefix(parts: list[str], gazetteer: Gazetteer, places: Places) -> tuple[list[Region], int]:
    """The longest leading segments that name one coded division or declared place, and how many they are."""
    for depth in range(len(parts) - 1, 0, -1):
        try:
            return _resolve_parts("/".join(parts[:depth]), parts[:depth], None, gazetteer, places), depth
        except _Unknown:
            continue
    return [], 0


@lru_cache(maxsize=8192)
def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(name))


def _one_edit(a: str, b: str) -> bool:
    """Whether one character replaced, added or dropped turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _closeness(written: _Named, other: _Named) -> int | None:
    """0 when the names read the same in pinyin, 1 when one character is off, None when they are not close."""
    if abs(len(written.name) - len(other.name)) > 4:
        return None  # no suffix is longer, so neither the names nor their cores can be close
    # A Chinese character is one syllable: names of different lengths never read the same, and most of the
    # dataset's names are never put into pinyin (pypinyin takes a while per name).
    for mine, theirs in ((written.name, other.name), (written.core, other.core)):
        if len(mine) == len(theirs) and _pinyin(mine) == _pinyin(theirs):
            return 0
    if _one_edit(written.name, other.name) or _one_edit(written.core, other.core):
        return 1
    return None


@dataclass(frozen=True)
class _Named:
    key: str
    name: str
    path: str
    ancestors: frozenset[str]
    retired: bool
    core: str = ""

    @classmethod
    def of(cls, key: str, name: str, path: str, ancestors: frozenset[str], retired: bool) -> _Named:
        return cls(key, name, path, ancestors, retired, _core(name))


_INDEXES: dict[int, tuple[Gazetteer, list[_Named]]] = {}


def _divisions(gazetteer: Gazetteer) -> list[_Named]:
    """Every division with its path and ancestors, built once per gazetteer: suggestions compare against all."""
    cached = _INDEXES.get(id(gazetteer))
    if cached is None or cached[0] is not gazetteer:
        found = []
        for code, entry in gazetteer.entries.items():
            lineage = gazetteer.lineage(code)
            if entry.name in _GROUPING_NAMES or not lineage or lineage[-1].code != code:
                continue
            found.append(_Named.of(code, entry.name, "/".join(e.name for e in lineage),
                                   frozenset(e.code for e in lineage[:-1]), entry.retired))
        cached = _INDEXES[id(gazetteer)] = (gazetteer, found)
    return cached[1]


def _suggestions(written: str, parent: str | None, gazetteer: Gazetteer, places: Places) -> list[str]:
    """Full paths of the real names closest to `written`, among the divisions and places under `parent`."""
    named = _divisions(gazetteer) + [_Named.of(p.key, p.name, p.path, frozenset(r.key for r in p.chain[:-1]), False)
                                     for p in places.all()]
    mine = _Named.of("", written, "", frozenset(), False)
    scored: list[tuple[int, bool, str, str]] = []
    for item in named:
        if parent and parent not in item.ancestors:
            continue
        rank = _closeness(mine, item)
        if rank is not None:
            scored.append((rank, item.retired, item.key, item.path))
    scored.sort()
    return list(dict.fromkeys(path for *_, path in scored))[:3]


def _unknown(text: str, parts: list[str], gazetteer: Gazetteer, places: Places) -> RegionError:
    prefix, depth = _known_prefix(parts, gazetteer, places)
    unknown = parts[depth]
    parent = prefix[-1] if prefix else None
    close = _suggestions(unknown, parent.key if parent else None, gazetteer, places)
    where = f"不是{parent.name}下的行政区划" if parent else "不在行政区划数据集（GB/T 2260）中"
    subject = f"地区“{text}”" if len(parts) == 1 else f"地区“{text}”中的“{unknown}”"
    message = f"{subject}{where}，也没有在 mkdocs.yml 中声明。"
    if close:
        def shown(path: str) -> str:
            name = path.rsplit("/", 1)[-1]
            return f"“{name}”" if parent or name == path else f"“{name}”（{path}）"
        message += f"是不是{'或'.join(shown(path) for path in close)}？请写：region: {close[0]}。"
    parent_ref = (parent.code or parent.name if parent.code else "/".join(r.name for r in prefix)) if parent else None
    example = f"{{name: {unknown}, parent: {parent_ref or '上级地区的六位行政区划代码'}}}"
    message += (f"如果“{unknown}”是开发区、园区等不在 GB/T 2260 中的地区，请在 mkdocs.yml 的 {PLACES_SETTING} "
                f"中声明一次，例如：places: [{example}]。")
    return RegionError(message)


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
