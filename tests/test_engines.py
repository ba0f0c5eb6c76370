"""The same mkdocs.yml builds the same site with MkDocs 1.6 and with ProperDocs, the maintained drop-in fork that a
site moves to when MkDocs is gone: every file the same, except the generator line that names the engine."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from planpub.engine import engine_env
from tests.conftest import AS_OF, ROOT

_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _engine_build(module: str, site: Path) -> None:
    env = engine_env(ROOT / "plans", AS_OF.isoformat())
    done = subprocess.run([sys.executable, "-m", module, "build", "--quiet", "--config-file", str(ROOT / "mkdocs.yml"),
                           "--site-dir", str(site)], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): _GENERATOR.sub(b"", p.read_bytes()) for p in site.rglob("*") if p.is_file()}


def test_mkdocs_and_properdocs_build_the_same_site(tmp_path: Path) -> None:
    _engine_build("mkdocs", tmp_path / "mkdocs")
    _engine_build("properdocs", tmp_path / "properdocs")
    with_mkdocs, with_properdocs = _files(tmp_path / "mkdocs"), _files(tmp_path / "properdocs")
    assert sorted(with_mkdocs) == sorted(with_properdocs)
    assert len([name for name in with_mkdocs if name.startswith("plans/") and name.endswith("/index.html")]) > 15
    assert [name for name in with_mkdocs if with_mkdocs[name] != with_properdocs[name]] == []
    # The generator line is the only difference, and it names each engine.
    assert b"ProperDocs" in (tmp_path / "properdocs" / "index.html").read_bytes()
