"""The search page finds what a reader means: words typed without spaces, abbreviations and other names of a
bureau, periods written with another dash, and the plan most about a term first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from planpub.cli import main
from tests.browser.conftest import Server, serve
from tests.browser.test_search import open_search, result_ids
from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

SPLIT_NOTE = "未找到完整短语，以下结果包含全部词语"
FILLER = "推进科技创新，完善工作机制，加强组织保障，确保各项任务落到实处。"


def plan(folder: object, name: str, title: str, body: str, written: str, **extra: str) -> None:
    fields = {"id": name, "title": title, "year": written[:4], "region": "浙江省/温州市/瑞安市",
              "issuer": "瑞安市科学技术局", "category": "年度工作计划", "written": written, **extra}
    front = "\n".join(f"{k}: {v}" for k, v in fields.items())
    (folder / f"{name}.md").write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")  # type: ignore[operator]


@pytest.fixture(scope="module")
def words_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    plans = tmp_path_factory.mktemp("words-plans")
    plan(plans, "talent-close", "瑞安市人才工作要点", f"## 一、重点任务\n\n{FILLER}着力引进各类高层次科技人才。\n",
         "2024-03-01", category="工作要点")
    # Newer, so it would come first on date alone; its words are far apart.
    plan(plans, "talent-apart", "瑞安市招商工作要点",
         f"## 一、重点任务\n\n积极引进外资项目。{FILLER * 3}培育高层次创业团队。{FILLER * 3}做好人才服务。\n",
         "2024-05-01", category="工作要点")
    plan(plans, "bureau-2024", "瑞安市科学技术局2024年度工作计划", f"## 一、总体要求\n\n{FILLER}\n", "2024-02-01")
    plan(plans, "period", "瑞安市科技创新实施方案（2023—2025年）", f"## 一、总体要求\n\n{FILLER}\n", "2023-04-01",
         category="实施方案", period="2023-2025")
    plan(plans, "hightech", "瑞安市企业培育工作计划", f"## 一、重点任务\n\n{FILLER}培育国家高新技术企业20家。\n",
         "2023-06-01")
    plan(plans, "finance-most", "瑞安市科技服务工作计划",
         f"## 一、科技金融\n\n{FILLER}深化科技金融合作。\n\n## 二、保障措施\n\n扩大科技金融规模，创新科技金融产品。\n",
         "2022-03-01", year="2022")
    # Newer, and mentions the term once only.
    plan(plans, "finance-once", "瑞安市科技工作计划", f"## 一、重点任务\n\n{FILLER}探索科技金融。\n", "2025-03-01",
         year="2025")
    site = tmp_path_factory.mktemp("words-site") / "site"
    assert main(["build", "--config", str(ROOT / "mkdocs.yml"), "--plans", str(plans), "--site-dir", str(site),
                 "--as-of", dt.date(2025, 6, 30).isoformat()]) == 0
    yield from serve(site)


def status(page: Page) -> str:
    return page.get_by_role("status").inner_text()


def test_words_typed_without_spaces_are_found_closest_first(page: Page, words_server: Server) -> None:
    open_search(page, words_server, "?q=" + quote("引进高层次人才"))
    assert result_ids(page) == ["talent-close", "talent-apart"]
    assert SPLIT_NOTE in status(page)
    marks = page.locator("#pp-search-results li").first.locator("mark").all_inner_texts()
    assert {"引进", "人才"} <= set(marks)


def test_a_phrase_that_is_there_is_not_split(page: Page, words_server: Server) -> None:
    open_search(page, words_server, "?q=" + quote("引进各类高层次科技人才"))
    assert result_ids(page) == ["talent-close"]
    assert SPLIT_NOTE not in status(page)


def test_the_short_name_of_a_bureau_finds_its_full_name(page: Page, words_server: Server) -> None:
    open_search(page, words_server, "?q=" + quote("瑞安市科技局2024年工作计划"))
    assert result_ids(page)[0] == "bureau-2024"
    assert page.locator("#pp-search-results li").first.locator("mark").first.inner_text().startswith("瑞安市")
    open_search(page, words_server, "?q=" + quote("瑞安市科技局"))
    assert len(result_ids(page)) == 7, "every plan's issuer is 瑞安市科学技术局"
    assert result_ids(page)[0] == "bureau-2024", "the one with the name in its title first"


@pytest.mark.parametrize("query", ["实施方案2023-2025", "实施方案 2023~2025", "实施方案（2023－2025）", "2023至2025"])
def test_a_period_written_with_another_dash_is_found(page: Page, words_server: Server, query: str) -> None:
    open_search(page, words_server, "?q=" + quote(query))
    assert result_ids(page)[0] == "period"


def test_an_abbreviation_finds_the_full_term(page: Page, words_server: Server) -> None:
    open_search(page, words_server, "?q=" + quote("高企"))
    assert result_ids(page) == ["hightech"]
    assert "高新技术企业" in page.locator("#pp-search-results li mark").all_inner_texts()


def test_a_term_in_a_heading_and_often_in_the_text_ranks_first(page: Page, words_server: Server) -> None:
    open_search(page, words_server, "?q=" + quote("科技金融"))
    assert result_ids(page) == ["finance-most", "finance-once"]


def test_a_pasted_paragraph_ends_in_a_plain_answer(page: Page, words_server: Server) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    query = "引进高层次人才和团队推动科技成果转化" * 40
    open_search(page, words_server, "?q=" + quote(query))
    assert result_ids(page) == []
    assert status(page).startswith("没有找到")
    assert errors == []
