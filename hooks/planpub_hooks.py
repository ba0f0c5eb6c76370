"""MkDocs hooks: adapt MkDocs events to the planpub package. Everything engine-specific lives here."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from planpub.catalog import Catalog, load_catalog
from planpub.engine import (
    CATALOG_ON_STDIN,
    ENV_AS_OF,
    ENV_CATALOG,
    ENV_PLANS_DIR,
    ENV_SHARD,
    collect_garbage_seldom,
    load_handoff,
)
from planpub.mdext import PlainRenderer, PlainRendering
from planpub.pages import fill_blocks, fill_search_form, plan_footer_html, plan_header_html, shard_of, site_pages
from planpub.sanitize import SafeAttributesExtension, clean_html, clean_text_html
from planpub.settings import Settings, place_lines, settings_from_mapping

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

log = logging.getLogger("mkdocs.plugins.planpub")

# MkDocs hooks are plain modules; the catalog of the running build is kept between events here and published
# on the config under these keys for the feature hooks (search, portal) listed after this one in mkdocs.yml.
_state: dict[str, Any] = {}
CATALOG_KEY = "planpub_catalog"
SETTINGS_KEY = "planpub_settings"
SHARD_KEY = "planpub_shard"
_INDEX_KINDS = frozenset(("year", "years", "region", "regions", "home", "coverage"))
"""Generated pages that list plans (see `planpub.pages.page_meta`)."""



def _as_of() -> dt.date:
    value = os.environ.get(ENV_AS_OF)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PluginError(f"构建日期“{value}”无效，请写成 YYYY-MM-DD。") from None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent.resolve()
    settings = settings_from_mapping(root, {"site_name": config.site_name, "site_url": config.site_url,
                                            "extra": dict(config.extra)}, place_lines(Path(config.config_file_path)))
    if os.environ.get(ENV_PLANS_DIR):
        settings = settings.with_plans_dir(os.environ[ENV_PLANS_DIR])
    # Under `planpub build` the plans are validated, and every problem reported, by `planpub build`, which sends
    # the catalog once they pass.
    if os.environ.get(ENV_CATALOG) == CATALOG_ON_STDIN:
        catalog = load_handoff()
        # A process of `planpub build`, which ends with the build (never `mkdocs serve`, which builds again).
        collect_garbage_seldom()
    else:
        catalog = _load_and_report(settings)
    _state["catalog"] = catalog
    _state["settings"] = settings
    config[CATALOG_KEY] = catalog
    config[SETTINGS_KEY] = settings
    config[SHARD_KEY] = _shard()
    _build_extensions_once(config)
    return config


def _build_extensions_once(config: MkDocsConfig) -> None:
    """The engine makes a Python-Markdown converter for every page, and the converter builds each extension it
    is given by name anew (a tenth of the Markdown time of a plan page); an extension given as an instance is used
    as it is. Pages are rendered one after another, and every extension rebinds itself to the converter that
    takes it, so one instance of each serves every page."""
    builder = markdown.Markdown()
    configs = config.mdx_configs or {}
    config.markdown_extensions = [builder.build_extension(name, configs.get(name, {})) if isinstance(name, str)
                                  else name for name in config.markdown_extensions]
    # Whatever mkdocs.yml lists: attributes a plan sets are restricted before the table of contents reads them.
    if not any(isinstance(extension, SafeAttributesExtension) for extension in config.markdown_extensions):
        config.markdown_extensions.append(SafeAttributesExtension())
    _state["plain"] = PlainRenderer(config.markdown_extensions)


def _load_and_report(settings: Settings) -> Catalog:
    result = load_catalog(settings.plans_dir, settings.categories, _as_of(), settings.places)
    for problem in result.problems:
        (log.error if problem.is_error else log.warning)(str(problem))
    if result.catalog is None:
        raise PluginError(f"计划校验未通过：{len(result.errors)} 个错误，网站没有生成。请按上面的提示修改后重试。")
    for item in result.withheld:
        log.info(f"未公开：{item.plan.source}（{item.reason}）")
    return result.catalog


def _shard() -> tuple[int, int]:
    """Which part of the plan pages this process renders, as (index, count); see `planpub.engine`."""
    index, _, count = os.environ.get(ENV_SHARD, "0/1").partition("/")
    return int(index), int(count or 1)


# Files of the theme that no page of this site loads: Material's own search (planpub has its own, and the
# engine's search plugin is off) and the source maps of its scripts and styles, which only a developer's tools
# would fetch. About 1.3 MB of the site, on every build and every copy to a server.
_UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def _unused_theme_file(file: File) -> bool:
    return file.src_uri.startswith(_UNUSED_THEME_FILES) or (file.src_uri.startswith("assets/")
                                                            and file.src_uri.endswith(".map"))


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for unused in [f for f in files if _unused_theme_file(f)]:
        files.remove(unused)
    catalog: Catalog = _state["catalog"]
    settings: Settings = _state["settings"]
    index, count = _shard()
    blocks: dict[str, tuple[str, ...]] = {}
    _state["blocks"] = blocks
    metas: dict[str, dict[str, object]] = {}
    _state["metas"] = metas
    _state["written_plain"] = set()
    if index != 0:
        # Process 0 renders the site's own pages and copies the static files; this one keeps them only so that
        # links to them resolve, and writes no 404 page or sitemap of its own.
        for file in files:
            file.inclusion = InclusionLevel.EXCLUDED
        config.theme.static_templates.clear()
    for page in site_pages(catalog, settings.site_name, settings.home_latest,
                           wanted=lambda src: shard_of(src, count) == index, categories=settings.categories):
        existing = files.get_file_from_path(page.src)
        if existing is not None:
            files.remove(existing)
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        if shard_of(page.src, count) != index:
            inclusion = InclusionLevel.EXCLUDED
        files.append(File.generated(config, page.src, content=page.markdown, inclusion=inclusion))
        if page.blocks:
            blocks[page.src] = page.blocks
        metas[page.src] = page.meta
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A page whose Markdown is plain (most plan pages) gets its HTML from `PlainRenderer`, the same HTML the
    engine's converter would give, in place of the engine's render; see planpub/mdext.py. Only pages with a title in
    their metadata: the engine takes the title of any other page from what its converter saw."""
    meta = _state["metas"].get(page.file.src_uri)
    if meta is not None:
        # The metadata of a generated page comes with it (see `planpub.pages.Page.meta`), not in its Markdown.
        page.meta = dict(meta)
    renderer: PlainRenderer = _state["plain"]
    rendering = renderer.render(markdown) if "title" in page.meta else None
    if rendering is not None:
        engine_render = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            # A later hook may have changed the Markdown after this one read it.
            if page.markdown != markdown:
                engine_render(config, files)
            else:
                _take_rendering(page, rendering)

        page.render = render  # type: ignore[method-assign]
    return markdown


def _take_rendering(page: Page, rendering: PlainRendering) -> None:
    _state["written_plain"].add(page.file.src_uri)
    # What the engine's render sets on a page (mkdocs.structure.pages.Page.render).
    page.content = rendering.html
    page.toc = get_toc(rendering.toc_tokens)  # type: ignore[arg-type]  # the same dicts, typed by the engine
    page.present_anchor_ids = set(rendering.ids)
    page.links_to_anchors = {}


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    blocks = _state["blocks"].get(page.file.src_uri)
    if blocks:
        return fill_search_form(clean_html(fill_blocks(html, blocks)), page.file.src_uri)
    if page.meta.get("planpub_kind") != "plan":
        # The indices hold plan text (titles, issuers, region names); the site's own pages (search, about) are the
        # site's, with forms and scripts of their own.
        return clean_html(html) if page.meta.get("planpub_kind") in _INDEX_KINDS else html
    catalog: Catalog = _state["catalog"]
    plan = catalog.by_id[page.meta["planpub_id"]]

    def url_for(src: str) -> str:
        target = files.get_file_from_path(src)
        assert target is not None, src
        return get_relative_url(target.url, page.file.url)

    title_end = html.find("</h1>") + len("</h1>")
    header = plan_header_html(catalog, plan, url_for)
    footer = plan_footer_html(catalog, plan, url_for)
    if page.file.src_uri in _state["written_plain"]:
        # `PlainRenderer` writes a fixed set of tags, ids it has checked and text without a single character of
        # markup (planpub/mdext.py), which nh3 gives back unchanged (tests/test_sanitize.py checks it on generated
        # documents); what is added to it here is cleaned. A tenth of a large build's time is saved.
        return html[:title_end] + "\n" + clean_html(header) + html[title_end:] + clean_html(footer)
    # Whatever the body holds: attribute lists, entities and links need no `<` to carry script.
    return clean_html(html[:title_end] + "\n" + header + html[title_end:] + footer)


class SharedFragments:
    """Template fragments rendered once per build for all the pages they come out the same on.

    The theme renders the whole navigation (tabs and sidebar) into every page. On a page that is not itself in the
    navigation (a plan, year or region page) nothing in it is marked active, and its links differ between pages only
    by where they point from; so pages whose relative links to the navigation's pages are the same share one
    rendering. Used from a template as `{% call pp_shared("nav", page, nav) %}…{% endcall %}`."""

    def __init__(self) -> None:
        self._rendered: dict[tuple[str, ...], str] = {}

    def __call__(self, name: str, page: Page | None, nav: Navigation | None, *, caller: Any) -> str:
        if page is None or nav is None or any(item is page for item in nav.pages):
            return caller()
        key = (name, *(get_relative_url(item.url, page.url) for item in nav.pages))
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = self._rendered[key] = caller()
        return rendered


def toc_entries(items: list[AnchorLink]) -> Markup:
    """The entries of the theme's table of contents (docs/overrides/partials/toc.html), nested as the headings
    are: drawn here rather than by a recursive template macro, which took a tenth of a large build's time."""
    parts = []
    for item in items:
        # Ids and titles come from plans: the link is escaped and the title may hold text and entities only.
        parts.append(f'<li class="md-nav__item"><a href="{escape(item.url)}" class="md-nav__link">'
                     f'<span class="md-ellipsis">{clean_text_html(item.title)}</span></a>')
        if item.children:
            parts.append(f'<nav class="md-nav" aria-label="{escape(Markup(item.title).striptags())}">'
                         f'<ul class="md-nav__list">{toc_entries(item.children)}</ul></nav>')
        parts.append("</li>")
    return Markup("".join(parts))


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    # Templates do not change during a build; without this Jinja stats every included file on every page.
    env.auto_reload = False
    # The engine's own templates, also under the name `engine/…`, so that an override can wrap the original.
    custom = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    engine_dirs = [folder for folder in config.theme.dirs if Path(folder).resolve() != custom]
    assert env.loader is not None
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"engine": FileSystemLoader(engine_dirs)})])
    env.globals["pp_shared"] = SharedFragments()
    env.globals["pp_toc_entries"] = toc_entries
    return env


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    settings: Settings | None = _state.get("settings")
    if settings is not None:
        server.watch(str(settings.plans_dir))
    return server
