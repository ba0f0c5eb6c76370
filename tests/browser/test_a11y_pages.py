"""Accessibility facts checked on every built page without a browser: the language is zh-CN, there is one h1,
headings go down one level at a time (plan bodies start at h2 under the title), and the skip link leads to the
page's heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_links import NOT_FOUND_PAGE, html_pages, parse_page, site_path, theme_pages


def skipped_levels(headings: list[tuple[int, str]]) -> list[str]:
    """Each heading that goes down more than one level from the one before it (h2 → h4), or a first heading
    that is not h1."""
    problems = []
    previous = 0
    for level, text in headings:
        if level > previous + 1:
            problems.append(f"h{level} “{text}” after h{previous}" if previous else f"first heading is h{level}")
        previous = level
    return problems


def content_pages(site: Path) -> list[Path]:
    return [p for p in theme_pages(site) if site_path(site, p) != NOT_FOUND_PAGE]


def test_every_page_declares_simplified_chinese(sample_site: Path) -> None:
    langs = {site_path(sample_site, p): parse_page(p).lang for p in html_pages(sample_site)}
    assert {path: lang for path, lang in langs.items() if lang != "zh-CN"} == {}


def test_every_page_has_one_h1_and_headings_in_order(sample_site: Path) -> None:
    problems = {}
    for file in content_pages(sample_site):
        headings = parse_page(file).headings
        found = skipped_levels(headings)
        if [level for level, _ in headings].count(1) != 1:
            found.append("not exactly one h1")
        if found:
            problems[site_path(sample_site, file)] = found
    assert problems == {}


def test_every_page_has_a_skip_link_to_its_heading(sample_site: Path) -> None:
    missing = []
    for file in content_pages(sample_site):
        page = parse_page(file)
        skips = [r.value for r in page.references if "md-skip" in r.css_class.split()]
        if page.h1_id is None or skips != [f"#{page.h1_id}"]:
            missing.append(site_path(sample_site, file))
    assert missing == []


@pytest.mark.parametrize(("headings", "expected"), [
    ([(1, "题"), (2, "一"), (3, "（一）"), (2, "二")], []),
    ([(1, "题"), (3, "（一）")], ["h3 “（一）” after h1"]),
    ([(2, "一")], ["first heading is h2"]),
])
def test_heading_order_check_finds_skipped_levels(headings: list[tuple[int, str]], expected: list[str]) -> None:
    assert skipped_levels(headings) == expected
