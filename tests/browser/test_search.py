"""The search page in Chromium: the URL holds the whole state, filters count and narrow as a reader expects,
Simplified finds Traditional, substrings across words are found and highlighted, results link to the matching
section, everything works from the keyboard, on a phone and under a sub-path, and withheld plans never appear."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from planpub.catalog import Catalog
from planpub.cli import main
from planpub.search.normalize import fold
from tests.browser.conftest import Requests, Server, serve
from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

RENDERED = """() => {
  const root = document.getElementById("pp-search");
  return root && root.getAttribute("aria-busy") === "false" && root.dataset.rendered === location.search;
}"""
DIGITAL_PLAN = "wenzhou-kjj-2024-szjj-ssfa"


@pytest.fixture(scope="module")
def catalog(sample_catalog: Catalog) -> Catalog:
    return sample_catalog


def plan_text(plan: object) -> str:
    fields = [getattr(plan, k) or "" for k in ("title", "issuer", "doc_number", "index_no", "category", "summary",
                                              "body")]
    fields += [*plan.keywords, *plan.topics]  # type: ignore[attr-defined]
    return fold("\n".join(fields))


def containing(catalog: Catalog, *terms: str) -> set[str]:
    """Plans whose Markdown holds every term: the ground truth for queries that no markup can split."""
    return {p.id for p in catalog.plans if all(fold(t) in plan_text(p) for t in terms)}


def open_search(page: Page, server: Server, query: str = "") -> None:
    page.goto(server.url(f"search/{query}"))
    page.wait_for_function(RENDERED)


def result_ids(page: Page) -> list[str]:
    hrefs = page.locator("#pp-search-results .pp-result__title a").evaluate_all("as => as.map(a => a.href)")
    return [re.search(r"/plans/([^/]+)/", h).group(1) for h in hrefs]  # type: ignore[union-attr]


def facet_link(page: Page, facet: str, label: str) -> object:
    group = page.locator(f"#pp-search-facets section[aria-labelledby='pp-facet-{facet}']")
    return group.locator("a", has_text=re.compile(f"^{re.escape(label)}\\d*$")).first


def facet_count(page: Page, facet: str, label: str) -> int:
    return int(facet_link(page, facet, label).locator(".pp-facet__count").inner_text())  # type: ignore[attr-defined]


def test_header_box_on_every_page_opens_the_search(page: Page, site_server: Server, requests_seen: Requests,
                                                   catalog: Catalog) -> None:
    page.goto(site_server.url("plans/ruian-kjj-2024-gzjh/"))
    box = page.get_by_role("searchbox", name="检索全部计划")
    box.fill("乡村振兴")
    box.press("Enter")
    page.wait_for_function(RENDERED)
    assert urlsplit(page.url).path == "/search/"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["乡村振兴"]}
    assert set(result_ids(page)) == containing(catalog, "乡村振兴")
    assert page.get_by_role("searchbox", name="检索词").input_value() == "乡村振兴"
    assert requests_seen.foreign(site_server.base) == []


def test_the_url_holds_the_state_through_reload_and_back(page: Page, site_server: Server,
                                                         catalog: Catalog) -> None:
    open_search(page, site_server, "?q=高新技术企业&year=2024&region=330000&category=年度工作计划")
    first = result_ids(page)
    expected = {p.id for p in catalog.plans_under("330000") if 2024 in p.years and p.category == "年度工作计划"}
    assert set(first) == expected & containing(catalog, "高新技术企业") and first
    assert page.get_by_role("searchbox", name="检索词").input_value() == "高新技术企业"
    page.reload()
    page.wait_for_function(RENDERED)
    assert result_ids(page) == first
    page.locator("#pp-search-results .pp-result__title a").first.click()
    page.wait_for_load_state()
    assert "/plans/" in page.url
    page.go_back()
    page.wait_for_function(RENDERED)
    assert result_ids(page) == first


def test_typing_searches_and_keeps_the_address_in_step(page: Page, site_server: Server, catalog: Catalog) -> None:
    open_search(page, site_server)
    box = page.get_by_role("searchbox", name="检索词")
    box.focus()
    box.press_sequentially("科技特派员", delay=20)
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '科技特派员'")
    page.wait_for_function(RENDERED)
    assert set(result_ids(page)) == containing(catalog, "科技特派员")
    status = page.get_by_role("status")
    assert re.search(r"找到 \d+ 件包含“科技特派员”的计划", status.inner_text())


def test_empty_query_with_filters_lists_the_filtered_plans(page: Page, site_server: Server,
                                                           catalog: Catalog) -> None:
    open_search(page, site_server, "?region=330381")
    expected = [p.id for p in catalog.plans_under("330381")]
    assert result_ids(page) == expected, "newest first, like the region page"
    assert f"共 {len(expected)} 件" in page.get_by_role("status").inner_text()


def test_a_multi_year_plan_counts_in_each_of_its_years(page: Page, site_server: Server, catalog: Catalog) -> None:
    open_search(page, site_server)
    for year in (2023, 2024, 2025):
        assert facet_count(page, "year", f"{year}年") == len(catalog.plans_in_year(year))
    facet_link(page, "year", "2024年").click()  # type: ignore[attr-defined]
    page.wait_for_function(RENDERED)
    assert parse_qs(urlsplit(page.url).query) == {"year": ["2024"]}
    assert "ruian-kjj-2023-2025-xdjh" in result_ids(page) + all_pages(page)


def all_pages(page: Page) -> list[str]:
    """Result ids on the following pages, reached through the pager's 下一页 link."""
    found: list[str] = []
    while page.locator("#pp-search-pages a", has_text="下一页").count():
        page.locator("#pp-search-pages a", has_text="下一页").click()
        page.wait_for_function(RENDERED)
        found += result_ids(page)
    return found


def test_choosing_a_province_includes_its_cities_and_counties(page: Page, site_server: Server,
                                                              catalog: Catalog) -> None:
    open_search(page, site_server)
    assert facet_count(page, "region", "浙江省") == catalog.count_under("330000")
    facet_link(page, "region", "浙江省").click()  # type: ignore[attr-defined]
    page.wait_for_function(RENDERED)
    shown = result_ids(page) + all_pages(page)
    assert set(shown) == {p.id for p in catalog.plans_under("330000")}
    assert {"330300", "330304", "330381"} <= {catalog.region_of[i] for i in shown}, "cities and counties count"
    open_search(page, site_server, "?region=330000")
    assert facet_count(page, "region", "温州市") == catalog.count_under("330300")
    chip = page.get_by_role("link", name="取消筛选 地区：浙江省")
    chip.click()
    page.wait_for_function(RENDERED)
    assert "region" not in parse_qs(urlsplit(page.url).query)


def test_simplified_query_finds_and_marks_traditional_text(page: Page, site_server: Server) -> None:
    open_search(page, site_server, "?q=" + quote("温州正加快发展"))
    assert result_ids(page) == [DIGITAL_PLAN]
    assert page.locator("#pp-search-results mark").first.inner_text() == "溫州正加快發展"
    open_search(page, site_server, "?q=" + quote("數字經濟"))
    assert DIGITAL_PLAN in result_ids(page)


def test_a_substring_across_words_is_found_and_highlighted(page: Page, site_server: Server,
                                                          catalog: Catalog) -> None:
    open_search(page, site_server, "?q=村振")
    assert set(result_ids(page)) == containing(catalog, "村振") and len(result_ids(page)) >= 2
    marks = page.locator("#pp-search-results .pp-result__snippet mark").all_inner_texts()
    assert marks and set(marks) == {"村振"}


def test_title_matches_rank_first_and_results_show_their_facts(page: Page, site_server: Server) -> None:
    open_search(page, site_server, "?q=数字经济")
    first = page.locator("#pp-search-results > li").first
    assert result_ids(page)[0] == DIGITAL_PLAN
    assert "数字经济" in first.locator("h2 mark").inner_text()
    facts = first.locator(".pp-result__meta").inner_text()
    for fact in ("浙江省/温州市", "2024年", "实施方案", "现行有效"):
        assert fact in facts


def test_a_result_links_straight_to_the_matching_section(page: Page, site_server: Server) -> None:
    open_search(page, site_server, "?q=" + quote("智能传感器中试线"))
    link = page.locator("#pp-search-results .pp-result__title a").first
    href = link.get_attribute("href") or ""
    assert unquote(urlsplit(href).fragment) == "二智能传感器攻关"
    link.click()
    page.wait_for_load_state()
    target = page.locator("#二智能传感器攻关")
    assert target.count() == 1
    assert target.evaluate("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")


def test_drafts_and_withheld_plans_are_never_found(page: Page, site_server: Server, sample_site: Path) -> None:
    for marker in ("草稿示例不应公开", "草稿正文标记XYZ"):
        open_search(page, site_server, "?q=" + quote(marker))
        assert result_ids(page) == []
        assert "没有找到" in page.get_by_role("status").inner_text()
    index = b"".join(gzip.decompress(p.read_bytes()) for p in (sample_site / "search").rglob("*.bin"))
    assert "草稿正文标记".encode() not in index


def test_everything_works_from_the_keyboard(page: Page, site_server: Server) -> None:
    open_search(page, site_server)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "pp-search-input":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("科技")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '科技'")
    page.wait_for_function(RENDERED)
    # Tab to the first filter that narrows by year and choose it.
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if re.match(r"\d{4}年，\d+ 件", label):
            break
    else:
        pytest.fail("no year filter reached with Tab")
    year = label[:4]
    page.keyboard.press("Enter")
    page.wait_for_function(RENDERED)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["科技"], "year": [year]}
    assert page.evaluate("document.activeElement.id") == "pp-search-status", "focus goes to the result count"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.pp-result__title')"):
            break
    else:
        pytest.fail("no result reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/plans/" in page.url


def test_screen_readers_hear_the_count_and_the_chosen_filters(page: Page, site_server: Server) -> None:
    open_search(page, site_server, "?q=科技&status=已废止")
    status = page.locator("#pp-search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert page.get_by_role("list", name="检索结果").count() == 1
    chosen = page.locator("#pp-search-facets a[aria-current='true']").all_inner_texts()
    assert any(text.startswith("已废止") for text in chosen)
    assert page.get_by_role("link", name="取消筛选 有效性：已废止").count() == 1


def test_on_a_phone_nothing_overflows_and_filters_fold_away(phone: Page, site_server: Server) -> None:
    phone.goto(site_server.url())
    # The header's box, on every page (the home page has a large one of its own as well).
    button = phone.get_by_role("search", name="全站检索").get_by_role("button", name="检索")
    assert button.is_visible()
    button.click()
    phone.wait_for_function(RENDERED)
    assert urlsplit(phone.url).path == "/search/"
    open_search(phone, site_server, "?q=" + quote("科技创新") + "&region=330000")
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert phone.locator("#pp-search-filters").get_attribute("open") is None
    assert phone.locator("#pp-search-results > li").count() > 0
    phone.locator("#pp-search-filters > summary").click()
    assert phone.locator("#pp-search-facets").is_visible()


@pytest.fixture(scope="module")
def portal_server(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The sample site published under a sub-path of a portal, /kjj/plans/."""
    host = tmp_path_factory.mktemp("portal")
    (host / "kjj").mkdir()
    (host / "kjj" / "plans").symlink_to(sample_site, target_is_directory=True)
    yield from serve(host, "kjj/plans/")


def test_search_works_under_a_sub_path(page: Page, portal_server: Server, requests_seen: Requests) -> None:
    page.goto(portal_server.url("years/2024/"))
    page.get_by_role("searchbox", name="检索全部计划").fill("乡村振兴")
    page.get_by_role("searchbox", name="检索全部计划").press("Enter")
    page.wait_for_function(RENDERED)
    assert page.url.startswith(portal_server.url("search/"))
    assert result_ids(page)
    page.locator("#pp-search-results .pp-result__title a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(portal_server.url("plans/"))
    assert all(u.startswith(portal_server.base) for u in requests_seen.urls if u.startswith("http")), \
        "nothing is fetched from outside the sub-path"


@pytest.fixture(scope="module")
def embargo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A small corpus with a plan whose publication date is after the build date."""
    plans = tmp_path_factory.mktemp("embargo-plans")
    common = ("region: 浙江省/温州市/瓯海区\nissuer: 温州市瓯海区科学技术局\ncategory: 年度工作计划\n"
              "written: 2025-01-10\n")
    (plans / "open.md").write_text(f"---\nid: open-plan\ntitle: 公开的计划\nyear: 2025\n{common}---\n\n"
                                   "## 一、总体要求\n\n推进科技创新。\n", encoding="utf-8")
    (plans / "later.md").write_text(f"---\nid: later-plan\ntitle: 尚未发布的计划禁运标记\nyear: 2025\n{common}"
                                    "published: 2025-09-01\n---\n\n## 一、总体要求\n\n推进科技创新，正文禁运标记。\n",
                                    encoding="utf-8")
    site = tmp_path_factory.mktemp("embargo-site") / "site"
    assert main(["build", "--config", str(ROOT / "mkdocs.yml"), "--plans", str(plans), "--site-dir", str(site),
                 "--as-of", dt.date(2025, 6, 30).isoformat()]) == 0
    yield from serve(site)


def test_embargoed_plans_are_never_found(page: Page, embargo_server: Server) -> None:
    open_search(page, embargo_server, "?q=科技创新")
    assert result_ids(page) == ["open-plan"]
    for marker in ("禁运标记", "尚未发布"):
        open_search(page, embargo_server, "?q=" + quote(marker))
        assert result_ids(page) == []
    open_search(page, embargo_server)
    assert "共 1 件计划" in page.get_by_role("status").inner_text()
