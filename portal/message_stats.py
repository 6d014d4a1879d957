"""留言统计 files (content/liuyan/<YYYY-MM>.yaml, portal.schema.messages): each checked on its own
against the schema and against itself (the counts add up; the dates fall in their month), and
the views the portal and the annual report show: per community and month, received, replied,
on time and the average working days to reply. Both the builder (portal.config) and the
survey service's publish step run `check`, so publish never writes a file the build refuses.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import problems as P
from . import schema
from .items import Record
from .load import RawDoc
from .problems import Problem
from .references import ref_problems
from .validate import check_fields

FOLDER = schema.MESSAGE_STATS.folder
PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
UNANSWERED_LIMIT_DAYS = 92      # 国办秘函〔2019〕19号: a message unanswered for more than 3 months


def check(doc: RawDoc, known: frozenset[str]) -> tuple[Record, list[Problem]]:
    """The record of one 留言统计 file and every problem in it."""
    checked = check_fields(schema.MESSAGE_STATS.fields, doc.data, doc.path)
    rec, lines = checked.record, checked.lines
    found = list(checked.problems) + ref_problems(checked.refs, doc.path, known)
    if P.has_error(found):
        return rec, found

    def err(key: str, label: str, message: str) -> None:
        found.append(P.error(doc.path, lines.get(key, 1), key, label, message))

    m = PERIOD_RE.match(rec.period)
    if m is None:
        err("period", "月份", f"“{rec.period}”应写成 YYYY-MM，如 2026-10")
        return rec, found
    stem = doc.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem != rec.period:
        err("period", "月份", f"文件名应为 {rec.period}.yaml")
    if rec.as_of < dt.date(int(m[1]), int(m[2]), 1):
        err("as_of", "统计截至", f"统计截至 {rec.as_of} 早于 {rec.period} 月初")
    _check_counts(rec, err)
    _check_entries(rec, err)
    # Where the file and its entries are, for the dated checks (portal.checks.items).
    return Record({**rec, "file": doc.path, "lines": dict(lines)}), found


def _check_counts(rec: Record, err: Callable[[str, str, str], None]) -> None:
    seen: set[str] = set()
    for i, s in enumerate(rec.stats, 1):
        key = f"stats[{i}]"
        if s.community in seen:
            err(key + ".community", "社区", f"社区 {s.community} 重复，请合并为一行")
        seen.add(s.community)
        if s.replied > s.received:
            err(key + ".replied", "已答复", f"已答复 {s.replied} 条多于收到的 {s.received} 条")
        if s.on_time > s.replied:
            err(key + ".on_time", "按期答复", f"按期答复 {s.on_time} 条多于已答复的 {s.replied} 条")
    published = len(rec.messages or ())
    if published > sum(s.replied for s in rec.stats):
        err("messages", "公开的留言", f"公开的留言 {published} 条多于已答复的留言")


def _check_entries(rec: Record, err: Callable[[str, str, str], None]) -> None:
    """Published and unanswered messages: in the file's month, of a unit the counts name."""
    units = {s.community for s in rec.stats}
    for name, entries in (("messages", rec.messages), ("unanswered", rec.unanswered)):
        for i, e in enumerate(entries or (), 1):
            key = f"{name}[{i}]"
            if e.received.strftime("%Y-%m") != rec.period:
                err(key + ".received", "留言日期", f"{e.received} 不在 {rec.period} 月内")
            if e.community not in units:
                err(key + ".community", "办理单位", f"{e.community} 不在本月的各社区统计中")
            replied = getattr(e, "replied", None)
            if replied is not None and replied < e.received:
                err(key + ".replied", "答复日期", "答复日期早于留言日期")


@dataclass(frozen=True)
class Row:
    """One line of 留言统计: a community in a month, or a total."""
    period: str
    community: str
    received: int
    replied: int
    on_time: int
    reply_days: int

    @property
    def average_days(self) -> str:
        """Average working days to reply, one decimal ("—" when nothing was answered)."""
        return f"{self.reply_days / self.replied:.1f}" if self.replied else "—"


def rows(files: Mapping[str, Record]) -> list[Row]:
    """Per community and month, newest month first, communities in file order."""
    return [Row(period, s.community, s.received, s.replied, s.on_time, s.reply_days)
            for period in sorted(files, reverse=True) for s in files[period].stats]


def total(lines: Iterable[Row], period: str = "", community: str = "") -> Row:
    """The sum of some rows (e.g. a year's, for the annual report: periods starting with it)."""
    chosen = list(lines)
    return Row(period, community, sum(r.received for r in chosen), sum(r.replied for r in chosen),
               sum(r.on_time for r in chosen), sum(r.reply_days for r in chosen))


def year_total(files: Mapping[str, Record], year: int) -> Row:
    """A year's 留言 statistics (for the annual report)."""
    return total((r for r in rows(files) if r.period.startswith(f"{year}-")), str(year))


def unanswered_too_long(files: Mapping[str, Record], today: dt.date) -> list[tuple[str, int, Record]]:
    """(file, line, entry) of every message still unanswered more than 3 months after it came."""
    return [(rec.file, rec.lines.get(f"unanswered[{i}]", 1), e)
            for _, rec in sorted(files.items()) for i, e in enumerate(rec.unanswered or (), 1)
            if (today - e.received).days > UNANSWERED_LIMIT_DAYS]


def view(files: Mapping[str, Record], community_name: Callable[[str], str]) -> dict[str, Any]:
    """What /hdjl/liuyan/ shows: each month's total and its communities, and the published
    messages newest first (names resolved here: templates only format)."""
    months = []
    for period in sorted(files, reverse=True):
        lines = [r for r in rows(files) if r.period == period]
        months.append({"period": period, "label": f"{period[:4]}年{int(period[5:])}月",
                       "as_of": files[period].as_of, "total": total(lines, period),
                       "rows": [(community_name(r.community), r) for r in lines]})
    published = [{"entry": e, "community_name": community_name(e.community)}
                 for period in sorted(files, reverse=True)
                 for e in sorted(files[period].messages or (), key=lambda e: e.received, reverse=True)]
    return {"months": months, "messages": published, "overall": total(rows(files))}
