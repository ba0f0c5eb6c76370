"""Small facts about Chinese text that several import steps share."""

from __future__ import annotations

import re

SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』)）】〕]"
_PLAN_WORDS = ("行动计划", "工作计划", "工作要点", "实施方案", "工作方案", "行动方案", "规划", "计划", "要点", "方案",
              "安排", "意见")
_PLAN_WORD = "|".join(_PLAN_WORDS)
_TITLE_LIKE = re.compile(rf"(?:{_PLAN_WORD}|总结|报告|范文|材料|汇报|讲话|通知|制度|办法)")


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence (or a lead-in such as “如下：”), ignoring closing quotes and brackets."""
    stripped = text.rstrip().rstrip(CLOSERS)
    if not stripped:
        return True
    return stripped[-1] in SENTENCE_END + ":：" or (stripped[-1] == "." and not stripped[-2:-1].isdigit())


def has_sentence_punctuation(text: str) -> bool:
    return any(c in SENTENCE_END for c in text.rstrip("。.；;"))


def is_title_like(text: str, limit: int = 50) -> bool:
    """A short line without sentence punctuation that names a document, e.g. “科技局2023年工作计划”."""
    return (0 < len(text) <= limit and not any(c in text for c in "。！？!?，,；;")
            and bool(_TITLE_LIKE.search(text)))


def excerpt(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
