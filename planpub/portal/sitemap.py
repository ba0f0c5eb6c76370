"""`sitemap.xml` and `robots.txt`. The sitemap is computed from the catalog and the site's other pages,
because with parallel build processes no single process sees every rendered page."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from planpub.catalog import Catalog, sort_key
from planpub.plan import Plan
from planpub.portal import links
from planpub.portal.feeds import XML_DECLARATION
from planpub.portal.links import SiteLinks

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _newest(plans: Iterable[Plan]) -> dt.date | None:
    return max((sort_key(p)[0] for p in plans), default=None)


def catalog_lastmod(catalog: Catalog) -> dict[str, dt.date | None]:
    """The pages made from the catalog, each with the date its content last changed: a plan page with the
    plan's publication, a list page with the newest plan it lists."""
    pages: dict[str, dt.date | None] = {}
    newest = _newest(catalog.plans)
    for path in (links.home_path(), links.years_path(), links.regions_path(), links.coverage_path()):
        pages[path] = newest
    for year in catalog.years():
        pages[links.year_path(year)] = _newest(catalog.plans_in_year(year))
    for key in catalog.tree.regions:
        pages[links.region_path(key)] = _newest(catalog.plans_under(key))
    for plan in catalog.plans:
        pages[links.plan_path(plan.id)] = sort_key(plan)[0]
    return pages


def render_sitemap(pages: dict[str, dt.date | None], site: SiteLinks) -> bytes:
    """Pages without a known date (the site's own pages such as 关于本站) are listed without `lastmod`."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for path in sorted(pages):
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = site.url(path)
        lastmod = pages[path]
        if lastmod is not None:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.isoformat()
    ET.indent(root)
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def render_robots(site: SiteLinks) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site.is_absolute:
        lines.append(f"Sitemap: {site.url(links.SITEMAP)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
