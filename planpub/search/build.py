"""Write the search index of a catalog's published plans (format: see `planpub.search`)."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planpub.catalog import Catalog
from planpub.pages import page_url, plan_src
from planpub.plan import Plan
from planpub.schema import STATUSES
from planpub.search.normalize import browser_t2s_pairs, fold_lines
from planpub.search.postings import encode_entry, shard_of
from planpub.search.sections import Fact, Section, plan_facts, plan_sections

FORMAT = 1
MANIFEST = "manifest.json"
DOCS = "docs.bin"
SHARD_DIR = "g"
RECORD_DIR = "r"
# Uncompressed bytes of posting data per shard file. A query reads one shard per distinct gram, so smaller shards
# mean fewer bytes per query and more files; a dense list is at most (plans / 8) bytes whatever this is.
SHARD_TARGET = 4096
GRAM = 3


def grams(text: str) -> set[str]:
    """Every 1-, 2- and 3-character substring of the folded text that contains no whitespace."""
    lines = fold_lines(text)
    end = len(lines)
    found = set(lines)
    found.update([lines[i:i + 2] for i in range(end - 1)])
    found.update([lines[i:i + 3] for i in range(end - 2)])
    return {gram for gram in found if "\n" not in gram}


def query_grams(term: str) -> set[str]:
    """The grams whose posting lists a term's plans are found from: the term itself up to three characters,
    otherwise its overlapping three-character substrings."""
    if len(term) <= GRAM:
        return {term}
    return {term[i:i + GRAM] for i in range(len(term) - GRAM + 1)}


def section_text(section: Section) -> str:
    return f"{section.heading}\n{section.text}"


def _gzip(data: bytes) -> bytes:
    # mtime=0 keeps the output byte-identical from one build to the next.
    return gzip.compress(data, compresslevel=6, mtime=0)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class IndexStats:
    plans: int
    grams: int
    shards: int
    files: int
    bytes: int
    """Total size of the files written."""


class _Writer:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.digest = hashlib.sha256()
        self.files = 0
        self.bytes = 0

    def write(self, name: str, data: bytes) -> None:
        self.digest.update(name.encode("utf-8") + b"\0" + data)
        (self.out_dir / name).write_bytes(data)
        self.files += 1
        self.bytes += len(data)


def _record(plan: Plan, facts: list[Fact], sections: list[Section]) -> dict[str, Any]:
    return {"u": page_url(plan_src(plan.id)), "t": plan.title, "f": [[f.label, f.value] for f in facts],
            "s": [[s.anchor or "", s.heading, s.text] for s in sections]}


def _ordered(values: Iterable[str], preferred: Iterable[str]) -> list[str]:
    present = set(values)
    first = [v for v in preferred if v in present]
    return first + sorted(present - set(first))


def _docs_table(catalog: Catalog, categories: Iterable[str]) -> dict[str, Any]:
    """The facts every plan is filtered and counted by, as columns indexed by plan number."""
    walk = [key for root in catalog.tree.roots() for key in catalog.tree.descendants(root.key)]
    region_index = {key: i for i, key in enumerate(walk)}
    regions = [[key, catalog.tree[key].name, region_index.get(catalog.tree[key].parent or "", -1)] for key in walk]
    issuers = sorted({p.issuer for p in catalog.plans})
    category_names = _ordered((p.category for p in catalog.plans), categories)
    statuses = _ordered((p.status for p in catalog.plans), STATUSES)
    plans = catalog.plans
    issuer_index = {name: i for i, name in enumerate(issuers)}
    return {
        "regions": regions, "issuers": issuers, "categories": category_names, "statuses": statuses,
        "region": [region_index[catalog.region_of[p.id]] for p in plans],
        "first": [p.years.start for p in plans],
        "last": [p.years.stop - 1 for p in plans],
        "category": [category_names.index(p.category) for p in plans],
        "issuer": [issuer_index[p.issuer] for p in plans],
        "status": [statuses.index(p.status) for p in plans],
    }


def _clear(out_dir: Path) -> None:
    """Remove a previous index; the search page itself (index.html) lives in the same folder and stays."""
    for name in (SHARD_DIR, RECORD_DIR):
        shutil.rmtree(out_dir / name, ignore_errors=True)
    for name in (MANIFEST, DOCS):
        (out_dir / name).unlink(missing_ok=True)


def build_index(catalog: Catalog, out_dir: Path, categories: Iterable[str] = ()) -> IndexStats:
    """Index `catalog.plans` (never the withheld ones) into `out_dir`. Plans are numbered in catalog order,
    newest first, which is also the order of equally relevant results."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    (out_dir / SHARD_DIR).mkdir()
    (out_dir / RECORD_DIR).mkdir()
    writer = _Writer(out_dir)
    count = len(catalog.plans)
    everywhere: dict[str, list[int]] = defaultdict(list)
    in_head: dict[str, list[int]] = defaultdict(list)
    in_title: dict[str, list[int]] = defaultdict(list)
    for number, plan in enumerate(catalog.plans):
        facts = plan_facts(plan, catalog.tree, catalog.region_of[plan.id])
        sections = plan_sections(plan)
        title = grams(plan.title)
        head = title | grams("\n".join(f.value for f in facts))
        for gram in title:
            in_title[gram].append(number)
        for gram in head:
            in_head[gram].append(number)
        for gram in head | grams("\n".join(section_text(s) for s in sections)):
            everywhere[gram].append(number)
        writer.write(f"{RECORD_DIR}/{number}.bin", _gzip(_json(_record(plan, facts, sections))))

    entries = {gram: encode_entry(gram, (plans, in_head.get(gram, ()), in_title.get(gram, ())), count)
               for gram, plans in everywhere.items()}
    shards = max(1, math.ceil(sum(map(len, entries.values())) / SHARD_TARGET))
    grouped: dict[int, list[str]] = defaultdict(list)
    for gram in entries:
        grouped[shard_of(gram, shards)].append(gram)
    for shard in range(shards):
        data = b"".join(entries[gram] for gram in sorted(grouped.get(shard, ())))
        writer.write(f"{SHARD_DIR}/{shard}.bin", _gzip(data))
    writer.write(DOCS, _gzip(_json(_docs_table(catalog, categories))))

    characters = "".join(gram for gram in everywhere if len(gram) == 1)
    manifest = {"format": FORMAT, "version": writer.digest.hexdigest()[:16], "plans": count, "shards": shards,
                "gram": GRAM, "t2s": browser_t2s_pairs([characters])}
    writer.write(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=0).encode("utf-8"))
    return IndexStats(count, len(entries), shards, writer.files, writer.bytes)
