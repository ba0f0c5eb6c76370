"""How the CLI runs the site engine. The one place outside `hooks/` that names MkDocs, and only as a command,
so that moving to another engine changes this file and the hooks, nothing else."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from planpub.catalog import Catalog
from planpub.pages import SHARDED_SECTIONS

ENV_PLANS_DIR = "PLANPUB_PLANS_DIR"
ENV_AS_OF = "PLANPUB_AS_OF"
ENV_CATALOG = "PLANPUB_CATALOG_FILE"
"""A pickled `Catalog` that `planpub build` already validated, so engine processes need not read every plan again."""
ENV_SHARD = "PLANPUB_SHARD"
ENV_WRITTEN_BY_PLANPUB = "PLANPUB_WRITTEN_ELSEWHERE"
"""Comma-separated outputs (e.g. `search`) that `planpub build` writes itself while the engine renders pages,
so the hooks that would otherwise write them skip them."""
"""`i/n`: this engine process renders the i-th of n parts of the plan pages (see `planpub.pages.shard_of`)."""


def engine_env(plans_dir: Path | None, as_of: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    if plans_dir is not None:
        env[ENV_PLANS_DIR] = str(plans_dir.resolve())
    if as_of is not None:
        env[ENV_AS_OF] = as_of
    return env


def build_site(config_file: Path, site_dir: Path, env: dict[str, str], jobs: int = 1,
               catalog: Catalog | None = None, data_outputs: Callable[[Path], None] | None = None) -> bool:
    """Build into fresh folders beside `site_dir` and swap the result in only when the whole build succeeded,
    so a failed build leaves the previously published site exactly as it was.

    With `jobs` > 1 the pages are rendered by that many engine processes at once, one per core, since the
    engine itself renders one page at a time (see `planpub.pages.shard_of` for who renders what)."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    stagings = [Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.parent)) for _ in range(max(jobs, 1))]
    handoff = None
    try:
        if catalog is not None:
            handoff = Path(tempfile.mkdtemp(prefix="planpub-")) / "catalog.pickle"
            handoff.write_bytes(pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
            env = {**env, ENV_CATALOG: str(handoff)}
        running = []
        for index, staging in enumerate(stagings):
            command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config_file),
                       "--site-dir", str(staging)]
            running.append(subprocess.Popen(command, env={**env, ENV_SHARD: f"{index}/{len(stagings)}"}))
        data_dir = None
        if data_outputs is not None:
            data_dir = Path(tempfile.mkdtemp(prefix=".site-data-", dir=site_dir.parent))
            stagings.append(data_dir)
            try:
                data_outputs(data_dir)
            except BaseException:
                for process in running:
                    process.terminate()
                    process.wait()
                raise
        # Wait for every process before anything is removed, even when one has already failed.
        codes = [process.wait() for process in running]
        if any(codes):
            return False
        for part in stagings[1:]:
            if part != data_dir:
                _move_files(part, stagings[0], SHARDED_SECTIONS)
        if data_dir is not None:
            _move_files(data_dir, stagings[0], replace=True)
        retired = None
        if site_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
            site_dir.rename(retired / "site")
        stagings[0].rename(site_dir)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        return True
    finally:
        for staging in stagings:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        if handoff is not None:
            shutil.rmtree(handoff.parent, ignore_errors=True)


def _move_files(source: Path, target: Path, folders: tuple[str, ...] = ("",), *, replace: bool = False) -> None:
    """Move the files under `source`'s `folders` to the same places under `target`. An existing file is kept
    unless `replace`: pages other processes rendered never overwrite what process 0 wrote, while planpub's own
    data outputs (the search index) do."""
    for folder in folders:
        for path in sorted((source / folder).rglob("*")):
            destination = target / path.relative_to(source)
            if path.is_file() and (replace or not destination.exists()):
                destination.parent.mkdir(parents=True, exist_ok=True)
                path.replace(destination)


def serve_site(config_file: Path, address: str, env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config_file), "--dev-addr", address]
    try:
        return subprocess.run(command, env=env, check=False).returncode
    except KeyboardInterrupt:
        return 0


def load_handoff(path: str) -> Catalog:
    """The catalog `build_site` pickled for its engine processes: a file this build wrote moments ago into a
    private temporary folder, never an author's input."""
    with open(path, "rb") as handle:
        catalog = pickle.load(handle)
    if not isinstance(catalog, Catalog):
        raise TypeError(path)
    return catalog
