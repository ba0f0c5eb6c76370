"""Masked and placeholder text: what a document-sharing site or a template leaves where a real value was
(`20xx`, `XX县`, `××`, `某某`, `[X]`, `待补充`). The importer reads around it; `planpub check` keeps it from
being published."""

from __future__ import annotations

import re

from planpub.schema import PLACEHOLDER

MASK = re.compile(r"20[xX×＊*]{2}|[xX×＊*]{2,}|[\[［【][xX×＊*]{1,3}[\]］】]|[○□]{2,}|某某|"
                  r"(?<![A-Za-z0-9])[xXＸ×](?=[省市州县区旗镇乡街局委厅办年月日号])")
# In a plan's body also the importer's placeholder and “某市”-style stand-ins for a named place.
_BODY_MASK = re.compile(MASK.pattern + rf"|{PLACEHOLDER}|某[省市州县区镇乡]")
# Markdown emphasis (`**重点**`) and escaped asterisks are not masks.
_EMPHASIS = re.compile(r"(?<!\\)\*\*")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MAX_REPORTED = 20


def masked_in_body(body: str, body_line: int = 1) -> list[tuple[int, str]]:
    """Each masked or placeholder value in a Markdown body, with its line in the file; code blocks and link
    targets are left out (a URL may hold `xx`)."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if opening:
            mark = opening.group(1)
            fence = None if fence is not None and mark[0] == fence[0] else (fence or mark)
            continue
        if fence is not None:
            continue
        plain = re.sub(r"\]\([^)]*\)|<[a-z][^>]*>", "", line)
        plain = _EMPHASIS.sub("", plain).replace("\\*", "*")
        for match in _BODY_MASK.finditer(plain):
            found.append((body_line + offset, match.group(0)))
            if len(found) == _MAX_REPORTED:
                return found
    return found
