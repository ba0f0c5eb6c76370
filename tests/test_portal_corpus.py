"""A portal's view of a site hosted under a sub-path with `site_url` set once: the sample plans with a renamed id
(and its alias), a withdrawn plan, a plan not yet due and an attachment with a Chinese file name, built into
`www/kjj/plans/` and served over HTTP at the address `site_url` names. Every address the site gives out must
answer there."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urljoin, urlsplit
from urllib.request import urlopen

import jsonschema
import lxml.html
import pytest

from planpub.catalog import Catalog, load_catalog
from planpub.cli import main
from planpub.portal.urlrecord import RECORD_NAME, parse_record
from planpub.schema import DEFAULT_CATEGORIES
from tests.conftest import AS_OF, ROOT
from tests.test_portal import ATOM, SITEMAP, atom_problems, built_pages, feeds, head_links, json_documents, meta

RENAMED_FROM = "jiangyin-kjj-2023-gzjh"
RENAMED_TO = "jiangyin-kjj-2023-kjgzjh"
WITHDRAWN = "ruian-kjj-2023-gzjh"
ATTACHMENT = "附件1 任务清单.pdf"
ATTACHED_TO = "wenzhou-kjj-2024-szjj-ssfa"
WITHHELD = ["ouhai-kjj-2026-gzjh-cg", "草稿示例不应公开", "草稿正文标记XYZ",
            "ouhai-kjj-2026-wdq", "【示例】瓯海区尚未到发布日期的计划", "未到期正文标记QRS"]
EMBARGOED = """---
id: ouhai-kjj-2026-wdq
title: 【示例】瓯海区尚未到发布日期的计划
year: 2026
region: 浙江省/温州市/瓯海区
issuer: 温州市瓯海区科学技术局
category: 年度工作计划
written: 2026-06-01
published: 2026-09-01
---
未到期正文标记QRS
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Hosted:
    site: Path
    base: str
    """site_url: `http://127.0.0.1:PORT/kjj/plans/`."""
    plans: Path
    output: str
    catalog: Catalog

    def get(self, url: str) -> bytes:
        assert url.startswith(self.base), url
        with urlopen(url, timeout=10) as response:
            return bytes(response.read())

    def status(self, url: str) -> int:
        try:
            with urlopen(url, timeout=10) as response:
                return int(response.status)
        except HTTPError as exc:
            return exc.code

    def html(self, url: str) -> lxml.html.HtmlElement:
        return lxml.html.fromstring(self.get(url))


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def mutated_plans(folder: Path) -> Path:
    plans = Path(shutil.copytree(ROOT / "plans", folder))
    edit(plans / "wuxi-jiangyin/2023-keji-gongzuo-jihua.md", f"id: {RENAMED_FROM}",
         f"id: {RENAMED_TO}\naliases: [{RENAMED_FROM}]")
    edit(plans / "wenzhou-ruian/2023-keji-gongzuo-jihua.md", "category: 年度工作计划",
         "category: 年度工作计划\nstatus: 已撤回")
    (plans / "wenzhou-ouhai/2026-wei-dao-qi.md").write_text(EMBARGOED, encoding="utf-8")
    (plans / "wenzhou" / ATTACHMENT).write_bytes(b"%PDF-1.4\n% sample attachment\n" * 40)
    edit(plans / "wenzhou/2024-shuzi-jingji-keji-gongguan-shishi-fangan.md", "\n---\n",
         f"\nattachments:\n  - file: {ATTACHMENT}\n    title: 任务清单\n---\n")
    return plans


def project_with_site_url(folder: Path, site_url: str) -> Path:
    """The project's configuration with `site_url` set, beside links to its docs and hooks (MkDocs takes those
    paths from the configuration file's folder)."""
    folder.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name not in ("mkdocs.yml", "plans", "site") and not entry.name.startswith("."):
            (folder / entry.name).symlink_to(entry)
    config, count = re.subn(r"^site_url:.*$", f"site_url: {site_url}", (ROOT / "mkdocs.yml").read_text("utf-8"),
                            flags=re.MULTILINE)
    assert count == 1
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder / "mkdocs.yml"


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    tmp = tmp_path_factory.mktemp("portal")
    www = tmp / "www"
    www.mkdir()
    # The server is bound first, so the build can be told the address it will be served at.
    handler = functools.partial(_QuietHandler, directory=str(www))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/kjj/plans/"
        plans = mutated_plans(tmp / "plans")
        config = project_with_site_url(tmp / "project", base)
        site = www / "kjj" / "plans"
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", "--config", str(config), "--plans", str(plans), "--site-dir", str(site),
                         "--as-of", AS_OF.isoformat(), "--jobs", "2"])
        assert code == 0, err.getvalue()
        result = load_catalog(plans, DEFAULT_CATEGORIES, AS_OF)
        assert result.catalog is not None
        yield Hosted(site, base, plans, out.getvalue(), result.catalog)
    finally:
        httpd.shutdown()
        httpd.server_close()


def catalogue(hosted: Hosted) -> dict:  # type: ignore[type-arg]
    return json.loads(hosted.get(hosted.base + "plans.json"))


# Links that never break


def test_the_build_adds_the_new_id_to_the_url_record_and_says_so(hosted: Hosted) -> None:
    assert "新增 1 个网址" in hosted.output and RECORD_NAME in hosted.output
    before = {e.url for e in parse_record((ROOT / "plans" / RECORD_NAME).read_text(encoding="utf-8"))}
    after = {e.url for e in parse_record((hosted.plans / RECORD_NAME).read_text(encoding="utf-8"))}
    assert after == before | {f"/plans/{RENAMED_TO}/"}


@pytest.mark.parametrize("old", [RENAMED_FROM, "wenzhou-ouhai-2022-keji-gongzuo-jihua"])
def test_the_old_url_of_a_renamed_plan_still_leads_to_the_plan(hosted: Hosted, old: str) -> None:
    url = hosted.base + f"plans/{old}/"
    stub = hosted.html(url)
    [refresh] = stub.xpath("//meta[@http-equiv='refresh']/@content")
    target = urljoin(url, refresh.split("url=", 1)[1])
    [visible] = stub.xpath("//body//a/@href")
    assert urljoin(url, visible) == target
    [canonical] = head_links(stub, "canonical")
    assert canonical == target
    plan = next(p for p in hosted.catalog.plans if old in p.aliases)
    assert target == hosted.base + f"plans/{plan.id}/"
    assert hosted.html(target).xpath("//article//h1")[0].text_content().strip().removesuffix("¶") == plan.title


def test_a_withdrawn_plan_keeps_its_page_and_its_metadata(hosted: Hosted) -> None:
    plan = hosted.catalog.by_id[WITHDRAWN]
    tree = hosted.html(hosted.base + f"plans/{WITHDRAWN}/")
    assert "已由发文机关撤回" in tree.xpath("//div[contains(@class, 'pp-banner')]")[0].text_content()
    assert plan.doc_number and plan.doc_number in tree.xpath("//table[@class='pp-disclosure']")[0].text_content()
    assert meta(tree, "ArticleTitle") == [plan.title]
    [record] = [p for p in catalogue(hosted)["plans"] if p["id"] == WITHDRAWN]
    assert record["status"] == "已撤回" and record["doc_number"] == plan.doc_number
    assert hosted.base + f"plans/{WITHDRAWN}/" in hosted.get(hosted.base + "feed.xml").decode("utf-8")


def test_drafts_and_plans_not_yet_due_are_in_no_json_feed_sitemap_or_embed(hosted: Hosted) -> None:
    leaks = []
    for path in sorted(p for p in hosted.site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        for needle in WITHHELD:
            forms = {needle.encode(), json.dumps(needle).strip('"').encode(), quote(needle).encode()}
            leaks += [f"{path.relative_to(hosted.site)}: {needle}" for form in forms if form in data]
    assert leaks == []
    # The scan can see a published plan's title in those same files.
    assert "【示例】瓯海区2024年科技工作要点".encode() in (hosted.site / "plans.json").read_bytes()


# Search engines


def sitemap_entries(hosted: Hosted) -> dict[str, str | None]:
    root = ET.fromstring(hosted.get(hosted.base + "sitemap.xml"))
    return {url.findtext(f"{SITEMAP}loc") or "": url.findtext(f"{SITEMAP}lastmod") for url in root}


def test_the_sitemap_lists_exactly_the_built_pages(hosted: Hosted) -> None:
    entries = sitemap_entries(hosted)
    assert set(entries) == {hosted.base + quote(path) for path in built_pages(hosted.site)}
    assert hosted.base + f"plans/{RENAMED_FROM}/" not in entries
    for plan in hosted.catalog.plans:
        assert entries[hosted.base + f"plans/{plan.id}/"] == str(plan.published)
    assert entries[hosted.base + "years/2024/"] == str(max(p.published for p in hosted.catalog.plans_in_year(2024)
                                                           if p.published))
    assert gzip.decompress(hosted.get(hosted.base + "sitemap.xml.gz")) == hosted.get(hosted.base + "sitemap.xml")


def test_robots_txt_points_at_the_sitemap(hosted: Hosted) -> None:
    assert f"Sitemap: {hosted.base}sitemap.xml" in hosted.get(hosted.base + "robots.txt").decode("utf-8")


def test_every_page_has_one_absolute_canonical_link_to_itself(hosted: Hosted) -> None:
    for path in sorted(built_pages(hosted.site)):
        tree = lxml.html.fromstring((hosted.site / path / "index.html").read_bytes())
        assert head_links(tree, "canonical") == [hosted.base + quote(path)], path


# Every address the site gives out answers under the sub-path


def addresses(hosted: Hosted) -> set[str]:
    found = set(sitemap_entries(hosted))
    for feed in feeds(hosted.site):
        root = ET.parse(feed).getroot()
        found |= {link.get("href") or "" for link in root.iter(f"{ATOM}link")}
        found |= {element.text or "" for element in root.iter(f"{ATOM}id")}
    for path in json_documents(hosted.site):
        document = json.loads(path.read_text(encoding="utf-8"))
        found.add(document["schema"])
        for plan in document.get("plans", [document.get("plan")]):
            found |= {plan["url"], plan["json"], plan["region"]["url"], *(a["url"] for a in plan["attachments"])}
        found |= {h["url"].split("#")[0] for h in document.get("headings", [])}
    for page in sorted(built_pages(hosted.site)):
        tree = lxml.html.fromstring((hosted.site / page / "index.html").read_bytes())
        found |= set(meta(tree, "og:url")) | set(meta(tree, "Url"))
        found |= {a.text_content() for a in tree.xpath("//a[@class='pp-permalink']")}
        for code in tree.xpath("//code[contains(@class, 'pp-embed-code')]"):
            found |= set(re.findall(r'(?:src|href)="([^"]+)"', code.text_content()))
    return found


def test_every_address_the_site_gives_out_answers_under_the_sub_path(hosted: Hosted) -> None:
    found = addresses(hosted)
    assert len(found) > len(built_pages(hosted.site))
    assert [u for u in sorted(found) if not u.startswith(hosted.base)] == []
    assert [u for u in sorted(found) if hosted.status(u) != 200] == []


def test_the_json_follows_the_schema_it_names(hosted: Hosted) -> None:
    document = catalogue(hosted)
    schema = json.loads(hosted.get(document["schema"]))
    validator = jsonschema.Draft202012Validator(schema)
    assert document["site"]["url"] == hosted.base
    for path in json_documents(hosted.site):
        assert list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))) == [], path


def test_feeds_are_valid_and_identify_entries_by_their_permanent_url(hosted: Hosted) -> None:
    for path in feeds(hosted.site):
        assert atom_problems(path) == []
        root = ET.parse(path).getroot()
        for entry in root.findall(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link[@rel='alternate']")
            href = link.get("href", "") if link is not None else ""
            assert entry.findtext(f"{ATOM}id") == href
            assert urlsplit(href).path.startswith("/kjj/plans/plans/")


# Portal editors


def test_a_plan_page_shares_its_permanent_address_with_a_qr_code_made_at_build_time(hosted: Hosted) -> None:
    url = hosted.base + f"plans/{RENAMED_TO}/"
    tree = hosted.html(url)
    [box] = tree.xpath("//section[@class='pp-share']")
    assert box.xpath(".//a[@class='pp-permalink']")[0].text_content() == url
    assert box.xpath(".//*[@class='pp-citation']")[0].text_content().endswith(url)
    [svg] = box.xpath(".//svg")
    assert svg.get("role") == "img" and svg.xpath(".//path/@d")[0]
    assert not box.xpath(".//img")
    assert meta(tree, "og:url") == meta(tree, "DC.identifier")[:1] == [url]


def test_an_attachment_with_a_chinese_name_is_served_beside_its_plan(hosted: Hosted) -> None:
    [record] = [p for p in catalogue(hosted)["plans"] if p["id"] == ATTACHED_TO]
    [attachment] = record["attachments"]
    source = (hosted.plans / "wenzhou" / ATTACHMENT).read_bytes()
    assert attachment["url"] == hosted.base + f"plans/{ATTACHED_TO}/" + quote(ATTACHMENT)
    assert attachment["size"] == len(source) and attachment["media_type"] == "application/pdf"
    assert hosted.get(attachment["url"]) == source
    [item] = hosted.html(record["url"]).xpath("//section[@class='pp-attachments']//li")
    assert urljoin(record["url"], item.xpath("a/@href")[0]) == attachment["url"]
    assert "任务清单" in item.text_content() and "PDF 文件" in item.text_content()


def test_the_404_page_speaks_chinese_and_its_links_work_at_any_depth_under_the_sub_path(hosted: Hosted) -> None:
    # A server shows 404.html at whatever address was asked for, so every link on it must work from a deep one.
    missing = hosted.base + "plans/no-such-plan/section/"
    page = lxml.html.fromstring((hosted.site / "404.html").read_bytes())
    assert page.findtext(".//title").startswith("没有找到网页")
    assert "没有找到这个网页" in page.text_content() and "Not found" not in page.text_content()
    form = page.find(".//form[@class='pp-bigsearch']")
    assert form is not None and form.find(".//input[@name='q']") is not None
    assert urljoin(missing, form.get("action")) == hosted.base + "search/"
    shown = {a.text_content().strip(): urljoin(missing, a.get("href")) for a in page.findall(".//ul/li/a")}
    assert {"首页", "按年度浏览", "按地区浏览"} <= set(shown)
    assets = [urljoin(missing, element.get("href") or element.get("src"))
              for element in page.xpath("//link[@rel='stylesheet'] | //script[@src]")]
    assert assets
    for url in [*shown.values(), *assets]:
        assert url.startswith(hosted.base), url
        assert hosted.status(url) == 200, url
