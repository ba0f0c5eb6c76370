"""Web server configuration written into every built site (`.server/`), for nginx and for Apache.

A bureau's IT staff put the site behind the server they already run; what the site needs from it is generated here
from the site itself, so that it cannot drift from what was built: HTTP 301 from every former URL of a plan
(`aliases`) to the plan, the Chinese 404 page, the right type for every kind of file (an Atom feed is not `text/xml`),
compression, cache rules, and security headers with the same Content-Security-Policy the pages carry.

Cache rules, and why no cache can pair a new page with an old search index: files whose name carries a content hash
(the theme's `bundle.<hash>.min.js`) and the search index's shards (always requested with `?v=<index version>`, the
version taken from `search/manifest.json`) never change under their URL, so they are cached for a year; everything
else (pages, feeds, JSON, the manifest, planpub's own scripts and styles) is revalidated on every use
(`no-cache`: the browser keeps its copy but asks first, and the server answers `304` when nothing changed).

The folder `.server/` is inside the site so that it travels with each release (`planpub publish`); both
configurations refuse to serve any path with a part starting with a dot, the folder and the site's marker included."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from planpub.catalog import Catalog
from planpub.csp import site_policy
from planpub.portal import links
from planpub.problems import PlanpubError

SERVER_DIR = ".server"
NGINX_FILE = "nginx.conf"
APACHE_FILE = "apache.conf"

LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
REFERRER_POLICY = "strict-origin-when-cross-origin"

# What may appear in a path written into a server configuration: nothing that could end a directive, start a
# comment or a variable, or quote. Plan ids and aliases are already limited to these by the plan checks; this is
# the second line of defence, since a configuration is code the server runs.
_SAFE_PATH = re.compile(r"/(?:[A-Za-z0-9_.~-]+/)*")
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9_.~-]*")


@dataclass(frozen=True)
class Redirect:
    old: str
    """Site path of the former page folder, e.g. `plans/old-id/`."""
    new: str


@dataclass(frozen=True)
class ServerRules:
    """What a server must do for this site, independent of which server it is."""

    prefix: str
    """The URL path the site is served under: `/` or `/kjj/plans/` (from `site_url`)."""
    redirects: tuple[Redirect, ...]
    policy: str
    """The Content-Security-Policy of every page (`planpub.csp.site_policy`)."""


def site_prefix(site_url: str) -> str:
    """The path part of `site_url`, with a slash at each end; refused when it holds anything but plain characters."""
    path = urlsplit(site_url).path if site_url else "/"
    path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    if not _SAFE_PATH.fullmatch(path):
        raise PlanpubError(f"mkdocs.yml 中 site_url 的路径“{path}”含有字母、数字和 - _ . ~ 以外的字符，"
                           "无法写入服务器配置。请改用只含这些字符的路径。")
    return path


def plan_redirects(catalog: Catalog) -> tuple[Redirect, ...]:
    """Every former URL of a published plan, to the plan's page."""
    found = []
    for plan in catalog.plans:
        for alias in plan.aliases:
            if _SAFE_SEGMENT.fullmatch(alias) and _SAFE_SEGMENT.fullmatch(plan.id):
                found.append(Redirect(links.plan_path(alias), links.plan_path(plan.id)))
    return tuple(sorted(found, key=lambda r: r.old))


def server_rules(catalog: Catalog, site_url: str, site_dir: Path) -> ServerRules:
    return ServerRules(site_prefix(site_url), plan_redirects(catalog), site_policy(site_dir))


def _regex_prefix(prefix: str) -> str:
    return re.escape(prefix).replace("\\/", "/")


def _nginx_headers(rules: ServerRules, cache: str) -> list[str]:
    return [
        f'add_header Content-Security-Policy "{rules.policy}" always;',
        "add_header X-Content-Type-Options nosniff always;",
        f"add_header Referrer-Policy {REFERRER_POLICY} always;",
        f'add_header Cache-Control "{cache}" always;',
    ]


def _nginx_location(match: str, body: Iterable[str]) -> list[str]:
    return [f"location {match} {{", *(f"    {line}" for line in body), "}"]


def nginx_config(rules: ServerRules) -> str:
    """Directives for inside a `server { … }` block whose `root` holds the site at `rules.prefix`."""
    p = rules.prefix
    rp = _regex_prefix(p)
    lines = [
        "# planpub 生成的 nginx 配置：在 server { … } 中设置 root 后用 include 引入本文件（见 README“部署”一节）。",
        "# 每次构建重新生成，请不要手工修改。",
        "absolute_redirect off;",
        "charset utf-8;",
        "charset_types text/css text/plain text/xml text/csv application/javascript application/json "
        "application/atom+xml application/xml;",
        "gzip on;",
        "gzip_vary on;",
        "gzip_comp_level 5;",
        "gzip_min_length 256;",
        "gzip_types text/css text/plain text/xml text/csv application/javascript application/json "
        "application/atom+xml application/xml image/svg+xml;",
        f"error_page 404 {p}404.html;",
        "",
        "# 以“.”开头的文件和文件夹（本配置、网站标记）不对外提供。",
    ]
    lines += _nginx_location(r"~ /\.(?!well-known/)", ["return 404;"])
    if rules.redirects:
        lines += ["", "# 计划的曾用网址（aliases）永久转到计划页。"]
    for redirect in rules.redirects:
        new = f"{p}{redirect.new}"
        for old in (redirect.old, redirect.old.rstrip("/"), redirect.old + "index.html"):
            lines += _nginx_location(f"= {p}{old}", [f"return 301 {new};"])
    lines += ["", "# 文件名带内容哈希的主题文件、按版本号请求的搜索索引：内容不变，可长期缓存。"]
    # Quoted: a regular expression with braces would otherwise end the directive.
    lines += _nginx_location(fr'~ "^{rp}(assets/.+\.[0-9a-f]{{8,}}\.min\.(js|css)|search/.+\.bin)$"',
                             _nginx_headers(rules, LONG_CACHE))
    lines += ["", "# Atom 订阅。"]
    lines += _nginx_location(fr"~ ^{rp}(.+/)?feed\.xml$",
                             ["types { }", "default_type application/atom+xml;", *_nginx_headers(rules, REVALIDATE)])
    lines += _nginx_location(fr"~ ^{rp}.+\.csv$",
                             ["types { }", "default_type text/csv;", *_nginx_headers(rules, REVALIDATE)])
    lines += ["", "# 页面、JSON、订阅和其余文件：每次使用前向服务器确认是否有更新。"]
    # No try_files: nginx itself answers a folder asked for without its slash with a 301 to the slash, so that the
    # page's relative links resolve.
    lines += _nginx_location(p, _nginx_headers(rules, REVALIDATE))
    return "\n".join(lines) + "\n"


def apache_config(rules: ServerRules) -> str:
    """Directives for a `<Directory>` block of the site's folder, or the site's `.htaccess` (AllowOverride All)."""
    p = rules.prefix
    rp = _regex_prefix(p)
    lines = [
        "# planpub 生成的 Apache 配置：放进网站文件夹的 <Directory> 段（Include），或复制为网站根目录的 .htaccess。",
        "# 需要 mod_alias、mod_headers、mod_deflate、mod_mime。每次构建重新生成，请不要手工修改。",
        f"ErrorDocument 404 {p}404.html",
        "AddDefaultCharset utf-8",
        "AddCharset utf-8 .css .js .json .xml .csv .txt",
        "AddType application/json .json",
        "AddType text/csv .csv",
        '<Files "feed.xml">',
        "    ForceType application/atom+xml",
        "</Files>",
        "<IfModule mod_alias.c>",
        r'    RedirectMatch 404 "/\.(?!well-known/)"',
    ]
    for redirect in rules.redirects:
        old = _regex_prefix(f"{p}{redirect.old}")
        lines.append(f'    RedirectMatch 301 "^{old}?(index\\.html)?$" "{p}{redirect.new}"')
    lines += [
        "</IfModule>",
        "<IfModule mod_deflate.c>",
        "    AddOutputFilterByType DEFLATE text/html text/css text/plain text/xml text/csv application/javascript "
        "application/json application/atom+xml application/xml image/svg+xml",
        "</IfModule>",
        "<IfModule mod_headers.c>",
        f'    Header always set Content-Security-Policy "{rules.policy}"',
        "    Header always set X-Content-Type-Options nosniff",
        f"    Header always set Referrer-Policy {REFERRER_POLICY}",
        f'    Header set Cache-Control "{REVALIDATE}"',
        fr'    <If "%{{REQUEST_URI}} =~ m#^{rp}(assets/.+\.[0-9a-f]{{8,}}\.min\.(js|css)|search/.+\.bin)$#">',
        f'        Header set Cache-Control "{LONG_CACHE}"',
        "    </If>",
        "</IfModule>",
    ]
    return "\n".join(lines) + "\n"


def write_server_config(catalog: Catalog, site_url: str, site_dir: Path) -> ServerRules:
    """Writes `.server/nginx.conf` and `.server/apache.conf` into a finished site (its pages all written)."""
    rules = server_rules(catalog, site_url, site_dir)
    folder = site_dir / SERVER_DIR
    folder.mkdir(exist_ok=True)
    (folder / NGINX_FILE).write_text(nginx_config(rules), encoding="utf-8")
    (folder / APACHE_FILE).write_text(apache_config(rules), encoding="utf-8")
    return rules
