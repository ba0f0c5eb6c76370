"""What a portal editor and a portal's visitors do in a browser: copy a region's embed snippet into a plain portal
page on another port (encoded in GBK, as many portals are) and see the latest plans there; copy a plan's
permanent link; follow an old address to a renamed plan with JavaScript off; all of it also under a sub-path."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from planpub.catalog import Catalog, load_catalog
from planpub.schema import DEFAULT_CATEGORIES
from tests.browser.conftest import Requests, Server, serve
from tests.conftest import AS_OF, ROOT

serving = contextlib.contextmanager(serve)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(ROOT / "plans", DEFAULT_CATEGORIES, AS_OF)
    assert result.catalog is not None
    return result.catalog


@pytest.fixture(scope="module")
def subpath_server(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The sample site as a portal hosts it: under /kjj/plans/ of a larger site."""
    www = tmp_path_factory.mktemp("www")
    (www / "kjj").mkdir()
    (www / "kjj" / "plans").symlink_to(sample_site, target_is_directory=True)
    with serving(www, "kjj/plans/") as server:
        yield server


def origin(url: str) -> str:
    return "/".join(url.split("/")[:3])


def portal_page(folder: Path, snippet: str) -> Path:
    """A government portal's page of its own, in GBK, with the snippet pasted in as an editor would."""
    folder.mkdir(parents=True, exist_ok=True)
    html = ("<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"gbk\"><title>某区人民政府门户网站</title>"
            f"</head><body><h1>政策文件</h1><div id=\"slot\">{snippet}</div><p>页面其余内容</p></body></html>\n")
    (folder / "index.html").write_bytes(html.encode("gbk"))
    return folder


def snippet_of(page: object, site: Server, url: str, kind: str) -> str:
    page.goto(site.url(url))  # type: ignore[attr-defined]
    code = page.locator(f".pp-embed-code--{kind}").text_content()  # type: ignore[attr-defined]
    assert site.base in code, "the snippet must carry this site's full address to work on another host"
    return str(code)


@pytest.mark.parametrize("site_name", ["site_server", "subpath_server"])
def test_the_embed_script_shows_a_regions_latest_plans_on_a_portal_page_on_another_port(
        page: object, request: pytest.FixtureRequest, tmp_path: Path, requests_seen: Requests, catalog: Catalog,
        site_name: str) -> None:
    site: Server = request.getfixturevalue(site_name)
    snippet = snippet_of(page, site, "regions/330300/", "script")
    expected = catalog.plans_under("330300")[:10]
    with serving(portal_page(tmp_path / "portal", snippet)) as portal:
        assert origin(portal.base) != origin(site.base)
        page.goto(portal.url())  # type: ignore[attr-defined]
        links = page.locator("#slot .planpub-embed li a")  # type: ignore[attr-defined]
        links.first.wait_for()
        assert links.all_text_contents() == [p.title for p in expected]
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
            site.url(f"plans/{p.id}/") for p in expected]
        assert [r for r in requests_seen.urls if not r.startswith((origin(site.base), origin(portal.base)))] == []
        links.first.click()
        page.wait_for_url(site.url(f"plans/{expected[0].id}/"))  # type: ignore[attr-defined]
        assert page.locator("article h1").inner_text().strip().rstrip("¶") == expected[0].title  # type: ignore[attr-defined]


def test_the_embed_frame_works_where_a_portal_allows_no_script(page: object, site_server: Server, tmp_path: Path,
                                                               catalog: Catalog) -> None:
    snippet = snippet_of(page, site_server, "years/2024/", "frame")
    with serving(portal_page(tmp_path / "portal", snippet)) as portal:
        page.goto(portal.url())  # type: ignore[attr-defined]
        links = page.frame_locator("#slot iframe").locator("li a")  # type: ignore[attr-defined]
        links.first.wait_for()
        assert links.all_text_contents() == [p.title for p in catalog.plans_in_year(2024)[:10]]


def test_a_plan_pages_permanent_link_is_completed_and_copied(page: object, site_server: Server,
                                                             catalog: Catalog) -> None:
    plan = catalog.by_id["ouhai-kjj-2024-gzyd"]
    url = site_server.url(f"plans/{plan.id}/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin(url))  # type: ignore[attr-defined]
    page.goto(url)  # type: ignore[attr-defined]
    share = page.locator(".pp-share")  # type: ignore[attr-defined]
    assert share.locator(".pp-permalink").inner_text() == url
    assert share.locator(".pp-citation").inner_text().endswith(f"，{url}")
    share.get_by_role("button", name="复制链接").click()
    assert page.evaluate("navigator.clipboard.readText()") == url  # type: ignore[attr-defined]
    share.get_by_role("button", name="已复制").wait_for()


def test_an_old_address_leads_to_the_renamed_plan_without_javascript(browser: object, subpath_server: Server,
                                                                     catalog: Catalog) -> None:
    plan = catalog.by_id["ouhai-kjj-2022-gzjh"]
    [alias] = plan.aliases
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(subpath_server.url(f"plans/{alias}/"))
        page.wait_for_url(subpath_server.url(f"plans/{plan.id}/"))
        assert page.locator("article h1").inner_text().strip().rstrip("¶") == plan.title
    finally:
        context.close()


def test_an_old_address_with_a_section_keeps_the_section(page: object, site_server: Server, catalog: Catalog) -> None:
    plan = catalog.by_id["ouhai-kjj-2022-gzjh"]
    [alias] = plan.aliases
    page.goto(site_server.url(f"plans/{alias}/#二主要目标"))  # type: ignore[attr-defined]
    page.wait_for_url(site_server.url(f"plans/{plan.id}/") + "#*")  # type: ignore[attr-defined]
    assert page.evaluate("decodeURIComponent(location.hash)") == "#二主要目标"  # type: ignore[attr-defined]
