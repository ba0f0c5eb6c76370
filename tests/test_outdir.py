"""The output folder: a build replaces only a folder planpub made, and a killed build leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planpub.engine import SITE_MARKER, remove_left_behind
from tests.conftest import AS_OF, ROOT, build_sample_site, run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An author's project: configuration, plans, the site's sources and a git repository."""
    root = tmp_path / "project"
    (root / "plans").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / ".git").mkdir()
    (root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "plans" / "a.md").write_text("---\ntitle: 计划\n---\n\n## 一、总体要求\n", encoding="utf-8")
    (root / "docs" / "about.md").write_text("# 关于\n", encoding="utf-8")
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("target", [".", "plans", "docs", "plans/out", "docs/site", "..", "mkdocs.yml"])
def test_a_build_into_the_project_or_its_sources_is_refused_and_touches_nothing(project: Path, target: str) -> None:
    before = snapshot(project.parent)
    result = run("build", "--config", str(project / "mkdocs.yml"), "--site-dir", str(project / target),
                 "--as-of", AS_OF.isoformat())
    assert result.code != 0
    assert "网站输出文件夹" in result.err and "没有改动任何文件" in result.err
    assert "--site-dir site" in result.err
    assert snapshot(project.parent) == before
    assert sorted(p.name for p in project.iterdir()) == [".git", "docs", "mkdocs.yml", "plans"]


def test_a_folder_with_other_files_is_not_replaced(project: Path) -> None:
    other = project.parent / "www"
    other.mkdir()
    (other / "报告.docx").write_bytes(b"author's file")
    result = run("build", "--config", str(project / "mkdocs.yml"), "--site-dir", str(other),
                 "--as-of", AS_OF.isoformat())
    assert result.code != 0
    assert f"没有 {SITE_MARKER} 标记文件" in result.err
    assert snapshot(other) == {"报告.docx": b"author's file"}


def test_an_empty_folder_and_a_site_planpub_made_are_replaced(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert build_sample_site(site)
    assert (site / SITE_MARKER).is_file() and (site / "index.html").is_file()
    (site / "leftover.html").write_text("旧页面", encoding="utf-8")
    assert build_sample_site(site)
    assert not (site / "leftover.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _start_build(site: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "planpub.cli", "build", "--config", str(ROOT / "mkdocs.yml"),
                             "--site-dir", str(site), "--as-of", AS_OF.isoformat()], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _wait_for_staging(parent: Path, process: subprocess.Popen[bytes]) -> Path:
    """The staging folder of a build once it has started writing into it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        for entry in parent.glob(".site-new-*"):
            if len(list(entry.iterdir())) > 1:
                return entry
        time.sleep(0.02)
    raise AssertionError("the build finished or never wrote before it could be interrupted")


def test_a_build_killed_mid_way_leaves_a_staging_folder_that_the_next_build_removes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    process = _start_build(site)
    try:
        staging = _wait_for_staging(tmp_path, process)
    finally:
        # SIGKILL to the whole group that build started: nothing of it can clean up.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    time.sleep(0.2)
    assert staging.exists() and not site.exists()
    assert build_sample_site(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (site / SITE_MARKER).is_file() and (site / "plans").is_dir()


def test_a_terminated_build_removes_its_staging_folder_and_keeps_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build_sample_site(site)
    before = snapshot(site)
    process = _start_build(site)
    _wait_for_staging(tmp_path, process)
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=60) != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert snapshot(site) == before


def test_folders_of_a_build_still_running_are_kept(tmp_path: Path) -> None:
    running = tmp_path / f".site-new-{os.getppid()}-abc"
    dead = tmp_path / ".site-old-999999999-abc"
    unnamed = tmp_path / ".site-new-xyz"
    for folder in (running, dead, unnamed):
        folder.mkdir()
    assert sorted(remove_left_behind(tmp_path)) == sorted([dead, unnamed])
    assert running.is_dir()
