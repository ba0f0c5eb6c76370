"""Which reader finds the plan inside a government web page best: planpub's own (its HTML reader and page rules)
or a main-content extractor (trafilatura, readability-lxml) in front of the same rules.

    python benchmarks/html_extract.py                 # ../shared/realworld
    python benchmarks/html_extract.py --corpus DIR

Each text of the corpus is set into the page a county portal serves (site header and a row of links to other
government sites, a breadcrumb, the 字体/打印 buttons, the article, related links and a footer with 主办, 网站标识码
and ICP number — in `div`s, as most portals do, not in `nav`/`footer`), once with the footer in its own block and
once glued to the last sentence by a `<br>`. Each reader's text then goes through the importer and is scored as
benchmarks/import_accuracy.py scores the .txt: stated facts recovered, values invented, furniture lines left; and
how much of the plan text the .txt import keeps is kept (difflib ratio of the bodies).

trafilatura and readability-lxml are not dependencies of planpub; without them their rows say so.
"""

from __future__ import annotations

import argparse
import csv
import html
import sys
import tempfile
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.import_accuracy import CATEGORIES, DEFAULT_CORPUS, FIELDS, FieldScore, score_file  # noqa: E402
from planpub.importer.model import Block  # noqa: E402
from planpub.importer.pipeline import Conversion, Options, convert, convert_source  # noqa: E402
from planpub.importer.reading import Source  # noqa: E402
from planpub.regions import Gazetteer, load_gazetteer  # noqa: E402

_HEADER = """<div class="top"><div class="logo">某某县人民政府门户网站</div>
<div class="links">中国政府网 浙江省政府网 温州市政府网 某某县政府网</div>
<div class="menu"><a href="/">首页</a> <a href="/xxgk">信息公开</a> <a href="/zwfw">政务服务</a>
<a href="/hdjl">互动交流</a></div>
<div class="search">全文检索</div></div>
<div class="crumb">您的位置：<a href="/">首页</a> &gt; <a href="/xxgk">信息公开</a> &gt; 政策文件</div>
<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 <a>打印</a> <a>关闭</a></div>"""
_RELATED = """<div class="related"><h4>相关链接</h4><ul><li><a>关于做好春季安全生产工作的通知</a></li>
<li><a>县政府召开常务会议</a></li><li><a>政务公开工作年度报表</a></li></ul></div>"""
_FOOTER = ("主办：某某县人民政府办公室 承办：某某县大数据中心 网站标识码：3303990001 "
           "浙ICP备00000000号 浙公网安备 33039902000001号")


def portal_page(text: str, glued: bool) -> str:
    lines = [html.escape(line.strip()) for line in text.split("\n") if line.strip()]
    paragraphs = [f"<p>{line}</p>" for line in lines]
    if glued and paragraphs:
        paragraphs[-1] = f"<p>{lines[-1]}<br>{_FOOTER}</p>"
    footer = "" if glued else f'<div class="foot">{_FOOTER}</div>'
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{lines[0] if lines else ''}</title></head>"
            f"<body>{_HEADER}<div class=\"article\"><div class=\"content\">{''.join(paragraphs)}</div></div>"
            f"{_RELATED}<div class=\"bottom\">{footer}</div></body></html>")


def _from_text(text: str, options: Options, gazetteer: Gazetteer) -> Conversion:
    blocks = [Block(line.strip(), number) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
    return convert_source(Source(blocks, "网页正文", "行"), options, CATEGORIES, gazetteer)


def _trafilatura(page: str) -> str | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return trafilatura.extract(page, include_tables=True, include_comments=False, favor_recall=True) or ""


def _readability(page: str) -> str | None:
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None
    summary = Document(page).summary(html_partial=True)
    root = lxml.html.fromstring(summary)
    for br in root.xpath(".//br"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(p.text_content() for p in root.xpath(".//p|.//h1|.//h2|.//h3|.//li")) or root.text_content()


def run(corpus: Path, emit: Callable[[str], None]) -> None:
    rows = list(csv.DictReader((corpus / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    gazetteer = load_gazetteer()
    readers: dict[str, Callable[[str], str | None]] = {"trafilatura": _trafilatura, "readability-lxml": _readability}
    emit(f"{'读取方式':<26}{'正确率':>8}{'编造':>6}{'残留网站信息行':>10}{'正文保留':>8}")
    with tempfile.TemporaryDirectory() as scratch:
        for glued in (False, True):
            for name in ("planpub", *readers):
                scores = {key: FieldScore() for _, key, _ in FIELDS}
                furniture = 0
                kept: list[float] = []
                missing = False
                for row in rows:
                    path = corpus / row["file"]
                    text = path.read_text(encoding="utf-8")
                    page = portal_page(text, glued)
                    reference = convert(path, row["file"], Options(), CATEGORIES, gazetteer)
                    if name == "planpub":
                        page_file = Path(scratch) / (path.stem + ".html")
                        page_file.write_text(page, encoding="utf-8")
                        conversion = convert(page_file, page_file.name, Options(), CATEGORIES, gazetteer)
                    else:
                        extracted = readers[name](page)
                        if extracted is None:
                            missing = True
                            break
                        conversion = _from_text(extracted, Options(), gazetteer)
                    result = score_file(path, row, conversion, "", scores)
                    furniture += len(result.furniture)
                    ours = "\n".join(d.body for d in conversion.drafts)
                    theirs = "\n".join(d.body for d in reference.drafts)
                    kept.append(SequenceMatcher(None, theirs, ours, autojunk=False).ratio() if theirs else 1.0)
                label = f"{name}（页脚{'粘在末句' if glued else '单独成块'}）"
                if missing:
                    emit(f"{label:<26}  未安装")
                    continue
                stated = sum(s.stated for s in scores.values())
                right = sum(s.right for s in scores.values())
                invented = sum(s.invented for s in scores.values())
                emit(f"{label:<26}{100 * right / stated:>7.1f}%{invented:>6}{furniture:>10}"
                     f"{100 * sum(kept) / len(kept):>9.1f}%")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not (args.corpus / "MANIFEST.tsv").is_file():
        print(f"没有找到 {args.corpus / 'MANIFEST.tsv'}", file=sys.stderr)
        return 1
    run(args.corpus, print)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
