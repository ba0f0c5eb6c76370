"""Screenshots of the main pages for the README, on a desktop and on a phone, in the normal look and with the
largest text in high contrast. Regenerate after changing the look:

    python -m tests.browser.screenshots             # builds the sample site, writes docs/screenshots/*.png
    python -m tests.browser.screenshots --site site --out /tmp/shots
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, READER_KEY, serve
from tests.conftest import build_sample_site

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
BIG_AND_CONTRASTED = {"text": "xlarge", "contrast": "high"}


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    viewport: dict[str, int]
    prefs: dict[str, str] | None = None
    open_menu: bool = False


SHOTS = [
    Shot("desktop-home", "", DESKTOP),
    Shot("desktop-year", "years/2024/", DESKTOP),
    Shot("desktop-region", "regions/330381/", DESKTOP),
    Shot("desktop-plan", "plans/ruian-kjj-2024-gzjh/", DESKTOP),
    Shot("desktop-plan-large-contrast", "plans/ruian-kjj-2024-gzjh/", DESKTOP, BIG_AND_CONTRASTED),
    Shot("phone-home", "", PHONE),
    Shot("phone-menu", "", PHONE, open_menu=True),
    Shot("phone-plan", "plans/ruian-kjj-2024-gzjh/", PHONE),
    Shot("phone-plan-large-contrast", "plans/ruian-kjj-2024-gzjh/", PHONE, BIG_AND_CONTRASTED),
]


def take(browser: object, base: str, shot: Shot, out: Path) -> Path:
    context = browser.new_context(viewport=shot.viewport, locale="zh-CN",  # type: ignore[attr-defined]
                                  reduced_motion="reduce")
    try:
        if shot.prefs:
            context.add_init_script(f"localStorage.setItem({READER_KEY!r}, {json.dumps(json.dumps(shot.prefs))})")
        page = context.new_page()
        page.goto(base + shot.path, wait_until="networkidle")
        if shot.open_menu:
            page.locator(".md-header").get_by_role("button", name="打开导航菜单").click()
        page.evaluate("document.fonts.ready")
        target = out / f"{shot.name}.png"
        page.screenshot(path=str(target))
        return target
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site (default: build the sample site)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="planpub-shots-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            if not build_sample_site(site):
                return 1
        with contextmanager(serve)(site.resolve()) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for shot in SHOTS:
                print(take(browser, server.base, shot, args.out).relative_to(args.out.parent))
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
