"""The importer on real plan pages (../shared/realworld, with the MANIFEST of what a careful reader finds there):
nothing invented, no site furniture left, and at least 95 % of the stated facts recovered. The numbers per field
are printed by benchmarks/import_accuracy.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "realworld"

pytestmark = pytest.mark.skipif(not (CORPUS / "MANIFEST.tsv").is_file(),
                                reason=f"{CORPUS} (the real pages with their MANIFEST) is not present on this machine")


def test_real_pages_give_stated_facts_and_nothing_invented() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.import_accuracy import run

    printed: list[str] = []
    scores = run(CORPUS, printed.append, per_file=True)
    stated = sum(s.stated for s in scores.values())
    right = sum(s.right for s in scores.values())
    report = "\n".join(printed)
    assert sum(s.invented for s in scores.values()) == 0, report
    assert "正文中残留的网站信息行：0" in report, report
    assert "句中断开、未接上的段落：0" in report, report
    assert right >= 0.95 * stated, report
