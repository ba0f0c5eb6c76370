"""Accessibility in the browser: axe-core finds no serious or critical problem on the main pages, in the normal
and the high-contrast look; every page works from the keyboard alone, with a visible focus and a working skip
link; the page language is zh-CN."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import READER_KEY, Requests, Server

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

PAGES = {
    "home": "",
    "year": "years/2024/",
    "region": "regions/330381/",
    "plan": "plans/ruian-kjj-2024-gzjh/",
    "search": "search/",
    "404": "404.html",
}
# Pages with a table of contents: the engine's skip link leads to their first heading (the 404 page is a short
# notice right below the header, with nothing to skip).
CONTENT_PAGES = [name for name in PAGES if name != "404"]
BLOCKING = ("serious", "critical")
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""
# Where focus is and whether a sighted keyboard user can see it: on screen, not transparent or hidden, with an
# outline of at least 2 px (or a focus shadow).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0;
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.getAttribute("aria-label") || el.innerText || "").replace("¶", "").trim().slice(0, 40),
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
              && rect.top < innerHeight && rect.left < innerWidth,
    seen: el.checkVisibility({opacityProperty: true, visibilityProperty: true}),
    ring: outline >= 2 || style.boxShadow !== "none",
    inArticle: !!el.closest("article"),
  };
}"""


def page_path(site: Path, name: str) -> str:
    path = PAGES[name]
    if name == "search" and not (site / "search" / "index.html").is_file():
        pytest.skip("the search page (search/index.html) is not part of the built site yet")
    return path


def axe_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Run through the browser's debugging protocol, which the page's Content-Security-Policy does not govern
        # (a script tag added to the page would be refused by it, as any injected script should be).
        page.evaluate("() => {" + axe_source + "\n}")
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return [v for v in violations if v["impact"] in BLOCKING]


def focus(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUS)  # type: ignore[no-any-return]


def open_still(page: Page, url: str) -> None:
    """Open a page as a reader who asked the system for reduced motion: focus rings show without transitions,
    so what the test sees at each Tab is what stays on screen."""
    page.emulate_media(reduced_motion="reduce")
    page.goto(url)


def tab_through(page: Page, limit: int = 300) -> list[dict[str, Any]]:
    """Every stop of the Tab key from the top of the page until focus leaves the page."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus(page)
        if stop is None or (stops and stop == stops[0]):
            return stops
        stops.append(stop)
    raise AssertionError(f"more than {limit} Tab stops")


def tab_to(page: Page, text: str, limit: int = 200) -> None:
    """Press Tab until the focused control reads `text`, checking each stop is visible on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus(page)
        assert stop is not None, f"focus left the page before reaching “{text}”"
        assert stop["onScreen"] and stop["seen"] and stop["ring"], f"focus is not visible on {stop}"
        if stop["text"] == text:
            return
    raise AssertionError(f"“{text}” cannot be reached with the Tab key")


def activate(page: Page, text: str) -> None:
    tab_to(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_problem_in_normal_and_high_contrast(page: Page, site_server: Server,
                                                                  requests_seen: Requests, axe_source: str,
                                                                  name: str) -> None:
    page.goto(site_server.url(page_path(site_server.root, name)))
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert axe_violations(page, axe_source) == []
    page.locator(".md-header").get_by_role("button", name="高对比").click()
    assert page.evaluate("document.documentElement.getAttribute('data-pp-contrast')") == "high"
    assert axe_violations(page, axe_source) == []
    assert requests_seen.foreign(site_server.base) == []


@pytest.mark.parametrize("name", ["home", "plan"])
def test_axe_finds_no_serious_problem_on_a_phone_with_the_largest_text(
        phone: Page, site_server: Server, axe_source: str, name: str) -> None:
    phone.add_init_script(f"localStorage.setItem({READER_KEY!r}, JSON.stringify({{text: 'xlarge'}}))")
    phone.goto(site_server.url(PAGES[name]))
    assert axe_violations(phone, axe_source) == []


@pytest.mark.parametrize("name", CONTENT_PAGES)
def test_skip_link_is_the_first_stop_and_jumps_to_the_content(page: Page, site_server: Server, name: str) -> None:
    page.goto(site_server.url(page_path(site_server.root, name)))
    page.keyboard.press("Tab")
    first = focus(page)
    assert first is not None and first["text"] == "跳转至", first
    assert first["onScreen"] and first["seen"] and first["ring"]
    page.keyboard.press("Enter")
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    assert target == page.locator("article h1").get_attribute("id")
    page.keyboard.press("Tab")
    after = focus(page)
    assert after is not None and after["inArticle"], f"Tab after the skip link went to {after}"


@pytest.mark.parametrize(("name", "viewport"), [*((name, "page") for name in CONTENT_PAGES), ("home", "phone"),
                                                 ("plan", "phone")])
def test_every_tab_stop_is_visible(request: pytest.FixtureRequest, site_server: Server, name: str,
                                   viewport: str) -> None:
    tab = request.getfixturevalue(viewport)
    open_still(tab, site_server.url(page_path(site_server.root, name)))
    stops = tab_through(tab)
    assert len(stops) > 10
    hidden = [s for s in stops if not (s["onScreen"] and s["seen"] and s["ring"])]
    assert hidden == []
    assert {"标准", "大", "特大", "高对比"} <= {s["text"] for s in stops}, "the reader controls take focus"


def test_keyboard_alone_walks_from_home_to_a_previous_plan(page: Page, site_server: Server) -> None:
    open_still(page, site_server.url())
    activate(page, "按年度")
    activate(page, "2024年")
    assert page.url == site_server.url("years/2024/")
    activate(page, "浙江省 › 温州市 › 瑞安市")
    activate(page, "【示例】瑞安市2024年科技创新工作计划")
    activate(page, "【示例】瑞安市科技创新三年行动计划（2023—2025年）")
    assert page.url == site_server.url("plans/ruian-kjj-2023-2025-xdjh/")


def test_keyboard_opens_the_phone_menu_and_escape_closes_it(phone: Page, site_server: Server) -> None:
    open_still(phone, site_server.url("plans/ruian-kjj-2024-gzjh/"))
    drawer = phone.locator(".md-sidebar--primary")
    tab_to(phone, "打开导航菜单")
    opener = phone.locator(".md-header").get_by_role("button", name="打开导航菜单")
    assert opener.get_attribute("aria-expanded") == "false"
    phone.keyboard.press("Enter")
    phone.wait_for_function("el => el.getBoundingClientRect().left >= 0", arg=drawer.element_handle())
    assert opener.get_attribute("aria-expanded") == "true"
    assert phone.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"), "focus moves into the menu"

    phone.keyboard.press("Escape")
    assert opener.get_attribute("aria-expanded") == "false"
    assert focus(phone)["text"] == "打开导航菜单"  # type: ignore[index]

    phone.keyboard.press("Enter")
    activate(phone, "按年度")
    assert phone.url == site_server.url("years/")
