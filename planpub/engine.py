"""How the CLI runs the site engine. The one place outside `hooks/` that names MkDocs, and only as a command,
so that moving to another engine changes this file and the hooks, nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENV_PLANS_DIR = "PLANPUB_PLANS_DIR"
ENV_AS_OF = "PLANPUB_AS_OF"


def engine_env(plans_dir: Path | None, as_of: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    if plans_dir is not None:
        env[ENV_PLANS_DIR] = str(plans_dir.resolve())
    if as_of is not None:
        env[ENV_AS_OF] = as_of
    return env


def build_site(config_file: Path, site_dir: Path, env: dict[str, str]) -> bool:
    """Build into a fresh folder beside `site_dir` and swap it in only when the whole build succeeded,
    so a failed build leaves the previously published site exactly as it was."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.parent))
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config_file),
               "--site-dir", str(staging)]
    try:
        finished = subprocess.run(command, env=env, check=False)
        if finished.returncode != 0:
            return False
        retired = None
        if site_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
            site_dir.rename(retired / "site")
        staging.rename(site_dir)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        return True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def serve_site(config_file: Path, address: str, env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config_file), "--dev-addr", address]
    try:
        return subprocess.run(command, env=env, check=False).returncode
    except KeyboardInterrupt:
        return 0
