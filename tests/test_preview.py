"""`planpub serve` as an author uses it: the preview rebuilds when a plan changes, keeps serving the last good site
and reports a mistake with its file and line, and stopping it stops every process it started."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from planpub.preview import SCRIPT_PATH, STATE_PATH
from tests.conftest import AS_OF, ROOT
from tests.test_portal_corpus import project_with_site_url

PLAN = Path("wuxi-jiangyin") / "2023-keji-gongzuo-jihua.md"


@dataclass
class Preview:
    process: subprocess.Popen[str]
    base: str
    plans: Path
    project: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path.lstrip("/"), timeout=10) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def state(self) -> dict[str, object]:
        return json.loads(self.get(STATE_PATH)[1])  # type: ignore[no-any-return]

    def wait_for(self, test: object, seconds: float = 90) -> dict[str, object]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with_state = None
            with contextlib.suppress(OSError):
                with_state = self.state()
            if with_state is not None and test(with_state):  # type: ignore[operator]
                return with_state
            time.sleep(0.2)
        pytest.fail(f"the preview never reached the state wanted; last: {with_state}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    config = project_with_site_url(tmp_path / "project", '""')
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "planpub.cli", "serve", "--config", str(config), "--plans",
                                str(plans), "--addr", f"127.0.0.1:{port}", "--as-of", AS_OF.isoformat()],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    running = Preview(process, f"http://127.0.0.1:{port}/", plans, tmp_path / "project")
    try:
        running.wait_for(lambda s: s["generation"] == 1)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=30)


def _edit(plans: Path, old: str, new: str) -> None:
    path = plans / PLAN
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_title_is_in_the_preview_after_the_rebuild(preview: Preview) -> None:
    status, page = preview.get("plans/jiangyin-kjj-2023-gzjh/")
    assert status == 200 and SCRIPT_PATH in page
    _edit(preview.plans, "2023年科技工作计划", "2023年科技创新工作计划")
    preview.wait_for(lambda s: s["generation"] == 2)
    assert "2023年科技创新工作计划" in preview.get("plans/jiangyin-kjj-2023-gzjh/")[1]
    # A preview records no published URL: that record grows only with real builds.
    assert (preview.plans / "published-urls.txt").read_bytes() == (ROOT / "plans" / "published-urls.txt").read_bytes()


def test_a_mistake_is_reported_with_its_file_and_line_while_the_last_good_site_is_served(preview: Preview) -> None:
    _edit(preview.plans, "year: 2023", "year: 二〇二三年")
    state = preview.wait_for(lambda s: s["error"])
    assert f"{PLAN.as_posix()}:4:" in str(state["error"])
    assert "Traceback" not in str(state["error"])
    status, page = preview.get("plans/jiangyin-kjj-2023-gzjh/")
    assert status == 200 and "江阴市科学技术局2023年科技工作计划" in page
    _edit(preview.plans, "year: 二〇二三年", "year: 2023")
    fixed = preview.wait_for(lambda s: s["generation"] == 2)
    assert fixed["error"] == ""


def _processes_using(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if marker in command and int(entry.name) != os.getpid():
                found.append(int(entry.name))
    return found


def test_stopping_the_preview_during_a_rebuild_stops_every_process_it_started(preview: Preview) -> None:
    marker = str(preview.project / ".cache" / "planpub" / "preview")
    _edit(preview.plans, "2023年科技工作计划", "2023年科技工作安排")
    deadline = time.monotonic() + 30
    while not _processes_using(marker) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _processes_using(marker), "no rebuild started"
    preview.process.send_signal(signal.SIGTERM)
    out, _ = preview.process.communicate(timeout=30)
    assert preview.process.returncode == 0
    assert "预览已结束" in out
    time.sleep(0.5)
    assert _processes_using(marker) == []
    assert not list((preview.project / ".cache" / "planpub").glob(".site-new-*"))
