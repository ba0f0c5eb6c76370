"""A plan's section headings with the anchors the rendered page gives them, read from the Markdown so that
the JSON catalogue does not depend on the rendered HTML (which other build processes may produce)."""

from __future__ import annotations

from dataclasses import dataclass

from planpub.pages import body_markdown
from planpub.plan import Plan
from planpub.search.sections import split_sections


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def plan_headings(plan: Plan) -> list[Heading]:
    """Headings below the title, in page order, with their levels on the page: the search index's reading of
    the body (`split_sections`) is the one place that knows how the page names its sections."""
    return [Heading(s.level, s.heading, s.anchor) for s in split_sections(plan.title, body_markdown(plan))
            if s.anchor is not None]
