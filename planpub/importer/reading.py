"""Read a document file into blocks of text, whatever format and encoding it came in."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planpub.importer.encoding import decode_text
from planpub.importer.model import Block, ImportFailure

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_HTML_BLOCKS = frozenset({"p", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "pre",
                          "dt", "dd", "section", "article"})
_HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "iframe")
_DOC_MESSAGE = ("是旧版 Word（.doc）文件，不能直接导入。请用 Word 或 WPS 打开它，选择“文件 → 另存为”，"
                "保存类型选“Word 文档（*.docx）”，再导入 .docx 文件；也可以全选复制文字，粘贴到记事本，"
                "另存为 .txt 后导入。")
_PDF_MESSAGE = ("是 PDF 文件，不能直接导入。请用 PDF 阅读器或 WPS 打开它，全选并复制文字，粘贴到记事本，"
                "另存为 .txt（编码选 UTF-8）后导入；如果有原始的 Word 文件，直接导入 .docx 更好。"
                "扫描件 PDF 复制不出文字，需要先做文字识别（OCR）。")


@dataclass(frozen=True)
class Source:
    blocks: list[Block]
    kind: str
    """What the report calls the file, e.g. “文本文件，编码 UTF-8”."""
    unit: str
    """What `Block.line` counts: “行” in text files, “段” in Word files."""
    markdown: bool = False
    """The text is already Markdown and must not be escaped."""


def tidy(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u3000", " ")).strip()


def read_source(path: Path, name: str) -> Source:
    """`name` is how messages refer to the file (as the author typed it)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFailure(f"{name}：这是一个文件夹，不是文件。请给出文件夹里的文件，例如 {name}/*.docx。") from None
    except FileNotFoundError:
        raise ImportFailure(f"{name}：找不到这个文件，请检查路径和文件名。") from None
    except OSError as exc:
        raise ImportFailure(f"{name}：无法读取文件（{exc.strerror}）。"
                            "请确认文件没有被其他程序占用，并且有读取权限。") from None
    if suffix in (".doc", ".wps") or (suffix == ".docx" and data.startswith(_OLE_MAGIC)):
        raise ImportFailure(f"{name}：{_DOC_MESSAGE}")
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        raise ImportFailure(f"{name}：{_PDF_MESSAGE}")
    if suffix == ".docx":
        return _read_docx(data, name)
    if suffix in (".txt", ".text", ""):
        decoded = decode_text(data, name)
        return Source(list(_text_blocks(decoded.text)), f"文本文件，编码 {decoded.label}", "行")
    if suffix in (".md", ".markdown"):
        decoded = decode_text(data, name)
        return Source(_markdown_blocks(decoded.text), f"Markdown 文件，编码 {decoded.label}", "行", markdown=True)
    if suffix in (".html", ".htm"):
        return _read_html(data, name)
    raise ImportFailure(f"{name}：不支持“{suffix}”文件。可以导入 .docx、.txt、.md 和 .html；"
                        "其他格式请先另存为 .docx，或复制文字另存为 .txt。")


def _text_blocks(text: str, first_line: int = 1) -> Iterator[Block]:
    for number, line in enumerate(text.splitlines(), start=first_line):
        cleaned = tidy(line)
        if cleaned:
            yield Block(cleaned, number)


def _markdown_blocks(text: str) -> list[Block]:
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            start = end + 1
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    table_line = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        if stripped.startswith("|"):
            if not _MD_RULE.match(stripped):
                table_line = table_line or number
                table.append(tuple(cell.strip() for cell in stripped.strip("|").split("|")))
            continue
        if table:
            blocks.append(Block("", table_line, rows=tuple(table)))
            table, table_line = [], 0
        heading = _MD_HEADING.match(stripped)
        if heading:
            blocks.append(Block(tidy(heading.group(2)), number, style_level=len(heading.group(1))))
        elif stripped:
            blocks.append(Block(tidy(stripped), number))
    if table:
        blocks.append(Block("", table_line, rows=tuple(table)))
    return blocks


def _read_docx(data: bytes, name: str) -> Source:
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError):
        raise ImportFailure(f"{name}：不是有效的 Word（.docx）文件，可能已损坏、加了密码，或是改了扩展名的其他文件。"
                            "请用 Word 或 WPS 打开后“另存为”.docx 再导入。") from None
    items = list(document.iter_inner_content())
    body_size = _body_font_size(item for item in items if not hasattr(item, "rows"))
    blocks: list[Block] = []
    for number, item in enumerate(items, start=1):
        if hasattr(item, "rows"):
            rows = tuple(tuple(tidy(cell.text).replace("\n", " ") for cell in row.cells) for row in item.rows)
            if any(any(cell for cell in row) for row in rows):
                blocks.append(Block("", number, rows=rows))
            continue
        blocks.extend(_paragraph_blocks(item, number, body_size))
    return Source(blocks, "Word 文件（.docx）", "段")


def _run_bold(run: object, paragraph: object) -> bool:
    bold = getattr(run, "bold", None)
    if bold is None:
        run_style = getattr(run, "style", None)
        bold = getattr(getattr(run_style, "font", None), "bold", None)
    if bold is None:
        bold = getattr(getattr(getattr(paragraph, "style", None), "font", None), "bold", None)
    return bool(bold)


def _run_size(run: object, paragraph: object) -> int | None:
    size = getattr(getattr(run, "font", None), "size", None)
    if size is None:
        size = getattr(getattr(getattr(paragraph, "style", None), "font", None), "size", None)
    return int(size) if size is not None else None


def _body_font_size(paragraphs: Iterator[object]) -> int | None:
    sizes: Counter[int] = Counter()
    for paragraph in paragraphs:
        for run in getattr(paragraph, "runs", []):
            size = _run_size(run, paragraph)
            if size is not None:
                sizes[size] += len(run.text.strip())
    return sizes.most_common(1)[0][0] if sizes else None


def _paragraph_blocks(paragraph: object, number: int, body_size: int | None) -> list[Block]:
    runs = [run for run in getattr(paragraph, "runs", []) if run.text]
    text = "".join(run.text for run in runs) or getattr(paragraph, "text", "")
    style_name = str(getattr(getattr(paragraph, "style", None), "name", "") or "")
    style_level: int | None = None
    heading = _HEADING_STYLE.match(style_name)
    if heading:
        style_level = int(heading.group(1))
    elif style_name.lower() in ("title", "标题"):
        style_level = 0
    visible = [run for run in runs if run.text.strip()]
    all_bold = bool(visible) and all(_run_bold(run, paragraph) for run in visible)
    sizes = [s for s in (_run_size(run, paragraph) for run in visible) if s is not None]
    larger = bool(sizes and body_size and min(sizes) > body_size)
    lead = ""
    for run in runs:
        if not _run_bold(run, paragraph):
            break
        lead += run.text
    lines = [tidy(part) for part in text.split("\n")]
    blocks: list[Block] = []
    for index, line in enumerate(part for part in lines if part):
        bold_lead = len(tidy(lead)) if index == 0 and lead.strip() and not all_bold else 0
        blocks.append(Block(line, number, style_level=style_level if index == 0 else None,
                            emphasized=(all_bold or larger) and len(line) <= 60, bold_lead=bold_lead))
    return blocks


def _read_html(data: bytes, name: str) -> Source:
    import lxml.html

    declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.IGNORECASE)
    label = ""
    text = ""
    if declared:
        try:
            text = data.decode(declared.group(1).decode("ascii"))
            label = declared.group(1).decode("ascii").upper()
        except (LookupError, UnicodeDecodeError):
            text = ""
    if not text:
        decoded = decode_text(data, name)
        text, label = decoded.text, decoded.label
    try:
        root = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        raise ImportFailure(f"{name}：读不出网页内容。请在浏览器中打开网页，复制正文另存为 .txt 后导入。") from None
    for element in root.xpath("|".join(f"//{tag}" for tag in _HTML_DROP)):
        element.drop_tree()
    blocks: list[Block] = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            rows = tuple(tuple(tidy(cell.text_content()) for cell in row.xpath("./td|./th"))
                         for row in element.xpath(".//tr"))
            if rows:
                blocks.append(Block("", element.sourceline or 0, rows=rows))
            continue
        if tag not in _HTML_BLOCKS or element.xpath("ancestor::table"):
            continue
        if any(isinstance(child.tag, str) and child.tag in _HTML_BLOCKS | {"table"} for child in element.iter()
               if child is not element):
            continue
        for br in element.xpath(".//br"):
            br.tail = "\n" + (br.tail or "")
        level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else None
        for part in element.text_content().split("\n"):
            cleaned = tidy(part)
            if cleaned:
                blocks.append(Block(cleaned, element.sourceline or 0, style_level=level))
                level = None
    return Source(blocks, f"网页文件，编码 {label}", "行")
