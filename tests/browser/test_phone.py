"""Every kind of page at the widths readers use (a small phone, a common phone, a tablet, a desktop) and at each
text size: the site's name is readable in the header, nothing makes the page scroll sideways, and no request
fails. Tables in a plan are shown as cards on a phone, each value under its column's name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import READER_KEY, Server

PAGES = {"home": "", "plan": "plans/kunshan-kjj-2022-gzyd/", "year": "years/2024/", "region": "regions/330381/",
         "search": "search/?q=科技", "404": "404.html"}
WIDTHS = (320, 390, 768, 1280)
SIZES = ("normal", "large", "xlarge")
# Where the site's name is drawn, and whether any of it is cut off or outside the screen.
HEADER_NAME = """() => {
  const name = document.querySelector('.md-header__topic:first-child .md-ellipsis');
  const rect = name.getBoundingClientRect();
  return {text: name.textContent.trim(), seen: name.checkVisibility({opacityProperty: true, visibilityProperty: true}),
          clipped: name.scrollWidth > name.clientWidth + 1 || rect.left < 0 || rect.right > innerWidth + 1,
          opacity: getComputedStyle(name.closest('.md-header__topic')).opacity};
}"""


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sized(request: pytest.FixtureRequest, browser: object) -> Iterator[tuple[object, int]]:
    context = browser.new_context(viewport={"width": request.param, "height": 800},  # type: ignore[attr-defined]
                                  locale="zh-CN", reduced_motion="reduce")
    yield context.new_page(), request.param
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_every_page_fits_the_screen_with_the_sites_name_readable(sized: tuple[object, int], site_server: Server,
                                                                 size: str) -> None:
    page, width = sized
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))  # type: ignore[attr-defined]
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and failed.append(f"console: {m.text}"))  # type: ignore[attr-defined]
    page.add_init_script(f"localStorage.setItem({READER_KEY!r}, JSON.stringify({{text: {size!r}}}))")  # type: ignore[attr-defined]
    for name, path in PAGES.items():
        page.goto(site_server.url(path))  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        where = f"{name} at {width}px, text {size}"
        header = page.evaluate(HEADER_NAME)  # type: ignore[attr-defined]
        assert header["text"] == "科技计划公开（示例）", where
        assert header["seen"] and not header["clipped"] and header["opacity"] == "1", (where, header)
        # Scrolled down as a reader would: the name stays (the theme would swap in the page title on a phone).
        page.mouse.wheel(0, 600)  # type: ignore[attr-defined]
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
        if width < 720:
            assert page.evaluate(HEADER_NAME)["opacity"] == "1", where  # type: ignore[attr-defined]
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")  # type: ignore[attr-defined]
        assert overflow <= 0, f"{where}: the page scrolls sideways by {overflow}px"
    assert failed == []


def test_a_plans_table_becomes_cards_on_a_phone_at_the_largest_text(browser: object, site_server: Server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem({READER_KEY!r}, JSON.stringify({{text: 'xlarge'}}))")
    page.goto(site_server.url(PAGES["plan"]))
    table = page.locator("article table.pp-cards").first
    heads = table.locator("thead th").all_inner_texts()
    assert heads[-1] == "牵头部门"
    cell = table.locator("tbody tr").first.locator("td").last
    assert cell.get_attribute("data-pp-label") == "牵头部门"
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, "the last column is on screen"
    label = page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle())
    assert label == '"牵头部门"'
    context.close()
