"""Debian's Apache on loopback, with the site's `.server/apache.conf` included in the `<Directory>` block of the
folder that holds the published site, as the README tells a bureau to set it up."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.nginx import Served

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
_NEEDED = ("mpm_event", "authz_core", "mime", "dir", "alias", "headers", "deflate", "filter")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_apache(root: Path, site: Path, include: Path, work: Path) -> Iterator[Served]:
    """`root` is the DocumentRoot, `site` the folder of the site inside it. Gives a client with the same `get`."""
    if not Path(APACHE).exists():
        pytest.fail("Apache is not installed: `make browser-deps` installs Debian's apache2")
    work.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    modules = "\n".join(f"LoadModule {name}_module {MODULES}/mod_{name}.so" for name in _NEEDED)
    # Apache refuses to run its workers as root; they run as nobody, so the site must be readable by all.
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    (work / "httpd.conf").write_text(f"""ServerRoot {work}
{modules}
{user}Listen 127.0.0.1:{port}
ServerName localhost
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
TypesConfig /etc/mime.types
DocumentRoot {root}
DirectoryIndex index.html
<Directory />
    AllowOverride None
    Require all granted
</Directory>
<Directory {site}>
    Include {include}
</Directory>
""", encoding="utf-8")
    master = subprocess.Popen([APACHE, "-f", str(work / "httpd.conf"), "-DFOREGROUND"], stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if master.poll() is not None:
                assert master.stderr is not None
                pytest.fail(f"Apache did not start: {master.stderr.read().decode()}")
            time.sleep(0.05)
        yield Served(port, work, master)
    finally:
        master.terminate()
        master.wait(timeout=10)
