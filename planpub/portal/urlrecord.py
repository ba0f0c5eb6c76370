"""The record of every URL the site has published, kept in the plans folder and committed with the plans.

A build that would make a recorded URL disappear is refused: portals and readers keep links, and a link that
breaks is a failure of public disclosure. The record only grows; `planpub build` adds new URLs after a
successful build, never `mkdocs serve` and never a check."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from planpub.catalog import Catalog
from planpub.plan import Plan
from planpub.portal import links
from planpub.problems import Problem, error
from planpub.settings import Settings

RECORD_NAME = "published-urls.txt"

KIND_PAGE = "栏目"
KIND_PLAN = "计划"
KIND_ALIAS = "曾用标识"
KIND_YEAR = "年度"
KIND_REGION = "地区"
KIND_FEED = "订阅"
KIND_DATA = "数据"

HEADER = (
    "# 已发布网址记录：本站发布过的每个网址，由 planpub build 在构建成功后自动追加，请随计划一起提交。\n"
    "# 构建时，记录中的网址如果会消失，构建将停止并说明原因：门户网站和读者保存的链接不能失效。\n"
    "# 改计划标识时在新计划中写 aliases（曾用标识），计划作废时写 status: 已撤回，页面都会保留。\n"
    "# 确需停用某个网址时，删除它所在的一行并提交。\n"
    "# 格式：网址<TAB>类型<TAB>所属<TAB>说明\n"
)


@dataclass(frozen=True)
class Entry:
    """One published URL: its site path (leading slash) and what it belonged to when first published."""

    url: str
    kind: str = ""
    owner: str = ""
    label: str = ""
    line: int = 0

    def line_text(self) -> str:
        return "\t".join((self.url, self.kind, self.owner, self.label)).rstrip("\t")


def record_path(settings: Settings) -> Path:
    return settings.plans_dir / RECORD_NAME


def _slash(path: str) -> str:
    return "/" + path


def current_urls(catalog: Catalog) -> dict[str, Entry]:
    """Every URL this catalog publishes that a portal may have kept: pages, redirects, feeds and the catalogue."""
    entries: list[Entry] = [
        Entry(_slash(links.home_path()), KIND_PAGE, "home", "首页"),
        Entry(_slash(links.feed_path(links.home_path())), KIND_FEED, "home", "全站"),
        Entry(_slash(links.CATALOGUE), KIND_DATA, "plans", "计划目录"),
        Entry(_slash(links.years_path()), KIND_PAGE, "years", "按年度浏览"),
        Entry(_slash(links.regions_path()), KIND_PAGE, "regions", "按地区浏览"),
        Entry(_slash(links.coverage_path()), KIND_PAGE, "coverage", "各地区各年度公开情况"),
    ]
    for year in catalog.years():
        page = links.year_path(year)
        entries += [Entry(_slash(page), KIND_YEAR, str(year), f"{year}年"),
                    Entry(_slash(links.feed_path(page)), KIND_FEED, str(year), f"{year}年")]
    for key in catalog.tree.regions:
        page = links.region_path(key)
        name = catalog.tree.path_names(key)
        entries += [Entry(_slash(page), KIND_REGION, key, name),
                    Entry(_slash(links.feed_path(page)), KIND_FEED, key, name)]
    for plan in catalog.plans:
        entries.append(Entry(_slash(links.plan_path(plan.id)), KIND_PLAN, plan.id, plan.title))
        entries += [Entry(_slash(links.plan_path(alias)), KIND_ALIAS, plan.id, plan.title) for alias in plan.aliases]
    return {e.url: e for e in entries}


def parse_record(text: str) -> list[Entry]:
    entries = []
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in raw.rstrip("\r\n").split("\t")]
        url = fields[0] if fields[0].startswith("/") else "/" + fields[0]
        fields += [""] * 3
        entries.append(Entry(url, fields[1], fields[2], fields[3], number))
    return entries


def read_record(settings: Settings) -> list[Entry]:
    path = record_path(settings)
    if not path.is_file():
        return []
    return parse_record(path.read_text(encoding="utf-8-sig"))


def render_record(entries: Iterable[Entry]) -> str:
    """Sorted by URL, so the file only changes where URLs were added and diffs stay readable."""
    unique = {e.url: e for e in entries}
    return HEADER + "".join(unique[url].line_text() + "\n" for url in sorted(unique))


def _renamed_to(catalog: Catalog, entry: Entry) -> Plan | None:
    """A published plan that looks like the one the URL belonged to: same title, different id."""
    if not entry.label:
        return None
    return next((p for p in catalog.plans if p.title == entry.label and p.id != entry.owner), None)


def _plan_problem(catalog: Catalog, entry: Entry, record: str) -> Problem:
    old_id = entry.url.strip("/").split("/")[-1]
    withheld = next((w for w in catalog.withheld if w.plan.id in (old_id, entry.owner)), None)
    head = (f"网址 {entry.url} 已经发布过（计划“{entry.label or entry.owner}”），这次构建中不存在了，"
            "门户网站和读者保存的链接会失效。")
    if withheld is not None:
        plan = withheld.plan
        return error(plan.source, plan.line_of("status"),
                     f"{head}这个计划现在不公开（{withheld.reason}）。已经公开的计划不能收回为不公开："
                     "请恢复原来的有效性和发布日期；计划作废的，请写 status: 已撤回，页面会保留并注明已撤回。")
    renamed = _renamed_to(catalog, entry)
    if renamed is not None:
        return error(renamed.source, renamed.line_of("id"),
                     f"{head}看起来它的标识改成了 {renamed.id}。请在这个文件的头信息中加上曾用标识，例如："
                     f"aliases: [{old_id}]，旧网址会自动跳转到新页面。")
    return error(record, entry.line,
                 f"{head}如果改了计划的标识，请在改名后的计划头信息中加上曾用标识，例如：aliases: [{old_id}]，"
                 "旧网址会自动跳转到新页面；如果删除了计划，请恢复文件并写 status: 已撤回，页面会保留并注明已撤回；"
                 f"确需停用这个网址的，从 {record} 中删除这一行后提交。")


def _page_problem(entry: Entry, record: str, feeds: list[Entry]) -> Problem:
    what = {KIND_YEAR: "年度页", KIND_REGION: "地区页", KIND_FEED: "订阅"}.get(entry.kind, "网址")
    label = f"（{entry.label}）" if entry.label else ""
    also = f"，连同它的订阅 {'、'.join(f.url for f in feeds)}" if feeds else ""
    why = {KIND_YEAR: f"没有任何公开的计划属于 {entry.owner} 年", KIND_REGION: "没有任何公开的计划属于这个地区"}
    reason = why.get(entry.kind, "这个网址不存在了")
    lines = "这两行" if feeds else "这一行"
    return error(record, entry.line,
                 f"{what} {entry.url}{label}已经发布过{also}，这次构建中{reason}，门户网站和读者保存的链接会失效。"
                 "如果删除了计划，请恢复文件并写 status: 已撤回；如果改了计划的年度或地区等、确实要停用这个网址，"
                 f"请从 {record} 中删除{lines}后提交。")


def check_published_urls(catalog: Catalog, settings: Settings) -> list[Problem]:
    """One error for each recorded URL this catalog would no longer publish, saying how to keep it."""
    record = read_record(settings)
    if not record:
        return []
    current = current_urls(catalog)
    missing = [e for e in record if e.url not in current]
    missing_urls = {e.url for e in missing}
    name = RECORD_NAME
    problems = []
    for entry in missing:
        if entry.kind in (KIND_PLAN, KIND_ALIAS):
            problems.append(_plan_problem(catalog, entry, name))
            continue
        page = entry.url.removesuffix(links.FEED)
        if entry.url.endswith(links.FEED) and page in missing_urls and page != entry.url:
            continue  # reported with its page
        feeds = [f for f in missing if f.url == entry.url + links.FEED]
        problems.append(_page_problem(entry, name, feeds))
    return problems


def record_published_urls(catalog: Catalog, settings: Settings) -> str | None:
    """Add the URLs this catalog publishes to the record. Call only after a successful build.

    Returns a notice for the author when the file changed (it needs committing), None when it did not."""
    path = record_path(settings)
    old = read_record(settings)
    known = {e.url for e in old}
    added = [e for url, e in current_urls(catalog).items() if url not in known]
    text = render_record([*old, *added])
    existing = path.read_text(encoding="utf-8-sig") if path.is_file() else None
    if text == existing:
        return None
    path.write_text(text, encoding="utf-8")
    where = path.relative_to(settings.root) if path.is_relative_to(settings.root) else path
    if not added:
        return f"已整理网址记录 {where}，请随计划一起提交。"
    return f"网址记录 {where} 新增 {len(added)} 个网址，请随计划一起提交（git add {where}）。"
