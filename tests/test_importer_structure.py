"""How numbered text becomes headings or stays text, one pattern at a time."""

from __future__ import annotations

import pytest

from planpub.importer.cleaning import clean
from planpub.importer.markdown import render_body
from planpub.importer.model import Block
from planpub.importer.structure import build_structure


def body(*lines: str) -> str:
    blocks = [Block(text, number) for number, text in enumerate(lines, start=1)]
    return render_body(build_structure(blocks).nodes)


@pytest.mark.parametrize(("lines", "expected"), [
    # Each level of official numbering, mapped in order to ##, ###, ….
    (["一、总体要求", "（一）加强领导", "1.建立机制", "（1）定期会商", "①月度例会"],
     "## 一、总体要求\n\n### （一）加强领导\n\n#### 1. 建立机制\n\n##### （1）定期会商\n\n###### ①月度例会\n"),
    # Only the levels a document uses count: 一、 and 1. become ## and ###.
    (["一、主要任务", "1.培育企业", "扶持科技型企业。"], "## 一、主要任务\n\n### 1. 培育企业\n\n扶持科技型企业。\n"),
    # A run-in heading ended by a full stop is split from its text.
    (["（一）加强组织领导。各部门要明确分工。"], "## （一）加强组织领导\n\n各部门要明确分工。\n"),
    # A heading with its own wording is kept whole, not cut at a word headings often end with.
    (["一、提高思想认识。各单位要统一思想，加强协同。"], "## 一、提高思想认识\n\n各单位要统一思想，加强协同。\n"),
    # “三、四季度” counts quarters.
    (["一、进度安排", "一季度完成部署。三、四季度完成验收。"],
     "## 一、进度安排\n\n一季度完成部署。三、四季度完成验收。\n"),
    # Items that are sentences stay text, numbered as the author wrote them.
    (["二、主要目标", "1.新增高新技术企业40家。", "2.研发投入强度达到3%。"],
     "## 二、主要目标\n\n1.新增高新技术企业40家。\n\n2.研发投入强度达到3%。\n"),
])
def test_numbering_becomes_headings(lines: list[str], expected: str) -> None:
    assert body(*lines) == expected


def test_headings_run_into_the_text_are_split_back_out() -> None:
    text = ("为推动发展，制定本方案。一、指导思想以创新为第一动力。二、重点任务(-)实施企业培育行动。"
            "围绕主导产业布局创新链。1强化研发激励。对研发投入给予奖励。2、培育领军企业。遴选一批企业重点培育。")
    assert body(text) == (
        "为推动发展，制定本方案。\n\n## 一、指导思想\n\n以创新为第一动力。\n\n## 二、重点任务\n\n"
        "### （一）实施企业培育行动\n\n围绕主导产业布局创新链。\n\n#### 1. 强化研发激励\n\n对研发投入给予奖励。\n\n"
        "#### 2. 培育领军企业\n\n遴选一批企业重点培育。\n"
    )


def test_a_numbered_list_is_not_taken_for_page_numbers() -> None:
    blocks = [Block("一、工作目标", 1), Block("1、新增高新技术企业40家。", 2), Block("2、新增省级研发中心5家。", 3),
              Block("3、技术合同成交额达到10亿元。", 4)]
    assert [b.text for b in clean(blocks).blocks] == [b.text for b in blocks]


def test_page_numbers_inside_sentences_are_removed_and_reported() -> None:
    page = "推进科技创新工作，" * 30
    text = f"1、{page}聚焦重点领域 2、梳理短板弱项，{page}提升平台 3、能级，{page}。"
    cleaned = clean([Block(text, 7)])
    assert [b.text for b in cleaned.blocks] == [f"{page}聚焦重点领域梳理短板弱项，{page}提升平台能级，{page}。"]
    assert [n.message.split("（")[0] for n in cleaned.notes] == [
        "网站分页插入的页码“3、”", "网站分页插入的页码“2、”", "网站分页插入的页码“1、”"]
    assert {n.line for n in cleaned.notes} == {7}
