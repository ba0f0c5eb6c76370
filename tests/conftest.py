"""Shared fixtures: the sample site built once per test session, and paths to the project and to ../shared."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from planpub.catalog import Catalog, load_catalog
from planpub.cli import main
from planpub.schema import DEFAULT_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BROWSER_TESTS = ROOT / "tests" / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is marked `browser`, so that `-m "not browser"` leaves Chromium out. Done here
    because pytest calls this hook only in the conftest files it loads first, and a `pytestmark` in a conftest marks
    nothing."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
# A fixed build date keeps the sample site identical whatever day the tests run.
AS_OF = dt.date(2026, 6, 30)


def build_sample_site(site: Path) -> bool:
    """Build the embedded sample plans into `site` as the README's first command does, on the fixed date."""
    return main(["build", "--config", str(ROOT / "mkdocs.yml"), "--site-dir", str(site),
                 "--as-of", AS_OF.isoformat()]) == 0


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded sample plans built exactly as the README's first command builds them."""
    site = tmp_path_factory.mktemp("sample") / "site"
    assert build_sample_site(site)
    return site


@pytest.fixture(scope="session")
def sample_catalog() -> Catalog:
    """The catalog of the embedded sample plans on the fixed build date."""
    result = load_catalog(ROOT / "plans", DEFAULT_CATEGORIES, AS_OF)
    assert result.catalog is not None
    return result.catalog


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run(*argv: str) -> Run:
    """`planpub ARGV` in this process, with what it printed; an author never sees a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return Run(code, out.getvalue(), err.getvalue())


def declare_place(config: Path, name: str, parent: int) -> None:
    """Declares a place outside GB/T 2260 in a copied mkdocs.yml, once, with its parent (extra.planpub.places)."""
    text = config.read_text(encoding="utf-8")
    assert "\n  planpub:\n" in text
    entry = "{name: '" + name.replace("'", "''") + f"', parent: {parent}}}"
    config.write_text(text.replace("\n  planpub:\n", f"\n  planpub:\n    places:\n      - {entry}\n", 1),
                      encoding="utf-8")
