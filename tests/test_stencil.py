"""Pages laid out from a stencil are the pages the theme renders: every file of a site is the same either way."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from jinja2 import DictLoader, Environment
from mkdocs.structure.toc import get_toc

from planpub.cli import main
from planpub.stencil import carve, inert, marker

from .conftest import AS_OF, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus


def test_a_carved_stencil_filled_with_values_is_the_rendering_with_those_values() -> None:
    def render(title: str, body: str) -> str:
        return f"<title>{title} - 站点</title><header>{title}</header><main>{body}</main>"

    stencil = carve(render(marker("title"), marker("body")), {"title": marker("title"), "body": marker("body")})
    assert stencil is not None
    assert stencil.holes == ("title", "title", "body")
    assert stencil.fill({"title": "2024年科技工作计划", "body": "<p>正文</p>"}) == render("2024年科技工作计划",
                                                                                        "<p>正文</p>")


def test_a_stand_in_the_theme_changed_gives_no_stencil() -> None:
    # A theme that cut the title short, say: the marker is no longer whole, and filling it would be wrong.
    assert carve(f"<title>{marker('title')[:12]}…</title>", {"title": marker("title")}) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2024年瓯海区科技工作计划", True), ("关于印发《三年行动计划（2023—2025年）》的通知", True), ("A B", True),
    ("研发&amp;转化", False), ('"引号"', False), ("<b>粗</b>", False), ("两个  空格", False), (" 开头空格", False),
    ("换行\n", False), ("", False)])
def test_only_text_no_escaping_or_folding_changes_goes_into_a_hole(text: str, expected: bool) -> None:
    assert inert(text) is expected


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def build(plans: Path | None, site: Path, monkeypatch: pytest.MonkeyPatch, stencil: bool) -> dict[str, bytes]:
    monkeypatch.setenv("PLANPUB_STENCIL", "on" if stencil else "off")
    argv = ["build", "--config", str(ROOT / "mkdocs.yml"), "--site-dir", str(site), "--as-of", AS_OF.isoformat()]
    assert main([*argv, *(["--plans", str(plans)] if plans else [])]) == 0
    return files(site)


def varied_plans(folder: Path) -> Path:
    """Generated plans, and plans whose title or summary the theme would escape (those are rendered in full)."""
    write_corpus(folder, 40)
    for n, (title, summary) in enumerate([("研发&转化专项计划", "概述"), ('“双创”"示范"计划', None),
                                           ("无概述的计划", None), ("带概述的计划", "推进 <创新> 与转化。")]):
        front = [f"id: extra-{n}", f"title: '{title}'", "year: 2024", "region: 浙江省/温州市/瓯海区",
                 "issuer: 瓯海区科学技术局", "category: 工作要点", "written: 2024-03-01",
                 *([f"summary: '{summary}'"] if summary else [])]
        (folder / f"extra-{n}.md").write_text("---\n" + "\n".join(front) + "\n---\n\n## 一、总体要求\n\n正文。\n",
                                              encoding="utf-8")
    return folder


@pytest.mark.parametrize("corpus", ["sample", "generated"])
def test_every_file_of_a_site_is_the_same_with_and_without_stencils(
        corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = varied_plans(tmp_path / "plans") if corpus == "generated" else None
    with_stencils = build(plans, tmp_path / "with", monkeypatch, stencil=True)
    in_full = build(plans, tmp_path / "without", monkeypatch, stencil=False)
    assert with_stencils.keys() == in_full.keys()
    different = [name for name in in_full if with_stencils[name] != in_full[name]]
    assert different == []


def test_plan_year_and_region_pages_are_laid_out_from_stencils(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLANPUB_AS_OF": AS_OF.isoformat()}
    env.pop("PLANPUB_STENCIL", None)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--verbose", "--site-dir", str(tmp_path / "s")],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    line = next(line for line in done.stderr.splitlines() if "pages laid out from stencils" in line)
    plans = len(list((tmp_path / "s" / "plans").glob("*/index.html")))
    # All but the first page of each kind, which the stencil is made from.
    assert int(line.split("-", 1)[1].split()[0]) >= plans - 1 > 10


def stencil_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stencil_hooks", ROOT / "hooks" / "stencil_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_page(plan_id: str, edit: str | None) -> Any:
    toc = get_toc([{"level": 1, "id": plan_id, "name": "计划", "html": "计划", "data-toc-label": "", "children": []}])
    return SimpleNamespace(meta={"title": f"计划{plan_id}", "planpub_kind": "plan"}, url=f"plans/{plan_id}/",
                           canonical_url=f"https://example.gov.cn/plans/{plan_id}/", abs_url=f"/plans/{plan_id}/",
                           content=f'<h1 id="{plan_id}">计划</h1><p>正文{plan_id}</p>', toc=toc, edit_url=edit,
                           file=SimpleNamespace(src_uri=f"plans/{plan_id}.md"))


def test_a_page_that_differs_outside_the_holes_is_rendered_in_full() -> None:
    hooks = stencil_hooks()
    templates = {
        "main.html": ("<title>{{ page.meta.title }}</title><a href='{{ (page.toc | first).url }}'>跳过</a>"
                      "{% include 'partials/toc.html' %}{% include 'partials/pp-head-portal.html' %}"
                      "{% if page.edit_url %}<a href='{{ page.edit_url }}'>编辑</a>{% endif %}"
                      "<link href='{{ page.canonical_url }}'>{{ page.content }}"),
        "partials/toc.html": "{% call pp_slot('toc', page) %}<nav>{{ (page.toc | first).title }}</nav>{% endcall %}",
        "partials/pp-head-portal.html": "{% call pp_slot('portal_head', page) %}<meta>{% endcall %}",
        "partials/language.html": "", "pp-stencil.html": "{{ pp_stencil() }}"}
    env = Environment(loader=DictLoader(templates))
    for edit in (None, "https://example.gov.cn/edit/"):
        hooks.on_env(env, config=None, files=None)
        for plan_id in ("a1", "b2", "c3", "d4"):
            page = fake_page(plan_id, edit and edit + plan_id)
            assert env.get_template("pp-stencil.html").render(page=page) == \
                env.get_template("main.html").render(page=page)
        # Without edit links every page comes from the stencil. With them only the first does, whose own link the
        # stencil was drawn with: the check of the second finds the difference.
        assert hooks._state["stencils"].filled == (1 if edit else 4)
