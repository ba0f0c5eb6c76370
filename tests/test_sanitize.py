"""The sanitiser and the attribute restriction: what a plan can put into a page, and what `check` says it removed."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import markdown
import pytest
from markupsafe import Markup
from mkdocs.structure.toc import get_toc

from planpub.mdext import PlainRenderer
from planpub.plan import parse_plan
from planpub.sanitize import ID_PATTERN, Removed, SafeAttributesExtension, clean_html, clean_text_html
from planpub.schema import DEFAULT_CATEGORIES
from tests.payloads import BODY_PAYLOADS, payload_plan
from tests.test_mdext import site_extensions

ROOT = Path(__file__).resolve().parents[1]
# Inside a tag: text that merely shows such words is harmless.
_LIVE = re.compile(r"<[^>]*\s(?:on\w+|style|autofocus)\b|<[^>]*\s(?:href|src)=\"?\s*(?:javascript|data|vbscript):"
                   r"|<(?:script|svg|iframe|object|embed|form|math|input)\b|<\w+:", re.IGNORECASE)


def site_html(body: str) -> tuple[str, list[dict[str, object]]]:
    """A body as a plan page gets it: the site's extensions plus the restriction the hooks add, then the sanitiser."""
    converter = markdown.Markdown(extensions=[*site_extensions(), SafeAttributesExtension()])
    rendered = converter.convert(body)
    return clean_html(rendered), converter.toc_tokens  # type: ignore[attr-defined]


def _ids(tokens: list[dict[str, object]]) -> list[str]:
    found = []
    for token in tokens:
        found.append(str(token["id"]))
        found += _ids(token["children"])  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("body", BODY_PAYLOADS)
def test_no_payload_survives_the_site_rendering(body: str) -> None:
    page, tokens = site_html(body)
    assert not _LIVE.search(html.unescape(page)), page
    assert all(ID_PATTERN.fullmatch(anchor) for anchor in _ids(tokens)), tokens


@pytest.mark.parametrize("body", BODY_PAYLOADS)
def test_check_reports_every_removal_on_the_line_it_is_on(body: str) -> None:
    text = payload_plan(1, body)
    _, problems = parse_plan("xss.md", text, DEFAULT_CATEGORIES)
    warnings = [p for p in problems if not p.is_error]
    # A payload that Markdown renders as text (an attribute list it does not apply) leaves nothing to remove.
    rendered = html.unescape(markdown.Markdown(extensions=[*site_extensions()]).convert(body))
    if not _LIVE.search(rendered) and not re.search(r"<[^>]*\sid=", rendered):
        assert warnings == []
        return
    assert warnings, body
    first = text.splitlines().index(body.splitlines()[0]) + 1
    for problem in warnings:
        assert first <= problem.line < first + len(body.splitlines()), (problem, body)
        assert str(problem).startswith(f"xss.md:{problem.line}: 警告: 正文中的“")
        assert "发布时已删除" in str(problem)


def test_attribute_lists_keep_ids_and_classes_of_the_strict_form_only() -> None:
    page, tokens = site_html('## 一、总体要求 {: #zongti .pp-key onclick=alert(1) style="color:red" title=说明 }')
    assert page.startswith(('<h2 class="pp-key" id="zongti">', '<h2 id="zongti" class="pp-key">'))
    assert "onclick" not in page and "style" not in page and "title=" not in page.split("headerlink")[0]
    assert _ids(tokens) == ["zongti"]


def test_an_id_that_would_break_out_of_a_link_is_replaced_by_the_heading_anchor() -> None:
    page, tokens = site_html("## 二、重点任务 {id='a\" autofocus onfocus=alert(document.domain) x=\"'}")
    assert _ids(tokens) == ["二重点任务"]
    assert 'id="二重点任务"' in page and "autofocus" not in page


def test_removed_attributes_are_recorded() -> None:
    removed: list[Removed] = []
    markdown.Markdown(extensions=["attr_list", SafeAttributesExtension(removed)]).convert(
        "段落\n{: onclick=x }\n\n## 标题 {#ok .good .5bad}")
    assert [r.what for r in removed] == ["onclick=x", "class=good 5bad"]


def test_table_alignment_is_an_attribute_not_a_style() -> None:
    page, _ = site_html("| 左 | 中 |\n|:---|:---:|\n| a | b |")
    assert '<th align="left">' in page and '<td align="center">' in page and "style" not in page


def test_the_sanitiser_keeps_what_markdown_and_the_site_write() -> None:
    fragment = ('<h2 id="一总体要求">一、总体要求<a class="headerlink" href="#一总体要求" title="本节链接">¶</a></h2>\n'
                '<table class="pp-disclosure">\n<caption>信息公开要素</caption>\n<tbody>\n'
                '<tr><th scope="row">发文机关</th><td>A &amp; B</td></tr>\n</tbody>\n</table>\n'
                '<p><a href="https://example.gov.cn/">网址</a> <a href="../x/">相对</a> <img alt="图" src="x.png"></p>')
    assert clean_html(fragment) == fragment


@pytest.mark.parametrize(("dirty", "clean"), [
    ('<a href=" jAvAsCrIpT:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,&lt;script&gt;">x</a>', "<a>x</a>"),
    ('<p id="a b" class="c&quot;d">x</p>', "<p>x</p>"),
    ('<img src=x onerror=alert(1)>', '<img src="x">'),
    ('<svg onload=alert(1)><circle/></svg>t', "t"),
    ('<p style="position:fixed">x</p>', "<p>x</p>"),
])
def test_the_sanitiser_removes_script_styles_and_odd_ids(dirty: str, clean: str) -> None:
    assert clean_html(dirty) == clean


@pytest.mark.parametrize("text", ["一、总体要求", "A &amp; B", "a &lt; b", "标题<b>粗</b>",
                                  "<img src=x onerror=alert(1)>x"])
def test_table_of_contents_titles_hold_text_only(text: str) -> None:
    cleaned = clean_text_html(text)
    assert "<" not in cleaned
    assert Markup(cleaned).unescape() == Markup(text).striptags() or "<img" in text


def test_toc_links_are_escaped() -> None:
    sys.path.insert(0, str(ROOT))
    from hooks.planpub_hooks import toc_entries

    items = get_toc([{"level": 2, "id": 'a" onfocus="alert(1)', "name": "x<img src=x onerror=alert(1)>",
                      "children": []}]).items
    entries = str(toc_entries(items))
    assert 'href="#a&#34; onfocus=&#34;alert(1)"' in entries
    assert "<img" not in entries


def test_the_restriction_leaves_plain_documents_to_the_direct_writer() -> None:
    extensions = [*site_extensions(), SafeAttributesExtension()]
    text = "## 一、总体要求\n\n正文段落。\n\n1. 第一项\n2. 第二项\n"
    rendering = PlainRenderer(extensions).render(text)
    assert rendering is not None
    assert rendering.html == markdown.Markdown(extensions=extensions).convert(text)


def test_what_the_direct_writer_writes_needs_no_cleaning() -> None:
    """The hooks do not run nh3 over a body `PlainRenderer` wrote: it must give such HTML back unchanged."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import random

    from corpus import plan_body

    from tests.test_mdext import LOOK_ALIKES, PLAIN_LINES, generated_document

    renderer = PlainRenderer([*site_extensions(), SafeAttributesExtension()])
    written = 0
    for seed in range(300):
        rng = random.Random(seed)
        for text in (plan_body(rng, 1500), generated_document(rng, PLAIN_LINES + LOOK_ALIKES, (1, 2, 2, 3))):
            rendering = renderer.render(text)
            if rendering is not None:
                written += 1
                assert clean_html(rendering.html) == rendering.html
    assert written > 300
