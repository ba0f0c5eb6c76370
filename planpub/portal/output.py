"""Every file the portal feature adds to the built site, computed from the catalog alone, so that whoever has
the catalog can write them: `planpub build` itself while the engine renders pages, or the engine's hooks when
the engine runs on its own (`mkdocs build`, `mkdocs serve`)."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from planpub.catalog import Catalog
from planpub.plan import Plan
from planpub.portal import links
from planpub.portal.attachments import site_attachments
from planpub.portal.catalogue import catalogue_document, plan_document, schema_text, to_json
from planpub.portal.embed import embed_lists, embed_page, embed_script
from planpub.portal.feeds import render_feed, site_feeds
from planpub.portal.links import SiteLinks
from planpub.portal.redirects import redirect_pages
from planpub.portal.sitemap import catalog_lastmod, render_robots, render_sitemap


@dataclass(frozen=True)
class SiteFile:
    path: str
    """Site path of the file."""
    content: bytes | None = None
    source: Path | None = None
    """A file to copy instead of `content` (attachments)."""


def shared_files(catalog: Catalog, site_name: str, site: SiteLinks,
                 categories: tuple[str, ...] = ()) -> Iterator[SiteFile]:
    """The site-wide files: catalogue, schema, feeds, embeds, redirects and robots.txt."""
    yield SiteFile(links.CATALOGUE, to_json(catalogue_document(catalog, site_name, site, categories)))
    yield SiteFile(links.SCHEMA, schema_text().encode("utf-8"))
    for feed in site_feeds(catalog, site_name):
        yield SiteFile(feed.path, render_feed(feed, catalog, site, site_name))
    for embed in embed_lists(catalog):
        yield SiteFile(embed.script, embed_script(embed))
        yield SiteFile(embed.frame, embed_page(embed))
    for path, content in sorted(redirect_pages(catalog, site).items()):
        yield SiteFile(path, content)
    yield SiteFile(links.ROBOTS, render_robots(site))


def plan_files(catalog: Catalog, plan: Plan, site_name: str, site: SiteLinks) -> Iterator[SiteFile]:
    """The files in a plan's own folder beside its page: its JSON and its attachments."""
    yield SiteFile(links.plan_json_path(plan.id), to_json(plan_document(catalog, plan, site_name, site)))
    for attachment in site_attachments(plan):
        yield SiteFile(attachment.path, source=attachment.source)


def portal_files(catalog: Catalog, site_name: str, site: SiteLinks,
                 categories: tuple[str, ...] = ()) -> Iterator[SiteFile]:
    """The site-wide files and every plan's own."""
    yield from shared_files(catalog, site_name, site, categories)
    for plan in catalog.plans:
        yield from plan_files(catalog, plan, site_name, site)


def write_files(files: Iterable[SiteFile], site_dir: Path) -> None:
    for file in files:
        target = site_dir / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.source is not None:
            shutil.copyfile(file.source, target)
        elif file.content is not None:
            target.write_bytes(file.content)


def sitemap_pages(catalog: Catalog, other_pages: list[str]) -> dict[str, dt.date | None]:
    """The catalog's pages with their dates, and the site's other pages (关于本站 …) without one."""
    pages: dict[str, dt.date | None] = dict.fromkeys(other_pages)
    pages.update(catalog_lastmod(catalog))
    return pages


def sitemap_files(pages: dict[str, dt.date | None], site: SiteLinks) -> dict[str, bytes | None]:
    """`sitemap.xml` and its gzip copy, replacing the engine's. A sitemap must list absolute URLs, so
    without site_url there is none (None: remove the file)."""
    if not site.is_absolute:
        return {links.SITEMAP: None, links.SITEMAP + ".gz": None}
    xml = render_sitemap(pages, site)
    # mtime=0 keeps the archive byte-identical between builds of the same input.
    return {links.SITEMAP: xml, links.SITEMAP + ".gz": gzip.compress(xml, mtime=0)}
