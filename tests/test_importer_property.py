"""Whatever text an author pastes into a .txt file, the importer's text path ends in plans or in one of the
project's own messages (ImportFailure), never in an exception, and what it would write reads back as a plan file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planpub import frontmatter
from planpub.importer.command import _plan_text
from planpub.importer.model import ImportFailure
from planpub.importer.pipeline import Options, convert_source
from planpub.importer.reading import text_source
from planpub.plan import parse_plan
from planpub.regions import load_gazetteer
from planpub.schema import DEFAULT_CATEGORIES

# The shapes plan documents come in: titles, numbering of every level, years and periods, masked facts, the
# furniture of document sites, signatures, Traditional characters with pinyin, and stray markup.
FRAGMENTS = [
    "瓯海区科学技术局", "2024年", "20232025年", "2023—2025年", "20xx年", "XX县", "**市", "[X]", "科技工作要点",
    "三年行动计划", "工作计划", "实施方案", "一、", "二、", "（一）", "(-)", "1.", "1、", "（1）", "①", "第一章",
    "第二部分", "篇1", "篇2", "工作计划一", "工作计划二", "总体要求", "重点任务", "保障措施", "。", "，", "；", "：",
    "服務(wù)", "數字經濟", "举报", "VIP", "文档评论", "相关文档", "第 1 页", "共 3 页", "2、", "温州市", "瑞安市",
    "朝阳区", "浙江省/温州市", "发文字号", "瓯科发〔2024〕3号", "2024年2月20日", "---", "# ", "## ", "|", "| a | b |",
    "<script>", "&amp;", "\\", "*", "_", "`", "\"", "'", ":", "#", "- ", "> ", "　", "\t", " ", "\u200b", "\ufeff",
    "待补充", "id: x", "title:", "{", "}", "[", "]", "!!python/object", "&anchor", "%YAML",
    # Portal pages: breadcrumb, disclosure block, the issuing notice, signature dates, footers, broken text.
    "当前位置：首页 > ", "索 引 号：", "发布机构：", "成文日期：", "文  号：", "| ", "关于印发《", "》的通知",
    "各街道：", "现将", "2024327", "二○一二年一月二十九日", "（此件公开发布）", "主办：", "网站标识码",
    "浙ICP备1号", "提纲：", "某网:www.a.com", "“十四五”", "合集八篇", "2024 年", "市 委 十 届 ",
    "—2023年2月2日在大会上", "??",
]
lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=8).map("".join)
documents = st.one_of(st.lists(lines, max_size=40).map("\n".join), st.text(max_size=400))


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_text_becomes_plans_or_a_message(text: str) -> None:
    try:
        conversion = convert_source(text_source(text), Options(), DEFAULT_CATEGORIES, load_gazetteer())
    except ImportFailure as failure:
        assert str(failure)
        return
    for draft in conversion.drafts:
        written = _plan_text(draft, "ceshi")
        # The front matter the importer writes is always valid YAML with a value for each field it names.
        split = frontmatter.split("ceshi.md", written)
        assert not [p for p in split.problems if p.is_error], split.problems
        _, problems = parse_plan("ceshi.md", written, DEFAULT_CATEGORIES)
        assert all(p.message for p in problems)
