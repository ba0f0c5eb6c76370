"""Pages at a plan's former URLs (`aliases` / 曾用标识) that send the reader on to the plan. They work without
JavaScript (meta refresh and a visible link); the script only carries a `#section` along."""

from __future__ import annotations

import html
import json

from planpub.catalog import Catalog
from planpub.csp import with_policy
from planpub.portal import links
from planpub.portal.links import SiteLinks


def redirect_page(old_path: str, new_path: str, title: str, site: SiteLinks) -> bytes:
    href = links.relative_href(old_path, new_path)
    canonical = site.url(new_path) if site.is_absolute else href
    target = html.escape(href)
    text = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>页面已迁移：{html.escape(title)}</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{html.escape(canonical)}">
<script>location.replace({json.dumps(href)} + location.hash)</script>
</head>
<body>
<p>本页已迁移到新网址：<a href="{target}">{html.escape(title)}</a>。</p>
</body>
</html>
"""
    return with_policy(text).encode("utf-8")


def redirect_pages(catalog: Catalog, site: SiteLinks) -> dict[str, bytes]:
    """`plans/<alias>/index.html` for every alias of every published plan."""
    pages = {}
    for plan in catalog.plans:
        new_path = links.plan_path(plan.id)
        for alias in plan.aliases:
            old_path = links.plan_path(alias)
            pages[old_path + "index.html"] = redirect_page(old_path, new_path, plan.title, site)
    return pages
