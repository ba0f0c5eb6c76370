"""What a plan page adds for portal editors and readers: its attachments and the 引用与分享 box with the
permanent link, a citation line and a QR code made at build time."""

from __future__ import annotations

import html

import segno

from planpub.catalog import Catalog
from planpub.plan import Plan
from planpub.portal import links
from planpub.portal.attachments import site_attachments, size_label
from planpub.portal.links import SiteLinks


def permanent_link(plan: Plan, site: SiteLinks) -> str:
    """Absolute when the site knows its address; otherwise site-relative, and the page's script completes it."""
    return site.url(links.plan_path(plan.id))


def citation(plan: Plan, url: str) -> str:
    """发文机关、标题、发文字号、发布日期、网址, in the order Chinese citations of official documents use."""
    parts = [f"{plan.issuer}：《{plan.title}》"]
    if plan.doc_number:
        parts[0] += f"（{plan.doc_number}）"
    if plan.published:
        parts.append(f"{plan.published.isoformat()}发布")
    parts.append(url)
    return "，".join(parts)


def qr_svg(url: str, label: str) -> str:
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=3, dark="#000", light="#fff", svgclass="pp-qr", lineclass=None, omitsize=False)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


def attachments_html(plan: Plan) -> str:
    items = []
    for attachment in site_attachments(plan):
        href = links.url_path(attachment.name)
        items.append(f'<li><a href="{html.escape(href)}" type="{attachment.media_type}">'
                     f"{html.escape(attachment.title)}</a> "
                     f'<span class="pp-meta">（{attachment.kind}，{size_label(attachment.size)}）</span></li>')
    if not items:
        return ""
    return ('<section class="pp-attachments" aria-labelledby="pp-attachments">\n'
            '<h2 id="pp-attachments">附件</h2>\n<ul>\n' + "\n".join(items) + "\n</ul>\n</section>\n")


def share_box(plan: Plan, site: SiteLinks) -> str:
    url = permanent_link(plan, site)
    page = links.plan_path(plan.id)
    href = html.escape(links.relative_href(page, page))
    marker = links.absolute_marker(page, site)
    cite = citation(plan, url)
    qr = ""
    if site.is_absolute:
        qr = (f'<figure class="pp-qr-figure">{qr_svg(url, "本页二维码：" + plan.title)}'
              "<figcaption>扫码在手机上阅读</figcaption></figure>\n")
    return f"""<section class="pp-share" aria-labelledby="pp-share">
<h2 id="pp-share">引用与分享</h2>
<div class="pp-share__body">
<dl>
<dt>永久链接</dt>
<dd><a class="pp-permalink" href="{href}"{marker}>{html.escape(url)}</a>
<button type="button" class="md-button pp-copy" data-pp-copy=".pp-permalink">复制链接</button></dd>
<dt>引用格式</dt>
<dd><span class="pp-citation"{marker}>{html.escape(cite)}</span>
<button type="button" class="md-button pp-copy" data-pp-copy=".pp-citation">复制引用</button></dd>
</dl>
{qr}</div>
</section>
"""


def plan_extras(catalog: Catalog, plan: Plan, site: SiteLinks) -> str:
    """The HTML the portal feature adds to a plan page, after the body."""
    return attachments_html(plan) + share_box(plan, site)
