"""公示 periods: a 公示 shorter than the minimum for what it publicises is an error (a 低保
公示 of 5 days has to be run again). The minimums are site.yaml's `notice_minimums`, or the
national rules in schema.NOTICE_MINIMUM_DEFAULTS (sources there); a notice's title says which
applies.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import schema
from ..items import Item
from ..model import Site
from ..problems import Problems
from ..workdays import Calendar, UnknownYear
from .context import Context

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Minimum:
    name: str
    keywords: tuple[str, ...]
    days: int
    workdays: bool
    basis: str

    @property
    def unit(self) -> str:
        return "个工作日" if self.workdays else "天"

    def length(self, start: dt.date, end: dt.date, calendar: Calendar) -> int:
        """Days (or working days) from start to end, both included."""
        return calendar.between(start - ONE_DAY, end) if self.workdays else (end - start).days + 1

    def earliest_end(self, start: dt.date, calendar: Calendar) -> dt.date:
        return calendar.add(start - ONE_DAY, self.days) if self.workdays else start + dt.timedelta(days=self.days - 1)


def minimums(config: Mapping[str, Any]) -> tuple[Minimum, ...]:
    """The minimums in force: site.yaml's, or the defaults."""
    configured = config.get("notice_minimums") or ()
    if configured:
        return tuple(Minimum(m.name, tuple(m.keywords), m.days, bool(m.workdays), m.basis or "") for m in configured)
    return tuple(Minimum(d["name"], tuple(d["keywords"]), d["days"], d["workdays"], d["basis"])
                 for d in schema.NOTICE_MINIMUM_DEFAULTS)


def minimum_for(title: str, rules: tuple[Minimum, ...]) -> Minimum | None:
    """The first minimum one of whose keywords is in the title."""
    return next((m for m in rules if any(k in title for k in m.keywords)), None)


def check(site: Site, problems: Problems, ctx: Context) -> None:
    rules = minimums(site.config)
    for n in site.to_check("notice"):
        period = n.notice_period
        if n.kind != "公示" or not period or period.end < period.start or n.withdrawn:
            continue                    # a missing or reversed period is reported by items.notices
        rule = minimum_for(n.title, rules)
        if rule is not None:
            _period(n, rule, problems, ctx)


def _period(n: Item, rule: Minimum, problems: Problems, ctx: Context) -> None:
    start, end = n.notice_period.start, n.notice_period.end
    try:
        have, earliest = rule.length(start, end, ctx.calendar), rule.earliest_end(start, ctx.calendar)
    except UnknownYear as e:
        problems.error(n.file, n.line_of("notice_period.end"), "notice_period.end", "结束日期",
                       f"没有 {e.year} 年的工作日历，无法核对公示期：请在 content/calendar/{e.year}.yaml 中补充")
        return
    if have < rule.days:
        basis = f"（{rule.basis}）" if rule.basis else ""
        problems.error(n.file, n.line_of("notice_period.end"), "notice_period.end", "结束日期",
                       f"{rule.name}的公示期不少于 {rule.days} {rule.unit}{basis}，这里从 {start} 到 {end} "
                       f"只有 {have} {rule.unit}：结束日期最早应为 {earliest}")
