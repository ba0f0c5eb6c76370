"""A plan's section headings with the anchors the rendered page gives them, read from the Markdown so that
the JSON catalogue does not depend on the rendered HTML (which other build processes may produce).

The headings are those of the search index's reading of the body (`planpub.search.sections.split_sections`):
same lines, same text, same anchors. Only the heading lines are read here, because the JSON of every plan is
written on every build and the section text it does not need is most of the cost of that reading; the tests
hold the two readings equal over the sample plans and a corpus of awkward headings."""

from __future__ import annotations

from dataclasses import dataclass

from planpub.anchors import unique_slugs
from planpub.pages import body_markdown
from planpub.plan import Plan
from planpub.search.sections import ATX, FENCE, heading_parts, inline_text


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def _heading_lines(body: str) -> list[tuple[int, str, str | None]]:
    """The ATX headings of a Markdown body that are not inside a fenced block, in order: level, Markdown text
    and explicit id."""
    found = []
    fence: str | None = None
    for raw in body.splitlines():
        # A fence or a heading starts after at most three spaces; any other line cannot change what follows.
        lead = raw[:4]
        if "#" not in lead and "`" not in lead and "~" not in lead:
            continue
        fence_match = FENCE.match(raw)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        heading = ATX.match(raw)
        if heading:
            found.append((len(heading.group(1)), *heading_parts(heading)))
    return found


def headings_of(title: str, body: str) -> list[Heading]:
    """Headings below the title, in page order, with their levels and the ids the page gives them: the page's h1
    (the title) takes its slug first, and a heading with an explicit `{#id}` keeps it."""
    lines = _heading_lines(body)
    texts = [inline_text(markdown) for _, markdown, _ in lines]
    implicit = iter(unique_slugs([title] + [t for t, (_, _, explicit) in zip(texts, lines, strict=True)
                                            if explicit is None])[1:])
    return [Heading(level, text, explicit or next(implicit))
            for text, (level, _, explicit) in zip(texts, lines, strict=True)]


def plan_headings(plan: Plan) -> list[Heading]:
    """A plan's headings as its page shows them (a body with its own h1 is pushed below the title)."""
    return headings_of(plan.title, body_markdown(plan))
