"""A reader's search in Chromium through nginx, across a publish: a plan added by a rebuild and `planpub publish`
is found by a browser whose cache is warm with the previous release (no cache pairs a new page with an old index)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from planpub.serverconf import NGINX_FILE, SERVER_DIR
from tests.browser.test_search import RENDERED, result_ids
from tests.conftest import AS_OF, ROOT, run
from tests.nginx import running_nginx
from tests.test_portal_corpus import project_with_site_url

if TYPE_CHECKING:
    from playwright.sync_api import Browser

NEW_TERM = "量子精密测量"
NEW_ID = "jiangyin-kjj-2023-lzcl"


def _build(config: Path, plans: Path, site: Path) -> None:
    if site.exists():
        shutil.rmtree(site)
    done = run("build", "--config", str(config), "--plans", str(plans), "--site-dir", str(site),
               "--as-of", AS_OF.isoformat())
    assert done.code == 0, done.err


def _add_plan(plans: Path) -> None:
    source = (plans / "wuxi-jiangyin" / "2023-keji-gongzuo-jihua.md").read_text(encoding="utf-8")
    text = (source.replace("id: jiangyin-kjj-2023-gzjh", f"id: {NEW_ID}")
            .replace("2023年科技工作计划", f"2023年{NEW_TERM}专项工作计划", 1)
            .replace("澄科发〔2023〕6号", "澄科发〔2023〕9号")
            .replace("014320281/2023-00013", "014320281/2023-00019"))
    text += f"\n## 六、{NEW_TERM}\n\n建设{NEW_TERM}公共服务平台。\n"
    (plans / "wuxi-jiangyin" / "2023-lzcl.md").write_text(text, encoding="utf-8")


def test_a_plan_added_by_a_rebuild_and_publish_is_found_by_a_browser_with_a_warm_cache(
        browser: Browser, tmp_path: Path) -> None:
    config = project_with_site_url(tmp_path / "project", '""')
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    site, live = tmp_path / "site", tmp_path / "www" / "plans"
    _build(config, plans, site)
    assert run("publish", str(live), "--site-dir", str(site)).code == 0
    with running_nginx(live, live / SERVER_DIR / NGINX_FILE, tmp_path / "nginx") as server:
        context = browser.new_context()
        page = context.new_page()
        base = f"http://127.0.0.1:{server.port}/"
        page.goto(base + "search/?q=" + quote("高新技术企业"))
        page.wait_for_function(RENDERED)
        assert result_ids(page)
        page.goto(base + "search/?q=" + quote(NEW_TERM))
        page.wait_for_function(RENDERED)
        assert NEW_ID not in result_ids(page)

        _add_plan(plans)
        _build(config, plans, site)
        assert run("publish", str(live), "--site-dir", str(site)).code == 0
        server.reload()

        page.goto(base + "search/?q=" + quote(NEW_TERM))
        page.wait_for_function(RENDERED)
        assert result_ids(page)[0] == NEW_ID
        context.close()
