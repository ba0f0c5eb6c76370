"""`planpub serve`: the site on this machine while an author writes, rebuilt when a plan or a site file changes.

Each rebuild is a whole `planpub build --preview` in its own process group, into a preview folder that the build
replaces only when it succeeds; so the server always has a complete site to serve, the last good one. A build that
fails leaves that site in place and its messages (file:line, in Chinese) shown over every page in the browser and in
the terminal, until a change fixes them. Pages reload themselves after a successful rebuild: each HTML page served
here gets one script of the preview (`/.planpub-preview/reload.js`, an external file, so the pages' own
Content-Security-Policy allows it) that asks the server for the build's state.

Stopping (Ctrl+C, `kill`) ends the build that is running, with every process it started."""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREVIEW_PATH = "/.planpub-preview/"
STATE_PATH = PREVIEW_PATH + "state"
SCRIPT_PATH = PREVIEW_PATH + "reload.js"
_SCRIPT_TAG = f'<script src="{SCRIPT_PATH}"></script>'.encode()
_IGNORED_PARTS = {".git", ".cache", "site", "__pycache__", "node_modules", ".venv"}

RELOAD_JS = """(() => {
  "use strict";
  let seen = null;
  let box = null;
  function show(error) {
    if (!error) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "pp-preview-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:10000;" +
        "background:#fff3f3;color:#5c0000;border-top:4px solid #b00020;padding:1em;font:16px/1.6 sans-serif;";
      document.body.appendChild(box);
    }
    box.replaceChildren();
    const head = document.createElement("strong");
    head.textContent = "预览没有更新：计划或网站文件有错误。改好并保存后自动刷新；下面的页面是上一次成功生成的网站。";
    const text = document.createElement("pre");
    text.style.cssText = "white-space:pre-wrap;margin:.5em 0 0;font:15px/1.5 monospace;";
    text.textContent = error;
    box.append(head, text);
  }
  async function poll() {
    try {
      const answer = await fetch("STATE", { cache: "no-store" });
      const state = await answer.json();
      if (seen !== null && state.generation !== seen) { location.reload(); return; }
      seen = state.generation;
      show(state.error);
    } catch (e) {
      // The preview is restarting or has stopped: ask again.
    }
    setTimeout(poll, 500);
  }
  poll();
})();
""".replace("STATE", STATE_PATH)


@dataclass
class BuildState:
    generation: int = 0
    """How many builds have succeeded; a page reloads when it changes."""
    error: str = ""
    """The last build's messages when it failed, else empty."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}, ensure_ascii=False).encode()


class Builder:
    """Runs one build at a time, each in a process group of its own so that stopping can end all of it."""

    def __init__(self, command: Sequence[str], state: BuildState) -> None:
        self.command = list(command)
        self.state = state
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self.stopped = False

    def build(self) -> bool:
        with self._lock:
            if self.stopped:
                return False
            self._process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                             start_new_session=True)
        out, err = self._process.communicate()
        code = self._process.returncode
        with self._lock:
            self._process = None
        with self.state.lock:
            if code == 0:
                self.state.generation += 1
                self.state.error = ""
            else:
                self.state.error = (err.strip() or out.strip() or f"构建失败（退出码 {code}）")
        return code == 0

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            process = self._process
        if process is None or process.poll() is not None:
            return
        # SIGTERM first: the build removes its half-written folder on the way out; then nothing is left running.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _error_page(state: BuildState) -> bytes:
    with state.lock:
        error = state.error or "网站正在生成，请稍候……"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>预览：网站还没有生成</title></head>
<body style="font:18px/1.6 sans-serif;margin:2em">
<h1>网站还没有生成</h1>
<p>计划或网站文件有错误，改好并保存后页面自动刷新。</p>
<pre style="white-space:pre-wrap">{html.escape(error)}</pre>
{_SCRIPT_TAG.decode()}
</body></html>
""".encode()


def handler_class(site_dir: Path, state: BuildState) -> type[http.server.SimpleHTTPRequestHandler]:
    class PreviewHandler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def end_headers(self) -> None:
            # A preview is always fresh: nothing is cached between rebuilds.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == STATE_PATH:
                return self._send(200, "application/json; charset=utf-8", state.as_json())
            if path == SCRIPT_PATH:
                return self._send(200, "application/javascript; charset=utf-8", RELOAD_JS.encode())
            if not (site_dir / ".planpub-site").is_file():
                return self._send(503, "text/html; charset=utf-8", _error_page(state))
            target = Path(self.translate_path(self.path))
            if target.is_dir() and path.endswith("/"):
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                page = target.read_bytes()
                at = page.rfind(b"</body>")
                page = page[:at] + _SCRIPT_TAG + page[at:] if at >= 0 else page + _SCRIPT_TAG
                return self._send(200, "text/html; charset=utf-8", page)
            if not target.exists() and (site_dir / "404.html").is_file():
                page = (site_dir / "404.html").read_bytes()
                return self._send(404, "text/html; charset=utf-8", page.replace(b"</body>", _SCRIPT_TAG + b"</body>"))
            return super().do_GET()

        do_HEAD = do_GET

    return PreviewHandler


def _watched(change: tuple[Any, str]) -> bool:
    parts = Path(change[1]).parts
    name = parts[-1] if parts else ""
    return not (_IGNORED_PARTS & set(parts) or name.endswith(("~", ".swp", ".tmp")) or name.startswith(".#"))


def changes(paths: Sequence[Path], stop: threading.Event) -> Iterator[int]:
    """How many files changed, each time some did (a burst of saves counts as one change)."""
    from watchfiles import watch

    # Its own English notice on Ctrl+C ("KeyboardInterrupt caught, stopping watch"): the preview says it in Chinese.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    for batch in watch(*[p for p in paths if p.exists()], stop_event=stop, debounce=200, step=50,
                       watch_filter=lambda kind, path: _watched((kind, path)), raise_interrupt=False):
        yield len(batch)


def _interrupt(signum: int, frame: object) -> None:
    # `kill` stops the preview as Ctrl+C does, through the same clean-up.
    raise KeyboardInterrupt


def serve(command: Sequence[str], site_dir: Path, watched: Sequence[Path], address: str) -> int:
    host, _, port = address.rpartition(":")
    state = BuildState()
    builder = Builder(command, state)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler_class(site_dir, state))
    except OSError as exc:
        print(f"错误：无法在 {address} 启动预览（{exc.strerror}）。"
              "请用 --addr 换一个端口，例如 --addr 127.0.0.1:8001。", file=sys.stderr)
        return 2
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"预览地址：http://{address}/  （按 Ctrl+C 结束）", flush=True)
    try:
        started = time.monotonic()
        _report(builder.build(), state, started, "已生成")
        for count in changes(watched, stop):
            started = time.monotonic()
            print(f"{count} 个文件有改动，重新生成……", flush=True)
            _report(builder.build(), state, started, "已更新")
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        builder.stop()
        server.shutdown()
        server.server_close()
        signal.signal(signal.SIGTERM, previous)
        print("预览已结束。", flush=True)
    return 0


def _report(ok: bool, state: BuildState, started: float, done: str) -> None:
    seconds = time.monotonic() - started
    if ok:
        print(f"{done}（用时 {seconds:.1f} 秒），浏览器中的页面会自动刷新。", flush=True)
    else:
        print(state.error, file=sys.stderr)
        print("预览没有更新：请按上面的提示修改，保存后自动重新生成。", file=sys.stderr, flush=True)
