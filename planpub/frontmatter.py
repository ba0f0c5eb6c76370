"""Split a plan file into YAML front matter and Markdown body, keeping line numbers for messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from planpub.problems import PlanpubError, Problem, error

EXAMPLE = "---\ntitle: 瓯海区科技局2024年科技工作计划\nyear: 2024\n...\n---\n正文……"


@dataclass
class FrontMatter:
    values: dict[str, Any]
    key_lines: dict[str, int]
    """1-based line in the file of each top-level key."""
    body: str
    body_line: int
    """1-based line in the file where the body starts."""
    problems: list[Problem] = field(default_factory=list)


def decode(path: str, data: bytes) -> str:
    """UTF-8 (with or without BOM) or a PlanpubError naming the line of the first undecodable byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanpubError(
            "文件不是 UTF-8 编码",
            [error(path, line, "文件不是 UTF-8 编码（多半是 GBK/GB18030）。请在编辑器中“另存为 UTF-8”，"
                               "或用 planpub import 导入，它会识别编码并转换。")],
        ) from None


# libyaml's parser is an order of magnitude faster; thousands of plans are read on every build.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for key line numbers) and the values, from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def split(path: str, text: str) -> FrontMatter:
    if not text.strip():
        raise PlanpubError("空文件", [error(path, 1, f"文件是空的。计划文件以 YAML 头信息开头，例如：\n{EXAMPLE}")])
    lines = text.splitlines()
    if lines[0].strip() != "---":
        raise PlanpubError("缺少头信息", [error(
            path, 1, f"文件没有以“---”开头的 YAML 头信息，无法知道标题、年度和地区。请在第 1 行加上：\n{EXAMPLE}")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise PlanpubError("头信息未结束", [error(
            path, 1, "头信息以“---”开始，但没有找到结束的“---”行。请在最后一个字段后单独写一行“---”。")]) from None
    yaml_text = "\n".join(lines[1:end])
    try:
        node, values = _load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        raise PlanpubError("头信息格式错误", [error(
            path, line, "头信息不是有效的 YAML。每行写成“字段: 值”，冒号后加空格；"
                        "值里有冒号或 # 时用引号括起来，例如 title: \"计划：2024\"。")]) from None
    if values is None:
        values, node = {}, None
    if not isinstance(values, dict) or (node is not None and not isinstance(node, yaml.MappingNode)):
        raise PlanpubError("头信息不是字段表", [error(
            path, 2, "头信息应当是“字段: 值”的列表，例如 title: 瓯海区科技局2024年科技工作计划。")])
    key_lines: dict[str, int] = {}
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 2
            if key in key_lines:
                problems.append(error(path, line, f"字段“{key}”写了两次（另一次在第 {key_lines[key]} 行），"
                                                  "只保留一个。"))
            key_lines.setdefault(key, line)
    return FrontMatter(
        values={str(k): v for k, v in values.items()},
        key_lines=key_lines,
        body="\n".join(lines[end + 1:]) + ("\n" if text.endswith("\n") else ""),
        body_line=end + 2,
        problems=problems,
    )
