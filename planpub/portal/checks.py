"""What `planpub check` and `planpub build` verify for portals, beyond the plans themselves."""

from __future__ import annotations

from planpub.catalog import Catalog
from planpub.portal.attachments import check_attachments
from planpub.portal.urlrecord import check_published_urls
from planpub.problems import Problem
from planpub.settings import Settings


def check_portal(catalog: Catalog, settings: Settings) -> list[Problem]:
    """Recorded URLs that would disappear and attachments that would overwrite each other on the site."""
    problems = check_published_urls(catalog, settings)
    for plan in catalog.plans:
        problems += check_attachments(plan)
    return problems
