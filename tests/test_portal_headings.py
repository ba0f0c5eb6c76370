"""The JSON catalogue names a plan's sections exactly as the search index does: the portal reads only the
heading lines, and must find the same headings, texts, levels and anchors as the search index's full reading
of the body, on the sample plans, on the importer's Markdown and on bodies made of awkward heading lines."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from planpub.catalog import Catalog
from planpub.pages import body_markdown
from planpub.portal.headings import Heading, headings_of, plan_headings
from planpub.search.sections import split_sections

ROOT = Path(__file__).resolve().parents[1]
IMPORTED = sorted((ROOT / "tests" / "fixtures" / "import").glob("*/expected.md"))


def as_searched(title: str, body: str) -> list[Heading]:
    return [Heading(s.level, s.heading, s.anchor) for s in split_sections(title, body) if s.anchor is not None]


def test_every_sample_plan_has_the_headings_the_search_index_gives_it(sample_catalog: Catalog) -> None:
    plans = sample_catalog.plans + [w.plan for w in sample_catalog.withheld]
    assert sum(len(plan_headings(p)) for p in plans) > 50
    for plan in plans:
        assert plan_headings(plan) == as_searched(plan.title, body_markdown(plan)), plan.id


@pytest.mark.parametrize("markdown", IMPORTED, ids=lambda p: p.parent.name)
def test_imported_plans_have_the_headings_the_search_index_gives_them(markdown: Path) -> None:
    body = markdown.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    assert headings_of("计划", body) == as_searched("计划", body)


# Lines that are, or look like, headings and fences, and text around them.
HEADINGS = [
    "## 一、总体要求", "### （一）**加强**基础研究", "#### `代码`与 *强调*", "## 支持[科技型企业](https://example.gov.cn/)",
    "## 自定义锚点 {#custom-anchor}", "## 带类名 {: .wide }", "## 两个属性 {: #zhu-yao-mu-biao .wide}",
    "##", "## ", "#", "# 计划", "###### 六级", "####### 七个井号", "##没有空格", "  ## 缩进两格", "   ### 缩进三格",
    "    ## 缩进四格", "\t## 制表符", "\u3000## 全角空格", "## 收尾井号 ##", "## 收尾#号#", "## 转义 \\# 号",
    "## a_b__c__ ~~删除~~", "## <span>标签</span> &amp; 实体", "## 2024年", "## Section One", "## section-one",
    "## ！？。", "## 一总体要求", "## 一总体要求_1", "## {#only-id}", "## 空属性 {}", "## 图片 ![图](a.png)",
]
FENCES = ["```", "````", "~~~", "~~~~", "```python", "   ```", "    ```", "``", "~~~ ```", "`` ` ``"]
TEXT = ["正文。", "", "1. 列表项", "> ## 引用中的标题", "- ## 列表中的标题", "| 表 | 格 |", "---", "!!! note \"提示\"",
        "第一行\\", "a # b", "`#` 号"]
BREAKS = ["\n", "\n", "\n", "\r\n", "\r", "\u2028", "\x0c"]


def awkward_body(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 40)):
        pool = rng.choice((HEADINGS, HEADINGS, FENCES, TEXT))
        lines.append(rng.choice(pool))
    return "".join(line + rng.choice(BREAKS) for line in lines)


def test_awkward_bodies_have_the_headings_the_search_index_gives_them() -> None:
    rng = random.Random(20240601)
    found = 0
    for _ in range(3000):
        title = rng.choice(["一、总体要求", "计划", "Section One", "【测试】瓯海区2024年计划"])
        body = awkward_body(rng)
        headings = headings_of(title, body)
        assert headings == as_searched(title, body), body
        found += len(headings)
    assert found > 10000
