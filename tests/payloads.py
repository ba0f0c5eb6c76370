"""Plans written to run script on the published site, in every place plan text reaches a page. Shared by the
sanitizer's unit tests and the browser test that loads every page built from them."""

from __future__ import annotations

import json
from pathlib import Path

BODY_PAYLOADS = (
    "## 一、总体要求 {onfocus=alert(1) autofocus}",
    "段落文字。\n{: onclick=alert(2) style=position:fixed;top:0;left:0;width:100%;height:100% }",
    "![图](x.png){onerror=alert(3)}",
    "## 二、重点任务 {id='a\" autofocus onfocus=alert(document.domain) x=\"'}",
    "## 三、保障措施 {: #baozhang .pp-x onclick=alert(4) }",
    "### 引号\"标题'<b>粗</b> {#q\"id}",
    "<svg onload=alert(5)></svg>",
    '<a href="jAvAsCrIpT:alert(6)">链接一</a>',
    "<img src=x onerror=alert(7)>",
    "[链接二](javascript:alert(8))",
    "[链接三](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)",
    "[链接四](java&#115;cript:alert(10))",
    "[链接五][ref]\n\n[ref]: javascript:alert(11)",
    "<javascript:alert(12)>",
    "| 任务 | 单位 |\n|---|---|\n| 一 | 科技局 |\n{: onmouseover=alert(13) }",
    "- 第一项\n{: onclick=alert(14) }\n- 第二项",
    "<details open ontoggle=alert(15)><summary>展开</summary>内容</details>",
    "<script>alert(16)</script>",
    '<div style="position:fixed;inset:0" onmouseover="alert(17)">覆盖</div>',
    "<iframe src=\"javascript:alert(18)\"></iframe>",
    "<form action=javascript:alert(19)><input autofocus onfocus=alert(19)></form>",
    "#### 标题<img src=x onerror=alert(20)>",
    "<math><mi xlink:href=\"javascript:alert(21)\">x</mi></math>",
    "<object data=\"javascript:alert(22)\"></object><embed src=\"javascript:alert(22)\">",
)

SCRIPT = "<script>alert('t')</script>"
HOSTILE_REGION = '<img src=x onerror=alert(1)>&"区"'
"""A region below the county written by the author, as development zones are."""


def payload_plan(number: int, body: str, *, title: str = "", issuer: str = "", summary: str = "",
                 keywords: str = "", doc_number: str = "", region: str = "浙江省/温州市/瓯海区") -> str:
    front: dict[str, object] = {
        "id": f"xss-{number:02d}",
        "title": title or f"测试计划{number}",
        "year": 2024,
        "region": region,
        "issuer": issuer or "温州市瓯海区科学技术局",
        "category": "年度工作计划",
        "written": "2024-02-20",
    }
    if summary:
        front["summary"] = summary
    if keywords:
        front["keywords"] = [keywords]
    if doc_number:
        front["doc_number"] = doc_number
    # JSON values are YAML too, and quote every character a payload may hold.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n## 前言\n\n正文。\n\n" + body + "\n"


def write_payload_plans(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, body in enumerate(BODY_PAYLOADS, 1):
        (folder / f"xss-{number:02d}.md").write_text(payload_plan(number, body), encoding="utf-8")
    number = len(BODY_PAYLOADS) + 1
    (folder / f"xss-{number:02d}.md").write_text(payload_plan(
        number, "## 正文\n\n文字。", title=f"标题{SCRIPT}&amp;\"引号\"<b>", issuer=f"机关{SCRIPT}",
        summary=f"概述{SCRIPT}<img src=x onerror=alert(1)>", keywords=f"关键词{SCRIPT}",
        doc_number="文号<svg onload=alert(1)>", region=f"浙江省/温州市/瓯海区/{HOSTILE_REGION}"), encoding="utf-8")
    return folder
