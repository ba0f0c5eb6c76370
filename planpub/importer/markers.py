"""The numbering of Chinese official documents: 第一章, 一、, （一）, 1., （1）, ①, from the top level down."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """The customary order of numbering levels (GB/T 9704); the value is the nesting depth."""

    CHAPTER = 0
    CN = 1
    PAREN_CN = 2
    ARABIC = 3
    PAREN_ARABIC = 4
    CIRCLED = 5


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "[一二三四五六七八九十]{1,3}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A bare number followed by one of these counts something (5家, 3年) rather than numbering a heading.
_MEASURES = set("年月日号时分秒个家项人名次件所亿万千百元角倍户亩台套座篇场批类种条天届位期章节部点米吨"
                "度岁周份只辆张本枚间栋层级轮支股成折")

_PATTERNS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (Level.CHAPTER, re.compile(r"第\s*([一二三四五六七八九十百零〇\d]{1,4})\s*(章|部分)\s*")),
    # Not 三、四季度: two numerals in a row count quarters or months.
    (Level.CN, re.compile(rf"({_CN_NUMBER})\s*[、.．]\s*(?![一二三四五六七八九十]{{1,2}}(?:季|个|月|次))")),
    (Level.PAREN_CN, re.compile(rf"[(（]\s*({_CN_NUMBER}|[-－—–―])\s*[)）]\s*")),
    (Level.PAREN_ARABIC, re.compile(r"[(（]\s*(\d{1,2})\s*[)）]\s*")),
    (Level.PAREN_ARABIC, re.compile(r"(\d{1,2})\s*[)）]\s*(?![\d)）])")),
    (Level.ARABIC, re.compile(r"(\d{1,2})\s*[.．、]\s*(?![\d.．])")),
    (Level.CIRCLED, re.compile(rf"([{_CIRCLED}])\s*")),
)
_BARE = re.compile(r"(\d{1,2})(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Marker:
    level: Level
    number: int
    length: int
    """Characters the marker takes in the text, separator and spaces included."""
    explicit: bool = True
    """False for a bare number run into its heading (`1加快…`), which needs more evidence to count."""
    repaired: str = ""
    """The marker as written when it was misread (`(-)` for `（一）`)."""
    unit: str = "章"
    """章 or 部分, for the chapter level."""

    @property
    def label(self) -> str:
        """The marker in the customary form, e.g. 一、 （一） 1. （1） ①."""
        if self.level is Level.CHAPTER:
            return f"第{to_chinese(self.number)}{self.unit} "
        if self.level is Level.CN:
            return f"{to_chinese(self.number)}、"
        if self.level is Level.PAREN_CN:
            return f"（{to_chinese(self.number)}）"
        if self.level is Level.ARABIC:
            return f"{self.number}. "
        if self.level is Level.PAREN_ARABIC:
            return f"（{self.number}）"
        return _CIRCLED[self.number - 1]


def chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        return _CN_DIGITS.get(hundreds, 1) * 100 + (chinese_number(rest) if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def to_chinese(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def match_marker(text: str, pos: int = 0) -> Marker | None:
    for level, pattern in _PATTERNS:
        match = pattern.match(text, pos)
        if not match or match.end() >= len(text):
            continue
        raw = match.group(1)
        if level is Level.PAREN_CN and raw[0] not in "一二三四五六七八九十":
            return Marker(level, 1, match.end() - pos, repaired=match.group(0).strip())
        if level is Level.CHAPTER:
            return Marker(level, chinese_number(raw), match.end() - pos, unit=match.group(2))
        number = _CIRCLED.index(raw) + 1 if level is Level.CIRCLED else chinese_number(raw)
        if number == 0:
            return None
        return Marker(level, number, match.end() - pos)
    bare = _BARE.match(text, pos)
    if bare and text[bare.end()] not in _MEASURES and int(bare.group(1)) > 0:
        return Marker(Level.ARABIC, int(bare.group(1)), bare.end() - pos, explicit=False)
    return None


def starts_with_marker(text: str) -> bool:
    return match_marker(text) is not None
