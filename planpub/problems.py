"""Problems found in an author's input, and the one exception type that carries them to the user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(path: str | Path, line: int, message: str) -> Problem:
    return Problem(str(path), line, Severity.ERROR, message)


def warning(path: str | Path, line: int, message: str) -> Problem:
    return Problem(str(path), line, Severity.WARNING, message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.severity.name, p.message))


class PlanpubError(Exception):
    """An error the author can fix; its message is Chinese and printed without a traceback."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)
