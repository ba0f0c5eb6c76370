"""Atom feeds (RFC 4287) of the newest plans: the whole site, each region with its sub-regions, each year."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from planpub.catalog import Catalog, sort_key
from planpub.plan import Plan
from planpub.portal import links
from planpub.portal.links import SiteLinks

ATOM = "http://www.w3.org/2005/Atom"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
FEED_ENTRIES = 50
"""The newest plans a feed carries; `/plans.json` lists them all."""
CHINA = dt.timezone(dt.timedelta(hours=8))
# What XML 1.0 does not allow in a document at all, even escaped: control characters but tab and line ends, lone
# surrogates, U+FFFE and U+FFFF. One of them would make the whole feed unreadable to every reader.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """The text without the characters no XML document may hold (see `_NOT_XML`)."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class Feed:
    path: str
    """Site path of the feed file."""
    page: str
    """Site path of the page the feed belongs to."""
    title: str
    subtitle: str
    plans: list[Plan]


def site_feeds(catalog: Catalog, site_name: str) -> list[Feed]:
    """Every feed the site publishes, in a fixed order."""
    home = links.home_path()
    feeds = [Feed(links.feed_path(home), home, site_name, f"{site_name}最新发布的计划", catalog.plans)]
    for year in sorted(catalog.years()):
        page = links.year_path(year)
        feeds.append(Feed(links.feed_path(page), page, f"{site_name}：{year}年的计划",
                          f"{year}年发布或实施的计划", catalog.plans_in_year(year)))
    for key in sorted(catalog.tree.regions):
        page = links.region_path(key)
        name = catalog.tree.path_names(key)
        feeds.append(Feed(links.feed_path(page), page, f"{site_name}：{catalog.tree[key].name}的计划",
                          f"{name}及其下级地区的计划", catalog.plans_under(key)))
    return feeds


def plan_time(plan: Plan) -> dt.datetime:
    """Plans carry dates, not times: the start of the publication day in China."""
    date = sort_key(plan)[0]
    return dt.datetime(date.year, date.month, date.day, tzinfo=CHINA)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat()


def entry_id(path: str, site: SiteLinks, site_name: str) -> str:
    """The permanent URL when the site has one (it never changes, see the URL record); otherwise a UUID
    derived from the site's name and the path, which is just as stable but not clickable."""
    if site.is_absolute:
        return site.url(path)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"planpub:{xml_text(site_name)}:/{path}").urn


def _href(feed: Feed, path: str, site: SiteLinks) -> str:
    # Relative references in Atom resolve against the feed's own address, which keeps sub-path hosting working.
    if site.is_absolute:
        return site.url(path)
    folder = posixpath.dirname(feed.path)
    return links.relative_href(folder + "/" if folder else "", path)


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {key: xml_text(value) for key, value in attrs.items()})
    element.text = xml_text(text)
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": media_type, "href": xml_text(href)})


def _entry(root: ET.Element, feed: Feed, catalog: Catalog, plan: Plan, site: SiteLinks, site_name: str) -> None:
    entry = ET.SubElement(root, f"{{{ATOM}}}entry")
    path = links.plan_path(plan.id)
    _text(entry, "id", entry_id(path, site, site_name))
    _text(entry, "title", plan.title)
    _link(entry, _href(feed, path, site), "alternate", "text/html")
    stamp = _stamp(plan_time(plan))
    _text(entry, "published", stamp)
    _text(entry, "updated", stamp)
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    _text(author, "name", plan.issuer)
    ET.SubElement(entry, f"{{{ATOM}}}category", {"term": xml_text(plan.category), "label": xml_text(plan.category)})
    region = catalog.tree.path_names(catalog.region_of[plan.id])
    facts = [region, plan.years_label, plan.category, plan.status]
    if plan.doc_number:
        facts.append(plan.doc_number)
    summary = f"{plan.summary}（{'，'.join(facts)}）" if plan.summary else "，".join(facts)
    _text(entry, "summary", summary)


def render_feed(feed: Feed, catalog: Catalog, site: SiteLinks, site_name: str) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    plans = feed.plans[:FEED_ENTRIES]
    _text(root, "id", entry_id(feed.path, site, site_name))
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    newest = max((plan_time(p) for p in plans), default=dt.datetime(1970, 1, 1, tzinfo=CHINA))
    _text(root, "updated", _stamp(newest))
    _link(root, _href(feed, feed.path, site), "self", "application/atom+xml")
    _link(root, _href(feed, feed.page, site), "alternate", "text/html")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", site_name)
    _text(root, "generator", "planpub")
    for plan in plans:
        _entry(root, feed, catalog, plan, site, site_name)
    ET.indent(root)
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
