"""`planpub import FILE... [--out plans/] [--dry-run] [--force] [--keep-traditional]`."""

from __future__ import annotations

import argparse
import glob
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from planpub.importer.model import ImportFailure
from planpub.importer.pipeline import Conversion, Draft, Options, convert, masked_lines
from planpub.importer.report import Outcome, PlanResult, render_file
from planpub.importer.writer import IdRegistry, base_id, render_front_matter, write_plan
from planpub.plan import parse_plan
from planpub.problems import PlanpubError
from planpub.regions import Gazetteer, load_gazetteer
from planpub.schema import DEFAULT_CATEGORIES, PLACEHOLDER
from planpub.settings import find_config, load_settings

_KNOWN_SUFFIXES = (".docx", ".txt", ".md", ".markdown", ".html", ".htm", ".doc", ".wps", ".pdf")
_PROGRESS_FROM = 3
"""Show a progress bar from this many files on."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="文件",
                        help="要导入的文件：.docx、.txt（任意中文编码）、.md、.html；也可以给文件夹")
    parser.add_argument("--out", metavar="文件夹",
                        help="计划文件写到哪个文件夹（缺省：mkdocs.yml 中的计划文件夹，没有配置时为 plans）")
    parser.add_argument("--dry-run", action="store_true", help="试运行：显示将写入的内容，不写任何文件")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的同名计划文件（缺省不覆盖）")
    parser.add_argument("--keep-traditional", action="store_true",
                        help="原文是繁体字时保留繁体（缺省转换为简体）")


@dataclass(frozen=True)
class _Context:
    out_arg: str
    out_dir: Path
    categories: tuple[str, ...]
    options: Options
    dry_run: bool
    force: bool
    gazetteer: Gazetteer


def _context(args: argparse.Namespace) -> _Context:
    config = Path(args.config).resolve() if getattr(args, "config", None) else find_config()
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    out_arg = args.out
    if config.is_file():
        settings = load_settings(config)
        categories = settings.categories
        if out_arg is None:
            out_arg = str(settings.plans_dir)
    out_arg = out_arg or "plans"
    return _Context(out_arg, Path(out_arg).resolve(), categories, Options(args.keep_traditional),
                    args.dry_run, args.force, load_gazetteer())


def expand(files: list[str]) -> list[str]:
    """Folders become their documents and patterns their matches (Windows shells pass `*.docx` through)."""
    result: list[str] = []
    for name in files:
        path = Path(name)
        if path.is_dir():
            result += sorted(str(p) for p in path.iterdir() if p.suffix.lower() in _KNOWN_SUFFIXES and p.is_file())
        elif not path.exists() and any(c in name for c in "*?["):
            result += sorted(glob.glob(name)) or [name]
        else:
            result.append(name)
    return result


def _shown(context: _Context, plan_id: str) -> str:
    return str(Path(context.out_arg) / f"{plan_id}.md")


def _plan_text(draft: Draft, plan_id: str) -> str:
    front = render_front_matter(plan_id, draft.metadata.values, draft.metadata.fill)
    return front + "\n" + draft.body


def _unexpected_problems(text: str, plan_id: str, context: _Context) -> list[str]:
    """Problems parse_plan finds besides the 待补充 placeholders the author is asked to fill."""
    _, problems = parse_plan(f"{plan_id}.md", text, context.categories, context.out_dir)
    return [str(p) for p in problems if p.is_error and PLACEHOLDER not in p.message]


def _place(draft: Draft, registry: IdRegistry, context: _Context) -> PlanResult:
    values = draft.metadata.values
    region = str(values["region"]) if "region" in values else None
    period = str(values["period"]) if "period" in values else None
    year = values.get("year")
    plan_id, target = registry.allocate(base_id(draft.title, region, year if isinstance(year, int) else None, period))
    text = _plan_text(draft, plan_id)
    result = PlanResult(draft, plan_id, _shown(context, plan_id), Outcome.DRY_RUN, text, masked_lines(text))
    problems = _unexpected_problems(text, plan_id, context)
    if problems:
        result.outcome, result.problems = Outcome.INVALID, problems
    elif not context.dry_run:
        done = write_plan(target, text, force=context.force)
        result.outcome = {"written": Outcome.WRITTEN, "overwritten": Outcome.OVERWRITTEN,
                          "exists": Outcome.EXISTS}[done]
    elif target.exists() and not context.force:
        result.outcome = Outcome.EXISTS
    return result


def import_one(name: str, registry: IdRegistry, context: _Context) -> tuple[str, list[PlanResult], bool]:
    """The report for one file, its plans, and whether it went through without failure."""
    try:
        conversion: Conversion = convert(Path(name), name, context.options, context.categories, context.gazetteer)
    except ImportFailure as exc:
        return render_file(name, None, [], str(exc)), [], False
    except (PlanpubError, OSError) as exc:
        return render_file(name, None, [], f"{name}：{exc}"), [], False
    results = []
    for draft in conversion.drafts:
        try:
            results.append(_place(draft, registry, context))
        except ImportFailure as exc:
            return render_file(name, None, [], f"{name}：计划“{draft.title}”：{exc}"), results, False
        except OSError as exc:
            message = (f"{name}：写入计划“{draft.title}”时出错（{exc.strerror}），"
                       f"请检查 {context.out_arg} 文件夹的权限。")
            return render_file(name, None, [], message), results, False
    ok = bool(results) and all(r.outcome in (Outcome.WRITTEN, Outcome.OVERWRITTEN, Outcome.DRY_RUN) for r in results)
    return render_file(name, conversion, results), results, ok


def _dry_run_listing(results: list[PlanResult]) -> str:
    return "".join(f"----- {r.path} -----\n{r.text}----- {r.path} 结束 -----\n" for r in results)


def _summary(files: int, failed: int, results: list[PlanResult], dry_run: bool) -> str:
    written = sum(r.outcome in (Outcome.WRITTEN, Outcome.OVERWRITTEN) for r in results)
    pending = sum(bool(r.draft.metadata.fill) for r in results)
    verb = f"试运行，将写入 {len(results)} 件" if dry_run else f"写入 {written} 件"
    text = f"共 {files} 个文件，{len(results)} 件计划：{verb}"
    if pending:
        text += f"，其中 {pending} 件有“待补充”的字段，填好前 planpub check 不会通过"
    if failed:
        text += f"；{failed} 个文件没有完全导入，见上面的说明"
    return text + "。"


def run(args: argparse.Namespace, emit: Callable[[str], None] | None = None) -> int:
    """Imports every file given; one file failing does not stop the others. 0 when all went through."""
    say = emit or (lambda text: tqdm.write(text, file=sys.stdout, end=""))
    context = _context(args)
    files = expand(list(args.files))
    registry = IdRegistry.scan(context.out_dir)
    all_results: list[PlanResult] = []
    failed = 0
    progress = tqdm(files, desc="导入", unit="个文件", disable=len(files) < _PROGRESS_FROM or None, file=sys.stderr)
    for name in progress:
        try:
            report, results, ok = import_one(name, registry, context)
        except Exception as exc:  # the author gets a message naming the file, never a traceback
            message = (f"{name}：导入时发生内部错误（{type(exc).__name__}: {exc}）。"
                       "其他文件不受影响；请把这个文件反馈给维护人员。")
            report, results, ok = render_file(name, None, [], message), [], False
        say(report)
        if context.dry_run and results:
            say(_dry_run_listing(results))
        all_results += results
        failed += not ok
    say(_summary(len(files), failed, all_results, context.dry_run) + "\n")
    return 0 if failed == 0 else 1
