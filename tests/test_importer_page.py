"""Pages as government portals show them: breadcrumb, disclosure block, the notice that issues the plan with its
signature and date, then the plan. Every fact the page states is read; nothing it does not state is filled in.
The texts are written for these tests in the shapes real portals use."""

from __future__ import annotations

from pathlib import Path

import pytest

from planpub.importer.dates import date_line
from planpub.importer.model import Block
from planpub.importer.pipeline import Options, convert, convert_source
from planpub.importer.reading import Source
from planpub.regions import load_gazetteer
from planpub.schema import DEFAULT_CATEGORIES

GAZETTEER = load_gazetteer()


def _convert(text: str) -> tuple[dict[str, object], str, list[str]]:
    blocks = [Block(line, number) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
    conversion = convert_source(Source(blocks, "文本文件", "行"), Options(), DEFAULT_CATEGORIES, GAZETTEER)
    assert len(conversion.drafts) == 1
    draft = conversion.drafts[0]
    notes = [n.message for n in conversion.notes + draft.notes]
    return draft.metadata.values, draft.body, notes


PORTAL = """瓯海区人民政府门户网站
当前位置: 首页 > 政务公开 > 部门文件
索 引 号: 001122334/2024-00031 公文种类: 通知 发布机构: 瓯海区科学技术局
成文日期: 2024-03-05 发布日期: 2024-03-08 文  号: 瓯科发〔2024〕7号 有 效 性: 有效
瓯海区科学技术局
关于印发《瓯海区2024年科技创新工作要点》
的通知
各街道（镇），区级各部门：
现将《瓯海区2024年科技创新工作要点》印发给你们，请抓好落实。
瓯海区科学技术局
202435
（此件公开发布）
瓯海区2024年科技创新工作要点
一、总体目标
全年新增科技型企业三十家。"""


def test_portal_page_gives_every_stated_fact_and_leaves_the_chrome_out() -> None:
    values, body, notes = _convert(PORTAL)
    assert values["title"] == "瓯海区2024年科技创新工作要点"
    assert values["index_no"] == "001122334/2024-00031"
    assert values["doc_number"] == "瓯科发〔2024〕7号"
    assert values["issuer"] == "瓯海区科学技术局"
    assert values["written"] == "2024-03-05"  # the disclosure block's 成文日期, not the publication date
    assert values["region"] == "浙江省/温州市/瓯海区"
    assert values["year"] == 2024
    for furniture in ("当前位置", "索 引 号", "发布日期", "门户网站", "此件公开发布", "现将"):
        assert furniture not in body
    assert body.startswith("## 一、总体目标")
    assert any("信息公开栏" in n for n in notes)


NOTICE = """龙湾区人民政府办公室关于印发龙湾区数字乡村建设实施方案（2024至2026年）的通知
（龙政办发〔2024〕12号）
各街道办事处，区政府直属各单位：
现将《龙湾区数字乡村建设实施方案（2024至2026年）》印发给你们，请认真组织实施。
二○二五年一月八日
龙湾区数字乡村建设实施方案（2024至2026年）
为加快数字乡村建设，制定本方案。
一、工作目标
到2026年建成数字乡村示范村十个。"""


def test_notice_with_chinese_numeral_date_gives_issue_year_and_period() -> None:
    values, body, _ = _convert(NOTICE)
    assert values["title"] == "龙湾区数字乡村建设实施方案（2024至2026年）"
    assert values["written"] == "2025-01-08"
    assert values["year"] == 2025  # the year it was issued, the period says the rest
    assert values["period"] == "2024-2026"
    assert values["issuer"] == "龙湾区人民政府办公室"
    assert values["doc_number"] == "龙政办发〔2024〕12号"
    assert "各街道办事处" not in body


def test_short_signature_defers_to_the_full_name_in_the_disclosure_block() -> None:
    text = """索引号 11330304000000000X/2024-00077 组配分类 法治宣传
发布机构 瓯海区司法局 发文日期 2024-05-06
时效 有效
关于印发《2024年全区普法工作要点》的通知
各街道，区级各单位：
现将《2024年全区普法工作要点》印发给你们。
区普法办
2024年5月6日
2024年全区普法工作要点
一、深化法治宣传
开展法治讲座二十场。"""
    values, body, _ = _convert(text)
    assert values["issuer"] == "瓯海区司法局"
    assert values["index_no"] == "11330304000000000X/2024-00077"
    assert values["written"] == "2024-05-06"
    assert "时效" not in body


def test_nothing_stated_nothing_filled() -> None:
    text = """县“十四五”农业发展要点
一、发展目标
稳定粮食播种面积。"""
    values, _, _ = _convert(text)
    assert values.get("period") == "2021-2025"
    for key in ("year", "written", "index_no", "doc_number", "issuer", "region"):
        assert key not in values


@pytest.mark.parametrize(("text", "expected"), [
    ("2024327", "2024-03-27"), ("20240327", "2024-03-27"), ("二〇二三年四月十一日", "2023-04-11"),
    ("二○一二年一月二十九日", "2012-01-29"), ("2023年4月26日", "2023-04-26"), ("（2025年2月10日）", "2025-02-10"),
])
def test_signature_dates_in_every_spelling(text: str, expected: str) -> None:
    found = date_line(text)
    assert found is not None and found.date.isoformat() == expected


@pytest.mark.parametrize("text", ["2024111", "2024年", "20241399", "1234567"])
def test_ambiguous_or_impossible_dates_are_not_read(text: str) -> None:
    assert date_line(text) is None


def test_portal_chrome_and_footer_glued_to_the_last_sentence_are_removed() -> None:
    text = """信息公开 | 政策文件 | 部门文件 | 规划计划
全文检索
【字体: 大 中 小】 打印
瓯海区2025年科普工作计划
一、工作目标
全年举办科普讲座四十场，覆盖全区各街道。主办：瓯海区科学技术局 网站标识码：3303040001
浙ICP备12345678号
中国政府网 浙江省政府网 温州市政府网 瓯海区政府网"""
    values, body, notes = _convert(text)
    assert values["title"] == "瓯海区2025年科普工作计划"
    assert body.rstrip().endswith("全年举办科普讲座四十场，覆盖全区各街道。")
    for furniture in ("信息公开", "全文检索", "字体", "主办", "网站标识码", "ICP", "政府网"):
        assert furniture not in body
    assert any("网站页脚" in n for n in notes)


def test_sharing_site_stamp_watermark_teaser_and_outline_are_removed() -> None:
    text = """提纲：
一、做好春耕服务
二、推进农机补贴
区农业农村局2025年工作计划
范文天地 2025-01-12 09:30:11 农业
示例范文库:www.example.com
今年，区农业农村局将紧扣粮食安全，扎实推进春耕备耕和农机补贴工作，确保全年粮食稳产。
一、做好春耕服务
组织农技人员下乡指导。"""
    values, body, _ = _convert(text)
    assert values.get("title") in ("区农业农村局2025年工作计划", None)
    for furniture in ("提纲", "09:30", "www.", "示例范文库"):
        assert furniture not in body
    assert body.count("今年，区农业农村局将紧扣粮食安全") == 1
    assert body.count("一、做好春耕服务") == 1


BROKEN_RUNS = """镇农业农村办
2025
年工作思路
一、2024年工作回顾
建成高标准农田
1200
亩，新增家庭农场
15
家。完成
XX
村道路硬化
3.5
公里。
二、2025年工作打算
新建冷链仓储
2
座。"""


def test_text_broken_at_every_run_is_joined_without_losing_numbers() -> None:
    values, body, notes = _convert(BROKEN_RUNS)
    assert "建成高标准农田1200亩，新增家庭农场15家。完成XX村道路硬化3.5公里。" in body
    assert "新建冷链仓储2座。" in body
    assert "## 一、2024年工作回顾" in body
    assert values["year"] == 2025
    assert "镇农业农村办2025年工作思路" not in body  # the title, joined, heads the plan
    assert any("接回" in n for n in notes)


def test_latin_words_keep_their_space_when_a_broken_line_is_joined() -> None:
    from planpub.importer.cleaning import glue
    assert glue("推进 smart", "city 建设") == "推进 smart city 建设"
    assert glue("推进数字", "乡村建设") == "推进数字乡村建设"


HARD_WRAPPED = """港区2025年物流发展要点
2025 年，全区物流系统坚持以高质量发展为主
线，全 面 落 实 区 委 三 届 五 次 全 会 部署，紧紧围
绕“一港三园”发展思路，加快建设现代物流体
系，奋力开创物流发展新局面。
一、总体目标
1.全年任务。新增冷链仓储 12 万立方米，培育
物流龙头企业 8 家，港口吞吐量增长 6%以上。
2.保障措施。统筹安排专项资金，完善考核
办法，建立季度通报和年度评估的工作制度
，确保各项任务按期完成。"""


def test_hard_wrapped_and_letter_spaced_text_reads_as_written() -> None:
    _, body, notes = _convert(HARD_WRAPPED)
    assert ("2025年，全区物流系统坚持以高质量发展为主线，全面落实区委三届五次全会部署，紧紧围绕“一港三园”"
            "发展思路，加快建设现代物流体系，奋力开创物流发展新局面。") in body
    assert "新增冷链仓储12万立方米，培育物流龙头企业8家，港口吞吐量增长6%以上。" in body
    assert "统筹安排专项资金，完善考核办法，建立季度通报和年度评估的工作制度，确保各项任务按期完成。" in body
    assert "## 一、总体目标" in body
    assert any("固定宽度" in n for n in notes) and any("空格" in n for n in notes)


def test_run_on_text_is_split_at_its_headings() -> None:
    text = ("镇2025年文化工作打算\n一、2024年工作回顾 (一)丰富群众文化生活。全年举办文艺演出二十场，惠及群众三万人次，"
            "组织送戏下乡十场，培育业余文艺团队六支。 (二)保护历史文化遗产。完成三处文物的修缮，"
            "整理非遗项目档案十二份，建成乡村博物馆一座。 二、2025年工作打算 (一)建设文化礼堂。新建文化礼堂五个。")
    _, body, notes = _convert(text)
    for heading in ("## 一、2024年工作回顾", "### （一）丰富群众文化生活", "### （二）保护历史文化遗产",
                    "## 二、2025年工作打算", "### （一）建设文化礼堂"):
        assert heading in body
    assert any("重新分段" in n for n in notes)


def test_periods_that_lost_their_dash_or_got_mismatched_brackets_are_restored_and_reported() -> None:
    text = """市科技局2025年工作要点
一、总体要求
落实《市创新驱动发展规划(2021-2025年）》和《人才行动方案（20242026年）》，做好全年工作。"""
    _, body, notes = _convert(text)
    assert "《市创新驱动发展规划（2021-2025年）》" in body
    assert "《人才行动方案（2024—2026年）》" in body
    assert sum("修复年份区间" in n for n in notes) == 2


def test_portal_html_in_divs_with_footer_glued_to_the_last_sentence(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>瓯海区2025年科普工作计划</title></head><body>
<div class="top"><div>瓯海区人民政府门户网站</div><div>中国政府网 浙江省政府网 温州市政府网</div></div>
<div class="crumb">您的位置：<a href="/">首页</a> &gt; 信息公开 &gt; 规划计划</div>
<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 <a>打印</a></div>
<div class="content"><p>瓯海区2025年科普工作计划</p><p>一、工作目标</p>
<p>全年举办科普讲座四十场。<br>主办：瓯海区人民政府办公室 网站标识码：3303040001 浙ICP备12345678号</p></div>
<div class="related"><p>相关链接</p><p>区政府召开常务会议</p></div></body></html>"""
    source = tmp_path / "page.html"
    source.write_text(page, encoding="utf-8")
    conversion = convert(source, source.name, Options(), DEFAULT_CATEGORIES, GAZETTEER)
    draft = conversion.drafts[0]
    assert draft.metadata.values["title"] == "瓯海区2025年科普工作计划"
    assert draft.body == "## 一、工作目标\n\n全年举办科普讲座四十场。\n"


def test_a_date_under_the_plan_title_is_not_taken_for_the_notice_signature() -> None:
    text = """瓯海区科学技术局关于印发《瓯海区2025年科技工作要点》的通知
各街道（镇）、区级有关单位：
现将《瓯海区2025年科技工作要点》印发给你们。
瓯海区2025年科技工作要点
（2025年2月10日）
一、工作目标
新增科技型企业三十家。"""
    values, body, _ = _convert(text)
    assert values["title"] == "瓯海区2025年科技工作要点"
    assert values["written"] == "2025-02-10"
    assert "## 一、工作目标" in body


def test_a_text_table_of_two_character_words_keeps_its_spaces() -> None:
    text = """区2025年科技工作要点
2025 年，全 区 科 技 系 统 紧扣目标，推进创新。
联系人 张明 科长 电话 88886666"""
    _, body, _ = _convert(text)
    assert "2025年，全区科技系统紧扣目标，推进创新。" in body
    assert "联系人 张明 科长 电话 88886666" in body


def test_a_site_introduction_that_ends_with_its_welcome_goes_whole() -> None:
    text = """区科技局2025年工作计划
春去秋来，新的一年又到了。该为下一阶段的工作做个计划了。下面是小编整理的科技局工作计划，欢迎阅读与收藏。
一、工作目标
新增科技型企业三十家。"""
    _, body, notes = _convert(text)
    assert "春去秋来" not in body and "小编" not in body
    assert body.startswith("## 一、工作目标")
    assert any("引导语" in n for n in notes)
