"""The preview in Chromium: a mistake shows over the page with its file and line; fixing it reloads the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.test_preview import PLAN, Preview, _edit, preview  # noqa: F401 (the fixture)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_a_mistake_shows_on_the_page_and_the_fix_reloads_it(browser: Browser, preview: Preview) -> None:  # noqa: F811
    page = browser.new_page()
    page.goto(preview.base + "plans/jiangyin-kjj-2023-gzjh/")
    page.wait_for_load_state("load")
    _edit(preview.plans, "year: 2023", "year: 二〇二三年")
    alert = page.locator("#pp-preview-error")
    alert.wait_for(state="visible", timeout=60_000)
    assert f"{PLAN.as_posix()}:4:" in alert.inner_text()
    assert "预览没有更新" in alert.inner_text()
    _edit(preview.plans, "year: 二〇二三年", "year: 2023")
    _edit(preview.plans, "2023年科技工作计划", "2023年科技创新工作计划")
    page.wait_for_function("() => document.title.includes('科技创新工作计划')", timeout=60_000)
    assert page.locator("#pp-preview-error").count() == 0
    page.close()
