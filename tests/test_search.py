"""Search: folding, sections and their anchors, the posting format and the index a catalog is written to."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import numpy as np
import pytest

from planpub.catalog import Catalog, load_catalog
from planpub.schema import DEFAULT_CATEGORIES
from planpub.search.build import build_index, grams, query_grams
from planpub.search.gramkeys import growing_keys, key_hashes, key_strings, text_keys
from planpub.search.normalize import browser_t2s_pairs, fold, fold_lines, query_terms, t2s_table
from planpub.search.postings import (
    decode_list,
    decode_shard,
    encode_entry,
    encode_list,
    encode_lists,
    gram_hash,
    read_varint,
)
from planpub.search.query import Index
from planpub.search.sections import split_sections
from tests.conftest import ROOT

AS_OF = dt.date(2025, 6, 30)


def plan_file(folder: Path, name: str, title: str, body: str, **fields: str) -> None:
    values = {"id": name, "title": title, "year": "2024", "region": "浙江省/温州市/瓯海区",
              "issuer": "温州市瓯海区科学技术局", "category": "年度工作计划", "written": "2024-02-20", **fields}
    front = "\n".join(f"{key}: {value}" for key, value in values.items())
    (folder / f"{name}.md").write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plans")
    plan_file(folder, "rural", "瓯海区科技特派员服务方案", "## 一、总体要求\n\n服务乡村振兴战略，推动高质量发展。\n",
              keywords="[科技特派员]")
    plan_file(folder, "traditional", "瑞安市數字經濟攻關方案",
              "## 一、總體要求\n\n發展數字經濟核心產業，完成ＡＩ項目１２個。\n", region="浙江省/温州市/瑞安市",
              issuer="瑞安市科学技术局", category="实施方案", year="2023", period="2023-2025")
    plan_file(folder, "scattered", "江阴市科技工作要点",
              "## 一、工作目标\n\n高质量。质量发展仍需努力，经济高质量。\n\n## 二、重点任务\n\n建设数字经济园区。\n",
              region="江苏省/无锡市/江阴市", issuer="江阴市科学技术局", category="工作要点", status="已废止")
    plan_file(folder, "draft", "瓯海区草稿计划", "## 一、总体要求\n\n草稿独有标记甲乙丙。\n", status="草稿")
    plan_file(folder, "embargoed", "瓯海区未到发布日期的计划", "## 一、总体要求\n\n未发布独有标记丁戊己。\n",
              published="2025-12-01")
    return folder


@pytest.fixture(scope="module")
def catalog(corpus: Path) -> Catalog:
    result = load_catalog(corpus, DEFAULT_CATEGORIES, AS_OF)
    assert result.catalog is not None, result.problems
    return result.catalog


@pytest.fixture(scope="module")
def index(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Index:
    folder = tmp_path_factory.mktemp("site") / "search"
    build_index(catalog, folder, DEFAULT_CATEGORIES)
    return Index(folder)


def found_ids(index: Index, query: str) -> set[str]:
    return {index.record(n)["u"].split("/")[1] for n in index.search(query)}


# --- folding ---

def test_traditional_and_simplified_fold_alike() -> None:
    assert fold("數字經濟") == fold("数字经济") == "数字经济"


def test_full_width_letters_and_digits_fold_to_half_width_lower_case() -> None:
    assert fold("ＡＩ项目１２个") == fold("AI项目12个") == "ai项目12个"


def test_query_terms_split_on_any_space_and_drop_repeats() -> None:
    assert query_terms(" 数字经济\u3000高质量  數字經濟 ") == ["数字经济", "高质量"]


def test_t2s_table_maps_straight_to_the_final_character() -> None:
    table = t2s_table()
    assert table["經"] == "经"
    assert not [c for c in table.values() if c in table]


def test_browser_pairs_keep_only_characters_the_corpus_has() -> None:
    pairs = browser_t2s_pairs(["数字经济"])
    assert "數数" in pairs and "經经" in pairs
    assert "門" not in pairs


# --- sections ---

def test_sections_are_named_like_the_page_headings() -> None:
    body = ("前言一段。\n\n## 一、总体要求\n\n内容。\n\n## 一、总体要求\n\n重复标题。\n\n"
            "### （一）**重点**任务 {#key-tasks}\n\n```\n## 不是标题\n```\n")
    sections = split_sections("计划标题", body)
    assert [s.anchor for s in sections] == [None, "一总体要求", "一总体要求_1", "key-tasks"]
    assert sections[3].heading == "（一）重点任务"
    assert sections[3].text == "## 不是标题"


def test_section_text_is_what_a_reader_sees() -> None:
    body = ("## 目标\n\n推动**高质量**发展，见[附件](a.pdf)。\n\n| 指标 | 2024年 |\n|---|---|\n| 研发投入 | 3% |\n\n"
            "1. 第一项\n2. 第二项\n\n乡村振\n兴战略\n")
    text = split_sections("标题", body)[0].text
    assert text.splitlines() == ["推动高质量发展，见附件。", "指标 2024年", "研发投入 3%", "第一项", "第二项",
                                 "乡村振兴战略"]


def test_section_anchors_exist_on_the_built_plan_pages(sample_site: Path) -> None:
    result = load_catalog(ROOT / "plans", DEFAULT_CATEGORIES, dt.date(2026, 6, 30))
    assert result.catalog is not None
    for plan in result.catalog.plans:
        page = (sample_site / "plans" / plan.id / "index.html").read_text(encoding="utf-8")
        ids = set(re.findall(r'<h[1-6][^>]* id="([^"]+)"', page))
        anchors = [s.anchor for s in split_sections(plan.title, plan.body) if s.anchor]
        assert anchors and set(anchors) <= ids, plan.id


# --- posting format ---

def test_fnv1a_is_the_standard_32_bit_hash() -> None:
    assert gram_hash("a") == 0xE40C292C
    assert gram_hash("") == 0x811C9DC5


@pytest.mark.parametrize("ids", [[], [0], [3, 9, 700], list(range(0, 1000, 2))])
def test_lists_round_trip(ids: list[int]) -> None:
    data = encode_list(ids, 1000)
    assert decode_list(data, 0) == (ids, len(data))


def test_dense_lists_become_bitmaps_of_a_bit_per_plan() -> None:
    assert len(encode_list(list(range(0, 1000, 2)), 1000)) == 2 + 125
    assert len(encode_list([5], 1000)) == 2


def test_shard_entries_round_trip() -> None:
    data = encode_entry("数字", ([1, 2, 3], [2], [], [3], [1, 2], [2]), 8) + encode_entry("经济", ([0], *[[]] * 5), 8)
    assert list(decode_shard(data)) == [("数字", [[1, 2, 3], [2], [], [3], [1, 2], [2]]), ("经济", [[0], *[[]] * 5])]


@pytest.mark.parametrize("count", [1, 8, 9, 300, 5000])
def test_many_lists_encode_as_each_alone_and_the_smaller_way(count: int) -> None:
    rng = random.Random(count)
    lists = [sorted(rng.sample(range(count), min(count, rng.choice([0, 1, 2, count // 3, count // 2, count]))))
             for _ in range(40)]
    starts = np.cumsum([0] + [len(ids) for ids in lists])
    encoded = encode_lists(np.array([n for ids in lists for n in ids], dtype=np.int64), starts, count)
    for ids, data in zip(lists, encoded, strict=True):
        assert decode_list(data, 0) == (ids, len(data))
        header, _ = read_varint(data, 0)
        assert header >> 1 <= (count + 7) // 8
        # A list of every plan is a bitmap; a single plan far from the start is its gap.
        if len(ids) == count and count >= 16:
            assert header & 1 == 1
        if len(ids) == 1 and count >= 16:
            assert header & 1 == 0


def brute_force_grams(text: str) -> set[str]:
    folded = fold_lines(text)
    return {folded[i:i + n] for n in (1, 2, 3) for i in range(len(folded) - n + 1) if "\n" not in folded[i:i + n]}


def test_gram_keys_sort_and_hash_as_their_grams() -> None:
    rng = random.Random(5)
    alphabet = "数字经济ab Z\u3000\n\x00\U00020000𠀀ＡＢ㈠體"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        keys = text_keys(text)
        names = key_strings(keys)
        assert names == sorted(brute_force_grams(text))
        assert key_hashes(keys).tolist() == [gram_hash(name) for name in names]


def test_the_grams_of_texts_read_together_are_those_of_the_texts_joined() -> None:
    rng = random.Random(6)
    alphabet = "数字经济ab Z\u3000\n㈠體"
    for _ in range(300):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 4))]
        found = growing_keys(texts)
        assert [key_strings(keys) for keys in found] == [
            sorted(brute_force_grams("\n".join(texts[:n]))) for n in range(1, len(texts) + 1)]


def test_grams_never_span_whitespace() -> None:
    assert grams("数字 经济\n发展") == {"数", "字", "数字", "经", "济", "经济", "发", "展", "发展"}
    assert query_grams("高质量发展") == {"高质量", "质量发", "量发展"}
    assert query_grams("村振") == {"村振"}


# --- the index ---

def test_a_string_across_word_boundaries_is_found(index: Index) -> None:
    assert found_ids(index, "村振") == {"rural"}
    assert found_ids(index, "乡村振兴战略") == {"rural"}


def test_simplified_finds_traditional_and_the_reverse(index: Index) -> None:
    assert found_ids(index, "数字经济") == {"traditional", "scattered"}
    assert found_ids(index, "總體要求") == {"rural", "traditional"}


def test_full_and_half_width_match(index: Index) -> None:
    assert found_ids(index, "ai项目12个") == {"traditional"}
    assert found_ids(index, "ＡＩ項目") == {"traditional"}


def test_all_terms_are_required(index: Index) -> None:
    assert found_ids(index, "数字经济 核心产业") == {"traditional"}
    assert found_ids(index, "数字经济 乡村振兴") == set()


def test_metadata_is_searched(index: Index) -> None:
    assert found_ids(index, "科技特派员") == {"rural"}
    assert found_ids(index, "瑞安市科学技术局") == {"traditional"}


def test_candidates_whose_grams_are_scattered_are_not_results(index: Index) -> None:
    everywhere, *_ = index.candidates("高质量发展")
    assert len(everywhere) == 2
    assert found_ids(index, "高质量发展") == {"rural"}


def test_title_and_metadata_lists(index: Index) -> None:
    _, head, title, _, _, _ = index.candidates("数字经济")
    assert [index.record(n)["u"] for n in title] == ["plans/traditional/"]
    assert head == title


def test_heading_and_frequency_lists(index: Index) -> None:
    def urls(plans: set[int]) -> set[str]:
        return {index.record(n)["u"] for n in plans}

    *_, heading, twice, often = index.candidates("总体要求")
    assert urls(heading) == {"plans/rural/", "plans/traditional/"}
    assert urls(twice) == set() and urls(often) == set()
    *_, heading, twice, often = index.candidates("高质量")
    # 江阴: "高质量。质量发展仍需努力，经济高质量。" holds 高质量 twice, in no heading.
    assert urls(heading) == set() and urls(twice) == {"plans/scattered/"} and urls(often) == set()
    assert urls(index.candidates("质")[5]) == set() and urls(index.candidates("质")[4]) == {"plans/scattered/"}


def test_withheld_plans_are_nowhere_in_the_index(index: Index, catalog: Catalog) -> None:
    assert {w.plan.id for w in catalog.withheld} == {"draft", "embargoed"}
    assert found_ids(index, "甲乙丙") == set()
    assert found_ids(index, "丁戊己") == set()
    written = b"".join(p.read_bytes() for p in sorted(index.folder.rglob("*")) if p.is_file())
    assert index.manifest["plans"] == 3
    assert "草稿".encode() not in written


def test_docs_table_gives_years_regions_and_facets(index: Index) -> None:
    docs = index.docs
    numbers = {index.record(n)["u"]: n for n in range(index.manifest["plans"])}
    traditional = numbers["plans/traditional/"]
    assert (docs["first"][traditional], docs["last"][traditional]) == (2023, 2025)
    chain = []
    region = docs["region"][traditional]
    while region >= 0:
        chain.append(docs["regions"][region][1])
        region = docs["regions"][region][2]
    assert chain == ["瑞安市", "温州市", "浙江省"]
    assert docs["categories"] == ["年度工作计划", "工作要点", "实施方案"]
    assert docs["statuses"][docs["status"][numbers["plans/scattered/"]]] == "已废止"


def test_the_same_catalog_builds_identical_files(catalog: Catalog, tmp_path: Path) -> None:
    build_index(catalog, tmp_path / "a")
    build_index(catalog, tmp_path / "b")
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert first == second


def test_a_rebuild_keeps_the_search_page_and_drops_old_records(catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "search"
    (folder / "r").mkdir(parents=True)
    (folder / "r" / "99.bin").write_bytes(b"old")
    (folder / "index.html").write_text("page", encoding="utf-8")
    build_index(catalog, folder)
    assert not (folder / "r" / "99.bin").exists()
    assert (folder / "index.html").read_text(encoding="utf-8") == "page"


def test_indexing_in_several_processes_writes_the_same_files(catalog: Catalog, tmp_path: Path) -> None:
    build_index(catalog, tmp_path / "one", jobs=1)
    build_index(catalog, tmp_path / "two", jobs=2)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two
