"""The `planpub` command. `main(argv)` returns the exit code; author errors become Chinese messages here."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from planpub import engine, preview
from planpub.catalog import Catalog, LoadResult, load_catalog, plan_files
from planpub.ids import is_valid_id, slugify
from planpub.importer import command as import_command
from planpub.plan import parse_plan
from planpub.portal import check_portal, record_published_urls
from planpub.portal.links import SiteLinks
from planpub.portal.output import portal_files, write_files
from planpub.problems import PlanpubError
from planpub.publish import DEFAULT_KEEP, publish, publish_remote, remote_target, rollback, rollback_remote
from planpub.regions import Places, RegionError, load_gazetteer, parse_places, resolve_region
from planpub.schema import FIELDS_BY_KEY, STATUS_CURRENT, STATUS_DRAFT, YEAR_MAX, YEAR_MIN
from planpub.search.build import SEARCH_DIR, build_index
from planpub.serverconf import write_server_config
from planpub.settings import Settings, find_config, load_settings, settings_from_mapping
from planpub.template import PROMPT_MARK, render_new_plan
from planpub.withdraw import withdraw

RETIRED_SITES = Path(".cache") / "planpub" / "retired-sites"
PREVIEW_SITE = Path(".cache") / "planpub" / "preview"
"""Where, under the project, a replaced site waits for its removal after `planpub build` has returned."""
# Below this many plans, starting a second engine process costs more than it saves.
PARALLEL_FROM = 200


def engine_processes(cores: int) -> int:
    """How many engine processes render the pages of a large site: one per core but the one `planpub build` itself
    works on (the search index), and no more than four, past which their fixed start-up outweighs their share."""
    return max(1, min(cores, 5) - 1)


# argparse speaks English; these are the messages an author can meet, in Chinese.
_ARGPARSE_MESSAGES = (
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "不认识的参数："),
    ("invalid choice: ", "没有这个命令："),
    ("expected one argument", "需要一个值"),
    ("invalid int value: ", "应当是整数："),
    ("argument ", "参数 "),
)


# argparse's own headings and the help option's text, which it writes in English whatever the locale.
_ARGPARSE_HELP = (
    ("usage: ", "用法："),
    ("positional arguments:", "参数："),
    ("options:", "选项："),
    ("show this help message and exit", "显示本帮助并退出"),
)


class _HelpFormatter(argparse.HelpFormatter):
    """Each option's help on the line below it: argparse aligns columns by counting characters, and a Chinese
    character is two columns wide, so help beside Chinese value names would be ragged."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=6)


class _ArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def format_usage(self) -> str:
        return _translate_help(super().format_usage())

    def format_help(self) -> str:
        return _translate_help(super().format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, chinese in _ARGPARSE_MESSAGES:
            message = message.replace(english, chinese)
        message = message.replace("(choose from", "（可选").replace(")", "）") if "可选" not in message else message
        help_hint = "planpub --help" if self.prog == "planpub" else f"{self.prog} --help"
        raise PlanpubError(f"命令参数有误：{message}。运行 {help_hint} 查看用法。")


def _translate_help(text: str) -> str:
    for english, chinese in _ARGPARSE_HELP:
        text = text.replace(english, chinese)
    return text


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请写成 YYYY-MM-DD") from None


def _settings(args: argparse.Namespace, plans_dir: str | None = None) -> tuple[Path, Settings]:
    config_file = Path(args.config).resolve() if args.config else find_config()
    if plans_dir and not args.config and not config_file.is_file():
        # `planpub check DIR` outside a project checks DIR with the default categories.
        return config_file, settings_from_mapping(Path(plans_dir).resolve().parent,
                                                  {"extra": {"planpub": {"plans_dir": str(Path(plans_dir).resolve())}}})
    settings = load_settings(config_file)
    plans = getattr(args, "plans", None)
    if plans:
        settings = settings.with_plans_dir(plans)
    return config_file, settings


def _check(settings: Settings, as_of: dt.date, *, verbose: bool, published_urls: bool = True) -> LoadResult:
    result = load_catalog(settings.plans_dir, settings.categories, as_of, settings.places)
    if published_urls and result.catalog is not None:
        result.problems += check_portal(result.catalog, settings)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if verbose or result.errors:
        for item in result.withheld:
            print(f"未公开：{item.plan.source}（{item.reason}）")
    return result


def cmd_check(args: argparse.Namespace) -> int:
    _, settings = _settings(args, args.dir)
    if args.dir:
        settings = settings.with_plans_dir(args.dir)
    result = _check(settings, args.as_of, verbose=True)
    warnings = len(result.problems) - len(result.errors)
    if result.errors:
        print(f"检查未通过：{len(result.errors)} 个错误，{warnings} 个警告。", file=sys.stderr)
        return 1
    published = len(result.catalog.plans) if result.catalog else 0
    print(f"检查通过：{published} 件计划将公开，{len(result.withheld)} 件暂不公开，{warnings} 个警告。")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    config_file, settings = _settings(args)
    site_dir = Path(args.site_dir).resolve() if args.site_dir else settings.root / "site"
    refusal = engine.site_dir_refusal(site_dir, settings.root, [settings.plans_dir, config_file,
                                                                *filter(None, [settings.docs_dir])])
    if refusal:
        raise PlanpubError(f"{refusal}（没有构建，也没有改动任何文件）")
    env = engine.engine_env(settings.plans_dir, args.as_of.isoformat())
    # The number of engine processes is chosen before the plans are read, so that they load while the plans are
    # checked: from the number of plan files, which is the number of plans unless some fail the check.
    files = len(plan_files(settings.plans_dir)) if settings.plans_dir.is_dir() else 0
    jobs = args.jobs or (engine_processes(os.cpu_count() or 1) if files >= PARALLEL_FROM else 1)
    checks: list[LoadResult] = []
    # The search index is made here, while the engine renders. Next to one engine process this process also
    # writes the portal's JSON and feeds, which keeps the two about equally busy; next to several, the index alone
    # takes longer than their share of the pages, and each of them writes the files of its own plans.
    portal_here = jobs == 1
    env[engine.ENV_WRITTEN_BY_PLANPUB] = "search,portal" if portal_here else "search"

    def checked() -> Catalog | None:
        checks.append(_check(settings, args.as_of, verbose=False, published_urls=not args.preview))
        return checks[0].catalog if not checks[0].errors else None

    def data_outputs(catalog: Catalog, folder: Path) -> None:
        undo = engine.collect_garbage_seldom()
        try:
            # One process: the engine processes keep the other cores busy.
            build_index(catalog, folder / SEARCH_DIR, settings.categories, jobs=1,
                        equivalents=settings.search_equivalents)
            if portal_here:
                write_files(portal_files(catalog, settings.site_name, SiteLinks(settings.site_url),
                                         settings.categories), folder)
        finally:
            undo()

    def server_config(catalog: Catalog, folder: Path) -> None:
        write_server_config(catalog, settings.site_url, folder)

    outcome = engine.build_site(config_file, site_dir, env, jobs, checked, data_outputs, settings.root / RETIRED_SITES,
                                server_config)
    if outcome is engine.Outcome.REJECTED:
        print(f"构建已停止：{len(checks[0].errors)} 个错误，网站没有改动。请按上面的提示修改后重试。", file=sys.stderr)
        return 1
    if outcome is engine.Outcome.FAILED:
        print("构建失败，网站没有改动（原有网站保持不变）。", file=sys.stderr)
        return 1
    result = checks[0]
    assert result.catalog is not None
    print(f"已生成网站：{site_dir}（{len(result.catalog.plans)} 件计划，{len(result.withheld)} 件暂不公开）")
    # A preview publishes nothing: the record of published URLs grows only with real builds.
    notice = None if args.preview else record_published_urls(result.catalog, settings)
    if notice:
        print(notice)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    config_file, settings = _settings(args)
    site_dir = settings.root / PREVIEW_SITE
    command = [sys.executable, "-m", "planpub.cli", "build", "--preview", "--config", str(config_file),
               "--site-dir", str(site_dir), "--as-of", args.as_of.isoformat()]
    if args.plans:
        command += ["--plans", str(Path(args.plans).resolve())]
    watched = [settings.plans_dir, config_file, *filter(None, [settings.docs_dir])]
    return preview.serve(command, site_dir, watched, args.addr)


_NEW_FIELDS = ("title", "year", "region", "issuer", "category")


def _answer_problem(key: str, value: str, settings: Settings, places: Places) -> str | None:
    """What is wrong with an answer to one of `new`'s questions (or the option that gives it), in the question's
    words; None when check will accept it."""
    spec = FIELDS_BY_KEY[key]
    if not value:
        return f"没有输入{spec.alias}。"
    if key == "year":
        year = value.removesuffix("年")
        if not (year.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX):
            return f"{spec.alias}“{value}”应当是四位数字的年份（{YEAR_MIN}—{YEAR_MAX}），例如：{spec.example}"
    elif key == "category" and value not in settings.categories:
        close = difflib.get_close_matches(value, settings.categories, n=1, cutoff=0.3)
        hint = f"是不是“{close[0]}”？" if close else ""
        return f"{spec.alias}“{value}”不是可选的类别。{hint}可选：{'、'.join(settings.categories)}"
    elif key == "region":
        try:
            resolve_region(value, None, load_gazetteer(), places)
        except RegionError as exc:
            return str(exc)
    return None


def _ask(key: str, settings: Settings, places: Places, *, typed: bool) -> str:
    """Asks one question until the answer is good. Answers piped in (`typed` off) are read a line per question
    and not asked again: a script that sent a wrong answer gets the question's name and nothing written."""
    spec = FIELDS_BY_KEY[key]
    choices = settings.categories if key == "category" else ()
    hint = f"（可选：{'、'.join(choices)}）" if choices else f"（例如：{spec.example}）"
    while True:
        try:
            answer = input(f"{spec.alias}{hint}：").strip()
        except EOFError:
            raise PlanpubError(f"没有输入{spec.alias}（没有写入文件）。可以用 --{key} {spec.example} 直接给出，"
                               "运行 planpub new --help 查看。") from None
        if not answer and typed:
            continue
        problem = _answer_problem(key, answer, settings, places)
        if problem is None:
            return answer
        if not typed:
            raise PlanpubError(f"{problem}（没有写入文件）")
        print(f"{problem.rstrip('。')}。请重新输入。", file=sys.stderr)


def _new_plan_id(values: dict[str, str]) -> str:
    """region-year-title in pinyin, without repeating what the title already says."""
    title = values["title"]
    region = values["region"].split("/")[-1]
    parts = [p for p in (region, values["year"]) if p not in title]
    return slugify("-".join([*parts, title]))[:80].strip("-")


def cmd_new(args: argparse.Namespace) -> int:
    _, settings = _settings(args)
    places, _ = parse_places(settings.places, load_gazetteer())
    # Answers come from the keyboard, or one a line from a pipe; --no-input takes only the options.
    typed = sys.stdin.isatty()
    values: dict[str, str] = {}
    for key in _NEW_FIELDS:
        spec = FIELDS_BY_KEY[key]
        given = getattr(args, key)
        if given is not None:
            problem = _answer_problem(key, str(given).strip(), settings, places)
            if problem:
                raise PlanpubError(f"--{key}：{problem}（没有写入文件）")
        elif args.no_input:
            raise PlanpubError(f"缺少{spec.alias}：请加上 --{key} {spec.example}")
        else:
            given = _ask(key, settings, places, typed=typed)
        values[key] = str(given).strip()
    values["written"] = (args.written or dt.date.today()).isoformat()
    plan_id = args.id or _new_plan_id(values)
    if not is_valid_id(plan_id):
        raise PlanpubError(f"--id “{plan_id}”只能包含小写字母、数字和连字符，例如：--id ouhai-kjj-2024-gzjh")
    # A new plan is a draft: nothing of it is published, and no URL recorded, until its author says it is done.
    values = {"id": plan_id, **values, "status": STATUS_DRAFT}
    target = Path(args.out).resolve() if args.out else settings.plans_dir / f"{plan_id}.md"
    if target.exists():
        raise PlanpubError(f"{target} 已存在，没有覆盖。请换一个标识（--id）或文件名（--out）。")
    text = render_new_plan(values)
    _, problems = parse_plan(target.name, text, settings.categories)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise PlanpubError("新计划的内容有误，没有写入文件：" + "；".join(p.message for p in errors))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"已新建草稿：{target}\n标识：{plan_id}（发布后的网址 /plans/{plan_id}/）。\n"
          f"请把正文中以“{PROMPT_MARK}”开头的提示换成计划内容；写完后把 status: {STATUS_DRAFT} 改为 "
          f"status: {STATUS_CURRENT}，运行 planpub check。草稿不会出现在网站上。")
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    _, settings = _settings(args)
    print(withdraw(settings.plans_dir, args.id, args.reason or "", args.as_of))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    dest = Path(args.dest)
    remote = remote_target(args.dest)
    if args.rollback and remote is not None:
        print(rollback_remote(*remote, reload=args.reload, ssh=args.ssh))
        return 0
    if args.rollback:
        print(rollback(dest, reload=args.reload))
        return 0
    _, settings = _settings(args)
    site_dir = Path(args.site_dir) if args.site_dir else settings.root / "site"
    if remote is not None:
        print(publish_remote(site_dir, *remote, keep=args.keep, reload=args.reload, ssh=args.ssh))
        return 0
    print(publish(site_dir, dest, keep=args.keep, reload=args.reload))
    return 0


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="文件",
                        help="mkdocs.yml 的路径（缺省：当前文件夹或上级文件夹中的 mkdocs.yml）")


def _add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_date, metavar="日期", default=dt.date.today(),
                        help="按此日期判断哪些计划已到发布日期（YYYY-MM-DD，缺省：今天）")


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(prog="planpub", description="把工作计划发布成可检索的公开网站。")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_ArgumentParser, metavar="命令")
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    p = sub.add_parser("build", help="检查全部计划并生成网站（失败时不改动原有网站）")
    _add_common(p)
    _add_as_of(p)
    p.add_argument("--plans", metavar="文件夹", help="计划文件夹（缺省：mkdocs.yml 中的 extra.planpub.plans_dir）")
    p.add_argument("--site-dir", metavar="文件夹", help="网站输出文件夹（缺省：site）")
    p.add_argument("--jobs", type=int, metavar="进程数",
                   help=f"同时生成页面的进程数（缺省：计划不少于 {PARALLEL_FROM} 件时为处理器核数减一，最少 1、最多 4；"
                        "另有一个进程生成搜索索引）")
    p.add_argument("--preview", action="store_true",
                   help="预览用（planpub serve 使用）：不检查、不更新已发布网址记录")
    commands["build"] = cmd_build

    p = sub.add_parser("serve", help="在本机预览网站：修改计划或网站文件后自动重新生成、刷新页面，有错误时在页面上显示")
    _add_common(p)
    _add_as_of(p)
    p.add_argument("--plans", metavar="文件夹", help="计划文件夹")
    p.add_argument("--addr", metavar="地址:端口", default="127.0.0.1:8000", help="预览地址（缺省：127.0.0.1:8000）")
    commands["serve"] = cmd_serve

    p = sub.add_parser("check", help="检查计划文件，逐条列出问题（文件:行号）")
    _add_common(p)
    _add_as_of(p)
    p.add_argument("dir", nargs="?", metavar="文件夹", help="计划文件夹（缺省：plans）")
    commands["check"] = cmd_check

    p = sub.add_parser("new", help="新建一个计划文件（会询问必填字段）")
    _add_common(p)
    for key in ("title", "year", "region", "issuer", "category"):
        spec = FIELDS_BY_KEY[key]
        p.add_argument(f"--{key}", metavar=spec.alias, help=f"{spec.alias}，例如 {spec.example}")
    p.add_argument("--written", type=_date, metavar="日期", help="成文日期（缺省：今天）")
    p.add_argument("--id", metavar="标识", help="标识（缺省：由地区、年度和标题的拼音生成）")
    p.add_argument("--out", metavar="文件", help="写到哪个文件（缺省：plans/<标识>.md）")
    p.add_argument("--no-input", action="store_true",
                   help="不询问，缺少字段时报错（缺省：逐项询问；从管道输入时每行回答一项）")
    commands["new"] = cmd_new

    p = sub.add_parser("withdraw", help="撤回一件已公开的计划：页面和网址保留，注明已撤回")
    _add_common(p)
    _add_as_of(p)
    p.add_argument("id", help="计划的标识（网址 /plans/<标识>/ 中的那一段）")
    p.add_argument("--reason", help="撤回原因，作为注释写在计划文件的有效性一行")
    p.add_argument("--plans", help="计划文件夹（缺省：mkdocs.yml 中的 extra.planpub.plans_dir）")
    commands["withdraw"] = cmd_withdraw

    p = sub.add_parser("publish",
                       help="把生成的网站发布到网站服务器的目录：整体切换，读者不会看到新旧混杂的网站")
    _add_common(p)
    p.add_argument("dest", metavar="发布位置",
                   help="网站服务器提供的目录（由 planpub 维护的链接，首次发布时应当还不存在）")
    p.add_argument("--site-dir", metavar="文件夹", help="要发布的网站文件夹（缺省：site）")
    p.add_argument("--keep", type=int, default=DEFAULT_KEEP, metavar="个数",
                   help=f"保留最近几个版本（缺省：{DEFAULT_KEEP}）")
    p.add_argument("--rollback", action="store_true", help="恢复上一个版本（本机的发布位置）")
    p.add_argument("--ssh", default="ssh", metavar="命令",
                   help="发布到远程服务器（发布位置写成 主机:/路径）时用的 ssh 命令（缺省：ssh）")
    p.add_argument("--reload", metavar="命令",
                   help="切换后运行的命令，例如 \"systemctl reload nginx\"，使新的服务器配置生效")
    commands["publish"] = cmd_publish

    p = sub.add_parser("import", help="导入已有的 .docx/.txt/.md/.html 计划，逐个文件报告删除和需要补充的内容")
    _add_common(p)
    import_command.add_arguments(p)
    commands["import"] = import_command.run

    parser.set_defaults(_commands=commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            raise PlanpubError(f"不认识的参数：{' '.join(unknown)}。运行 planpub {args.command} --help 查看用法。")
        return int(args._commands[args.command](args))
    except PlanpubError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        print(f"错误：{exc}", file=sys.stderr)
        return 2 if not exc.problems else 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
