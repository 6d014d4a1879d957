"""依申请公开 requests and their event log (survey.requests holds the rules): one transaction
per step, the step's rule run on the row read inside it, and an event for each change."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from .connection import new_receipt, transaction

COLUMNS = ("receipt", "received", "applicant_type", "name", "id_type", "id_masked", "id_hash", "phone", "email",
           "address", "description", "purpose", "format", "delivery", "state", "due", "estimated", "extended",
           "extension_reason", "correction_asked", "correction_note", "correction_due", "correction_done",
           "answered", "outcome", "outcome_reason", "organ", "reply")
SELECT = f"SELECT {', '.join(COLUMNS)} FROM requests"
APPLICANT = "申请人"


def salt(db: Database) -> str:
    return db.execute("SELECT salt FROM request_salt").fetchone()[0]


def _row(row: tuple) -> dict[str, Any]:
    return dict(zip(COLUMNS, row, strict=True))


def save(db: Database, row: dict[str, Any], key: str | None, now: str) -> tuple[str, bool]:
    """Store a new request (and its first event) in one transaction: (receipt, new). A
    submission key used before returns the first receipt and stores nothing."""
    with transaction(db):
        if key:
            first = db.execute("SELECT receipt FROM requests WHERE submission_key = ?", [key]).fetchone()
            if first:
                return first[0], False
        receipt = new_receipt()
        while db.execute("SELECT 1 FROM requests WHERE receipt = ?", [receipt]).fetchone():
            receipt = new_receipt()
        full = {**row, "receipt": receipt, "submission_key": key}
        db.execute(f"INSERT INTO requests ({', '.join(full)}) VALUES ({', '.join('?' * len(full))})",
                   list(full.values()))
        db.execute("INSERT INTO request_events (receipt, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
                   [receipt, now, APPLICANT, "提交申请", f"答复期限 {row['due']}"])
    return receipt, True


def receipt_for_key(db: Database, key: str) -> str | None:
    row = db.execute("SELECT receipt FROM requests WHERE submission_key = ?", [key]).fetchone()
    return row[0] if row else None


def get(db: Database, receipt: str) -> dict[str, Any] | None:
    row = db.execute(SELECT + " WHERE receipt = ?", [receipt]).fetchone()
    return _row(row) if row else None


def every(db: Database) -> list[dict[str, Any]]:
    """All requests, oldest first."""
    return [_row(r) for r in db.execute(SELECT + " ORDER BY received, receipt").fetchall()]


def events(db: Database, receipt: str) -> list[dict[str, Any]]:
    return [dict(zip(("at", "actor", "action", "detail"), r, strict=True)) for r in db.execute(
        "SELECT at, actor, action, detail FROM request_events WHERE receipt = ? ORDER BY id", [receipt]).fetchall()]


def step(db: Database, receipt: str, rule: Callable[[dict[str, Any]], dict[str, Any]], actor: str, action: str,
         detail: Callable[[dict[str, Any]], str], now: str) -> dict[str, Any]:
    """Apply one step: `rule` gets the row as it is inside the transaction and returns the
    changes (or raises); the changes and an event are written together. Returns the changes."""
    with transaction(db):
        row = db.execute(SELECT + " WHERE receipt = ?", [receipt]).fetchone()
        if row is None:
            raise LookupError(receipt)
        changes = rule(_row(row))
        db.execute(f"UPDATE requests SET {', '.join(f'{k} = ?' for k in changes)} WHERE receipt = ?",
                   [*changes.values(), receipt])
        db.execute("INSERT INTO request_events (receipt, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
                   [receipt, now, actor, action, detail(changes)])
    return changes
