"""Queries against a written index, in Python: the reference for what the browser's search does, used by the
tests and benchmarks to check the index files independently of the page."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from planpub.search.build import DOCS, GRAM, MANIFEST, RECORD_DIR, SHARD_DIR, query_grams
from planpub.search.normalize import fold, query_terms
from planpub.search.postings import LISTS, decode_shard, shard_of


@dataclass
class Index:
    folder: Path
    _shards: dict[int, dict[str, list[list[int]]]] = field(default_factory=dict)

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return dict(json.loads((self.folder / MANIFEST).read_text(encoding="utf-8")))

    @cached_property
    def docs(self) -> dict[str, Any]:
        return dict(json.loads(gzip.decompress((self.folder / DOCS).read_bytes())))

    def record(self, plan: int) -> dict[str, Any]:
        return dict(json.loads(gzip.decompress((self.folder / RECORD_DIR / f"{plan}.bin").read_bytes())))

    def postings(self, gram: str) -> list[set[int]]:
        """The gram's lists of plans (`planpub.search.postings.LISTS`): anywhere, in the title or metadata, in the
        title, in a heading, at least twice, at least five times."""
        shard = shard_of(gram, self.manifest["shards"])
        if shard not in self._shards:
            data = gzip.decompress((self.folder / SHARD_DIR / f"{shard}.bin").read_bytes())
            self._shards[shard] = dict(decode_shard(data))
        return [set(ids) for ids in self._shards[shard].get(gram, [[]] * LISTS)]

    def candidates(self, term: str) -> list[set[int]]:
        """Plans holding every gram of a folded term, list by list (see `postings`)."""
        found = [self.postings(gram) for gram in query_grams(term)]
        return [set.intersection(*(lists[i] for lists in found)) for i in range(LISTS)]

    def contains(self, plan: int, term: str) -> bool:
        """Whether the plan's title, metadata or text contains the folded term."""
        record = self.record(plan)
        texts = [record["t"], *(value for _, value in record["f"]),
                 *(f"{heading}\n{text}" for _, heading, text in record["s"])]
        return any(term in fold(text) for text in texts)

    def search(self, query: str) -> list[int]:
        """Every plan containing all terms of the query, confirmed against its text, in plan order."""
        terms = query_terms(query)
        if not terms:
            return []
        found = set.intersection(*(self.candidates(term)[0] for term in terms))
        return sorted(p for p in found if all(len(t) <= GRAM or self.contains(p, t) for t in terms))
