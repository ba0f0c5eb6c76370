"""Write the search index of a catalog's published plans (format: see `planpub.search`)."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import multiprocessing
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from planpub.catalog import Catalog
from planpub.pages import page_url, plan_src
from planpub.plan import Plan
from planpub.schema import STATUSES
from planpub.search.equivalents import equivalence_groups
from planpub.search.gramkeys import Keys, growing_counted_keys, key_hashes, key_strings, text_keys
from planpub.search.normalize import DASHES, DROPPED, browser_t2s_pairs
from planpub.search.postings import LISTS, encode_list, encode_lists, join_entry
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
# A gram occurring at least this often in a plan (title, metadata and text) puts the plan in the gram's "twice" and
# "often" lists: the counts relevance ranking reads as term frequency.
TWICE = 2
OFTEN = 5

SEARCH_DIR = "search"
"""Where the index is published, relative to the site root; the search page fetches it from there."""


def grams(text: str) -> set[str]:
    """Every 1-, 2- and 3-character substring of the folded text that contains no whitespace."""
    return set(key_strings(text_keys(text)))


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


@dataclass(frozen=True)
class _Postings:
    """Which plans each gram occurs in: the grams' keys and, in the same order, the plan numbers of each."""

    keys: Keys
    numbers: npt.NDArray[np.int32]
    """32 bits: at millions of grams per thousand plans, these two arrays are most of the index build's memory."""

    @staticmethod
    def of(found: list[tuple[int, Keys]]) -> _Postings:
        """From the distinct keys of plans given in ascending order of their numbers."""
        if not found:
            return _Postings(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32))
        keys = np.concatenate([k for _, k in found])
        numbers = np.repeat(np.array([n for n, _ in found], dtype=np.int32), [len(k) for _, k in found])
        return _Postings(keys, numbers)

    @staticmethod
    def merge(parts: list[_Postings]) -> _Postings:
        """One table from parts that cover consecutive plan numbers, in order."""
        return _Postings(np.concatenate([p.keys for p in parts]), np.concatenate([p.numbers for p in parts]))

    def grouped(self) -> tuple[Keys, npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """The distinct keys in order, the offsets into the plan numbers where each key's list starts (with the end
        after the last), and the plan numbers, ascending within each key's list."""
        # Stable: the numbers came in ascending order and stay so within each key.
        order = np.argsort(self.keys, kind="stable")
        keys, numbers = self.keys[order], self.numbers[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else np.zeros(0, int)
        return keys[starts], np.append(starts, len(keys)).astype(np.int64), numbers


@dataclass(frozen=True)
class _Chunk:
    """Consecutive plans indexed together: the SHA-256 digest and size of each record file written, and the
    plans of each gram's lists (`planpub.search.postings.LISTS`)."""

    records: list[tuple[bytes, int]]
    lists: tuple[_Postings, ...]


def _record_name(number: int) -> str:
    return f"{RECORD_DIR}/{number}.bin"


def _index_chunk(out_dir: Path, start: int, work: list[tuple[Plan, list[Fact]]]) -> _Chunk:
    everywhere, in_head, in_title, in_heading, twice, often = [], [], [], [], [], []
    records = []
    for number, (plan, facts) in enumerate(work, start):
        sections = plan_sections(plan)
        texts = [plan.title, "\n".join(f.value for f in facts), "\n".join(section_text(s) for s in sections)]
        (title, head, body), counts = growing_counted_keys(texts)
        in_title.append((number, title))
        in_head.append((number, head))
        everywhere.append((number, body))
        in_heading.append((number, text_keys("\n".join(s.heading for s in sections))))
        twice.append((number, body[counts >= TWICE]))
        often.append((number, body[counts >= OFTEN]))
        # Written here, by the process that made it: creating thousands of small files takes longer than
        # making them, so the writing is spread over the processes too.
        data = _gzip(_json(_record(plan, facts, sections)))
        (out_dir / _record_name(number)).write_bytes(data)
        records.append((hashlib.sha256(data).digest(), len(data)))
    return _Chunk(records, tuple(_Postings.of(table) for table in (everywhere, in_head, in_title, in_heading,
                                                                   twice, often)))


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


def _encoded(postings: _Postings, count: int, wanted: Keys) -> list[bytes]:
    """The encoded list of plans of every wanted key, in the order given; the empty list for keys not there."""
    keys, starts, numbers = postings.grouped()
    encoded = encode_lists(numbers, starts, count)
    empty = encode_list([], count)
    where = np.searchsorted(keys, wanted)
    found = (where < len(keys)) & (keys[np.minimum(where, max(len(keys) - 1, 0))] == wanted) if len(keys) else \
        np.zeros(len(wanted), dtype=np.bool_)
    return [encoded[i] if hit else empty for i, hit in zip(where.tolist(), found.tolist(), strict=True)]


def default_jobs(plans: int) -> int:
    return min(os.cpu_count() or 1, 4) if plans >= PARALLEL_FROM else 1


def build_index(catalog: Catalog, out_dir: Path, categories: Iterable[str] = (), jobs: int | None = None,
                equivalents: Iterable[Sequence[str]] = ()) -> IndexStats:
    """Index `catalog.plans` (never the withheld ones) into `out_dir`. Plans are numbered in catalog order,
    newest first, which is also the order of equally relevant results. `equivalents` are the site's groups of
    names searched as one, added to the default table (`planpub.search.equivalents`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    (out_dir / SHARD_DIR).mkdir()
    (out_dir / RECORD_DIR).mkdir()
    writer = _Writer(out_dir)
    count = len(catalog.plans)
    parts: tuple[list[_Postings], ...] = tuple([] for _ in range(LISTS))
    number = 0
    for chunk in _chunks(catalog, out_dir, default_jobs(count) if jobs is None else jobs):
        for table, part in zip(parts, chunk.lists, strict=True):
            table.append(part)
        for digest, size in chunk.records:
            writer.written(_record_name(number), digest, size)
            number += 1
    everywhere, *others = (_Postings.merge(table) if table else _Postings.of([]) for table in parts)

    keys, starts, numbers = everywhere.grouped()
    names = key_strings(keys)
    lists = [encode_lists(numbers, starts, count), *(_encoded(table, count, keys) for table in others)]
    entries = [join_entry(name, encoded) for name, *encoded in zip(names, *lists, strict=True)]
    shards = max(1, math.ceil(sum(map(len, entries)) / SHARD_TARGET))
    # Keys sort as their grams do, so each shard's entries come out sorted by gram.
    shard_of_entry = (key_hashes(keys) % np.uint64(shards)).astype(np.int64)
    order = np.argsort(shard_of_entry, kind="stable")
    bounds = np.searchsorted(shard_of_entry[order], np.arange(shards + 1)).tolist()
    ordered = order.tolist()
    for shard in range(shards):
        data = b"".join(entries[i] for i in ordered[bounds[shard]:bounds[shard + 1]])
        writer.write(f"{SHARD_DIR}/{shard}.bin", _gzip(data))
    writer.write(DOCS, _gzip(_json(_docs_table(catalog, categories))))

    characters = "".join(name for name in names if len(name) == 1)
    manifest = {"format": FORMAT, "version": writer.digest.hexdigest()[:16], "plans": count, "shards": shards,
                "gram": GRAM, "lists": LISTS, "t2s": browser_t2s_pairs([characters]), "dash": DASHES,
                "drop": DROPPED, "eq": equivalence_groups(equivalents)}
    writer.write(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=0).encode("utf-8"))
    return IndexStats(count, len(entries), shards, writer.files, writer.bytes)
