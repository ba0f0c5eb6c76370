"""Lists of a year's or a region's newest plans that a portal page can embed: a self-contained script
(`embed.js`) that writes the list where it is placed, and a plain page (`embed.html`) for an iframe where a
portal allows no script. Both are static files on this site; nothing is fetched from another host."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import resources

from planpub.catalog import Catalog
from planpub.csp import with_policy
from planpub.plan import Plan
from planpub.portal import links
from planpub.portal.links import SiteLinks

EMBED_LATEST = 10


@dataclass(frozen=True)
class EmbedList:
    page: str
    """Site path of the year or region page."""
    title: str
    plans: list[Plan]

    @property
    def script(self) -> str:
        return self.page + links.EMBED_SCRIPT

    @property
    def frame(self) -> str:
        return self.page + links.EMBED_PAGE


def embed_lists(catalog: Catalog) -> list[EmbedList]:
    lists = [EmbedList(links.year_path(y), f"{y}年的计划", catalog.plans_in_year(y)[:EMBED_LATEST])
             for y in sorted(catalog.years())]
    lists += [EmbedList(links.region_path(k), f"{catalog.tree[k].name}的计划", catalog.plans_under(k)[:EMBED_LATEST])
              for k in sorted(catalog.tree.regions)]
    return lists


def embed_list_for(catalog: Catalog, kind: str, key: str) -> EmbedList | None:
    if kind == "year":
        year = int(key)
        return EmbedList(links.year_path(year), f"{year}年的计划", catalog.plans_in_year(year)[:EMBED_LATEST])
    if kind == "region" and key in catalog.tree.regions:
        return EmbedList(links.region_path(key), f"{catalog.tree[key].name}的计划",
                         catalog.plans_under(key)[:EMBED_LATEST])
    return None


def embed_script(embed: EmbedList) -> bytes:
    """Links are relative to the script's own address, so the list works on any host and sub-path."""
    data = {
        "title": embed.title,
        "page": links.relative_href(embed.page, embed.page),
        "more": "查看全部",
        "plans": [{"title": p.title, "url": links.relative_href(embed.page, links.plan_path(p.id)),
                   "published": p.published.isoformat() if p.published else None} for p in embed.plans],
    }
    template = resources.files("planpub.portal").joinpath("embed.js").read_text(encoding="utf-8")
    code = template.replace("__PLANPUB_DATA__", json.dumps(data, ensure_ascii=True, separators=(",", ":")))
    return code.encode("ascii")


def _frame_item(embed: EmbedList, plan: Plan) -> str:
    href = html.escape(links.relative_href(embed.page, links.plan_path(plan.id)))
    date = f' <span class="date">{plan.published.isoformat()}</span>' if plan.published else ""
    return f'<li><a href="{href}" rel="noopener">{html.escape(plan.title)}</a>{date}</li>'


def embed_page(embed: EmbedList) -> bytes:
    items = "\n".join(_frame_item(embed, plan) for plan in embed.plans)
    page_href = html.escape(links.relative_href(embed.page, embed.page))
    text = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>{html.escape(embed.title)}</title>
<base target="_blank">
<style>
body {{ margin: 0; font: 15px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }}
ul {{ margin: 0; padding: 0 0 0 1.2em; }} li {{ margin: .2em 0; }} .date {{ color: #666; font-size: .9em; }}
a {{ color: #1a4b8c; }} p {{ margin: .3em 0; }}
</style>
</head>
<body>
<p><a href="{page_href}" rel="noopener"><strong>{html.escape(embed.title)}</strong></a></p>
<ul>
{items}
</ul>
<p><a href="{page_href}" rel="noopener">查看全部</a></p>
</body>
</html>
"""
    return with_policy(text).encode("utf-8")


def snippets(embed: EmbedList, site: SiteLinks) -> tuple[str, str]:
    """The two snippets a portal editor copies: the script and, for portals without script, the iframe."""
    script = (f'<div class="planpub-embed-box"><script src="{site.url(embed.script)}" async></script>'
              f'<noscript><a href="{site.url(embed.page)}">{html.escape(embed.title)}</a></noscript></div>')
    frame = (f'<iframe src="{site.url(embed.frame)}" title="{html.escape(embed.title)}" loading="lazy" '
             'style="width:100%;height:24em;border:0"></iframe>')
    return script, frame


def portal_tools(embed: EmbedList, site: SiteLinks) -> str:
    """The 订阅与嵌入 box at the end of a year or region page."""
    page = embed.page
    script, frame = snippets(embed, site)
    marker = links.absolute_marker(page, site)
    feed = links.relative_href(page, links.feed_path(page))
    catalogue = links.relative_href(page, links.CATALOGUE)
    schema = links.relative_href(page, links.SCHEMA)
    title = html.escape(embed.title)
    return f"""<details class="pp-portal-tools">
<summary>订阅与嵌入</summary>
<p>订阅{title}：<a href="{feed}" type="application/atom+xml">Atom 订阅</a>。\
全部计划的数据：<a href="{catalogue}" type="application/json">plans.json</a>（字段说明见\
<a href="{schema}">数据规范</a>）。</p>
<p>在门户网站的页面中显示{title}里最新的 {EMBED_LATEST} 件：把下面的代码粘贴到页面中，\
本站更新后列表自动同步。</p>
<pre><code class="pp-embed-code pp-embed-code--script"{marker}>{html.escape(script)}</code></pre>
<p><button type="button" class="md-button pp-copy" data-pp-copy=".pp-embed-code--script">复制代码</button></p>
<p>门户网站不允许使用脚本时，改用下面的内嵌框架代码：</p>
<pre><code class="pp-embed-code pp-embed-code--frame"{marker}>{html.escape(frame)}</code></pre>
<p><button type="button" class="md-button pp-copy" data-pp-copy=".pp-embed-code--frame">复制代码</button></p>
</details>
"""
