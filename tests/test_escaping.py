"""Plan text with `<`, `&` and quotes in the head of every page: escaped exactly once, so readers, search engines
and portals read the text the author wrote."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from tests.conftest import AS_OF, declare_place, run
from tests.test_portal_corpus import project_with_site_url

REGION = '<开发区>&"东区"'
TITLE = "标题<b>&\"引号\"'单'"
PLAN = f"""---
id: meta-a
title: {TITLE}
year: 2024
region: 浙江省/温州市/瓯海区/{REGION}
issuer: 机关<script>&
category: 年度工作计划
written: 2024-02-20
summary: 概述<b>&"x"
---

## 正文

文字。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("escaping")
    (folder / "plans").mkdir()
    (folder / "plans" / "a.md").write_text(PLAN, encoding="utf-8")
    # A place outside GB/T 2260 is declared once in mkdocs.yml, with its parent.
    config = project_with_site_url(folder / "project", '""')
    declare_place(config, REGION, 330304)
    built = run("build", "--config", str(config), "--plans", str(folder / "plans"),
                "--site-dir", str(folder / "site"), "--as-of", AS_OF.isoformat())
    assert built.code == 0, built.err
    return folder / "site"


def _head(site: Path, path: str) -> tuple[str, dict[str, list[str]]]:
    text = (site / path / "index.html").read_text(encoding="utf-8")
    document = lxml.html.fromstring(text)
    metas: dict[str, list[str]] = {}
    for meta in document.iter("meta"):
        name = meta.get("name") or meta.get("property")
        if name:
            metas.setdefault(name, []).append(meta.get("content") or "")
    return text, metas


def _region_page(site: Path) -> str:
    [page] = [p.parent.name for p in (site / "regions").glob("*/index.html") if "kai-fa-qu" in p.parent.name]
    return f"regions/{page}"


def test_region_and_year_pages_carry_their_titles_escaped_once(site: Path) -> None:
    text, metas = _head(site, _region_page(site))
    assert metas["DC.title"] == [f"{REGION}的计划"] and metas["og:title"] == [f"{REGION}的计划"]
    assert metas["DC.description"] == [f"浙江省 › 温州市 › 瓯海区 › {REGION}的计划。"]
    head = text.split("</head>")[0]
    assert "&amp;lt;" not in head and "&amp;amp;" not in head and "&amp;quot;" not in head
    document = lxml.html.fromstring(text)
    assert document.findtext(".//title").startswith(f"{REGION}的计划")
    _, metas = _head(site, "years/2024")
    assert metas["DC.title"] == ["2024年的计划"]


def test_plan_pages_carry_the_plan_text_escaped_once(site: Path) -> None:
    text, metas = _head(site, "plans/meta-a")
    assert metas["DC.title"] == [TITLE] and metas["og:title"] == [TITLE] and metas["ArticleTitle"] == [TITLE]
    assert metas["DC.creator"] == ["机关<script>&"] and metas["og:description"] == ['概述<b>&"x"']
    head = text.split("</head>")[0]
    assert "<script>&" not in text and "&amp;lt;" not in head
