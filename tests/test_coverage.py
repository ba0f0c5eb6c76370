"""Coverage: which region published which years' plans, and the gaps, on the coverage page, on each region's page,
on the home page and in /plans.json; and the home page as a front door."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from planpub.catalog import Catalog, build_catalog
from planpub.coverage import coverage
from planpub.plan import Plan
from tests.test_site import article, links, page, resolve, section, text, with_class

SAMPLE_ORDER = ("年度工作计划", "工作要点", "三年行动计划", "五年规划", "专项规划", "实施方案")


def _plan(plan_id: str, year: int, region: str, category: str = "年度工作计划",
          period: tuple[int, int] | None = None, published: str = "2024-01-01") -> Plan:
    return Plan(source=f"{plan_id}.md", id=plan_id, title=f"计划{plan_id}", year=year, region=region,
                issuer="某局", category=category, body="## 一、总体要求\n\n正文。\n", period=period,
                published=dt.date.fromisoformat(published))


def _catalog(*plans: Plan) -> Catalog:
    catalog, problems, _ = build_catalog(list(plans), dt.date(2026, 6, 30))
    assert catalog is not None, problems
    return catalog


def test_every_year_from_the_first_to_the_last_is_a_column_even_one_without_any_plan() -> None:
    grid = coverage(_catalog(_plan("a-2020", 2020, "浙江省/温州市/瑞安市"),
                             _plan("a-2023", 2023, "浙江省/温州市/瑞安市")))
    assert grid.years == (2020, 2021, 2022, 2023)
    [row] = grid.rows
    assert [cell.is_gap for cell in row.cells] == [False, True, True, False]
    assert row.gaps == 2


def test_only_regions_with_plans_of_their_own_are_rows_parents_before_children() -> None:
    catalog = _catalog(_plan("county", 2024, "浙江省/温州市/瑞安市"), _plan("city", 2024, "浙江省/温州市"),
                       _plan("other", 2024, "江苏省/苏州市/昆山市"))
    grid = coverage(catalog)
    names = [catalog.tree[row.key].name for row in grid.rows]
    assert names == ["昆山市", "温州市", "瑞安市"]
    assert [row.depth for row in grid.rows] == [2, 1, 2]
    assert [catalog.tree[r.key].name for r in grid.rows_under(catalog, "330300")] == ["温州市", "瑞安市"]


def test_a_multi_year_plan_fills_each_year_of_its_period_and_cells_group_by_category_in_configured_order() -> None:
    catalog = _catalog(_plan("three", 2023, "瑞安市", "三年行动计划", period=(2023, 2025), published="2023-03-01"),
                       _plan("points", 2024, "瑞安市", "工作要点", published="2024-02-01"),
                       _plan("yearly", 2024, "瑞安市", "年度工作计划", published="2024-03-01"))
    [row] = coverage(catalog, SAMPLE_ORDER).rows
    assert [[p.id for p in cell.plans] for cell in row.cells] == [["three"], ["yearly", "points", "three"], ["three"]]
    assert [g.category for g in row.cells[1].categories] == ["年度工作计划", "工作要点", "三年行动计划"]


def test_an_empty_catalog_has_an_empty_grid() -> None:
    grid = coverage(Catalog([], _catalog(_plan("x", 2024, "瑞安市")).tree, {}, [], dt.date(2026, 6, 30)))
    assert grid.years == () and grid.rows == ()


# The sample site


def _grid_rows(body: object, url: str) -> dict[str, dict[str, list[str]]]:
    """Region name → year → the plans its cell links (an empty list where the cell says 未发布)."""
    [table] = with_class(body, "table", "pp-coverage__table")  # type: ignore[arg-type]
    years = [text(th) for th in table.xpath("./thead/tr/th")][1:]
    rows = {}
    for tr in table.xpath("./tbody/tr"):
        name = text(tr.xpath("./th/a")[0])
        cells = tr.xpath("./td")
        assert len(cells) == len(years)
        rows[name] = {}
        for year, td in zip(years, cells, strict=True):
            targets = [t.split("/")[1] for t in links(td, url) if t.startswith("plans/")]
            assert (targets == []) == ("未发布" in text(td)), (name, year, text(td))
            rows[name][year] = targets
    return rows


def test_the_coverage_page_links_each_regions_plans_under_their_year_and_shows_the_gaps(
        sample_site: Path, sample_catalog: Catalog) -> None:
    body = article(page(sample_site, "coverage/"))
    rows = _grid_rows(body, "coverage/")
    assert set(rows) == {"江阴市", "昆山市", "温州市", "瓯海区", "瑞安市"}
    assert list(rows["瑞安市"]) == ["2022年", "2023年", "2024年", "2025年"]
    ruian = {p.id: p for p in sample_catalog.own_plans("330381")}
    for year in (2022, 2023, 2024, 2025):
        assert sorted(rows["瑞安市"][f"{year}年"]) == sorted(i for i, p in ruian.items() if year in p.years)
    assert rows["瑞安市"]["2022年"] == []
    assert rows["昆山市"]["2023年"] == [] and rows["江阴市"]["2024年"] == []
    # The three-year plan is in each year of its period, and a cell's link says the plan's category.
    assert all("ruian-kjj-2023-2025-xdjh" in rows["瑞安市"][f"{y}年"] for y in (2023, 2024, 2025))
    link = body.xpath(".//a[contains(@href, 'ruian-kjj-2023-2025-xdjh')]")[0]
    assert text(link).startswith("三年行动计划：")
    assert "20 格中有 5 格未发布" in text(body)


def test_the_coverage_page_is_in_the_tabs_and_its_years_link_the_year_pages(sample_site: Path) -> None:
    tree = page(sample_site, "coverage/")
    [tab] = tree.xpath(".//nav[contains(@class, 'md-tabs')]//li[contains(@class, 'md-tabs__item--active')]/a")
    assert text(tab) == "公开情况"
    heads = tree.xpath(".//table[contains(@class, 'pp-coverage__table')]/thead//a")
    assert [resolve("coverage/", a.get("href")) for a in heads] == [f"years/{y}/" for y in (2022, 2023, 2024, 2025)]


def test_a_region_page_shows_its_own_row_and_those_of_the_regions_below_it(sample_site: Path) -> None:
    county = _grid_rows(article(page(sample_site, "regions/330381/")), "regions/330381/")
    assert list(county) == ["瑞安市"]
    city = _grid_rows(article(page(sample_site, "regions/330300/")), "regions/330300/")
    assert list(city) == ["温州市", "瓯海区", "瑞安市"]
    assert city["瑞安市"] == county["瑞安市"]


def test_plans_json_holds_the_same_grid_and_follows_the_schema(sample_site: Path) -> None:
    document = json.loads((sample_site / "plans.json").read_text(encoding="utf-8"))
    schema = json.loads((sample_site / "schema" / "plans-v1.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    grid = document["coverage"]
    assert grid["years"] == [2022, 2023, 2024, 2025]
    page_rows = _grid_rows(article(page(sample_site, "coverage/")), "coverage/")
    for region in grid["regions"]:
        assert {f"{y['year']}年": [p["id"] for p in y["plans"]] for y in region["years"]} == page_rows[region["name"]]
        assert region["gaps"] == sum(1 for y in region["years"] if not y["plans"])
        assert region["url"] == f"regions/{region['key']}/"
    broken = json.loads(json.dumps(document))
    broken["coverage"]["regions"][0]["years"][0]["plans"] = "ruian"
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_the_home_page_is_a_front_door(sample_site: Path, sample_catalog: Catalog) -> None:
    tree = page(sample_site, "")
    body = article(tree)
    [form] = body.xpath(".//form[@role='search']")
    assert resolve("", form.get("action")) == "search/" and form.get("method") == "get"
    assert form.xpath(".//input[@name='q']") and form.xpath(".//label")
    tiles = body.xpath(".//ul[@class='pp-tiles']/li/a")
    years = {text(a.xpath("./span")[0]): text(a.xpath("./span")[1]) for a in tiles}
    assert years == {f"{y}年": f"{len(sample_catalog.plans_in_year(y))} 件" for y in sample_catalog.years()}
    regions = section(body, "按地区")
    targets = links(regions, "")
    # Down to the counties, with the count of each.
    assert {"regions/330000/", "regions/330300/", "regions/330381/", "regions/330304/",
            "regions/320583/"} <= set(targets)
    assert "瑞安市（5 件）" in text(regions)
    assert _grid_rows(section(body, "各地区各年度公开情况"), "") == _grid_rows(article(page(sample_site, "coverage/")),
                                                                          "coverage/")
    # No empty column beside the text: the theme's navigation and table of contents are not drawn on it.
    for kind in ("navigation", "toc"):
        [sidebar] = tree.xpath(f".//div[@data-md-type='{kind}']")
        assert sidebar.get("hidden") is not None


@pytest.mark.parametrize("url", ["", "coverage/"])
def test_the_front_door_pages_hold_no_script_from_plan_text(sample_site: Path, url: str) -> None:
    body = article(page(sample_site, url))
    assert body.xpath(".//script") == []
