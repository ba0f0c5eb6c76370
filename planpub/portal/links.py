"""The portal's URL scheme. Paths are site-relative with no leading slash (`plans/x/`), as `planpub.pages`
gives them; `SiteLinks` turns them into what a consumer outside the site needs."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from planpub.pages import COVERAGE, HOME, REGIONS, YEARS, page_url, plan_src, region_src, year_src

FEED = "feed.xml"
CATALOGUE = "plans.json"
SCHEMA = "schema/plans-v1.json"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
EMBED_SCRIPT = "embed.js"
EMBED_PAGE = "embed.html"
PLAN_JSON = "index.json"


def home_path() -> str:
    return page_url(HOME)


def years_path() -> str:
    return page_url(YEARS)


def regions_path() -> str:
    return page_url(REGIONS)


def coverage_path() -> str:
    return page_url(COVERAGE)


def plan_path(plan_id: str) -> str:
    return page_url(plan_src(plan_id))


def year_path(year: int) -> str:
    return page_url(year_src(year))


def region_path(key: str) -> str:
    return page_url(region_src(key))


def plan_json_path(plan_id: str) -> str:
    return plan_path(plan_id) + PLAN_JSON


def attachment_path(plan_id: str, name: str) -> str:
    return plan_path(plan_id) + name


def feed_path(page_path: str) -> str:
    """The feed of a list page (home, a year, a region) sits in the page's folder."""
    return page_path + FEED


# `urllib.parse.quote(path, safe="/")` with a regular expression: the site quotes the links of every page, feed
# and JSON file, most need nothing, and the rest come in runs of Chinese characters quoted in one step each.
_UNSAFE = re.compile(r"[^A-Za-z0-9_.~/-]+")


def _percent(run: re.Match[str]) -> str:
    return "%" + run.group().encode("utf-8").hex("%").upper()


def url_path(path: str) -> str:
    """A path as it appears in a URL: every segment percent-encoded (attachment names may be Chinese)."""
    return _UNSAFE.sub(_percent, path)


def _segments(path: str) -> list[str] | None:
    """The folders and file of a site path, or None when it is not in the plain form the site's paths have."""
    trimmed = path.rstrip("/")
    if not trimmed:
        return []
    parts = trimmed.split("/")
    if "" in parts or "." in parts or ".." in parts:
        return None
    return parts


def relative_href(from_page: str, to_path: str) -> str:
    """A link from the page at `from_page` (a folder path like `plans/x/`) to `to_path`, so that the site works
    unchanged on any host and under any sub-path."""
    start, target = _segments(from_page), _segments(to_path)
    if start is None or target is None:
        href = posixpath.relpath(to_path.rstrip("/") or ".", from_page.rstrip("/") or ".")
    else:
        common = 0
        for a, b in zip(start, target, strict=False):
            if a != b:
                break
            common += 1
        href = "/".join([".."] * (len(start) - common) + target[common:]) or "."
    if to_path.endswith("/") or to_path == "":
        href = "./" if href == "." else href + "/"
    return url_path(href)


@dataclass(frozen=True)
class SiteLinks:
    """Absolute URLs when `site_url` is set in mkdocs.yml, site-relative paths otherwise."""

    site_url: str = ""

    @property
    def base(self) -> str:
        return self.site_url.rstrip("/") + "/" if self.site_url else ""

    @property
    def is_absolute(self) -> bool:
        return bool(self.site_url)

    def url(self, path: str) -> str:
        return self.base + url_path(path)

    @property
    def domain(self) -> str:
        return urlsplit(self.site_url).netloc if self.site_url else ""


def absolute_marker(page: str, site: SiteLinks) -> str:
    """Without site_url the build cannot know the site's address; portal.js completes the site paths in the
    marked text from the page's own address."""
    if site.is_absolute:
        return ""
    return f' data-pp-absolute="{html.escape(page)}" data-pp-root="{html.escape(relative_href(page, ""))}"'
