"""Every link on every built page leads somewhere: no 404 and no missing anchor inside the site, and nothing a
page loads (styles, scripts, images, fonts) comes from another host.

Checked on the built files, without a browser: each page is parsed, each relative href/src resolved against the
page's own URL and looked up in the output folder, as a static web server would."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that make the browser fetch something when the page opens (as opposed to links a reader follows).
# A <link> is fetched only for some rel values; rel="canonical", "alternate" or "schema.DC" are names, not loads.
LOADED = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"),
          ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("input", "src")}
FOLLOWED = {("a", "href"), ("area", "href"), ("form", "action"), ("link", "href")}
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload", "prefetch",
                "modulepreload", "preconnect", "dns-prefetch"}
# Schemes that never reach a server (a data: URL is inside the page itself).
LOCAL_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")
# The engine writes the 404 page with root-absolute links, as a server returns it for any missing URL.
NOT_FOUND_PAGE = "/404.html"
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


@dataclass
class Reference:
    tag: str
    attr: str
    value: str
    line: int
    css_class: str = ""
    rel: str = ""

    @property
    def loaded(self) -> bool:
        if self.tag == "link":
            return bool(LOADING_RELS & set(self.rel.lower().split()))
        return (self.tag, self.attr) in LOADED


@dataclass
class ParsedPage:
    lang: str | None = None
    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    """(level, text) of h1–h6 in document order."""
    h1_id: str | None = None
    generator: str | None = None
    """The engine that wrote the page; redirect stubs and embeddable fragments have none."""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._heading: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if tag == "html":
            self.page.lang = values.get("lang")
        if tag == "meta" and values.get("name") == "generator":
            self.page.generator = values.get("content")
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.page.ids.add(values[key])
        for attr in ("href", "src", "action", "data"):
            if attr in values and ((tag, attr) in LOADED or (tag, attr) in FOLLOWED):
                self.page.references.append(Reference(tag, attr, values[attr], self.getpos()[0],
                                                      values.get("class", ""), values.get("rel", "")))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
            if tag == "h1" and self.page.h1_id is None:
                self.page.h1_id = values.get("id")

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.page.headings.append((self._heading[0], "".join(self._heading[1]).strip()))
            self._heading = None


def parse_page(path: Path) -> ParsedPage:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def html_pages(site: Path) -> list[Path]:
    """Every HTML file: the site's pages and also redirect stubs and fragments made for embedding."""
    return sorted(site.rglob("*.html"))


def theme_pages(site: Path) -> list[Path]:
    """The pages the site engine rendered with the full layout (header, navigation, skip link), 404 included."""
    return [p for p in html_pages(site) if (parse_page(p).generator or "").startswith("mkdocs")]


def site_path(site: Path, file: Path) -> str:
    """The URL path a file is served at, with a leading slash (`/plans/x/index.html`)."""
    return "/" + file.relative_to(site).as_posix()


def resolve(site: Path, page_path: str, href: str) -> tuple[Path | None, str]:
    """The output file a relative reference leads to (None when nothing is there, or when it climbs above the
    site's root, which breaks as soon as the site is hosted under a sub-path) and its fragment."""
    parts = urlsplit(href)
    target = page_path.lstrip("/")
    if parts.path.startswith("/"):
        target = posixpath.normpath(unquote(parts.path).lstrip("/") or ".")
    elif parts.path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(target), unquote(parts.path)))
    if target == ".." or target.startswith("../"):
        return None, parts.fragment
    candidate = site / target if target != "." else site
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return (candidate if candidate.is_file() else None), unquote(parts.fragment)


def is_external(href: str) -> bool:
    return bool(urlsplit(href).scheme) or href.startswith("//")


@dataclass
class Broken:
    page: str
    line: int
    href: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.href} ({self.why})"


def broken_links(site: Path) -> list[Broken]:
    """Every reference on every page that leads nowhere: a missing file, a missing anchor, or something the page
    loads from another host."""
    parsed = {file: parse_page(file) for file in html_pages(site)}
    broken: list[Broken] = []
    for file, page in parsed.items():
        here = site_path(site, file)
        for ref in page.references:
            value = ref.value.strip()
            if not value or value.startswith(LOCAL_SCHEMES):
                continue
            if is_external(value):
                if ref.loaded:
                    broken.append(Broken(here, ref.line, value, "loaded from another host"))
                continue
            if value.startswith("/") and here != NOT_FOUND_PAGE:
                broken.append(Broken(here, ref.line, value, "absolute path: breaks when hosted under a sub-path"))
                continue
            target, fragment = resolve(site, here, value)
            if target is None:
                broken.append(Broken(here, ref.line, value, "no such file"))
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse_page(target).ids
                if fragment not in ids:
                    broken.append(Broken(here, ref.line, value, f"no id “{fragment}” in {site_path(site, target)}"))
    return broken


def external_css_references(site: Path) -> list[str]:
    """url(...) and @import in the site's stylesheets that point to another host (web fonts, mostly)."""
    found = []
    for css in sorted(site.rglob("*.css")):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            url = (match.group(1) or match.group(2)).strip()
            if not url.startswith("data:") and is_external(url):
                found.append(f"{site_path(site, css)}: {url}")
    return found


def test_every_link_on_every_page_resolves_inside_the_site(sample_site: Path) -> None:
    pages = html_pages(sample_site)
    assert len(pages) >= 30, "the sample site should have its home, indices and 17 plan pages"
    assert [str(b) for b in broken_links(sample_site)] == []


def test_pages_link_to_all_plans_years_and_regions(sample_site: Path) -> None:
    """The crawl reaches every page of the site from the home page, so nothing is published but unreachable."""
    seen: set[Path] = set()
    queue = [sample_site / "index.html"]
    while queue:
        file = queue.pop()
        if file in seen:
            continue
        seen.add(file)
        for ref in parse_page(file).references:
            if ref.tag == "a" and not is_external(ref.value) and not ref.value.startswith(LOCAL_SCHEMES):
                target, _ = resolve(sample_site, site_path(sample_site, file), ref.value)
                if target is not None and target.suffix == ".html":
                    queue.append(target)
    unreachable = {site_path(sample_site, p) for p in theme_pages(sample_site)} - {
        site_path(sample_site, p) for p in seen}
    assert unreachable <= {NOT_FOUND_PAGE}


def test_stylesheets_load_nothing_from_another_host(sample_site: Path) -> None:
    assert list(sample_site.rglob("*.css")), "the site should have stylesheets"
    assert external_css_references(sample_site) == []


def test_crawler_reports_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    """The checker itself: a site with one good link, one dead link, one dead anchor and a foreign stylesheet."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<html lang="zh-CN"><link rel="stylesheet" href="https://fonts.example.com/x.css">\n'
        '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">\n'
        '<a href="a/">ok</a>\n<a href="a/#top">ok</a>\n<a href="b/">dead</a>\n<a href="a/#gone">dead anchor</a>\n'
        '<a href="https://example.com/">a link out is fine</a>\n<a href="/a/">root-absolute</a>\n'
        '<a href="../up/">above the root</a>', encoding="utf-8")
    assert [(b.href, b.why) for b in broken_links(tmp_path)] == [
        ("https://fonts.example.com/x.css", "loaded from another host"),
        ("b/", "no such file"),
        ("a/#gone", "no id “gone” in /a/index.html"),
        ("/a/", "absolute path: breaks when hosted under a sub-path"),
        ("../up/", "no such file"),
    ]
