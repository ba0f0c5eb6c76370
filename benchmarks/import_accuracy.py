"""How well `planpub import` reads plan pages as they are really found: every stated fact, nothing invented.

    python benchmarks/import_accuracy.py                      # ../shared/realworld, one table
    python benchmarks/import_accuracy.py --corpus DIR --files  # another folder; one row per file as well

The corpus folder holds text files and a MANIFEST.tsv saying, for each file, what a careful reader finds in it
(title, year, period, region, issuer, category, 发文字号, 索引号, 成文日期, number of plans); an empty cell means the
text does not state it. Each file goes through the importer's own conversion (the same function `planpub import`
runs, nothing is written) and every field of the first plan it gives is compared with the MANIFEST:
- 识别正确: the MANIFEST states a value and the importer filled the same value;
- 漏识别: the MANIFEST states a value and the importer left the field for the author (待补充 or absent);
- 编造: the importer filled a value the MANIFEST does not state, or a value different from the one it states.
A stated value that is itself masked or cut by the site (`区科技局xx年工作总结`, `县教育局2023年工作计划` with the
place name gone, `某市…`) is not published as it stands: it counts as recovered when the importer fills it or
leaves the field to the author quoting it exactly (column 待补全). Values are compared after removing spaces and
unifying bracket width and dashes (`(2023—2025年)` and `（2023-2025年）` are the same title). A region is right
when it names the same division as the MANIFEST's last part and does not contradict its other parts (the
importer adds the levels above from GB/T 2260). For a compilation the MANIFEST's title is the compilation's own
name, which must not become a plan's title.

Furniture: lines of the plan bodies that are site furniture (breadcrumbs, 字体/打印 buttons, publication times,
view counts, ICP and 主办 footers, download and VIP buttons, the disclosure table, page counts, file names). The
patterns are this benchmark's own, written from the corpus notes, independent of the importer's rules.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planpub.importer.pipeline import Conversion, Draft, Options, convert  # noqa: E402
from planpub.masking import MASK  # noqa: E402
from planpub.regions import load_gazetteer  # noqa: E402
from planpub.schema import DEFAULT_CATEGORIES  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "realworld"
# MANIFEST column → front-matter key, in the order the table prints them.
FIELDS = (("title", "title", "标题"), ("year", "year", "年度"), ("period", "period", "实施期限"),
          ("region", "region", "地区"), ("issuer", "issuer", "发文机关"), ("category", "category", "类别"),
          ("doc_number", "doc_number", "发文字号"), ("index_no", "index_no", "索引号"),
          ("written_date", "written", "成文日期"))
# The site's categories plus 其他, so that a plan the MANIFEST files under 其他 can be read as such.
CATEGORIES = (*DEFAULT_CATEGORIES, "其他")

_FURNITURE = re.compile(
    r"(?:当前位置|您的位置|你的位置|现在的位置)\s*[:：]|首页\s*[>＞/»]|[>＞]\s*(?:政务|信息公开|政策文件|范文|工作计划)|"
    r"信息公开\s*[|｜]|全文检索|字体\s*[:：]?\s*[【\[]?\s*(?:大|【)|【\s*字体|[大中小]\s*】|打印本页|关闭窗口|"
    r"^\s*[【\[]?\s*(?:打印|关闭|收藏|举报|分享|下载|正文复制|WORD下载|马上下载)\s*[】\]]?\s*$|"
    r"ICP\s*备|网站标识码|主办\s*[:：]|承办\s*[:：]|技术支持\s*[:：]|版权所有|"
    r"(?:发布|上传|更新)(?:时间|日期)\s*[:：]|^\s*[•·]?\s*时间\s*[:：]\s*\d{4}-|\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}|"
    r"(?:阅读|浏览|访问|点击)(?:次数|量|数)\s*[:：]?|信息来源\s*[:：]|^\s*来源\s*[:：]|^\s*编辑\s*[:：]|"
    r"^\s*[•·]?\s*发布\s*[:：]|VIP|侵权投诉|版权申诉|文档编号|电子文档交易市场|安卓APP|ios版本|下载提示|常见问题|"
    r"文本预览|^\s*\d+\s*页\s*$|\d+(?:\.\d+)?\s*KB|\.(?:docx?|wps|pdf)\b|小编|文章导读|^\s*导语\s*[:：]|"
    r"^\s*摘要\s*[:：]|www\.|移动端\s*[:：]|我要投稿|^\s*提纲\s*[:：]|"
    r"^\s*(?:索\s*引\s*号|组配分类|主题分类|体裁分类|发布机构|公开方式|公开范围|有\s*效\s*性|时\s*效|废止日期|"
    r"公文种类|成文日期|发文日期|生效日期)\s*[:：|]?",
    re.IGNORECASE)


def normalise(value: object) -> str:
    text = re.sub(r"\s+", "", str(value))
    text = text.translate(str.maketrans("（）〔〕【】", "()[][]"))
    return re.sub(r"[—–－~～至]", "-", text)


def region_matches(stated: str, found: str) -> bool:
    """Same division named last, and every stated level appears in the found chain (which may add levels)."""
    said = [p for p in stated.split("/") if p]
    got = [p for p in found.split("/") if p]
    return bool(said and got) and said[-1] == got[-1] and all(p in got for p in said)


def matches(key: str, stated: str, found: object) -> bool:
    if key == "region":
        return region_matches(stated, str(found))
    return normalise(stated) == normalise(found)


_CUT_PLACE = re.compile(r"^(?:\d{4}\s*年)?[省市州县区]|某[省市州县区]")


def withheld_in_source(key: str, stated: str) -> bool:
    return bool(MASK.search(stated)) or (key == "title" and bool(_CUT_PLACE.search(stated)))


def quoted_for_author(draft: Draft, key: str, stated: str) -> bool:
    return normalise(f"“{stated}”") in normalise(draft.metadata.fill.get(key, ""))


_SENTENCE_END = "。！？!?；;：:…”’」』)）】〕]"


def broken_paragraphs(body: str) -> list[str]:
    """Paragraphs that stop mid-sentence and go on in the next one: a line break the import did not repair
    (or a word a repair split). The last paragraph is left out: every page of the corpus stops early."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    broken = []
    for here, after in itertools.pairwise(paragraphs[:-1]):
        if here.startswith(("#", "|", "-", "*")) or after.startswith(("#", "|")):
            continue
        if "。" not in here and len(here) < 40:
            continue  # a heading or a title line, not prose
        if here[-1] not in _SENTENCE_END and not re.match(r"^[（(]?[一二三四五六七八九十\d]{1,3}[、.．)）]", after):
            broken.append(f"{here[-12:]}⏎{after[:12]}")
    return broken


def spread_letters(body: str) -> int:
    """Single characters still separated by spaces (`市 委 十 届`), three or more in a row."""
    return len(re.findall(r"(?:[\u4e00-\u9fff] ){3,}[\u4e00-\u9fff]", body))


def furniture_lines(body: str) -> list[str]:
    return [line for line in body.split("\n") if line.strip() and _FURNITURE.search(line)]


@dataclass
class FieldScore:
    stated: int = 0
    right: int = 0
    missed: int = 0
    invented: int = 0
    withheld: int = 0
    """Masked or cut in the source, put before the author verbatim instead of filled."""
    examples: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    name: str
    shape: str
    plans_stated: int
    plans_given: int
    furniture: list[str]
    broken: list[str]
    spread: int
    misses: list[str]
    inventions: list[str]
    error: str = ""


def _value(draft: Draft, key: str) -> object | None:
    value = draft.metadata.values.get(key)
    return None if value in (None, "") else value


def score_file(path: Path, row: dict[str, str], conversion: Conversion | None, error: str,
               scores: dict[str, FieldScore]) -> FileResult:
    compilation = row.get("shape") == "compilation"
    stated_plans = int(row.get("number_of_plans") or 1)
    result = FileResult(path.name, row.get("shape", ""), stated_plans,
                        len(conversion.drafts) if conversion else 0, [], [], 0, [], [], error)
    drafts = conversion.drafts if conversion else []
    first = drafts[0] if drafts else None
    for column, key, _ in FIELDS:
        stated = (row.get(column) or "").strip()
        score = scores[key]
        if key == "title" and compilation:
            # The compilation's own name: wrong as any plan's title; not a fact of a plan.
            for draft in drafts:
                title = _value(draft, "title")
                if stated and title is not None and normalise(title) == normalise(stated):
                    score.invented += 1
                    result.inventions.append(f"title=“{title}”（汇编名）")
            continue
        found = _value(first, key) if first else None
        if stated:
            score.stated += 1
            if found is not None and matches(key, stated, found):
                score.right += 1
            elif (found is None and first is not None and withheld_in_source(key, stated)
                  and quoted_for_author(first, key, stated)):
                score.right += 1
                score.withheld += 1
            elif found is None:
                score.missed += 1
                result.misses.append(f"{key}（应为“{stated}”）")
            else:
                score.missed += 1
                score.invented += 1
                result.inventions.append(f"{key}=“{found}”（应为“{stated}”）")
        elif found is not None:
            score.invented += 1
            result.inventions.append(f"{key}=“{found}”（原文未写明）")
    for draft in drafts:
        result.furniture += furniture_lines(draft.body)
        result.broken += broken_paragraphs(draft.body)
        result.spread += spread_letters(draft.body)
    return result


def run(corpus: Path, emit: Callable[[str], None], per_file: bool) -> dict[str, FieldScore]:
    manifest = corpus / "MANIFEST.tsv"
    rows = list(csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"))
    gazetteer = load_gazetteer()
    scores = {key: FieldScore() for _, key, _ in FIELDS}
    results: list[FileResult] = []
    for row in rows:
        path = corpus / row["file"]
        conversion, error = None, ""
        try:
            conversion = convert(path, row["file"], Options(), CATEGORIES, gazetteer)
        except Exception as exc:  # a crash is a result here, reported as such
            error = f"{type(exc).__name__}: {exc}"
        results.append(score_file(path, row, conversion, error, scores))
    _print(results, scores, emit, per_file)
    return scores


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _print(results: list[FileResult], scores: dict[str, FieldScore], emit: Callable[[str], None],
           per_file: bool) -> None:
    emit(f"{'字段':<8}{'原文写明':>6}{'识别正确':>6}{'其中待补全':>6}{'漏识别':>6}{'编造':>6}{'正确率':>8}")
    for _, key, label in FIELDS:
        s = scores[key]
        emit(f"{label:<8}{s.stated:>8}{s.right:>8}{s.withheld:>8}{s.missed:>8}{s.invented:>6}"
             f"{_pct(s.right, s.stated):>10}")
    stated = sum(s.stated for s in scores.values())
    right = sum(s.right for s in scores.values())
    invented = sum(s.invented for s in scores.values())
    withheld = sum(s.withheld for s in scores.values())
    emit(f"{'合计':<8}{stated:>8}{right:>8}{withheld:>8}{stated - right:>8}{invented:>6}{_pct(right, stated):>10}")
    furniture = sum(len(r.furniture) for r in results)
    emit(f"正文中残留的网站信息行：{furniture}")
    emit(f"句中断开、未接上的段落：{sum(len(r.broken) for r in results)}")
    emit(f"字间仍有空格的地方（市 委 十 届）：{sum(r.spread for r in results)}")
    compilations = [r for r in results if r.shape == "compilation"]
    for r in compilations:
        emit(f"汇编 {r.name}：声明 {r.plans_stated} 篇，导入得到 {r.plans_given} 件计划")
    others = [r for r in results if r.shape != "compilation" and r.plans_given != r.plans_stated]
    emit(f"单篇文件拆成多件或没有得到计划：{len(others)}" + "".join(
        f"\n  {r.name}：{r.plans_given} 件" for r in others))
    crashes = [r for r in results if r.error]
    emit(f"导入出错：{len(crashes)}" + "".join(f"\n  {r.name}：{r.error}" for r in crashes))
    if per_file:
        for r in results:
            lines = (_details(r.misses, "漏") + _details(r.inventions, "编造") + _details(r.furniture, "残留")
                     + _details(r.broken, "断开"))
            if lines:
                emit(f"\n{r.name}")
                for line in lines:
                    emit(f"  {line}")


def _details(items: Iterable[str], label: str) -> list[str]:
    return [f"{label}：{item[:100]}" for item in items]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--files", action="store_true", help="also print what was missed or invented, per file")
    args = parser.parse_args()
    if not (args.corpus / "MANIFEST.tsv").is_file():
        print(f"没有找到 {args.corpus / 'MANIFEST.tsv'}", file=sys.stderr)
        return 1
    run(args.corpus, print, args.files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
