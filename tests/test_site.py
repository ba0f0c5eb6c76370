"""The built site as a reader sees it: plan pages, year and region indices, the home page and the navigation;
and as a publisher relies on it: withheld plans in no file at all, no injected script, atomic and repeatable
builds. The sample site is built once per session; the test corpus below is built once for this module."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import lxml.html
import pytest
from lxml.html import HtmlElement

from planpub.catalog import Catalog, load_catalog
from planpub.cli import RETIRED_SITES, main
from planpub.engine import SITE_MARKER
from planpub.pages import region_trail
from planpub.schema import DEFAULT_CATEGORIES
from tests.conftest import AS_OF, ROOT

# Reading a built site


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html" if url else site / "index.html"


@cache
def _parse(path: Path) -> HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def page(site: Path, url: str) -> HtmlElement:
    path = page_file(site, url)
    assert path.is_file(), f"no page at /{url}"
    return _parse(path)


def resolve(from_url: str, href: str) -> str:
    """The site path (no leading slash, no fragment) a link on the page at `from_url` points to."""
    return urlsplit(urljoin(f"http://site/{from_url}", href)).path.lstrip("/")


def with_class(root: HtmlElement, tag: str, name: str) -> list[HtmlElement]:
    return root.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def one(root: HtmlElement, tag: str, name: str) -> HtmlElement:
    found = with_class(root, tag, name)
    assert len(found) == 1, f"expected one <{tag} class={name}>, found {len(found)}"
    return found[0]


def text(element: HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content().replace("¶", "")).strip()


def article(tree: HtmlElement) -> HtmlElement:
    return one(tree, "article", "md-content__inner")


def links(root: HtmlElement, from_url: str) -> list[str]:
    """Where the links under `root` lead, leaving out links to a place on the same page."""
    return [resolve(from_url, a.get("href")) for a in root.iter("a") if a.get("href") and a.get("href")[0] != "#"]


def plan_links(root: HtmlElement, from_url: str) -> list[str]:
    """The plan ids a list page links to, in order."""
    return [t.split("/")[1] for t in links(root, from_url) if t.startswith("plans/")]


def section(body: HtmlElement, heading: str) -> HtmlElement:
    """The elements after the h2 titled `heading`, up to the next h2, under one wrapper element."""
    wrapper = lxml.html.Element("div")
    [start] = [h for h in body.xpath(".//h2") if text(h) == heading]
    sibling = start.getnext()
    while sibling is not None and sibling.tag != "h2":
        wrapper.append(lxml.html.fromstring(lxml.html.tostring(sibling)))
        sibling = sibling.getnext()
    return wrapper


def has_section(body: HtmlElement, heading: str) -> bool:
    return any(text(h) == heading for h in body.xpath(".//h2"))


def count_in(label: str) -> int:
    match = re.search(r"（(\d+) 件）", label)
    assert match, label
    return int(match.group(1))


# Scanning every file for what must not be published


def encodings(needle: str) -> set[bytes]:
    """The forms a string takes in HTML, JSON, XML and URLs."""
    ascii_json = json.dumps(needle)[1:-1]
    return {
        needle.encode("utf-8"),
        ascii_json.encode("ascii"),
        re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), ascii_json).encode("ascii"),
        quote(needle).encode("ascii"),
        quote(needle).lower().encode("ascii"),
        "".join(f"&#{ord(c)};" for c in needle).encode("ascii"),
        "".join(f"&#x{ord(c):x};" for c in needle).encode("ascii"),
    }


def leaks(site: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(file, needle) for every file under `site`, of any type, that contains a needle in any encoding."""
    forms = {needle: encodings(needle) for needle in needles}
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data += gzip.decompress(data)
        found += [(str(path.relative_to(site)), needle) for needle, variants in forms.items()
                  if any(v in data for v in variants)]
    return found


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


# The sample site


@pytest.fixture(scope="module")
def sample_catalog() -> Catalog:
    result = load_catalog(ROOT / "plans", DEFAULT_CATEGORIES, AS_OF)
    assert result.catalog is not None
    return result.catalog


def test_every_published_plan_has_a_page_with_its_title(sample_site: Path, sample_catalog: Catalog) -> None:
    for plan in sample_catalog.plans:
        tree = page(sample_site, f"plans/{plan.id}/")
        assert text(article(tree).xpath(".//h1")[0]) == plan.title
        assert plan.title in text(tree.xpath("//title")[0])


def disclosure(sample_site: Path, plan_id: str) -> dict[str, HtmlElement]:
    table = one(page(sample_site, f"plans/{plan_id}/"), "table", "pp-disclosure")
    return {text(row.xpath("th")[0]): row.xpath("td")[0] for row in table.xpath(".//tr")}


def test_the_disclosure_block_shows_each_field_with_its_chinese_label(sample_site: Path,
                                                                      sample_catalog: Catalog) -> None:
    plan = sample_catalog.by_id["ruian-kjj-2023-2025-xdjh"]
    rows = disclosure(sample_site, plan.id)
    assert {"索引号", "发文机关", "发文字号", "成文日期", "发布日期", "有效性", "主题分类", "关键词", "内容概述",
            "地区", "类别"} <= set(rows)
    assert text(rows["索引号"]) == plan.index_no
    assert text(rows["发文机关"]) == plan.issuer
    assert text(rows["发文字号"]) == plan.doc_number
    assert text(rows["成文日期"]) == plan.written.isoformat()  # type: ignore[union-attr]
    assert text(rows["发布日期"]) == plan.published.isoformat()  # type: ignore[union-attr]
    assert text(rows["有效性"]) == "现行有效"
    assert all(topic in text(rows["主题分类"]) for topic in plan.topics)
    assert links(rows["地区"], f"plans/{plan.id}/") == ["regions/330381/"]


def test_the_disclosure_block_leaves_out_absent_fields(sample_site: Path, sample_catalog: Catalog) -> None:
    plan = sample_catalog.by_id["ruian-kjj-2023-gzjh"]
    assert plan.index_no is None and plan.superseded_by is None
    rows = disclosure(sample_site, plan.id)
    assert "索引号" not in rows
    assert "替代文件" not in rows
    assert all(text(value) for value in rows.values()), "a label without a value"


def test_the_table_of_contents_lists_the_plans_headings(sample_site: Path, sample_catalog: Catalog) -> None:
    for plan in sample_catalog.plans:
        url = f"plans/{plan.id}/"
        tree = page(sample_site, url)
        # The plan's own headings carry a permalink; headings a feature adds around the text are not the plan's.
        own = ".//{0}[a[contains(@class, 'headerlink')]]"
        headings = [(h.get("id"), text(h)) for h in article(tree).xpath(f"{own.format('h2')}|{own.format('h3')}")]
        toc = one(tree, "nav", "md-nav--secondary")
        entries = [(a.get("href").lstrip("#"), text(a)) for a in toc.xpath(".//a[@href]")]
        assert headings, plan.id
        assert entries == headings, plan.id


def test_a_plan_page_links_to_its_year_pages_and_region_page(sample_site: Path, sample_catalog: Catalog) -> None:
    for plan in sample_catalog.plans:
        url = f"plans/{plan.id}/"
        targets = links(one(page(sample_site, url), "nav", "pp-plan-links"), url)
        assert targets == [*(f"years/{y}/" for y in plan.years), f"regions/{sample_catalog.region_of[plan.id]}/"]
        assert all(page_file(sample_site, t).is_file() for t in targets)


def test_a_multi_year_plan_shows_its_period_and_links_to_each_year(sample_site: Path) -> None:
    url = "plans/ruian-kjj-2023-2025-xdjh/"
    targets = links(one(page(sample_site, url), "nav", "pp-plan-links"), url)
    assert targets[:3] == ["years/2023/", "years/2024/", "years/2025/"]
    rows = disclosure(sample_site, "ruian-kjj-2023-2025-xdjh")
    assert text(rows["实施期限"]) == "2023—2025年"
    assert links(rows["年度"], url) == ["years/2023/", "years/2024/", "years/2025/"]


def test_a_single_year_plan_has_no_period_row(sample_site: Path) -> None:
    rows = disclosure(sample_site, "ruian-kjj-2023-gzjh")
    assert "实施期限" not in rows
    assert links(rows["年度"], "plans/ruian-kjj-2023-gzjh/") == ["years/2023/"]


def test_previous_and_next_are_the_same_regions_older_and_newer_plans(sample_site: Path,
                                                                      sample_catalog: Catalog) -> None:
    for plan in sample_catalog.plans:
        url = f"plans/{plan.id}/"
        tree = page(sample_site, url)
        older, newer = sample_catalog.neighbours(plan)
        prev = with_class(tree, "li", "pp-prev")
        nxt = with_class(tree, "li", "pp-next")
        assert [plan_links(li, url) for li in prev] == ([[older.id]] if older else [])
        assert [plan_links(li, url) for li in nxt] == ([[newer.id]] if newer else [])
        for other in (older, newer):
            if other:
                assert sample_catalog.region_of[other.id] == sample_catalog.region_of[plan.id]


@pytest.mark.parametrize(("plan_id", "status", "replacement"), [
    ("ruian-kjj-2024-gzjh", "已修订", "ruian-kjj-2024-gzjh-xd"),
    ("ouhai-kjj-2023-gzyd", "已废止", "ouhai-kjj-2024-gzyd"),
])
def test_a_revised_or_repealed_plan_shows_a_banner_linking_to_its_replacement(
        sample_site: Path, sample_catalog: Catalog, plan_id: str, status: str, replacement: str) -> None:
    url = f"plans/{plan_id}/"
    body = article(page(sample_site, url))
    banner = one(body, "div", "pp-banner")
    assert status in text(banner)
    assert plan_links(banner, url) == [replacement]
    assert sample_catalog.by_id[replacement].title in text(banner)
    # The banner comes before the plan's text, right after the title.
    assert body.index(banner) < body.index(one(body, "table", "pp-disclosure"))


def test_a_current_plan_has_no_banner(sample_site: Path) -> None:
    assert with_class(page(sample_site, "plans/ruian-kjj-2023-gzjh/"), "div", "pp-banner") == []


def test_the_years_index_lists_each_year_with_its_count(sample_site: Path, sample_catalog: Catalog) -> None:
    body = article(page(sample_site, "years/"))
    items = body.xpath(".//li[a]")
    years = [resolve("years/", li.xpath("a")[0].get("href")) for li in items]
    assert years == ["years/2025/", "years/2024/", "years/2023/", "years/2022/"]
    for li, year_url in zip(items, years, strict=True):
        listed = plan_links(article(page(sample_site, year_url)), year_url)
        assert count_in(text(li)) == len(listed) == len(set(listed))
    assert not page_file(sample_site, "years/2026/").exists()  # the only 2026 plan is a draft


def test_a_year_page_groups_its_plans_by_region(sample_site: Path, sample_catalog: Catalog) -> None:
    body = article(page(sample_site, "years/2024/"))
    seen = []
    groups = [h for h in body.xpath(".//h2") if any(t.startswith("regions/") for t in links(h, "years/2024/"))]
    assert len(groups) >= 2
    for heading in groups:
        [region_url] = links(heading, "years/2024/")
        region = region_url.split("/")[1]
        group = heading.getnext()
        ids = plan_links(group, "years/2024/")
        assert ids
        assert all(sample_catalog.region_of[i] == region for i in ids)
        assert region_trail(sample_catalog, region) in text(heading)
        seen += ids
    assert sorted(seen) == sorted(p.id for p in sample_catalog.plans_in_year(2024))


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_a_three_year_plan_is_listed_under_each_year_of_its_period(sample_site: Path, year: int) -> None:
    assert "ruian-kjj-2023-2025-xdjh" in plan_links(article(page(sample_site, f"years/{year}/")), f"years/{year}/")


def test_a_three_year_plan_is_not_listed_outside_its_period(sample_site: Path) -> None:
    assert "ruian-kjj-2023-2025-xdjh" not in plan_links(article(page(sample_site, "years/2022/")), "years/2022/")


def region_total(site: Path, key: str) -> int:
    """A region's plans counted from its page: its own plans and, recursively, its sub-regions' pages."""
    url = f"regions/{key}/"
    body = article(page(site, url))
    own = len(plan_links(section(body, "本级计划"), url)) if has_section(body, "本级计划") else 0
    children = [t.split("/")[1] for t in links(section(body, "下级地区"), url)
                if re.fullmatch(r"regions/[^/]+/", t)] if has_section(body, "下级地区") else []
    return own + sum(region_total(site, child) for child in children)


def test_the_regions_index_is_a_hierarchy_with_counts_including_sub_regions(sample_site: Path) -> None:
    body = article(page(sample_site, "regions/"))
    top = body.xpath(".//ul")[0]
    provinces = [text(li.xpath("a")[0]) for li in top.xpath("./li")]
    assert provinces == ["江苏省", "浙江省"]
    zhejiang = top.xpath("./li")[1]
    [wenzhou] = zhejiang.xpath("./ul/li")
    assert text(wenzhou.xpath("a")[0]) == "温州市"
    assert [text(li.xpath("a")[0]) for li in wenzhou.xpath("./ul/li")] == ["瓯海区", "瑞安市"]
    for li in body.xpath(".//li[a]"):
        key = resolve("regions/", li.xpath("a")[0].get("href")).split("/")[1]
        own_label = text(li).split("）")[0] + "）"
        assert count_in(own_label) == region_total(sample_site, key), key


def test_a_region_page_lists_its_own_plans_by_year_newest_first(sample_site: Path, sample_catalog: Catalog) -> None:
    url = "regions/330304/"
    body = article(page(sample_site, url))
    own = section(body, "本级计划")
    years = [int(text(h).removesuffix("年")) for h in own.xpath(".//h3")]
    assert years == sorted(years, reverse=True)
    ids = plan_links(own, url)
    assert sorted(ids) == sorted(p.id for p in sample_catalog.own_plans("330304"))
    dates = [sample_catalog.by_id[i].published for i in ids]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert "瓯海区" in text(body.xpath(".//h1")[0])


def test_a_region_page_lists_its_sub_regions_with_counts(sample_site: Path, sample_catalog: Catalog) -> None:
    url = "regions/330300/"
    body = article(page(sample_site, url))
    subs = {text(li.xpath("a")[0]): count_in(text(li)) for li in section(body, "下级地区").xpath(".//li[a]")
            if re.fullmatch(r"regions/[^/]+/", resolve(url, li.xpath("a")[0].get("href")))}
    assert subs == {"瓯海区": sample_catalog.count_under("330304"), "瑞安市": sample_catalog.count_under("330381")}
    assert set(plan_links(section(body, "本级计划"), url)) == {p.id for p in sample_catalog.own_plans("330300")}


def test_the_home_page_lists_the_latest_plans_and_the_ways_in(sample_site: Path, sample_catalog: Catalog) -> None:
    body = article(page(sample_site, ""))
    ids = plan_links(section(body, "最新发布"), "")
    newest = sorted(sample_catalog.plans, key=lambda p: p.published, reverse=True)  # type: ignore[arg-type, return-value]
    assert ids[:3] == [p.id for p in newest[:3]]
    assert 3 <= len(ids) <= 10
    targets = links(body, "")
    assert "years/2024/" in targets
    assert "regions/330000/" in targets
    assert "示例" in text(body)


def nav_targets(tree: HtmlElement, url: str) -> set[str]:
    navs = with_class(tree, "nav", "md-nav--primary") + with_class(tree, "nav", "md-tabs")
    assert navs
    return {t for nav in navs for t in links(nav, url)}


@pytest.mark.parametrize("url", ["", "years/", "years/2024/", "regions/330304/", "plans/ruian-kjj-2024-gzjh/"])
def test_the_navigation_holds_the_index_pages_only(sample_site: Path, url: str) -> None:
    targets = nav_targets(page(sample_site, url), url)
    assert {"", "years/", "regions/"} <= targets
    generated = [t for t in targets if re.match(r"(plans/.|years/\d|regions/.)", t)]
    assert generated == []


def test_the_navigation_does_not_grow_with_the_number_of_plans(sample_site: Path) -> None:
    assert nav_targets(page(sample_site, "plans/ruian-kjj-2024-gzjh/"), "plans/ruian-kjj-2024-gzjh/") == \
        nav_targets(page(sample_site, ""), "")


SAMPLE_DRAFT = ["草稿示例不应公开", "草稿正文标记XYZ", "ouhai-kjj-2026-gzjh-cg", "2026-keji-gongzuo-jihua-caogao",
                "仅在内部传阅"]


def test_the_sample_draft_is_in_no_file_of_the_site(sample_site: Path) -> None:
    assert leaks(sample_site, SAMPLE_DRAFT) == []


# A corpus of our own: withheld plans, unsafe input, replacements


def plan_file(plan_id: str, title: str, region: str, published: str, *extra: str, body: str = "") -> str:
    return "\n".join(["---", f"id: {plan_id}", f"title: '{title}'", f"year: {published[:4]}", f"region: {region}",
                      "issuer: 测试科学技术局", "category: 年度工作计划", f"published: {published}", *extra, "---",
                      body or f"## 一、总体要求\n\n{title}的正文。\n\n## 二、主要任务\n\n### （一）第一项\n\n措施。\n"])


CORPUS_AS_OF = "2025-06-30"
UNSAFE_BODY = """## 一、总体要求

<script>alert("pp-xss-1")</script>

<p onclick="alert('pp-xss-2')">点击这里</p>

[链接](javascript:alert('pp-xss-3'))

<a href="JaVaScRiPt:alert('pp-xss-7')">另一个链接</a>

<img src="x.png" onerror="alert('pp-xss-8')">

保留的正文文字。
"""
CORPUS = {
    "ouhai/2023.md": plan_file("pp-ouhai-2023", "【测试】瓯海区2023年计划", "浙江省/温州市/瓯海区", "2023-03-01",
                               "status: 已废止", "superseded_by: pp-ouhai-2024"),
    "ouhai/2024.md": plan_file("pp-ouhai-2024", "【测试】瓯海区2024年计划", "浙江省/温州市/瓯海区", "2024-02-20",
                               "summary: '\"><script>alert(\"pp-xss-4\")</script>'", body=UNSAFE_BODY),
    "ouhai/2025.md": plan_file("pp-ouhai-2025", "【测试】瓯海区2025年计划", "瓯海区", "2025-02-01",
                               "status: 已修订", "superseded_by: pp-secret-draft"),
    "ouhai/evil-title.md": plan_file(
        "pp-evil-title", '【测试】<img src=x onerror=alert("pp-xss-5")>标题</title><script>alert("pp-xss-6")</script>',
        "浙江省/温州市/瓯海区", "2024-05-01"),
    "ruian/2023-2025.md": plan_file("pp-ruian-2023-2025", "【测试】瑞安市三年行动计划", "瑞安市", "2023-04-01",
                                    "period: 2023-2025", 'region_code: "330381"'),
    "kunshan/2024.md": plan_file("pp-kunshan-2024", "【测试】昆山市2024年计划", "江苏省/苏州市/昆山市", "2024-03-01"),
    "ouhai/2026-draft.md": plan_file("pp-secret-draft", "【测试】绝密草稿标题甲", "浙江省/温州市/瓯海区", "2025-01-05",
                                     "status: 草稿", "summary: 草稿概述暗记戊", "keywords: [草稿关键词暗记己]",
                                     body="## 一、总体要求\n\n草稿正文暗记乙 DRAFT-MARKER-Q7\n"),
    "xihu/2026-later.md": plan_file("pp-embargoed-plan", "【测试】尚未发布标题丙", "浙江省/杭州市/西湖区",
                                    "2026-03-01", "summary: 未发布概述暗记庚",
                                    body="## 一、总体要求\n\n未发布正文暗记丁 EMBARGO-MARKER-Z3\n"),
}
WITHHELD_NEEDLES = ["绝密草稿标题甲", "草稿正文暗记乙", "DRAFT-MARKER-Q7", "pp-secret-draft", "草稿概述暗记戊",
                    "草稿关键词暗记己", "2026-draft", "尚未发布标题丙", "未发布正文暗记丁", "EMBARGO-MARKER-Z3",
                    "pp-embargoed-plan", "未发布概述暗记庚", "2026-later", "西湖区"]
SITE_URL = "https://plans.example.gov.cn/kjj/"


def project_with_site_url(folder: Path) -> Path:
    """The project's configuration with `site_url` set (so the sitemap lists pages), beside links to the
    project's own docs and hooks, since MkDocs takes those paths from the configuration file's folder."""
    folder.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name not in ("mkdocs.yml", "plans", "site") and not entry.name.startswith("."):
            (folder / entry.name).symlink_to(entry)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, replaced = re.subn(r"^site_url:.*$", f"site_url: {SITE_URL}", config, flags=re.MULTILINE)
    if not replaced:
        config = f"site_url: {SITE_URL}\n{config}"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder / "mkdocs.yml"


@dataclass(frozen=True)
class Corpus:
    config: Path
    plans: Path
    tmp: Path

    def build(self, name: str, *more: str) -> tuple[int, Path, str]:
        site = self.tmp / name / "site"
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", "--config", str(self.config), "--plans", str(self.plans), "--site-dir", str(site),
                         "--as-of", CORPUS_AS_OF, *more])
        return code, site, out.getvalue() + err.getvalue()


def write_corpus(folder: Path, corpus: dict[str, str]) -> Path:
    for name, content in corpus.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    tmp = tmp_path_factory.mktemp("corpus")
    return Corpus(project_with_site_url(tmp / "project"), write_corpus(tmp / "plans", CORPUS), tmp)


@pytest.fixture(scope="module")
def site(corpus: Corpus) -> Path:
    code, built, output = corpus.build("one", "--jobs", "1")
    assert code == 0, output
    return built


STALE = "plans/removed-since/index.html"


@pytest.fixture(scope="module")
def site_again(corpus: Corpus) -> Path:
    """A second build of the same input, over a site published before that has a page the input no longer has."""
    stale = corpus.tmp / "again" / "site" / STALE
    stale.parent.mkdir(parents=True)
    stale.write_text("旧页面", encoding="utf-8")
    (corpus.tmp / "again" / "site" / SITE_MARKER).write_text("", encoding="utf-8")
    code, built, output = corpus.build("again", "--jobs", "1")
    assert code == 0, output
    return built


@pytest.fixture(scope="module")
def site_parallel(corpus: Corpus) -> Path:
    code, built, output = corpus.build("parallel", "--jobs", "2")
    assert code == 0, output
    return built


def test_the_corpus_builds_its_published_plans(site: Path) -> None:
    for plan_id in ("pp-ouhai-2023", "pp-ouhai-2024", "pp-ouhai-2025", "pp-evil-title", "pp-ruian-2023-2025",
                    "pp-kunshan-2024"):
        assert page_file(site, f"plans/{plan_id}/").is_file()


def test_drafts_and_embargoed_plans_are_in_no_output_file(site: Path) -> None:
    assert leaks(site, WITHHELD_NEEDLES) == []


def test_the_parallel_build_leaks_nothing_either(site_parallel: Path) -> None:
    assert leaks(site_parallel, WITHHELD_NEEDLES) == []


def test_withheld_plans_make_no_page_year_or_region(site: Path) -> None:
    assert not page_file(site, "plans/pp-secret-draft/").exists()
    assert not page_file(site, "plans/pp-embargoed-plan/").exists()
    assert not page_file(site, "years/2026/").exists()
    assert not page_file(site, "regions/330106/").exists()  # 西湖区
    assert not page_file(site, "regions/330100/").exists()  # 杭州市


def test_the_scan_would_see_a_published_plan(site: Path) -> None:
    # The scan itself must be able to fail: the same needles for a published plan are found.
    assert leaks(site, ["【测试】瓯海区2024年计划", "pp-ouhai-2024"])


def test_the_sitemap_lists_published_pages_only(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{SITE_URL}plans/pp-ouhai-2024/" in sitemap
    assert "pp-secret-draft" not in sitemap and "pp-embargoed-plan" not in sitemap


def test_a_replacement_that_is_withheld_is_neither_linked_nor_named(site: Path) -> None:
    url = "plans/pp-ouhai-2025/"
    body = article(page(site, url))
    banner = one(body, "div", "pp-banner")
    assert "已修订" in text(banner)
    assert "仅供查阅" in text(banner)
    assert plan_links(banner, url) == []
    assert "pp-secret-draft" not in plan_links(body, url)


def test_a_repealed_plan_links_to_its_published_replacement(site: Path) -> None:
    url = "plans/pp-ouhai-2023/"
    banner = one(article(page(site, url)), "div", "pp-banner")
    assert "已废止" in text(banner)
    assert plan_links(banner, url) == ["pp-ouhai-2024"]


def html_pages(site: Path) -> Iterator[tuple[str, HtmlElement]]:
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), lxml.html.fromstring(path.read_bytes())


def injected(site: Path) -> list[str]:
    """Every place in every HTML file where the corpus's script payloads became live markup."""
    found = []
    for name, tree in html_pages(site):
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "script" and "pp-xss" in (element.text or ""):
                found.append(f"{name}: <script> {element.text!r}")
            for attribute, value in element.attrib.items():
                if attribute.lower().startswith("on") and "pp-xss" in value:
                    found.append(f"{name}: {element.tag} {attribute}={value!r}")
                if re.sub(r"\s", "", value).lower().startswith("javascript:"):
                    found.append(f"{name}: {element.tag} {attribute}={value!r}")
    return found


def test_raw_html_in_a_body_cannot_run_script_on_the_site(site: Path) -> None:
    assert injected(site) == []


def test_the_text_around_stripped_html_stays(site: Path) -> None:
    body = text(article(page(site, "plans/pp-ouhai-2024/")))
    assert "保留的正文文字。" in body
    assert "点击这里" in body
    for payload in ("pp-xss-1", "pp-xss-2", "pp-xss-3", "pp-xss-7", "pp-xss-8"):
        assert payload not in body


def test_a_title_that_looks_like_html_is_shown_as_text(site: Path) -> None:
    url = "plans/pp-evil-title/"
    tree = page(site, url)
    title = '【测试】<img src=x onerror=alert("pp-xss-5")>标题</title><script>alert("pp-xss-6")</script>'
    assert text(article(tree).xpath(".//h1")[0]) == title
    assert text(tree.xpath("//head/title")[0]).startswith(title)
    assert title in [text(a) for a in article(page(site, "years/2024/")).iter("a")]


def test_the_same_input_builds_byte_identical_files(site: Path, site_again: Path) -> None:
    assert files(site) == files(site_again)
    for name in sorted(files(site)):
        assert (site / name).read_bytes() == (site_again / name).read_bytes(), name


def test_the_parallel_build_writes_the_same_files(site: Path, site_parallel: Path) -> None:
    assert files(site_parallel) == files(site)


def test_the_parallel_build_writes_the_same_pages_and_sitemap(site: Path, site_parallel: Path) -> None:
    for name in sorted(n for n in files(site) if n.endswith((".html", ".xml"))):
        assert (site / name).read_bytes() == (site_parallel / name).read_bytes(), name


# A build that fails changes nothing


@pytest.fixture
def previous_site(tmp_path: Path) -> Path:
    """A published site the next build must leave exactly as it is when it fails."""
    site = tmp_path / "public" / "site"
    (site / "plans" / "old").mkdir(parents=True)
    (site / "index.html").write_bytes("<h1>上一次发布的网站</h1>".encode())
    (site / "plans" / "old" / "index.html").write_bytes(b"old plan page")
    (site / SITE_MARKER).write_text("", encoding="utf-8")
    return site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_into(site: Path, config: Path, plans: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", "--config", str(config), "--plans", str(plans), "--site-dir", str(site),
                     "--as-of", CORPUS_AS_OF])
    return code, out.getvalue() + err.getvalue()


def test_a_build_with_an_invalid_plan_leaves_the_previous_site_untouched(tmp_path: Path, previous_site: Path) -> None:
    plans = write_corpus(tmp_path / "plans", {**CORPUS, "bad.md": plan_file("bad", "坏计划", "瓯海区", "2024-02-30")})
    before = snapshot(previous_site)
    code, output = build_into(previous_site, ROOT / "mkdocs.yml", plans)
    assert code == 1
    assert "bad.md:" in output and "构建已停止" in output
    assert "Traceback" not in output
    assert snapshot(previous_site) == before
    assert sorted(p.name for p in previous_site.parent.iterdir()) == ["site"]


def test_a_build_that_fails_in_the_site_engine_leaves_the_previous_site_untouched(tmp_path: Path,
                                                                                   previous_site: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    config = project / "mkdocs.yml"
    config.write_text("site_name: 测试\ntheme:\n  name: no-such-theme\nextra:\n  planpub:\n    plans_dir: plans\n",
                      encoding="utf-8")
    plans = write_corpus(project / "plans", {"a.md": CORPUS["kunshan/2024.md"]})
    before = snapshot(previous_site)
    code, output = build_into(previous_site, config, plans)
    assert code == 1
    assert "网站没有改动" in output
    assert snapshot(previous_site) == before
    assert sorted(p.name for p in previous_site.parent.iterdir()) == ["site"]


def test_a_successful_build_replaces_the_whole_site_and_leaves_no_temporary_folder(site_again: Path) -> None:
    assert not (site_again / STALE).exists()
    assert page_file(site_again, "plans/pp-ouhai-2024/").is_file()
    assert sorted(p.name for p in site_again.parent.iterdir()) == ["site"]


def test_the_replaced_site_is_removed_after_the_build_returns(corpus: Corpus, site_again: Path) -> None:
    retired = corpus.config.parent / RETIRED_SITES
    deadline = time.monotonic() + 60
    while any(retired.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(retired.iterdir()) == []


def test_sample_plans_say_once_that_they_are_samples_outside_their_text(sample_site: Path,
                                                                       sample_catalog: Catalog) -> None:
    for plan in sample_catalog.plans:
        assert plan.title.startswith("【示例】")
        notes = with_class(page(sample_site, f"plans/{plan.id}/"), "p", "pp-sample-note")
        assert [text(note) for note in notes] == ["本文为示例数据，内容虚构，不代表任何机关的真实计划。"]
    # The note is the page's, not the plan's: search snippets and the JSON show the plans' own words.
    index = [p for p in (sample_site / "search").rglob("*") if p.is_file()]
    data = b"".join(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw for raw in (p.read_bytes() for p in index))
    assert "内容虚构".encode() not in data and "示例数据".encode() not in data
    assert "内容虚构" not in (sample_site / "plans.json").read_text(encoding="utf-8")


def test_a_year_page_leads_to_the_years_before_and_after_it(sample_site: Path, sample_catalog: Catalog) -> None:
    years = sample_catalog.years()
    for at, year in enumerate(years):
        url = f"years/{year}/"
        steps = with_class(page(sample_site, url), "nav", "pp-year-steps")
        assert len(steps) == 2, "above and below the list"
        shown = {(a.get("class") or "").removeprefix("pp-year-") or None: (text(a), resolve(url, a.get("href")))
                 for a in steps[0].iter("a")}
        assert shown[None] == ("全部年度", "years/")
        earlier = years[at + 1] if at + 1 < len(years) else None
        later = years[at - 1] if at > 0 else None
        assert shown.get("prev") == ((f"← {earlier}年", f"years/{earlier}/") if earlier else None)
        assert shown.get("next") == ((f"{later}年 →", f"years/{later}/") if later else None)


def test_every_asset_in_the_site_is_used_by_some_page(sample_site: Path) -> None:
    # Nothing the pages never load (the theme's own search, source maps) is published.
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sample_site.rglob("*")
             if p.suffix in (".html", ".css", ".js") and p.is_file()]
    # A source map is named in a comment that only a developer's tools read.
    used = re.sub(r"sourceMappingURL=\S+", "", "\n".join(texts))
    unused = [str(p.relative_to(sample_site)) for p in (sample_site / "assets").rglob("*")
              if p.is_file() and p.name not in used]
    assert unused == []
    # The theme's search worker is named in its settings, but never loaded where its search plugin is off.
    assert [p.name for p in (sample_site / "assets" / "javascripts").rglob("*") if p.is_file()] == [
        next((sample_site / "assets" / "javascripts").glob("bundle.*.min.js")).name]


@pytest.mark.parametrize(("url", "section", "current"), [
    ("", "首页", "page"), ("years/", "按年度", "page"), ("years/2024/", "按年度", "location"),
    ("regions/", "按地区", "page"), ("regions/330381/", "按地区", "location"),
    ("plans/ruian-kjj-2024-gzjh/", "按年度", "location"), ("search/", "搜索", "page"),
])
def test_the_tabs_mark_the_section_a_page_is_in(sample_site: Path, url: str, section: str, current: str) -> None:
    tabs = with_class(page(sample_site, url), "li", "md-tabs__item--active")
    assert [text(tab) for tab in tabs] == [section]
    assert tabs[0].find("a").get("aria-current") == current


def test_the_home_pages_title_is_the_sites_name_once(sample_site: Path) -> None:
    assert page(sample_site, "").findtext(".//title") == "科技计划公开（示例）"
