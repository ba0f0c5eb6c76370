"""The sample site published with `planpub publish` and served by Debian's nginx with the configuration the build
wrote, at the root of a host and under a sub-path, as a bureau's IT staff would set it up from the README."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from planpub.problems import PlanpubError
from planpub.serverconf import APACHE_FILE, LONG_CACHE, NGINX_FILE, SERVER_DIR, site_prefix
from tests.apache import running_apache
from tests.conftest import AS_OF, ROOT, run
from tests.nginx import Nginx, Served, running_nginx
from tests.test_portal_corpus import project_with_site_url

ALIAS, TARGET = "wenzhou-ouhai-2022-keji-gongzuo-jihua", "ouhai-kjj-2022-gzjh"


@dataclass
class Hosting:
    server: Nginx
    prefix: str
    """URL path of the site's home: `/` or `/kjj/plans/`."""
    live: Path
    site: Path


def _publish(site: Path, live: Path) -> None:
    done = run("publish", str(live), "--site-dir", str(site))
    assert done.code == 0, done.err
    assert "已发布" in done.out


def _hosting(tmp: Path, site_url: str, mount: str) -> Iterator[Hosting]:
    config = project_with_site_url(tmp / "project", site_url)
    site = tmp / "site"
    done = run("build", "--config", str(config), "--plans", str(ROOT / "plans"), "--site-dir", str(site),
               "--as-of", AS_OF.isoformat())
    assert done.code == 0, done.err
    www = tmp / "www"
    live = www / mount if mount else www / "site"
    live.parent.mkdir(parents=True, exist_ok=True)
    _publish(site, live)
    root = www if mount else live
    with running_nginx(root, live / SERVER_DIR / NGINX_FILE, tmp / "nginx") as server:
        yield Hosting(server, "/" + (mount + "/" if mount else ""), live, site)


@pytest.fixture(scope="module", params=["root", "sub-path"])
def hosting(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosting]:
    tmp = tmp_path_factory.mktemp(f"nginx-{request.param}")
    if request.param == "root":
        yield from _hosting(tmp, '""', "")
    else:
        yield from _hosting(tmp, "https://example.gov.cn/kjj/plans/", "kjj/plans")


def _site_paths(site: Path) -> list[str]:
    """Every file of the site as a URL path under the site's home (a page folder as the folder, with its slash)."""
    paths = []
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        text = relative.as_posix()
        paths.append(text[:-len("index.html")] if text.endswith("index.html") else text)
    return paths


def test_every_file_of_the_site_is_served(hosting: Hosting) -> None:
    from urllib.parse import quote
    failed = []
    paths = _site_paths(hosting.site)
    assert len(paths) > 150
    for path in paths:
        answer = hosting.server.get(quote(hosting.prefix + path))
        if answer.status != 200:
            failed.append((path, answer.status))
    # A former URL of a plan is a redirect, not a page.
    assert failed == [(f"plans/{ALIAS}/", 301)]


@pytest.mark.parametrize("form", ["{}/", "{}", "{}/index.html"])
def test_a_former_url_of_a_plan_is_a_permanent_redirect_to_the_plan(hosting: Hosting, form: str) -> None:
    answer = hosting.server.get(hosting.prefix + "plans/" + form.format(ALIAS))
    assert answer.status == 301
    assert answer.headers["location"] == f"{hosting.prefix}plans/{TARGET}/"
    assert hosting.server.get(answer.headers["location"]).status == 200


def test_an_unknown_url_is_a_404_with_the_sites_own_page(hosting: Hosting) -> None:
    answer = hosting.server.get(hosting.prefix + "plans/no-such-plan/")
    assert answer.status == 404
    assert answer.body == (hosting.site / "404.html").read_bytes()
    assert "<title>没有找到网页" in answer.body.decode("utf-8")
    assert "script-src-attr 'none'" in answer.headers["content-security-policy"]


def test_the_servers_configuration_and_the_sites_marker_are_not_served(hosting: Hosting) -> None:
    for path in (f"{SERVER_DIR}/{NGINX_FILE}", f"{SERVER_DIR}/{APACHE_FILE}", ".planpub-site"):
        assert hosting.server.get(hosting.prefix + path).status == 404


def test_pages_carry_the_security_headers_and_the_same_policy_as_their_meta_element(hosting: Hosting) -> None:
    answer = hosting.server.get(hosting.prefix)
    assert answer.status == 200
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    policy = answer.headers["content-security-policy"]
    assert "script-src-attr 'none'" in policy and "object-src 'none'" in policy
    assert answer.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(("path", "kind"), [
    ("feed.xml", "application/atom+xml"),
    ("plans.json", "application/json"),
    ("search/manifest.json", "application/json"),
    ("search/docs.bin", "application/octet-stream"),
    ("assets/search/search.js", "application/javascript"),
    ("robots.txt", "text/plain"),
])
def test_each_kind_of_file_has_its_type(hosting: Hosting, path: str, kind: str) -> None:
    answer = hosting.server.get(hosting.prefix + path)
    assert answer.status == 200
    assert answer.headers["content-type"].split(";")[0] == kind


def test_text_is_compressed_for_a_client_that_accepts_it_and_the_index_is_sent_as_it_is(hosting: Hosting) -> None:
    for path in ("", "plans.json", "assets/search/search.js", "feed.xml"):
        plain = hosting.server.get(hosting.prefix + path)
        packed = hosting.server.get(hosting.prefix + path, {"Accept-Encoding": "gzip"})
        assert packed.headers.get("content-encoding") == "gzip", path
        assert gzip.decompress(packed.body) == plain.body
        assert "content-encoding" not in plain.headers
    # The index's shards are gzip files already, unpacked by the page: no second layer.
    shard = hosting.server.get(hosting.prefix + "search/docs.bin", {"Accept-Encoding": "gzip"})
    assert "content-encoding" not in shard.headers


def test_only_files_that_never_change_under_their_url_are_cached_for_long(hosting: Hosting) -> None:
    bundle = next((hosting.site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    long = hosting.server.get(f"{hosting.prefix}assets/javascripts/{bundle}")
    assert long.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert hosting.server.get(hosting.prefix + "search/docs.bin?v=1").headers["cache-control"].startswith("public")
    for path in ("", "plans.json", "feed.xml", "search/manifest.json", "assets/search/search.js"):
        assert hosting.server.get(hosting.prefix + path).headers["cache-control"] == "no-cache", path


def test_a_folder_asked_for_without_its_slash_is_sent_to_the_slash(hosting: Hosting) -> None:
    answer = hosting.server.get(f"{hosting.prefix}plans/{TARGET}")
    assert answer.status == 301
    assert answer.headers["location"] == f"{hosting.prefix}plans/{TARGET}/"


# planpub publish


def _built_site(folder: Path, marker_text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / ".planpub-site").write_text("planpub", encoding="utf-8")
    (folder / "index.html").write_text(marker_text, encoding="utf-8")
    return folder


def test_publish_switches_releases_and_rollback_returns_to_the_previous(tmp_path: Path) -> None:
    live = tmp_path / "www" / "plans"
    _publish(_built_site(tmp_path / "one", "第一版"), live)
    _publish(_built_site(tmp_path / "two", "第二版"), live)
    assert (live / "index.html").read_text(encoding="utf-8") == "第二版"
    done = run("publish", str(live), "--rollback")
    assert done.code == 0 and "已恢复" in done.out
    assert (live / "index.html").read_text(encoding="utf-8") == "第一版"
    again = run("publish", str(live), "--rollback")
    assert again.code != 0 and "没有更早的版本" in again.err


def test_publish_keeps_the_last_releases_and_links_unchanged_files(tmp_path: Path) -> None:
    live = tmp_path / "www" / "plans"
    site = _built_site(tmp_path / "site", "同一内容")
    for _ in range(4):
        done = run("publish", str(live), "--site-dir", str(site), "--keep", "3")
        assert done.code == 0
    releases = sorted(p for p in (tmp_path / "www" / ".plans-releases").iterdir() if not p.name.startswith("."))
    assert len(releases) == 3
    assert (releases[-1] / "index.html").stat().st_ino == (releases[-2] / "index.html").stat().st_ino


def test_publish_refuses_a_folder_that_is_not_a_built_site_and_a_destination_that_holds_files(tmp_path: Path) -> None:
    plain = tmp_path / "plans"
    plain.mkdir()
    (plain / "a.md").write_text("作者的文件", encoding="utf-8")
    refused = run("publish", str(tmp_path / "www"), "--site-dir", str(plain))
    assert refused.code != 0 and "不是 planpub build 生成的网站" in refused.err
    site = _built_site(tmp_path / "site", "新网站")
    occupied = run("publish", str(plain), "--site-dir", str(site))
    assert occupied.code != 0 and "不是 planpub publish 建立的链接" in occupied.err
    assert (plain / "a.md").read_text(encoding="utf-8") == "作者的文件"
    assert sorted(p.name for p in plain.iterdir()) == ["a.md"]


def test_a_publish_killed_half_way_leaves_the_live_site_as_it_was(tmp_path: Path) -> None:
    live = tmp_path / "www" / "plans"
    _publish(_built_site(tmp_path / "old", "旧网站"), live)
    big = _built_site(tmp_path / "new", "新网站")
    for n in range(3000):
        (big / f"f{n:04d}.html").write_bytes(os.urandom(2048))
    releases = tmp_path / "www" / ".plans-releases"
    process = subprocess.Popen([sys.executable, "-m", "planpub.cli", "publish", str(live), "--site-dir", str(big)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        incoming = list(releases.glob(".incoming-*"))
        if incoming and sum(1 for _ in incoming[0].iterdir()) > 100:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert (live / "index.html").read_text(encoding="utf-8") == "旧网站"
    assert not (live / "f0000.html").exists()
    # The next publish clears what the killed one left and goes through.
    _publish(big, live)
    assert (live / "index.html").read_text(encoding="utf-8") == "新网站"
    assert not list(releases.glob(".incoming-*"))


def test_a_site_url_path_that_could_break_the_configuration_is_refused() -> None:
    assert site_prefix("https://example.gov.cn/kjj/plans") == "/kjj/plans/"
    assert site_prefix("") == "/"
    for bad in ("https://x.cn/a;b/", "https://x.cn/a b/", "https://x.cn/{x}/", "https://x.cn/$uri/"):
        with pytest.raises(PlanpubError, match="site_url"):
            site_prefix(bad)



def test_publish_to_a_remote_host_over_ssh_and_rsync_switches_and_rolls_back(tmp_path: Path) -> None:
    # An ssh that runs the command here: the host's side is this machine's shell, as it would be the server's.
    fake_ssh = tmp_path / "ssh"
    fake_ssh.write_text('#!/bin/sh\nshift\nexec sh -c "$*"\n', encoding="utf-8")
    fake_ssh.chmod(0o755)
    live = tmp_path / "www" / "plans"
    for text in ("第一版", "第二版"):
        site = _built_site(tmp_path / text, text)
        done = run("publish", f"server.example:{live}", "--site-dir", str(site), "--ssh", str(fake_ssh))
        assert done.code == 0, done.err
        assert (live / "index.html").read_text(encoding="utf-8") == text
    releases = sorted(p.name for p in (tmp_path / "www" / ".plans-releases").iterdir() if not p.name.startswith("."))
    assert len(releases) == 2 and live.is_symlink()
    back = run("publish", f"server.example:{live}", "--rollback", "--ssh", str(fake_ssh))
    assert back.code == 0, back.err
    assert (live / "index.html").read_text(encoding="utf-8") == "第一版"
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "mine.html").write_text("不是网站", encoding="utf-8")
    refused = run("publish", f"server.example:{occupied}", "--site-dir", str(tmp_path / "第一版"),
                  "--ssh", str(fake_ssh))
    assert refused.code != 0 and "不是 planpub publish 建立的链接" in refused.err
    assert [p.name for p in occupied.iterdir()] == ["mine.html"]


# Apache


@pytest.fixture(scope="module")
def apache_site() -> Iterator[tuple[Served, Path]]:
    # Apache's workers run as nobody: the site lives in a folder everyone may read, not pytest's private one.
    tmp = Path(tempfile.mkdtemp(prefix="planpub-apache-"))
    try:
        tmp.chmod(0o755)
        config = project_with_site_url(tmp / "project", "https://example.gov.cn/kjj/plans/")
        site = tmp / "site"
        done = run("build", "--config", str(config), "--plans", str(ROOT / "plans"), "--site-dir", str(site),
                   "--as-of", AS_OF.isoformat())
        assert done.code == 0, done.err
        www = tmp / "www"
        live = www / "kjj" / "plans"
        live.parent.mkdir(parents=True)
        _publish(site, live)
        for folder in (www, live.parent, live.parent / ".plans-releases"):
            folder.chmod(0o755)
        with running_apache(www, live, live / SERVER_DIR / APACHE_FILE, tmp / "apache") as server:
            yield server, site
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_apache_serves_the_site_under_a_sub_path_with_the_generated_configuration(
        apache_site: tuple[Served, Path]) -> None:
    server, site = apache_site
    home = server.get("/kjj/plans/")
    assert home.status == 200
    assert home.headers["x-content-type-options"] == "nosniff"
    assert "script-src-attr 'none'" in home.headers["content-security-policy"]
    assert home.headers["cache-control"] == "no-cache"
    moved = server.get(f"/kjj/plans/plans/{ALIAS}/")
    assert (moved.status, urlsplit(moved.headers["location"]).path) == (301, f"/kjj/plans/plans/{TARGET}/")
    missing = server.get("/kjj/plans/plans/no-such-plan/")
    assert missing.status == 404 and missing.body == (site / "404.html").read_bytes()
    assert server.get("/kjj/plans/feed.xml").headers["content-type"].startswith("application/atom+xml")
    assert server.get("/kjj/plans/.server/apache.conf").status == 404
    bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    assert server.get(f"/kjj/plans/assets/javascripts/{bundle}").headers["cache-control"] == LONG_CACHE
    packed = server.get("/kjj/plans/plans.json", {"Accept-Encoding": "gzip"})
    assert packed.headers.get("content-encoding") == "gzip"
