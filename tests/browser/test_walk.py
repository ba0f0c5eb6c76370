"""A reader's walk through the sample site, on a desktop and on a 375 px phone: home → a year → a region →
a plan → the same region's previous plan, clicking only what a reader sees."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.browser.conftest import Requests, Server, watch_interruptions

if TYPE_CHECKING:
    from playwright.sync_api import Page

YEAR = "2024年"
REGION_PATH = "浙江省 › 温州市 › 瑞安市"
PLAN = "【示例】瑞安市2024年科技创新工作计划"


def heading(page: Page) -> str:
    return (page.locator("article h1").first.text_content() or "").replace("¶", "").strip()


def disclosure(page: Page, label: str) -> str:
    row = page.locator(".pp-disclosure tr", has=page.locator("th", has_text=re.compile(f"^{label}$")))
    return row.locator("td").inner_text().strip()


def fits_the_screen(page: Page) -> bool:
    """No sideways scrolling: nothing is wider than the viewport."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def click_link(page: Page, name: str, scope: str = "article") -> None:
    page.locator(scope).get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()


def year_to_previous_plan(page: Page) -> list[str]:
    """From a year page to the previous plan of a region; returns the URL path of each page on the way."""
    assert heading(page) == f"{YEAR}的计划"
    visited = [page.url]
    click_link(page, REGION_PATH)
    assert re.search(r"/regions/\d{6}/$", page.url)
    assert heading(page) == "瑞安市的计划"
    visited.append(page.url)
    click_link(page, PLAN)
    assert re.search(r"/plans/[a-z0-9-]+/$", page.url)
    assert heading(page) == PLAN
    assert disclosure(page, "地区") == REGION_PATH
    visited.append(page.url)

    previous = page.locator(".pp-neighbours .pp-prev a")
    previous_title = previous.inner_text().strip()
    previous.click()
    page.wait_for_load_state()
    assert heading(page) == previous_title
    assert disclosure(page, "地区") == REGION_PATH, "the previous plan is from the same region"
    assert page.locator(".pp-neighbours .pp-next a").inner_text().strip() == PLAN, "and leads back"
    visited.append(page.url)
    return visited


def test_desktop_reader_walks_from_home_to_a_previous_plan(page: Page, site_server: Server,
                                                         requests_seen: Requests) -> None:
    interruptions = watch_interruptions(page)
    page.goto(site_server.url())
    assert heading(page) == "科技计划公开（示例）"
    click_link(page, YEAR)
    assert page.url == site_server.url("years/2024/")
    visited = year_to_previous_plan(page)

    assert len(set(visited)) == 4
    assert requests_seen.foreign(site_server.base) == []
    assert interruptions.popups == [] and interruptions.dialogs == []


def test_phone_reader_walks_through_the_menu_drawer(phone: Page, site_server: Server,
                                                    requests_seen: Requests) -> None:
    interruptions = watch_interruptions(phone)
    phone.goto(site_server.url())
    assert fits_the_screen(phone)
    assert not phone.locator(".md-tabs").is_visible(), "a phone shows the menu button, not the tabs"
    drawer = phone.locator(".md-sidebar--primary")
    assert drawer.evaluate("el => el.getBoundingClientRect().right") <= 0, "the drawer starts closed, off screen"

    phone.locator(".md-header").get_by_role("button", name="打开导航菜单").click()
    phone.wait_for_function("el => el.getBoundingClientRect().left >= 0", arg=drawer.element_handle())
    # The section link, not the home page's own heading of that name in the drawer's table of contents.
    drawer.get_by_role("link", name="按年度", exact=True).and_(drawer.locator("a:not([href^='#'])")).click()
    phone.wait_for_load_state()
    assert heading(phone) == "按年度浏览"
    phone.locator("article").get_by_role("link", name=YEAR).click()
    phone.wait_for_load_state()
    assert phone.url == site_server.url("years/2024/")

    for url in year_to_previous_plan(phone):
        phone.goto(url)
        assert fits_the_screen(phone), f"{url} scrolls sideways on a 375 px phone"
    assert requests_seen.foreign(site_server.base) == []
    assert interruptions.popups == [] and interruptions.dialogs == []
