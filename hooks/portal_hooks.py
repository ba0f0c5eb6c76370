"""MkDocs hooks for the portal feature: page metadata, the share and embed boxes, and the files portals use
(JSON catalogue, feeds, sitemap, redirects, attachments). All of it is computed by `planpub.portal` from the
catalog that hooks/planpub_hooks.py (listed before this file in mkdocs.yml) publishes on the config."""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from planpub.catalog import Catalog
from planpub.engine import ENV_WRITTEN_BY_PLANPUB
from planpub.pages import plan_src, shard_of
from planpub.portal.attachments import check_attachments
from planpub.portal.embed import embed_list_for, portal_tools
from planpub.portal.links import SiteLinks
from planpub.portal.meta import PageInfo, page_head
from planpub.portal.output import SiteFile, plan_files, shared_files, sitemap_files, sitemap_pages, write_files
from planpub.portal.share import plan_extras
from planpub.portal.urlrecord import check_published_urls
from planpub.settings import Settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.planpub.portal")

_state: dict[str, Any] = {}
HEAD_KEY = "planpub_portal"
"""page.meta key read by docs/overrides/partials/pp-head-portal.html."""


def _catalog(config: MkDocsConfig) -> Catalog:
    catalog = config.get("planpub_catalog")
    if catalog is None:
        raise PluginError("hooks/portal_hooks.py 需要排在 hooks/planpub_hooks.py 之后（见 mkdocs.yml 的 hooks）。")
    return catalog


def _site(config: MkDocsConfig) -> SiteLinks:
    return SiteLinks(config.site_url or "")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # The sitemap is written in `on_post_build`, from the catalog: the engine's own would only be replaced.
    config.theme.static_templates.discard("sitemap.xml")
    catalog = _catalog(config)
    settings: Settings = config["planpub_settings"]
    index, _ = config["planpub_shard"]
    if index == 0:
        # `planpub build` stops on these before the engine starts; here they reach `mkdocs serve` users.
        for problem in check_published_urls(catalog, settings):
            log.warning(str(problem))
        if not config.site_url:
            log.info("mkdocs.yml 没有设置 site_url：不生成 sitemap.xml，计划页不显示二维码，"
                     "订阅和数据中的网址为相对路径。正式发布前请设置网站的完整网址。")
    clashes = [problem for plan in catalog.plans for problem in check_attachments(plan)]
    for problem in clashes if index == 0 else ():
        log.error(str(problem))
    if clashes:
        raise PluginError(f"附件有误：{len(clashes)} 个错误，网站没有生成。请按上面的提示修改后重试。")
    _state["rendered"] = set()
    return config


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    meta = page.meta
    kind = meta.get("planpub_kind")
    key = meta.get("planpub_id") or meta.get("planpub_year") or meta.get("planpub_region")
    title = str(meta.get("title") or page.title or config.site_name)
    description = meta.get("description") or config.site_description
    if kind:
        # A generated page's title and description are HTML for the theme (`planpub.pages.page_meta`); the head
        # takes text and escapes it once.
        title = html.unescape(title)
        description = html.unescape(description) if description else description
    info = PageInfo(page.url, title, description, kind, str(key) if key else None)
    site_id_code = config["planpub_settings"].extra.get("site_id_code")
    meta[HEAD_KEY] = page_head(_catalog(config), info, config.site_name, _site(config),
                               str(site_id_code) if site_id_code else None).html()
    return context


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    catalog = _catalog(config)
    kind = page.meta.get("planpub_kind")
    if kind == "plan":
        extras = plan_extras(catalog, catalog.by_id[page.meta["planpub_id"]], _site(config))
        # Before the core's previous/next links, which close the page.
        position = html.rfind('<nav class="pp-neighbours"')
        return html[:position] + extras + html[position:] if position >= 0 else html + extras
    if kind in ("year", "region"):
        key = str(page.meta.get("planpub_year") or page.meta.get("planpub_region"))
        embed = embed_list_for(catalog, kind, key)
        return html + portal_tools(embed, _site(config)) if embed else html
    return html


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    # The sitemap lists what was really rendered: this process renders every page that is not a plan's, and the
    # plans' pages come from the catalog since other processes may render them.
    _state["rendered"].add(page.url)
    return output


def on_post_build(*, config: MkDocsConfig) -> None:
    catalog = _catalog(config)
    index, count = config["planpub_shard"]
    site_dir = Path(config.site_dir)
    site = _site(config)
    if "portal" not in os.environ.get(ENV_WRITTEN_BY_PLANPUB, "").split(","):
        # Each process writes the files of the plans whose pages it rendered.
        mine = [plan for plan in catalog.plans if shard_of(plan_src(plan.id), count) == index]
        write_files((file for plan in mine for file in plan_files(catalog, plan, config.site_name, site)), site_dir)
        if index == 0:
            write_files(shared_files(catalog, config.site_name, site, config["planpub_settings"].categories),
                        site_dir)
    if index != 0:
        return
    pages = sitemap_pages(catalog, sorted(_state.get("rendered", ())))
    for path, content in sitemap_files(pages, site).items():
        if content is None:
            (site_dir / path).unlink(missing_ok=True)
        else:
            write_files([SiteFile(path, content)], site_dir)
