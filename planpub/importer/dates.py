"""Dates as documents write them: 2024年3月27日, 2024-03-27, 二〇二三年四月十一日 (also with ○ or O for zero),
and a signature date whose 年 月 日 the copy lost (2024327), read only when a single reading is a real date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from planpub.importer.markers import chinese_number
from planpub.schema import YEAR_MAX, YEAR_MIN

_ZERO = "〇○◯OoＯ０零"
_CN_YEAR_DIGIT = f"一二三四五六七八九{_ZERO}"
_CN_DAY = "一二三四五六七八九十"
_WRITTEN = re.compile(rf"(\d{{4}}|[{_CN_YEAR_DIGIT}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_DAY}]{{1,3}})\s*月\s*"
                      rf"(\d{{1,2}}|[{_CN_DAY}]{{1,3}})\s*日")
_NUMERIC = re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
_RUN_TOGETHER = re.compile(r"^(\d{4})(\d{2,4})$")
_DATE_LINE = re.compile(rf"^[(（]?\s*(?:{_WRITTEN.pattern}|{_NUMERIC.pattern})\s*[)）]?$")


@dataclass(frozen=True)
class Found:
    date: dt.date
    repaired: str = ""
    """What was restored, for the report (a run-together date); empty when the date was written out."""


def year_number(text: str) -> int:
    """2024 or 二〇二四 / 二○二四."""
    if text.isdigit():
        return int(text)
    return int("".join("0" if c in _ZERO else str(_CN_YEAR_DIGIT.index(c) + 1) for c in text))


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> dt.date | None:
    year, month, day = match.groups()
    return _make(year_number(year), chinese_number(month), chinese_number(day))


def find_date(text: str) -> dt.date | None:
    """The first written-out date anywhere in a text."""
    for pattern in (_WRITTEN, _NUMERIC):
        match = pattern.search(text)
        if match:
            date = _from_match(match)
            if date:
                return date
    return None


def date_line(text: str) -> Found | None:
    """A line that is only a date (a signature date), including one that lost its 年 月 日."""
    stripped = text.strip()
    if _DATE_LINE.match(stripped):
        date = find_date(stripped)
        return Found(date) if date else None
    run = _RUN_TOGETHER.match(stripped)
    if not run:
        return None
    year, rest = int(run.group(1)), run.group(2)
    readings = set()
    for cut in range(1, len(rest)):
        month, day = rest[:cut], rest[cut:]
        if len(month) <= 2 and len(day) <= 2:
            date = _make(year, int(month), int(day))
            if date:
                readings.add(date)
    if len(readings) != 1:
        return None
    date = readings.pop()
    return Found(date, f"把落款日期“{stripped}”读作 {date.year}年{date.month}月{date.day}日")
