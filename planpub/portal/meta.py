"""The head of every page for search engines, portals and government-site crawlers: the canonical link,
feed and data links, Dublin Core, Open Graph and the page metadata Chinese government sites use
(SiteName, ColumnName, ArticleTitle, PubDate, ContentSource … as in 政府网站网页设计规范)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from planpub.catalog import Catalog
from planpub.plan import Plan
from planpub.portal import links
from planpub.portal.links import SiteLinks

_COLUMNS = {"home": "首页", "years": "按年度浏览", "year": "按年度浏览", "regions": "按地区浏览",
            "region": "按地区浏览"}


@dataclass
class Head:
    metas: list[dict[str, str]] = field(default_factory=list)
    """`{"attr": "name" | "property", "name": …, "content": …}`; empty values are dropped."""
    links: list[dict[str, str]] = field(default_factory=list)
    """`{"rel": …, "type": …, "title": …, "href": …}` with hrefs relative to the page."""

    def meta(self, attr: str, name: str, content: str | None) -> None:
        if content:
            self.metas.append({"attr": attr, "name": name, "content": content})

    def link(self, rel: str, href: str, media_type: str = "", title: str = "") -> None:
        self.links.append({"rel": rel, "type": media_type, "title": title, "href": href})

    def html(self) -> str:
        """The elements for the page's <head>, each on a line of its own."""
        lines = []
        for link in self.links:
            extra = (f' type="{link["type"]}"' if link["type"] else "") + (
                f' title="{html.escape(link["title"])}"' if link["title"] else "")
            lines.append(f'\n<link rel="{link["rel"]}" href="{html.escape(link["href"])}"{extra}>')
        for meta in self.metas:
            lines.append(f'\n<meta {meta["attr"]}="{meta["name"]}" content="{html.escape(meta["content"])}">')
        return "".join(lines)


@dataclass(frozen=True)
class PageInfo:
    path: str
    """Site path of the page (`plans/x/`, `` for home)."""
    title: str
    description: str | None
    kind: str | None
    """planpub_kind from the page's meta; None for pages the site's authors wrote."""
    key: str | None = None
    """planpub_id, planpub_year or planpub_region."""


def _feeds(catalog: Catalog, info: PageInfo, site_name: str) -> list[tuple[str, str]]:
    home_feed = (links.feed_path(links.home_path()), f"{site_name}（全部计划）")
    if info.kind == "year" and info.key:
        return [(links.feed_path(info.path), f"{info.key}年的计划"), home_feed]
    if info.kind == "region" and info.key in catalog.tree.regions:
        return [(links.feed_path(info.path), f"{catalog.tree[info.key].name}的计划"), home_feed]
    return [home_feed]


def _gov(head: Head, info: PageInfo, plan: Plan | None, site_name: str, site: SiteLinks,
         site_id_code: str | None) -> None:
    head.meta("name", "SiteName", site_name)
    head.meta("name", "SiteDomain", site.domain)
    head.meta("name", "SiteIDCode", site_id_code)
    if plan is None:
        head.meta("name", "ColumnName", _COLUMNS.get(info.kind or "", info.title))
        head.meta("name", "ColumnDescription", info.description)
        return
    head.meta("name", "ColumnName", plan.category)
    head.meta("name", "ArticleTitle", plan.title)
    if plan.published:
        # The standard's format is "YYYY-MM-DD HH:MM"; plans carry a date only.
        head.meta("name", "PubDate", f"{plan.published.isoformat()} 00:00")
    head.meta("name", "ContentSource", plan.issuer)
    head.meta("name", "Keywords", "，".join(plan.keywords))
    head.meta("name", "Url", site.url(info.path) if site.is_absolute else None)


def _dublin_core(head: Head, catalog: Catalog, info: PageInfo, plan: Plan | None, site_name: str,
                 site: SiteLinks) -> None:
    head.meta("name", "DC.title", plan.title if plan else info.title)
    head.meta("name", "DC.language", "zh-CN")
    head.meta("name", "DC.format", "text/html")
    if site.is_absolute:
        head.meta("name", "DC.identifier", site.url(info.path))
    if plan is None:
        head.meta("name", "DC.publisher", site_name)
        head.meta("name", "DC.type", "Collection")
        head.meta("name", "DC.description", info.description)
        return
    head.meta("name", "DC.creator", plan.issuer)
    head.meta("name", "DC.publisher", plan.issuer)
    head.meta("name", "DC.type", "Text")
    head.meta("name", "DC.date", plan.published.isoformat() if plan.published else None)
    head.meta("name", "DC.identifier", plan.doc_number)
    head.meta("name", "DC.subject", "；".join(plan.keywords))
    head.meta("name", "DC.description", plan.summary)
    head.meta("name", "DC.coverage", f"{catalog.tree.path_names(catalog.region_of[plan.id])}，{plan.years_label}")


def _open_graph(head: Head, info: PageInfo, plan: Plan | None, site_name: str, site: SiteLinks) -> None:
    head.meta("property", "og:site_name", site_name)
    head.meta("property", "og:title", plan.title if plan else info.title)
    head.meta("property", "og:type", "article" if plan else "website")
    head.meta("property", "og:url", site.url(info.path) if site.is_absolute else None)
    head.meta("property", "og:description", (plan.summary if plan else None) or info.description)
    head.meta("property", "og:locale", "zh_CN")
    if plan is None:
        return
    head.meta("property", "article:published_time", plan.published.isoformat() if plan.published else None)
    head.meta("property", "article:section", plan.category)
    for keyword in plan.keywords:
        head.meta("property", "article:tag", keyword)


# Feed readers find a feed by a `rel` that contains the word `alternate` (RSS/Atom autodiscovery); the theme's
# script takes every `<link rel="alternate">` (that exact value) for another language of the site and fetches a
# sitemap.xml beside it, which for a feed or JSON file does not exist: a failed request on every page. Second
# words keep both readers and the theme right: `feed` for the Atom feeds, `describedby` (the data that
# describes this page) for the JSON.
FEED_REL = "alternate feed"
DATA_REL = "alternate describedby"


def page_head(catalog: Catalog, info: PageInfo, site_name: str, site: SiteLinks,
              site_id_code: str | None = None) -> Head:
    plan = catalog.by_id.get(info.key or "") if info.kind == "plan" else None
    head = Head()
    if not site.is_absolute:
        # With site_url set the theme writes the absolute canonical link itself.
        head.link("canonical", links.relative_href(info.path, info.path))
    for path, title in _feeds(catalog, info, site_name):
        head.link(FEED_REL, links.relative_href(info.path, path), "application/atom+xml", title)
    if plan is not None:
        head.link(DATA_REL, links.relative_href(info.path, links.plan_json_path(plan.id)), "application/json",
                  "本计划的数据（JSON）")
    else:
        head.link(DATA_REL, links.relative_href(info.path, links.CATALOGUE), "application/json",
                  "全部计划的数据（JSON）")
    _gov(head, info, plan, site_name, site, site_id_code)
    _dublin_core(head, catalog, info, plan, site_name, site)
    _open_graph(head, info, plan, site_name, site)
    return head
