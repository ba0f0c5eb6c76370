"""Synthetic plan corpora for the benchmarks: deterministic, Chinese, about 5,000 characters a plan."""

from __future__ import annotations

import random
from pathlib import Path

from planpub.regions import load_gazetteer

PHRASES = (
    "加快推进高新技术企业培育", "深入实施创新驱动发展战略", "推动科技成果转移转化", "强化企业创新主体地位",
    "完善科技特派员制度", "服务乡村振兴战略", "持续优化营商环境", "推动经济高质量发展", "发展数字经济核心产业",
    "提高全社会研发投入强度", "建设重点实验室和工程技术研究中心", "加强知识产权保护和运用", "培育科技型中小企业",
    "深化产学研合作", "引进高层次创新人才", "推进科技金融深度融合", "建设科技企业孵化器和众创空间",
    "加强基础研究和应用基础研究", "落实研发费用加计扣除政策", "开展关键核心技术攻关", "推动制造业数字化转型",
    "完善科技创新券制度", "加强科普基础设施建设", "提升公民科学素质", "推进农业科技园区建设",
    "健全科技评价和激励机制", "深化科技领域放管服改革", "强化科研诚信建设", "推动绿色低碳技术应用",
    "加强区域科技创新合作", "建设创新型县（市）", "开展科技惠民行动", "培育新兴产业集群",
)
CONNECTORS = ("，", "；", "，切实", "，着力", "，不断", "，进一步", "，全面")
HEADINGS = ("总体要求", "主要目标", "重点任务", "保障措施", "组织实施", "工作安排", "考核评价")
SUBHEADINGS = ("提升企业创新能力", "建设创新平台", "培育创新人才", "优化创新生态", "推进成果转化",
               "服务产业发展", "加强开放合作", "深化体制改革")
NUMERALS = "一二三四五六七八九十"
CATEGORIES = ("年度工作计划", "工作要点", "三年行动计划", "实施方案")


def _sentence(rng: random.Random) -> str:
    parts = [rng.choice(PHRASES) for _ in range(rng.randint(2, 4))]
    text = parts[0]
    for part in parts[1:]:
        text += rng.choice(CONNECTORS) + part
    return text + f"，全年完成{rng.randint(2, 300)}项。"


def plan_body(rng: random.Random, chars: int = 5000) -> str:
    lines: list[str] = []
    size = 0
    for h, heading in enumerate(HEADINGS):
        lines.append(f"## {NUMERALS[h]}、{heading}\n")
        for s in range(rng.randint(1, 3)):
            lines.append(f"### （{NUMERALS[s]}）{rng.choice(SUBHEADINGS)}\n")
            for p in range(rng.randint(2, 4)):
                paragraph = "".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
                lines.append(f"{p + 1}. {paragraph}\n")
                size += len(paragraph)
                if size >= chars:
                    return "\n".join(lines)
    return "\n".join(lines)


def county_codes() -> list[str]:
    gazetteer = load_gazetteer()
    return sorted(c for c, e in gazetteer.entries.items()
                  if not e.retired and not c.endswith("00") and not e.name.startswith("市辖") and c[:2] in {
                      "33", "32", "44", "51"})


def write_corpus(folder: Path, count: int, seed: int = 2024, chars: int = 5000) -> list[Path]:
    """`count` valid plans in `folder`; the same arguments always give the same files."""
    rng = random.Random(seed)
    gazetteer = load_gazetteer()
    codes = county_codes()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        code = rng.choice(codes)
        name = gazetteer.entries[code].name
        year = rng.randint(2016, 2025)
        category = rng.choice(CATEGORIES)
        period = f"\nperiod: {year}-{year + 2}" if category == "三年行动计划" else ""
        title = f"{name}{year}年科技{category}（第{i + 1}号）"
        text = (f"---\nid: plan-{i:05d}\ntitle: {title}\nyear: {year}{period}\nregion: {name}\n"
                f"region_code: \"{code}\"\nissuer: {name}科学技术局\ncategory: {category}\n"
                f"written: {year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n"
                f"doc_number: 科发〔{year}〕{i + 1}号\nkeywords: [科技创新, 高新技术企业]\n---\n\n"
                f"{plan_body(rng, chars)}\n")
        path = folder / f"plan-{i:05d}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
