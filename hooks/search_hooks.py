"""MkDocs hooks for search: the search page, and the index written beside it after the build. The index is
computed by `planpub.search` from the catalog that hooks/planpub_hooks.py (listed before this file in
mkdocs.yml) publishes on the config."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from planpub.catalog import Catalog
from planpub.engine import ENV_WRITTEN_BY_PLANPUB
from planpub.search.build import SEARCH_DIR, build_index
from planpub.search.page import SEARCH_SRC, search_page
from planpub.settings import Settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.planpub.search")



def _catalog(config: MkDocsConfig) -> Catalog:
    catalog = config.get("planpub_catalog")
    if catalog is None:
        raise PluginError("hooks/search_hooks.py 需要排在 hooks/planpub_hooks.py 之后（见 mkdocs.yml 的 hooks）。")
    return catalog


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    _catalog(config)
    index, _ = config["planpub_shard"]
    existing = files.get_file_from_path(SEARCH_SRC)
    if existing is not None:
        files.remove(existing)
    # Other build processes render only plan pages; they keep the page so that the nav entry resolves.
    inclusion = InclusionLevel.INCLUDED if index == 0 else InclusionLevel.EXCLUDED
    files.append(File.generated(config, SEARCH_SRC, content=search_page(), inclusion=inclusion))
    return files


def on_post_build(*, config: MkDocsConfig) -> None:
    index, _ = config["planpub_shard"]
    if index != 0 or "search" in os.environ.get(ENV_WRITTEN_BY_PLANPUB, "").split(","):
        return
    settings: Settings = config["planpub_settings"]
    started = time.perf_counter()
    stats = build_index(_catalog(config), Path(config.site_dir) / SEARCH_DIR, settings.categories,
                        equivalents=settings.search_equivalents)
    log.info(f"检索索引：{stats.plans} 件计划，{stats.files} 个文件，{stats.bytes / 1e6:.1f} MB，"
             f"用时 {time.perf_counter() - started:.1f} 秒")
