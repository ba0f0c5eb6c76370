"""Split a plan file into YAML front matter and Markdown body, keeping line numbers for messages.

Front matter is hostile input. It is read from libyaml's parse events, never through PyYAML's constructors:
every value is text, a list or a mapping of those, so no YAML tag (`!!binary`, `!!python/…`), anchor or alias
can build anything, and a billion-laughs alias bomb is refused before it is expanded. A line that YAML cannot read
costs only its own field: the field is reported and the rest of the front matter is read without it, so that an
author sees every mistake of a file in one run.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from planpub.problems import PlanpubError, Problem, error

# One line, because `check` prints one line per problem.
EXAMPLE = ("请在第 1 行写“---”，接着每行写一个字段（title: 瓯海区科技局2024年科技工作计划、year: 2024、"
           "region: 浙江省/温州市/瓯海区、issuer: 温州市瓯海区科学技术局、category: 年度工作计划），"
           "再单独写一行“---”，下面是正文。也可以运行 planpub new 生成一个")

Value = str | list["Value"] | dict[str, "Value"]

# How deeply front matter may nest lists and mappings (`attachments: [{file: …}]` is 3 deep).
MAX_DEPTH = 6
MAX_KEYS = 200
# How many unreadable fields of one file are reported before reading it stops.
MAX_BROKEN_FIELDS = 20


@dataclass
class FrontMatter:
    values: dict[str, Any]
    key_lines: dict[str, int]
    """1-based line in the file of each top-level key."""
    body: str
    body_line: int
    """1-based line in the file where the body starts."""
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    """Top-level names (as written) whose lines could not be read; they are reported already, and must not also
    be reported as missing."""
    gave_up: bool = False
    """True when the front matter could not be read at all: every field may be on an unreadable line."""


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


# Characters no plan means to contain: C0 and C1 controls but tab, line feed and carriage return; the line and
# paragraph separators (Python and YAML break lines at them where an editor shows none, which would put every
# message after them on the wrong line); Unicode noncharacters; lone surrogates.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
_MAX_CHARACTER_PROBLEMS = 10


def _character_name(char: str) -> str:
    code = ord(char)
    if char == "\x0b":
        return "U+000B 垂直制表符（多半是从 Word 复制来的手动换行）"
    if char == "\x0c":
        return "U+000C 换页符"
    if char == "\x00":
        return "U+0000 空字符"
    if char in "\u2028\u2029":
        return f"U+{code:04X} {'行' if char == chr(0x2028) else '段'}分隔符（编辑器里看不见的换行）"
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} 孤立的代理码位（不是有效的字符）"
    if unicodedata.category(char) == "Cc":
        return f"U+{code:04X} 控制字符"
    return f"U+{code:04X} 非字符（Unicode 保留不用的码位）"


def character_problems(path: str, text: str) -> list[Problem]:
    """One error per line holding a forbidden character, with its line and what it is."""
    if not FORBIDDEN_CHARACTERS.search(text):
        return []
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = FORBIDDEN_CHARACTERS.search(line)
        if not match:
            continue
        if len(problems) == _MAX_CHARACTER_PROBLEMS:
            rest = sum(1 for other in text.split("\n")[number - 1:] if FORBIDDEN_CHARACTERS.search(other))
            problems.append(error(path, number, f"从这一行起还有 {rest} 行含有不可见的控制字符，请一并删除。"))
            break
        name = _character_name(match.group())
        problems.append(error(path, number, f"第 {match.start() + 1} 个字符是看不见的字符 {name}，"
                                            "请删除它（需要换行就直接回车，需要空格就写空格）。"))
    return problems


def without_forbidden(text: str) -> str:
    """The text with its forbidden characters removed (they are reported by `character_problems`), so that the
    lines stay the lines the author's editor shows and YAML reads the rest."""
    return FORBIDDEN_CHARACTERS.sub("", text) if FORBIDDEN_CHARACTERS.search(text) else text


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser: an order of magnitude faster, and thousands of plans are read on every build."""


def shown(value: object, limit: int = 40) -> str:
    """A value as a message quotes it: short, so that a huge value does not become a huge message."""
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


# What libyaml reports (English) → what the author should do, and whether the line where the construct began
# (an unclosed quote or bracket) says more than the line where the parser gave up.
_YAML_HINTS: tuple[tuple[str, str, bool], ...] = (
    ("tab", "用了制表符（Tab）缩进。YAML 只能用空格缩进，请把 Tab 换成空格", False),
    ("quoted scalar", "引号没有配对：这一行的值以引号开头，却没有对应的结束引号。请补上引号，或去掉开头的引号", True),
    ("maximum nesting depth", f"括号套得太深。头信息里的列表最多套 {MAX_DEPTH} 层，例如 topics: [科技, 创新]", False),
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


def _yaml_problem(path: str, exc: yaml.YAMLError, yaml_lines: list[str]) -> tuple[Problem, int]:
    """A Chinese explanation of a YAML syntax error, and the 0-based front-matter line it is about."""
    problem = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    context_mark = getattr(exc, "context_mark", None)
    problem_mark = getattr(exc, "problem_mark", None)
    if problem_mark is not None:
        # libyaml does not name the character it stopped at; a tab in the indentation is the usual culprit.
        text = yaml_lines[problem_mark.line] if problem_mark.line < len(yaml_lines) else ""
        if "\t" in text[: len(text) - len(text.lstrip())]:
            problem = "tab"
    hint, use_context = next(((h, c) for needle, h, c in _YAML_HINTS if needle in problem), (_YAML_DEFAULT_HINT, False))
    mark = (context_mark if use_context else None) or problem_mark or context_mark
    index = min(mark.line, max(len(yaml_lines) - 1, 0)) if mark is not None else 0
    return error(path, index + 2, f"头信息不是有效的 YAML：{hint}。"), index


class _Refused(Exception):
    """A construct front matter may not use; reading goes on without the top-level field that holds it."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


def _event_line(event: yaml.Event) -> int:
    mark = event.start_mark
    return int(mark.line) if mark is not None else 0


def _refusal(event: yaml.Event) -> str | None:
    if isinstance(event, yaml.AliasEvent):
        return (f"“*{shown(event.anchor, 20)}”是 YAML 的引用，头信息里不能用。请直接写出值；"
                "值本身以 * 开头时用引号括起来，例如 summary: \"*重点*\"")
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        return (f"“&{shown(anchor, 20)}”是 YAML 的锚点，头信息里不能用。请删去“&{shown(anchor, 20)}”；"
                "值本身以 & 开头时用引号括起来，例如 summary: \"&重点\"")
    tag = getattr(event, "tag", None)
    if tag is not None:
        written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
        return (f"“{shown(written, 30)}”是 YAML 的类型标记，头信息里不能用。请删去“{shown(written, 30)}”，"
                "直接写值，例如 year: 2024；值本身以 ! 开头时用引号括起来")
    return None


@dataclass
class _Parsed:
    values: dict[str, Value]
    key_lines: dict[str, int]
    """0-based front-matter line of each top-level key (its first occurrence)."""
    problems: list[tuple[int, str]]
    """0-based front-matter line and message of constructs that were refused."""
    refused: set[str]
    repeats: list[tuple[str, int]] = field(default_factory=list)
    """Top-level keys written again, and the 0-based line of each repetition."""
    not_a_mapping: bool = False


def _parse(yaml_text: str) -> _Parsed:
    """The front matter's values as text, lists and mappings, straight from the parser's events.

    A refused construct (tag, anchor, alias, too deep, a list as a key, a repeated key inside a value) drops the
    top-level field that holds it; the parse goes on. Raises yaml.YAMLError on a syntax error."""
    result = _Parsed({}, {}, [], set())
    stack: list[Any] = []
    pending: list[str | None] = []
    """For each open mapping, the key waiting for its value (None when a key comes next)."""
    top_key: str | None = None
    root_seen = False
    documents = 0
    for event in yaml.parse(yaml_text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                # A second YAML document (a line such as `--- !tag`): its values would be read as the first's.
                result.problems.append((_event_line(event), "头信息里又出现了以“---”开头的一行。头信息只有一段：请删去"
                                                           "这一行；它若是要结束头信息，就只写“---”三个字符"))
                break
            continue
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
            if isinstance(event, yaml.MappingEndEvent):
                pending.pop()
            continue
        line = _event_line(event)
        refusal = _refusal(event)
        if not stack:
            if root_seen:
                continue
            root_seen = True
            if isinstance(event, yaml.ScalarEvent) and event.value == "" and refusal is None:
                continue  # nothing between the two `---` lines
            if not isinstance(event, yaml.MappingStartEvent) or refusal is not None:
                result.not_a_mapping = True
                return result
            stack.append(result.values)
            pending.append(None)
            continue
        parent = stack[-1]
        depth = len(stack)
        is_key = isinstance(parent, dict) and pending[-1] is None
        value: Any = event.value if isinstance(event, yaml.ScalarEvent) else (
            [] if isinstance(event, yaml.SequenceStartEvent) else {} if isinstance(event, yaml.MappingStartEvent)
            else "")
        if refusal is None and depth >= MAX_DEPTH and not isinstance(value, str):
            refusal = f"列表或字段表套得太深（超过 {MAX_DEPTH} 层）。请写成 topics: [科技, 创新] 这样的一层列表"
        if refusal is None and is_key and not isinstance(value, str):
            refusal = "字段名应当是文字，这里却是列表或字段表。请写成“字段: 值”"
        key = value if isinstance(value, str) else ""
        if is_key and depth == 1:
            top_key = key
            if key in result.key_lines:
                result.repeats.append((key, line))
            else:
                result.key_lines[key] = line
        elif is_key and key in parent and refusal is None:
            refusal = f"“{shown(key, 20)}”在同一项里写了两次，请删去其中一个"
        if refusal is not None:
            result.problems.append((line, refusal))
            if top_key is not None:
                result.refused.add(top_key)
        if is_key:
            pending[-1] = key
        elif isinstance(parent, list):
            parent.append(value)
        else:
            owner = pending[-1] or ""
            pending[-1] = None
            if owner not in parent:
                parent[owner] = value
        if not isinstance(value, str):
            stack.append(value)
            if isinstance(value, dict):
                pending.append(None)
    for key in result.refused:
        result.values.pop(key, None)
    return result


# A top-level line whose key ends with a full-width colon (`年度：2023`) or with a colon not followed by a space
# (`年度:2023`): YAML reads either as a field name without a value and reports the next line.
_COLON_SLIP = re.compile(r"^(?P<key>[^\s#:：\-?\[\]{}&*!|>'\"%@`,][^\s:：]{0,30})[ \t]*(?P<colon>：|:(?=[^\s]))"
                         r"[ \t]*(?P<value>.*)$")


def _colon_slips(path: str, lines: list[str]) -> list[Problem]:
    """Reports, and mends in `lines` so that the other fields are still read, each top-level `key：value`."""
    problems = []
    for index, line in enumerate(lines):
        if not line or line[0] in " \t#-":
            continue
        if ": " in line or line.endswith(":"):
            first_colon = min((i for i in (line.find(":"), line.find("：")) if i >= 0), default=-1)
            if first_colon < 0 or line[first_colon] == ":":
                continue
        match = _COLON_SLIP.match(line)
        if not match:
            continue
        key, value = match.group("key"), match.group("value")
        example = f"{key}: {shown(value, 30)}" if value else f"{key}: 值"
        if match.group("colon") == "：":
            message = f"“{key}”后面是全角冒号“：”。请把全角冒号“：”改成半角冒号“: ”（冒号后加空格），例如：{example}"
        else:
            message = f"“{key}”后面的冒号后少了空格，YAML 读不出这个字段。请在冒号后加一个空格，例如：{example}"
        problems.append(error(path, index + 2, message))
        lines[index] = f"{key}: {value}"
    return problems


def _entry_span(lines: list[str], index: int) -> range:
    """The lines of the top-level field that holds line `index`: from its key line to the next key line."""
    def starts_entry(i: int) -> bool:
        text = lines[i]
        return bool(text) and text[0] not in " \t#"

    start = index
    while start > 0 and not starts_entry(start):
        start -= 1
    end = index + 1
    while end < len(lines) and not starts_entry(end):
        end += 1
    return range(start, end)


def _entry_name(line: str) -> str:
    for colon in (": ", "：", ":"):
        if colon in line:
            return line.split(colon, 1)[0].strip().strip("\"'")
    return line.strip()


def _read_values(path: str, lines: list[str], problems: list[Problem]) -> tuple[_Parsed | None, set[str]]:
    """Parses the front matter, dropping each field YAML cannot read (after reporting it) and trying again."""
    unreadable: set[str] = set()
    for _ in range(MAX_BROKEN_FIELDS):
        try:
            parsed = _parse("\n".join(lines))
        except yaml.YAMLError as exc:
            problem, index = _yaml_problem(path, exc, lines)
            problems.append(problem)
            span = _entry_span(lines, index) if lines else range(0)
            if not any(lines[i].strip() for i in span):
                return None, unreadable
            unreadable.add(_entry_name(lines[span.start]))
            for i in span:
                lines[i] = ""
            continue
        for index, message in dict.fromkeys(parsed.problems):
            problems.append(error(path, index + 2, message + "。"))
        return parsed, unreadable | parsed.refused
    return None, unreadable


def split(path: str, text: str) -> FrontMatter:
    text = text.removeprefix("\ufeff")
    character_errors = character_problems(path, text)
    text = without_forbidden(text)
    if not text.strip():
        raise PlanpubError("空文件", [error(path, 1, f"文件是空的。计划文件以 YAML 头信息开头。{EXAMPLE}。"),
                                   *character_errors])
    lines = text.splitlines()
    if lines[0].strip() != "---":
        raise PlanpubError("缺少头信息", [error(
            path, 1, "文件没有以“---”开头的 YAML 头信息，无法知道标题、年度和地区。"
                     f"{EXAMPLE}。"), *character_errors])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise PlanpubError("头信息未结束", [error(
            path, 1, "头信息以“---”开始，但没有找到结束的“---”行。请在最后一个字段后单独写一行“---”。"),
            *character_errors]) from None
    yaml_lines = lines[1:end]
    problems = [*character_errors, *_colon_slips(path, yaml_lines)]
    parsed, unreadable = _read_values(path, yaml_lines, problems)
    if parsed is not None and parsed.not_a_mapping:
        problems.append(error(path, 2, "头信息应当是“字段: 值”的列表，例如 title: 瓯海区科技局2024年科技工作计划。"))
        parsed = None
    key_lines: dict[str, int] = {}
    values: dict[str, Any] = {}
    if parsed is not None:
        values = parsed.values
        key_lines = {key: line + 2 for key, line in parsed.key_lines.items()}
        if len(key_lines) > MAX_KEYS:
            problems.append(error(path, 2, f"头信息有 {len(key_lines)} 个字段，超过上限 {MAX_KEYS}。"
                                           "计划只需要 README“头信息字段”一节里的字段，请删去其余的。"))
            values = {}
        for name, line in parsed.repeats:
            first = key_lines[name]
            problems.append(error(path, line + 2, f"字段“{shown(name, 30)}”写了两次（另一次在第 {first} 行），"
                                                  "请删去其中一个。"))
    return FrontMatter(
        values=values,
        key_lines=key_lines,
        body="\n".join(lines[end + 1:]) + ("\n" if text.endswith("\n") else ""),
        body_line=end + 2,
        problems=problems,
        unreadable=unreadable,
        gave_up=parsed is None,
    )

