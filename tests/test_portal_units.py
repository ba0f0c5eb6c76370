"""The portal package's pieces on small inputs: heading anchors as the Markdown engine makes them, relative
links for any sub-path, attachment names that would overwrite each other, size labels."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from planpub.anchors import heading_slug
from planpub.pages import body_markdown, md_text
from planpub.plan import Plan, parse_plan
from planpub.portal.attachments import check_attachments, size_label
from planpub.portal.headings import plan_headings
from planpub.portal.links import SiteLinks, relative_href
from planpub.schema import DEFAULT_CATEGORIES

FRONT = """---
id: ceshi-2024
title: 【测试】瓯海区2024年计划
year: 2024
region: 浙江省/温州市/瓯海区
issuer: 温州市瓯海区科学技术局
category: 年度工作计划
---
"""
BODY = """## 一、总体要求

正文。

## 一、总体要求

### （一）**加强**基础研究

```
## 这不是标题
```

### 支持[科技型企业](https://example.gov.cn/)创新

### 自定义锚点 {#custom-anchor}

## 一、总体要求

#### `代码`与 *强调*
"""


def rendered_ids(title: str, body: str) -> list[str]:
    """The ids the site's Markdown configuration gives the page's headings (mkdocs.yml, plus the engine's
    built-in fenced_code)."""
    html = markdown.markdown(f"# {md_text(title)}\n\n{body}",
                             extensions=["toc", "attr_list", "tables", "admonition", "fenced_code"],
                             extension_configs={"toc": {"slugify": heading_slug}})
    return re.findall(r'<h[1-6] id="([^"]+)"', html)


def plan_with(body: str, front: str = "", folder: Path | None = None) -> Plan:
    text = FRONT.replace("category: 年度工作计划\n", f"category: 年度工作计划\n{front}")
    plan, problems = parse_plan("ceshi.md", text + body, DEFAULT_CATEGORIES, folder)
    assert plan is not None, problems
    return plan


def test_headings_get_the_anchors_the_page_gives_them() -> None:
    plan = plan_with(BODY)
    headings = plan_headings(plan)
    assert [h.anchor for h in headings] == rendered_ids(plan.title, body_markdown(plan))[1:]
    assert [h.text for h in headings] == ["一、总体要求", "一、总体要求", "（一）加强基础研究", "支持科技型企业创新",
                                          "自定义锚点", "一、总体要求", "代码与 强调"]
    assert [h.level for h in headings] == [2, 2, 3, 3, 3, 2, 4]
    assert [h.anchor for h in headings][:2] == ["一总体要求", "一总体要求_1"]


def test_a_body_with_its_own_h1_is_pushed_down_as_on_the_page() -> None:
    plan = plan_with("# 总则\n\n## 第一条\n")
    assert [(h.level, h.text) for h in plan_headings(plan)] == [(2, "总则"), (3, "第一条")]


@pytest.mark.parametrize(("page", "target", "href"), [
    ("plans/a/", "plans/a/", "./"),
    ("plans/a/", "plans/b/", "../b/"),
    ("plans/a/", "plans/a/附件.pdf", "%E9%99%84%E4%BB%B6.pdf"),
    ("regions/330304/", "feed.xml", "../../feed.xml"),
    ("regions/330304/", "", "../../"),
    ("", "plans/a/", "plans/a/"),
    ("", "", "./"),
])
def test_relative_links_never_climb_above_the_site_root(page: str, target: str, href: str) -> None:
    assert relative_href(page, target) == href


def test_site_links_are_absolute_only_with_a_site_url() -> None:
    assert SiteLinks("").url("plans/a/") == "plans/a/"
    assert SiteLinks("https://example.gov.cn/kjj/plans").url("plans/a/") == "https://example.gov.cn/kjj/plans/plans/a/"
    assert SiteLinks("https://example.gov.cn/kjj/plans/").domain == "example.gov.cn"


def test_attachments_that_would_overwrite_each_other_or_the_page_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for name in ("a/表.csv", "b/表.csv", "index.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    plan = plan_with("正文\n", "attachments: [a/表.csv, b/表.csv, index.html]\n", tmp_path)
    messages = [str(p) for p in check_attachments(plan)]
    assert len(messages) == 2
    assert any("附件“b/表.csv”和“a/表.csv”文件名相同" in m for m in messages)
    assert any("“index.html”与网页自身的文件重名" in m for m in messages)
    assert all(m.startswith("ceshi.md:") for m in messages)


@pytest.mark.parametrize(("size", "label"), [(531, "531 字节"), (2048, "2.0 KB"), (3 * 1024 * 1024, "3.0 MB")])
def test_sizes_are_labelled_for_readers(size: int, label: str) -> None:
    assert size_label(size) == label
