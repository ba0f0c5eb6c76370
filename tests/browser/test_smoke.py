from __future__ import annotations

from tests.browser.conftest import Requests, Server


def test_home_page_opens_and_stays_on_its_own_host(page: object, site_server: Server, requests_seen: Requests) -> None:
    page.goto(site_server.url())  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text().strip()  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.lang") == "zh-CN"  # type: ignore[attr-defined]
    assert requests_seen.foreign(site_server.base) == []
