"""The disclosure calendar: for every catalogue item × community it applies to × period due
since its `since`, when the record is due and whether it was published in time.

Pure: computed once from the Site; the checks report on it and the /dwgk/ /jwgk/ /cwgk/ pages
show it, so residents see gaps too.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .committees import Subject, applies
from .disclosure import FREQUENCY_KIND, Period, periods_between
from .items import Item, Record
from .workdays import Calendar, UnknownYear

EVENT_DEFAULT_DAYS = 20   # 政府信息公开条例 第二十六条: within 20 working days of forming
SOON_DAYS = 5             # warn when a record falls due within 5 working days

STATE_LABELS = {"published": "已按时公开", "late": "逾期公开", "overdue": "逾期未公开",
                "due": "即将到期", "pending": "未到期"}


@dataclass(frozen=True)
class Slot:
    """One expected disclosure: an item, a community and a period."""
    item: Record
    community: str
    period: Period
    deadline: dt.date | None        # None when the calendar cannot tell (unknown year)
    record: Item | None
    state: str                      # a key of STATE_LABELS, or "unknown"
    unknown_year: int | None = None
    committee: str = ""             # the 居委会/村's id for a per-committee item (portal.committees)
    committee_name: str = ""

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, "无法计算期限")


def deadline(item: Record, period: Period, calendar: Calendar) -> dt.date:
    """When a period's record is due. Raises UnknownYear."""
    s = item.schedule
    if FREQUENCY_KIND[s.every] == "event":
        return calendar.add(period.end, s.within if s.within is not None else EVENT_DEFAULT_DAYS)
    if s.day:
        nxt = period.end + dt.timedelta(days=1)
        return dt.date(nxt.year, nxt.month, s.day)
    return calendar.add(period.end, s.within or 0)


def _state(record: Item | None, due: dt.date, today: dt.date, calendar: Calendar) -> str:
    if record is not None:
        return "published" if record.published.date() <= due else "late"
    if today > due:
        return "overdue"
    if calendar.between(today, due) <= SOON_DAYS:
        return "due"
    return "pending"


def slots(items: tuple[Record, ...], communities: list[str], records: list[Item],
          today: dt.date, calendar: Calendar, subjects: Mapping[str, tuple[Subject, ...]] | None = None
          ) -> list[Slot]:
    """Every expected disclosure up to `today`, oldest first within each item × community (×
    居委会/村 for an item disclosed per committee: `subjects`, by community)."""
    by_key = {(r.community, r.fields.get("committee", ""), r.item, r.period.code): r for r in records}
    filed: dict[tuple[str, str, str], set[Period]] = {}
    for r in records:
        filed.setdefault((r.item, r.community, r.fields.get("committee", "")), set()).add(r.period)
    out: list[Slot] = []
    for item in items:
        kind = FREQUENCY_KIND[item.schedule.every]
        # a community whose file has an error reports itself; its disclosures wait for it
        for cid in [c for c in item.communities or communities if c in communities]:
            whom = [(s.id, s.name) for s in (subjects or {}).get(cid, ()) if applies(item, s.kind)] \
                if item.get("per_committee") else [("", "")]
            for committee, name in whom:
                if kind == "event":
                    periods = sorted(filed.get((item.id, cid, committee), ()))
                else:
                    periods = periods_between(kind, item.since, today - dt.timedelta(days=1))
                for p in periods:
                    record = by_key.get((cid, committee, item.id, p.code))
                    if kind == "event" and record is not None and record.formed:
                        p = Period(record.formed, record.formed, "event", p.code)
                    try:
                        due = deadline(item, p, calendar)
                        state = _state(record, due, today, calendar)
                    except UnknownYear as e:
                        out.append(Slot(item, cid, p, None, record, "unknown", e.year, committee, name))
                        continue
                    out.append(Slot(item, cid, p, due, record, state, committee=committee, committee_name=name))
    return out


def annual_report_due(year: int) -> dt.date:
    """When the 政府信息公开工作年度报告 for `year` is due: 31 January of the next year
    (《政府信息公开条例》第五十条: 每年1月31日前向本级政府信息公开工作主管部门提交并向社会公布)."""
    return dt.date(year + 1, 1, 31)
