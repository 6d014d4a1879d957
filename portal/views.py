"""Derived views of the site, computed once per build and shared by the checks and the pages:
what each column lists, how fresh each column is (site-wide and per community), and each
community's disclosure table per section."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .config import Column
from .items import Item, Record
from .schedule import Slot
from .urls import SECTION_DOMAINS


@dataclass(frozen=True)
class Freshness:
    column: str
    name: str
    max_age: int
    newest: dt.date | None
    age: int | None
    community: str = ""

    @property
    def stale(self) -> bool:
        return self.age is None or self.age > self.max_age


@dataclass(frozen=True)
class DisclosureRow:
    """One catalogue item in a community's disclosure table: its expected periods (newest
    first) and any records outside the schedule."""
    item: Record
    slots: tuple[Slot, ...]
    records: tuple[Item, ...]

    @property
    def count(self) -> int:
        return sum(1 for s in self.slots if s.record is not None) + len(self.records)


@dataclass(frozen=True)
class Views:
    columns: Mapping[str, tuple[Item, ...]]                # column id → the items it lists
    freshness: tuple[Freshness, ...]                       # site-wide rows, then per community
    disclosure: Mapping[tuple[str, str], tuple[DisclosureRow, ...]]   # (section, community id)
    by_community: Mapping[tuple[str, str], tuple[Item, ...]] = dataclasses.field(default_factory=dict)
    # (type, community id or "district") → its items, in by_type's order

    def of(self, type_name: str, cid: str) -> tuple[Item, ...]:
        return self.by_community.get((type_name, cid), ())


def by_community(by_type: Mapping[str, tuple[Item, ...]]) -> dict[tuple[str, str], tuple[Item, ...]]:
    grouped: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for name, items in by_type.items():
        for i in items:
            cid = i.fields.get("community")
            if isinstance(cid, str):
                grouped[(name, cid)].append(i)
    return {k: tuple(v) for k, v in grouped.items()}


def column_items(by_type: Mapping[str, tuple[Item, ...]]) -> dict[str, tuple[Item, ...]]:
    """The items each dated column lists (what its freshness is measured on)."""
    T = by_type
    return {
        "tzgg": T["notice"], "gzdt": T["news"], "zcwj": T["policy"], "zcjd": T["interpretation"],
        "bszn": T["guide"], "tese": tuple(g for g in T["guide"] if g.featured),
        "pyjg": T["evaluation"] + T["result"], "sqdf": T["appeal"],
        **{section: tuple(r for r in T["disclosure"] if r.domain in domains)
           for section, domains in SECTION_DOMAINS.items()},
    }


def last_update(items: Iterable[Item]) -> dt.date | None:
    """Newest publish or update date; an item with neither counts as never updated."""
    dates = [(getattr(i, "updated", None) or i.published).date() for i in items
             if getattr(i, "published", None)]
    return max(dates) if dates else None


def freshness(columns: tuple[Column, ...], listed: Mapping[str, tuple[Item, ...]],
              communities: Iterable[str], today: dt.date) -> tuple[Freshness, ...]:
    """Freshness of every column with a max age, site-wide then per community (a community's
    row only where it has items)."""
    out = []
    dated = [c for c in columns if c.max_age]
    for c in dated:
        newest = last_update(listed.get(c.id, ()))
        out.append(Freshness(c.id, c.name, c.max_age or 0, newest, (today - newest).days if newest else None))
    per_community: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for c in dated:
        for i in listed.get(c.id, ()):
            per_community[(i.community, c.id)].append(i)
    for cid in communities:
        for c in dated:
            newest = last_update(per_community.get((cid, c.id), ()))
            if newest:
                out.append(Freshness(c.id, c.name, c.max_age or 0, newest, (today - newest).days, cid))
    return tuple(out)


def disclosure_tables(catalogue: tuple[Record, ...], communities: Iterable[str], schedule: tuple[Slot, ...],
                      records: tuple[Item, ...]) -> dict[tuple[str, str], tuple[DisclosureRow, ...]]:
    """For each section and community: each catalogue item of the section with its expected
    periods (state, deadline, record) newest first, plus records outside the schedule."""
    slots: dict[tuple[str, str], list[Slot]] = defaultdict(list)
    for s in schedule:
        slots[(s.community, s.item.id)].append(s)
    filed: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for r in records:
        filed[(r.community, r.item)].append(r)
    out = {}
    for section, domains in SECTION_DOMAINS.items():
        for cid in communities:
            rows = []
            for cat in catalogue:
                if cat.domain not in domains or cat.audience == "党内":
                    continue
                if cat.communities and cid not in cat.communities:
                    continue
                due = sorted(slots.get((cid, cat.id), ()), key=lambda s: s.period, reverse=True)
                scheduled = {s.record.key for s in due if s.record is not None}
                others = sorted((r for r in filed.get((cid, cat.id), ()) if r.key not in scheduled),
                                key=lambda r: r.period, reverse=True)
                rows.append(DisclosureRow(cat, tuple(due), tuple(others)))
            out[(section, cid)] = tuple(rows)
    return out
