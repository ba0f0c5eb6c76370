"""Plans written to run script (tests/payloads.py) built into a site: no page runs any of it in Chromium, and no
element carries an event handler or a style from plan text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import Server, serve
from tests.conftest import ROOT, run
from tests.payloads import write_payload_plans

pytestmark = pytest.mark.browser

AS_OF = "2026-06-30"
# Every element of the page that shows plan text: the body, the table of contents, the header and the title.
_FROM_PLANS = "article, .md-nav--secondary, .md-header__topic, head"
_FOUND = """(selector) => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/\\s/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(element.tagName + " " + name);
      if (["href", "src", "action", "data", "formaction", "xlink:href"].includes(name)
          && /^(javascript|data|vbscript):/.test(value)) found.push(element.tagName + " " + name + "=" + value);
    }
    if (element.hasAttribute("style") && element.closest(selector)) found.push(element.tagName + " style");
    if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "FORM", "INPUT"].includes(element.tagName)
        && element.closest("article")) found.push(element.tagName);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("payloads")
    plans = write_payload_plans(folder / "plans")
    built = run("build", "--config", str(ROOT / "mkdocs.yml"), "--plans", str(plans),
                "--site-dir", str(folder / "site"), "--as-of", AS_OF)
    assert built.code == 0, built.err
    yield from serve(folder / "site")


def _pages(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" if p.parent != site else ""
                  for p in site.rglob("index.html"))


def test_no_page_built_from_hostile_plans_runs_script_or_carries_handlers(payload_site: Server,
                                                                         browser: object) -> None:
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    problems: list[str] = []

    def on_dialog(dialog: object) -> None:
        dialogs.append(f"{page.url}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    urls = _pages(payload_site.root)
    assert len([u for u in urls if u.startswith("plans/xss-")]) == 25
    found: dict[str, list[str]] = {}
    for url in urls:
        page.goto(payload_site.url(url), wait_until="load")
        # Hover and focus everything the payloads could hang a handler on, and give timers a moment.
        page.mouse.move(300, 300)
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
        attributes = page.evaluate(_FOUND, _FROM_PLANS)
        if attributes:
            found[url] = attributes
    context.close()
    assert dialogs == []
    assert found == {}


def test_hostile_front_matter_shows_as_text(payload_site: Server, browser: object) -> None:
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(payload_site.url("plans/xss-25/"))
    assert page.locator("article h1").inner_text().startswith("标题<script>alert('t')</script>&amp;\"引号\"<b>")
    assert "机关<script>alert('t')</script>" in page.locator("table.pp-disclosure").inner_text()
    assert page.title().startswith("标题<script>")
    context.close()
