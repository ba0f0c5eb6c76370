"""Split a plan file into YAML front matter and Markdown body, keeping line numbers for messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from planpub.problems import PlanpubError, Problem, error

# One line, because `check` prints one line per problem.
EXAMPLE = ("请在第 1 行写“---”，接着每行写一个字段（title: 瓯海区科技局2024年科技工作计划、year: 2024、"
           "region: 浙江省/温州市/瓯海区、issuer: 温州市瓯海区科学技术局、category: 年度工作计划），"
           "再单独写一行“---”，下面是正文。也可以运行 planpub new 生成一个")


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


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser (an order of magnitude faster; thousands of plans are read on every build) that leaves
    dates as text: YAML's own date conversion raises a bare ValueError on `2024-02-30`, and `planpub.plan`
    reads dates itself so that such a date gets a message naming the field."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for key line numbers) and the values, from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


# What libyaml reports (English) → what the author should do, and whether the line where the construct began
# (an unclosed quote or bracket) says more than the line where the parser gave up.
_YAML_HINTS: tuple[tuple[str, str, bool], ...] = (
    ("tab", "用了制表符（Tab）缩进。YAML 只能用空格缩进，请把 Tab 换成空格", False),
    ("quoted scalar", "引号没有配对：这一行的值以引号开头，却没有对应的结束引号。请补上引号，或去掉开头的引号", True),
    ("flow sequence", "方括号没有配对：这一行的“[”没有对应的“]”。请补上“]”，例如 topics: [科技, 创新]", True),
    ("flow mapping", "花括号没有配对：这一行的“{”没有对应的“}”。请补上“}”，例如 attachments: [{file: 附件1.pdf}]",
     True),
    ("mapping values are not allowed", "这一行多了一个冒号，或者缩进不对。字段都顶格写；值里有冒号时用引号括起来，"
                                       "例如 title: \"计划：2024\"", False),
    ("cannot start any token", "值以 @、` 或 % 等符号开头，YAML 不允许。请把值用引号括起来，例如 doc_number: \"@1号\"",
     False),
    ("undefined alias", "值以 * 开头，YAML 把它当成引用。请把值用引号括起来，例如 summary: \"*重点*\"", False),
    ("expected key", "这一行不是“字段: 值”的形式。请写成 字段: 值，冒号后加空格", False),
    ("expected '-' indicator", "列表和字段混在一起了。请把每一行写成 字段: 值，列表写在一行里，"
                               "例如 topics: [科技, 创新]", False),
)
_YAML_DEFAULT_HINT = ("请检查这一行：每行写成“字段: 值”，冒号后加空格；"
                      "值里有冒号或 # 时用引号括起来，例如 title: \"计划：2024\"")


def _yaml_problem(path: str, exc: yaml.YAMLError, yaml_text: str) -> Problem:
    """The file line and a Chinese explanation of a YAML syntax error; the front matter starts on file line 2."""
    problem = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    context_mark = getattr(exc, "context_mark", None)
    problem_mark = getattr(exc, "problem_mark", None)
    if problem_mark is not None:
        # libyaml does not name the character it stopped at; a tab in the indentation is the usual culprit.
        lines = yaml_text.splitlines()
        text = lines[problem_mark.line] if problem_mark.line < len(lines) else ""
        if "\t" in text[: len(text) - len(text.lstrip())]:
            problem = "tab"
    hint, use_context = next(((h, c) for needle, h, c in _YAML_HINTS if needle in problem), (_YAML_DEFAULT_HINT, False))
    mark = (context_mark if use_context else None) or problem_mark or context_mark
    line = mark.line + 2 if mark is not None else 2
    return error(path, line, f"头信息不是有效的 YAML：{hint}。")


def split(path: str, text: str) -> FrontMatter:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise PlanpubError("空文件", [error(path, 1, f"文件是空的。计划文件以 YAML 头信息开头。{EXAMPLE}。")])
    lines = text.splitlines()
    if lines[0].strip() != "---":
        raise PlanpubError("缺少头信息", [error(
            path, 1, "文件没有以“---”开头的 YAML 头信息，无法知道标题、年度和地区。"
                     f"{EXAMPLE}。")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise PlanpubError("头信息未结束", [error(
            path, 1, "头信息以“---”开始，但没有找到结束的“---”行。请在最后一个字段后单独写一行“---”。")]) from None
    yaml_text = "\n".join(lines[1:end])
    try:
        node, values = _load(yaml_text)
    except yaml.YAMLError as exc:
        raise PlanpubError("头信息格式错误", [_yaml_problem(path, exc, yaml_text)]) from None
    except ValueError:
        # Only an explicit tag such as `!!int abc` gets here; plain values never fail to convert.
        raise PlanpubError("头信息格式错误", [error(
            path, 2, "头信息里有无法转换的 YAML 标记（以 !! 开头的写法）。"
                     "请删去“!!…”，直接写值，例如 year: 2024。")]) from None
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
                                                  "请删去其中一个。"))
            key_lines.setdefault(key, line)
    return FrontMatter(
        values={str(k): v for k, v in values.items()},
        key_lines=key_lines,
        body="\n".join(lines[end + 1:]) + ("\n" if text.endswith("\n") else ""),
        body_line=end + 2,
        problems=problems,
    )
