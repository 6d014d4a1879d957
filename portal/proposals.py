"""议事会提案 through the 三会一评 chain: 提出 → 听证 → 协调 → 决议 → 实施 → 评议, each step with its
date and the meeting record (an `evaluation` in content/pyjg/) it links to; the state the
filled-in steps imply; and the counts by state a community page shows.

Every function here is pure: the checks (portal.checks.proposals) and the pages
(portal.proposal_pages) read the same chain.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from . import schema
from .items import Item

ARROW = " → "
ORDER = ARROW.join(("提出", "听证", "协调", "决议", "实施", "评议"))

# The meeting types each link may name (the seed's 三会一评 meetings, plus 听证会 and 协调会).
LINKED_MEETINGS: Mapping[str, tuple[str, ...]] = {
    "raised_at": ("群众意见收集会",),
    "hearing.record": ("听证会", "议题讨论会"),
    "coordination.record": ("协调会", "议题讨论会"),
    "decision.record": ("议事决策会",),
    "evaluated_in": ("述职评议会",),
}


@dataclass(frozen=True)
class Step:
    """One step of the chain as a page shows it."""
    name: str                  # 提出, 听证, 协调, 决议, 实施, 评议
    date: dt.date | None       # when it happened (实施: the day it started)
    date_key: str              # the field its date is written in ("" when taken from the record)
    ref: str                   # the meeting record's id as written, or ""
    ref_key: str               # the field the link is written in
    record: Item | None        # that record when it is in the site
    note: str = ""
    end: dt.date | None = None     # 实施: 办结日期
    outcome: str = ""              # 决议: 通过 / 未通过; 实施: the unit doing it

    @property
    def done(self) -> bool:
        return self.date is not None or self.record is not None


def _held(record: Item | None) -> dt.date | None:
    return record.held.date() if record is not None and getattr(record, "held", None) else None


def chain(p: Item, lookup: Callable[[str], Item | None]) -> tuple[Step, ...]:
    """The six steps of a proposal; `lookup` finds an evaluation by id (None when it is not in
    the site: missing, broken or a draft)."""
    def rec(ref: str | None) -> Item | None:
        return lookup(ref) if ref else None

    h, c, d, i = p.hearing, p.coordination, p.decision, p.implementation
    evaluation = rec(p.evaluated_in)
    return (
        Step("提出", p.raised, "raised", p.raised_at or "", "raised_at", rec(p.raised_at),
             outcome=p.raised_by),
        Step("听证", h.date if h else None, "hearing.date", (h.record or "") if h else "", "hearing.record",
             rec(h.record) if h else None, (h.note or "") if h else ""),
        Step("协调", c.date if c else None, "coordination.date", (c.record or "") if c else "",
             "coordination.record", rec(c.record) if c else None, (c.note or "") if c else ""),
        Step("决议", d.date if d else None, "decision.date", (d.record or "") if d else "", "decision.record",
             rec(d.record) if d else None, (d.text or "") if d else "", outcome=(d.result or "") if d else ""),
        Step("实施", i.started if i else None, "implementation.started", "", "", None,
             (i.note or "") if i else "", end=i.finished if i else None, outcome=(i.by or "") if i else ""),
        Step("评议", _held(evaluation), "", p.evaluated_in or "", "evaluated_in", evaluation),
    )


def implied_state(p: Item) -> str:
    """The state the filled-in steps show."""
    if p.decision and p.decision.result == "未通过":
        return "未通过"
    if p.implementation and p.implementation.finished:
        return "已办结"
    if p.implementation:
        return "实施中"
    if p.decision:
        return "已决议"
    if p.hearing:
        return "已听证"
    return "已提出"


@dataclass(frozen=True)
class StateCounts:
    """A community's (or the district's) proposals by state."""
    counts: tuple[tuple[str, int], ...]      # every state, in order, with its count
    total: int

    @property
    def settled(self) -> int:
        return dict(self.counts).get("已办结", 0)


def state_counts(proposals: Iterable[Item]) -> StateCounts:
    found = [p.state for p in proposals]
    return StateCounts(tuple((s, found.count(s)) for s in schema.PROPOSAL_STATES), len(found))


def evaluated_by(proposals: Iterable[Item], evaluation_id: str) -> list[Item]:
    """The proposals whose 办理情况 a 述职评议会 record reported."""
    return [p for p in proposals if p.evaluated_in == evaluation_id]


def handled_at(proposals: Iterable[Item], record_id: str) -> list[tuple[str, Item]]:
    """The proposals a meeting record handled, with the step it was for (收集, 听证, 协调, 决议,
    评议): a meeting's page links back to each proposal's chain."""
    out = []
    for p in proposals:
        step = ("收集" if p.raised_at == record_id else
                "听证" if (p.hearing and p.hearing.record == record_id) else
                "协调" if (p.coordination and p.coordination.record == record_id) else
                "决议" if (p.decision and p.decision.record == record_id) else
                "评议" if p.evaluated_in == record_id else "")
        if step:
            out.append((step, p))
    return out
