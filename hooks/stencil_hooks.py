"""MkDocs hooks: pages outside the navigation (plans, years, regions) laid out from one rendering of the theme per
kind of page instead of one each; see planpub/stencil.py for why. Everything that knows the theme's templates is
here and in docs/overrides.

Such a page is given the template `pp-stencil.html`, which asks `pp_stencil` for the page. The first page of a
kind is rendered in full with stand-in values (`StandInPage`) and carved into a stencil; the next pages are the
stencil filled with their own values, and their table of contents and portal metadata, which the templates mark
as slots (`pp_slot`), rendered on their own. The first two pages filled are also rendered in full and compared:
if a theme or setting makes a page differ in anything else (an edit link, say), that kind of page is rendered in
full from then on. `PLANPUB_STENCIL=off` renders every page in full, which the tests compare with.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from jinja2 import pass_context
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.toc import get_toc

from planpub.stencil import Stencil, carve, inert, marker

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.planpub.stencil")

ENV_STENCIL = "PLANPUB_STENCIL"
STENCIL_TEMPLATE = "pp-stencil.html"
PAGE_TEMPLATE = "main.html"
SLOTS = {"toc": "partials/toc.html", "portal_head": "partials/pp-head-portal.html"}
"""Parts of a page drawn by a template of their own, marked `{% call pp_slot(name, page) %}…{% endcall %}`."""
LANGUAGE = "partials/language.html"
"""The theme's translations, which the page template imports as `lang` (the table of contents uses them)."""
CHECKED_PAGES = 2
CONTENT_STAND_IN = f"<h1>{marker('content')}</h1>"
"""The theme adds a heading to a page whose content has none."""


class StandInPage:
    """A page with markers in the place of what differs between pages of its kind."""

    def __init__(self, page: Page, slug: str) -> None:
        self._page = page
        self.meta = {**page.meta, "title": marker("title")}
        if "description" in page.meta:
            self.meta["description"] = marker("description")
        self.title = marker("title")
        self.content = CONTENT_STAND_IN
        self.toc = get_toc([{"level": 1, "id": marker("skip"), "name": "", "children": []}])
        ending = f"{slug}/"

        def stand_in(url: str | None) -> str | None:
            return url[:-len(ending)] + f"{marker('slug')}/" if url and url.endswith(ending) else url

        self.url = stand_in(page.url)
        self.canonical_url = stand_in(page.canonical_url)
        self.abs_url = stand_in(page.abs_url)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


STAND_INS = {"title": marker("title"), "description": marker("description"), "slug": marker("slug"),
             "content": CONTENT_STAND_IN, "skip": f"#{marker('skip')}", **{name: marker(name) for name in SLOTS}}


def page_values(page: Page) -> dict[str, str] | None:
    """What fills the stencil's holes for this page, but for the slots; None when the page must be rendered in
    full (a value the theme could escape or fold, a page without a heading of its own)."""
    title = page.meta.get("title")
    description = page.meta.get("description", "")
    slug = page.url.rstrip("/").rpartition("/")[2]
    items = page.toc.items
    content = page.content or ""
    if not (isinstance(title, str) and inert(title) and isinstance(description, str)
            and (not description or inert(description)) and slug and inert(slug) and page.url.endswith(f"{slug}/")
            and "<h1" in content and items):
        return None
    return {"title": title, "description": description, "slug": slug, "content": content, "skip": items[0].url}


class Stencils:
    def __init__(self) -> None:
        self._stencils: dict[tuple[Any, ...], Stencil | None] = {}
        self._to_check: dict[tuple[Any, ...], int] = {}
        self._lang: Any = None
        self.filled = 0

    def page(self, context: Context) -> str:
        env = context.environment
        variables = context.get_all()
        page: Page = variables["page"]

        def in_full() -> str:
            return env.get_template(PAGE_TEMPLATE).render(variables)

        values = page_values(page)
        if values is None:
            return in_full()
        slug = values["slug"]
        key = (page.url[:-len(slug) - 1], page.meta.get("planpub_kind"), tuple(sorted(page.meta)))
        if key not in self._stencils:
            stand_in = env.get_template(PAGE_TEMPLATE).render({**variables, "page": StandInPage(page, slug)})
            self._stencils[key] = carve(stand_in, STAND_INS)
            self._to_check[key] = CHECKED_PAGES
        stencil = self._stencils[key]
        if stencil is None:
            return in_full()
        if self._lang is None:
            # The same on every page: imported once instead of once a page.
            self._lang = env.get_template(LANGUAGE).make_module(variables)
        slot_variables = {**variables, "lang": self._lang}
        for name, template in SLOTS.items():
            values[name] = env.get_template(template).render(slot_variables)
        output = stencil.fill(values)
        if self._to_check[key]:
            self._to_check[key] -= 1
            full = in_full()
            if full != output:
                log.debug(f"{page.file.src_uri}: laid out from the stencil it differs from the theme's rendering; "
                          f"pages like it are rendered in full")
                self._stencils[key] = None
                return full
        self.filled += 1
        return output


def pp_slot(name: str, page: Any, *, caller: Any) -> str:
    return marker(name) if isinstance(page, StandInPage) else caller()


_state: dict[str, Stencils] = {}


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    stencils = _state["stencils"] = Stencils()

    @pass_context
    def pp_stencil(context: Context) -> str:
        return stencils.page(context)

    env.globals["pp_stencil"] = pp_stencil
    env.globals["pp_slot"] = pp_slot
    return env


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if (os.environ.get(ENV_STENCIL) != "off" and page.file.inclusion is InclusionLevel.NOT_IN_NAV
            and "template" not in page.meta):
        page.meta["template"] = STENCIL_TEMPLATE
    return html


def on_post_build(*, config: MkDocsConfig) -> None:
    stencils = _state.get("stencils")
    if stencils is not None:
        log.debug(f"{stencils.filled} pages laid out from stencils")
