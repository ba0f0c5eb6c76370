"""Every kind of page at the widths readers use (a small phone, a common phone, a tablet, a desktop) and at each
text size: the site's name and the tabs are readable in the header, nothing makes the page scroll sideways, no
request fails, axe-core finds no serious problem and the focus is visible at every Tab stop. The same with
`site_url` set and the site served under a sub-path, where the theme may fetch the sitemap. Tables in a plan are
shown as cards on a phone, each value under its column's name, and so is the coverage grid.

One browser context per width, reused for every text size and page, keeps the 12 combinations × 7 pages quick."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import READER_KEY, Server
from tests.browser.test_a11y import FOCUS, axe_violations
from tests.conftest import AS_OF, ROOT, run
from tests.test_portal_corpus import project_with_site_url

PAGES = {"home": "", "plan": "plans/kunshan-kjj-2022-gzyd/", "year": "years/2024/", "region": "regions/330381/",
         "coverage": "coverage/", "search": "search/?q=科技", "404": "404.html"}
WIDTHS = (320, 390, 768, 1280)
SIZES = ("normal", "large", "xlarge")
# Where the site's name is drawn, and whether any of it is cut off or outside the screen; and the same for each
# tab, where the tabs are shown (from 1220 px).
HEADER = """() => {
  const name = document.querySelector('.md-header__topic:first-child .md-ellipsis');
  const rect = name.getBoundingClientRect();
  const tabs = [...document.querySelectorAll('.md-tabs__link')].filter(t => t.checkVisibility())
    .map(t => t.getBoundingClientRect()).filter(r => r.left < 0 || r.right > innerWidth + 1);
  const list = document.querySelector('.md-tabs__list');
  return {text: name.textContent.trim(), seen: name.checkVisibility({opacityProperty: true, visibilityProperty: true}),
          clipped: name.scrollWidth > name.clientWidth + 1 || rect.left < 0 || rect.right > innerWidth + 1,
          opacity: getComputedStyle(name.closest('.md-header__topic')).opacity,
          tabsCut: tabs.length + (list && list.checkVisibility() && list.scrollWidth > list.clientWidth + 1 ? 1 : 0)};
}"""
TAB_STOPS = 8
"""Tab stops checked on each page: the skip link, the header's controls and the first links of the page."""


class Watch:
    """Failed requests, error responses and console errors of one page, for the whole of a test."""

    def __init__(self, page: object) -> None:
        self.failed: list[str] = []
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))  # type: ignore[attr-defined]
        # A request the browser itself gave up because the test moved on to the next page (the favicon, say) is
        # not one the site failed.
        page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"  # type: ignore[attr-defined]
                and self.failed.append(f"failed {r.url}: {r.failure}"))
        page.on("console", lambda m: m.type == "error" and self.failed.append(f"console: {m.text}"))  # type: ignore[attr-defined]


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda width: f"{width}px")
def sized(request: pytest.FixtureRequest, browser: object) -> Iterator[tuple[object, int, Watch]]:
    context = browser.new_context(viewport={"width": request.param, "height": 800},  # type: ignore[attr-defined]
                                  locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    yield page, request.param, Watch(page)
    context.close()


def _visible_focus(page: object, where: str) -> None:
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")  # type: ignore[attr-defined]
    for stop in range(TAB_STOPS):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        focused = page.evaluate(FOCUS)  # type: ignore[attr-defined]
        if focused is None:
            break
        assert focused["onScreen"] and focused["seen"] and focused["ring"], (where, stop, focused)


def check_page(page: object, url: str, where: str, width: int, axe_source: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    header = page.evaluate(HEADER)  # type: ignore[attr-defined]
    assert header["text"] == "科技计划公开（示例）", where
    assert header["seen"] and not header["clipped"] and header["opacity"] == "1", (where, header)
    assert header["tabsCut"] == 0, f"{where}: a tab is cut off"
    assert axe_violations(page, axe_source) == [], where  # type: ignore[arg-type]
    _visible_focus(page, where)
    # Scrolled down as a reader would: the name stays (the theme would swap in the page title on a phone).
    page.mouse.wheel(0, 600)  # type: ignore[attr-defined]
    page.wait_for_timeout(100)  # type: ignore[attr-defined]
    if width < 720:
        assert page.evaluate(HEADER)["opacity"] == "1", where  # type: ignore[attr-defined]
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")  # type: ignore[attr-defined]
    assert overflow <= 0, f"{where}: the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("size", SIZES)
def test_every_page_fits_the_screen_readable_accessible_and_without_a_failed_request(
        sized: tuple[object, int, Watch], site_server: Server, size: str, axe_source: str) -> None:
    page, width, watch = sized
    watch.failed.clear()
    page.goto(site_server.url(""))  # type: ignore[attr-defined]
    page.evaluate(f"localStorage.setItem({READER_KEY!r}, JSON.stringify({{text: {size!r}}}))")  # type: ignore[attr-defined]
    for name, path in PAGES.items():
        check_page(page, site_server.url(path), f"{name} at {width}px, text {size}", width, axe_source)
    assert watch.failed == []


SUB_PATH = "kjj/plans/"
MISSING = "no/such/page/"


class _NotFoundPage(http.server.SimpleHTTPRequestHandler):
    """A server set up as the README says: the site's 404.html for any address it does not have."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / SUB_PATH / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The sample site built with `site_url` and served under that sub-path, as on a portal."""
    tmp = tmp_path_factory.mktemp("hosted")
    www = tmp / "www"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_NotFoundPage, directory=str(www)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/{SUB_PATH}"
        config = project_with_site_url(tmp / "project", base)
        # A copy: a build adds to the plans folder's record of published URLs.
        plans = shutil.copytree(ROOT / "plans", tmp / "plans")
        built = run("build", "--config", str(config), "--plans", str(plans),
                    "--site-dir", str(www / SUB_PATH), "--as-of", AS_OF.isoformat())
        assert built.code == 0, built.err
        yield Server(www / SUB_PATH, base)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_with_site_url_under_a_sub_path_no_request_fails(browser: object, sub_path_site: Server,
                                                         axe_source: str) -> None:
    assert (sub_path_site.root / "sitemap.xml").is_file()
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    watch = Watch(page)
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    for name, path in {**PAGES, "missing": MISSING}.items():
        page.goto(sub_path_site.url(path))
        page.wait_for_load_state("networkidle")
        assert page.evaluate(HEADER)["text"] == "科技计划公开（示例）", name
    # The 404 page, shown at a deep address: its styles, scripts and links all resolve from there.
    assert page.locator("h1").inner_text() == "没有找到这个网页"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    hrefs = page.eval_on_selector_all(".pp-not-found__links a", "links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(sub_path_site.base) for h in hrefs)
    page.locator("#pp-not-found-q").fill("科技")
    with page.expect_navigation():
        page.locator(".pp-bigsearch__button").click()
    assert page.url.startswith(sub_path_site.url("search/?q="))
    context.close()
    # Only the missing address itself answers 404 (which the browser also logs): everything the pages asked for
    # was there.
    assert [f for f in watch.failed if not f.startswith("console: Failed to load resource")] == [
        f"404 {sub_path_site.url(MISSING)}"]
    assert len(watch.failed) <= 2
    assert [u for u in seen if not u.startswith(sub_path_site.base)] == []


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
