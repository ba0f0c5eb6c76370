"""A plan printed or saved as PDF from the browser: the title, the disclosure block and the text, and nothing
to click (header, tabs, menus, table of contents, reader controls, links to other pages). Chromium renders the
PDF; pdftotext (Debian's poppler-utils) reads it back."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page

PLAN = "plans/ruian-kjj-2024-gzjh/"
PRINTED = ["【示例】瑞安市2024年科技创新工作计划", "信息公开要素", "发文机关", "瑞安市科学技术局", "发文字号",
           "瑞科〔2024〕2号", "成文日期", "2024-01-30", "一、总体要求", "四、保障措施", "本计划已修订"]
# Text that only the screen's navigation and controls carry.
NOT_PRINTED = ["跳转至", "按年度", "按地区", "关于本站", "高对比", "特大", "目录", "上一篇", "下一篇",
               "的全部计划", "回到页面顶部"]


def pdf_text(pdf: bytes, folder: Path) -> str:
    if shutil.which("pdftotext") is None:
        reason = "pdftotext is not installed (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    path = folder / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def printed(page: Page, folder: Path) -> str:
    return pdf_text(page.pdf(format="A4", print_background=True), folder)


def test_plan_prints_with_its_disclosure_block_and_without_navigation(page: Page, site_server: Server,
                                                                      tmp_path: Path) -> None:
    page.goto(site_server.url(PLAN))
    text = printed(page, tmp_path)
    compact = "".join(text.split())
    assert [s for s in PRINTED if s not in compact] == []
    assert [s for s in NOT_PRINTED if s in compact] == []
    assert compact.index("信息公开要素") < compact.index("一、总体要求"), "the disclosure block comes first"


def test_large_text_carries_into_the_pdf(page: Page, site_server: Server, tmp_path: Path) -> None:
    page.goto(site_server.url(PLAN))
    normal = printed(page, tmp_path).count("\f")
    page.locator(".md-header").get_by_role("button", name="特大").click()
    page.locator(".md-header").get_by_role("button", name="高对比").click()
    large = printed(page, tmp_path)
    assert large.count("\f") > normal, "larger text takes more pages"
    assert "信息公开要素" in large
