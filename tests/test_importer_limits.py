"""`planpub import` against hostile files: every limit is checked before the content is read, damaged, encrypted
and bomb files get a message saying what to do, and no plan is written through a symbolic link."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from planpub.importer import reading
from planpub.importer.command import add_arguments, run
from planpub.importer.model import ImportFailure
from planpub.importer.reading import read_source

CONFIG = Path(__file__).resolve().parents[1] / "mkdocs.yml"
PLAN_TEXT = ("瓯海区科学技术局2024年科技工作要点\n一、总体要求\n坚持创新驱动发展。\n二、重点任务\n"
             "（一）培育科技企业\n全年新增高新技术企业20家。\n温州市瓯海区科学技术局\n2024年2月20日\n")
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def planpub_import(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(list(argv))
    args.config = str(CONFIG)
    printed: list[str] = []
    code = run(args, emit=printed.append)
    return code, "".join(printed)


def refused(path: Path) -> str:
    """The message `planpub import` gives for the file, checking it is the file's own and not an internal error."""
    code, out = planpub_import(str(path), "--out", str(path.parent / "plans"))
    assert code == 1
    assert "内部错误" not in out and "请反馈" not in out
    assert not (path.parent / "plans").exists() or not list((path.parent / "plans").iterdir())
    with pytest.raises(ImportFailure) as caught:
        read_source(path, path.name)
    assert str(caught.value) in out
    return str(caught.value)


def peak_while(action: object) -> int:
    """Peak bytes Python allocated while `action` ran."""
    tracemalloc.start()
    try:
        with contextlib.suppress(ImportFailure):
            action()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def real_docx() -> bytes:
    document = docx.Document()
    for line in PLAN_TEXT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_a_real_docx_still_imports(workdir: Path) -> None:
    (workdir / "plan.docx").write_bytes(real_docx())
    code, out = planpub_import("plan.docx", "--out", "plans")
    assert code == 0, out
    assert len(list((workdir / "plans").glob("*.md"))) == 1


def test_a_document_that_expands_past_the_limit_is_refused_without_being_read(workdir: Path) -> None:
    # 60 MB of XML that compresses to some 60 KB: python-docx would hold it and its tree in memory.
    body = b"<w:p><w:r><w:t>" + b" " * (60 * 1024 * 1024) + b"</w:t></w:r></w:p>"
    path = workdir / "bomb.docx"
    path.write_bytes(zipped({"[Content_Types].xml": CONTENT_TYPES.encode(), "word/document.xml": body}))
    del body
    assert path.stat().st_size < 1024 * 1024
    message = refused(path)
    assert message.startswith("bomb.docx：文件中的“word/document.xml”解压后有 60.0 MB"
                              "（上限 20.0 MB，压缩比上限 200 倍），没有导入。")
    assert "请在 Word 中打开后另存为 .docx" in message
    assert peak_while(lambda: read_source(path, "bomb.docx")) < 8 * 1024 * 1024


def test_a_highly_compressed_picture_is_refused(workdir: Path) -> None:
    path = workdir / "picture.docx"
    path.write_bytes(zipped({"[Content_Types].xml": CONTENT_TYPES.encode(), "word/media/image1.png": bytes(30 << 20)}))
    assert "“word/media/image1.png”解压后有 30.0 MB" in refused(path)


def test_a_file_too_large_for_a_plan_is_refused_before_it_is_read(workdir: Path) -> None:
    path = workdir / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    message = refused(path)
    assert message.startswith("huge.txt：文件有 11.0 MB，超过了文本文件的上限 10.0 MB，没有导入。")
    assert "请分成几个文件" in message
    assert peak_while(lambda: read_source(path, "huge.txt")) < 1024 * 1024


@pytest.mark.parametrize("damage", ["truncated", "not a zip", "no document"])
def test_a_damaged_docx_says_it_is_damaged_and_how_to_save_it_again(workdir: Path, damage: str) -> None:
    good = real_docx()
    data = {"truncated": good[: len(good) // 2], "not a zip": "这不是 Word 文件".encode() * 50,
            "no document": zipped({"[Content_Types].xml": CONTENT_TYPES.encode()})}[damage]
    path = workdir / "damaged.docx"
    path.write_bytes(data)
    message = refused(path)
    assert message.startswith("damaged.docx：文件已损坏，或不是真正的 Word（.docx）文件")
    assert "“文件 → 另存为”，保存类型选“Word 文档（*.docx）”" in message


def test_a_bad_xml_part_is_damage_not_an_internal_error(workdir: Path) -> None:
    good = zipfile.ZipFile(io.BytesIO(real_docx()))
    members = {info.filename: good.read(info) for info in good.infolist()}
    members["word/document.xml"] = members["word/document.xml"][:200]
    path = workdir / "cut.docx"
    path.write_bytes(zipped(members))
    assert refused(path).startswith("cut.docx：文件已损坏")


def test_an_encrypted_docx_says_it_has_a_password(workdir: Path) -> None:
    # What Word writes for a .docx with a password: an OLE compound file holding an EncryptedPackage stream.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = "EncryptedPackage".encode("utf-16-le") + bytes(128 - 32)
    path = workdir / "secret.docx"
    path.write_bytes(header + directory + bytes(4096))
    message = refused(path)
    assert message.startswith("secret.docx：文件加了密码（已加密），读不出内容，没有导入。")
    assert "另存为 .docx" in message


def test_an_entity_bomb_is_refused_before_parsing(workdir: Path) -> None:
    laughs = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                         for i in range(1, 10)]
    body = ('<?xml version="1.0"?><!DOCTYPE w:document [' + "".join(laughs) + ']><w:document xmlns:w="http://'
            'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
            "</w:body></w:document>")
    good = zipfile.ZipFile(io.BytesIO(real_docx()))
    members = {info.filename: good.read(info) for info in good.infolist()}
    members["word/document.xml"] = body.encode()
    path = workdir / "laughs.docx"
    path.write_bytes(zipped(members))
    message = refused(path)
    assert message.startswith("laughs.docx：文件中的“word/document.xml”含有 DTD 实体声明（<!DOCTYPE/<!ENTITY）")


def test_a_pipe_is_refused_instead_of_blocking(workdir: Path) -> None:
    os.mkfifo(workdir / "pipe.txt")
    assert refused(workdir / "pipe.txt").startswith("pipe.txt：不是普通文件（可能是管道或设备），不能导入。")


def test_a_dangling_link_in_the_output_folder_is_never_written_through(workdir: Path) -> None:
    (workdir / "plan.txt").write_text(PLAN_TEXT, encoding="utf-8")
    code, out = planpub_import("plan.txt", "--out", "plans", "--dry-run")
    plan_id = out.split("plans/", 1)[1].split(".md", 1)[0]
    (workdir / "plans").mkdir()
    outside = workdir / "outside" / "victim.md"
    (workdir / "plans" / f"{plan_id}.md").symlink_to(outside)
    for force in ((), ("--force",)):
        code, out = planpub_import("plan.txt", "--out", "plans", *force)
        assert code == 0, out
        assert not outside.exists() and not outside.parent.exists()
        assert (workdir / "plans" / f"{plan_id}.md").is_symlink()
        assert "内部错误" not in out
    written = [p for p in (workdir / "plans").iterdir() if not p.is_symlink()]
    assert [p.name for p in written] == [f"{plan_id}-2.md"]


def test_a_link_named_like_the_plan_is_refused_when_writing(tmp_path: Path) -> None:
    from planpub.importer.writer import write_plan

    link = tmp_path / "plan.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(ImportFailure, match="是符号链接，planpub 不会通过它写入"):
        write_plan(link, "text", force=True)
    assert not (tmp_path / "elsewhere.md").exists()


def test_the_limits_are_what_the_readme_says() -> None:
    readme = CONFIG.with_name("README.md").read_text(encoding="utf-8")
    for limit in (reading.MAX_TEXT_BYTES, reading.MAX_DOCX_BYTES, reading.MAX_XML_PART, reading.MAX_DOCX_UNPACKED):
        assert f"{limit >> 20} MB" in readme
