"""The catalog: which plans are published, in what order, under which years and regions, and which are withheld."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
from pathlib import Path

import pytest

from planpub.catalog import Catalog, build_catalog, load_catalog
from planpub.cli import main
from planpub.plan import Plan, parse_plan
from planpub.regions import PlaceConfig, Places, load_gazetteer, parse_places, place_key
from planpub.schema import DEFAULT_CATEGORIES
from tests.conftest import ROOT

AS_OF = dt.date(2025, 6, 30)
PLACES: Places = parse_places(PlaceConfig([{"name": "瓯江口新区", "parent": 330300}]), load_gazetteer())[0]


def make(plan_id: str, region: str, published: str, *extra: str, year: int | None = None) -> Plan:
    """A valid plan; `year` defaults to the year of publication."""
    text = "\n".join([
        "---",
        f"id: {plan_id}",
        f"title: 【测试】{plan_id}",
        f"year: {year or published[:4]}",
        f"region: {region}",
        "issuer: 某科学技术局",
        "category: 年度工作计划",
        f"published: {published}",
        *extra,
        "---",
        f"正文 {plan_id}。",
        "",
    ])
    plan, problems = parse_plan(f"{plan_id}.md", text, DEFAULT_CATEGORIES)
    assert plan is not None, problems
    return plan


CORPUS = [
    make("ouhai-2023", "浙江省/温州市/瓯海区", "2023-02-01", 'region_code: "330304"'),
    make("ouhai-2024", "瓯海区", "2024-02-01"),
    make("ouhai-2025", "浙江省/温州市/瓯海区", "2025-02-01", "status: 已废止", "superseded_by: ouhai-2025-xd"),
    make("ouhai-2025-xd", "浙江省/温州市/瓯海区", "2025-05-01"),
    make("ruian-2023-2025", "瑞安市", "2023-04-01", "period: 2023-2025"),
    make("wenzhou-2024", "浙江省/温州市", "2024-03-01"),
    make("oujiangkou-2024", "浙江省/温州市/瓯江口新区", "2024-06-01"),
    make("kunshan-2022", "江苏省/苏州市/昆山市", "2022-05-01"),
    make("ouhai-2026-draft", "浙江省/温州市/瓯海区", "2025-01-10", "status: 草稿", year=2026),
    make("xihu-draft", "浙江省/杭州市/西湖区", "2024-01-10", "status: 草稿"),
    make("ouhai-2025-later", "浙江省/温州市/瓯海区", "2025-07-01"),
]
DRAFTS = {"ouhai-2026-draft", "xihu-draft"}
EMBARGOED = {"ouhai-2025-later"}


def catalog_for(plans: list[Plan], as_of: dt.date = AS_OF) -> Catalog:
    catalog, problems, _ = build_catalog(plans, as_of, places=PLACES)
    assert catalog is not None, [str(p) for p in problems]
    return catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return catalog_for(CORPUS)


def ids(plans: list[Plan]) -> list[str]:
    return [p.id for p in plans]


# Years


def test_years_are_every_year_a_published_plan_applies_to_newest_first(catalog: Catalog) -> None:
    assert catalog.years() == [2025, 2024, 2023, 2022]


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_a_multi_year_plan_is_in_every_year_of_its_period(catalog: Catalog, year: int) -> None:
    assert "ruian-2023-2025" in ids(catalog.plans_in_year(year))


def test_a_multi_year_plan_is_not_outside_its_period(catalog: Catalog) -> None:
    assert "ruian-2023-2025" not in ids(catalog.plans_in_year(2022))


def test_a_year_lists_its_plans_newest_first(catalog: Catalog) -> None:
    assert ids(catalog.plans_in_year(2024)) == ["oujiangkou-2024", "wenzhou-2024", "ouhai-2024", "ruian-2023-2025"]


# Regions


def test_the_region_tree_is_province_city_county_keyed_by_code(catalog: Catalog) -> None:
    tree = catalog.tree
    assert [r.key for r in tree.roots()] == ["320000", "330000"]
    assert [r.name for r in tree.roots()] == ["江苏省", "浙江省"]
    assert [r.name for r in tree.path("330304")] == ["浙江省", "温州市", "瓯海区"]
    assert tree.path_names("330381") == "浙江省/温州市/瑞安市"


def test_a_region_outside_the_dataset_gets_a_stable_ascii_key_under_its_parent(catalog: Catalog) -> None:
    key = catalog.region_of["oujiangkou-2024"]
    assert key.isascii() and not key.isdigit()
    assert key == place_key("330300", "瓯江口新区")
    assert catalog.tree[key].parent == "330300"
    assert catalog.tree[key].name == "瓯江口新区"
    assert catalog_for(list(reversed(CORPUS))).region_of["oujiangkou-2024"] == key


def test_a_region_named_alone_and_by_path_is_the_same_region(catalog: Catalog) -> None:
    assert catalog.region_of["ouhai-2024"] == catalog.region_of["ouhai-2023"] == "330304"
    assert catalog.region_of["ruian-2023-2025"] == "330381"


def test_counts_include_every_region_below(catalog: Catalog) -> None:
    assert catalog.count_under("330304") == 4
    assert catalog.count_under("330381") == 1
    assert catalog.count_under("330300") == 4 + 1 + 1 + 1  # 瓯海, 瑞安, 瓯江口新区 and 温州市 itself
    assert catalog.count_under("330000") == 7
    assert catalog.count_under("320000") == 1


def test_own_plans_are_only_the_regions_own_newest_first(catalog: Catalog) -> None:
    assert ids(catalog.own_plans("330300")) == ["wenzhou-2024"]
    assert ids(catalog.own_plans("330304")) == ["ouhai-2025-xd", "ouhai-2025", "ouhai-2024", "ouhai-2023"]
    assert catalog.own_plans("330000") == []
    assert len(catalog.plans_under("330300")) == catalog.count_under("330300")


def test_previous_and_next_stay_within_the_region(catalog: Catalog) -> None:
    by_id = catalog.by_id
    assert ids([p for p in catalog.neighbours(by_id["ouhai-2024"]) if p]) == ["ouhai-2023", "ouhai-2025"]
    older, newer = catalog.neighbours(by_id["ouhai-2023"])
    assert older is None and newer is not None and newer.id == "ouhai-2024"
    older, newer = catalog.neighbours(by_id["ouhai-2025-xd"])
    assert newer is None and older is not None and older.id == "ouhai-2025"
    assert catalog.neighbours(by_id["wenzhou-2024"]) == (None, None)


# Order


def test_published_plans_are_newest_first(catalog: Catalog) -> None:
    dates = [p.published for p in catalog.plans]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert catalog.plans[0].id == "ouhai-2025-xd"


def test_order_and_tree_do_not_depend_on_reading_order() -> None:
    shuffled = CORPUS[:]
    random.Random(7).shuffle(shuffled)
    first, second = catalog_for(CORPUS), catalog_for(shuffled)
    assert ids(first.plans) == ids(second.plans)
    assert first.tree.children == second.tree.children


def test_plans_published_the_same_day_have_a_fixed_order() -> None:
    same_day = [make(f"plan-{n}", "浙江省/温州市/瓯海区", "2024-03-01") for n in "cab"]
    assert ids(catalog_for(same_day).plans) == ids(catalog_for(same_day[::-1]).plans)


# Withheld plans


def test_drafts_and_embargoed_plans_are_withheld(catalog: Catalog) -> None:
    withheld = {w.plan.id: w.reason for w in catalog.withheld}
    assert set(withheld) == DRAFTS | EMBARGOED
    assert withheld["xihu-draft"] == "草稿"
    assert "2025-07-01" in withheld["ouhai-2025-later"] and "2025-06-30" in withheld["ouhai-2025-later"]


def test_withheld_plans_are_nowhere_in_the_published_catalog(catalog: Catalog) -> None:
    hidden = DRAFTS | EMBARGOED
    assert not hidden & set(ids(catalog.plans))
    assert not hidden & set(catalog.by_id)
    assert not hidden & set(catalog.region_of)
    assert all(not hidden & set(ids(catalog.plans_in_year(y))) for y in range(2020, 2030))
    assert 2026 not in catalog.years()


def test_a_region_with_only_withheld_plans_is_not_in_the_tree(catalog: Catalog) -> None:
    assert "330106" not in catalog.tree.regions  # 西湖区: its only plan is a draft
    assert "330100" not in catalog.tree.regions


def test_as_of_decides_the_embargo_and_the_publication_day_itself_is_published() -> None:
    before = catalog_for(CORPUS, dt.date(2025, 6, 30))
    on_the_day = catalog_for(CORPUS, dt.date(2025, 7, 1))
    assert "ouhai-2025-later" not in before.by_id
    assert "ouhai-2025-later" in on_the_day.by_id
    assert on_the_day.plans[0].id == "ouhai-2025-later"
    assert {w.plan.id for w in on_the_day.withheld} == DRAFTS


def test_a_draft_stays_withheld_whatever_the_date() -> None:
    assert "xihu-draft" not in catalog_for(CORPUS, dt.date(2099, 1, 1)).by_id


def test_a_replacement_that_is_withheld_is_not_linked() -> None:
    plans = [make("old", "瓯海区", "2024-01-01", "status: 已废止", "superseded_by: new-draft"),
             make("new-draft", "瓯海区", "2024-06-01", "status: 草稿")]
    catalog = catalog_for(plans)
    assert catalog.replacement(catalog.by_id["old"]) is None


def test_a_published_replacement_is_linked(catalog: Catalog) -> None:
    replacement = catalog.replacement(catalog.by_id["ouhai-2025"])
    assert replacement is not None and replacement.id == "ouhai-2025-xd"


def test_a_draft_still_has_its_cross_file_errors_reported() -> None:
    plans = [make("a", "瓯海区", "2024-01-01", "status: 草稿"), make("a", "瑞安市", "2024-02-01")]
    catalog, problems, _ = build_catalog(plans, AS_OF)
    assert catalog is None
    assert any("“a”" in str(p) and "a.md" in str(p) for p in problems)


def test_a_superseded_by_on_a_current_plan_is_a_warning() -> None:
    plans = [make("old", "瓯海区", "2024-01-01", "superseded_by: new"), make("new", "瓯海区", "2024-06-01")]
    catalog, problems, _ = build_catalog(plans, AS_OF)
    assert catalog is not None
    [warning] = problems
    assert not warning.is_error and "status: 已废止" in warning.message


# From a folder


def write(folder: Path, name: str, plan: Plan, *extra: str) -> None:
    lines = ["---", f"id: {plan.id}", f"title: {plan.title}", f"year: {plan.year}", f"region: {plan.region}",
             f"issuer: {plan.issuer}", f"category: {plan.category}", f"published: {plan.published}",
             f"status: {plan.status}", *extra, "---", plan.body]
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def plans_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("catalog") / "plans"
    by_id = {p.id: p for p in CORPUS}
    write(folder, "ouhai/2024.md", by_id["ouhai-2024"])
    write(folder, "ouhai/2026-draft.md", by_id["ouhai-2026-draft"])
    write(folder, "ouhai/2025-later.md", by_id["ouhai-2025-later"])
    write(folder, "ouhai/README.md", by_id["wenzhou-2024"])
    write(folder, "_drafts/ignored.md", by_id["kunshan-2022"])
    write(folder, ".hidden/ignored.md", by_id["kunshan-2022"])
    return folder


def test_a_folder_is_read_recursively_skipping_readme_and_underscore_and_dot_folders(plans_dir: Path) -> None:
    result = load_catalog(plans_dir, DEFAULT_CATEGORIES, AS_OF)
    assert result.errors == []
    assert result.catalog is not None
    assert ids(result.catalog.plans) == ["ouhai-2024"]
    assert sorted(w.plan.source for w in result.withheld) == ["ouhai/2025-later.md", "ouhai/2026-draft.md"]


def check(plans_dir: Path, as_of: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--config", str(ROOT / "mkdocs.yml"), "--as-of", as_of, str(plans_dir)])
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue()


def test_check_lists_the_withheld_plans_with_their_reason(plans_dir: Path) -> None:
    code, out = check(plans_dir, "2025-06-30")
    assert code == 0
    assert "未公开：ouhai/2026-draft.md（草稿）" in out
    assert "未公开：ouhai/2025-later.md（发布日期 2025-07-01 晚于构建日期 2025-06-30）" in out
    assert "检查通过：1 件计划将公开，2 件暂不公开" in out


def test_check_as_of_releases_an_embargoed_plan(plans_dir: Path) -> None:
    code, out = check(plans_dir, "2025-07-01")
    assert code == 0
    assert "ouhai/2025-later.md" not in out
    assert "检查通过：2 件计划将公开，1 件暂不公开" in out


# Region errors, in the same pass as every other error


def config_with_places(folder: Path, places: str) -> Path:
    config = folder / "mkdocs.yml"
    config.write_text("site_name: 测试\nextra:\n  planpub:\n    plans_dir: plans\n" + places, encoding="utf-8")
    return config


def run_check(config: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--config", str(config), "--as-of", "2025-06-30"])
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue()


def plan_file(folder: Path, name: str, region: str, year: str = "2024") -> None:
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    (folder / "plans" / name).write_text(
        f"---\nid: {name[:-3]}\ntitle: 测试计划\nyear: {year}\nregion: {region}\nissuer: 某局\n"
        "category: 年度工作计划\n---\n正文。\n", encoding="utf-8")


def test_a_wrong_region_is_reported_with_the_other_errors_of_its_file(tmp_path: Path) -> None:
    plan_file(tmp_path, "a.md", "浙江省/温州市/瑞按市", year="二〇二四")
    code, err = run_check(config_with_places(tmp_path, ""))
    assert code == 1
    assert "a.md:4: 错误: year（年度）应当是四位数字的年份" in err
    assert ("a.md:5: 错误: 地区“浙江省/温州市/瑞按市”中的“瑞按市”不是温州市下的行政区划，也没有在 mkdocs.yml 中声明。"
            "是不是“瑞安市”？请写：region: 浙江省/温州市/瑞安市。") in err


def test_places_declared_in_mkdocs_yml_are_regions_and_errors_point_at_the_declaration(tmp_path: Path) -> None:
    plan_file(tmp_path, "a.md", "浙江省/温州市/科技园")
    plan_file(tmp_path, "b.md", "浙江省/温州市/科技元")
    plan_file(tmp_path, "c.md", "温州市/瓯江口新区")
    config = config_with_places(tmp_path, "    places:\n      - {name: 科技园, parent: 330300}\n"
                                          "      - {name: 科技元, parent: 浙江省/温州市}\n"
                                          "      - {name: 瓯江口新区}\n")
    code, err = run_check(config)
    assert code == 1
    assert ("mkdocs.yml:8: 错误: extra.planpub.places 第 3 项：“瓯江口新区”缺少上级地区（parent）："
            "写上级的六位行政区划代码或从省开始的路径。") in err
    assert "c.md:5: 错误: 地区“温州市/瓯江口新区”中的“瓯江口新区”不是温州市下的行政区划" in err
    assert "a.md" not in err and "b.md" not in err
    fixed = config.read_text(encoding="utf-8").replace("{name: 瓯江口新区}", "{name: 瓯江口新区, parent: 330300}")
    config.write_text(fixed, encoding="utf-8")
    assert run_check(config) == (0, "")
    result = load_catalog(tmp_path / "plans", DEFAULT_CATEGORIES, AS_OF,
                          PlaceConfig([{"name": "科技园", "parent": 330300}, {"name": "科技元", "parent": 330300},
                                       {"name": "瓯江口新区", "parent": 330300}]))
    assert result.catalog is not None
    tree, region_of = result.catalog.tree, result.catalog.region_of
    assert region_of["a"] != region_of["b"]
    assert (tree[region_of["a"]].name, tree[region_of["b"]].name) == ("科技园", "科技元")
