"""What every domain check is given besides the site: the working-day calendar and whether the
content is sample data (DESIGN §6: dated rules are warnings on a sample site)."""
from __future__ import annotations

from dataclasses import dataclass

from ..problems import Problems
from ..workdays import Calendar


@dataclass(frozen=True)
class Context:
    calendar: Calendar
    sample: bool

    def dated(self, problems: Problems, path: str, line: int, key: str, label: str,
              message: str) -> None:
        """A rule that depends on today's date: an error, or a warning on sample data."""
        if self.sample:
            problems.warning(path, line, key, label, message + "（示例数据，按警告处理）")
        else:
            problems.error(path, line, key, label, message)
