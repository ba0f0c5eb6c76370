"""`planpub publish DEST`: put a built site online so that readers never see half of an old and half of a new site.

DEST is a symbolic link that the web server serves (its `root`, or the folder of a sub-path). Each publish copies
the site into a new release folder beside it (`.<name>-releases/<time>/`), then switches the link in one step
(a rename, which the system does atomically): until that step readers get the previous release whole, after it the
new one whole. A publish that fails or is killed before the switch leaves the live site as it was; its half-copied
folder is removed by the next publish. The last few releases are kept, so `--rollback` can switch back.

Files that did not change are hard links to the previous release's, so a release of a large site costs only what
changed.

A remote DEST (`host:/srv/www/kjj/plans`) is published the same way over ssh and rsync: rsync copies the site into the
new release folder on the host (hard-linking unchanged files to the current release, `--link-dest`), and one
command over ssh switches the link."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import filecmp
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planpub.engine import SITE_MARKER, current_umask
from planpub.problems import PlanpubError

DEFAULT_KEEP = 5
_INCOMING = ".incoming-"
_LOCK = ".lock"


@dataclass(frozen=True)
class Published:
    dest: Path
    release: str
    kept: int


def releases_dir(dest: Path) -> Path:
    return dest.parent / f".{dest.name}-releases"


def _releases(folder: Path) -> list[str]:
    """Release folders, oldest first (their names are times)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _current(dest: Path, folder: Path) -> str | None:
    """The release DEST links to, or None when DEST does not exist yet. Anything else at DEST is refused."""
    if not dest.is_symlink():
        if dest.exists():
            raise PlanpubError(f"{dest} 已经存在，但不是 planpub publish 建立的链接。为了不覆盖其中的文件，没有发布。"
                               "请换一个发布位置，或先把它改名（首次发布时这个位置应当还不存在）。")
        return None
    target = Path(os.path.normpath(dest.parent / os.readlink(dest)))
    if target.parent != folder:
        raise PlanpubError(f"{dest} 是指向 {target} 的链接，不是 planpub publish 的发布版本，没有改动它。")
    return target.name


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One publish at a time per DEST: a second waits, so neither removes the other's incoming folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / _LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _switch(dest: Path, release: Path) -> None:
    link = dest.parent / f".{dest.name}.switch-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(release, dest.parent), link)
    os.replace(link, dest)


def _release_name(folder: Path, now: dt.datetime) -> str:
    # Names sort as the releases were made: a second release in the same second gets -02, -03 …
    base = now.strftime("%Y%m%d-%H%M%S")
    name, n = base, 1
    while (folder / name).exists():
        n += 1
        name = f"{base}-{n:02d}"
    return name


def _copy_linking(previous: Path | None, source_root: Path, target_root: Path) -> None:
    def copy(src: str, dst: str) -> str:
        if previous is not None:
            old = previous / os.path.relpath(src, source_root)
            if old.is_file() and filecmp.cmp(src, old, shallow=False):
                os.link(old, dst)
                return dst
        return str(shutil.copy2(src, dst))

    shutil.copytree(source_root, target_root, symlinks=False, copy_function=copy)


def _run_reload(command: str | None) -> str:
    if not command:
        return ""
    done = subprocess.run(command, shell=True, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        return f"\n注意：重新加载服务器的命令“{command}”失败（退出码 {done.returncode}）：{done.stderr.strip()}"
    return f"\n已运行：{command}"


def publish(site_dir: Path, dest: Path, *, keep: int = DEFAULT_KEEP, reload: str | None = None,
            now: dt.datetime | None = None) -> str:
    site_dir = site_dir.resolve()
    dest = Path(os.path.abspath(dest))
    if keep < 2:
        raise PlanpubError("--keep 至少为 2：保留上一个版本，才能恢复。")
    if not (site_dir / SITE_MARKER).is_file():
        raise PlanpubError(f"{site_dir} 不是 planpub build 生成的网站（没有 {SITE_MARKER} 标记文件），没有发布。"
                           "请先运行 planpub build。")
    folder = releases_dir(dest)
    if site_dir == folder or folder in site_dir.parents:
        raise PlanpubError(f"{site_dir} 是已发布的版本，不能再发布它。请发布 planpub build 生成的网站文件夹。")
    with _locked(folder):
        current = _current(dest, folder)
        for left in folder.glob(f"{_INCOMING}*"):
            shutil.rmtree(left, ignore_errors=True)
        name = _release_name(folder, now or dt.datetime.now())
        incoming = folder / f"{_INCOMING}{name}"
        _copy_linking(folder / current if current else None, site_dir, incoming)
        os.chmod(incoming, 0o777 & ~current_umask())
        os.sync()
        release = folder / name
        incoming.rename(release)
        _switch(dest, release)
        names = _releases(folder)
        for old in names[:-keep]:
            shutil.rmtree(folder / old, ignore_errors=True)
        kept = min(len(names), keep)
    return (f"已发布：{dest} → 版本 {name}（共保留 {kept} 个版本，"
            f"planpub publish {dest} --rollback 可恢复上一个版本）。" + _run_reload(reload))


def rollback(dest: Path, *, reload: str | None = None) -> str:
    dest = Path(os.path.abspath(dest))
    folder = releases_dir(dest)
    with _locked(folder):
        current = _current(dest, folder)
        if current is None:
            raise PlanpubError(f"{dest} 还没有发布过，没有可以恢复的版本。")
        older = [name for name in _releases(folder) if name < current]
        if not older:
            raise PlanpubError(f"{dest} 当前的版本 {current} 已是保留的最早版本，没有更早的版本可以恢复。")
        _switch(dest, folder / older[-1])
        # The release rolled back from is removed, so that a second rollback goes one further back.
        shutil.rmtree(folder / current, ignore_errors=True)
    return f"已恢复：{dest} → 版本 {older[-1]}（撤下了版本 {current}）。" + _run_reload(reload)


# host:/path or user@host:/path; a local path never matches, since it has no colon before its first slash.
_REMOTE = re.compile(r"(?P<host>(?:[A-Za-z0-9_.-]+@)?[A-Za-z0-9_.-]+):(?P<path>/.*)")

# Run on the host by `sh -s`: $1 is DEST, $2 the releases folder. Prints the current release, if any.
_REMOTE_PREPARE = r"""set -e
dest=$1; releases=$2
if [ -e "$dest" ] && [ ! -L "$dest" ]; then echo "occupied"; exit 3; fi
mkdir -p "$releases"
rm -rf "$releases"/.incoming-*
if [ -L "$dest" ]; then
  target=$(readlink "$dest")
  case "$target" in
    "$(basename "$releases")"/*) echo "current ${target#*/}" ;;
    *) echo "foreign $target"; exit 4 ;;
  esac
fi
"""

# $1 DEST, $2 releases folder, $3 the new release, $4 how many to keep.
_REMOTE_SWITCH = r"""set -e
dest=$1; releases=$2; name=$3; keep=$4
mv "$releases/.incoming-$name" "$releases/$name"
cd "$(dirname "$dest")"
ln -s "$(basename "$releases")/$name" ".$(basename "$dest").switch-$$"
mv -T ".$(basename "$dest").switch-$$" "$(basename "$dest")"
ls -1 "$releases" | sort | head -n "-$keep" | while read -r old; do rm -rf "${releases:?}/$old"; done
"""

# $1 DEST, $2 releases folder: back to the newest release older than the current one, which is removed.
_REMOTE_ROLLBACK = r"""set -e
dest=$1; releases=$2
[ -L "$dest" ] || { echo "none"; exit 5; }
current=$(readlink "$dest"); current=${current#*/}
previous=$(ls -1 "$releases" | sort | awk -v c="$current" '$0 < c' | tail -n 1)
[ -n "$previous" ] || { echo "none older"; exit 6; }
cd "$(dirname "$dest")"
ln -s "$(basename "$releases")/$previous" ".$(basename "$dest").switch-$$"
mv -T ".$(basename "$dest").switch-$$" "$(basename "$dest")"
rm -rf "${releases:?}/$current"
echo "$previous"
"""


def remote_target(dest: str) -> tuple[str, str] | None:
    """(host, absolute path on it) for a remote DEST, or None for a local one."""
    match = _REMOTE.fullmatch(dest)
    return (match["host"], match["path"]) if match else None


def _over_ssh(ssh: str, host: str, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*shlex.split(ssh), host, "sh -s -- " + " ".join(shlex.quote(a) for a in args)]
    try:
        return subprocess.run(command, input=script, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PlanpubError(f"无法通过 ssh 连接 {host}（{exc}），没有发布，线上网站不变。") from exc


def publish_remote(site_dir: Path, host: str, path: str, *, keep: int = DEFAULT_KEEP, reload: str | None = None,
                   ssh: str = "ssh", now: dt.datetime | None = None) -> str:
    site_dir = site_dir.resolve()
    if keep < 2:
        raise PlanpubError("--keep 至少为 2：保留上一个版本，才能恢复。")
    if not (site_dir / SITE_MARKER).is_file():
        raise PlanpubError(f"{site_dir} 不是 planpub build 生成的网站（没有 {SITE_MARKER} 标记文件），没有发布。"
                           "请先运行 planpub build。")
    dest = Path(os.path.normpath(path))
    folder = releases_dir(dest)
    prepared = _over_ssh(ssh, host, _REMOTE_PREPARE, str(dest), str(folder))
    answer = prepared.stdout.strip()
    if prepared.returncode == 3:
        raise PlanpubError(f"{host}:{dest} 已经存在，但不是 planpub publish 建立的链接。"
                           "为了不覆盖其中的文件，没有发布。")
    if prepared.returncode != 0:
        reason = answer or prepared.stderr.strip()
        raise PlanpubError(f"在 {host} 上准备发布失败（退出码 {prepared.returncode}）：{reason}。"
                           "没有发布，线上网站不变。")
    current = answer.removeprefix("current ").strip() if answer.startswith("current ") else None
    name = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    if name == current:
        name += "-02"
    # --checksum: a file of the same size and time but other content (two builds in one second) is not linked.
    rsync = ["rsync", "-a", "--checksum", "--delete", "-e", ssh]
    if current:
        rsync.append(f"--link-dest=../{current}")
    rsync += [f"{site_dir}/", f"{host}:{folder}/{_INCOMING}{name}/"]
    try:
        copied = subprocess.run(rsync, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PlanpubError(f"无法运行 rsync（{exc}）。请安装 rsync；没有发布，线上网站不变。") from exc
    if copied.returncode != 0:
        raise PlanpubError(f"rsync 复制到 {host} 失败（退出码 {copied.returncode}）：{copied.stderr.strip()}"
                           "。没有发布，线上网站不变。")
    switched = _over_ssh(ssh, host, _REMOTE_SWITCH + (f"{reload}\n" if reload else ""), str(dest), str(folder), name,
                         str(keep))
    if switched.returncode != 0:
        raise PlanpubError(f"在 {host} 上切换版本失败（退出码 {switched.returncode}）：{switched.stderr.strip()}")
    return f"已发布：{host}:{dest} → 版本 {name}。" + (f"\n已在 {host} 上运行：{reload}" if reload else "")


def rollback_remote(host: str, path: str, *, reload: str | None = None, ssh: str = "ssh") -> str:
    dest = Path(os.path.normpath(path))
    done = _over_ssh(ssh, host, _REMOTE_ROLLBACK + (f"{reload}\n" if reload else ""), str(dest),
                     str(releases_dir(dest)))
    if done.returncode == 5:
        raise PlanpubError(f"{host}:{dest} 还没有发布过，没有可以恢复的版本。")
    if done.returncode == 6:
        raise PlanpubError(f"{host}:{dest} 当前的版本已是保留的最早版本，没有更早的版本可以恢复。")
    if done.returncode != 0:
        raise PlanpubError(f"在 {host} 上恢复失败（退出码 {done.returncode}）：{done.stderr.strip()}")
    return f"已恢复：{host}:{dest} → 版本 {done.stdout.strip().splitlines()[0]}。"
