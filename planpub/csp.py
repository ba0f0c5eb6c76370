"""The site's Content-Security-Policy: defence in depth behind the sanitiser (planpub/sanitize.py).

Every page carries the policy in a `<meta http-equiv>` element: scripts only from the site itself and the inline
scripts the page was built with, identified by their SHA-256 (computed here from the finished page), so that an
inline event handler or a script element that reached a page anyhow does not run. The one function
`content_security_policy` makes the policy for the pages and for server configuration (an HTTP header); for a
header, which serves every page, `site_policy` takes the hashes of all pages of a built site:
`python -m planpub.csp site/` prints it."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import sys
from collections.abc import Iterable
from pathlib import Path

# An inline script the browser runs: no `src`, and no `type` or one of JavaScript's (a JSON data block is not run).
_INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?>", re.IGNORECASE)
POLICY_MARK = '<meta http-equiv="Content-Security-Policy"'


def script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """The policy, given the hashes (`script_hash`) of the inline scripts it allows. Scripts: this site's files and
    those inline scripts, never an event handler or `javascript:` URL; no plug-ins; `<base>` cannot send the
    page's links elsewhere; forms submit only to the site. Styles may be inline (the theme sets some) but only
    the site's files and `data:` icons load. No other host is contacted for anything."""
    hashes = " ".join(sorted(set(script_hashes)))
    script = f"'self' {hashes}" if hashes else "'self'"
    return "; ".join((
        "default-src 'self'",
        f"script-src {script}",
        "script-src-attr 'none'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ))


def inline_script_hashes(page: str) -> set[str]:
    found = set()
    for match in _INLINE_SCRIPT.finditer(page):
        attributes = match.group(1) or ""
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if kind is None or kind.group(1).lower() in _SCRIPT_TYPES:
            found.add(script_hash(match.group(2)))
    return found


def with_policy(page: str) -> str:
    """The page with its policy as the first element after its character set (a policy given in a meta element
    covers only what follows it)."""
    if POLICY_MARK in page[:page.find("</head>")]:
        return page
    policy = html.escape(content_security_policy(inline_script_hashes(page)), quote=False)
    element = f'{POLICY_MARK} content="{policy}">'
    charset = _CHARSET.search(page)
    if charset is not None:
        return page[:charset.end()] + element + page[charset.end():]
    head = page.lower().find("<head>")
    if head < 0:
        raise ValueError("a page without <head>")
    return page[:head + len("<head>")] + element + page[head + len("<head>"):]


def site_policy(site_dir: Path) -> str:
    """The policy for an HTTP header serving every page of a built site: the hashes of all their inline scripts."""
    hashes: set[str] = set()
    for page in site_dir.rglob("*.html"):
        hashes |= inline_script_hashes(page.read_text(encoding="utf-8", errors="replace"))
    return content_security_policy(hashes)


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    print(f"Content-Security-Policy: {site_policy(folder)}")
