"""Page weight: the built site's total size, and the compressed bytes a reader's browser downloads to open each
kind of page (home, plan, year, region, coverage, search, 404) from a cold cache, with the time to first
contentful paint (FCP).

    python benchmarks/weight.py                 # builds the sample site, median of 5 runs
    python benchmarks/weight.py --site site --runs 9

The site is served on loopback by a small threaded server that gzips text responses (level 6, as a typical web
server does). Each run opens the page in a fresh Chromium context (empty cache), sums the bytes the network
layer received (`encodedDataLength`, headers included) for every request until the network is idle, and reads
FCP from the page. FCP is taken twice: on loopback, and with the network slowed to a slow 4G line (150 ms round
trip, 1.6 Mbit/s down), which is what decides how soon a reader on a phone sees text. Goal: a plan page,
without search's index, at most 150 KB.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.conftest import build_sample_site  # noqa: E402

PAGES = {"home": "", "plan": "plans/ruian-kjj-2024-gzjh/", "year": "years/2024/", "region": "regions/330381/",
         "coverage": "coverage/", "search": "search/?q=科技", "404": "404.html"}
GOAL_KB = {"plan": 150}
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
SLOW_4G: dict[str, object] = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8,
                              "uploadThroughput": 750e3 / 8}
# Resources fetched only when a reader searches; the goal counts the page without them.
SEARCH_ONLY = ("/search/index", "search_index", "/search/shards/")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it and the type is text."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if (not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not ctype.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns for SimpleHTTPRequestHandler to copy to the client."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


@contextmanager
def serve_gzip(root: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Load:
    fcp_ms: float
    transferred: dict[str, int] = field(default_factory=dict)
    """Bytes received per URL."""

    @property
    def total(self) -> int:
        return sum(self.transferred.values())

    @property
    def without_search(self) -> int:
        return sum(n for url, n in self.transferred.items() if not any(s in url for s in SEARCH_ONLY))


def open_cold(browser: object, url: str, throttle: dict[str, object] | None) -> Load:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if throttle:
            cdp.send("Network.emulateNetworkConditions", throttle)
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        page.goto(url, wait_until="networkidle")
        fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
        base = url.split("/", 3)[:3]
        # data: URLs are part of a file already counted; they cross no network.
        return Load(float(fcp), {urls[r].removeprefix("/".join(base)): n for r, n in sizes.items()
                                 if r in urls and not urls[r].startswith("data:")})
    finally:
        context.close()


def _exists(site: Path, path: str) -> bool:
    target = site / path.split("?")[0]
    return (target / "index.html").is_file() if path == "" or path.endswith("/") else target.is_file()


def site_size(site: Path) -> None:
    """What a copy of the site to a server holds: total bytes and files, by top-level folder and for the largest
    files, so that a file no page loads stands out."""
    files = [f for f in site.rglob("*") if f.is_file()]
    total = sum(f.stat().st_size for f in files)
    print(f"Site: {len(files)} files, {total / 1024:.1f} KB")
    by_folder: dict[str, int] = {}
    for f in files:
        parts = f.relative_to(site).parts
        folder = "/".join(parts[:2]) if parts[0] == "assets" and len(parts) > 2 else parts[0]
        by_folder[folder] = by_folder.get(folder, 0) + f.stat().st_size
    for folder, size in sorted(by_folder.items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:>8.1f} KB  {folder}")
    print()


def measure(base: str, runs: int, site: Path) -> dict[str, tuple[list[Load], list[Load]]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, tuple[list[Load], list[Load]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            open_cold(browser, base, None)  # warm-up: Chromium's first context pays start-up costs
            for name, path in PAGES.items():
                if not _exists(site, path):
                    print(f"({name}: {path} is not in this site)")
                    continue
                local: list[Load] = []
                slow: list[Load] = []
                # Alternated, so that drift in the machine's speed hits both alike.
                for _ in range(runs):
                    local.append(open_cold(browser, base + path, None))
                    slow.append(open_cold(browser, base + path, SLOW_4G))
                results[name] = (local, slow)
        finally:
            browser.close()
    return results


def report(results: dict[str, tuple[list[Load], list[Load]]], runs: int) -> None:
    print(f"Cold-cache page weight, gzip level 6, median of {runs} runs")
    print(f"{'page':<8} {'requests':>8} {'KB':>7} {'KB w/o search':>14} {'FCP local ms':>13} {'FCP slow 4G ms':>15}"
          f" {'goal':>12}")
    for name, (local, slow) in results.items():
        kb = statistics.median(load.total for load in local) / 1024
        kb_plain = statistics.median(load.without_search for load in local) / 1024
        goal = GOAL_KB.get(name)
        verdict = "" if goal is None else (f"≤{goal} ok" if kb_plain <= goal else f"≤{goal} OVER")
        print(f"{name:<8} {len(local[0].transferred):>8} {kb:>7.1f} {kb_plain:>14.1f} "
              f"{statistics.median(x.fcp_ms for x in local):>13.0f} {statistics.median(x.fcp_ms for x in slow):>15.0f}"
              f" {verdict:>12}")
    for name, (local, _) in results.items():
        print(f"\n{name}: bytes by request (first run)")
        for url, size in sorted(local[0].transferred.items(), key=lambda item: -item[1]):
            print(f"  {size / 1024:>7.1f} KB  {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site (default: build the sample site)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planpub-weight-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            if not build_sample_site(site):
                sys.exit("the sample site did not build")
        site_size(site)
        with serve_gzip(site.resolve()) as base:
            report(measure(base, args.runs, site), args.runs)


if __name__ == "__main__":
    main()
