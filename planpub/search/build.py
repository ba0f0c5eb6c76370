"""Write the search index of a catalog's published plans (format: see `planpub.search`)."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import multiprocessing
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
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
# Below this many plans, starting worker processes costs more than it saves.
PARALLEL_FROM = 400
CHUNK = 50

SEARCH_DIR = "search"
"""Where the index is published, relative to the site root; the search page fetches it from there."""


def grams(text: str) -> set[str]:
    """Every 1-, 2- and 3-character substring of the folded text that contains no whitespace."""
    lines = fold_lines(text)
    # One slice per position is the cost; the shorter grams are taken from the distinct longer ones, since each
    # is a prefix of the gram one longer at the same position, except at the end of a run.
    trigrams = {t for t in {lines[i:i + 3] for i in range(len(lines) - 2)} if "\n" not in t}
    ends = [run[-2:] for run in lines.split("\n") if run]
    bigrams = {t[:2] for t in trigrams}
    bigrams.update(e for e in ends if len(e) == 2)
    unigrams = {b[0] for b in bigrams}
    unigrams.update(e[-1] for e in ends)
    return trigrams | bigrams | unigrams


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
        (self.out_dir / name).write_bytes(data)
        self.written(name, hashlib.sha256(data).digest(), len(data))

    def written(self, name: str, digest: bytes, size: int) -> None:
        """Count a file another process wrote, by its SHA-256 digest."""
        self.digest.update(name.encode("utf-8") + b"\0" + digest)
        self.files += 1
        self.bytes += size


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


Postings = dict[str, list[int]]


@dataclass(frozen=True)
class _Chunk:
    """Consecutive plans indexed together: the SHA-256 digest and size of each record file written, and the plan
    numbers each gram occurs in, anywhere, in the title or metadata, in the title."""

    records: list[tuple[bytes, int]]
    lists: tuple[Postings, Postings, Postings]


def _record_name(number: int) -> str:
    return f"{RECORD_DIR}/{number}.bin"


def _index_chunk(out_dir: Path, start: int, work: list[tuple[Plan, list[Fact]]]) -> _Chunk:
    lists: tuple[Postings, Postings, Postings] = (defaultdict(list), defaultdict(list), defaultdict(list))
    everywhere, in_head, in_title = lists
    records = []
    for number, (plan, facts) in enumerate(work, start):
        sections = plan_sections(plan)
        title = grams(plan.title)
        head = title | grams("\n".join(f.value for f in facts))
        for table, found in ((in_title, title), (in_head, head),
                             (everywhere, head | grams("\n".join(section_text(s) for s in sections)))):
            for gram in found:
                table[gram].append(number)
        # Written here, by the process that made it: creating thousands of small files takes longer than
        # making them, so the writing is spread over the processes too.
        data = _gzip(_json(_record(plan, facts, sections)))
        (out_dir / _record_name(number)).write_bytes(data)
        records.append((hashlib.sha256(data).digest(), len(data)))
    return _Chunk(records, lists)


def _chunks(catalog: Catalog, out_dir: Path, jobs: int) -> Iterator[_Chunk]:
    """Every plan indexed, in catalog order, in chunks; spread over `jobs` processes, since each plan is
    indexed on its own and only the merge of the chunks is sequential."""
    work = [(plan, plan_facts(plan, catalog.tree, catalog.region_of[plan.id])) for plan in catalog.plans]
    starts = range(0, len(work), CHUNK)
    if jobs <= 1:
        for first in starts:
            yield _index_chunk(out_dir, first, work[first:first + CHUNK])
        return
    # Spawned, not forked: the engine may be running threads (the live-reload server) that a fork would cut.
    # As with any spawned process, the caller's main module must be importable without running anything.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(_index_chunk, [out_dir] * len(starts), starts,
                            [work[first:first + CHUNK] for first in starts])


def default_jobs(plans: int) -> int:
    return min(os.cpu_count() or 1, 4) if plans >= PARALLEL_FROM else 1


def build_index(catalog: Catalog, out_dir: Path, categories: Iterable[str] = (), jobs: int | None = None) -> IndexStats:
    """Index `catalog.plans` (never the withheld ones) into `out_dir`. Plans are numbered in catalog order,
    newest first, which is also the order of equally relevant results."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    (out_dir / SHARD_DIR).mkdir()
    (out_dir / RECORD_DIR).mkdir()
    writer = _Writer(out_dir)
    count = len(catalog.plans)
    lists: tuple[Postings, Postings, Postings] = ({}, {}, {})
    everywhere, in_head, in_title = lists
    number = 0
    for chunk in _chunks(catalog, out_dir, default_jobs(count) if jobs is None else jobs):
        for table, part in zip(lists, chunk.lists, strict=True):
            for gram, plans in part.items():
                found = table.get(gram)
                if found is None:
                    table[gram] = plans
                else:
                    found.extend(plans)
        for digest, size in chunk.records:
            writer.written(_record_name(number), digest, size)
            number += 1

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
