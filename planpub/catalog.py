"""The catalog: every plan in a folder, validated together, split into published and withheld."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from planpub.plan import Plan, read_plan_file
from planpub.problems import Problem, error, sort_problems, warning
from planpub.regions import (
    NO_PLACES,
    Gazetteer,
    PlaceConfig,
    Places,
    RegionError,
    RegionTree,
    load_gazetteer,
    parse_places,
    resolve_region,
)
from planpub.schema import STATUS_CURRENT, STATUS_DRAFT

NOT_PLANS = frozenset({"readme.md", "index.md"})


@dataclass(frozen=True)
class Withheld:
    plan: Plan
    reason: str


@dataclass
class Catalog:
    """Published plans, newest first, with the region tree they span. Withheld plans are kept apart so
    that nothing downstream can render them by accident."""

    plans: list[Plan]
    tree: RegionTree
    region_of: dict[str, str]
    """Plan id → key of the region the plan belongs to."""
    withheld: list[Withheld]
    as_of: dt.date
    by_id: dict[str, Plan] = field(init=False)
    _by_region: dict[str, list[Plan]] = field(init=False)
    _position: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.plans}
        self._position = {p.id: i for i, p in enumerate(self.plans)}
        self._by_region = defaultdict(list)
        for plan in self.plans:
            self._by_region[self.region_of[plan.id]].append(plan)

    def years(self) -> list[int]:
        """Every year some plan applies to, newest first."""
        return sorted({y for p in self.plans for y in p.years}, reverse=True)

    def plans_in_year(self, year: int) -> list[Plan]:
        return [p for p in self.plans if year in p.years]

    def own_plans(self, region_key: str) -> list[Plan]:
        return list(self._by_region.get(region_key, ()))

    def plans_under(self, region_key: str) -> list[Plan]:
        """The plans of a region and of every region below it, newest first."""
        found = [p for key in self.tree.descendants(region_key) for p in self._by_region.get(key, ())]
        return sorted(found, key=lambda p: self._position[p.id])

    def count_under(self, region_key: str) -> int:
        return sum(len(self._by_region.get(k, ())) for k in self.tree.descendants(region_key))

    def neighbours(self, plan: Plan) -> tuple[Plan | None, Plan | None]:
        """The same region's previous (older) and next (newer) plan."""
        siblings = self._by_region[self.region_of[plan.id]]
        index = siblings.index(plan)
        older = siblings[index + 1] if index + 1 < len(siblings) else None
        newer = siblings[index - 1] if index > 0 else None
        return older, newer

    def replacement(self, plan: Plan) -> Plan | None:
        return self.by_id.get(plan.superseded_by) if plan.superseded_by else None


def sort_key(plan: Plan) -> tuple[dt.date, int, str]:
    """Newest first: by publication date, then year, then id so that equal dates sort the same every time."""
    date = plan.published or plan.written or dt.date(plan.year, 1, 1)
    return (date, plan.year, plan.id)


def _skipped(relative: PurePosixPath) -> bool:
    return relative.name.lower() in NOT_PLANS or any(part.startswith((".", "_")) for part in relative.parts)


def scan_plan_files(plans_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every plan file under `plans_dir`, and a problem for each entry that is not read.

    The walk never opens an entry that is not a regular file: a named pipe called `x.md` would block the read
    forever. A link is followed only when it stays inside the plans folder, so that no file elsewhere on the
    machine is published through one; links to folders are not followed (the folder may be anywhere)."""
    root = plans_dir.resolve()
    found: list[Path] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename).relative_to(plans_dir).as_posix() if exc.filename else str(plans_dir)
        problems.append(error(where, 0, f"无法读取这个文件夹（{exc.strerror}），其中的计划没有检查。"
                                        "请检查文件夹的权限。"))

    for folder, dirs, files in os.walk(plans_dir, onerror=unreadable):
        base = Path(folder)
        keep = []
        for name in sorted(dirs):
            folder_path = (base / name).relative_to(plans_dir)
            if name.startswith((".", "_")):
                continue
            if (base / name).is_symlink():
                problems.append(warning(folder_path.as_posix(), 0, "是指向别处的文件夹链接，其中的计划没有读取。"
                                                                "请把计划文件放在计划文件夹里，不要用链接。"))
                continue
            keep.append(name)
        dirs[:] = keep
        for name in files:
            path = base / name
            relative = PurePosixPath(path.relative_to(plans_dir).as_posix())
            suffix = relative.suffix
            if suffix.lower() in (".md", ".markdown") and suffix != ".md" and not _skipped(relative):
                problems.append(warning(relative.as_posix(), 0, f"文件名以“{suffix}”结尾，没有作为计划读取。"
                                                                "计划文件请以小写的 .md 结尾。"))
                continue
            if suffix != ".md" or _skipped(relative):
                continue
            problem = _entry_problem(path, relative.as_posix(), root)
            if problem is None:
                found.append(path)
            else:
                problems.append(problem)
    return sorted(found), problems


def _entry_problem(path: Path, relative: str, root: Path) -> Problem | None:
    """Why a `.md` entry is not read as a plan, or None when it is a regular file inside the plans folder."""
    try:
        if path.is_symlink():
            if not path.exists():
                raise FileNotFoundError(relative)
            target = path.resolve()
            if not target.is_relative_to(root):
                return error(relative, 0, "是指向计划文件夹之外的链接，不能发布。请把计划文件本身复制到计划文件夹里。")
        mode = path.stat().st_mode
    except (OSError, RuntimeError):
        return error(relative, 0, "是一个失效的链接（指向的文件不存在）。请删去它，或把计划文件本身放在这里。")
    if not stat.S_ISREG(mode):
        what = "文件夹" if stat.S_ISDIR(mode) else "管道" if stat.S_ISFIFO(mode) else "特殊文件"
        return warning(relative, 0, f"名字以 .md 结尾，却是{what}而不是普通文件，已跳过。")
    return None


def plan_files(plans_dir: Path) -> list[Path]:
    """The plan files `load_catalog` reads (see `scan_plan_files`)."""
    return scan_plan_files(plans_dir)[0]


@dataclass
class LoadResult:
    catalog: Catalog | None
    problems: list[Problem]
    withheld: list[Withheld]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def withholding_reason(plan: Plan, as_of: dt.date) -> str | None:
    if plan.status == STATUS_DRAFT:
        return "草稿"
    if plan.published and plan.published > as_of:
        return f"发布日期 {plan.published.isoformat()} 晚于构建日期 {as_of.isoformat()}"
    return None


def _claims(plan: Plan) -> list[tuple[str, str, int]]:
    """The URL names a plan claims (its id, declared or derived, and its old ids), how, and on which line."""
    own = ("标识（id）", plan.line_of("id")) if plan.id_declared else ("由文件路径生成的标识", 1)
    return [(plan.id, *own), *((alias, "曾用标识（aliases）", plan.line_of("aliases")) for alias in plan.aliases)]


def _claim_urls(plans: list[Plan]) -> list[Problem]:
    """Every id and old id names one URL /plans/<name>/; two plans must never claim the same one."""
    problems: list[Problem] = []
    owners: dict[str, tuple[Plan, str, int]] = {}
    for plan in plans:
        for name, what, line in _claims(plan):
            claimed = owners.setdefault(name, (plan, what, line))
            if claimed[0] is not plan:
                other, other_what, other_line = claimed
                problems.append(error(
                    plan.source, line,
                    f"{what}“{name}”与 {other.source}:{other_line} 的{other_what}重复，两个文件会争用同一个网址 "
                    f"/plans/{name}/。请给其中一个换一个标识，例如：id: {name}-2"))
            elif claimed[1:] != (what, line):
                problems.append(error(plan.source, line, f"曾用标识“{name}”与本计划的标识相同，不必再写，"
                                                         "请从 aliases 中删去。"))
    return problems


def _withheld_attachments(published: list[Plan], withheld: list[Withheld]) -> list[Problem]:
    """A public plan may not publish a file that a withheld plan lists: that would publish a draft's or an embargoed
    plan's attachment before its plan."""
    owners = {a.source: item.plan for item in withheld for a in item.plan.attachments}
    problems = []
    for plan in published:
        for attachment in plan.attachments:
            owner = owners.get(attachment.source)
            if owner is not None:
                problems.append(error(
                    plan.source, plan.line_of("attachments"),
                    f"附件“{attachment.file}”也是未公开的计划 {owner.source} 的附件，现在不能随本计划发布。"
                    "如果这个文件确实可以公开，请复制一份放在本计划旁边，改个名字再列出；"
                    "否则从本计划的 attachments 中删去它。"))
    return problems


def build_catalog(
    plans: list[Plan], as_of: dt.date, gazetteer: Gazetteer | None = None, places: Places = NO_PLACES
) -> tuple[Catalog | None, list[Problem], list[Withheld]]:
    """Cross-file validation and the published/withheld split. The catalog is None when any error is found."""
    gazetteer = gazetteer or load_gazetteer()
    problems = _claim_urls(plans)
    known = {p.id: p for p in plans}
    for plan in plans:
        if plan.superseded_by is None:
            continue
        target = known.get(plan.superseded_by)
        if target is None:
            close = difflib.get_close_matches(plan.superseded_by, sorted(known), n=1, cutoff=0.6)
            hint = f"是不是“{close[0]}”？" if close else ""
            problems.append(error(plan.source, plan.line_of("superseded_by"),
                                  f"替代文件（superseded_by）“{plan.superseded_by}”不存在：没有哪个计划的标识是它。"
                                  f"{hint}请写替代本计划的那个计划头信息里的 id，例如：superseded_by: "
                                  f"{close[0] if close else 'ouhai-kjj-2025-gzjh'}"))
        elif target.id == plan.id:
            problems.append(error(plan.source, plan.line_of("superseded_by"),
                                  "替代文件（superseded_by）写的是本计划自己的标识。请写替代本计划的另一个计划的标识，"
                                  "没有替代文件时删去这一行。"))
        if plan.status == STATUS_CURRENT:
            problems.append(warning(plan.source, plan.line_of("superseded_by"),
                                    "写了替代文件，但有效性仍是“现行有效”。"
                                    "如果已被替代，请写 status: 已废止 或 已修订。"))

    published: list[Plan] = []
    withheld: list[Withheld] = []
    for plan in plans:
        reason = withholding_reason(plan, as_of)
        if reason:
            withheld.append(Withheld(plan, reason))
        else:
            published.append(plan)

    problems += _withheld_attachments(published, withheld)

    tree = RegionTree()
    region_of: dict[str, str] = {}
    for plan in plans:
        try:
            chain = resolve_region(plan.region, plan.region_code, gazetteer, places)
        except RegionError as exc:
            line = plan.line_of("region_code" if plan.region_code else "region")
            problems.append(error(plan.source, line, str(exc)))
            continue
        if not withholding_reason(plan, as_of):
            tree.add_chain(chain)
            region_of[plan.id] = chain[-1].key
    tree.finish()

    if any(p.is_error for p in problems):
        return None, problems, withheld
    published.sort(key=sort_key, reverse=True)
    return Catalog(published, tree, region_of, withheld, as_of), problems, withheld


def load_catalog(plans_dir: Path, categories: tuple[str, ...], as_of: dt.date,
                 places: PlaceConfig | None = None) -> LoadResult:
    """Read and validate every plan under `plans_dir`, with the places outside GB/T 2260 that mkdocs.yml declares."""
    if not plans_dir.is_dir():
        return LoadResult(None, [error(plans_dir, 0, "计划文件夹不存在。请检查路径：planpub check 后面写的文件夹、"
                                                      "--plans 参数或 mkdocs.yml 中的 extra.planpub.plans_dir"
                                                      "（缺省 plans）。")], [])
    gazetteer = load_gazetteer()
    declared, problems = parse_places(places or PlaceConfig(), gazetteer)

    def region_check(region: str, code: str | None) -> object:
        return resolve_region(region, code, gazetteer, declared)

    plans: list[Plan] = []
    files, scanned = scan_plan_files(plans_dir)
    problems += scanned
    root = plans_dir.resolve()
    for path in files:
        plan, found = read_plan_file(plans_dir, path, categories, root, region_check)
        problems += found
        if plan is not None:
            plans.append(plan)
    if not files and not problems:
        problems.append(warning(plans_dir, 0, "文件夹里没有计划文件（*.md）。用 planpub new 新建一个。"))
    catalog, more, withheld = build_catalog(plans, as_of, gazetteer, declared)
    problems += more
    if any(p.is_error for p in problems):
        catalog = None
    return LoadResult(catalog, sort_problems(problems), withheld)
