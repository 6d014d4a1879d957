"""留言 (书记信箱 / 居民留言): the rules, as pure functions. Types, what a resident's form must
hold, deadlines in working days with the builder's calendar (受理 within
SURVEY_LIUYAN_ACCEPT_DAYS, 答复 within SURVEY_LIUYAN_REPLY_DAYS, per type), states and the
working days a reply took. The SQL lives in store/messages.py.

国办秘函〔2019〕19号 (互动回应): a message left unanswered for more than 3 months fails the site,
which is why every message keeps its received and replied dates.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal import schema, workdays

from .cases import add_workdays, days_left

KINDS = ("咨询", "建议", "投诉", "求助")
DISTRICT = "district"
MAX_SUBJECT, MAX_BODY = 50, 2000
STATE_LABELS = {"received": "待受理", "accepted": "办理中", "replied": "已答复", "closed": "已办结",
                "overdue": "已逾期"}
EVENT_LABELS = {"received": "收到留言", "accepted": "受理", "transferred": "转办", "replied": "答复",
                "reply_edited": "修改答复", "closed": "办结", "withheld": "决定不公开"}
DEFAULT_ACCEPT_DAYS, DEFAULT_REPLY_DAYS = 1, 10


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def parse_days(value: str) -> dict[str, int]:
    """Working days per type from a setting: `10` (every type) or `咨询=5,投诉=10` (the types
    not named keep the default). ValueError with a Chinese reason."""
    text = str(value).strip()
    if text.isdigit():
        return dict.fromkeys(KINDS, int(text))
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        kind, _, n = part.partition("=")
        if kind.strip() not in KINDS or not n.strip().isdigit():
            raise ValueError("应写成如 10，或 咨询=5,投诉=10（类型为 咨询、建议、投诉、求助）")
        out[kind.strip()] = int(n)
    return out


def days_for(setting: Mapping[str, int] | int, kind: str, default: int) -> int:
    if isinstance(setting, int):
        return setting
    return int(setting.get(kind, default))


def check(form: Mapping[str, Any], communities: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The message to store from a resident's form, and every problem, each naming its field."""
    kind = str(form.get("kind") or "").strip()
    community = str(form.get("community") or "").strip()
    subject = str(form.get("subject") or "").strip()
    body = str(form.get("body") or "").strip()
    phone = str(form.get("contact") or "").strip().replace(" ", "")
    consent = form.get("consent") in ("1", "on", True)
    problems = []
    if kind not in KINDS:
        problems.append(Problem("kind", "请选择留言类型：咨询、建议、投诉或求助"))
    if community not in communities:
        problems.append(Problem("community", "请选择您所在的社区"))
    if not subject:
        problems.append(Problem("subject", "请填写留言标题"))
    elif len(subject) > MAX_SUBJECT:
        problems.append(Problem("subject", f"标题最多 {MAX_SUBJECT} 字，现在是 {len(subject)} 字"))
    if not body:
        problems.append(Problem("body", "请填写留言内容"))
    elif len(body) > MAX_BODY:
        problems.append(Problem("body", f"留言内容最多 {MAX_BODY} 字，现在是 {len(body)} 字"))
    if phone and not consent:
        problems.append(Problem("contact", "留下电话前请勾选“同意工作人员用这个电话联系我”；不同意也可以不留电话"))
    elif phone and not schema.CONTACT_PHONE_RE.match(phone):
        problems.append(Problem("contact", f"电话号码“{phone}”格式不对，请填写 11 位手机号或带区号的固定电话"))
    clean = {"kind": kind, "community": community, "subject": subject, "body": body,
             "contact": phone if phone and consent else None, "public": form.get("public") == "1"}
    return clean, problems


def deadlines(received: dt.date, calendar: workdays.Calendar, accept_days: int, reply_days: int
              ) -> tuple[dt.date, dt.date, bool]:
    """(accept by, reply by, estimated), in working days after the day the message arrived."""
    accept_by, e1 = add_workdays(calendar, received, accept_days)
    reply_by, e2 = add_workdays(calendar, received, reply_days)
    return accept_by, reply_by, e1 or e2


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def state(m: Mapping[str, Any], today: dt.date) -> str:
    """received / accepted / replied / closed, or overdue when a deadline passed first."""
    if m["closed"]:
        return "closed"
    if m["replied"]:
        return "replied"
    due = m["accept_due"] if not m["accepted"] else m["reply_due"]
    if today > dt.date.fromisoformat(due):
        return "overdue"
    return "accepted" if m["accepted"] else "received"


def on_time(m: Mapping[str, Any]) -> bool | None:
    """Whether the reply came by its deadline (None while unanswered)."""
    replied = _day(m["replied"])
    return None if replied is None else replied <= dt.date.fromisoformat(m["reply_due"])


def reply_days(m: Mapping[str, Any], calendar: workdays.Calendar) -> int | None:
    """Working days from receipt to the reply (None while unanswered)."""
    received, replied = _day(m["received"]), _day(m["replied"])
    if received is None or replied is None:
        return None
    return days_left(calendar, received, replied)


def order(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The queue: overdue first, then open ones by deadline, then replied, then closed newest first."""
    rank = {"overdue": 0, "received": 1, "accepted": 1, "replied": 2}
    pending = sorted((m for m in shown if m["state"] != "closed"),
                     key=lambda m: (rank[m["state"]], m["days_left"] if m["days_left"] is not None else 0,
                                    m["received"]))
    done = sorted((m for m in shown if m["state"] == "closed"), key=lambda m: m["closed"], reverse=True)
    return pending + done
