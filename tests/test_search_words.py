"""Search words: punctuation folded alike in queries and index, and the table of equivalent names a site extends."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from planpub.problems import PlanpubError
from planpub.schema import DEFAULT_CATEGORIES
from planpub.search.build import build_index
from planpub.search.equivalents import DEFAULT_GROUPS, equivalence_groups, site_groups
from planpub.search.gramkeys import key_strings, text_keys
from planpub.search.normalize import fold, fold_lines
from planpub.search.query import Index
from planpub.settings import load_settings
from tests.test_search import AS_OF, plan_file


def test_every_dash_of_a_period_folds_to_one_and_brackets_and_quotes_vanish() -> None:
    assert {fold(f"2023{dash}2025") for dash in "-—–－~～―‐〜"} == {"2023-2025"}
    assert fold("实施方案（2023—2025年）") == "实施方案2023-2025年"
    assert fold("科发〔2024〕3号") == fold("科发[2024]3号") == fold("科发【2024】3号") == "科发20243号"
    assert fold("“十四五”规划《纲要》") == "十四五规划纲要"


def test_a_query_written_with_other_punctuation_is_a_substring_of_the_folded_title() -> None:
    assert fold("实施方案2023-2025") in fold("【示例】瑞安市科技创新实施方案（2023—2025年）")
    assert fold("实施方案（2023~2025") in fold("实施方案(2023－2025年)")


def test_index_grams_of_text_with_brackets_are_those_of_its_folded_text() -> None:
    rng = random.Random(3)
    alphabet = "数字（）【】“”—-～经 济\n"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        folded = fold_lines(text)
        expected = {folded[i:i + n] for n in (1, 2, 3) for i in range(len(folded) - n + 1)
                    if "\n" not in folded[i:i + n]}
        assert key_strings(text_keys(text)) == sorted(expected)


def test_default_table_holds_the_common_abbreviations() -> None:
    groups = equivalence_groups()
    for short, full in [("科技局", "科学技术局"), ("高企", "高新技术企业"), ("研发", "研究与试验发展"), ("r&d", "研发"),
                        ("科小", "科技型中小企业"), ("发改委", "发展和改革委员会")]:
        assert any(short in g and full in g for g in groups), (short, full)
    assert len(DEFAULT_GROUPS) >= 40
    assert all(len(g) == len(set(g)) >= 2 for g in groups)
    names = [n for g in groups for n in g]
    assert len(names) == len(set(names)), "a name belongs to one group only"


def test_a_site_group_sharing_a_name_joins_the_default_group() -> None:
    groups = equivalence_groups([("科技局", "科技和信息化局"), ("农业农村局", "农业局")])
    bureau = next(g for g in groups if "科技局" in g)
    assert set(bureau) == {"科技局", "科学技术局", "科技和信息化局"}
    assert ["农业农村局", "农业局"] in groups


def config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "plans").mkdir(exist_ok=True)
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: 测试\nextra:\n  planpub:\n" + text, encoding="utf-8")
    return path


def test_mkdocs_yml_adds_groups(tmp_path: Path) -> None:
    settings = load_settings(config(tmp_path, "    search_equivalents:\n      - [经信局, 经济和信息化局, 经信]\n"))
    assert settings.search_equivalents == (("经信局", "经济和信息化局", "经信"),)


@pytest.mark.parametrize("value", ["科技局", "\n      - [科技局]", "\n      - 科技局", "\n      - [科技局, '']"])
def test_a_malformed_group_is_a_chinese_error_at_its_line(tmp_path: Path, value: str) -> None:
    with pytest.raises(PlanpubError) as raised:
        load_settings(config(tmp_path, f"    home_latest: 5\n    search_equivalents: {value}\n"))
    problem = raised.value.problems[0]
    assert problem.line == (5 if value == "科技局" else 6) and problem.path.endswith("mkdocs.yml")
    assert "search_equivalents" in problem.message and "科技局, 科学技术局" in problem.message


def test_site_groups_reject_what_is_not_a_list_of_names() -> None:
    assert site_groups(None) == ()
    with pytest.raises(PlanpubError):
        site_groups([["甲", {"a": 1}]])
    with pytest.raises(PlanpubError):
        site_groups([["甲" * 41, "乙"]])


def test_the_manifest_carries_folded_groups_and_punctuation(tmp_path: Path) -> None:
    from planpub.catalog import load_catalog

    plans = tmp_path / "plans"
    plans.mkdir()
    plan_file(plans, "one", "瓯海区科技工作计划", "## 一、总体要求\n\n培育高新技术企业。\n")
    catalog = load_catalog(plans, DEFAULT_CATEGORIES, AS_OF).catalog
    assert catalog is not None
    build_index(catalog, tmp_path / "search", DEFAULT_CATEGORIES, equivalents=[("经信局", "經濟和信息化局")])
    manifest = Index(tmp_path / "search").manifest
    assert ["经信局", "经济和信息化局"] in manifest["eq"]
    assert "—" in manifest["dash"] and "（" not in manifest["drop"] and "【" in manifest["drop"]
    assert json.loads(json.dumps(manifest)) == manifest
