"""Column freshness (国办秘函〔2019〕19号, the 政府网站 inspection's veto thresholds).

A column older than its `max_age` (columns.yaml) is stale, one with nothing in it is empty;
five or more stale columns, or five or more empty ones, fail a real site. The home page's
newest item older than 14 days is a warning.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Site
from ..problems import Problems
from ..validate import Item
from . import Context

HOME_MAX_AGE = 14
VETO_COUNT = 5
HOME_TYPES = ("notice", "news")


def column_items(site: Site, cid: str) -> list[Item]:
    """The items a column lists (what its freshness is measured on)."""
    T = site.by_type
    return {
        "tzgg": list(T["notice"]), "gzdt": list(T["news"]), "zcwj": list(T["policy"]),
        "zcjd": list(T["interpretation"]), "bszn": list(T["guide"]),
        "tese": [g for g in T["guide"] if g.featured], "pyjg": list(T["evaluation"] + T["result"]),
        "sqdf": list(T["appeal"]),
        "dwgk": [r for r in T["disclosure"] if r.domain == "党务"],
        "jwgk": [r for r in T["disclosure"] if r.domain in ("居务", "政务")],
        "cwgk": [r for r in T["disclosure"] if r.domain == "财务"],
    }.get(cid, [])


def last_update(items: list[Item]) -> dt.date | None:
    """Newest publish or update date; an item with neither counts as never updated."""
    dates = [(getattr(i, "updated", None) or i.published).date() for i in items
             if getattr(i, "published", None)]
    return max(dates) if dates else None


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


def table(site: Site) -> list[Freshness]:
    """Freshness of every column with a max age, site-wide then per community."""
    out = []
    for c in site.columns:
        if not c.max_age:
            continue
        items = column_items(site, c.id)
        newest = last_update(items)
        out.append(Freshness(c.id, c.name, c.max_age, newest,
                             (site.today - newest).days if newest else None))
    for cid, comm in site.communities.items():
        for c in site.columns:
            if not c.max_age:
                continue
            items = [i for i in column_items(site, c.id) if i.community == cid]
            newest = last_update(items)
            if newest:
                out.append(Freshness(c.id, c.name, c.max_age, newest, (site.today - newest).days, cid))
    return out


def check(site: Site, problems: Problems, ctx: Context) -> None:
    cols = site.columns_file or "columns.yaml"
    rows = [r for r in table(site) if not r.community]
    stale = [r for r in rows if r.newest and r.stale]
    empty = [r for r in rows if r.newest is None]
    for r in stale:
        problems.warning(cols, site.column_line(r.column), "max_age", "更新周期（天）",
                         f"栏目“{r.name}”已 {r.age} 天未更新（要求 {r.max_age} 天内）")
    for r in empty:
        problems.warning(cols, site.column_line(r.column), "max_age", "更新周期（天）",
                         f"栏目“{r.name}”没有任何内容（空白栏目）")
    top = site.column_lines.get("columns", 1)
    if len(stale) >= VETO_COUNT:
        ctx.dated(problems, cols, top, "columns", "栏目",
                  f"{len(stale)} 个栏目未按时更新，达到政府网站检查的单项否决标准（{VETO_COUNT} 个）")
    if len(empty) >= VETO_COUNT:
        ctx.dated(problems, cols, top, "columns", "栏目",
                  f"{len(empty)} 个栏目为空白栏目，达到政府网站检查的单项否决标准（{VETO_COUNT} 个）")
    home = last_update([i for t in HOME_TYPES for i in site.by_type[t]])
    if home is None or (site.today - home).days > HOME_MAX_AGE:
        problems.warning(cols, top, "columns", "栏目",
                         f"首页最新信息已超过 {HOME_MAX_AGE} 天未更新" if home else "首页没有任何通知公告或工作动态")
