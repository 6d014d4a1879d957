"""留言: residents' messages (咨询·建议·投诉·求助) and the log of every state change.

A message is stored in one transaction with its first event; a second POST of the same
one-time submission key returns the first receipt and stores nothing. Each staff action
checks the message's state inside its own transaction and appends one event.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from .connection import new_receipt, transaction

MESSAGE_COLUMNS = ("receipt", "kind", "community", "origin", "subject", "body", "public", "contact", "received",
                   "accept_due", "reply_due", "estimated", "accepted", "reply", "replied", "replied_by", "closed")
SELECT = f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM messages"
RESIDENT = "居民"


class MessageError(Exception):
    """A 留言 action that is not possible in the message's state (message in Chinese)."""


def _message(row) -> dict[str, Any]:
    m = dict(zip(MESSAGE_COLUMNS, row, strict=True))
    m["public"], m["estimated"] = bool(m["public"]), bool(m["estimated"])
    return m


def message_for_key(db: Database, key: str) -> str | None:
    row = db.execute("SELECT receipt FROM messages WHERE submission_key = ?", [key]).fetchone()
    return row[0] if row else None


def save_message(db: Database, message: dict[str, Any], key: str | None) -> tuple[str, bool]:
    """Store one message and its 'received' event: (receipt, True), or (the first receipt,
    False) when its submission key was used before."""
    receipt = new_receipt()
    row = {**message, "receipt": receipt, "origin": message["community"], "public": int(message["public"]),
           "estimated": int(message["estimated"]), "submission_key": key}
    cols = [c for c in (*MESSAGE_COLUMNS, "submission_key") if c in row]
    try:
        with transaction(db):
            first = message_for_key(db, key) if key else None
            if first is not None:
                return first, False
            db.execute(f"INSERT INTO messages ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                       [row[c] for c in cols])
            _event(db, receipt, message["received"], RESIDENT, "received", message["kind"])
    except sqlite3.IntegrityError as e:
        if key and "submission_key" in str(e):       # the same key won a race a moment ago
            first = message_for_key(db, key)
            if first is not None:
                return first, False
        raise
    return receipt, True


def _event(db: Database, receipt: str, at: str, staff: str, action: str, detail: str = "") -> None:
    db.execute("INSERT INTO message_events (receipt, at, staff, action, detail) VALUES (?, ?, ?, ?, ?)",
               [receipt, at, staff, action, detail])


def message(db: Database, receipt: str) -> dict[str, Any] | None:
    row = db.execute(SELECT + " WHERE receipt = ?", [receipt]).fetchone()
    return _message(row) if row else None


def messages(db: Database, community: str | None = None) -> list[dict[str, Any]]:
    """All messages (of one community, the one now handling them), oldest first."""
    if community is None:
        rows = db.execute(SELECT + " ORDER BY received, receipt").fetchall()
    else:
        rows = db.execute(SELECT + " WHERE community = ? ORDER BY received, receipt", [community]).fetchall()
    return [_message(r) for r in rows]


def message_events(db: Database, receipt: str) -> list[dict[str, Any]]:
    rows = db.execute("SELECT at, staff, action, detail FROM message_events WHERE receipt = ? ORDER BY id",
                      [receipt]).fetchall()
    return [dict(zip(("at", "staff", "action", "detail"), r, strict=True)) for r in rows]


def _state(db: Database, receipt: str) -> tuple:
    row = db.execute("SELECT accepted, replied, closed FROM messages WHERE receipt = ?", [receipt]).fetchone()
    if row is None:
        raise MessageError("找不到这条留言")
    return row


def accept_message(db: Database, receipt: str, staff: str, now: str) -> None:
    """受理."""
    with transaction(db):
        accepted, _, closed = _state(db, receipt)
        if accepted or closed:
            raise MessageError("这条留言已经受理")
        db.execute("UPDATE messages SET accepted = ? WHERE receipt = ?", [now, receipt])
        _event(db, receipt, now, staff, "accepted")


def transfer_message(db: Database, receipt: str, to: str, note: str, staff: str, now: str) -> None:
    """转办: another community (or the district) handles it from now; the deadlines stay."""
    with transaction(db):
        _, replied, closed = _state(db, receipt)
        if replied or closed:
            raise MessageError("已经答复的留言不能再转办")
        current = db.execute("SELECT community FROM messages WHERE receipt = ?", [receipt]).fetchone()[0]
        if current == to:
            raise MessageError("这条留言已经由该单位办理，请选择另一个单位")
        db.execute("UPDATE messages SET community = ?, accepted = COALESCE(accepted, ?) WHERE receipt = ?",
                   [to, now, receipt])
        _event(db, receipt, now, staff, "transferred", f"{current}→{to}" + (f"：{note}" if note else ""))


def reply_message(db: Database, receipt: str, reply: str, staff: str, now: str) -> None:
    """答复 (a reply may be corrected until the message is closed)."""
    with transaction(db):
        accepted, replied, closed = _state(db, receipt)
        if closed:
            raise MessageError("这条留言已经办结")
        if not accepted:
            raise MessageError("请先受理，再答复")
        db.execute("UPDATE messages SET reply = ?, replied = COALESCE(replied, ?), replied_by = ? WHERE receipt = ?",
                   [reply, now, staff, receipt])
        _event(db, receipt, now, staff, "replied" if not replied else "reply_edited")


def close_message(db: Database, receipt: str, staff: str, now: str) -> None:
    """办结: the resident's contact phone is deleted."""
    with transaction(db):
        _, replied, closed = _state(db, receipt)
        if closed:
            raise MessageError("这条留言已经办结")
        if not replied:
            raise MessageError("请先答复，再办结")
        db.execute("UPDATE messages SET closed = ?, contact = NULL WHERE receipt = ?", [now, receipt])
        _event(db, receipt, now, staff, "closed")


def withhold_message(db: Database, receipt: str, reason: str, staff: str, now: str) -> None:
    """不公开: staff keep a message out of publication (e.g. it names a person); for good."""
    with transaction(db):
        _state(db, receipt)
        if not db.execute("SELECT public FROM messages WHERE receipt = ?", [receipt]).fetchone()[0]:
            raise MessageError("这条留言本来就不公开")
        db.execute("UPDATE messages SET public = 0 WHERE receipt = ?", [receipt])
        _event(db, receipt, now, staff, "withheld", reason)
