"""适老化 reader tools: three text sizes and a high-contrast mode, chosen with buttons in the header, kept across
pages and visits, applied before the first paint, usable by keyboard and on a phone, and carried into print."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import READER_KEY, Requests, Server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

PLAN = "plans/ruian-kjj-2024-gzjh/"
SIZES = ("标准", "大", "特大")
TEXT_SIZE = "parseFloat(getComputedStyle(document.querySelector('article')).fontSize)"


def button(page: Page, name: str) -> Locator:
    return page.locator(".md-header").get_by_role("button", name=name, exact=True)


def pressed(page: Page) -> list[str]:
    """The names of the reader buttons that are pressed, as a screen reader announces them."""
    return [name for name in (*SIZES, "高对比") if button(page, name).get_attribute("aria-pressed") == "true"]


def colours(page: Page) -> tuple[str, str]:
    background, text = page.evaluate("[getComputedStyle(document.body).backgroundColor, "
                                     "getComputedStyle(document.querySelector('article')).color]")
    return background, text


def prefs_before_body(page: Page) -> None:
    """Record the reader attributes on <html> at the moment the parser inserts <body>, before anything is drawn."""
    page.add_init_script("""new MutationObserver((changes, observer) => {
        if (!document.body) return;
        const html = document.documentElement;
        window.__atBody = {text: html.getAttribute("data-pp-text"), contrast: html.getAttribute("data-pp-contrast")};
        observer.disconnect();
    }).observe(document, {childList: true, subtree: true});""")


def test_three_text_sizes_grow_the_text_and_stay_for_the_next_page(page: Page, site_server: Server,
                                                                    requests_seen: Requests) -> None:
    page.goto(site_server.url())
    assert pressed(page) == ["标准"]
    sizes = []
    for name in SIZES:
        button(page, name).click()
        assert pressed(page) == [name]
        sizes.append(page.evaluate(TEXT_SIZE))
    assert sizes[0] < sizes[1] < sizes[2]
    assert sizes[2] >= 1.3 * sizes[0], "the largest size is a real step up for older eyes"

    page.goto(site_server.url(PLAN))
    assert pressed(page) == ["特大"]
    assert page.evaluate(TEXT_SIZE) == sizes[2]
    assert requests_seen.foreign(site_server.base) == []


def test_high_contrast_turns_on_and_off_and_is_remembered(page: Page, site_server: Server) -> None:
    page.goto(site_server.url(PLAN))
    normal = colours(page)
    button(page, "高对比").click()
    assert "高对比" in pressed(page)
    assert colours(page) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")

    page.goto(site_server.url())
    assert "高对比" in pressed(page)
    assert colours(page) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    button(page, "高对比").click()
    assert "高对比" not in pressed(page)
    page.reload()
    assert colours(page) == normal


def test_choices_survive_closing_the_browser(browser: Browser, site_server: Server) -> None:
    first = browser.new_context(locale="zh-CN")
    tab = first.new_page()
    tab.goto(site_server.url())
    button(tab, "大").click()
    button(tab, "高对比").click()
    saved = first.storage_state()
    first.close()

    again = browser.new_context(locale="zh-CN", storage_state=saved)
    try:
        tab = again.new_page()
        tab.goto(site_server.url(PLAN))
        assert pressed(tab) == ["大", "高对比"]
    finally:
        again.close()


def test_choices_apply_before_first_paint_without_waiting_for_scripts(page: Page, site_server: Server) -> None:
    page.add_init_script(f"localStorage.setItem({READER_KEY!r}, JSON.stringify({{text: 'xlarge', contrast: 'high'}}))")
    prefs_before_body(page)
    # Without the site's script files only the inline script in the head can apply the choice.
    page.route("**/*.js", lambda route: route.abort())
    page.goto(site_server.url(PLAN))
    assert page.evaluate("window.__atBody") == {"text": "xlarge", "contrast": "high"}


@pytest.mark.parametrize("stored", ['{"text": "huge", "contrast": 1}', "5", "not json"])
def test_a_stored_value_the_site_does_not_know_is_ignored(page: Page, site_server: Server, stored: str) -> None:
    page.add_init_script(f"localStorage.setItem({READER_KEY!r}, {stored!r})")
    page.goto(site_server.url())
    assert page.evaluate("document.documentElement.getAttribute('data-pp-text')") is None
    assert pressed(page) == ["标准"]
    button(page, "大").click()
    assert pressed(page) == ["大"]


def test_keyboard_works_the_controls(page: Page, site_server: Server) -> None:
    page.goto(site_server.url())
    button(page, "特大").focus()
    page.keyboard.press("Space")
    assert pressed(page) == ["特大"]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert pressed(page) == ["特大", "高对比"]


def test_controls_fit_a_phone_and_are_big_enough_to_tap(phone: Page, site_server: Server) -> None:
    phone.goto(site_server.url(PLAN))
    for name in (*SIZES, "高对比"):
        box = button(phone, name).bounding_box()
        assert box is not None, f"{name} is not shown on a phone"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, f"{name} is off screen: {box}"
        assert box["width"] >= 24 and box["height"] >= 24, f"{name} is too small to tap: {box}"
    button(phone, "特大").click()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth"), "large text scrolls sideways"


def test_no_controls_without_scripts(browser: Browser, site_server: Server) -> None:
    """Buttons that could not work are not shown."""
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site_server.url())
        assert not tab.locator(".pp-reader").is_visible()
    finally:
        context.close()


def test_print_keeps_the_text_size_and_prints_high_contrast_black_on_white(page: Page, site_server: Server) -> None:
    page.goto(site_server.url(PLAN))
    page.emulate_media(media="print")
    normal = page.evaluate(TEXT_SIZE)
    page.emulate_media(media="screen")
    button(page, "特大").click()
    button(page, "高对比").click()
    page.emulate_media(media="print")
    assert page.evaluate(TEXT_SIZE) >= 1.3 * normal
    assert colours(page) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)")
    assert not page.locator(".pp-reader").is_visible()

