"""What `planpub check` tells an author about each kind of bad plan file: which file, which line, what is wrong
and what to write instead. One corpus holds one broken file per rule and is checked once for the module."""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from planpub.cli import main
from planpub.plan import Plan, parse_plan
from planpub.schema import DEFAULT_CATEGORIES, FIELDS
from planpub.template import field_reference
from tests.conftest import AS_OF, ROOT

CONFIG = str(ROOT / "mkdocs.yml")

BASE = {
    "title": "【测试】瓯海区2024年科技工作计划",
    "year": "2024",
    "region": "浙江省/温州市/瓯海区",
    "issuer": "温州市瓯海区科学技术局",
    "category": "年度工作计划",
    "written": "2024-02-20",
}
"""A valid plan's fields. In `plan_text` they sit on lines 2–7 in this order; extra lines start at line 8."""

LINE = {key: i + 2 for i, key in enumerate(BASE)}
EXTRA = len(BASE) + 2
"""The line of the first extra field; without extra fields the body starts at this line + 1."""
BODY = EXTRA + 1


def plan_text(*extra: str, body: str = "## 一、总体要求\n\n正文。\n", **changes: str | None) -> str:
    """A plan file: BASE with `changes` (None removes a field), then the `extra` lines, then the body."""
    values = {**BASE, **changes}
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None] + list(extra)
    return "---\n" + "\n".join(lines) + "\n---\n" + body


@dataclass(frozen=True)
class Expected:
    file: str
    content: str | bytes
    line: int
    phrases: tuple[str, ...]
    severity: str = "错误"


CASES: tuple[Expected, ...] = (
    Expected("encoding-gbk.md", plan_text(body="第一行\n第二行\n").encode("utf-8") + "第三行".encode("gbk"),
             BODY + 2, ("不是 UTF-8 编码", "GBK", "另存为 UTF-8")),
    Expected("empty.md", "", 1, ("文件是空的", "---", "title:")),
    Expected("blank.md", "\n  \n\n", 1, ("文件是空的",)),
    Expected("no-front-matter.md", "# 瓯海区2024年科技工作计划\n\n正文。\n", 1, ("没有以“---”开头", "title:")),
    Expected("unclosed.md", "---\ntitle: 计划\nyear: 2024\n\n## 一、总体要求\n", 1, ("没有找到结束的“---”",)),
    Expected("yaml-quote.md", plan_text(title='"瓯海区2024年科技工作计划'), LINE["title"], ("YAML", "引号没有配对")),
    Expected("yaml-bracket.md", plan_text("topics: [科技, 创新"), EXTRA, ("YAML", "方括号没有配对", "[科技, 创新]")),
    Expected("yaml-colon.md", plan_text("summary: 目标: 创新", "keywords: [科技]"), EXTRA,
             ("YAML", "冒号", "引号")),
    Expected("yaml-tab.md", plan_text("keywords:\n\t- 科技"), EXTRA + 1, ("YAML", "制表符", "空格")),
    Expected("unknown-key.md", plan_text("yaer: 2024"), EXTRA, ("不认识的字段“yaer”", "是不是想写“year”"), "警告"),
    Expected("unknown-alias.md", plan_text("发文字: 瓯科发〔2024〕3号"), EXTRA, ("是不是想写“发文字号”",), "警告"),
    Expected("key-and-alias.md", plan_text("年度: 2024"), EXTRA,
             ("“年度”", f"第 {LINE['year']} 行的“year”", "同一个字段")),
    Expected("duplicate-key.md", plan_text("title: 另一个标题"), EXTRA, ("“title”写了两次", f"第 {LINE['title']} 行")),
    Expected("year-range.md", plan_text(year="1800"), LINE["year"], ("1800", "1949—2100", "year: 2024")),
    Expected("year-not-number.md", plan_text(year="二〇二四"), LINE["year"], ("二〇二四", "四位数字", "year: 2024")),
    Expected("period-outside.md", plan_text("period: 2021-2023"), EXTRA,
             ("2021-2023", "不包含年度 2024", "year: 2021")),
    Expected("period-malformed.md", plan_text("period: 2024到后年"), EXTRA, ("起始年-结束年", "period: 2023-2025")),
    Expected("period-reversed.md", plan_text("period: 2025-2023"), EXTRA, ("起始年晚于结束年",)),
    Expected("date-impossible.md", plan_text(written="2024-02-30"), LINE["written"],
             ("2024-02-30", "不存在", "written: 2024-02-20")),
    Expected("date-format.md", plan_text(written="2024年2月20日"), LINE["written"], ("不是日期", "YYYY-MM-DD")),
    Expected("published-before-written.md", plan_text("published: 2024-01-05"), EXTRA,
             ("2024-01-05", "早于成文日期", "published: 2024-02-20")),
    Expected("category.md", plan_text(category="年度计划"), LINE["category"],
             ("category（类别）", "“年度计划”", "是不是“年度工作计划”", "工作要点")),
    Expected("status.md", plan_text("status: 有效"), EXTRA, ("status（有效性）", "是不是“现行有效”", "已废止")),
    Expected("id-chars.md", plan_text("id: Ouhai_2024"), EXTRA, ("Ouhai_2024", "小写字母、数字和连字符", "id: ")),
    Expected("placeholder.md", plan_text(issuer="待补充"), LINE["issuer"],
             ("issuer（发文机关）", "待补充", "issuer: ")),
    Expected("code-digits.md", plan_text('region_code: "33030"'), EXTRA, ("33030", "六位数字")),
    Expected("code-unknown.md", plan_text('region_code: "339999"'), EXTRA, ("339999", "不存在")),
    Expected("code-disagrees.md", plan_text('region_code: "330381"'), EXTRA, ("330381", "不一致", "瑞安市")),
    Expected("region-ambiguous.md", plan_text(region="朝阳区"), LINE["region"],
             ("重名", "北京市/朝阳区", "吉林省/长春市/朝阳区", "region_code")),
    Expected("superseded-nowhere.md", plan_text("status: 已废止", "superseded_by: ouhai-2099-gzjh"), EXTRA + 1,
             ("ouhai-2099-gzjh", "不存在", "superseded_by: ")),
    Expected("attachment-missing.md", plan_text("attachments: [任务分解表.xlsx]"), EXTRA,
             ("任务分解表.xlsx", "不存在")),
    Expected("unsafe-script.md", plan_text(body="正文。\n\n<script>alert(1)</script>\n"), BODY + 2,
             ("<script", "发布时已删除"), "警告"),
    Expected("unsafe-onclick.md", plan_text(body='<p onclick="steal()">点击</p>\n'), BODY, ("onclick=",), "警告"),
    Expected("unsafe-javascript.md", plan_text(body="[点我](javascript:steal())\n"), BODY, ("javascript:",), "警告"),
    Expected("masked-year.md", plan_text(body="## 一、目标\n\n到20xx年底完成**重点**任务。\n"), BODY + 2,
             ("“20xx”", "被遮盖或待补充", "status: 草稿")),
    Expected("masked-place.md", plan_text(body="正文。\n\n支持XX县的企业。\n"), BODY + 2, ("“XX”",)),
    Expected("masked-placeholder.md", plan_text(body="责任单位：待补充\n"), BODY, ("“待补充”",)),
)

# Files that are each valid alone and wrong only together with another file.
PAIRS = {
    "duplicate-id-a.md": plan_text("id: shared-id"),
    "duplicate-id-b.md": plan_text("id: shared-id"),
    "alias-owner.md": plan_text("id: alias-owner", "aliases: [old-name]"),
    "alias-clash.md": plan_text("id: old-name"),
}

SUMMARY = re.compile(r"^检查未通过：\d+ 个错误，\d+ 个警告。$")
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:]+\.md):(?P<line>\d+): (?P<severity>错误|警告): (?P<message>.+)$")


@dataclass(frozen=True)
class CheckRun:
    code: int
    out: str
    err: str

    def lines_of(self, file: str) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith(f"{file}:")]


def run_check(plans_dir: Path | str, *more: str) -> CheckRun:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--config", CONFIG, "--as-of", AS_OF.isoformat(), *more, str(plans_dir)])
    return CheckRun(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad") / "plans"
    folder.mkdir()
    for case in CASES:
        data = case.content if isinstance(case.content, bytes) else case.content.encode("utf-8")
        (folder / case.file).write_bytes(data)
    for name, text in PAIRS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def checked(bad_corpus: Path) -> CheckRun:
    return run_check(bad_corpus)


def test_check_fails_with_exit_code_1_and_a_summary(checked: CheckRun) -> None:
    assert checked.code == 1
    errors = sum(1 for case in CASES if case.severity == "错误") + 2  # the two pairs report on their second file
    warnings = sum(1 for case in CASES if case.severity == "警告")
    assert checked.err.splitlines()[-1] == f"检查未通过：{errors} 个错误，{warnings} 个警告。"


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_each_bad_input_has_its_own_message_at_its_line(checked: CheckRun, case: Expected) -> None:
    reported = checked.lines_of(case.file)
    assert len(reported) == 1, f"{case.file} should produce exactly one problem, got {reported}"
    assert reported[0].startswith(f"{case.file}:{case.line}: {case.severity}: "), reported[0]
    for phrase in case.phrases:
        assert phrase in reported[0]


def test_duplicate_ids_name_both_files(checked: CheckRun) -> None:
    assert checked.lines_of("duplicate-id-a.md") == []
    [message] = checked.lines_of("duplicate-id-b.md")
    assert message.startswith(f"duplicate-id-b.md:{EXTRA}: 错误: ")
    assert "“shared-id”" in message
    assert f"duplicate-id-a.md:{EXTRA}" in message
    assert "/plans/shared-id/" in message
    assert "id: shared-id-2" in message


def test_an_id_colliding_with_another_plans_alias_names_both(checked: CheckRun) -> None:
    # Whichever of the two is read second is reported, naming the first.
    lines = {"alias-clash.md": f"alias-clash.md:{EXTRA}", "alias-owner.md": f"alias-owner.md:{EXTRA + 1}"}
    reported = checked.lines_of("alias-clash.md") + checked.lines_of("alias-owner.md")
    assert len(reported) == 1
    [message] = reported
    here, other = sorted(lines, key=lambda f: not message.startswith(f))
    assert message.startswith(f"{lines[here]}: 错误: ")
    assert lines[other] in message
    assert "曾用标识" in message and "标识（id）" in message
    assert "/plans/old-name/" in message


def test_every_output_line_is_one_chinese_problem_with_file_and_line(checked: CheckRun) -> None:
    assert "Traceback" not in checked.err + checked.out
    lines = checked.err.splitlines()
    for line in lines[:-1]:
        match = PROBLEM_LINE.match(line)
        assert match, f"not a `file:line: 错误: …` line: {line!r}"
        assert int(match["line"]) >= 1
        assert re.search(r"[\u4e00-\u9fff]", match["message"])
        assert not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", match["message"]), f"English in: {line}"
    assert SUMMARY.match(lines[-1])


def test_error_messages_show_a_valid_example_or_the_choices(checked: CheckRun) -> None:
    for line in checked.err.splitlines()[:-1]:
        if ": 错误: " in line:
            assert re.search(r"例如|可选|请", line), f"says what is wrong but not what to write: {line}"


def test_a_folder_that_does_not_exist_is_one_message_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "没有这个文件夹"
    run = run_check(missing)
    assert run.code == 1
    assert "Traceback" not in run.err
    assert f"{missing}: 错误: 计划文件夹不存在" in run.err


def test_a_missing_config_is_one_message_not_a_traceback(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--config", str(tmp_path / "mkdocs.yml"), str(tmp_path)])
    assert code != 0
    assert "Traceback" not in err.getvalue()
    assert f"{tmp_path / 'mkdocs.yml'}: 错误: 找不到站点配置文件 mkdocs.yml" in err.getvalue()


def test_a_file_that_cannot_be_read_is_reported_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "locked.md").write_text(plan_text(), encoding="utf-8")
    (folder / "ok.md").write_text(plan_text("id: ok"), encoding="utf-8")
    real_open = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        # Tests run as root, for whom no permission bit stops a read.
        if str(path).endswith("locked.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    run = run_check(folder)
    assert "Traceback" not in run.err
    assert run.code == 1
    assert "locked.md: 错误: 无法读取文件：Permission denied" in run.err


def test_a_folder_named_like_a_plan_is_read_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    (folder / "a-folder-named-like-a-plan.md").mkdir(parents=True)
    (folder / "a-folder-named-like-a-plan.md" / "inside.md").write_text(plan_text(), encoding="utf-8")
    run = run_check(folder)
    assert (run.code, run.err) == (0, "")
    assert "检查通过：1 件计划将公开" in run.out


# Parsing one file


def parse(text: str, source: str = "wenzhou-ouhai/2024-gzjh.md") -> tuple[Plan | None, list[str]]:
    plan, problems = parse_plan(source, text, DEFAULT_CATEGORIES)
    return plan, [str(p) for p in problems]


ENGLISH = """---
id: ouhai-kjj-2024-gzjh
title: 【测试】瓯海区2024年科技工作计划
year: 2023
period: 2023-2025
region: 浙江省/温州市/瓯海区
region_code: "330304"
issuer: 温州市瓯海区科学技术局
category: 三年行动计划
doc_number: 瓯科发〔2023〕3号
index_no: 001008003012/2023-00012
written: 2023-02-20
published: 2023-02-26
status: 已修订
superseded_by: ouhai-kjj-2024-gzjh-xd
topics: [科技, 创新]
keywords: [高新技术企业, 科技特派员]
summary: 部署全区科技创新重点工作。
aliases: [2023-ou-hai]
---
## 一、总体要求

正文。
"""


def test_a_plan_written_with_the_chinese_keys_is_the_same_plan() -> None:
    chinese = ENGLISH
    for spec in FIELDS:
        chinese = re.sub(rf"^{spec.key}:", f"{spec.alias}:", chinese, flags=re.MULTILINE)
    assert "year:" not in chinese
    assert "年度: 2023" in chinese
    english_plan, english_problems = parse(ENGLISH)
    chinese_plan, chinese_problems = parse(chinese)
    assert english_problems == chinese_problems == []
    assert english_plan is not None
    assert chinese_plan == english_plan
    assert chinese_plan.period == (2023, 2025)
    assert chinese_plan.topics == ("科技", "创新")


def test_defaults_published_from_written_and_status_current() -> None:
    plan, problems = parse(plan_text())
    assert problems == []
    assert plan is not None
    assert plan.published == plan.written
    assert plan.status == "现行有效"


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    plan, problems = parse("\ufeff" + plan_text())
    assert problems == []
    assert plan is not None


def test_without_an_id_the_id_is_the_pinyin_of_the_path() -> None:
    text = plan_text()
    plan, _ = parse(text, "瓯海区/2024年科技工作计划.md")
    again, _ = parse(text, "瓯海区/2024年科技工作计划.md")
    renamed, _ = parse(text, "瓯海区/2024年科技工作要点.md")
    assert plan is not None and again is not None and renamed is not None
    assert plan.id == again.id == "ou-hai-qu-2024-nian-ke-ji-gong-zuo-ji-hua"
    assert not plan.id_declared
    assert renamed.id == "ou-hai-qu-2024-nian-ke-ji-gong-zuo-yao-dian"


def test_full_width_digits_in_a_file_name_stay_in_the_derived_id() -> None:
    plan_2024, _ = parse(plan_text(), "２０２４年计划.md")
    plan_2025, _ = parse(plan_text(), "２０２５年计划.md")
    assert plan_2024 is not None and plan_2025 is not None
    assert (plan_2024.id, plan_2025.id) == ("2024-nian-ji-hua", "2025-nian-ji-hua")


def test_a_declared_id_is_kept() -> None:
    plan, _ = parse(plan_text("id: ouhai-kjj-2024-gzjh"), "瓯海区/随便什么名字.md")
    assert plan is not None
    assert (plan.id, plan.id_declared) == ("ouhai-kjj-2024-gzjh", True)


@pytest.mark.parametrize("value", ["2024-02-20", "2024-02-20 09:30", "2024-02-20T09:30:00"])
def test_dates_may_carry_a_time_of_day(value: str) -> None:
    plan, problems = parse(plan_text(written=value))
    assert problems == []
    assert plan is not None and plan.written is not None
    assert plan.written.isoformat() == "2024-02-20"


def test_a_placeholder_in_an_optional_field_is_allowed() -> None:
    plan, problems = parse(plan_text("doc_number: 待补充"))
    assert problems == []
    assert plan is not None


def test_a_custom_category_list_is_used() -> None:
    plan, problems = parse_plan("a.md", plan_text(category="科技专项"), ("科技专项", "工作要点"))
    assert plan is not None and problems == []
    plan, problems = parse_plan("a.md", plan_text(), ("科技专项", "工作要点"))
    assert plan is None
    assert "可选：科技专项、工作要点" in str(problems[0])


def test_an_explicit_yaml_tag_that_fails_is_a_message() -> None:
    plan, problems = parse(plan_text(year="!!int 二〇二四"))
    assert plan is None
    assert len(problems) == 1 and "!!" in problems[0]


def test_the_readme_has_the_field_reference_generated_from_the_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert field_reference() in readme, "README 的字段表与 schema 不一致：用 python -m planpub.template 重新生成"


@pytest.fixture
def plans_with_attachments(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    (root / "ouhai").mkdir(parents=True)
    (root / "ouhai" / "任务分解表.csv").write_text("任务,单位\n", encoding="utf-8")
    (root / "shared.csv").write_text("共用\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("机器上的其他文件\n", encoding="utf-8")
    return root


def parse_in(root: Path, relative: str, *extra: str) -> tuple[Plan | None, list[str]]:
    path = root / relative
    plan, problems = parse_plan(relative, plan_text(*extra), DEFAULT_CATEGORIES, path.parent)
    return plan, [str(p) for p in problems]


def test_an_attachment_beside_the_plan_or_elsewhere_in_the_plans_folder_is_accepted(
        plans_with_attachments: Path) -> None:
    plan, problems = parse_in(plans_with_attachments, "ouhai/2024.md",
                              "attachments: [{file: 任务分解表.csv, title: 任务分解表}, ../shared.csv]")
    assert problems == []
    assert plan is not None
    assert [(a.file, a.title) for a in plan.attachments] == [
        ("任务分解表.csv", "任务分解表"), ("../shared.csv", "shared")]


@pytest.mark.parametrize("outside", ["../../secret.txt", "/etc/hostname"])
def test_an_attachment_outside_the_plans_folder_is_refused(plans_with_attachments: Path, outside: str) -> None:
    plan, problems = parse_in(plans_with_attachments, "ouhai/2024.md", f"attachments: [{outside}]")
    assert plan is None
    [message] = problems
    assert message.startswith(f"ouhai/2024.md:{EXTRA}: 错误: ")
    assert "计划文件夹之外" in message and "attachments: [" in message


def test_masked_text_is_refused_only_where_it_would_be_published() -> None:
    body = "## 一、目标\n\n到20××年，某区建成【X】个平台。\n"
    _, problems = parse(plan_text(body=body))
    assert [p.split("“", 1)[1].split("”", 1)[0] for p in problems] == ["20××", "某区", "【X】"]
    assert all(f".md:{BODY + 2}:" in p for p in problems)
    # A draft is not published; emphasis, code and link targets are not masks.
    assert parse(plan_text("status: 草稿", body=body))[1] == []
    plan, problems = parse(plan_text(body="**重点** 与 \\*号。\n\n```\nxx = 20xx\n```\n\n[网站](https://xx.example/)\n"))
    assert problems == [] and plan is not None
