"""The site's heading extension only makes Markdown faster: every heading gets the id, permalink and table-of-
contents entry that Python-Markdown's own `toc` extension gives it."""

from __future__ import annotations

from typing import Any

import markdown
import pytest

from planpub.anchors import heading_slug
from tests.test_mdext import MARKUP, sample_bodies

OPTIONS = {"permalink": "¶", "permalink_title": "本节链接", "toc_depth": 3, "slugify": heading_slug}
HEADINGS = """# 标题 &amp; <b>粗体</b>

## `代码` 与 *强调*

## 同名

## 同名

### 自定义 {#given}

#### 第四级不进目录

## 带标签 {data-toc-label='短 <i>标签</i>'}

## 脚注后的标题[^1]

[^1]: 说明。
"""


def render(extension: str, text: str) -> tuple[str, list[dict[str, Any]]]:
    md = markdown.Markdown(extensions=[extension, "tables", "attr_list", "admonition", "footnotes", "planpub.mdext"],
                           extension_configs={extension: OPTIONS})
    html = md.convert(text)
    return html, md.toc_tokens  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [HEADINGS, MARKUP, *sample_bodies()])
def test_headings_render_as_with_the_toc_extension(text: str) -> None:
    assert render("planpub.mdtoc", text) == render("toc", text)


def test_headings_get_readable_unique_ids_and_a_permalink() -> None:
    html, tokens = render("planpub.mdtoc", HEADINGS)
    assert '<h2 id="同名_1">同名<a class="headerlink" href="#同名_1" title="本节链接">¶</a></h2>' in html
    ids = [token["id"] for token in tokens[0]["children"]]
    assert ids == ["代码-与-强调", "同名", "同名_1", "带标签", "脚注后的标题"]
    assert tokens[0]["children"][3]["name"] == "短 标签"
    assert "第四级不进目录" not in str(tokens)
