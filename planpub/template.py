"""The new-plan template and the author's field reference, both derived from the schema."""

from __future__ import annotations

import json

from planpub.schema import FIELDS, Field

PROMPT_MARK = "【待填写】"
"""Starts every prompt of the new-plan body, so that `check` refuses a public plan that still holds one."""

BODY_SKELETON = f"""
## 一、总体要求

{PROMPT_MARK}写指导思想和基本原则。

## 二、主要目标

{PROMPT_MARK}写量化目标，例如：全年新增高新技术企业 20 家。

## 三、重点任务

### （一）{PROMPT_MARK}第一项任务的名称

1. {PROMPT_MARK}具体措施。

## 四、保障措施

{PROMPT_MARK}写组织领导、经费和督查安排。
"""


def _yaml_value(value: str) -> str:
    # JSON strings are valid YAML scalars and survive any characters an author types.
    return value if value.isdigit() else json.dumps(value, ensure_ascii=False)


def render_new_plan(values: dict[str, str]) -> str:
    """A plan file with the given values; template fields without a value and optional fields are
    written as comments, each with its Chinese name and an example, so the author sees what is possible."""
    lines = ["---"]
    for spec in FIELDS:
        if spec.key in values:
            lines.append(f"{spec.key}: {_yaml_value(values[spec.key])}  # {spec.alias}")
        else:
            lines.append(f"# {spec.key}: {spec.example}  # {spec.alias}（{'必填' if spec.required else '可选'}）")
    lines.append("---")
    return "\n".join(lines) + "\n" + BODY_SKELETON


def _rule(spec: Field) -> str:
    text = spec.help
    if spec.choices and spec.key != "category":
        text += f" 可选：{'、'.join(spec.choices)}。"
    if spec.default:
        text += f" 缺省：{spec.default}。"
    return text


def field_reference() -> str:
    """The front-matter reference for the README, as a Markdown table."""
    rows = ["| 字段 | 中文别名 | 必填 | 类型 | 说明 | 示例 |", "|---|---|---|---|---|---|"]
    for spec in FIELDS:
        rows.append(f"| `{spec.key}` | `{spec.alias}` | {'是' if spec.required else '否'} | {spec.kind.value} | "
                    f"{_rule(spec)} | `{spec.key}: {spec.example}` |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(field_reference(), end="")
