"""Read a document file into blocks of text, whatever format and encoding it came in."""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planpub.frontmatter import FORBIDDEN_CHARACTERS
from planpub.importer.encoding import decode_text
from planpub.importer.model import Block, ImportFailure

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word keeps a password-protected .docx as an OLE compound file whose main stream has this (UTF-16) name.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

MB = 1024 * 1024
MAX_TEXT_BYTES = 10 * MB
"""A .txt/.md/.html file: a plan is some hundred kilobytes, a file of several plans a few megabytes. Importing
takes about 70 times the file's size in memory (5 MB of text: 360 MB)."""
MAX_DOCX_BYTES = 50 * MB
MAX_XML_PART = 20 * MB
"""Uncompressed size of one XML part of a .docx (document.xml holds the text; a 200-page plan has some 5 MB).
Importing takes about 55 times its size in memory (10 MB of document.xml: 580 MB)."""
MAX_DOCX_UNPACKED = 200 * MB
"""Uncompressed size of all parts: python-docx holds every part, pictures included, in memory."""
MAX_DOCX_PARTS = 5000
MAX_RATIO = 200
"""Compression ratio above which a part is a zip bomb; Word's XML compresses by a factor of 5 to 30."""
_RATIO_FROM = MB
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


# Control characters (a DEL or a form feed pasted from a web page), noncharacters and lone surrogates are never
# text, and a plan may not hold them: the importer drops exactly what `planpub check` refuses.
_CONTROLS = FORBIDDEN_CHARACTERS


def tidy(text: str) -> str:
    return _SPACES.sub(" ", _CONTROLS.sub("", text).replace("\u3000", " ")).strip()


def _size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(1, size // 1024)} KB"


def _read_bounded(path: Path, name: str, limit: int, what: str) -> bytes:
    """The file's bytes, refusing before reading what is not a regular file or is larger than `limit`."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device would block or never end.
            raise ImportFailure(f"{name}：不是普通文件（可能是管道或设备），不能导入。请给出一个 .docx 或 .txt 文件。")
        if info.st_size > limit:
            raise ImportFailure(_too_large(name, info.st_size, limit, what))
        with path.open("rb") as handle:
            # In pieces: read(limit) would set aside the whole limit at once, whatever the file's size.
            pieces: list[bytes] = []
            size = 0
            while size <= limit and (piece := handle.read(MB)):
                pieces.append(piece)
                size += len(piece)
            data = b"".join(pieces)
    except IsADirectoryError:
        raise ImportFailure(f"{name}：这是一个文件夹，不是文件。请给出文件夹里的文件，例如 {name}/*.docx。") from None
    except FileNotFoundError:
        raise ImportFailure(f"{name}：找不到这个文件，请检查路径和文件名。") from None
    except OSError as exc:
        raise ImportFailure(f"{name}：无法读取文件（{exc.strerror}）。"
                            "请确认文件没有被其他程序占用，并且有读取权限。") from None
    if len(data) > limit:  # the file grew while it was read
        raise ImportFailure(_too_large(name, len(data), limit, what))
    return data


def _exists(path: Path, name: str) -> None:
    try:
        path.stat()
    except FileNotFoundError:
        raise ImportFailure(f"{name}：找不到这个文件，请检查路径和文件名。") from None
    except OSError as exc:
        raise ImportFailure(f"{name}：无法读取文件（{exc.strerror}）。") from None


def _too_large(name: str, size: int, limit: int, what: str) -> str:
    return (f"{name}：文件有 {_size_text(size)}，超过了{what}的上限 {_size_text(limit)}，没有导入。"
            "一件计划通常只有几百 KB；如果文件里有多件计划，请分成几个文件；"
            "Word 文件里有大图片时，请删去图片后另存为 .docx 再导入。")


def read_source(path: Path, name: str) -> Source:
    """`name` is how messages refer to the file (as the author typed it). Every limit is checked before the
    content is read: what is too large, damaged or encrypted is refused with a message, never read into memory."""
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps", ".pdf"):
        # Refused whatever they hold: nothing of them needs reading.
        _exists(path, name)
        raise ImportFailure(f"{name}：{_PDF_MESSAGE if suffix == '.pdf' else _DOC_MESSAGE}")
    limit, what = (MAX_DOCX_BYTES, " Word 文件") if suffix == ".docx" else (MAX_TEXT_BYTES, "文本文件")
    data = _read_bounded(path, name, limit, what)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_STREAM in data:
        raise ImportFailure(f"{name}：{_ENCRYPTED_MESSAGE}")
    if suffix == ".docx" and data.startswith(_OLE_MAGIC):
        raise ImportFailure(f"{name}：{_DOC_MESSAGE}")
    if data.startswith(b"%PDF-"):
        raise ImportFailure(f"{name}：{_PDF_MESSAGE}")
    if suffix == ".docx":
        return _read_docx(data, name)
    if suffix in (".txt", ".text", ""):
        decoded = decode_text(data, name)
        return text_source(decoded.text, decoded.label)
    if suffix in (".md", ".markdown"):
        decoded = decode_text(data, name)
        return Source(_markdown_blocks(decoded.text), f"Markdown 文件，编码 {decoded.label}", "行", markdown=True)
    if suffix in (".html", ".htm"):
        return _read_html(data, name)
    raise ImportFailure(f"{name}：不支持“{suffix}”文件。可以导入 .docx、.txt、.md 和 .html；"
                        "其他格式请先另存为 .docx，或复制文字另存为 .txt。")


def text_source(text: str, label: str = "UTF-8") -> Source:
    """A plain text file's content, decoded, as the importer reads it."""
    return Source(list(_text_blocks(text)), f"文本文件，编码 {label}", "行")


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


_DAMAGED_MESSAGE = ("文件已损坏，或不是真正的 Word（.docx）文件（可能只是改了扩展名），读不出内容，没有导入。"
                    "请在 Word 或 WPS 中打开它，确认内容正常后选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，"
                    "再导入新保存的文件。")
_ENCRYPTED_MESSAGE = ("文件加了密码（已加密），读不出内容，没有导入。请在 Word 中用密码打开它，"
                      "在“文件 → 信息 → 保护文档 → 用密码进行加密”中清空密码，再另存为 .docx 后导入。")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_package(data: bytes, name: str) -> None:
    """Refuses a .docx whose parts would take more memory than a plan can need (a zip bomb), or whose XML
    declares entities (Word never writes a DTD; an entity bomb expands a few bytes into gigabytes)."""
    import io

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ImportFailure(f"{name}：{_DAMAGED_MESSAGE}") from None
    if len(parts) > MAX_DOCX_PARTS:
        raise ImportFailure(f"{name}：文件里有 {len(parts)} 个部件，超过上限 {MAX_DOCX_PARTS}，{_DAMAGED_MESSAGE}")
    total = 0
    for part in parts:
        total += part.file_size
        xml = part.filename.endswith((".xml", ".rels"))
        ratio = part.file_size / max(part.compress_size, 1)
        if (xml and part.file_size > MAX_XML_PART) or (part.file_size > _RATIO_FROM and ratio > MAX_RATIO):
            raise ImportFailure(f"{name}：文件中的“{part.filename}”解压后有 {_size_text(part.file_size)}"
                                f"（上限 {_size_text(MAX_XML_PART)}，压缩比上限 {MAX_RATIO} 倍），没有导入。"
                                "正常的计划文件远小于此；文件可能已损坏或是恶意构造的。请在 Word 中打开后另存为 .docx "
                                "再导入，或复制文字另存为 .txt 后导入。")
        if total > MAX_DOCX_UNPACKED:
            raise ImportFailure(f"{name}：文件解压后超过 {_size_text(MAX_DOCX_UNPACKED)}，没有导入。"
                                "文件里的图片可能太多太大：请删去图片后另存为 .docx，或复制文字另存为 .txt 后导入。")
    for part in parts:
        if part.filename.endswith((".xml", ".rels")) and _declares_entities(package, part, name):
            raise ImportFailure(f"{name}：文件中的“{part.filename}”含有 DTD 实体声明（<!DOCTYPE/<!ENTITY），"
                                "Word 从不写这种内容，文件可能是恶意构造的，没有导入。请在 Word 中打开后另存为 .docx "
                                "再导入。")


def _declares_entities(package: zipfile.ZipFile, part: zipfile.ZipInfo, name: str) -> bool:
    tail = b""
    try:
        with package.open(part) as stream:
            while chunk := stream.read(MB):
                if _DOCTYPE.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        # RuntimeError: a part encrypted with a zip password.
        raise ImportFailure(f"{name}：{_DAMAGED_MESSAGE}") from None
    return False


def _read_docx(data: bytes, name: str) -> Source:
    import io

    import docx
    import lxml.etree
    from docx.opc.exceptions import PackageNotFoundError

    _check_package(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError, lxml.etree.LxmlError):
        raise ImportFailure(f"{name}：{_DAMAGED_MESSAGE}") from None
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
