"""Search: recall and precision, bytes per query, keystroke-to-results time, index build time and memory.

    python benchmarks/search.py                          # the full run: recall at 1,000, sizes 1,000 and 10,000
    python benchmarks/search.py --recall-at 1000 --sizes 1000 --build-sizes 3000
    python benchmarks/search.py --queries 300 --recall-at 1000 10000
    python benchmarks/search.py --sizes --recall-at --build-sizes     # the judged query set only

Corpora are `benchmarks/corpus.py` plans (about 5,000 characters each) with two additions, so that script and
width are tested: every tenth plan is converted to Traditional characters (OpenCC s2t, title and body) and
every tenth plan, offset by five, has its digits and Latin letters in full width.

Measured in headless Chromium through the real search page: the sample site is built once with `planpub build`
and each corpus's index is written into its `search/` folder by `planpub.search.build.build_index`, the function
the site's hook calls, so a 10,000-plan index is measured without rendering 10,000 plan pages. For each query
the box on the page is filled and submitted, and the page's complete result list (`planpubSearch.results()`)
is compared with the ground truth: plans whose title, metadata or body contains every term after OpenCC t2s
(phrase-level, not the index's character table), NFKC and lower-casing, computed here in Python from the plan
files. Query classes: words, whole phrases, substrings across word boundaries, Traditional spellings,
full-width spellings, two-term queries and arbitrary spans of running text (which cross punctuation, numbers
and the generator's joins and are the hardest for an n-gram index).

Ranking is measured on the judged query set, every `benchmarks/queries/*.tsv` (columns: query, the ids of the
plans a reader wants in order of usefulness separated by spaces, kind; `#` starts a comment line): rows whose
ids are all `plan-NNNNN` are run against the generated corpus of `--judged-at` plans, the others against the
sample site's plans. The ranking is the page's own (`planpubSearch.results()` in Chromium), so that the figures
cannot drift from what readers get. NDCG@10 uses graded gains (the first wanted plan gains as many points as
there are wanted plans, the last one point), MRR the rank of the first wanted plan, recall the share of wanted
plans anywhere in the results.

Bytes are the transfer sizes the browser reports (Resource Timing) for the index files: the first query on a
freshly opened search page, then one different query after it. Time is from the input event of a query's last
character (what a key or an IME's commit sends) to the page's results being in the DOM, with the index already
warm, including the page's 60 ms pause for typing. Index build time and peak memory are those of a process that
loads the catalog and builds the index (`load_catalog` + `build_index`), measured separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import PHRASES, write_corpus
from opencc import OpenCC

from planpub.schema import DEFAULT_CATEGORIES as CATEGORIES
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2030-01-01"
# Words of the generator's phrases, as a reader would type them.
WORDS = ("高新技术企业", "创新驱动", "科技成果", "转移转化", "创新主体", "科技特派员", "乡村振兴", "营商环境",
         "高质量发展", "数字经济", "核心产业", "研发投入", "重点实验室", "工程技术研究中心", "知识产权",
         "科技型中小企业", "产学研合作", "高层次创新人才", "科技金融", "孵化器", "众创空间", "基础研究",
         "研发费用加计扣除", "关键核心技术", "数字化转型", "创新券", "科普", "科学素质", "农业科技园区",
         "激励机制", "放管服改革", "科研诚信", "绿色低碳", "新兴产业集群", "科技惠民", "总体要求", "保障措施",
         "考核评价", "科学技术局", "三年行动计划")
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in (*range(0x30, 0x3A), *range(0x41, 0x5B),
                                                              *range(0x61, 0x7B))})
RENDERED = """() => {
  const root = document.getElementById("pp-search");
  return root && root.getAttribute("aria-busy") === "false" && root.dataset.rendered === location.search;
}"""
INDEX_BYTES = """() => performance.getEntriesByType("resource")
  .filter(e => /\\/search\\/(manifest\\.json|docs\\.bin|g\\/|r\\/)/.test(e.name))
  .reduce((sum, e) => sum + e.transferSize, 0)"""


# --- corpus ---

def write_search_corpus(folder: Path, count: int) -> None:
    """`write_corpus` plus Traditional plans and plans with full-width digits and letters."""
    write_corpus(folder, count)
    to_traditional = OpenCC("s2t")
    for i in range(count):
        if i % 10 not in (3, 8):
            continue
        path = folder / f"plan-{i:05d}.md"
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        if i % 10 == 3:
            front = re.sub(r"^title: (.*)$", lambda m: f"title: {to_traditional.convert(m.group(1))}", front,
                           flags=re.MULTILINE)
            body = to_traditional.convert(body)
        else:
            body = "\n".join(line if line.startswith("#") else line.translate(FULL_WIDTH)
                             for line in body.splitlines())
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


# --- ground truth ---

_T2S = OpenCC("t2s")


def normalise(text: str) -> str:
    return _T2S.convert(unicodedata.normalize("NFKC", text)).lower()


def truth_texts(plans_dir: Path) -> list[str]:
    """Each published plan's title, metadata and body text, normalised, in plan-number order (newest first)."""
    from planpub.catalog import load_catalog

    catalog = load_catalog(plans_dir, CATEGORIES, dt.date.fromisoformat(AS_OF)).catalog
    assert catalog is not None
    texts = []
    for plan in catalog.plans:
        region = [r.name for r in catalog.tree.path(catalog.region_of[plan.id])]
        head = [plan.title, plan.issuer, plan.category, plan.doc_number or "", plan.index_no or "",
                plan.summary or "", *plan.keywords, *plan.topics, *region]
        body = [re.sub(r"^(#+\s+|\d+\.\s+)", "", line) for line in plan.body.splitlines()]
        texts.append(normalise("\n".join(head + body)))
    return texts


def truth(texts: list[str], query: str) -> set[int]:
    terms = [normalise(t) for t in query.split()]
    return {n for n, text in enumerate(texts) if all(t in text for t in terms)}


# --- queries ---

@dataclass(frozen=True)
class Query:
    kind: str
    text: str


def make_queries(texts: list[str], count: int, seed: int = 7) -> list[Query]:
    """`count` queries in seven classes, drawn from the generator's vocabulary and from the corpus text."""
    rng = random.Random(seed)
    to_traditional = OpenCC("s2t")
    spans = [t.split("\n", 1)[1] for t in texts]

    def span(low: int, high: int) -> str:
        while True:
            text = rng.choice(spans)
            size = rng.randint(low, high)
            start = rng.randrange(max(1, len(text) - size))
            piece = text[start:start + size]
            if "\n" not in piece and " " not in piece and len(piece) == size:
                return piece

    def cross_word() -> str:
        phrase = rng.choice(PHRASES)
        size = rng.randint(2, 4)
        start = rng.randrange(len(phrase) - size + 1)
        return phrase[start:start + size]

    makers = {
        "word": lambda: rng.choice(WORDS),
        "phrase": lambda: rng.choice(PHRASES),
        "cross-word": cross_word,
        "traditional": lambda: to_traditional.convert(rng.choice([*WORDS, *PHRASES])),
        "full-width": lambda: f"完成{rng.randint(2, 300)}项".translate(FULL_WIDTH),
        "two terms": lambda: f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
        "span": lambda: span(5, 12),
    }
    queries: list[Query] = []
    kinds = list(makers)
    while len(queries) < count:
        kind = kinds[len(queries) % len(kinds)]
        text = makers[kind]()
        if Query(kind, text) not in queries:
            queries.append(Query(kind, text))
    return queries


# --- judged queries ---

QUERIES = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class Judged:
    source: str
    """File and line, for messages."""
    query: str
    wanted: tuple[str, ...]
    kind: str

    @property
    def on_corpus(self) -> bool:
        return all(re.fullmatch(r"plan-\d{5}", plan) for plan in self.wanted)


def load_judged(folder: Path = QUERIES) -> list[Judged]:
    rows = []
    for path in sorted(folder.glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            columns = line.split("\t")
            if len(columns) != 3 or not columns[0].strip() or not columns[1].split():
                raise SystemExit(f"{path.name}:{number}: 应是三列（检索词、想要的计划标识、类型），以制表符分隔")
            rows.append(Judged(f"{path.name}:{number}", columns[0], tuple(columns[1].split()), columns[2].strip()))
    return rows


def plan_ids(search_dir: Path) -> list[str]:
    """Each plan number's id, from the index's own records."""
    from planpub.search.query import Index

    index = Index(search_dir)
    return [index.record(n)["u"].split("/")[1] for n in range(index.manifest["plans"])]


@dataclass
class Ranking:
    ndcg: list[float] = field(default_factory=list)
    mrr: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def ranking_scores(found: list[str], wanted: tuple[str, ...]) -> tuple[float, float, float]:
    """NDCG@10 with graded gains, reciprocal rank of the first wanted plan, recall of the wanted plans."""
    import math

    gain = {plan: len(wanted) - i for i, plan in enumerate(wanted)}
    dcg = sum(gain.get(plan, 0) / math.log2(rank + 2) for rank, plan in enumerate(found[:10]))
    ideal = sum(g / math.log2(rank + 2) for rank, g in enumerate(sorted(gain.values(), reverse=True)[:10]))
    first = next((rank for rank, plan in enumerate(found) if plan in gain), None)
    return dcg / ideal, 0.0 if first is None else 1 / (first + 1), len(set(found) & set(wanted)) / len(wanted)


def measure_ranking(page: Any, base: str, ids: list[str], rows: list[Judged]) -> dict[str, Ranking]:
    page.goto(base + "search/")
    page.wait_for_function(RENDERED)
    scores: dict[str, Ranking] = {}
    for row in rows:
        submit(page, row.query)
        found = [ids[n] for n in page.evaluate("planpubSearch.results()")]
        ndcg, rr, recall = ranking_scores(found, row.wanted)
        score = scores.setdefault(row.kind, Ranking())
        score.ndcg.append(ndcg)
        score.mrr.append(rr)
        score.recall.append(recall)
        if rr < 1:
            score.misses.append(f"{row.source} {row.query}: {' '.join(found[:3])}")
    return scores


def print_ranking(title: str, scores: dict[str, Ranking], verbose: bool) -> None:
    print(f"\nRanking on the judged queries, {title}")
    print(f"{'kind':<14} {'n':>4} {'NDCG@10':>8} {'MRR':>6} {'recall':>7}")
    everything = Ranking()
    for kind, score in sorted(scores.items()):
        print(f"{kind:<14} {len(score.ndcg):>4} {mean(score.ndcg):>8.3f} {mean(score.mrr):>6.3f} "
              f"{mean(score.recall):>7.3f}")
        everything.ndcg += score.ndcg
        everything.mrr += score.mrr
        everything.recall += score.recall
        everything.misses += score.misses
    print(f"{'all':<14} {len(everything.ndcg):>4} {mean(everything.ndcg):>8.3f} {mean(everything.mrr):>6.3f} "
          f"{mean(everything.recall):>7.3f}")
    if verbose:
        for miss in everything.misses:
            print(f"  not first: {miss}")


# --- site and browser ---

@contextmanager
def serve(root: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def build_sample_site(work: Path) -> Path:
    site = work / "site"
    subprocess.run([sys.executable, "-m", "planpub.cli", "build", "--config", str(ROOT / "mkdocs.yml"),
                    "--site-dir", str(site), "--as-of", "2026-06-30"], check=True, stdout=subprocess.DEVNULL)
    return site


def install_index(site: Path, plans_dir: Path) -> dict[str, Any]:
    from planpub.catalog import load_catalog
    from planpub.search.build import build_index

    catalog = load_catalog(plans_dir, CATEGORIES, dt.date.fromisoformat(AS_OF)).catalog
    assert catalog is not None
    stats = build_index(catalog, site / "search", CATEGORIES)
    return {"files": stats.files, "bytes": stats.bytes, "shards": stats.shards, "grams": stats.grams}


def submit(page: Any, query: str) -> None:
    box = page.locator("#pp-search-input")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('q') === {json.dumps(query)}")
    page.wait_for_function(RENDERED)


@dataclass
class Scores:
    recall: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    shown_precision: list[float] = field(default_factory=list)


def measure_quality(page: Any, base: str, texts: list[str], queries: list[Query]) -> dict[str, Scores]:
    page.goto(base + "search/")
    page.wait_for_function(RENDERED)
    scores: dict[str, Scores] = {}
    for query in queries:
        submit(page, query.text)
        found = set(page.evaluate("planpubSearch.results()"))
        shown = page.locator("#pp-search-results .pp-result__title a").evaluate_all("as => as.length")
        expected = truth(texts, query.text)
        hits = len(found & expected)
        score = scores.setdefault(query.kind, Scores())
        score.recall.append(hits / len(expected) if expected else 1.0)
        score.precision.append(hits / len(found) if found else 1.0)
        first_page = page.evaluate("planpubSearch.results()")[:shown]
        score.shown_precision.append(sum(n in expected for n in first_page) / shown if shown else 1.0)
    return scores


def measure_bytes(browser: Any, base: str, pairs: list[tuple[str, str]]) -> tuple[list[int], list[int]]:
    first, following = [], []
    for one, two in pairs:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = context.new_page()
        page.goto(base + "search/")
        page.wait_for_function(RENDERED)
        before = page.evaluate(INDEX_BYTES)
        submit(page, one)
        after_one = page.evaluate(INDEX_BYTES)
        submit(page, two)
        after_two = page.evaluate(INDEX_BYTES)
        # The first query includes what opening the page loaded for it (manifest and facet table).
        first.append(after_one)
        following.append(after_two - after_one)
        assert before <= after_one
        context.close()
    return first, following


KEY_TIMING = """() => {
  window.__keyAt = null;
  window.__renderedAt = null;
  document.addEventListener("input", () => { window.__keyAt = performance.now(); }, { capture: true });
  new MutationObserver(() => { window.__renderedAt = performance.now(); })
    .observe(document.getElementById("pp-search"), { attributes: true, attributeFilter: ["data-rendered"] });
}"""


def measure_latency(page: Any, base: str, queries: list[str]) -> list[float]:
    page.goto(base + "search/")
    page.wait_for_function(RENDERED)
    page.evaluate(KEY_TIMING)
    box = page.locator("#pp-search-input")
    times = []
    for query in queries:
        box.fill(query[:-1])
        box.press("Enter")
        page.wait_for_function(RENDERED)
        page.evaluate("window.__renderedAt = null")
        # The last character arrives as an IME commits it: one input event, which starts the clock.
        page.keyboard.insert_text(query[-1])
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('q') === {json.dumps(query)}")
        page.wait_for_function(RENDERED)
        page.wait_for_function("() => window.__renderedAt !== null")
        times.append(page.evaluate("window.__renderedAt - window.__keyAt"))
    return times


# --- index build in its own process ---

BUILD_CHILD = """
import datetime, json, resource, sys, time
from pathlib import Path
from planpub.catalog import load_catalog
from planpub.search.build import build_index
plans, out = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
catalog = load_catalog(plans, {categories!r}, datetime.date.fromisoformat({as_of!r})).catalog
loaded = time.perf_counter()
stats = build_index(catalog, out, {categories!r})
done = time.perf_counter()
print(json.dumps({{"catalog_s": loaded - start, "index_s": done - loaded, "peak_mb": resource.getrusage(
    resource.RUSAGE_SELF).ru_maxrss / 1024, "bytes": stats.bytes, "files": stats.files}}))
"""


def measure_build(plans_dir: Path, out: Path) -> dict[str, float]:
    code = BUILD_CHILD.format(categories=CATEGORIES, as_of=AS_OF)
    finished = subprocess.run([sys.executable, "-c", code, str(plans_dir), str(out)], check=True,
                              capture_output=True, text=True, cwd=ROOT)
    shutil.rmtree(out, ignore_errors=True)
    return dict(json.loads(finished.stdout))


# --- report ---

def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def print_quality(size: int, scores: dict[str, Scores]) -> None:
    print(f"\nRecall and precision at {size:,} plans (mean per query)")
    print(f"{'queries':<12} {'n':>4} {'recall':>7} {'precision':>10} {'first page':>11}")
    everything = Scores()
    for kind, score in scores.items():
        print(f"{kind:<12} {len(score.recall):>4} {mean(score.recall):>7.3f} {mean(score.precision):>10.3f} "
              f"{mean(score.shown_precision):>11.3f}")
        everything.recall += score.recall
        everything.precision += score.precision
        everything.shown_precision += score.shown_precision
    print(f"{'all':<12} {len(everything.recall):>4} {mean(everything.recall):>7.3f} "
          f"{mean(everything.precision):>10.3f} {mean(everything.shown_precision):>11.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="bytes and time at these")
    parser.add_argument("--recall-at", type=int, nargs="*", default=[1000], help="recall and precision at these")
    parser.add_argument("--build-sizes", type=int, nargs="*", default=[3000, 10000])
    parser.add_argument("--queries", type=int, default=210)
    parser.add_argument("--pairs", type=int, default=10, help="query pairs for the bytes measurement")
    parser.add_argument("--keep", type=Path, help="keep corpora and sites in this folder")
    parser.add_argument("--judged-at", type=int, default=1000, help="judged corpus queries at this many plans")
    parser.add_argument("--misses", action="store_true", help="list judged queries whose wanted plan is not first")
    args = parser.parse_args()
    judged = load_judged()

    from playwright.sync_api import sync_playwright

    work = args.keep or Path(tempfile.mkdtemp(prefix="planpub-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: dict[int, dict[str, Any]] = {}
    try:
        for size in sorted(set(args.build_sizes)):
            plans = work / f"plans-{size}"
            if not plans.is_dir():
                write_search_corpus(plans, size)
            rows.setdefault(size, {})["build"] = measure_build(plans, work / f"index-{size}")
            print(f"index build at {size}: {rows[size]['build']}", file=sys.stderr)

        site = build_sample_site(work)
        rng = random.Random(11)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            with serve(site) as base:
                page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
                sample_rows = [row for row in judged if not row.on_corpus]
                print_ranking(f"sample plans ({len(sample_rows)} queries)",
                              measure_ranking(page, base, plan_ids(site / "search"), sample_rows), args.misses)
                page.context.close()
            for size in sorted(set(args.sizes) | set(args.recall_at) | {args.judged_at}):
                plans = work / f"plans-{size}"
                if not plans.is_dir():
                    write_search_corpus(plans, size)
                row = rows.setdefault(size, {})
                row["index"] = install_index(site, plans)
                texts = truth_texts(plans)
                with serve(site) as base:
                    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
                    if size == args.judged_at:
                        corpus_rows = [row for row in judged if row.on_corpus]
                        print_ranking(f"generated corpus of {size:,} plans ({len(corpus_rows)} queries)",
                                      measure_ranking(page, base, plan_ids(site / "search"), corpus_rows),
                                      args.misses)
                    if size in args.recall_at:
                        row["quality"] = measure_quality(page, base, texts, make_queries(texts, args.queries))
                        print_quality(size, row["quality"])
                    if size in args.sizes:
                        words = [*WORDS, *PHRASES]
                        pairs = [(rng.choice(words), rng.choice(words)) for _ in range(args.pairs)]
                        row["first"], row["following"] = measure_bytes(browser, base, pairs)
                        row["latency"] = measure_latency(page, base, [rng.choice(words) for _ in range(40)])
                        # Queries typed without spaces or with a short name, which the page splits or expands.
                        typed = [r.query for r in judged if r.kind in ("run together", "bureau", "abbreviation")]
                        split_pairs = [(rng.choice(typed), rng.choice(typed)) for _ in range(args.pairs)]
                        row["split_first"], row["split_following"] = measure_bytes(browser, base, split_pairs)
                        row["split_latency"] = measure_latency(page, base, [rng.choice(typed) for _ in range(20)])
                    page.context.close()
            browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("\nSize, bytes per query (median, max) and keystroke to results (median, 90th percentile, max)")
    print(f"{'plans':>7} {'index MB':>9} {'files':>7} {'first KB':>14} {'following KB':>14} {'keystroke ms':>20}")
    for size, row in sorted(rows.items()):
        if "first" not in row:
            continue
        first = [b / 1024 for b in row["first"]]
        following = [b / 1024 for b in row["following"]]
        latency = row["latency"]
        print(f"{size:>7,} {row['index']['bytes'] / 1e6:>9.1f} {row['index']['files']:>7,} "
              f"{statistics.median(first):>7.0f}, {max(first):>5.0f} "
              f"{statistics.median(following):>7.0f}, {max(following):>5.0f} "
              f"{statistics.median(latency):>7.0f}, {statistics.quantiles(latency, n=10)[-1]:>5.0f}, "
              f"{max(latency):>5.0f}")
    print("\nThe same for queries typed without spaces or with short names (judged kinds run together, bureau,"
          " abbreviation)")
    print(f"{'plans':>7} {'first KB':>14} {'following KB':>14} {'keystroke ms':>20}")
    for size, row in sorted(rows.items()):
        if "split_first" not in row:
            continue
        first = [b / 1024 for b in row["split_first"]]
        following = [b / 1024 for b in row["split_following"]]
        latency = row["split_latency"]
        print(f"{size:>7,} {statistics.median(first):>7.0f}, {max(first):>5.0f} "
              f"{statistics.median(following):>7.0f}, {max(following):>5.0f} "
              f"{statistics.median(latency):>7.0f}, {statistics.quantiles(latency, n=10)[-1]:>5.0f}, "
              f"{max(latency):>5.0f}")
    print("\nIndex build (load the catalog, then build the index), one process")
    print(f"{'plans':>7} {'catalog s':>10} {'index s':>8} {'peak MB':>8}")
    for size, row in sorted(rows.items()):
        if "build" in row:
            build = row["build"]
            print(f"{size:>7,} {build['catalog_s']:>10.1f} {build['index_s']:>8.1f} {build['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()
