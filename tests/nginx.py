"""Debian's nginx on loopback, configured as the README tells a bureau to configure it: `root` at the folder that
holds the published site, and the site's own `.server/nginx.conf` included."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Served:
    """A web server on loopback and a plain HTTP client for it (no redirect followed)."""

    port: int
    prefix: Path
    master: subprocess.Popen[bytes]

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers or {})
            answer = connection.getresponse()
            return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
        finally:
            connection.close()


@dataclass
class Nginx(Served):
    def reload(self) -> None:
        """Re-reads the configuration, as `systemctl reload nginx` does after a publish."""
        subprocess.run([NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-s", "reload"],
                       check=True, capture_output=True)
        time.sleep(0.5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_nginx(root: Path, include: Path, work: Path) -> Iterator[Nginx]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: `make browser-deps` installs Debian's nginx-light")
    work.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    # Run as root (CI), the workers would drop to `nobody`, who cannot enter pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {work}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                        "scgi"))
    (work / "nginx.conf").write_text(f"""{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        include {include};
    }}
}}
""", encoding="utf-8")
    master = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")],
                              stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if master.poll() is not None:
                assert master.stderr is not None
                pytest.fail(f"nginx did not start: {master.stderr.read().decode()}")
            time.sleep(0.05)
        yield Nginx(port, work, master)
    finally:
        master.terminate()
        master.wait(timeout=10)
