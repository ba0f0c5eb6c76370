"""MkDocs hooks: every page the engine writes gets the site's Content-Security-Policy (planpub/csp.py), computed
from the finished page. Listed last in mkdocs.yml, so that no hook changes a page after its scripts are hashed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planpub.csp import with_policy

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return with_policy(output)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    # Static templates (404.html, sitemap.xml): only HTML gets a policy.
    return with_policy(output_content) if template_name.endswith(".html") else output_content
