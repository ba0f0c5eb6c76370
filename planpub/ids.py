"""Stable ASCII identifiers for plans."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lower-case ASCII slug: Chinese characters become their pinyin syllables joined by hyphens."""
    # Imported here: pypinyin loads its dictionaries on import (a third of a second), and most builds, whose plans
    # declare their ids, never call this.
    from pypinyin import lazy_pinyin

    # Full-width digits and letters (２０２４, ＡＢＣ), common in Chinese file names, would otherwise be dropped.
    syllables = lazy_pinyin(unicodedata.normalize("NFKC", text))
    joined = "-".join(s for s in syllables)
    slug = re.sub(r"[^a-z0-9]+", "-", joined.lower()).strip("-")
    return slug or "plan"


def derive_id(relative_path: str) -> str:
    """The id of a plan that declares none: its path under the plans folder, without the suffix, in pinyin."""
    path = PurePosixPath(relative_path)
    return slugify("/".join(path.with_suffix("").parts))


def is_valid_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))
