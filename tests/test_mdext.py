"""The plain-text extension only makes Markdown faster: every page renders exactly as without it."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from planpub.mdext import PlainRenderer, _plain_blocks
from planpub.plan import read_plan_file
from planpub.schema import DEFAULT_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import plan_body  # noqa: E402

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


# Lines a plan body is made of, and lines that only look like them.
PLAIN_LINES = ["# 标题", "## 一、总体要求", "### （一）加快推进高新技术企业培育", "###### 六级标题",
               "1. 第一项，全年完成20%。", "2. 第二项 (2024-2025)", "10. 第十项", "- 要点一", "- 要点二，共3项",
               "普通段落，没有任何标记。", "第二行 a/b 1.5倍", "-5%的下降", "1.5倍", "2024. 年"]
LOOK_ALIKES = ["1.", "1. ", "- ", "-", "---", "- - -", "===", "    缩进四格", "  缩进两格", "行末空格  ",
               "#######  七级", "##没有空格", "## 收尾 ##", "a # b", "1) 第一", "* 星号", "+ 加号", "> 引用",
               "1. **加粗**", "1. 1. 嵌套", "- 1. 嵌套", "## ", "段落\t制表", "全角　空格", "\u3000开头", "&amp;",
               "第一行\\"]


def generated_document(rng: random.Random, lines: list[str], breaks: tuple[int, ...]) -> str:
    parts = []
    for _ in range(rng.randint(0, 25)):
        parts.append(rng.choice(lines))
        parts.append("\n" * rng.choice(breaks))
    return "".join(parts)


@pytest.mark.parametrize(("pool", "breaks", "at_least"), [
    ("plain", (2, 2, 3), 900), ("plain", (1, 2, 2, 3), 100), ("mixed", (1, 2, 2, 3), 3)])
def test_generated_documents_render_identically_and_plain_ones_take_the_fast_path(
        pool: str, breaks: tuple[int, ...], at_least: int) -> None:
    rng = random.Random(f"{pool}{breaks}")
    lines = PLAIN_LINES if pool == "plain" else PLAIN_LINES + LOOK_ALIKES
    fast = 0
    with_extension = markdown.Markdown(extensions=[*EXTENSIONS, "planpub.mdext"])
    without = markdown.Markdown(extensions=EXTENSIONS)
    for _ in range(1000):
        text = generated_document(rng, lines, breaks)
        with_extension.reset()
        without.reset()
        assert with_extension.convert(text) == without.convert(text), text
        assert with_extension.toc_tokens == without.toc_tokens, text  # type: ignore[attr-defined]
        fast += _plain_blocks("\n\n".join(text.split("\n\n"))) is not None
    # Plain documents are the common case the fast path is for; a heading or list run into other lines, and the
    # look-alikes, leave it.
    assert fast >= at_least


def test_a_benchmark_plan_takes_the_fast_path() -> None:
    body = plan_body(random.Random(1))
    assert _plain_blocks(f"# 【示例】计划\n\n{body}") is not None
    assert render(body, "planpub.mdext") == render(body)


def site_extensions(*extra: str) -> list[markdown.Extension]:
    """The extensions the site's pages are rendered with: the engine's defaults, then mkdocs.yml's."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    builder = markdown.Markdown()
    names = [*config.markdown_extensions, *extra]
    return [builder.build_extension(name, (config.mdx_configs or {}).get(name, {})) if isinstance(name, str)
            else name for name in names]


@pytest.mark.parametrize(("pool", "breaks"), [("plain", (2, 2, 3)), ("plain", (1, 2, 2, 3)), ("mixed", (1, 2, 3))])
def test_plain_documents_written_directly_are_what_the_converter_gives(pool: str, breaks: tuple[int, ...]) -> None:
    rng = random.Random(f"direct{pool}{breaks}")
    lines = PLAIN_LINES if pool == "plain" else PLAIN_LINES + LOOK_ALIKES
    renderer = PlainRenderer(site_extensions())
    converter = markdown.Markdown(extensions=site_extensions())
    direct = 0
    for _ in range(1000):
        text = generated_document(rng, lines, breaks)
        rendering = renderer.render(text)
        if rendering is None:
            assert _plain_blocks(text) is None, text
            continue
        direct += 1
        converter.reset()
        assert rendering.html == converter.convert(text), text
        assert rendering.toc_tokens == converter.toc_tokens, text  # type: ignore[attr-defined]
        assert rendering.ids == set(re.findall(r' id="([^"]*)"', rendering.html))
    assert direct >= (100 if pool == "plain" else 3)


def test_a_benchmark_plan_page_is_written_directly() -> None:
    text = f"# 【示例】计划\n\n{plan_body(random.Random(2))}"
    rendering = PlainRenderer(site_extensions()).render(text)
    assert rendering is not None
    assert rendering.html == markdown.Markdown(extensions=site_extensions()).convert(text)
    heading = '<h1 id="示例计划">【示例】计划<a class="headerlink" href="#示例计划" title="本节链接">¶</a></h1>'
    assert rendering.html.startswith(heading)


@pytest.mark.parametrize("extension", ["smarty", "nl2br", "sane_lists"])
def test_extensions_that_change_plain_text_turn_direct_writing_off(extension: str) -> None:
    text = "## 一、总体要求\n\n第一行 -- 破折号\n第二行\n\n1. 第一项"
    assert PlainRenderer(site_extensions()).render(text) is not None
    assert PlainRenderer(site_extensions(extension)).render(text) is None
