"""Build time and output size by corpus size, against plain Material building the same plans.

    python benchmarks/build.py                  # N = 300 and 3,000, median of 3 runs each
    python benchmarks/build.py --sizes 300 --runs 5
    python benchmarks/build.py --baseline-runs 1  # Material timed in the first run only (it takes minutes)

For each N it writes N synthetic Chinese plans (about 5,000 characters each), then times, as whole
processes and in alternation so that drift of the machine's speed hits both alike:
- planpub: `planpub build --plans DIR --site-dir OUT`;
- baseline: the same Markdown files as the docs of a plain Material site (`mkdocs new` + `theme: material`,
  `language: zh`, default plugins, no nav: every page in the navigation), built with `mkdocs build`.
It prints the median wall time, the ratio baseline/planpub, time(largest)/time(smallest) for planpub, and
the size of each output. Nothing here asserts a time: read the numbers.

A planpub build returns once the new site is in place and removes the site it replaced in the background; the
next timed command starts only after that removal has finished, so that it never competes with it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

from planpub.cli import RETIRED_SITES

ROOT = Path(__file__).resolve().parents[1]
BASELINE_CONFIG = """site_name: 基准
theme:
  name: material
  language: zh
  font: false
"""


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    finished = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    elapsed = time.perf_counter() - start
    if finished.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{finished.stderr[-2000:]}")
    return elapsed


def wait_for_removal(retired: Path, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while retired.is_dir() and any(retired.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)


def measure(count: int, runs: int, work: Path, baseline_runs: int) -> dict[str, float]:
    plans = work / f"plans-{count}"
    write_corpus(plans, count)
    docs_project = work / f"material-{count}"
    (docs_project / "docs").mkdir(parents=True)
    (docs_project / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    (docs_project / "docs" / "index.md").write_text("# 基准\n", encoding="utf-8")
    for plan in plans.iterdir():
        shutil.copy(plan, docs_project / "docs" / plan.name)
    ours = [sys.executable, "-m", "planpub.cli", "build", "--config", str(ROOT / "mkdocs.yml"),
            "--plans", str(plans), "--site-dir", str(work / f"site-{count}"), "--as-of", "2030-01-01"]
    theirs = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(work / f"material-site-{count}")]
    ours_times, theirs_times = [], []
    for run in range(runs):
        ours_times.append(timed(ours, ROOT))
        wait_for_removal(ROOT / RETIRED_SITES)
        if run < baseline_runs:
            theirs_times.append(timed(theirs, docs_project))
    result = {"planpub": statistics.median(ours_times)}
    files, size = tree_size(work / f"site-{count}")
    result.update(planpub_files=files, planpub_bytes=size)
    if theirs_times:
        result["material"] = statistics.median(theirs_times)
        files, size = tree_size(work / f"material-site-{count}")
        result.update(material_files=files, material_bytes=size)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true", help="time planpub only")
    parser.add_argument("--baseline-runs", type=int, help="time Material in this many of the runs (default: all)")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory(prefix="planpub-bench-") as tmp:
        for count in args.sizes:
            baseline_runs = 0 if args.no_baseline else min(args.runs, args.baseline_runs or args.runs)
            rows[count] = measure(count, args.runs, Path(tmp), baseline_runs)
            print(f"measured N={count}: {rows[count]}", file=sys.stderr)
    print(f"{'N':>6} {'planpub s':>10} {'Material s':>11} {'speed-up':>9} {'planpub MB':>11} {'Material MB':>12}")
    for count, row in rows.items():
        material = row.get("material")
        print(f"{count:>6} {row['planpub']:>10.1f} {material or float('nan'):>11.1f} "
              f"{(material / row['planpub']) if material else float('nan'):>8.1f}x "
              f"{row['planpub_bytes'] / 1e6:>11.1f} {row.get('material_bytes', float('nan')) / 1e6:>12.1f}")
    sizes = sorted(rows)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"planpub time({large})/time({small}) = {rows[large]['planpub'] / rows[small]['planpub']:.1f} "
              f"(linear would be {large / small:.0f})")


if __name__ == "__main__":
    main()
