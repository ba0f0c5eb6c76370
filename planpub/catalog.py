"""The catalog: every plan in a folder, validated together, split into published and withheld."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from planpub.plan import Plan, read_plan_file
from planpub.problems import Problem, error, sort_problems, warning
from planpub.regions import Gazetteer, RegionError, RegionTree, load_gazetteer, resolve_region
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

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.plans}
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
        keys = set(self.tree.descendants(region_key))
        return [p for p in self.plans if self.region_of[p.id] in keys]

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


def plan_files(plans_dir: Path) -> list[Path]:
    return sorted(
        p for p in plans_dir.rglob("*.md")
        if p.name.lower() not in NOT_PLANS
        and not any(part.startswith((".", "_")) for part in p.relative_to(plans_dir).parts)
    )


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


def build_catalog(
    plans: list[Plan], as_of: dt.date, gazetteer: Gazetteer | None = None
) -> tuple[Catalog | None, list[Problem], list[Withheld]]:
    """Cross-file validation and the published/withheld split. The catalog is None when any error is found."""
    gazetteer = gazetteer or load_gazetteer()
    problems: list[Problem] = []
    owners: dict[str, Plan] = {}
    for plan in plans:
        for name in (plan.id, *plan.aliases):
            other = owners.get(name)
            if other is not None:
                what = "标识" if name == plan.id else "曾用标识"
                problems.append(error(plan.source, plan.line_of("id" if name == plan.id else "aliases"),
                                      f"{what}“{name}”与 {other.source} 重复，两个文件会争用同一个网址 /plans/{name}/。"
                                      "请给其中一个改一个标识，例如在末尾加上 -2。"))
            else:
                owners[name] = plan
    known = {p.id: p for p in plans}
    for plan in plans:
        if plan.superseded_by is None:
            continue
        target = known.get(plan.superseded_by)
        if target is None:
            problems.append(error(plan.source, plan.line_of("superseded_by"),
                                  f"替代文件（superseded_by）“{plan.superseded_by}”不存在。请写替代本计划的那个计划的"
                                  "标识（它头信息里的 id）。"))
        elif target.id == plan.id:
            problems.append(error(plan.source, plan.line_of("superseded_by"), "替代文件不能是计划本身。"))
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

    tree = RegionTree()
    region_of: dict[str, str] = {}
    for plan in plans:
        try:
            chain = resolve_region(plan.region, plan.region_code, gazetteer)
        except RegionError as exc:
            line = plan.line_of("region_code" if plan.region_code else "region")
            problems.append(error(plan.source, line, str(exc)))
            continue
        if not chain[-1].is_coded and plan.region_code is None and len(chain) == 1:
            problems.append(warning(plan.source, plan.line_of("region"),
                                    f"地区“{plan.region}”不在行政区划数据集中，将作为独立地区显示。如有上级地区，请写成路径"
                                    "（如 浙江省/温州市/瓯海区）。"))
        if not withholding_reason(plan, as_of):
            tree.add_chain(chain)
            region_of[plan.id] = chain[-1].key
    tree.finish()

    if any(p.is_error for p in problems):
        return None, problems, withheld
    published.sort(key=sort_key, reverse=True)
    return Catalog(published, tree, region_of, withheld, as_of), problems, withheld


def load_catalog(plans_dir: Path, categories: tuple[str, ...], as_of: dt.date) -> LoadResult:
    """Read and validate every plan under `plans_dir`."""
    if not plans_dir.is_dir():
        return LoadResult(None, [error(plans_dir, 0, "计划文件夹不存在。请检查 mkdocs.yml 中 extra.planpub.plans_dir，"
                                                      "或用 --plans 指定。")], [])
    plans: list[Plan] = []
    problems: list[Problem] = []
    files = plan_files(plans_dir)
    for path in files:
        plan, found = read_plan_file(plans_dir, path, categories)
        problems += found
        if plan is not None:
            plans.append(plan)
    if not files:
        problems.append(warning(plans_dir, 0, "文件夹里没有计划文件（*.md）。用 planpub new 新建一个。"))
    catalog, more, withheld = build_catalog(plans, as_of)
    problems += more
    if any(p.is_error for p in problems):
        catalog = None
    return LoadResult(catalog, sort_problems(problems), withheld)
