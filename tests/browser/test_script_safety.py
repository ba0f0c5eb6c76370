"""Plans written to run script (tests/payloads.py) built into a site: no page runs any of it in Chromium, and no
element carries an event handler or a style from plan text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import Server, serve
from tests.conftest import declare_place, run
from tests.payloads import HOSTILE_REGION, write_payload_plans
from tests.test_portal_corpus import project_with_site_url

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
    config = project_with_site_url(folder / "project", '""')
    declare_place(config, HOSTILE_REGION, 330304)
    built = run("build", "--config", str(config), "--plans", str(plans),
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
        if url in ("search/", ""):
            # The search form of the search page and of the home page (the front door), which hold no plan text.
            attributes = [a for a in attributes if a not in ("FORM", "INPUT")]
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
    assert page.locator('meta[name="DC.title"]').get_attribute("content") == (
        "标题<script>alert('t')</script>&amp;\"引号\"<b>")
    # The declared place's key is made by the site; its page is the one region page titled with its name.
    [region] = [p.parent.name for p in (payload_site.root / "regions").glob("*/index.html")
                if "onerror=alert(1)&gt;&amp;&#34;区&#34;的计划" in p.read_text(encoding="utf-8")
                or "onerror=alert(1)&gt;&amp;&quot;区&quot;的计划" in p.read_text(encoding="utf-8")]
    page.goto(payload_site.url(f"regions/{region}/"))
    assert page.locator('meta[name="DC.title"]').get_attribute("content") == f"{HOSTILE_REGION}的计划"
    assert page.locator('meta[property="og:title"]').get_attribute("content") == f"{HOSTILE_REGION}的计划"
    assert page.locator("article h1").inner_text().rstrip("¶") == f"{HOSTILE_REGION}的计划"
    context.close()


# The Content-Security-Policy every page carries: the theme's and the site's scripts still work under it.

_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__violations.push(event.violatedDirective + " " + event.blockedURI));"""


def _policy_page(browser: object) -> tuple[object, object, list[str]]:
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.add_init_script(_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    return context, page, console


def test_every_page_has_a_policy_that_allows_no_inline_handler(sample_site: Path) -> None:
    from planpub.csp import POLICY_MARK

    pages = [p for p in sample_site.rglob("*.html")]
    assert len(pages) >= 40
    for file in pages:
        text = file.read_text(encoding="utf-8")
        head = text[:text.find("<script")] if "<script" in text else text
        assert POLICY_MARK in head, file
        policy = text.split(POLICY_MARK, 1)[1].split(">", 1)[0]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy and "base-uri 'self'" in policy
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0], file


def test_the_theme_and_site_scripts_work_under_the_policy(site_server: Server, browser: object) -> None:
    context, page, console = _policy_page(browser)
    page.goto(site_server.url())  # type: ignore[attr-defined]
    # Material's inline scripts ran: its scope for stored settings exists, and its bundle drew the tabs.
    assert page.evaluate("typeof __md_scope") == "object"  # type: ignore[attr-defined]
    # The reader tools (inline preference script, then reader.js).
    header = page.locator(".md-header")  # type: ignore[attr-defined]
    header.get_by_role("button", name="大", exact=True).click()
    assert page.evaluate("document.documentElement.getAttribute('data-pp-text')") == "large"  # type: ignore[attr-defined]
    header.get_by_role("button", name="高对比", exact=True).click()
    assert page.evaluate("document.documentElement.getAttribute('data-pp-contrast')") == "high"  # type: ignore[attr-defined]
    # The tabs lead to their sections.
    page.locator(".md-tabs").get_by_role("link", name="按年度").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/years/")  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.getAttribute('data-pp-text')") == "large"  # type: ignore[attr-defined]
    # The search page reads its index and shows results.
    page.goto(site_server.url("search/?q=科技"))  # type: ignore[attr-defined]
    page.locator("#pp-search-results .pp-result__title a").first.wait_for()  # type: ignore[attr-defined]
    page.goto(site_server.url("plans/ruian-kjj-2024-gzjh/"))  # type: ignore[attr-defined]
    page.wait_for_timeout(100)  # type: ignore[attr-defined]
    violations = page.evaluate("window.__violations")  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]
    assert violations == []
    assert [line for line in console if "Content Security Policy" in line or "Refused" in line] == []


def test_a_handler_that_reached_a_page_anyhow_does_not_run(site_server: Server, browser: object) -> None:
    context, page, _ = _policy_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    page.goto(site_server.url())  # type: ignore[attr-defined]
    # As if a sanitiser had missed them: markup inserted into the published page.
    page.evaluate("""() => {  // type: ignore
        const box = document.createElement("div");
        box.innerHTML = '<img src="x" onerror="alert(1)"><a id="pp-x" href="javascript:alert(2)">x</a>';
        document.querySelector("article").append(box);
        const script = document.createElement("script");
        script.textContent = "alert(3)";
        document.body.append(script);
    }""")  # type: ignore[attr-defined]
    page.locator("#pp-x").click()  # type: ignore[attr-defined]
    page.wait_for_timeout(200)  # type: ignore[attr-defined]
    violations = page.evaluate("window.__violations")  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]
    assert dialogs == []
    assert len(violations) >= 3
