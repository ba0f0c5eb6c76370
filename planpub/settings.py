"""Site settings that the domain needs, read from `extra.planpub` in mkdocs.yml without importing MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from planpub.problems import PlanpubError, error
from planpub.regions import PlaceConfig
from planpub.schema import DEFAULT_CATEGORIES


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even where it holds `!!python/name:` or `!ENV` tags that only MkDocs resolves."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_TolerantLoader.add_multi_constructor("", _ignore_tag)  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Settings:
    root: Path
    """The folder of mkdocs.yml; relative paths are taken from here, never from the working directory."""
    plans_dir: Path
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    site_name: str = "计划公开"
    site_url: str = ""
    home_latest: int = 10
    extra: dict[str, Any] = field(default_factory=dict)
    docs_dir: Path | None = None
    """The site's own sources (mkdocs.yml `docs_dir`), which no build may overwrite."""
    places: PlaceConfig = field(default_factory=PlaceConfig)
    """`extra.planpub.places`: regions outside GB/T 2260, validated with the plans (`planpub.regions`)."""
    search_equivalents: tuple[tuple[str, ...], ...] = ()
    """`extra.planpub.search_equivalents`: the site's groups of names a search treats as one
    (`planpub.search.equivalents`)."""

    def with_plans_dir(self, folder: str | Path) -> Settings:
        return replace(self, plans_dir=Path(folder).resolve())


def settings_from_mapping(root: Path, config: dict[str, Any], place_lines: tuple[int, ...] = (),
                          equivalents_lines: tuple[int, ...] = ()) -> Settings:
    # Imported here: planpub.search imports this module's neighbours, not the other way round.
    from planpub.search.equivalents import SETTING, site_groups

    extra = config.get("extra") or {}
    ours = extra.get("planpub") or {}
    categories = ours.get("categories") or DEFAULT_CATEGORIES
    return Settings(
        root=root,
        plans_dir=(root / str(ours.get("plans_dir", "plans"))).resolve(),
        categories=tuple(str(c) for c in categories),
        site_name=str(config.get("site_name") or "计划公开"),
        site_url=str(config.get("site_url") or ""),
        home_latest=int(ours.get("home_latest", 10)),
        extra=dict(ours),
        docs_dir=(root / str(config.get("docs_dir") or "docs")).resolve(),
        places=PlaceConfig(ours.get("places"), "mkdocs.yml", place_lines),
        search_equivalents=site_groups(ours.get(SETTING), root / "mkdocs.yml", equivalents_lines),
    )


def place_lines(config_file: Path) -> tuple[int, ...]:
    """The lines of `extra.planpub.places` in a config file the engine has read (for the engine's own builds)."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    return _place_lines(text) if "places" in text else ()


def _place_lines(text: str, setting: str = "places") -> tuple[int, ...]:
    """The line of `extra.planpub.<setting>` and of each of its items, so that messages can point at them."""
    try:
        node = yaml.compose(text, Loader=_TolerantLoader)  # type: ignore[no-untyped-call]
    except yaml.YAMLError:
        return ()
    for key in ("extra", "planpub", setting):
        if not isinstance(node, yaml.MappingNode):
            return ()
        node = next((value for name, value in node.value if name.value == key), None)
    if node is None:
        return ()
    if isinstance(node, yaml.SequenceNode):
        return tuple(item.start_mark.line + 1 for item in node.value) or (node.start_mark.line + 1,)
    return (node.start_mark.line + 1,)


def load_settings(config_file: Path) -> Settings:
    try:
        text = config_file.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_TolerantLoader)
    except FileNotFoundError:
        raise PlanpubError("找不到配置", [error(config_file, 0, "找不到站点配置文件 mkdocs.yml。"
                                                             "请在项目根目录运行，或用 --config 指定。")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PlanpubError("配置格式错误", [error(config_file, mark.line + 1 if mark else 0,
                                                   "mkdocs.yml 不是有效的 YAML，请检查缩进和冒号。")]) from None
    lines = _place_lines(text) if "places" in text else ()
    equivalents = _place_lines(text, "search_equivalents") if "search_equivalents" in text else ()
    return settings_from_mapping(config_file.parent.resolve(), data or {}, lines, equivalents)


def find_config(start: Path | None = None) -> Path:
    """mkdocs.yml in the given folder or its parents, so `planpub` works from anywhere inside a project."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return here / "mkdocs.yml"
