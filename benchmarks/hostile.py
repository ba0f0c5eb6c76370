"""Hostile and careless input: every reproducer of the safety issue and its neighbours, run through the real
command line as an author would run it, each in a fresh project folder, and classified by what came out.

    python benchmarks/hostile.py            # prints one row per input and the totals
    python benchmarks/hostile.py --timeout 60

Each input says what a correct answer is: refused (a non-zero exit and a message naming the file), warned (the
build goes on, a warning names the file) or published safely (the build succeeds). Whatever it says, the outcome
is one of:
- 明确报错 / 明确警告 / 安全发布: the expected answer, no traceback;
- 崩溃: a Python traceback reached the author;
- 卡死: no answer within the timeout (the command is killed);
- 默认接受: a refusal was expected and the command succeeded without naming the file;
- 泄露: text the input marked as withheld (a draft's, an embargoed plan's, a file outside the plans folder) is in
  some output file;
- 脚本: an output page has an `on…` attribute, a `javascript:` URL or a `<script>` that the theme does not ship;
- 丢失文件: a file of the project (plans, config, docs, .git) is gone or changed afterwards, or a file was written
  outside the output folder.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANPUB = str(Path(sys.executable).with_name("planpub"))
AS_OF = "2026-06-30"
SECRET = "机密标记QX7"
"""Written into everything that must not be published; found in an output file, it is a leak."""

VALID = """---
id: {id}
title: 【测试】瓯海区2024年科技工作计划{n}
year: 2024
region: 浙江省/温州市/瓯海区
issuer: 温州市瓯海区科学技术局
category: 年度工作计划
written: 2024-02-20
{extra}---
## 一、总体要求

{body}
"""


def plan(n: int = 1, extra: str = "", body: str = "正文。", id_: str = "") -> str:
    return VALID.format(id=id_ or f"ceshi-{n}", n=n, extra=extra, body=body)


@dataclass
class Project:
    """A copy of the project's configuration, theme and hooks (linked), with its own plans folder."""

    root: Path
    outside: Path
    """A folder beside the project, where nothing may be written."""

    @property
    def plans(self) -> Path:
        return self.root / "plans"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.plans / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path


def make_project(folder: Path) -> Project:
    root = folder / "project"
    root.mkdir(parents=True)
    for name in ("docs", "hooks"):
        (root / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "plans").mkdir()
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    outside = folder / "outside"
    outside.mkdir()
    project = Project(root, outside)
    project.write("ouhai/ceshi-1.md", plan())
    return project


@dataclass(frozen=True)
class Case:
    name: str
    expect: str
    """"refuse", "warn" or "publish"."""
    prepare: Callable[[Project], list[str]]
    """Writes the input into the project; returns the planpub arguments to run (in the project folder)."""
    names: str = ""
    """What the message must name (a file); empty: the message needs only to be there."""
    says: str = ""
    """A phrase the message must hold, where another message could hide that the input was not understood."""


def build_args(project: Project, *more: str) -> list[str]:
    return ["build", "--as-of", AS_OF, *more]


def check_args(project: Project) -> list[str]:
    return ["check", "--as-of", AS_OF, "plans"]


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"/>')
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _import_into(project: Project, name: str, data: bytes) -> list[str]:
    source = project.root / "archive" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    return ["import", "--out", "plans/imported", str(source)]


def _fifo(project: Project) -> list[str]:
    os.mkfifo(project.plans / "x.md")
    return build_args(project)


def _symlinked_plan(project: Project) -> list[str]:
    target = project.outside / "secret.md"
    target.write_text(plan(9, body=SECRET, id_="outside-secret"), encoding="utf-8")
    (project.plans / "linked.md").symlink_to(target)
    return build_args(project)


def _dangling_import_target(project: Project) -> list[str]:
    text = "瓯海区2024年科技工作计划\n\n一、总体要求\n\n正文。\n\n温州市瓯海区科学技术局\n2024年2月20日\n"
    args = _import_into(project, "jihua.txt", text.encode("utf-8"))
    (project.plans / "imported").mkdir()
    # Whatever name the importer picks, a link of that name pointing outside must not be written through.
    for stem in ("ouhai-2024-niandu-gongzuo-jihua", "ouhai-2024-keji-gongzuo-jihua", "jihua", "2024-jihua"):
        (project.plans / "imported" / f"{stem}.md").symlink_to(project.outside / f"{stem}.md")
    return args


def _draft_attachment(project: Project) -> list[str]:
    project.write("w/secret.md", plan(2, extra="status: 草稿\n", body=SECRET))
    project.write("ouhai/ceshi-1.md", plan(extra="attachments: [{file: ../w/secret.md}]\n"))
    return build_args(project)


def _killed_build(project: Project) -> list[str]:
    for n in range(2, 300):
        project.write(f"many/ceshi-{n}.md", plan(n, body="正文。" * 200))
    process = subprocess.Popen([PLANPUB, *build_args(project)], cwd=project.root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(KILL_AFTER)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return build_args(project)


def _bomb_docx() -> bytes:
    """A .docx whose document.xml expands to 3 GB: written by streaming, so the benchmark itself stays small."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (16 * 1024 * 1024)
            member.write(b"<w:document>")
            for _ in range(3 * 1024 // 16):
                member.write(chunk)
    return buffer.getvalue()


KILL_AFTER = 2.5
"""Seconds into the build at which it is killed: while its pages are being written."""

PAYLOADS = [
    "## 一、总体要求 {onfocus=alert(1) autofocus}",
    "段落。\n{: onclick=alert(2) style=position:fixed }",
    "![图](x.png){onerror=alert(3)}",
    "## 二、任务 {id='a\" autofocus onfocus=alert(4) x=\"'}",
    "<img src=x onerror=alert(5)>",
    "[链接](javascript:alert(6))",
    "<svg onload=alert(7)></svg>",
    "<script>alert(8)</script>",
]

CASES: list[Case] = [
    Case("输出到计划文件夹 --site-dir plans", "refuse", lambda p: build_args(p, "--site-dir", "plans")),
    Case("输出到项目文件夹 --site-dir .", "refuse", lambda p: build_args(p, "--site-dir", ".")),
    Case("输出到项目的上级文件夹", "refuse", lambda p: build_args(p, "--site-dir", "..")),
    Case("输出到不是 planpub 生成的非空文件夹", "refuse",
         lambda p: ((p.root / "mine").mkdir(), (p.root / "mine" / "a.txt").write_text("作者的文件"),
                    build_args(p, "--site-dir", "mine"))[-1]),
    Case("上次生成被强行终止后再生成", "publish", _killed_build),
    *[Case(f"正文脚本 {i + 1}：{payload.splitlines()[0][:28]}", "publish",
           lambda p, payload=payload: (p.write("ouhai/ceshi-1.md", plan(body=payload)), build_args(p))[-1])
      for i, payload in enumerate(PAYLOADS)],
    Case("标题里的脚本", "publish",
         lambda p: (p.write("ouhai/ceshi-1.md", plan().replace("工作计划1", "<script>alert(9)</script>")),
                    build_args(p))[-1]),
    Case("附件指向草稿", "refuse", _draft_attachment, "ouhai/ceshi-1.md"),
    Case("草稿", "publish", lambda p: (p.write("w/draft.md", plan(3, extra="status: 草稿\n", body=SECRET)),
                                      build_args(p))[-1]),
    Case("未到发布日期的计划", "publish",
         lambda p: (p.write("w/later.md", plan(4, extra="published: 2030-01-01\n", body=SECRET)), build_args(p))[-1]),
    Case("YAML 别名炸弹", "refuse",
         lambda p: (p.write("bomb.md", "---\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
             f"{c}: &{c} [{','.join(['*' + chr(ord(c) - 1 if c != 'b' else 97)] * 9)}]\n" for c in "bcdefghijk")
             + "title: *k\n---\n正文\n"), check_args(p))[-1], "bomb.md", "YAML 的引用"),
    Case("YAML 类型标记 !!python/object", "refuse",
         lambda p: (p.write("tag.md", plan(5, extra="summary: !!python/object/apply:os.system [ls]\n")),
                    check_args(p))[-1], "tag.md"),
    Case("头信息里的第二段 YAML", "refuse",
         lambda p: (p.write("two.md", plan(6, extra="--- !tag\nsummary: x\n")), check_args(p))[-1], "two.md"),
    Case("名为 x.md 的管道文件", "warn", _fifo, "x.md"),
    Case("30 万个空格一行", "refuse",
         lambda p: (p.write("spaces.md", plan(7, body=" " * 300_000 + "-x")), build_args(p))[-1], "spaces.md"),
    Case("列表嵌套 1500 层", "refuse",
         lambda p: (p.write("deep.md", plan(8, body="- " * 1500 + "x")), build_args(p))[-1], "deep.md"),
    Case("300 个字符的标识", "refuse",
         lambda p: (p.write("long.md", plan(9, id_="a" * 300)), check_args(p))[-1], "long.md"),
    Case("300 个字符的别名", "refuse",
         lambda p: (p.write("alias.md", plan(10, extra=f"aliases: [{'b' * 300}]\n")), check_args(p))[-1],
         "alias.md"),
    Case("附件是文件夹", "refuse",
         lambda p: ((p.plans / "ouhai" / "fujian").mkdir(),
                    p.write("ouhai/ceshi-1.md", plan(extra="attachments: [{file: fujian}]\n")), check_args(p))[-1],
         "ceshi-1.md"),
    *[Case(f"标题里的控制字符 {char!r}", "refuse",
           lambda p, char=char: (p.write("ctl.md", plan(11).replace("工作计划11", f"工作{char}计划")),
                                 check_args(p))[-1], "ctl.md")
      for char in ("\x01", "\x0b", "\ufffe")],
    Case("未声明的园区（与已有地名同音）", "refuse",
         lambda p: (p.write("yuan.md", plan(12).replace("浙江省/温州市/瓯海区", "浙江省/温州市/科技园")),
                    p.write("yuan2.md", plan(13).replace("浙江省/温州市/瓯海区", "浙江省/温州市/科技元")),
                    check_args(p))[-1], "yuan.md"),
    Case("指向计划文件夹外的 .md 链接", "refuse", _symlinked_plan, "linked.md"),
    Case("导入：解压后 3 GB 的 .docx", "refuse", lambda p: _import_into(p, "bomb.docx", _bomb_docx()), "bomb.docx",
         "上限"),
    Case("导入：100 MB 的 .txt", "refuse",
         lambda p: _import_into(p, "big.txt", ("计划正文。" * 7_000_000).encode("utf-8")), "big.txt", "上限"),
    Case("导入：损坏的 .docx", "refuse", lambda p: _import_into(p, "broken.docx", b"PK\x03\x04" + os.urandom(2000)),
         "broken.docx", "已损坏"),
    Case("导入：加密的 .docx", "refuse",
         lambda p: _import_into(p, "locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
                                        + "EncryptedPackage".encode("utf-16-le") + bytes(4000)), "locked.docx",
         "密码"),
    Case("导入：带实体炸弹的 .docx", "refuse",
         lambda p: _import_into(p, "entity.docx", _docx(
             b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
             b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document>&c;</w:document>')), "entity.docx",
         "实体"),
    Case("导入：输出位置是指向外面的链接", "publish", _dangling_import_target),
]


class _Scripts(HTMLParser):
    """Counts what would run: event-handler attributes, javascript: URLs and scripts the theme does not ship."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and value and re.match(
                    r"\s*(javascript|vbscript|data:text/html)", value, re.IGNORECASE):
                self.found.append(f"<{tag} {name}={value[:30]}>")
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append("<script>alert</script>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def _tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    digest: dict[str, str] = {}
    for top, folders, files in os.walk(folder):
        base = Path(top).relative_to(folder)
        # Skipped folders are not entered: a build may be removing a replaced site there in the background.
        # A killed build's staging folders are the build's own, removed by the next build.
        folders[:] = [name for name in folders
                      if (base / name).as_posix() not in skip and not name.startswith((".site-new-", ".site-old-"))]
        for name in files:
            path = Path(top) / name
            relative = (base / name).as_posix()
            if relative in skip or path.is_symlink() or not path.is_file():
                continue
            digest[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


@dataclass
class Outcome:
    case: Case
    verdict: str
    seconds: float
    detail: str = ""
    notes: list[str] = field(default_factory=list)


def run_case(case: Case, folder: Path, timeout: float) -> Outcome:
    project = make_project(folder)
    args = case.prepare(project)
    # What the author owns: the plans (but the URL record, which the build keeps), the configuration and .git.
    owned_skip = ("site", "plans/published-urls.txt", "plans/imported", "archive", "docs", "hooks", ".cache")
    before = _tree_digest(project.root, owned_skip)
    outside_before = sorted(p.name for p in project.outside.iterdir())
    started = time.perf_counter()
    try:
        done = subprocess.run([PLANPUB, *args], cwd=project.root, capture_output=True, text=True, timeout=timeout,
                              start_new_session=True)
    except subprocess.TimeoutExpired:
        return Outcome(case, "卡死", time.perf_counter() - started, f"{timeout:.0f} 秒无结果")
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    after = _tree_digest(project.root, owned_skip) if project.root.is_dir() else {}
    lost = sorted(set(before) - set(after)) + sorted(k for k in before if k in after and after[k] != before[k])
    outside_after = sorted(p.name for p in project.outside.iterdir())
    if lost or outside_after != outside_before or not project.plans.is_dir():
        extra = sorted(set(outside_after) - set(outside_before))
        return Outcome(case, "丢失文件", seconds, "；".join(lost[:3] + [f"外部新文件 {e}" for e in extra[:3]]))
    if "Traceback" in output:
        return Outcome(case, "崩溃", seconds, output.strip().splitlines()[-1][:80])
    outputs = [p for p in (project.root / "site").rglob("*") if p.is_file()] if project.site.is_dir() else []
    leaked = [p for p in outputs if _holds_secret(p.read_bytes())]
    if leaked:
        return Outcome(case, "泄露", seconds, leaked[0].relative_to(project.root).as_posix())
    scripts: list[str] = []
    for page in outputs:
        if page.suffix == ".html":
            parser = _Scripts()
            parser.feed(page.read_text(encoding="utf-8", errors="replace"))
            scripts += [f"{page.relative_to(project.site).as_posix()}: {s}" for s in parser.found]
    if scripts:
        return Outcome(case, "脚本", seconds, scripts[0][:80])
    named = (not case.names or case.names in output) and case.says in output
    if case.expect == "refuse":
        if done.returncode == 0 or not named or not ("错误" in output or "失败" in output):
            return Outcome(case, "默认接受", seconds, f"退出码 {done.returncode}")
        return Outcome(case, "明确报错", seconds, _first_message(output, case.says or case.names))
    if done.returncode != 0:
        return Outcome(case, "意外失败", seconds, _first_message(output, "错误"))
    if case.expect == "warn" and (not named or "警告" not in output):
        return Outcome(case, "默认接受", seconds, "没有警告")
    staging = [p.name for p in project.root.iterdir() if p.name.startswith(".site-new")]
    if staging:
        return Outcome(case, "丢失文件", seconds, f"留下了 {staging[0]}")
    return Outcome(case, "明确警告" if case.expect == "warn" else "安全发布", seconds,
                   _first_message(output, case.names or "已生成") if case.expect == "warn" else "")


def _holds_secret(data: bytes) -> bool:
    """The secret in a file as written, gzip-compressed (the search index) or escaped as JSON and XML escape it."""
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError):
            data = gzip.decompress(data)
    forms = (SECRET.encode("utf-8"), json.dumps(SECRET).strip('"').encode("ascii"),
             "".join(f"&#{ord(c)};" for c in SECRET).encode("ascii"))
    return any(form in data for form in forms)


def _first_message(output: str, needle: str) -> str:
    for line in output.splitlines():
        if needle and needle in line:
            return line.strip()[:90]
    return (output.strip().splitlines() or [""])[0][:90]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a command counts as hung")
    parser.add_argument("-k", default="", help="run only inputs whose name contains this")
    options = parser.parse_args()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="planpub-hostile-") as tmp:
        for number, case in enumerate(c for c in CASES if options.k in c.name):
            outcome = run_case(case, Path(tmp) / f"{number:02d}", options.timeout)
            outcomes.append(outcome)
            print(f"{outcome.verdict:<6} {outcome.seconds:6.1f} s  {case.name}  {outcome.detail}", flush=True)
    totals = Counter(o.verdict for o in outcomes)
    print()
    print(f"输入 {len(outcomes)} 个：" + "，".join(f"{v} {n}" for v, n in totals.most_common()))
    bad = sum(totals[v] for v in ("崩溃", "卡死", "默认接受", "泄露", "脚本", "丢失文件", "意外失败"))
    print(f"崩溃 {totals['崩溃']}，卡死 {totals['卡死']}，默认接受 {totals['默认接受']}，泄露 {totals['泄露']}，"
          f"脚本 {totals['脚本']}，丢失文件 {totals['丢失文件']}，意外失败 {totals['意外失败']}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
