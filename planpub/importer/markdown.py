"""The plan body as Markdown: headings at the depths the document's numbering calls for, text escaped."""

from __future__ import annotations

import re
from collections.abc import Callable

from planpub.importer.structure import Heading, Node, Paragraph, Table, heading_depths

_INLINE = re.compile(r"([\\`*_~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)](?=\s))")
_ATTR = re.compile(r"\{(?=[:#.])")
_HTML = re.compile(r"<(?=[A-Za-z/!?])")
_DEEPEST = 6


def escape_inline(text: str) -> str:
    """Plain text that Markdown shows as written: `**` in `区委区**` is a masked name, not bold."""
    text = _INLINE.sub(r"\\\1", text)
    text = _ATTR.sub(r"\\{", text)
    return _HTML.sub("&lt;", text)


def escape(text: str) -> str:
    """Inline escapes, and a line start that would read as a heading, quote or list item."""
    text = escape_inline(text)
    return _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                   else m.group(2)[:-1] + "\\" + m.group(2)[-1]), text)


def _cell(text: str) -> str:
    return escape(text).replace("|", "\\|") or " "


def _table(rows: tuple[tuple[str, ...], ...], convert: Callable[[str], str]) -> str:
    width = max(len(row) for row in rows)
    padded = [[convert(cell) for cell in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(_cell(cell) for cell in padded[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in padded[1:]]
    return "\n".join(lines)


def render_body(nodes: list[Node], convert: Callable[[str], str] = str, raw: bool = False) -> str:
    """`convert` maps text to the script the plan keeps; `raw` leaves text that is already Markdown alone."""
    depths = heading_depths(nodes)
    out = escape if not raw else (lambda text: text)
    out_heading = escape_inline if not raw else (lambda text: text)
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Heading):
            text = out_heading(convert(node.label + node.text))
            depth = depths[node.rank]
            parts.append(f"{'#' * depth} {text}" if depth <= _DEEPEST else f"**{text}**")
        elif isinstance(node, Paragraph):
            text = out(convert(node.text))
            parts.append(f"**{text}**" if node.bold else text)
        elif isinstance(node, Table):
            parts.append(_table(node.rows, convert))
    return "\n\n".join(parts) + "\n"
