"""Responses, invitation codes and the rate limiter's counters.

Every accepted response is one transaction: the one-time submission key (a second POST of the
same key returns the first receipt), the invitation code (marked used; nothing links it to the
answers, whose time is kept only to the day and whose order is random), the response and the
差评 case it opens.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from typing import Any

from sqlite_utils import Database

from .connection import new_receipt, transaction

ANONYMOUS_TIME = "T00:00:00+08:00"     # invited responses keep only their day


class InviteError(Exception):
    """An invite code that does not exist for this survey, or was already used."""


class KeyReused(Exception):
    """An API Idempotency-Key already used for a different submission."""


def key_hash(kind: str, survey: str, key: str) -> str:
    """How a submission key is stored: hashed, and tied to its channel and survey."""
    return hashlib.sha256(f"{kind}:{survey}:{key}".encode()).hexdigest()


def body_hash(answers: dict[str, Any], context: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps([answers, context], ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def receipt_for(db: Database, key: str, body: str | None = None) -> str | None:
    """The receipt a submission key already has (KeyReused when an API key came with other answers)."""
    row = db.execute("SELECT receipt, submission_body FROM responses WHERE submission_key = ?", [key]).fetchone()
    if row is None:
        return None
    if body is not None and row[1] not in (None, body):
        raise KeyReused("这个 Idempotency-Key 已经用于另一份不同的答卷")
    return row[0]


def save_response(db: Database, survey: str, version: str, answers: dict[str, Any], context: dict[str, str],
                  submitted: str, invite: str | None = None, case: dict[str, Any] | None = None,
                  key: str | None = None, body: str | None = None) -> tuple[str, bool]:
    """Store one response in a single transaction: (its receipt, True), or (the first receipt,
    False) when its submission `key` was already used. With an invite the code is marked used
    in the same transaction, so one response per code holds even when two submissions race.
    A `case` (差评整改: level, reasons, verify_due, reply_due, estimated, phone) is opened in the
    same transaction too. `submitted`: ISO time, +08:00, from the caller's clock."""
    receipt = new_receipt()
    try:
        with transaction(db):
            first = receipt_for(db, key, body) if key else None
            if first is not None:
                return first, False
            if invite is not None:
                _use_invite(db, survey, invite)
                submitted = submitted[:10] + ANONYMOUS_TIME
            _insert(db, receipt, survey, version, answers, context, submitted, case, key, body,
                    order=secrets.randbits(62) if invite is not None else None)
    except sqlite3.IntegrityError as e:
        if key and "submission_key" in str(e):      # the same key won a race a moment ago
            first = receipt_for(db, key, body)
            if first is not None:
                return first, False
        raise
    return receipt, True


def _use_invite(db: Database, survey: str, code: str) -> None:
    used = db.execute("UPDATE invites SET used = 1 WHERE code = ? AND survey = ? AND used = 0", [code, survey])
    if used.rowcount == 1:
        return
    known = db.execute("SELECT 1 FROM invites WHERE code = ? AND survey = ?", [code, survey]).fetchone()
    raise InviteError("该邀请码已经使用过" if known else "邀请码不正确")


def _insert(db: Database, receipt: str, survey: str, version: str, answers: dict[str, Any],
            context: dict[str, str], submitted: str, case: dict[str, Any] | None, key: str | None,
            body: str | None, order: int | None) -> None:
    db.execute("INSERT INTO responses (id, survey, receipt, submitted, version, context, answers, submission_key, "
               "submission_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [order, survey, receipt, submitted, version, json.dumps(context, ensure_ascii=False, sort_keys=True),
                json.dumps(answers, ensure_ascii=False, sort_keys=True), key, body])
    if case is not None:
        db.execute("INSERT INTO cases (receipt, survey, opened, level, reasons, service, window, community, "
                   "verify_due, reply_due, estimated, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [receipt, survey, submitted, case["level"], json.dumps(case["reasons"], ensure_ascii=False),
                    context.get("service", ""), context.get("window", ""), context.get("community", ""),
                    case["verify_due"], case["reply_due"], int(case["estimated"]), case.get("phone")])


def create_invites(db: Database, survey: str, count: int, created: str) -> list[str]:
    codes = [new_receipt() for _ in range(count)]
    with transaction(db):
        for code in codes:
            db.execute("INSERT INTO invites (code, survey, created) VALUES (?, ?, ?)", [code, survey, created])
    return codes


def responses(db: Database, survey: str) -> list[dict[str, Any]]:
    """All responses to a survey, oldest first, with JSON columns decoded."""
    rows = db.query("SELECT receipt, submitted, version, context, answers FROM responses "
                    "WHERE survey = ? ORDER BY submitted, id", [survey])
    return [{"receipt": r["receipt"], "submitted": r["submitted"], "version": r["version"],
             "context": json.loads(r["context"]), "answers": json.loads(r["answers"])} for r in rows]


def response(db: Database, receipt: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT survey, receipt, submitted, context FROM responses WHERE receipt = ?", [receipt]))
    return {**rows[0], "context": json.loads(rows[0]["context"])} if rows else None


def response_full(db: Database, receipt: str) -> dict[str, Any] | None:
    rows = db.query("SELECT survey, receipt, submitted, version, context, answers FROM responses WHERE receipt = ?",
                    [receipt])
    for r in rows:
        return {**r, "context": json.loads(r["context"]), "answers": json.loads(r["answers"])}
    return None


def counts(db: Database) -> dict[str, int]:
    return {r["survey"]: r["n"] for r in db.query("SELECT survey, count(*) AS n FROM responses GROUP BY survey")}


def demo_count(db: Database) -> int:
    """Responses generated by survey.demo (receipts starting with DEMO)."""
    return db.execute("SELECT count(*) FROM responses WHERE receipt LIKE 'DEMO%'").fetchone()[0]


def last_submitted(db: Database) -> dict[str, str]:
    return {r["survey"]: r["last"] for r in
            db.query("SELECT survey, max(submitted) AS last FROM responses GROUP BY survey")}


def hit(db: Database, bucket: str, client_key: str, day: str, window: float, now: float) -> int:
    """Record one request from a client and return how many it made in the window.

    The client is stored only as sha256(daily salt + key). Salts older than today are
    deleted, so yesterday's hashes can no longer be linked to an address; rows older than
    a day are deleted too."""
    with transaction(db):
        row = db.execute("SELECT salt FROM salts WHERE day = ?", [day]).fetchone()
        if row is None:
            db.execute("DELETE FROM salts")
            salt = secrets.token_hex(16)
            db.execute("INSERT INTO salts (day, salt) VALUES (?, ?)", [day, salt])
        else:
            salt = row[0]
        client = hashlib.sha256((salt + client_key).encode("utf-8")).hexdigest()
        db.execute("DELETE FROM hits WHERE at < ?", [now - max(window, 86400)])
        db.execute("DELETE FROM hits WHERE bucket = ? AND client = ? AND at <= ?",
                   [bucket, client, now - window])
        db.execute("INSERT INTO hits (bucket, client, at) VALUES (?, ?, ?)", [bucket, client, now])
        n = db.execute("SELECT count(*) FROM hits WHERE bucket = ? AND client = ?",
                       [bucket, client]).fetchone()[0]
    return n
