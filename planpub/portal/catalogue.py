"""The JSON catalogue: `/plans.json` lists every published plan, `/plans/<id>/index.json` gives one plan with
its headings. Both follow the JSON Schema served at `/schema/plans-v1.json`."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from typing import Any

from planpub.catalog import Catalog
from planpub.coverage import Coverage, coverage
from planpub.plan import Plan
from planpub.portal import links
from planpub.portal.attachments import site_attachments
from planpub.portal.headings import plan_headings
from planpub.portal.links import SiteLinks

_SURROGATE = re.compile("[\ud800-\udfff]")
SCHEMA_VERSION = 1
"""Raised when a field is removed, renamed or changes type; adding a field keeps the version."""


def schema_text() -> str:
    return resources.files("planpub.portal").joinpath("plans-v1.schema.json").read_text(encoding="utf-8")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _region(catalog: Catalog, plan: Plan, site: SiteLinks) -> dict[str, Any]:
    key = catalog.region_of[plan.id]
    path = catalog.tree.path(key)
    return {"key": key, "code": path[-1].code, "name": path[-1].name, "path": [r.name for r in path],
            "codes": [r.code for r in path], "url": site.url(links.region_path(key))}


def plan_record(catalog: Catalog, plan: Plan, site: SiteLinks) -> dict[str, Any]:
    """One plan as portals receive it. A replacement that is not public yet is not named."""
    replacement = catalog.replacement(plan)
    return {
        "id": plan.id,
        "url": site.url(links.plan_path(plan.id)),
        "json": site.url(links.plan_json_path(plan.id)),
        "title": plan.title,
        "year": plan.year,
        "period": {"start": plan.period[0], "end": plan.period[1]} if plan.period else None,
        "years": list(plan.years),
        "region": _region(catalog, plan, site),
        "issuer": plan.issuer,
        "doc_number": plan.doc_number,
        "index_no": plan.index_no,
        "category": plan.category,
        "status": plan.status,
        "written": _date(plan.written),
        "published": _date(plan.published),
        "summary": plan.summary,
        "keywords": list(plan.keywords),
        "topics": list(plan.topics),
        "superseded_by": replacement.id if replacement else None,
        "aliases": sorted(plan.aliases),
        "attachments": [{"title": a.title, "name": a.name, "url": site.url(a.path), "size": a.size,
                         "type": a.kind, "media_type": a.media_type} for a in site_attachments(plan)],
    }


def _envelope(catalog: Catalog, site_name: str, site: SiteLinks) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "schema": site.url(links.SCHEMA),
            "site": {"name": site_name, "url": site.base}, "as_of": catalog.as_of.isoformat()}


def coverage_record(catalog: Catalog, grid: Coverage, site: SiteLinks) -> dict[str, Any]:
    """The coverage page's grid: for each region with plans of its own, every year with the plans it published
    for it (an empty list is a year it published none)."""
    regions = []
    for row in grid.rows:
        path = catalog.tree.path(row.key)
        years = [{"year": cell.year, "plans": [
            {"id": p.id, "url": site.url(links.plan_path(p.id)), "category": p.category, "status": p.status}
            for p in cell.plans]} for cell in row.cells]
        regions.append({"key": row.key, "code": path[-1].code, "name": path[-1].name,
                        "path": [r.name for r in path], "url": site.url(links.region_path(row.key)),
                        "gaps": row.gaps, "years": years})
    return {"years": list(grid.years), "regions": regions}


def catalogue_document(catalog: Catalog, site_name: str, site: SiteLinks,
                       categories: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every published plan, newest first (the order of the site's lists), and the coverage grid."""
    return {**_envelope(catalog, site_name, site), "count": len(catalog.plans),
            "plans": [plan_record(catalog, p, site) for p in catalog.plans],
            "coverage": coverage_record(catalog, coverage(catalog, categories), site)}


def plan_document(catalog: Catalog, plan: Plan, site_name: str, site: SiteLinks) -> dict[str, Any]:
    page = site.url(links.plan_path(plan.id))
    headings = [{"level": h.level, "title": h.text, "anchor": h.anchor, "url": f"{page}#{links.url_path(h.anchor)}"}
                for h in plan_headings(plan)]
    return {**_envelope(catalog, site_name, site), "plan": plan_record(catalog, plan, site), "headings": headings}


def to_json(document: dict[str, Any]) -> bytes:
    # Compact: machines read these files, and Python's encoder is several times slower when it indents.
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # A lone surrogate (YAML can write one as "\\ud800") has no UTF-8 form; JSON allows it escaped.
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text).encode("utf-8")
