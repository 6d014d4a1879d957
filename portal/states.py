"""The state label an item shows (已撤回, 已过期, 已废止, 已失效, 已修改), decided once per build
from the item and the build date."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .items import Item


@dataclass(frozen=True)
class State:
    code: str            # "", "withdrawn", "expired", "repealed", "invalid", "amended"
    label: str
    note: str = ""
    successor: Item | None = None


NO_STATE = State("", "")
CURRENT = ("", "amended")          # states in which an item is still in force


def _policy(item: Item, policy: Callable[[str], Item | None], today: dt.date) -> State | None:
    succ = policy(item.superseded_by) if item.superseded_by else None
    amend = policy(item.amended_by) if item.amended_by else None
    note = item.validity_note or ""
    if item.validity == "废止":
        return State("repealed", "已废止", note, succ)
    if item.validity == "失效":
        return State("invalid", "已失效", note, succ)
    if item.validity == "已修改":
        return State("amended", "已修改", note, amend)
    if item.expires and item.expires < today:
        return State("invalid", "已失效", f"有效期至 {item.expires:%Y年%-m月%-d日}")
    return None


def state_of(item: Item, policy: Callable[[str], Item | None], today: dt.date) -> State | None:
    """The item's state on `today`, or None when it is simply current. `policy` looks up a
    policy by id (for the successor of a repealed or amended one)."""
    w = getattr(item, "withdrawn", None)
    if w:
        return State("withdrawn", "已撤回", f"{w.date:%Y年%-m月%-d日}撤回：{w.reason}")
    if item.type == "notice" and item.valid_until and item.valid_until < today:
        return State("expired", "已过期", f"有效期至 {item.valid_until:%Y年%-m月%-d日}")
    if item.type == "notice" and item.kind == "公示" and item.notice_period and item.notice_period.end < today:
        # A 公示 is current only during its 公示期: afterwards it leaves the current lists like
        # an expired notice (same code, so lists, search and styles treat it alike).
        period = item.notice_period
        return State("expired", "公示期已结束",
                     f"公示期 {period.start:%Y年%-m月%-d日} 至 {period.end:%Y年%-m月%-d日}")
    if item.type == "policy":
        return _policy(item, policy, today)
    return None


def states(items: Mapping[str, Item], today: dt.date) -> dict[str, State]:
    """Every item's state that is not plain current, by item key."""
    def policy(pid: str) -> Item | None:
        return items.get(f"zcwj/{pid}")

    out = {}
    for key, item in items.items():
        found = state_of(item, policy, today)
        if found is not None:
            out[key] = found
    return out


def current(state: Callable[[Item], State], items: Iterable[Item]) -> list[Item]:
    """Items still current: not withdrawn, expired, repealed or invalid."""
    return [i for i in items if state(i).code in CURRENT]
