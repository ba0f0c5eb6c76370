"""`planpub withdraw ID`: a published plan is taken down by its status, its page and URL stay, and nothing of the
author's file changes but that one line."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from planpub.portal.urlrecord import RECORD_NAME
from tests.conftest import AS_OF, ROOT, Run, run

JIANGYIN_2023 = "wuxi-jiangyin/2023-keji-gongzuo-jihua.md"
JIANGYIN_ID = "jiangyin-kjj-2023-gzjh"


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "plans", tmp_path / "plans"))


def withdraw(plans: Path, *args: str) -> Run:
    return run("withdraw", "--config", str(ROOT / "mkdocs.yml"), "--plans", str(plans), "--as-of",
               AS_OF.isoformat(), *args)


def changed_lines(before: bytes, after: bytes) -> list[tuple[list[bytes], list[bytes]]]:
    """The lines removed and added, per changed place."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [(old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def test_build_withdraw_build_keeps_the_page_and_its_url(plans: Path) -> None:
    site = plans.parent / "site"
    built = run("build", "--config", str(ROOT / "mkdocs.yml"), "--plans", str(plans), "--site-dir", str(site),
                "--as-of", AS_OF.isoformat())
    assert built.code == 0, built.err
    page = site / "plans" / JIANGYIN_ID / "index.html"
    assert "已撤回" not in page.read_text(encoding="utf-8")
    record = (plans / RECORD_NAME).read_bytes()
    assert f"/plans/{JIANGYIN_ID}/\t".encode() in record

    before = (plans / JIANGYIN_2023).read_bytes()
    result = withdraw(plans, JIANGYIN_ID, "--reason", "内容已并入新计划")
    assert result.code == 0, result.err
    after = (plans / JIANGYIN_2023).read_bytes()
    # The sample plan leaves its status to the default: one line is added at the end of the front matter.
    [(removed, [added])] = changed_lines(before, after)
    assert removed == []
    assert added.decode().startswith("status: 已撤回  # ")
    assert added.decode().endswith("撤回：内容已并入新计划\n")
    assert after.splitlines().index(added.rstrip(b"\n")) + 1 == after.splitlines().index(b"---", 1)
    assert f"已撤回：{JIANGYIN_2023} 第 " in result.out
    assert "published-urls.txt 不需要修改" in result.out

    built = run("build", "--config", str(ROOT / "mkdocs.yml"), "--plans", str(plans), "--site-dir", str(site),
                "--as-of", AS_OF.isoformat())
    assert built.code == 0, built.err
    html = page.read_text(encoding="utf-8")
    assert "本计划已由发文机关撤回，以下内容仅供查阅。" in html
    assert (plans / RECORD_NAME).read_bytes() == record


def test_an_unknown_id_is_refused_with_the_closest_ids(plans: Path) -> None:
    result = withdraw(plans, "jiangyin-kjj-2023-gzj")
    assert result.code == 2
    assert "没有标识为“jiangyin-kjj-2023-gzj”的计划" in result.err
    assert "是不是“jiangyin-kjj-2023-gzjh”" in result.err


def test_a_former_id_finds_the_plan(plans: Path) -> None:
    target = plans / JIANGYIN_2023
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace(f"id: {JIANGYIN_ID}\n", f"id: {JIANGYIN_ID}\naliases: [jiangyin-old]\n"),
                      encoding="utf-8")
    assert withdraw(plans, "jiangyin-old").code == 0
    assert "status: 已撤回" in target.read_text(encoding="utf-8")


def test_a_draft_is_not_withdrawn(plans: Path) -> None:
    draft = plans / "wenzhou-ouhai" / "2026-keji-gongzuo-jihua-caogao.md"
    before = draft.read_bytes()
    plan_id = next(line.split(":", 1)[1].strip() for line in before.decode().splitlines() if line.startswith("id:"))
    result = withdraw(plans, plan_id)
    assert result.code == 2
    assert "是草稿，从未公开，不需要撤回（没有修改文件）" in result.err
    assert draft.read_bytes() == before


def write_plan(plans: Path, name: str, front: list[str], ending: str = "\n") -> Path:
    path = plans / name
    lines = ["---", "id: ceshi-2024", "title: 测试计划", "year: 2024", "region: 瓯海区", "issuer: 某局",
             "category: 年度工作计划", *front, "---", "", "## 一、总体要求", "", "正文。", ""]
    path.write_bytes(ending.join(lines).encode())
    return path


def test_a_status_line_is_added_when_there_is_none_keeping_the_line_endings(plans: Path) -> None:
    path = write_plan(plans, "ceshi.md", ["published: 2024-03-01  # 发布日期"], ending="\r\n")
    before = path.read_bytes()
    result = withdraw(plans, "ceshi-2024")
    assert result.code == 0, result.err
    after = path.read_bytes()
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert new_lines[:8] == old_lines[:8] and new_lines[9:] == old_lines[8:]
    assert new_lines[8].startswith("status: 已撤回  # ".encode()) and new_lines[8].endswith(b"\r\n")


def test_the_chinese_name_and_indentation_of_the_status_line_are_kept(plans: Path) -> None:
    path = write_plan(plans, "ceshi.md", ['有效性: "现行有效"  # 有效性', "keywords: [科技]"])
    before = path.read_bytes()
    assert withdraw(plans, "ceshi-2024").code == 0
    [([old], [new])] = changed_lines(before, path.read_bytes())
    assert old.decode() == '有效性: "现行有效"  # 有效性\n'
    assert new.decode().startswith("有效性: 已撤回  # ")
    assert new.decode().endswith(" 撤回\n")


def test_a_status_line_is_rewritten_in_place(plans: Path) -> None:
    path = write_plan(plans, "ceshi.md", ["status: 现行有效", "keywords: [科技]"])
    before = path.read_bytes()
    assert withdraw(plans, "ceshi-2024", "--reason", "错发\n重复").code == 0
    [([old], [new])] = changed_lines(before, path.read_bytes())
    assert old == "status: 现行有效\n".encode()
    assert new.decode().startswith("status: 已撤回  # ") and new.decode().endswith(" 撤回：错发 重复\n")


def test_a_plan_withdrawn_already_is_left_alone(plans: Path) -> None:
    path = write_plan(plans, "ceshi.md", ["status: 已撤回"])
    before = path.read_bytes()
    result = withdraw(plans, "ceshi-2024")
    assert result.code == 0
    assert "已经是“已撤回”，没有修改" in result.out
    assert path.read_bytes() == before


def test_a_plan_not_yet_public_is_not_withdrawn(plans: Path) -> None:
    path = write_plan(plans, "ceshi.md", ["published: 2099-01-01"])
    result = withdraw(plans, "ceshi-2024")
    assert result.code == 2
    assert "还没有公开，不需要撤回" in result.err
    assert "status: 已撤回" not in path.read_text(encoding="utf-8")


def test_a_file_changed_while_withdrawing_is_not_overwritten(plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_plan(plans, "ceshi.md", [])
    real_fsync = os.fsync

    def editor_saves(descriptor: int) -> None:
        real_fsync(descriptor)
        path.write_text("作者刚刚保存的内容\n", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", editor_saves)
    result = withdraw(plans, "ceshi-2024")
    assert result.code == 2
    assert "在修改期间被改动了，没有修改文件" in result.err
    assert path.read_text(encoding="utf-8") == "作者刚刚保存的内容\n"
    assert [p.name for p in plans.iterdir() if p.name.startswith(".")] == []


def test_a_symlinked_plan_file_is_not_replaced(plans: Path, tmp_path: Path) -> None:
    real = write_plan(tmp_path, "real.md", [])
    before = real.read_bytes()
    (plans / "ceshi.md").symlink_to(real)
    result = withdraw(plans, "ceshi-2024")
    # A link out of the plans folder is not a plan of this site: it is neither found nor followed.
    assert result.code == 2
    assert "没有标识为“ceshi-2024”的计划" in result.err
    assert (plans / "ceshi.md").is_symlink()
    assert real.read_bytes() == before
