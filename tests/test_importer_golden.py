"""Golden tests of `planpub import`: each folder under fixtures/import holds an input document, the plan files
the import must write (expected.md, every file after a `==> name <==` line) and the report it must print
(expected-report.txt). An `options` file holds extra command-line options for its case.

Set PLANPUB_UPDATE_GOLDEN=1 to rewrite the expected files after an intended change, then review the diff.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

import pytest

from planpub.importer.command import add_arguments, run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
CONFIG = Path(__file__).resolve().parents[1] / "mkdocs.yml"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and any(p.glob("input.*")))
UPDATE = os.environ.get("PLANPUB_UPDATE_GOLDEN") == "1"


def import_case(case: Path, workdir: Path, *extra: str) -> tuple[str, str, int]:
    """Runs the command in a scratch folder on a copy of the case's input; returns (report, plans, exit code)."""
    source = next(case.glob("input.*"))
    shutil.copy(source, workdir / source.name)
    options = (case / "options").read_text(encoding="utf-8").split() if (case / "options").exists() else []
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([source.name, "--out", "plans", *options, *extra])
    args.config = str(CONFIG)
    printed: list[str] = []
    cwd = Path.cwd()
    os.chdir(workdir)
    try:
        code = run(args, emit=printed.append)
    finally:
        os.chdir(cwd)
    plans = workdir / "plans"
    files = sorted(plans.rglob("*.md")) if plans.is_dir() else []
    written = "".join(f"==> {p.relative_to(plans).as_posix()} <==\n{p.read_text(encoding='utf-8')}" for p in files)
    return "".join(printed), written, code


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_import_matches_golden(case: Path, tmp_path: Path) -> None:
    report, written, code = import_case(case, tmp_path)
    expected_report = case / "expected-report.txt"
    expected_plans = case / "expected.md"
    if UPDATE:
        expected_report.write_text(report, encoding="utf-8")
        if written:
            expected_plans.write_text(written, encoding="utf-8")
        elif expected_plans.exists():
            expected_plans.unlink()
    assert report == expected_report.read_text(encoding="utf-8")
    assert written == (expected_plans.read_text(encoding="utf-8") if expected_plans.exists() else "")
    assert code == (0 if written else 1)
