"""Names that mean the same in a search: government abbreviations and their full forms, alternative names.

A query holding one name of a group also finds plans that hold any other name of it, in the whole query as a
phrase and in each word when the query is split (`docs/assets/search/search.js`). The default table is
`DEFAULT_GROUPS`; a site adds groups under `extra.planpub.search_equivalents` in mkdocs.yml (see the README), and
a site's group that shares a name with a default group joins it. The groups reach the browser folded
(`planpub.search.normalize.fold`) in the index manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from planpub.problems import PlanpubError, error
from planpub.search.normalize import fold, runs

SETTING = "search_equivalents"
"""The key under `extra.planpub` in mkdocs.yml."""

DEFAULT_GROUPS: tuple[tuple[str, ...], ...] = (
    # Bureaus and commissions, by their short and full names.
    ("科技局", "科学技术局"),
    ("科技厅", "科学技术厅"),
    ("科技部", "科学技术部"),
    ("科协", "科学技术协会"),
    ("发改委", "发展和改革委员会", "发展改革委"),
    ("发改局", "发展和改革局", "发展改革局"),
    ("经信局", "经济和信息化局"),
    ("经信委", "经济和信息化委员会"),
    ("经信厅", "经济和信息化厅"),
    ("工信部", "工业和信息化部"),
    ("工信厅", "工业和信息化厅"),
    ("工信局", "工业和信息化局"),
    ("人社局", "人力资源和社会保障局", "人力社保局"),
    ("人社厅", "人力资源和社会保障厅"),
    ("人社部", "人力资源和社会保障部"),
    ("市监局", "市场监督管理局", "市场监管局"),
    ("住建局", "住房和城乡建设局", "住房城乡建设局"),
    ("住建厅", "住房和城乡建设厅"),
    ("卫健委", "卫生健康委员会", "卫生健康委"),
    ("卫健局", "卫生健康局"),
    ("文广旅局", "文化广电旅游局", "文化广电和旅游局"),
    ("文旅局", "文化和旅游局"),
    ("环保局", "环境保护局"),
    ("国资委", "国有资产监督管理委员会"),
    ("政府办", "人民政府办公室"),
    # Terms of science and industry policy.
    ("高企", "高新技术企业", "高新企业"),
    ("研发", "研究与试验发展", "研究开发", "R&D"),
    ("科小", "科技型中小企业", "科技中小企业"),
    ("科创", "科技创新"),
    ("双创", "大众创业万众创新", "创新创业"),
    ("科特派", "科技特派员"),
    ("科普", "科学普及"),
    ("技改", "技术改造"),
    ("中试", "中间试验"),
    ("规上企业", "规模以上企业", "规模以上工业企业"),
    ("高新区", "高新技术产业开发区", "高新技术开发区"),
    ("经开区", "经济技术开发区"),
    ("自贸区", "自由贸易试验区", "自贸试验区"),
    ("专精特新", "专业化精细化特色化新颖化"),
    ("双碳", "碳达峰碳中和"),
    ("知产", "知识产权"),
    ("高校", "高等学校", "高等院校"),
    ("长三角", "长江三角洲"),
    ("大湾区", "粤港澳大湾区"),
    ("十四五", "第十四个五年"),
    ("十五五", "第十五个五年"),
    ("非遗", "非物质文化遗产"),
    ("新基建", "新型基础设施建设"),
)


def _merged(groups: Iterable[Sequence[str]]) -> list[list[str]]:
    """Folded groups, each name once, groups sharing a name joined; names in first-seen order."""
    merged: list[list[str]] = []
    for group in groups:
        names = [name for name in dict.fromkeys("".join(runs(fold(n))) for n in group) if name]
        joined = [g for g in merged if set(g) & set(names)]
        for g in joined:
            merged.remove(g)
        combined = list(dict.fromkeys([n for g in joined for n in g] + names))
        if len(combined) > 1:
            merged.append(combined)
    return merged


def equivalence_groups(extra: Iterable[Sequence[str]] = ()) -> list[list[str]]:
    """The default table with a site's groups added, folded, as the manifest carries it."""
    return _merged([*DEFAULT_GROUPS, *extra])


def site_groups(value: Any, config_file: str | Path = "mkdocs.yml",
                lines: tuple[int, ...] = ()) -> tuple[tuple[str, ...], ...]:
    """`extra.planpub.search_equivalents` read and checked: a list of groups, each a list of two or more names.
    `lines` are the line of the setting or those of its items (`planpub.settings`), for the messages."""
    if value is None:
        return ()
    line = lines[0] if lines else 0
    where = f"extra.planpub.{SETTING}"
    if not isinstance(value, list):
        raise PlanpubError("配置错误", [error(config_file, line, f"{where} 应是列表，每项是一组同义的名称，"
                                                               "例如 [科技局, 科学技术局]。")])
    groups = []
    for number, item in enumerate(value, 1):
        line = lines[number - 1] if len(lines) >= number else line
        names = item if isinstance(item, list) else None
        if names is None or len(names) < 2 or not all(isinstance(n, str | int) and str(n).strip() for n in names):
            raise PlanpubError("配置错误", [error(config_file, line, f"{where} 的第 {number} 项应是两个或更多名称的"
                                                                   "列表，例如 [科技局, 科学技术局]。")])
        if any(len(str(n)) > 40 for n in names) or len(names) > 20:
            raise PlanpubError("配置错误", [error(config_file, line, f"{where} 的第 {number} 项太长：每组最多 20 个"
                                                                   "名称，每个名称最多 40 个字。")])
        groups.append(tuple(str(n).strip() for n in names))
    return tuple(groups)
