"""Splitting queries typed without spaces: the browser's Intl.Segmenter against a word list built from the corpus.

    python benchmarks/segmenting.py

For every judged query of kind "run together" (`benchmarks/queries/*.tsv`), both ways split the folded query
into words: Intl.Segmenter('zh', {granularity: 'word'}) in Node (the same ICU data as Chromium), and forward
maximum matching against a word list of the corpus (keywords, region names, and the pieces of titles and
headings between punctuation and digits, plus the equivalence table's names), single characters where no word
fits. Printed: how often the wanted plan holds every word (it must, to be found), how many plans hold every word
(fewer is a sharper result list), words per query, and the word list's size (what a browser would download).
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search import AS_OF, load_judged, write_search_corpus

from planpub.catalog import load_catalog
from planpub.schema import DEFAULT_CATEGORIES
from planpub.search.equivalents import equivalence_groups
from planpub.search.normalize import fold
from planpub.search.sections import plan_facts, plan_sections

ROOT = Path(__file__).resolve().parents[1]
SEGMENT = """
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
for (const line of require("fs").readFileSync(0, "utf8").split("\\n").filter(Boolean)) {
  console.log([...segmenter.segment(line)].filter((s) => s.isWordLike !== false).map((s) => s.segment).join(" "));
}
"""
_PIECES = re.compile(r"[\W\d_a-z]+|[的和与及]")


def corpus_texts_and_words(folders: list[Path]) -> tuple[dict[str, str], set[str]]:
    texts: dict[str, str] = {}
    words = {name for group in equivalence_groups() for name in group}
    for folder in folders:
        catalog = load_catalog(folder, DEFAULT_CATEGORIES, dt.date.fromisoformat(AS_OF)).catalog
        assert catalog is not None
        for plan in catalog.plans:
            facts = plan_facts(plan, catalog.tree, catalog.region_of[plan.id])
            sections = plan_sections(plan)
            texts[plan.id] = fold("\n".join([plan.title, *(f.value for f in facts),
                                             *(f"{s.heading}\n{s.text}" for s in sections)]))
            words.update(fold(k) for k in plan.keywords)
            words.update(fold(r.name) for r in catalog.tree.path(catalog.region_of[plan.id]))
            for line in [plan.title, *(s.heading for s in sections)]:
                words.update(p for p in _PIECES.split(fold(line)) if 2 <= len(p) <= 8)
    return texts, words


def forward_maximum(query: str, words: set[str]) -> list[str]:
    out, at = [], 0
    while at < len(query):
        size = next(n for n in range(min(8, len(query) - at), 0, -1) if n == 1 or query[at:at + n] in words)
        out.append(query[at:at + size])
        at += size
    return out


def main() -> None:
    rows = [row for row in load_judged() if row.kind == "run together"]
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "plans"
        write_search_corpus(corpus, 1000)
        texts, words = corpus_texts_and_words([ROOT / "plans", corpus])
    queries = [fold(row.query) for row in rows]
    segmented = subprocess.run(["node", "-e", SEGMENT], input="\n".join(queries), capture_output=True, text=True,
                               check=True).stdout.splitlines()
    splits = {"Intl.Segmenter": [line.split() for line in segmented],
              "corpus word list": [forward_maximum(q, words) for q in queries]}
    print(f"{len(rows)} run-together queries; corpus word list: {len(words)} words, "
          f"{len(gzip.compress(chr(10).join(sorted(words)).encode())) / 1024:.0f} KB gzip")
    print(f"{'split by':<18} {'wanted found':>12} {'plans with all words':>21} {'words/query':>12}")
    for name, split in splits.items():
        found = sum(all(w in texts[row.wanted[0]] for w in ws) for row, ws in zip(rows, split, strict=True))
        holding = sum(sum(all(w in t for w in ws) for t in texts.values()) for ws in split) / len(rows)
        print(f"{name:<18} {found:>8}/{len(rows):<3} {holding:>21.1f} {sum(map(len, split)) / len(rows):>12.1f}")


if __name__ == "__main__":
    main()
