"""Coverage: which region published plans for which year, and where nothing was published.

An inspector of 政务公开 or a journalist asks this first: did every county publish its plan every year? The grid
has a row for every region that publishes plans itself and a column for every year from the first to the last
year any plan covers, so a year in which no region published anything is a column of gaps rather than missing.
A multi-year plan counts in each year of its period, as on the year pages. The coverage page, each region's page
and `/plans.json` are drawn from this one computation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planpub.catalog import Catalog
from planpub.plan import Plan


@dataclass(frozen=True)
class CategoryPlans:
    category: str
    plans: tuple[Plan, ...]


@dataclass(frozen=True)
class Cell:
    """One region's plans for one year, grouped by category."""

    year: int
    categories: tuple[CategoryPlans, ...]

    @property
    def is_gap(self) -> bool:
        return not self.categories

    @property
    def plans(self) -> tuple[Plan, ...]:
        return tuple(p for group in self.categories for p in group.plans)


@dataclass(frozen=True)
class Row:
    key: str
    """The region's key (see `planpub.regions`)."""
    depth: int
    """How many regions above it the tree has (0 for a province)."""
    cells: tuple[Cell, ...]
    """One per year of `Coverage.years`, in the same order."""

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.is_gap)


@dataclass(frozen=True)
class Coverage:
    years: tuple[int, ...]
    """Every year from the earliest to the latest any plan covers, oldest first."""
    rows: tuple[Row, ...]
    """Regions with plans of their own, in the tree's order (a region before the regions below it)."""

    def rows_under(self, catalog: Catalog, key: str) -> tuple[Row, ...]:
        """The rows of a region and of the regions below it."""
        under = set(catalog.tree.descendants(key))
        return tuple(row for row in self.rows if row.key in under)

    def row(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)


def _category_order(categories: tuple[str, ...], plans: list[Plan]) -> dict[str, int]:
    """The configured order of the categories, then any other in order of name."""
    order = {name: i for i, name in enumerate(categories)}
    for name in sorted({p.category for p in plans} - set(order)):
        order[name] = len(order)
    return order


def coverage(catalog: Catalog, categories: tuple[str, ...] = ()) -> Coverage:
    """The grid of the catalog's published plans (withdrawn and repealed ones too: they were published)."""
    if not catalog.plans:
        return Coverage((), ())
    first = min(p.years.start for p in catalog.plans)
    last = max(p.years.stop - 1 for p in catalog.plans)
    years = tuple(range(first, last + 1))
    order = _category_order(categories, catalog.plans)
    rows = []
    depth: dict[str | None, int] = {None: -1}
    for root in catalog.tree.roots():
        for key in catalog.tree.descendants(root.key):
            depth[key] = depth[catalog.tree[key].parent] + 1
            own = catalog.own_plans(key)
            if not own:
                continue
            # Oldest first within a cell, as the columns run: a revision comes after what it revises.
            by_year: dict[int, dict[str, list[Plan]]] = defaultdict(lambda: defaultdict(list))
            for plan in reversed(own):
                for year in plan.years:
                    by_year[year][plan.category].append(plan)
            cells = tuple(Cell(year, tuple(CategoryPlans(name, tuple(group)) for name, group in
                                           sorted(by_year[year].items(), key=lambda item: order[item[0]])))
                          for year in years)
            rows.append(Row(key, depth[key], cells))
    return Coverage(years, tuple(rows))
