"""How the CLI runs the site engine. The one place outside `hooks/` that names MkDocs, and only as a command,
so that moving to another engine changes this file and the hooks, nothing else."""

from __future__ import annotations

import enum
import gc
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from planpub.catalog import Catalog

ENV_PLANS_DIR = "PLANPUB_PLANS_DIR"
ENV_AS_OF = "PLANPUB_AS_OF"
ENV_CATALOG = "PLANPUB_CATALOG"
"""Set to `stdin` by `planpub build`: the engine process reads the `Catalog` that `planpub build` validated, pickled,
from its standard input, instead of reading every plan again."""
CATALOG_ON_STDIN = "stdin"
ENV_SHARD = "PLANPUB_SHARD"
"""`i/n`: this engine process renders the i-th of n parts of the plan pages (see `planpub.pages.shard_of`)."""
ENV_WRITTEN_BY_PLANPUB = "PLANPUB_WRITTEN_ELSEWHERE"
"""Comma-separated outputs (`search`: the search index, `portal`: the JSON, feeds and embeds) that `planpub build`
writes itself while the engine renders pages, so the hooks that would otherwise write them skip them."""


SITE_MARKER = ".planpub-site"
"""Written into every site planpub builds: only a folder holding it is ever replaced (see `site_dir_refusal`)."""
_MARKER_TEXT = "这个文件夹是 planpub build 生成的网站，下次构建会整个替换它。请不要把其他文件放在这里。\n"
_STAGING = ".site-new-"
_REPLACED = ".site-old-"
# A build's own temporary folders are named after its process, so that the next build can tell those of a build
# that was killed (its process is gone) from those of one still running beside it.
_LEFT_BEHIND = re.compile(rf"(?:{re.escape(_STAGING)}|{re.escape(_REPLACED)})(?:(\d+)-)?.*")


class Outcome(enum.Enum):
    BUILT = "built"
    REJECTED = "rejected"
    """The plans did not pass the check; the engine wrote nothing."""
    FAILED = "failed"
    """The engine failed."""


def engine_env(plans_dir: Path | None, as_of: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    if plans_dir is not None:
        env[ENV_PLANS_DIR] = str(plans_dir.resolve())
    if as_of is not None:
        env[ENV_AS_OF] = as_of
    return env


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()


def _hand_over(processes: list[subprocess.Popen[bytes]], catalog: Catalog) -> threading.Thread:
    """Send the catalog to every process from a thread, since a process still loading the engine reads it only
    later and the caller has its own work meanwhile."""
    data = pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL)

    def send() -> None:
        for process in processes:
            assert process.stdin is not None
            try:
                process.stdin.write(data)
                process.stdin.close()
            except (BrokenPipeError, ValueError):
                # That process has failed or was stopped: its exit code says so; the others still get the catalog.
                pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    return sender


def _discard(old_site: Path, retired: Path) -> None:
    """Remove a site that was just replaced. Removing thousands of files takes seconds on some disks, and nobody
    needs to wait for it: the folder is moved into `retired` (so nothing is left beside the site) and a process of
    its own removes everything there after `planpub build` has returned, including what an interrupted removal
    left. Where `retired` is on another file system the site is removed here and now."""
    try:
        retired.mkdir(parents=True, exist_ok=True)
        old_site.rename(retired / old_site.name)
    except OSError:
        shutil.rmtree(old_site, ignore_errors=True)
        return
    subprocess.Popen([sys.executable, "-c", "import shutil, sys; [shutil.rmtree(p, True) for p in sys.argv[1:]]",
                      *map(str, retired.iterdir())], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def site_dir_refusal(site_dir: Path, project: Path, sources: list[Path]) -> str | None:
    """Why `site_dir` must not be replaced by a build, in Chinese, or None. A build replaces the whole folder, so
    it may only be one planpub made: not the project, not the plans or the site's sources, nothing that holds
    them or lies inside them, and no folder with files in it that lacks the marker."""
    site_dir = site_dir.resolve()
    project = project.resolve()
    hint = "请改用专门的输出文件夹，例如 --site-dir site。"
    if site_dir == project or site_dir in project.parents:
        return f"网站输出文件夹 {site_dir} 是项目文件夹或包含项目文件夹，构建会删除整个项目（包括计划和 .git）。{hint}"
    for source in sources:
        source = source.resolve()
        if site_dir == source or site_dir in source.parents:
            return f"网站输出文件夹 {site_dir} 是或包含计划、网站源文件所在的文件夹 {source}，构建会删除它们。{hint}"
        if source in site_dir.parents:
            return f"网站输出文件夹 {site_dir} 在计划、网站源文件所在的文件夹 {source} 里面。{hint}"
    if site_dir.is_symlink() or (site_dir.exists() and not site_dir.is_dir()):
        return f"网站输出文件夹 {site_dir} 不是普通文件夹（是文件或链接），没有改动它。{hint}"
    if site_dir.is_dir() and not (site_dir / SITE_MARKER).is_file() and any(site_dir.iterdir()):
        return (f"网站输出文件夹 {site_dir} 里已有文件，但不是 planpub 生成的网站（没有 {SITE_MARKER} 标记文件），"
                f"构建会删除这些文件，所以没有改动它。{hint}如果确实是旧网站，请先删除或改名这个文件夹。")
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_left_behind(parent: Path) -> list[Path]:
    """Remove the temporary folders a build that was killed left beside its site (staging, or the site it was
    replacing); a build that is still running keeps its own. Gives what was removed."""
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for entry in parent.iterdir():
        match = _LEFT_BEHIND.fullmatch(entry.name)
        if match is None or not entry.is_dir() or entry.is_symlink():
            continue
        if match.group(1) and int(match.group(1)) != os.getpid() and _alive(int(match.group(1))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _terminated(signum: int, frame: object) -> None:
    # Turned into an exception, so that `build_site` removes its staging folder on its way out.
    raise SystemExit(128 + signum)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_site(config_file: Path, site_dir: Path, env: dict[str, str], jobs: int,
               checked: Callable[[], Catalog | None], data_outputs: Callable[[Catalog, Path], None],
               retired: Path, finishing: Callable[[Catalog, Path], None] | None = None) -> Outcome:
    """Build into a fresh folder beside `site_dir` and swap it in only when the whole build succeeded, so a
    failed build leaves the previously published site exactly as it was; the replaced site goes to `retired`
    (see `_discard`).

    The engine processes start at once, `jobs` of them (the engine renders one page at a time; see
    `planpub.pages.shard_of` for who renders what), and load the engine while `checked` validates the plans; they
    then receive its catalog on their standard input. `data_outputs` writes planpub's own files (the search index, and
    the portal's JSON and feeds when they are not left to the engine) into the same folder while they render;
    `finishing` then writes what needs the finished pages (the server configuration) before the swap."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_left_behind(site_dir.parent)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=site_dir.parent))
    # mkdtemp makes the folder private (0700); a site is for a web server's user to read, like any folder made here.
    os.chmod(staging, 0o777 & ~current_umask())
    (staging / SITE_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    previous_handlers = {}
    if threading.current_thread() is threading.main_thread():
        # `kill` and a closed terminal: the staging folder is removed on the way out, as after Ctrl+C.
        previous_handlers = {number: signal.signal(number, _terminated) for number in (signal.SIGTERM, signal.SIGHUP)}
    # Every process writes into the one folder: `--dirty` keeps each from emptying it first. Nothing is skipped as
    # unchanged, since the folder starts empty and generated pages always count as changed.
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--dirty", "--config-file", str(config_file),
               "--site-dir", str(staging)]
    count = max(jobs, 1)
    running: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(count):
            running.append(subprocess.Popen(command, stdin=subprocess.PIPE, env={
                **env, ENV_CATALOG: CATALOG_ON_STDIN, ENV_SHARD: f"{index}/{count}"}))
        catalog = checked()
        if catalog is None:
            _stop(running)
            return Outcome.REJECTED
        sender = _hand_over(running, catalog)
        data_outputs(catalog, staging)
        # Wait for every process before anything is removed, even when one has already failed.
        codes = [process.wait() for process in running]
        sender.join()
        if any(codes):
            return Outcome.FAILED
        if finishing is not None:
            finishing(catalog, staging)
        old_site = None
        if site_dir.exists():
            old_site = Path(tempfile.mkdtemp(prefix=f"{_REPLACED}{os.getpid()}-", dir=site_dir.parent))
            site_dir.rename(old_site / "site")
        staging.rename(site_dir)
        if old_site is not None:
            _discard(old_site, retired)
        return Outcome.BUILT
    finally:
        _stop(running)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        for number, handler in previous_handlers.items():
            signal.signal(number, handler)


def load_handoff() -> Catalog:
    """The catalog `build_site` sends its engine processes: from the `planpub build` process that started this one,
    never from an author's input."""
    catalog = pickle.load(sys.stdin.buffer)
    if not isinstance(catalog, Catalog):
        raise TypeError(type(catalog))
    return catalog


def collect_garbage_seldom() -> Callable[[], None]:
    """For the rest of a build. A build makes and keeps hundreds of thousands of objects (the catalog, the pages,
    their HTML) and drops few, so Python's cyclic garbage collector, which goes through every live object again at
    each full collection, spent about a second of a 3,000-plan build finding next to nothing. What is loaded so
    far is put out of its sight, and it runs less often. Gives the function that undoes this, for a process that
    goes on after the build (`mkdocs serve` must not use it at all: garbage not yet collected would stay)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)

    def undo() -> None:
        gc.set_threshold(*threshold)
        gc.unfreeze()

    return undo
