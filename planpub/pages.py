"""The site's generated pages as Markdown: one per plan, the year and region indices and the home page.

Links in prose are written as relative links to the pages' `.md` sources, which any Markdown site engine resolves.
The long lists of plans and regions are HTML with the site's directory URLs (`/plans/<id>/`, the address portals
link to), kept beside the Markdown as the page's `blocks`: a year page of a large site lists thousands of plans, and
as Markdown those lists took more build time than all the plan pages of the year.
"""

from __future__ import annotations

import html
import posixpath
import re
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from planpub.catalog import Catalog
from planpub.coverage import Coverage, Row, coverage
from planpub.plan import Plan
from planpub.schema import STATUS_CURRENT, STATUS_REPEALED, STATUS_REVISED, STATUS_WITHDRAWN, display_fields

HOME = "index.md"
YEARS = "years/index.md"
REGIONS = "regions/index.md"
COVERAGE = "coverage/index.md"
SEARCH = "search.md"
SAMPLE_NOTE = "示例"
SAMPLE_MARK = "【示例】"
"""A plan whose title carries this is sample data: its page says so once, above the facts and outside the plan's
text, so that the search snippets and the JSON show the plan's own words."""
SHARDED_SECTIONS = ("plans/", "years/", "regions/")


def plan_src(plan_id: str) -> str:
    return f"plans/{plan_id}.md"


def year_src(year: int) -> str:
    return f"years/{year}.md"


def region_src(key: str) -> str:
    return f"regions/{key}.md"


def shard_of(src: str, count: int) -> int:
    """Which of `count` build processes renders a page. Plan, year and region pages are spread by a stable hash
    of their source; the pages in the navigation and the site's own pages are rendered by process 0, which
    also copies the static files."""
    if count <= 1 or not src.startswith(SHARDED_SECTIONS) or src.endswith("/index.md"):
        return 0
    return zlib.crc32(src.encode("utf-8")) % count


def page_url(src: str) -> str:
    """The directory-style URL path (no leading slash) a page source is published at."""
    if src == HOME:
        return ""
    stem = src.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def link(from_src: str, to_src: str) -> str:
    """A Markdown link target: the page source, relative to the linking page's source."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def href(from_src: str, to_src: str) -> str:
    """An HTML link target: the page's URL, relative to the linking page's URL."""
    relative = posixpath.relpath(page_url(to_src) or ".", page_url(from_src) or ".")
    return "./" if relative == "." else relative + "/"


@dataclass(frozen=True)
class Page:
    src: str
    markdown: str
    in_nav: bool = False
    blocks: tuple[str, ...] = ()
    """HTML blocks that go where the Markdown has the paragraph `block_marker(i)`: see `fill_blocks`."""
    meta: dict[str, object] = field(default_factory=dict)
    """What a Markdown file would say in its front matter (`title`, `planpub_kind` …): see `page_meta`."""


def block_marker(index: int) -> str:
    # Letters and digits only: no Markdown engine changes it, and it is its own paragraph.
    return f"PLANPUBBLOCK{index}"


def fill_blocks(page_html: str, blocks: tuple[str, ...]) -> str:
    """The rendered page with its HTML blocks in place of their marker paragraphs. The long lists of plans and
    regions travel beside the Markdown rather than inside it because a Markdown engine parses raw HTML character
    by character, which took more time than rendering everything else on those pages."""
    for index, block in enumerate(blocks):
        page_html = page_html.replace(f"<p>{block_marker(index)}</p>", block, 1)
    return page_html


class _Blocks:
    """The HTML blocks of a page being written, each replaced in its Markdown by a marker paragraph."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def place(self, block: str) -> str:
        if not block:
            return ""
        self.items.append(block)
        return f"\n{block_marker(len(self.items) - 1)}\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


def md_text(text: str) -> str:
    """Text safe to place inline in Markdown: no markup, no raw HTML. `<`, `>` and `&` become entities because
    Markdown has no backslash escape for `<`: `\\<` would show the backslash."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def page_meta(title: str, kind: str, description: str | None = None, **extra: object) -> dict[str, object]:
    """A generated page's metadata, handed to the engine as it is rather than written as front matter for it to
    parse again. The theme prints `title` and `description` into the page unescaped (<title>, the header, a meta
    attribute), so they are HTML here: a plan titled `<img onerror=…>` must show as text, not run."""
    meta: dict[str, object] = {"title": html.escape(title), "planpub_kind": kind}
    if description:
        meta["description"] = html.escape(description)
    return {**meta, **extra}


def _status_badge(plan: Plan) -> str:
    if plan.status == STATUS_CURRENT:
        return ""
    return f' <span class="pp-status pp-status--inactive">{html.escape(plan.status)}</span>'


def plan_item(catalog: Catalog, plan: Plan, from_src: str, *, show_region: bool = True) -> str:
    """One entry of a plan list: the linked title and the facts a reader scans for."""
    facts = [plan.years_label, plan.category]
    if show_region:
        facts.insert(0, catalog.tree[catalog.region_of[plan.id]].name)
    if plan.published:
        facts.append(f"发布于 {plan.published.isoformat()}")
    meta = " · ".join(html.escape(f) for f in facts)
    return (f'<li>{_a(href(from_src, plan_src(plan.id)), plan.title)}{_status_badge(plan)}'
            f'<br><span class="pp-meta">{meta}</span></li>')


def plan_list(catalog: Catalog, plans: list[Plan], from_src: str, *, show_region: bool = True) -> str:
    """A list of plans as an HTML block."""
    items = "\n".join(plan_item(catalog, p, from_src, show_region=show_region) for p in plans)
    return f"<ul>\n{items}\n</ul>"


TRAIL = " › "
"""Between the names of a region's path where a reader sees it (浙江省 › 温州市 › 瑞安市): a breadcrumb, not a
file path."""


def region_trail(catalog: Catalog, key: str) -> str:
    return TRAIL.join(r.name for r in catalog.tree.path(key))


UrlFor = Callable[[str], str]
"""Maps a page source (`plans/x.md`) to an href relative to the page being rendered."""


def _a(href: str, text: str, css_class: str | None = None) -> str:
    shown = f' class="{css_class}"' if css_class else ""
    return f'<a href="{html.escape(href)}"{shown}>{html.escape(text)}</a>'


def _field_value(catalog: Catalog, plan: Plan, key: str, url: UrlFor) -> str | None:
    value = getattr(plan, key)
    if key == "region":
        region_key = catalog.region_of[plan.id]
        return _a(url(region_src(region_key)), region_trail(catalog, region_key))
    if key == "region_code":
        code = catalog.tree[catalog.region_of[plan.id]].code
        return html.escape(code) if code else None
    if key == "year":
        # A multi-year plan is listed under each year of its period, so each of those year pages is linked.
        return " ".join(_a(url(year_src(y)), str(y)) for y in plan.years)
    if key == "period":
        return html.escape(plan.years_label) if plan.period else None
    if key == "superseded_by":
        target = catalog.replacement(plan)
        if value and target is None:
            return "替代文件尚未公开"
        return _a(url(plan_src(target.id)), target.title) if target else None
    if value is None or value == ():
        return None
    if isinstance(value, tuple):
        return html.escape("、".join(value))
    return html.escape(value.isoformat() if hasattr(value, "isoformat") else str(value))


def disclosure_block(catalog: Catalog, plan: Plan, url: UrlFor) -> str:
    rows = []
    for spec in display_fields():
        value = _field_value(catalog, plan, spec.key, url)
        if value:
            rows.append(f'<tr><th scope="row">{spec.label}</th><td>{value}</td></tr>')
    return ('<table class="pp-disclosure">\n<caption>信息公开要素</caption>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>\n")


def _banner(catalog: Catalog, plan: Plan, url: UrlFor) -> str:
    if plan.status not in (STATUS_REPEALED, STATUS_REVISED, STATUS_WITHDRAWN):
        return ""
    target = catalog.replacement(plan)
    kind = "warning" if plan.status == STATUS_REVISED else "danger"
    if target is not None:
        text = f"本计划{plan.status}，请以 {_a(url(plan_src(target.id)), target.title)} 为准。"
    elif plan.status == STATUS_WITHDRAWN:
        text = "本计划已由发文机关撤回，以下内容仅供查阅。"
    else:
        text = f"本计划{plan.status}，仅供查阅。"
    return (f'<div class="admonition {kind} pp-banner" role="note">\n<p class="admonition-title">{plan.status}</p>\n'
            f"<p>{text}</p>\n</div>\n")


_HEADING = re.compile(r"^(#{1,5})(\s)", re.MULTILINE)


def body_markdown(plan: Plan) -> str:
    """The author's body with headings pushed below the page's own h1."""
    body = plan.body.strip("\n")
    if re.search(r"^#\s", body, re.MULTILINE):
        body = _HEADING.sub(lambda m: "#" + m.group(1) + m.group(2), body)
    return body + "\n"


def plan_page(plan: Plan) -> Page:
    """The Markdown the engine renders: the title and the author's body. The surrounding facts are HTML
    built by `plan_header_html` and `plan_footer_html`, kept out of Markdown so that the slow Markdown pass
    only sees what the author wrote."""
    return Page(plan_src(plan.id), f"# {md_text(plan.title)}\n\n" + body_markdown(plan),
                meta=page_meta(plan.title, "plan", plan.summary, planpub_id=plan.id))


def plan_header_html(catalog: Catalog, plan: Plan, url: UrlFor) -> str:
    """The banner, the disclosure block and the links to the plan's year and region pages."""
    region_key = catalog.region_of[plan.id]
    links = [_a(url(year_src(y)), f"{y}年的计划") for y in plan.years]
    links.append(_a(url(region_src(region_key)), f"{catalog.tree[region_key].name}的全部计划"))
    sample = ('<p class="pp-sample-note">本文为示例数据，内容虚构，不代表任何机关的真实计划。</p>\n'
              if SAMPLE_MARK in plan.title else "")
    return (sample + _banner(catalog, plan, url) + disclosure_block(catalog, plan, url)
            + f'<nav class="pp-plan-links" aria-label="相关索引"><p>{" · ".join(links)}</p></nav>\n')


def plan_footer_html(catalog: Catalog, plan: Plan, url: UrlFor) -> str:
    """Links to the same region's previous and next plans."""
    older, newer = catalog.neighbours(plan)
    items = []
    if older:
        items.append(f'<li class="pp-prev">上一篇：{_a(url(plan_src(older.id)), older.title)}</li>')
    if newer:
        items.append(f'<li class="pp-next">下一篇：{_a(url(plan_src(newer.id)), newer.title)}</li>')
    if not items:
        return ""
    return f'<nav class="pp-neighbours" aria-label="同地区的其他计划"><ul>{"".join(items)}</ul></nav>\n'


def _grouped_by_region(catalog: Catalog, plans: list[Plan]) -> list[tuple[str, list[Plan]]]:
    groups: dict[str, list[Plan]] = defaultdict(list)
    for plan in plans:
        groups[catalog.region_of[plan.id]].append(plan)
    walk = (k for root in catalog.tree.roots() for k in catalog.tree.descendants(root.key))
    order = {key: i for i, key in enumerate(walk)}
    return sorted(groups.items(), key=lambda item: order[item[0]])


def year_page(catalog: Catalog, year: int) -> Page:
    src = year_src(year)
    plans = catalog.plans_in_year(year)
    blocks = _Blocks()
    meta = page_meta(f"{year}年的计划", "year", f"{year}年发布或实施的计划，共 {len(plans)} 件。",
                     planpub_year=str(year))
    lines = [f"# {year}年的计划\n", f"共 {len(plans)} 件，按地区排列。多年计划列在其实施期限的每一年。\n",
             blocks.place(_year_steps(catalog, year, src))]
    for region_key, group in _grouped_by_region(catalog, plans):
        lines.append(f"## [{md_text(region_trail(catalog, region_key))}]({link(src, region_src(region_key))})\n")
        lines.append(blocks.place(plan_list(catalog, group, src, show_region=False)))
    lines.append(blocks.place(_year_steps(catalog, year, src)))
    return Page(src, "\n".join(lines), blocks=tuple(blocks.items), meta=meta)


def _year_steps(catalog: Catalog, year: int, src: str) -> str:
    """Links to the nearest earlier and later years that have plans, for a reader going through the years."""
    years = catalog.years()
    at = years.index(year)
    steps = []
    if at + 1 < len(years):
        steps.append(_a(href(src, year_src(years[at + 1])), f"← {years[at + 1]}年", "pp-year-prev"))
    steps.append(_a(href(src, YEARS), "全部年度"))
    if at > 0:
        steps.append(_a(href(src, year_src(years[at - 1])), f"{years[at - 1]}年 →", "pp-year-next"))
    return f'<nav class="pp-year-steps" aria-label="其他年度"><p>{" · ".join(steps)}</p></nav>'


def years_index(catalog: Catalog) -> Page:
    lines = ["# 按年度浏览\n"]
    lines += [f"- [{y}年]({link(YEARS, year_src(y))})（{len(catalog.plans_in_year(y))} 件）" for y in catalog.years()]
    return Page(YEARS, "\n".join(lines) + "\n", in_nav=True,
                meta=page_meta("按年度浏览", "years", "按年度浏览全部计划。"))


def _region_items(catalog: Catalog, keys: list[str], from_src: str, depth: int, max_depth: int) -> str:
    items = []
    for key in keys:
        region = catalog.tree[key]
        item = f"<li>{_a(href(from_src, region_src(key)), region.name)}（{catalog.count_under(key)} 件）"
        children = catalog.tree.children.get(key, [])
        if depth + 1 < max_depth and children:
            item += _region_items(catalog, children, from_src, depth + 1, max_depth) + "\n"
        items.append(item + "</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _region_list(catalog: Catalog, keys: list[str], from_src: str, max_depth: int) -> str:
    """Regions with their plan counts, nested `max_depth` levels deep, as an HTML block."""
    return _region_items(catalog, keys, from_src, 0, max_depth) if keys else ""


def regions_index(catalog: Catalog) -> Page:
    blocks = _Blocks()
    lines = ["# 按地区浏览\n", "括号中是该地区及其下级地区的计划数。\n"]
    lines.append(blocks.place(_region_list(catalog, catalog.tree.children.get(None, []), REGIONS, 10)))
    return Page(REGIONS, "\n".join(lines) + "\n", in_nav=True, blocks=tuple(blocks.items),
                meta=page_meta("按地区浏览", "regions", "按省、市、县（区）浏览全部计划。"))


def region_page(catalog: Catalog, key: str, grid: Coverage | None = None) -> Page:
    src = region_src(key)
    region = catalog.tree[key]
    path = catalog.tree.path(key)
    own = catalog.own_plans(key)
    code = f"（行政区划代码 {region.code}）" if region.code else ""
    # HTML like the lists, so that the rest of the page is plain text (see `planpub.mdext`).
    crumbs = TRAIL.join([_a(href(src, REGIONS), "全部地区"),
                         *(_a(href(src, region_src(r.key)), r.name) for r in path[:-1])])
    blocks = _Blocks()
    meta = page_meta(f"{region.name}的计划", "region", f"{region_trail(catalog, key)}的计划。",
                     planpub_region=key)
    lines = [f"# {md_text(region.name)}的计划\n",
             blocks.place(f"<p>{crumbs}</p>"),
             f"{md_text(region_trail(catalog, key))}{code}：本级计划 {len(own)} 件，"
             f"连同下级地区共 {catalog.count_under(key)} 件。\n"]
    grid = grid if grid is not None else coverage(catalog)
    rows = grid.rows_under(catalog, key)
    if rows:
        lines.append("## 各年度公开情况\n")
        below = "及下级地区" if any(row.key != key for row in rows) else ""
        caption = f"{region.name}{below}各年度公开的计划"
        lines.append(blocks.place(coverage_table(catalog, grid, rows, src, caption)))
    children = catalog.tree.children.get(key, [])
    if children:
        lines.append("## 下级地区\n")
        lines.append(blocks.place(_region_list(catalog, children, src, 1)))
    if own:
        lines.append("## 本级计划\n")
        by_year: dict[int, list[Plan]] = defaultdict(list)
        for plan in own:
            by_year[plan.year].append(plan)
        for year in sorted(by_year, reverse=True):
            lines.append(f"### {year}年\n")
            lines.append(blocks.place(plan_list(catalog, by_year[year], src, show_region=False)))
    return Page(src, "\n".join(lines), blocks=tuple(blocks.items), meta=meta)


COVERAGE_ON_HOME = 40
"""Regions with plans of their own up to which the home page shows the whole coverage grid; a larger site shows
how many regions published each year and links the coverage page."""
COVERAGE_TITLE = "各地区各年度公开情况"
GAP_TEXT = "未发布"


def _plan_in_cell(plan: Plan, category: str, from_src: str) -> str:
    status = "" if plan.status == STATUS_CURRENT else f"（{plan.status}）"
    # The category is what the grid shows; the title, hidden from sight, tells a screen reader which plan it is.
    return (f'<li><a href="{html.escape(href(from_src, plan_src(plan.id)))}">{html.escape(category + status)}'
            f'<span class="pp-visually-hidden">：{html.escape(plan.title)}</span></a></li>')


def coverage_table(catalog: Catalog, grid: Coverage, rows: tuple[Row, ...], from_src: str, caption: str,
                   table_id: str = "pp-coverage") -> str:
    """Regions down the side, years across; each cell links the region's plans of that year by category, and a
    year without any says so. On a phone each region becomes a card with a line per year (see planpub.css)."""
    if not rows:
        return ""
    years = "".join(f'<th scope="col">{_a(href(from_src, year_src(y)), f"{y}年")}</th>'
                    if y in catalog.years() else f'<th scope="col">{y}年</th>' for y in grid.years)
    body = []
    for row in rows:
        path = catalog.tree.path(row.key)
        above = (f'<span class="pp-meta pp-coverage__above">{html.escape(TRAIL.join(r.name for r in path[:-1]))}'
                 "</span>" if len(path) > 1 else "")
        cells = [f'<th scope="row">{_a(href(from_src, region_src(row.key)), path[-1].name)}{above}</th>']
        for cell in row.cells:
            # Shown only where the grid is drawn as one card per region (a phone), in place of the column's head.
            label = f'<span class="pp-coverage__year">{cell.year}年</span>'
            if cell.is_gap:
                cells.append(f'<td class="pp-coverage__gap">{label}{GAP_TEXT}</td>')
                continue
            items = "".join(_plan_in_cell(plan, group.category, from_src)
                            for group in cell.categories for plan in group.plans)
            cells.append(f'<td>{label}<ul class="pp-coverage__plans">{items}</ul></td>')
        body.append(f'<tr>{"".join(cells)}</tr>')
    # A grid of many years scrolls sideways on a desktop, in the wrapper the reader tools mark as scrolling
    # (docs/assets/reader/reader.js): it says so and takes the keyboard's focus.
    return ('<div class="pp-coverage md-typeset__scrollwrap">\n'
            f'<table class="pp-coverage__table" id="{table_id}">\n<caption>{html.escape(caption)}</caption>\n'
            f'<thead><tr><th scope="col">地区</th>{years}</tr></thead>\n<tbody>\n' + "\n".join(body)
            + "\n</tbody>\n</table>\n</div>")


def coverage_summary(grid: Coverage) -> str:
    gaps = sum(row.gaps for row in grid.rows)
    years = f"{grid.years[0]}—{grid.years[-1]}年" if grid.years else "没有年度"
    return (f"{len(grid.rows)} 个地区发布了本级计划，{years}共 {len(grid.years)} 个年度；"
            f"{len(grid.rows) * len(grid.years)} 格中有 {gaps} 格未发布。")


def coverage_page(catalog: Catalog, grid: Coverage) -> Page:
    blocks = _Blocks()
    lines = [f"# {COVERAGE_TITLE}\n",
             "每一行是一个发布本级计划的地区，每一列是一个年度。格中按类别列出该地区当年的计划，点击即可打开；"
             f"“{GAP_TEXT}”表示该地区当年没有公开的计划。多年计划计入其实施期限的每一年，已修订、已废止和"
             "已撤回的计划也计入（它们曾经公开）。\n",
             coverage_summary(grid) + "\n",
             blocks.place(coverage_table(catalog, grid, grid.rows, COVERAGE, COVERAGE_TITLE)),
             "同样的数据在 JSON 目录 `plans.json` 的 `coverage` 字段中，供门户和检查工具调用。\n"]
    return Page(COVERAGE, "\n".join(lines), in_nav=True, blocks=tuple(blocks.items),
                meta=page_meta(COVERAGE_TITLE, "coverage", "哪些地区在哪些年度公开了哪些计划，哪些年度没有公开。",
                               hide=["navigation", "toc"]))


SEARCH_FORM_MARKER = "PLANPUBSEARCHFORM"
"""Where the home page's search box goes: it is put in after the page's HTML has been cleaned of forms (which
plan text may not hold), being the site's own."""


def fill_search_form(page_html: str, src: str) -> str:
    return page_html.replace(f"<p>{SEARCH_FORM_MARKER}</p>", search_form(src), 1)


def search_form(from_src: str) -> str:
    """The home page's search box: a plain GET form to the search page, which works without script."""
    action = html.escape(href(from_src, SEARCH))
    return (f'<form class="pp-bigsearch" role="search" aria-label="检索计划" action="{action}" method="get">'
            '\n<label for="pp-home-q">检索全部计划的标题、发文机关和正文</label>\n'
            '<input id="pp-home-q" class="pp-bigsearch__input" type="search" name="q" autocomplete="off" '
            'enterkeyhint="search" placeholder="例如：高新技术企业">\n'
            '<button class="pp-bigsearch__button" type="submit">检索</button>\n</form>')


def _year_tiles(catalog: Catalog, from_src: str) -> str:
    items = "".join(f'<li><a href="{html.escape(href(from_src, year_src(y)))}"><span class="pp-tiles__name">{y}年'
                    f'</span><span class="pp-tiles__count">{len(catalog.plans_in_year(y))} 件</span></a></li>'
                    for y in catalog.years())
    return f'<ul class="pp-tiles">{items}</ul>'


def _coverage_by_year(grid: Coverage, from_src: str) -> str:
    """For a site too large to show the grid on its home page: how many regions published in each year."""
    items = "".join(f"<li>{year}年：{sum(1 for row in grid.rows if not row.cells[i].is_gap)} 个地区发布</li>"
                    for i, year in enumerate(grid.years))
    return f"<ul>{items}</ul><p>{_a(href(from_src, COVERAGE), '查看各地区各年度的公开情况')}</p>"


HOME_REGION_DEPTH = 3
"""Province, city and county: the levels a reader looks for on the home page."""


def home_page(catalog: Catalog, site_name: str, latest: int, grid: Coverage | None = None) -> Page:
    grid = grid if grid is not None else coverage(catalog)
    blocks = _Blocks()
    sample = any(SAMPLE_NOTE in p.title for p in catalog.plans)
    lines = [f"# {md_text(site_name)}\n",
             f"\n{SEARCH_FORM_MARKER}\n",
             f"共公开计划 {len(catalog.plans)} 件，覆盖 {len(catalog.years())} 个年度、"
             f"{sum(1 for r in catalog.tree.regions.values() if catalog.own_plans(r.key))} 个地区。"
             + ("本站当前内容为示例数据，计划均为虚构，标题带有“【示例】”。" if sample else "") + "\n",
             "## 按年度\n",
             blocks.place(_year_tiles(catalog, HOME)),
             "## 按地区\n",
             "括号中是该地区及其下级地区的计划数。\n",
             blocks.place('<div class="pp-home-regions">' + _region_list(
                 catalog, catalog.tree.children.get(None, []), HOME, HOME_REGION_DEPTH) + "</div>"),
             "## 最新发布\n",
             blocks.place(plan_list(catalog, catalog.plans[:latest], HOME)),
             f"## {COVERAGE_TITLE}\n"]
    if len(grid.rows) <= COVERAGE_ON_HOME:
        lines += [coverage_summary(grid) + "\n",
                  blocks.place(coverage_table(catalog, grid, grid.rows, HOME, COVERAGE_TITLE))]
    else:
        lines.append(coverage_summary(grid) + "\n")
        lines.append(blocks.place(_coverage_by_year(grid, HOME)))
    return Page(HOME, "\n".join(lines) + "\n", in_nav=True, blocks=tuple(blocks.items),
                meta=page_meta(site_name, "home", f"{site_name}：按年度、地区查阅和检索政府工作计划。",
                               hide=["navigation", "toc"]))


def site_pages(catalog: Catalog, site_name: str, latest: int = 10,
               wanted: Callable[[str], bool] | None = None, categories: tuple[str, ...] = ()) -> list[Page]:
    """Every generated page, in a fixed order. Pages that `wanted` rejects (another build process renders them)
    are listed without content: the engine still needs to know they exist to resolve links to them."""
    grid = coverage(catalog, categories)
    sources: list[tuple[str, Callable[[], Page]]] = [
        (HOME, partial(home_page, catalog, site_name, latest, grid)), (YEARS, partial(years_index, catalog)),
        (REGIONS, partial(regions_index, catalog)), (COVERAGE, partial(coverage_page, catalog, grid))]
    sources += [(year_src(y), partial(year_page, catalog, y)) for y in sorted(catalog.years())]
    sources += [(region_src(k), partial(region_page, catalog, k, grid)) for k in sorted(catalog.tree.regions)]
    sources += [(plan_src(p.id), partial(plan_page, p)) for p in sorted(catalog.plans, key=lambda p: p.id)]
    in_nav = {HOME, YEARS, REGIONS, COVERAGE}
    return [make() if wanted is None or wanted(src) else Page(src, "", src in in_nav) for src, make in sources]
