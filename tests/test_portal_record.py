"""The record of published URLs: a build that would drop one stops and says which URL, which plan and how to keep
it; `check` says the same; only a successful build adds new URLs. Each test works on its own copy of the sample
plans with the committed record, and stops before the site engine runs, so these tests are quick."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planpub.catalog import Catalog, load_catalog
from planpub.portal.urlrecord import RECORD_NAME, Entry, parse_record, record_published_urls, render_record
from planpub.schema import DEFAULT_CATEGORIES
from planpub.settings import Settings
from tests.conftest import AS_OF, ROOT, Run, run

JIANGYIN_2023 = "wuxi-jiangyin/2023-keji-gongzuo-jihua.md"
JIANGYIN_2023_TITLE = "【示例】江阴市科学技术局2023年科技工作计划"


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "plans", tmp_path / "plans"))


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def build(plans: Path) -> Run:
    return run("build", "--config", str(ROOT / "mkdocs.yml"), "--plans", str(plans),
               "--site-dir", str(plans.parent / "site"), "--as-of", AS_OF.isoformat())


def check(plans: Path) -> Run:
    return run("check", "--config", str(ROOT / "mkdocs.yml"), str(plans), "--as-of", AS_OF.isoformat())


def settings_for(plans: Path) -> Settings:
    return Settings(root=plans.parent, plans_dir=plans)


def catalog_of(plans: Path) -> Catalog:
    result = load_catalog(plans, DEFAULT_CATEGORIES, AS_OF)
    assert result.catalog is not None, result.problems
    return result.catalog


def record_line(plans: Path, url: str) -> int:
    [entry] = [e for e in parse_record((plans / RECORD_NAME).read_text(encoding="utf-8")) if e.url == url]
    return entry.line


# A build that would break a published link stops


def test_removing_a_published_plan_without_saying_so_stops_the_build(plans: Path) -> None:
    record = (plans / RECORD_NAME).read_bytes()
    (plans / JIANGYIN_2023).unlink()
    result = build(plans)
    assert result.code == 1
    line = record_line(plans, "/plans/jiangyin-kjj-2023-gzjh/")
    [message] = [m for m in result.err.splitlines() if "/plans/jiangyin-kjj-2023-gzjh/" in m]
    assert message.startswith(f"{RECORD_NAME}:{line}: 错误:")
    assert JIANGYIN_2023_TITLE in message
    assert "aliases: [jiangyin-kjj-2023-gzjh]" in message and "status: 已撤回" in message
    assert "构建已停止" in result.err
    assert not (plans.parent / "site").exists()
    assert (plans / RECORD_NAME).read_bytes() == record


def test_check_reports_a_removed_plan_too(plans: Path) -> None:
    (plans / JIANGYIN_2023).unlink()
    result = check(plans)
    assert result.code == 1
    assert "/plans/jiangyin-kjj-2023-gzjh/" in result.err and "检查未通过" in result.err


def test_renaming_an_id_without_an_alias_points_at_the_renamed_plan(plans: Path) -> None:
    edit(plans / JIANGYIN_2023, "id: jiangyin-kjj-2023-gzjh", "id: jiangyin-kjj-2023-kjgzjh")
    result = build(plans)
    assert result.code == 1
    [message] = [m for m in result.err.splitlines() if "/plans/jiangyin-kjj-2023-gzjh/" in m]
    assert message.startswith(f"{JIANGYIN_2023}:2: 错误:")
    assert "jiangyin-kjj-2023-kjgzjh" in message and "aliases: [jiangyin-kjj-2023-gzjh]" in message


def test_renaming_an_id_with_an_alias_passes_the_check(plans: Path) -> None:
    edit(plans / JIANGYIN_2023, "id: jiangyin-kjj-2023-gzjh",
         "id: jiangyin-kjj-2023-kjgzjh\naliases: [jiangyin-kjj-2023-gzjh]")
    assert check(plans).code == 0


def test_withdrawing_a_plan_keeps_its_url(plans: Path) -> None:
    edit(plans / JIANGYIN_2023, "category: 年度工作计划", "category: 年度工作计划\nstatus: 已撤回")
    assert check(plans).code == 0


def test_taking_a_published_plan_back_to_draft_points_at_the_plan(plans: Path) -> None:
    edit(plans / JIANGYIN_2023, "category: 年度工作计划", "category: 年度工作计划\nstatus: 草稿")
    result = check(plans)
    assert result.code == 1
    [message] = [m for m in result.err.splitlines() if "/plans/jiangyin-kjj-2023-gzjh/" in m]
    assert message.startswith(f"{JIANGYIN_2023}:")
    assert "现在不公开（草稿）" in message and "status: 已撤回" in message


def test_removing_every_plan_of_a_region_names_its_pages_with_their_feeds(plans: Path) -> None:
    shutil.rmtree(plans / "wuxi-jiangyin")
    result = check(plans)
    assert result.code == 1
    errors = [m for m in result.err.splitlines() if ": 错误:" in m]
    for region in ("320281", "320200"):
        [message] = [m for m in errors if f"地区页 /regions/{region}/（" in m]
        assert f"/regions/{region}/feed.xml" in message
        assert f"{RECORD_NAME}:{record_line(plans, f'/regions/{region}/')}:" in message
        # The feed is named with its page, not in a message of its own.
        assert not [m for m in errors if f": 错误: 订阅 /regions/{region}/feed.xml" in m]
    assert len(errors) == 2 + 2  # two plans, two regions


def test_a_url_deliberately_retired_from_the_record_no_longer_stops_the_build(plans: Path) -> None:
    (plans / JIANGYIN_2023).unlink()
    record = plans / RECORD_NAME
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    record.write_text("".join(x for x in lines if not x.startswith("/plans/jiangyin-kjj-2023-gzjh/")),
                      encoding="utf-8")
    assert check(plans).code == 0


def test_check_never_writes_the_record(plans: Path) -> None:
    (plans / RECORD_NAME).unlink()
    assert check(plans).code == 0
    assert not (plans / RECORD_NAME).exists()


# Writing the record


def test_the_record_is_created_sorted_and_then_left_alone(plans: Path) -> None:
    (plans / RECORD_NAME).unlink()
    catalog, settings = catalog_of(plans), settings_for(plans)
    notice = record_published_urls(catalog, settings)
    assert notice is not None and "新增 50 个网址" in notice and "git add" in notice
    written = (plans / RECORD_NAME).read_bytes()
    assert written == (ROOT / "plans" / RECORD_NAME).read_bytes()
    urls = [e.url for e in parse_record(written.decode("utf-8"))]
    assert urls == sorted(urls)
    assert record_published_urls(catalog, settings) is None
    assert (plans / RECORD_NAME).read_bytes() == written


def test_a_new_plan_adds_its_url_and_old_entries_keep_their_first_description(plans: Path) -> None:
    source = plans / "wenzhou-ouhai" / "2025-keji-gongzuo-jihua.md"
    copy = source.with_name("2025-keji-gongzuo-jihua-buchong.md")
    copy.write_text(source.read_text(encoding="utf-8").replace("id: ouhai-kjj-2025-gzjh", "id: ouhai-kjj-2025-bc"),
                    encoding="utf-8")
    edit(source, "title: 【示例】", "title: 【示例】（更正）")
    notice = record_published_urls(catalog_of(plans), settings_for(plans))
    assert notice is not None and "新增 1 个网址" in notice
    entries = {e.url: e for e in parse_record((plans / RECORD_NAME).read_text(encoding="utf-8"))}
    assert entries["/plans/ouhai-kjj-2025-bc/"].kind == "计划"
    assert "（更正）" not in entries["/plans/ouhai-kjj-2025-gzjh/"].label


def test_reading_the_record_tolerates_hand_edits() -> None:
    entries = parse_record("\ufeff# 说明\r\n\r\nplans/a/\r\n/plans/b/\t计划\tb\t标题乙\r\n")
    assert entries == [Entry("/plans/a/", "", "", "", 3), Entry("/plans/b/", "计划", "b", "标题乙", 4)]
    assert render_record(entries).endswith("/plans/a/\n/plans/b/\t计划\tb\t标题乙\n")
