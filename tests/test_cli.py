"""The `planpub` command as an author uses it: `new` writes a valid plan with an id, `check` exit codes, and
argument mistakes answered in Chinese without a traceback."""

from __future__ import annotations

import builtins
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planpub.cli import engine_processes
from planpub.plan import parse_plan
from planpub.schema import DEFAULT_CATEGORIES
from tests.conftest import ROOT, Run, run

FIELDS = {
    "title": "瓯海区科技局2024年科技工作计划",
    "year": "2024",
    "region": "浙江省/温州市/瓯海区",
    "issuer": "温州市瓯海区科学技术局",
    "category": "年度工作计划",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A site folder of its own, so `new` writes into its plans/ and never into the project's sample corpus."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: 测试\nextra:\n  planpub:\n    plans_dir: plans\n",
                                         encoding="utf-8")
    return tmp_path


def new(project: Path, *more: str, **fields: str) -> Run:
    values = {**FIELDS, **fields}
    options = [item for key, value in values.items() for item in (f"--{key}", value)]
    return run("new", "--config", str(project / "mkdocs.yml"), "--no-input", "--written", "2024-02-20",
               *options, *more)


def check(project: Path) -> Run:
    return run("check", "--config", str(project / "mkdocs.yml"), "--as-of", "2024-12-31", str(project / "plans"))


def test_new_writes_a_plan_with_an_id_that_passes_check(project: Path) -> None:
    result = new(project)
    assert result.code == 0, result.err
    [written] = (project / "plans").glob("*.md")
    plan, problems = parse_plan(written.name, written.read_text(encoding="utf-8"), DEFAULT_CATEGORIES)
    assert problems == []
    assert plan is not None and plan.id_declared
    assert written.name == f"{plan.id}.md"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", plan.id)
    assert (plan.title, plan.year, plan.region, plan.issuer, plan.category) == (
        FIELDS["title"], 2024, FIELDS["region"], FIELDS["issuer"], FIELDS["category"])
    assert f"/plans/{plan.id}/" in result.out
    # A new plan is a draft: the next build publishes nothing of it and records no URL.
    assert plan.status == "草稿"
    checked = check(project)
    assert checked.code == 0, checked.err
    assert "检查通过：0 件计划将公开，1 件暂不公开" in checked.out


def test_a_public_plan_that_still_holds_the_template_prompts_is_an_error(project: Path) -> None:
    new(project, "--out", str(project / "plans" / "a.md"))
    target = project / "plans" / "a.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('status: "草稿"', 'status: "现行有效"'), encoding="utf-8")
    checked = check(project)
    assert checked.code == 1
    lines = text.splitlines()
    prompt_line = next(i for i, line in enumerate(lines, start=1) if "写指导思想" in line)
    assert (f"a.md:{prompt_line}: 错误: 正文这一行还是 planpub new 模板的提示“【待填写】写指导思想和基本原则。”。"
            "请换成计划的真实内容，或删去这一行；还没写完的计划请保留 status: 草稿，草稿不会发布。") in checked.err
    assert checked.err.count("planpub new 模板的提示") == sum("【待填写】" in line for line in lines) == 5
    written = "\n".join(line for line in target.read_text(encoding="utf-8").splitlines() if "【待填写】" not in line)
    target.write_text(written + "\n全年完成各项任务。\n", encoding="utf-8")
    checked = check(project)
    assert checked.code == 0, checked.err
    assert "检查通过：1 件计划将公开" in checked.out


def test_new_derives_the_same_id_from_the_same_fields(project: Path) -> None:
    first = new(project, "--out", str(project / "plans" / "a.md"))
    second = new(project, "--out", str(project / "plans" / "b.md"))
    assert first.code == second.code == 0
    id_a = re.search(r"^id: \"?([a-z0-9-]+)", (project / "plans" / "a.md").read_text(encoding="utf-8"), re.M)
    id_b = re.search(r"^id: \"?([a-z0-9-]+)", (project / "plans" / "b.md").read_text(encoding="utf-8"), re.M)
    assert id_a and id_b and id_a[1] == id_b[1]


def test_new_writes_the_optional_fields_as_comments_with_their_chinese_names(project: Path) -> None:
    new(project, "--out", str(project / "plans" / "a.md"))
    text = (project / "plans" / "a.md").read_text(encoding="utf-8")
    assert "# period: 2023-2025  # 实施期限（可选）" in text
    assert "# region_code: 330304  # 行政区划代码（可选）" in text


def test_new_takes_an_explicit_id(project: Path) -> None:
    assert new(project, "--id", "ouhai-kjj-2024-gzjh").code == 0
    assert (project / "plans" / "ouhai-kjj-2024-gzjh.md").is_file()


def test_new_refuses_an_id_with_other_characters(project: Path) -> None:
    result = new(project, "--id", "Ouhai_2024")
    assert result.code != 0
    assert "小写字母、数字和连字符" in result.err
    assert list((project / "plans").iterdir()) == []


def test_new_refuses_to_overwrite(project: Path) -> None:
    target = project / "plans" / "mine.md"
    target.write_text("作者已经写好的内容\n", encoding="utf-8")
    result = new(project, "--out", str(target))
    assert result.code != 0
    assert "已存在，没有覆盖" in result.err
    assert "--out" in result.err
    assert target.read_text(encoding="utf-8") == "作者已经写好的内容\n"


def test_new_without_input_names_the_missing_field_and_the_option(project: Path) -> None:
    result = run("new", "--config", str(project / "mkdocs.yml"), "--no-input", "--title", FIELDS["title"])
    assert result.code != 0
    assert "缺少年度" in result.err
    assert "--year 2024" in result.err
    assert list((project / "plans").iterdir()) == []


@pytest.mark.parametrize(("field", "value", "phrase"), [
    ("year", "明年", "四位数字"),
    ("category", "年度计划", "是不是“年度工作计划”"),
])
def test_new_refuses_invalid_values_and_writes_nothing(project: Path, field: str, value: str, phrase: str) -> None:
    result = new(project, **{field: value})
    assert result.code != 0
    assert phrase in result.err
    assert "没有写入文件" in result.err
    assert list((project / "plans").iterdir()) == []


def test_new_refuses_a_region_that_check_would_refuse(project: Path) -> None:
    result = new(project, region="朝阳区")
    assert result.code != 0
    assert "重名" in result.err
    assert list((project / "plans").iterdir()) == []


asked: list[str] = []
"""The prompts the interactive `new` showed, in order."""


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Typed answers for the interactive `new`, read in order; the prompts shown are collected in `asked`."""
    typed: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    def answer(prompt: str = "") -> str:
        asked.append(prompt)
        return typed.pop(0)

    monkeypatch.setattr(builtins, "input", answer)
    asked.clear()
    yield typed


def test_new_asks_for_the_required_fields_it_was_not_given(project: Path, answers: list[str]) -> None:
    answers += ["", "2024", "浙江省/温州市/瓯海区", "温州市瓯海区科学技术局", "年度工作计划"]
    result = run("new", "--config", str(project / "mkdocs.yml"), "--title", FIELDS["title"],
                 "--written", "2024-02-20")
    assert result.code == 0, result.err
    # An empty answer is asked again; the category prompt lists the configured choices.
    assert [p.split("（")[0] for p in asked] == ["年度", "年度", "地区", "发文机关", "类别"]
    assert "年度工作计划、工作要点" in asked[-1]
    assert check(project).code == 0


def test_a_bad_answer_is_asked_again_at_once_naming_the_question(project: Path, answers: list[str]) -> None:
    answers += ["二〇二四", "2024", "浙江省/温州市/瑞按市", "浙江省/温州市/瑞安市", "瑞安市科学技术局", "年度计划",
                "年度工作计划"]
    result = run("new", "--config", str(project / "mkdocs.yml"), "--title", "瑞安市2024年科技工作计划")
    assert result.code == 0, result.err
    assert [p.split("（")[0] for p in asked] == ["年度", "年度", "地区", "地区", "发文机关", "类别", "类别"]
    err = result.err.splitlines()
    assert err[0] == "年度“二〇二四”应当是四位数字的年份（1949—2100），例如：2024。请重新输入。"
    assert err[1].startswith("地区“浙江省/温州市/瑞按市”中的“瑞按市”不是温州市下的行政区划")
    assert "是不是“瑞安市”？" in err[1]
    assert err[2].startswith("类别“年度计划”不是可选的类别。是不是“年度工作计划”？")
    assert "--year" not in result.err and "--region" not in result.err


def test_answers_can_be_piped_one_a_line(project: Path) -> None:
    piped = "瓯海区科技局2024年科技工作计划\n2024\n瓯海区\n温州市瓯海区科学技术局\n年度工作计划\n"
    command = [str(ROOT / ".venv" / "bin" / "planpub"), "new", "--config", str(project / "mkdocs.yml")]
    done = subprocess.run(command, input=piped, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    [written] = (project / "plans").glob("*.md")
    text = written.read_text(encoding="utf-8")
    assert 'title: "瓯海区科技局2024年科技工作计划"' in text and "region: \"瓯海区\"" in text


def test_a_bad_piped_answer_names_the_question_and_writes_nothing(project: Path) -> None:
    command = [str(ROOT / ".venv" / "bin" / "planpub"), "new", "--config", str(project / "mkdocs.yml")]
    done = subprocess.run(command, input="某计划\n明年\n", capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "错误：年度“明年”应当是四位数字的年份（1949—2100），例如：2024（没有写入文件）" in done.stderr
    assert list((project / "plans").iterdir()) == []
    done = subprocess.run(command, input="某计划\n", capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "没有输入年度（没有写入文件）" in done.stderr
    assert list((project / "plans").iterdir()) == []


# check


def test_check_passes_a_valid_folder_with_exit_code_0(project: Path) -> None:
    new(project)
    result = check(project)
    assert result.code == 0
    assert result.err == ""


def test_a_date_that_is_not_a_date_is_a_chinese_argument_error(project: Path) -> None:
    result = run("check", "--config", str(project / "mkdocs.yml"), "--as-of", "2024-13-01")
    assert result.code == 2
    assert "“2024-13-01”不是日期" in result.err
    assert "YYYY-MM-DD" in result.err


def test_an_unknown_option_names_the_right_help_command(project: Path) -> None:
    result = run("new", "--plans", str(project))
    assert result.code == 2
    assert "--plans" in result.err
    assert "planpub planpub" not in result.err
    assert "--help" in result.err


def test_argument_errors_are_in_chinese(project: Path) -> None:
    result = run("new", "--plans", str(project))
    message = re.sub(r"planpub \w+ --help", "", result.err.splitlines()[-1])
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", message), message


def test_a_missing_command_is_an_error_not_a_traceback() -> None:
    result = run()
    assert result.code == 2
    assert "错误" in result.err


def test_check_of_a_folder_works_outside_a_project_with_the_default_categories(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "下载的计划"
    folder.mkdir()
    text = "\n".join(["---", *(f"{k}: {v}" for k, v in FIELDS.items()), "written: 2024-02-20", "---", "正文。", ""])
    (folder / "a.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "--as-of", "2024-12-31", str(folder))
    assert result.code == 0, result.err
    assert "检查通过：1 件计划将公开" in result.out


@pytest.mark.parametrize(("cores", "processes"), [(1, 1), (2, 1), (3, 2), (4, 3), (5, 4), (64, 4)])
def test_a_large_build_renders_pages_on_every_core_but_the_one_that_indexes(cores: int, processes: int) -> None:
    assert engine_processes(cores) == processes


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["check"], ["new"], ["import"]])
def test_help_is_in_chinese(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        from planpub.cli import main
        main([*command, "--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法：planpub") and "显示本帮助并退出" in shown
    # No argparse English left: its headings, and option values named in capitals.
    assert not re.search(r"usage|options|positional|show this help|\b(?!YYYY)[A-Z_]{3,}\b", shown), shown


def test_new_accepts_a_place_declared_in_mkdocs_yml(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    places:\n      - {name: 科技园, parent: 330300}\n",
                      encoding="utf-8")
    result = new(project, region="温州市/科技园", title="科技园2024年科技工作计划")
    assert result.code == 0, result.err
    result = new(project, region="温州市/科技圆", title="科技园2024年科技工作要点")
    assert result.code != 0
    assert "--region：地区“温州市/科技圆”中的“科技圆”不是温州市下的行政区划" in result.err
    assert "是不是“科技园”？" in result.err
