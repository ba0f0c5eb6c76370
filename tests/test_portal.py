"""The sample site as a portal consumes it, built without `site_url` (every address relative): the JSON
catalogue against its served schema, the Atom feeds, the page metadata, attachments and the share and embed
boxes. The helpers at the top are shared with the other portal tests."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import jsonschema
import lxml.html
import pytest

from planpub.catalog import Catalog
from planpub.portal.attachments import size_label
from planpub.portal.urlrecord import current_urls, parse_record
from tests.conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


# Reading a built site


@cache
def parse_html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def page_at(site: Path, url: str) -> lxml.html.HtmlElement:
    path = site / url / "index.html"
    assert path.is_file(), f"no page at /{url}"
    return parse_html(path)


def site_file(site: Path, from_path: str, href: str) -> Path:
    """The file a relative reference in the file at site path `from_path` leads to, as a static server finds it."""
    target = urlsplit(urljoin(f"http://site/{from_path}", href)).path
    path = site / unquote(target).lstrip("/")
    return path / "index.html" if path.is_dir() else path


def is_redirect(path: Path) -> bool:
    return bool(parse_html(path).xpath("//meta[@http-equiv='refresh']"))


def built_pages(site: Path) -> set[str]:
    """Every page of the site as a directory URL path: each index.html except redirect stubs (404.html is not
    an index.html)."""
    return {posixpath.dirname(p.relative_to(site).as_posix()) + "/" if p.parent != site else ""
            for p in site.rglob("index.html") if not is_redirect(p)}


def head_links(tree: lxml.html.HtmlElement, rel: str, media_type: str | None = None) -> list[str]:
    # `rel` is a list of words: "alternate feed" is an alternate.
    found = [link for link in tree.xpath("//head/link") if rel in (link.get("rel") or "").split()]
    return [link.get("href") for link in found if media_type is None or link.get("type") == media_type]


def meta(tree: lxml.html.HtmlElement, name: str) -> list[str]:
    return [m.get("content") for m in tree.xpath(f"//head/meta[@name='{name}' or @property='{name}']")]


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def feeds(site: Path) -> list[Path]:
    return sorted(site.rglob("feed.xml"))


def atom_problems(path: Path) -> list[str]:
    """What RFC 4287 requires of a feed and its entries, and what planpub promises on top: newest first, unique
    ids, a self link, real dates."""
    problems: list[str] = []
    root = ET.parse(path).getroot()
    if root.tag != f"{ATOM}feed":
        return [f"{path}: root is {root.tag}"]

    def single(parent: ET.Element, tag: str, where: str) -> str:
        found = parent.findall(f"{ATOM}{tag}")
        if len(found) != 1 or not (found[0].text or "").strip():
            problems.append(f"{where}: needs exactly one non-empty <{tag}>, has {len(found)}")
            return ""
        return found[0].text or ""

    def date(value: str, where: str) -> dt.datetime | None:
        if not RFC3339.match(value):
            problems.append(f"{where}: “{value}” is not an RFC 3339 date")
            return None
        return dt.datetime.fromisoformat(value)

    feed_id = single(root, "id", str(path))
    if not urlsplit(feed_id).scheme:
        problems.append(f"{path}: feed id “{feed_id}” is not an absolute IRI")
    single(root, "title", str(path))
    updated = date(single(root, "updated", str(path)), str(path))
    if not [a for a in root.findall(f"{ATOM}author") if a.findtext(f"{ATOM}name")]:
        problems.append(f"{path}: no feed author")
    if not [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]:
        problems.append(f"{path}: no self link")
    ids: set[str] = set()
    published: list[dt.datetime] = []
    for number, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
        where = f"{path} entry {number}"
        entry_id = single(entry, "id", where)
        if not urlsplit(entry_id).scheme:
            problems.append(f"{where}: id “{entry_id}” is not an absolute IRI")
        if entry_id in ids:
            problems.append(f"{where}: duplicate id {entry_id}")
        ids.add(entry_id)
        single(entry, "title", where)
        entry_updated = date(single(entry, "updated", where), where)
        entry_published = date(single(entry, "published", where), where)
        if entry_updated and updated and entry_updated > updated:
            problems.append(f"{where}: updated after the feed's own updated")
        if entry_published:
            published.append(entry_published)
        if not [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate" and link.get("href")]:
            problems.append(f"{where}: no alternate link")
    if published != sorted(published, reverse=True):
        problems.append(f"{path}: entries are not newest first")
    return problems


def entry_links(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [link.get("href") or "" for link in root.findall(f"{ATOM}entry/{ATOM}link[@rel='alternate']")]


def load_schema(site: Path) -> dict[str, Any]:
    return json.loads((site / "schema" / "plans-v1.json").read_text(encoding="utf-8"))


def json_documents(site: Path) -> list[Path]:
    return [site / "plans.json", *sorted((site / "plans").glob("*/index.json"))]


def schema_errors(site: Path) -> list[str]:
    validator = jsonschema.Draft202012Validator(load_schema(site))
    return [f"{path.relative_to(site)}: {error.message}" for path in json_documents(site)
            for error in validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))]


@pytest.fixture(scope="module")
def catalog(sample_catalog: Catalog) -> Catalog:
    return sample_catalog


# The JSON catalogue


def test_the_json_catalogue_and_every_plan_document_follow_the_served_schema(sample_site: Path) -> None:
    schema = load_schema(sample_site)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert len(json_documents(sample_site)) == 18
    assert schema_errors(sample_site) == []


def test_the_schema_can_reject_a_document(sample_site: Path) -> None:
    document = json.loads((sample_site / "plans.json").read_text(encoding="utf-8"))
    document["plans"][0]["region"]["code"] = "瓯海"
    del document["plans"][1]["title"]
    errors = list(jsonschema.Draft202012Validator(load_schema(sample_site)).iter_errors(document))
    assert errors


def test_the_schema_documents_every_field_a_plan_has(sample_site: Path) -> None:
    properties = set(load_schema(sample_site)["$defs"]["plan"]["properties"])
    for plan in json.loads((sample_site / "plans.json").read_text(encoding="utf-8"))["plans"]:
        assert set(plan) == properties


def test_the_catalogue_lists_exactly_the_published_plans_newest_first(sample_site: Path, catalog: Catalog) -> None:
    document = json.loads((sample_site / "plans.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == 1
    assert document["count"] == len(document["plans"]) == 17
    assert [p["id"] for p in document["plans"]] == [p.id for p in catalog.plans]
    assert "ouhai-kjj-2026-gzjh-cg" not in {p["id"] for p in document["plans"]}
    dates = [p["published"] for p in document["plans"]]
    assert dates == sorted(dates, reverse=True)


def test_a_plan_record_carries_the_disclosure_facts(sample_site: Path) -> None:
    plans = {p["id"]: p for p in json.loads((sample_site / "plans.json").read_text(encoding="utf-8"))["plans"]}
    plan = plans["ruian-kjj-2023-2025-xdjh"]
    assert plan["period"] == {"start": 2023, "end": 2025}
    assert plan["years"] == [2023, 2024, 2025]
    assert plan["region"]["path"] == ["浙江省", "温州市", "瑞安市"]
    assert plan["region"]["code"] == "330381"
    assert plans["ruian-kjj-2024-gzjh"]["superseded_by"] == "ruian-kjj-2024-gzjh-xd"
    assert plans["ruian-kjj-2024-gzjh"]["status"] == "已修订"
    assert plans["ouhai-kjj-2022-gzjh"]["aliases"] == ["wenzhou-ouhai-2022-keji-gongzuo-jihua"]
    # Without site_url, addresses are relative to the site's root and lead to the files.
    for record in plans.values():
        assert (sample_site / record["url"] / "index.html").is_file()
        assert (sample_site / record["json"]).is_file()
        assert (sample_site / record["region"]["url"] / "index.html").is_file()


def test_each_plan_document_lists_the_headings_with_the_anchors_its_page_has(sample_site: Path) -> None:
    for path in sorted((sample_site / "plans").glob("*/index.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        tree = parse_html(path.parent / "index.html")
        on_page = [(int(h.tag[1]), h.get("id")) for h in tree.xpath("//article//*[self::h2 or self::h3 or "
                                                                     "self::h4 or self::h5 or self::h6][@id]")
                   if not h.get("id").startswith("pp-")]
        listed = [(h["level"], h["anchor"]) for h in document["headings"]]
        assert listed == on_page, path
        for heading in document["headings"]:
            assert heading["url"].startswith(document["plan"]["url"] + "#")
            assert unquote(heading["url"].split("#", 1)[1]) == heading["anchor"]


# Feeds


def test_every_feed_is_valid_atom_newest_first(sample_site: Path, catalog: Catalog) -> None:
    paths = feeds(sample_site)
    assert len(paths) == 1 + len(catalog.years()) + len(catalog.tree.regions)
    for path in paths:
        assert atom_problems(path) == []


def test_a_region_feed_carries_the_plans_of_its_sub_regions(sample_site: Path, catalog: Catalog) -> None:
    path = sample_site / "regions" / "330300" / "feed.xml"
    listed = [site_file(sample_site, "regions/330300/feed.xml", href) for href in entry_links(path)]
    expected = [sample_site / "plans" / p.id / "index.html" for p in catalog.plans_under("330300")]
    assert listed == expected
    assert {catalog.region_of[p.id] for p in catalog.plans_under("330300")} >= {"330304", "330381", "330300"}


def test_a_year_feed_carries_the_years_plans(sample_site: Path, catalog: Catalog) -> None:
    path = sample_site / "years" / "2024" / "feed.xml"
    listed = [site_file(sample_site, "years/2024/feed.xml", href).parent.name for href in entry_links(path)]
    assert listed == [p.id for p in catalog.plans_in_year(2024)]
    assert "ruian-kjj-2023-2025-xdjh" in listed


def test_feed_entries_have_the_plans_real_dates(sample_site: Path, catalog: Catalog) -> None:
    root = ET.parse(sample_site / "feed.xml").getroot()
    for entry in root.findall(f"{ATOM}entry"):
        plan_id = entry.find(f"{ATOM}link").get("href").strip("/").split("/")[-1]  # type: ignore[union-attr]
        published = dt.datetime.fromisoformat(entry.findtext(f"{ATOM}published") or "")
        assert published.date() == catalog.by_id[plan_id].published
        assert published.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize(("url", "feed"), [("", "feed.xml"), ("years/2023/", "years/2023/feed.xml"),
                                           ("regions/330304/", "regions/330304/feed.xml")])
def test_list_pages_announce_their_feed(sample_site: Path, url: str, feed: str) -> None:
    hrefs = head_links(page_at(sample_site, url), "alternate", "application/atom+xml")
    assert hrefs
    assert site_file(sample_site, url, hrefs[0]) == sample_site / feed


# Page metadata


def test_every_page_has_exactly_one_canonical_link_to_itself(sample_site: Path) -> None:
    for url in sorted(built_pages(sample_site)):
        canonical = head_links(page_at(sample_site, url), "canonical")
        assert len(canonical) == 1, url
        assert site_file(sample_site, url, canonical[0]) == sample_site / url / "index.html"


def test_a_plan_page_has_government_dublin_core_and_open_graph_metadata(sample_site: Path, catalog: Catalog) -> None:
    plan = catalog.by_id["kunshan-kjj-2025-gzyd"]
    tree = page_at(sample_site, "plans/kunshan-kjj-2025-gzyd/")
    assert meta(tree, "SiteName") == ["科技计划公开（示例）"]
    assert meta(tree, "ArticleTitle") == [plan.title]
    assert meta(tree, "ColumnName") == [plan.category]
    assert meta(tree, "PubDate") == [f"{plan.published} 00:00"]
    assert meta(tree, "ContentSource") == [plan.issuer]
    assert meta(tree, "DC.title") == meta(tree, "og:title") == [plan.title]
    assert meta(tree, "DC.creator") == [plan.issuer]
    assert meta(tree, "DC.date") == [str(plan.published)]
    assert meta(tree, "og:type") == ["article"]
    assert meta(tree, "article:tag") == list(plan.keywords)


def test_list_pages_name_their_column(sample_site: Path) -> None:
    assert meta(page_at(sample_site, "years/2024/"), "ColumnName") == ["按年度浏览"]
    assert meta(page_at(sample_site, "regions/330304/"), "ColumnName") == ["按地区浏览"]
    assert meta(page_at(sample_site, ""), "og:type") == ["website"]


def test_without_site_url_there_is_no_sitemap_and_robots_names_none(sample_site: Path) -> None:
    assert not (sample_site / "sitemap.xml").exists()
    assert not (sample_site / "sitemap.xml.gz").exists()
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Sitemap" not in robots


# Plan pages: attachments and 引用与分享


def test_attachments_are_copied_beside_the_plan_and_listed_with_size_and_type(sample_site: Path,
                                                                              catalog: Catalog) -> None:
    plan = catalog.by_id["kunshan-kjj-2025-gzyd"]
    [attachment] = plan.attachments
    tree = page_at(sample_site, "plans/kunshan-kjj-2025-gzyd/")
    [item] = tree.xpath("//section[@class='pp-attachments']//li")
    [link] = item.xpath("a")
    assert text(link) == attachment.title
    copied = site_file(sample_site, "plans/kunshan-kjj-2025-gzyd/", link.get("href"))
    assert copied.read_bytes() == attachment.source.read_bytes()
    assert f"CSV 表格，{size_label(attachment.source.stat().st_size)}" in text(item)


def test_a_plan_page_offers_its_permanent_link_and_a_citation(sample_site: Path, catalog: Catalog) -> None:
    plan = catalog.by_id["ouhai-kjj-2024-gzyd"]
    url = "plans/ouhai-kjj-2024-gzyd/"
    [box] = page_at(sample_site, url).xpath("//section[@class='pp-share']")
    assert box.xpath("h2")[0].text == "引用与分享"
    [permalink] = box.xpath(".//a[@class='pp-permalink']")
    assert site_file(sample_site, url, permalink.get("href")) == sample_site / url / "index.html"
    citation = text(box.xpath(".//*[@class='pp-citation']")[0])
    for part in (plan.issuer, plan.title, plan.doc_number, str(plan.published), url):
        assert part and part in citation
    # Without site_url the build cannot know the address a QR code would need.
    assert not box.xpath(".//svg")


def test_year_and_region_pages_offer_embed_snippets_for_files_that_exist(sample_site: Path) -> None:
    for url in ("years/2025/", "regions/330300/"):
        [tools] = page_at(sample_site, url).xpath("//details[@class='pp-portal-tools']")
        codes = [c.text_content() for c in tools.xpath(".//code")]
        assert len(codes) == 2
        for code in codes:
            [address] = re.findall(r'src="([^"]+)"', code)
            assert (sample_site / address).is_file()
        for link in tools.xpath(".//a"):
            assert site_file(sample_site, url, link.get("href")).is_file()


def test_an_embed_script_is_ascii_and_lists_the_newest_plans(sample_site: Path, catalog: Catalog) -> None:
    script = (sample_site / "regions" / "330304" / "embed.js").read_bytes()
    script.decode("ascii")
    data = json.loads(script.decode("ascii").rsplit("})(", 1)[1].removesuffix(");\n"))
    assert [item["title"] for item in data["plans"]] == [p.title for p in catalog.plans_under("330304")][:10]
    for item in data["plans"]:
        assert site_file(sample_site, "regions/330304/embed.js", item["url"]).is_file()


# The URL record


def test_the_committed_url_record_is_up_to_date(catalog: Catalog) -> None:
    recorded = {e.url for e in parse_record((ROOT / "plans" / "published-urls.txt").read_text(encoding="utf-8"))}
    assert recorded == set(current_urls(catalog))


def test_every_recorded_url_is_in_the_sample_site(sample_site: Path) -> None:
    for entry in parse_record((ROOT / "plans" / "published-urls.txt").read_text(encoding="utf-8")):
        path = sample_site / entry.url.lstrip("/")
        assert (path / "index.html" if entry.url.endswith("/") else path).is_file(), entry.url
