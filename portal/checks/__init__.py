"""Domain rules Chinese government sites are inspected against, one module per family.

Each check is a plain function `check(site, problems, ctx)` called explicitly from `run`; no
plugin machinery. Rules that depend on today's date report through `ctx.dated`, which makes
them warnings on a sample site (DESIGN §6) and errors on a real one.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Site
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


def run(site: Site, problems: Problems, calendar: Calendar) -> None:
    from . import disclosure, freshness, items, privacy, results
    ctx = Context(calendar, bool(site.config.get("sample")))
    items.check(site, problems, ctx)
    results.check(site, problems, ctx)
    disclosure.check(site, problems, ctx)
    freshness.check(site, problems, ctx)
    privacy.check(site, problems, ctx)
