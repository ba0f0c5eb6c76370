"""Hostile or mistaken plan files: each gets a message at its line saying what to write, never a traceback, a
hang, a silent acceptance or a file of one plan published through another.

Inputs that once hung run in a subprocess with a generous timeout: the timeout guards against a hang and says
nothing about speed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planpub import frontmatter
from planpub.catalog import load_catalog, scan_plan_files
from planpub.plan import MAX_NESTING, parse_plan
from planpub.schema import DEFAULT_CATEGORIES
from tests.conftest import AS_OF, ROOT
from tests.test_plan import BODY, EXTRA, LINE, plan_text, run_check

HANG_GUARD = 60


def problems_of(text: str, source: str = "a.md") -> list[str]:
    return [str(p) for p in parse_plan(source, text, DEFAULT_CATEGORIES)[1]]


def only_error(text: str, line: int, *phrases: str) -> str:
    """The one error of `text`, at `line`, containing every phrase; returns it."""
    plan, problems = parse_plan("a.md", text, DEFAULT_CATEGORIES)
    assert plan is None
    errors = [str(p) for p in problems if p.is_error]
    assert len(errors) == 1, errors
    [message] = errors
    assert message.startswith(f"a.md:{line}: 错误: "), message
    for phrase in phrases:
        assert phrase in message, (phrase, message)
    return message


def in_subprocess(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=HANG_GUARD, cwd=ROOT, check=False)


# Attachments: no leak of a plan's source, a withheld plan's file, or anything outside the plans folder


@pytest.fixture
def leaky_folder(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    (plans / "w").mkdir(parents=True)
    (plans / "w" / "secret.md").write_text(plan_text("id: secret-draft", "status: 草稿", body="机密草稿正文。\n"),
                                           encoding="utf-8")
    (plans / "w" / "embargo.pdf").write_bytes(b"%PDF-1.4 not yet public")
    (plans / "w" / "later.md").write_text(plan_text("id: later", "published: 2099-01-01",
                                                    "attachments: [embargo.pdf]"), encoding="utf-8")
    (tmp_path / "outside.txt").write_text("机器上的其他文件\n", encoding="utf-8")
    return plans


@pytest.mark.parametrize(("attachment", "phrases"), [
    ("{file: w/secret.md}", ("w/secret.md", "Markdown 文件", "原稿", "PDF")),
    ("{file: w/embargo.pdf}", ("w/embargo.pdf", "未公开的计划 w/later.md 的附件", "复制一份")),
    ("{file: ../outside.txt}", ("../outside.txt", "计划文件夹之外", "attachments: [{file: 附件1.pdf")),
    ("{file: link.pdf}", ("link.pdf", "计划文件夹之外")),
    ("{file: draft-link.pdf}", ("draft-link.pdf", "指向 Markdown 文件的链接")),
    ("{file: .git/config}", (".git/config", "隐藏")),
])
def test_an_attachment_that_would_leak_is_an_error_at_its_line(
        leaky_folder: Path, attachment: str, phrases: tuple[str, ...]) -> None:
    (leaky_folder / "link.pdf").symlink_to(leaky_folder.parent / "outside.txt")
    (leaky_folder / "draft-link.pdf").symlink_to(leaky_folder / "w" / "secret.md")
    (leaky_folder / ".git").mkdir()
    (leaky_folder / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (leaky_folder / "public.md").write_text(plan_text("id: public", f"attachments: [{attachment}]"), encoding="utf-8")
    run = run_check(leaky_folder)
    assert run.code == 1
    [message] = run.lines_of("public.md")
    assert message.startswith(f"public.md:{EXTRA + 1}: 错误: 附件“")
    for phrase in phrases:
        assert phrase in message
    result = load_catalog(leaky_folder, DEFAULT_CATEGORIES, AS_OF)
    assert result.catalog is None


def test_an_unreadable_attachment_is_a_check_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "表.pdf").write_bytes(b"%PDF")
    real_open = Path.open

    def refusing(self: Path, *args: object, **kwargs: object) -> object:
        # Tests run as root, for whom no permission bit stops a read.
        if self.name == "表.pdf":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refusing)
    plan, problems = parse_plan("a.md", plan_text("attachments: [表.pdf]"), DEFAULT_CATEGORIES, tmp_path)
    assert plan is None
    [message] = [str(p) for p in problems]
    assert message.startswith(f"a.md:{EXTRA}: 错误: 附件“表.pdf”无法读取（Permission denied）")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permission bits")
def test_an_attachment_without_read_permission_is_a_check_error(tmp_path: Path) -> None:
    locked = tmp_path / "表.pdf"
    locked.write_bytes(b"%PDF")
    locked.chmod(0)
    plan, problems = parse_plan("a.md", plan_text("attachments: [表.pdf]"), DEFAULT_CATEGORIES, tmp_path)
    assert plan is None and "无法读取" in str(problems[0])


@pytest.mark.parametrize(("extra", "phrases"), [
    ("id: " + "a" * 300, ("300 个字符", "上限 100", "短一些的标识")),
    ("aliases: [" + "b" * 300 + "]", ("aliases（曾用标识）中的", "上限 100")),
    ("attachments: [" + "表" * 100 + ".pdf]", ("文件名太长", "200 字节")),
])
def test_names_that_would_be_too_long_for_a_file_name_are_check_errors(
        extra: str, phrases: tuple[str, ...]) -> None:
    only_error(plan_text(extra), EXTRA, *phrases)


def test_a_derived_id_too_long_for_a_file_name_asks_for_an_id() -> None:
    long_name = "瓯海区科学技术局关于印发" * 8 + ".md"
    plan, problems = parse_plan(long_name, plan_text(), DEFAULT_CATEGORIES)
    assert plan is None
    [message] = [str(p) for p in problems]
    assert message.startswith(f"{long_name}:1: 错误: 没有写标识（id），由文件名生成的标识有 ")
    assert "上限 200" in message and "id: ouhai-kjj-2024-gzjh" in message


# YAML that must never be constructed


def test_a_yaml_alias_bomb_is_refused_before_it_is_expanded() -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(9)]
    text = plan_text(*bomb, "summary: *j")
    done = in_subprocess(f"""
        from planpub.plan import parse_plan
        from planpub.schema import DEFAULT_CATEGORIES
        plan, problems = parse_plan("a.md", {text!r}, DEFAULT_CATEGORIES)
        assert plan is None
        print("\\n".join(map(str, problems)))
    """)
    assert done.returncode == 0, done.stderr
    assert f"a.md:{EXTRA}: 错误: “&a”是 YAML 的锚点，头信息里不能用" in done.stdout
    assert f"a.md:{EXTRA + 10}: 错误: “*j”是 YAML 的引用，头信息里不能用" in done.stdout
    assert "summary: \"*重点*\"" in done.stdout


@pytest.mark.parametrize("tagged", ["!!binary aGVsbG8=", "!!python/object/apply:os.system [ls]", "!foo 计划",
                                    "!!str 计划", "! 计划"])
def test_every_explicit_yaml_tag_is_refused(tagged: str) -> None:
    tag = tagged.split(" ")[0]
    only_error(plan_text(f"summary: {tagged}"), EXTRA, f"“{tag[:25]}", "是 YAML 的类型标记", "直接写值")


def test_an_explicit_tag_on_a_key_line_of_a_list_is_refused_too() -> None:
    only_error(plan_text("topics:", "  - !!binary aGk="), EXTRA + 1, "“!!binary”是 YAML 的类型标记")


@pytest.mark.parametrize("start", ["--- !tag", "---\t# 注释"])
def test_a_second_yaml_document_in_the_front_matter_is_an_error_at_its_line(start: str) -> None:
    # Found by the property test: the second document's values used to crash the reader.
    plan, problems = parse_plan("a.md", plan_text(start, "summary: 第二段"), DEFAULT_CATEGORIES)
    assert plan is None
    assert [str(p) for p in problems if p.is_error] == [
        f"a.md:{EXTRA}: 错误: 头信息里又出现了以“---”开头的一行。头信息只有一段：请删去这一行；"
        "它若是要结束头信息，就只写“---”三个字符。"]


@pytest.mark.parametrize(("extra", "phrases"), [
    ("summary: {a: b}", ("summary（内容概述）应当是一个值", "字段表")),
    ("doc_number: [一, 二]", ("doc_number（发文字号）应当是一个值", "列表")),
    ("topics: [{a: b}]", ("topics（主题分类）应当是一个或多个词",)),
    ("attachments: [{file: {a: b}}]", ("attachments（附件）的每一项要写 file",)),
])
def test_a_list_or_mapping_where_text_is_expected_is_an_error(extra: str, phrases: tuple[str, ...]) -> None:
    only_error(plan_text(extra), EXTRA, *phrases)


def test_an_impossible_time_after_a_date_is_an_error() -> None:
    only_error(plan_text(written="2024-02-20 25:99"), LINE["written"], "“25:99”不存在", "written: 2024-02-20")


@pytest.mark.parametrize(("region", "shown_part"), [
    ("浙江省/../瓯海区", "“..”"), ("浙江省/./瓯海区", "“.”"), ("浙江省//瓯海区", "空的一级"), ("/", "空的一级"),
    ("..", "“..”"), ("/浙江省/温州市", "空的一级"),
])
def test_a_region_path_with_empty_or_dot_parts_is_an_error(region: str, shown_part: str) -> None:
    only_error(plan_text(region=region), LINE["region"], "region（地区）", shown_part, "用一个“/”分开",
               "region: 浙江省/温州市/瓯海区")


# Characters no author means


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe", "\uffff",
                                  "\ufdd0", "\U0001fffe", "\ud800"])
def test_a_control_character_or_noncharacter_is_an_error_at_its_line(char: str) -> None:
    in_front = only_error(plan_text(f"summary: 部署{char}工作"), EXTRA, f"U+{ord(char):04X}", "请删除它")
    assert "第 12 个字符" in in_front
    only_error(plan_text(body=f"正文。\n\n第二段{char}。\n"), BODY + 2, f"U+{ord(char):04X}")


def test_tabs_newlines_and_crlf_in_the_body_are_fine() -> None:
    text = plan_text(body="## 一、总体要求\r\n\r\n正文\t制表。\r\n").replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    plan, problems = parse_plan("a.md", text, DEFAULT_CATEGORIES)
    assert problems == [] and plan is not None


# The commonest slips, said the way an author can act on


@pytest.mark.parametrize("key", ["年度", "year"])
def test_a_full_width_colon_is_reported_on_its_own_line_naming_it(key: str) -> None:
    text = plan_text(f"{key}：2023", year=None)
    message = only_error(text, EXTRA - 1, f"“{key}”后面是全角冒号“：”",
                         "把全角冒号“：”改成半角冒号“: ”（冒号后加空格）", f"{key}: 2023")
    assert "YAML" not in message


def test_a_full_width_colon_does_not_hide_the_other_fields() -> None:
    text = plan_text("年度：2023", "status: 有效", year=None)
    problems = problems_of(text)
    assert any("全角冒号" in p for p in problems)
    assert any(p.startswith(f"a.md:{EXTRA}: 错误: status（有效性）不能是“有效”") for p in problems)


def test_a_colon_without_a_space_is_reported_on_its_line() -> None:
    only_error(plan_text("year:2024", year=None), EXTRA - 1, "冒号后少了空格", "year: 2024")


def test_a_year_with_the_character_nian_is_understood_and_the_way_to_write_it_shown() -> None:
    plan, problems = parse_plan("a.md", plan_text(year="2023年"), DEFAULT_CATEGORIES)
    assert plan is not None and plan.year == 2023
    assert [str(p) for p in problems] == [
        f"a.md:{LINE['year']}: 警告: year（年度）只写数字，不写“年”字：已读作 2023。请写成 year: 2023"]


@pytest.mark.parametrize(("line", "items"), [
    ("topics: 科技、农业农村", ("科技", "农业农村")),
    ("topics: 科技，农业农村", ("科技", "农业农村")),
    ("topics: 科技, 农业农村", ("科技", "农业农村")),
    ("主题分类: 科技、农业农村", ("科技", "农业农村")),
    ("keywords: 高新技术企业；科技特派员", ("高新技术企业", "科技特派员")),
])
def test_a_list_written_as_one_string_is_split_and_the_list_form_shown(line: str, items: tuple[str, ...]) -> None:
    plan, problems = parse_plan("a.md", plan_text(line), DEFAULT_CATEGORIES)
    assert plan is not None
    assert items in (plan.topics, plan.keywords)
    [message] = [str(p) for p in problems]
    key = line.split(":")[0]
    assert message.startswith(f"a.md:{EXTRA}: 警告: ")
    assert "分成 2 项" in message and f"请写成列表：{key}: [{items[0]}, {items[1]}]" in message


def test_a_chinese_key_with_a_full_width_colon_and_a_list_gets_both_messages() -> None:
    problems = problems_of(plan_text("主题分类：科技、农业农村"))
    assert problems[0].startswith(f"a.md:{EXTRA}: 错误: “主题分类”后面是全角冒号“：”")
    assert problems[1].startswith(f"a.md:{EXTRA}: 警告: ") and "主题分类: [科技, 农业农村]" in problems[1]


def test_every_error_of_a_file_is_reported_in_one_run() -> None:
    text = plan_text('summary: "未结束的引号', "status: 有效", "period: 后年", "topics: [科技", "id: Bad_Id",
                     year="二〇二四", category="年度计划", body="正文\x01。\n")
    problems = problems_of(text)
    expected = [(LINE["year"], "四位数字"), (LINE["category"], "年度计划"), (EXTRA, "引号没有配对"),
                (EXTRA + 1, "有效性"), (EXTRA + 2, "起始年-结束年"), (EXTRA + 3, "方括号没有配对"),
                (EXTRA + 4, "小写字母"), (BODY + 5, "U+0001")]
    for line, phrase in expected:
        assert any(p.startswith(f"a.md:{line}: 错误: ") and phrase in p for p in problems), (line, phrase, problems)
    assert not any("缺少必填字段" in p for p in problems)


def test_a_field_on_an_unreadable_line_is_not_also_reported_missing() -> None:
    problems = problems_of(plan_text(title='"未结束'))
    assert len(problems) == 1 and "引号没有配对" in problems[0]


# Files that are not plain plan files


def test_a_named_pipe_called_like_a_plan_is_skipped_with_a_warning(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    os.mkfifo(plans / "x.md")
    (plans / "ok.md").write_text(plan_text(), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "planpub.cli", "check", "--config", str(ROOT / "mkdocs.yml"),
                           "--as-of", AS_OF.isoformat(), str(plans)], capture_output=True, text=True,
                          timeout=HANG_GUARD, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "x.md: 警告: 名字以 .md 结尾，却是管道而不是普通文件，已跳过。\n"
    assert "检查通过：1 件计划将公开" in done.stdout


def test_the_importers_scan_of_its_output_folder_skips_a_named_pipe(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.md")
    (tmp_path / "a.md").write_text(plan_text("id: taken-id"), encoding="utf-8")
    done = in_subprocess(f"""
        from pathlib import Path
        from planpub.importer.writer import IdRegistry
        print(sorted(IdRegistry.scan(Path({str(tmp_path)!r})).taken))
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['taken-id']"


def test_a_plan_linked_from_outside_the_plans_folder_is_refused(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (tmp_path / "elsewhere.md").write_text(plan_text(), encoding="utf-8")
    (plans / "linked.md").symlink_to(tmp_path / "elsewhere.md")
    (plans / "broken.md").symlink_to(tmp_path / "nothing.md")
    (plans / "inside.md").write_text(plan_text("id: inside"), encoding="utf-8")
    (plans / "alias.md").symlink_to(plans / "inside.md")
    run = run_check(plans)
    assert run.code == 1
    assert "linked.md: 错误: 是指向计划文件夹之外的链接，不能发布。" in run.err
    assert "broken.md: 错误: 是一个失效的链接" in run.err
    files, _ = scan_plan_files(plans)
    assert sorted(p.name for p in files) == ["alias.md", "inside.md"]


def test_a_linked_folder_is_not_followed_and_says_so(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "p.md").write_text(plan_text(), encoding="utf-8")
    (plans / "other").symlink_to(tmp_path / "other")
    files, problems = scan_plan_files(plans)
    assert files == []
    assert [str(p) for p in problems] == ["other: 警告: 是指向别处的文件夹链接，其中的计划没有读取。"
                                          "请把计划文件放在计划文件夹里，不要用链接。"]


def test_a_plan_file_with_an_upper_case_suffix_is_not_lost_silently(tmp_path: Path) -> None:
    (tmp_path / "计划.MD").write_text(plan_text(), encoding="utf-8")
    files, problems = scan_plan_files(tmp_path)
    assert files == []
    assert "计划.MD: 警告: 文件名以“.MD”结尾，没有作为计划读取" in str(problems[0])


# Resource limits


def test_a_plan_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "huge.md").write_bytes(plan_text().encode() + b"x" * (3 * 1024 * 1024))
    result = load_catalog(tmp_path, DEFAULT_CATEGORIES, AS_OF)
    [message] = [str(p) for p in result.problems]
    assert message.startswith("huge.md:1: 错误: 文件有 3.0 MB，超过一件计划的上限 2 MB。")


def test_a_line_of_300000_spaces_is_a_check_error_and_no_longer_hangs_the_index() -> None:
    body = "正文。\n\n" + " " * 300_000 + "-x\n"
    only_error(plan_text(body=body), BODY + 2, "300002 个字符", "上限 20000", "分成几段")
    done = in_subprocess("""
        from planpub.search.sections import split_sections
        for line in [" " * 300_000 + "-x", "# a" + " " * 300_000 + "b", "# " + "{" * 300_000 + "}x",
                     "[a](" * 100_000, "![a](" * 100_000, "<a" * 100_000, "-->" + "<!--" * 100_000,
                     "</script>" + "<script " * 50_000, "<http:a" * 100_000, "!!! note" + " " * 300_000 + "x"]:
            split_sections("t", line)
        print("ok")
    """)
    assert done.stdout.strip() == "ok", done.stderr


def test_lists_nested_too_deeply_are_a_check_error_at_the_first_such_line() -> None:
    body = "\n".join("    " * depth + "- 第 {depth} 层" for depth in range(500)) + "\n"
    plan, problems = parse_plan("a.md", plan_text(body=body), DEFAULT_CATEGORIES)
    assert plan is None
    first = str(problems[0])
    assert first.startswith(f"a.md:{BODY + MAX_NESTING}: 错误: 列表或引用套了 {MAX_NESTING + 1} 层，超过上限 20 层。")
    done = in_subprocess("""
        from planpub.search.sections import split_sections
        split_sections("t", "\\n".join("    " * depth + "- 项目" for depth in range(1500)))
        print("ok")
    """)
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("line", ["> " * 30 + "引用", "- " * 30 + "列表", ">" * 30 + "引用", "1. " * 30 + "x"])
def test_quotes_and_list_markers_on_one_line_count_as_nesting(line: str) -> None:
    only_error(plan_text(body=line + "\n"), BODY, "套了", "上限 20 层")


def test_twenty_levels_of_nesting_are_allowed() -> None:
    body = "\n".join("    " * depth + "- 项目" for depth in range(MAX_NESTING)) + "\n"
    plan, problems = parse_plan("a.md", plan_text(body=body), DEFAULT_CATEGORIES)
    assert plan is not None and problems == []


def test_ten_thousand_keys_are_one_error_not_ten_thousand_lines() -> None:
    text = plan_text(*(f"k{i}: v" for i in range(10_000)))
    problems = problems_of(text)
    assert any("超过上限 200" in p for p in problems)
    assert len(problems) < 20


def test_a_huge_key_is_quoted_short_in_the_message() -> None:
    problems = problems_of(plan_text("键" * 5000 + ": 值"))
    assert problems and all(len(p) < 400 for p in problems)


def test_front_matter_split_reads_values_as_text() -> None:
    fm = frontmatter.split("a.md", "---\nyear: 2024\nid: 0123\nflag: yes\nnothing: ~\n---\n")
    assert fm.values == {"year": "2024", "id": "0123", "flag": "yes", "nothing": "~"}
    assert fm.key_lines == {"year": 2, "id": 3, "flag": 4, "nothing": 5}
