"""planpub as a source for government portals: permanent URLs and their record, the JSON catalogue, Atom
feeds, the sitemap, page metadata, the share box, embeddable lists and attachments.

Nothing here imports the site engine; `hooks/portal_hooks.py` adapts it to MkDocs."""

from __future__ import annotations

from planpub.portal.checks import check_portal
from planpub.portal.urlrecord import check_published_urls, record_published_urls

__all__ = ["check_portal", "check_published_urls", "record_published_urls"]
