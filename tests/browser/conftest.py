"""Browser fixtures: the built site served on loopback, and Debian's Chromium driven by Playwright.

Every request a page makes is recorded, so a test can assert that nothing goes to another host."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLANPUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]



class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Server:
    root: Path
    base: str
    """`http://127.0.0.1:PORT/prefix/`: the site's home, always ending in a slash."""

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")


def serve(root: Path, prefix: str = "") -> Iterator[Server]:
    """Serve `root` on a free loopback port; with `prefix`, under that sub-path (as on a portal)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(root, f"http://127.0.0.1:{httpd.server_address[1]}/{prefix}")
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def site_server(sample_site: Path) -> Iterator[Server]:
    yield from serve(sample_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Requests:
    urls: list[str] = field(default_factory=list)

    def foreign(self, base: str) -> list[str]:
        """Requests to any host other than the site's own (data: and blob: URLs stay in the page)."""
        origin = "/".join(base.split("/")[:3])
        return [u for u in self.urls if not u.startswith((origin, "data:", "blob:", "about:"))]


def _page(browser: object, width: int, height: int, requests: Requests) -> Iterator[object]:
    # Reduced motion: the theme's colour transitions would otherwise race the accessibility checks.
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",  # type: ignore[attr-defined]
                                  reduced_motion="reduce")
    page = context.new_page()
    page.on("request", lambda request: requests.urls.append(request.url))
    yield page
    context.close()


@pytest.fixture
def requests_seen() -> Requests:
    return Requests()


@pytest.fixture
def page(browser: object, requests_seen: Requests) -> Iterator[object]:
    """A desktop-sized page (1280×800)."""
    yield from _page(browser, 1280, 800, requests_seen)


@pytest.fixture
def phone(browser: object, requests_seen: Requests) -> Iterator[object]:
    """A phone-sized page (375×740)."""
    yield from _page(browser, 375, 740, requests_seen)


# --- Reader and accessibility helpers (appended for the reader tests; the fixtures above are unchanged). ---

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
READER_KEY = "planpub.reader:/"
"""localStorage key of the reader preferences for a site served at the root of its host."""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script from the project's npm packages (package-lock.json), injected into pages under test."""
    if not AXE.is_file():
        reason = f"axe-core is not installed at {AXE.relative_to(ROOT)} (run `npm ci`)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@dataclass
class Interruptions:
    """Pop-up windows and alert/confirm/prompt dialogs a page opened: older readers should meet none."""

    popups: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self, page: object) -> None:
        page.on("popup", lambda popup: self.popups.append(popup.url))  # type: ignore[attr-defined]

        def on_dialog(dialog: object) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
            dialog.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", on_dialog)  # type: ignore[attr-defined]


def watch_interruptions(page: object) -> Interruptions:
    seen = Interruptions()
    seen.watch(page)
    return seen


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A browser on a loaded 2-core machine now and then renders a page after a check has already looked; such a
    # test is tried up to three times. A real regression fails every attempt, so it still fails the suite.
    browser_dir = Path(__file__).resolve().parent
    for item in items:
        if browser_dir in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.flaky(reruns=2))
