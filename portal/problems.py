"""Problem: one error or warning about content, with its place, and its one output format.

Validators return their own problems (lists of `Problem`); a document is invalid when *its*
problems hold an error (`has_error`). `Problems` only collects a whole run's problems for the
report: nothing decides validity by counting it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

ERROR = "错误"
WARNING = "警告"

# What a Fix changes: a value, a key's name, or a whole line before YAML reads the file.
VALUE, KEY, LINE = "value", "key", "line"


@dataclass(frozen=True)
class Fix:
    """The correction a problem's "是否想写 …？" names, as data `build.py fix` can apply."""
    path: str          # the file, as in Problem.path
    line: int
    key: str           # dotted key path of the value or key ("" for a LINE fix)
    old: str           # the text as written: the value, the key, or the whole line
    new: str           # what it should be
    safe: bool = True  # unambiguous: `build.py fix` applies it
    kind: str = VALUE


@dataclass(frozen=True, order=True)
class Problem:
    path: str          # as shown to staff: relative to the working directory when inside it
    line: int
    level: str         # ERROR or WARNING
    key: str = ""      # dotted key path, e.g. "centre.windows[2].number"
    label: str = ""    # the key's Chinese label
    message: str = ""
    fix: Fix | None = field(default=None, compare=False)     # the suggestion in the message, if any
    detail: str = field(default="", compare=False)           # the parser's own words (--verbose)

    def format(self) -> str:
        where = f"{self.path}:{self.line}: {self.level}: "
        if self.key:
            return f"{where}{self.key}（{self.label}）: {self.message}" if self.label \
                else f"{where}{self.key}: {self.message}"
        return where + self.message

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def demoted(self, note: str) -> Problem:
        """This error as a warning with `note` added (a draft's errors), its fix kept."""
        return replace(self, level=WARNING, message=self.message + note)


def error(path: str, line: int, key: str, label: str, message: str, fix: Fix | None = None,
          detail: str = "") -> Problem:
    return Problem(path, max(line, 1), ERROR, key, label, message, fix, detail)


def warning(path: str, line: int, key: str, label: str, message: str, fix: Fix | None = None) -> Problem:
    return Problem(path, max(line, 1), WARNING, key, label, message, fix)


def guessed(message: str, new: str) -> str:
    """A message with the one correction a check is sure of: "…，是否想写 new？"."""
    return f"{message}，是否想写 {new}？"


def has_error(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


@dataclass
class Problems:
    """Collects problems from every stage so one run reports them all."""
    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, key: str, label: str, message: str) -> None:
        self.items.append(error(path, line, key, label, message))

    def warning(self, path: str, line: int, key: str, label: str, message: str) -> None:
        self.items.append(warning(path, line, key, label, message))

    def extend(self, other: Problems | Iterable[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))

    def lines(self) -> list[str]:
        return [p.format() for p in self.sorted()]
