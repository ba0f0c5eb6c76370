"""The plain-text extension only makes Markdown faster: every page renders exactly as without it."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from planpub.plan import read_plan_file
from planpub.schema import DEFAULT_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = ["toc", "tables", "attr_list", "admonition"]
MARKUP = """## 一、总体要求

普通中文段落，没有任何标记。第二句也没有。

带 **加粗**、*强调*、`代码`、[链接](../x.md)、<span>内联 HTML</span>、&amp; 实体、自动链接 <https://example.gov.cn/>。

行末两个空格换行{HARD_BREAK}
下一行。

| 指标 | 目标 |
|---|---|
| 研发投入 | 3.2% |

!!! note "说明"
    提示框里的*强调*。
""".replace("{HARD_BREAK}", "  ")


def render(text: str, *extra: str) -> str:
    return markdown.Markdown(extensions=[*EXTENSIONS, *extra]).convert(text)


def sample_bodies() -> list[str]:
    plans_dir = ROOT / "plans"
    bodies = []
    for path in sorted(plans_dir.rglob("*.md")):
        plan, _ = read_plan_file(plans_dir, path, DEFAULT_CATEGORIES)
        if plan is not None:
            bodies.append(plan.body)
    return bodies


@pytest.mark.parametrize("text", [MARKUP, *sample_bodies()])
def test_output_is_identical_with_the_extension(text: str) -> None:
    assert render(text, "planpub.mdext") == render(text)


def test_markup_is_still_rendered() -> None:
    html = render(MARKUP, "planpub.mdext")
    assert "<strong>加粗</strong>" in html
    assert "<em>强调</em>" in html
    assert '<a href="../x.md">链接</a>' in html
    assert "<br />" in html
