"""The only module that speaks SQL. SQLite through sqlite-utils, WAL mode, a versioned schema
migrated at start-up, and every accepted response written in one transaction that is
committed before the caller answers the resident.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from typing import Any, Callable

from sqlite_utils import Database

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read aloud on the phone


def _v1(db: Database) -> None:
    db.execute("""CREATE TABLE responses (
        id INTEGER PRIMARY KEY,
        survey TEXT NOT NULL,
        receipt TEXT NOT NULL UNIQUE,
        submitted TEXT NOT NULL,
        version TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT '{}',
        answers TEXT NOT NULL,
        invite TEXT UNIQUE
    )""")
    db.execute("CREATE INDEX responses_survey ON responses(survey, submitted)")
    db.execute("""CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        survey TEXT NOT NULL,
        created TEXT NOT NULL
    )""")


def _v2(db: Database) -> None:
    """Staff accounts, and the rate limiter's short-lived counters (salted client hashes)."""
    db.execute("""CREATE TABLE staff (
        name TEXT PRIMARY KEY,
        password TEXT NOT NULL,
        created TEXT NOT NULL
    )""")
    db.execute("""CREATE TABLE hits (
        bucket TEXT NOT NULL,
        client TEXT NOT NULL,
        at REAL NOT NULL
    )""")
    db.execute("CREATE INDEX hits_client ON hits(bucket, client, at)")
    db.execute("""CREATE TABLE salts (
        day TEXT PRIMARY KEY,
        salt TEXT NOT NULL
    )""")


# Append only: each entry moves the schema one version forward.
MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1, _v2)


class InviteError(Exception):
    """An invite code that does not exist for this survey, or was already used."""


def connect(path: str) -> Database:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")       # an acknowledged response survives power loss
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    return db


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database) -> None:
    """Bring the database to the newest schema, one transaction per step."""
    current = schema_version(db)
    for n, step in enumerate(MIGRATIONS[current:], current + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(db) < n:          # another process may have done it meanwhile
                step(db)
                db.execute(f"PRAGMA user_version = {n}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


def now_iso() -> str:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds")


def save_response(db: Database, survey: str, version: str, answers: dict[str, Any],
                  context: dict[str, str], invite: str | None = None) -> str:
    """Store one response in a single transaction and return its receipt. With an invite,
    the UNIQUE constraint on `invite` guarantees one response per code even when two
    submissions race."""
    receipt = new_receipt()
    db.execute("BEGIN IMMEDIATE")
    try:
        if invite is not None:
            row = db.execute("SELECT 1 FROM invites WHERE code = ? AND survey = ?",
                             [invite, survey]).fetchone()
            if row is None:
                raise InviteError("邀请码不正确")
        db.execute("INSERT INTO responses (survey, receipt, submitted, version, context, answers, invite) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [survey, receipt, now_iso(), version, json.dumps(context, ensure_ascii=False, sort_keys=True),
                    json.dumps(answers, ensure_ascii=False, sort_keys=True), invite])
        db.execute("COMMIT")
    except sqlite3.IntegrityError as e:
        db.execute("ROLLBACK")
        if invite is not None and "invite" in str(e):
            raise InviteError("该邀请码已经使用过") from None
        raise
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return receipt


def create_invites(db: Database, survey: str, count: int) -> list[str]:
    codes = [new_receipt() for _ in range(count)]
    created = now_iso()
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
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
    rows = list(db.query("SELECT survey, receipt, submitted FROM responses WHERE receipt = ?", [receipt]))
    return rows[0] if rows else None


def counts(db: Database) -> dict[str, int]:
    return {r["survey"]: r["n"] for r in db.query("SELECT survey, count(*) AS n FROM responses GROUP BY survey")}


def last_submitted(db: Database) -> dict[str, str]:
    return {r["survey"]: r["last"] for r in
            db.query("SELECT survey, max(submitted) AS last FROM responses GROUP BY survey")}


# --- staff accounts ---------------------------------------------------------------------

def set_staff(db: Database, name: str, password_hash: str) -> bool:
    """Create or update a staff account; True when it is new."""
    db.execute("BEGIN IMMEDIATE")
    try:
        new = db.execute("SELECT 1 FROM staff WHERE name = ?", [name]).fetchone() is None
        db.execute("INSERT INTO staff (name, password, created) VALUES (?, ?, ?) "
                   "ON CONFLICT(name) DO UPDATE SET password = excluded.password",
                   [name, password_hash, now_iso()])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return new


def staff_hash(db: Database, name: str) -> str | None:
    row = db.execute("SELECT password FROM staff WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


# --- rate limiting: salted client hashes, kept at most a day ----------------------------

def hit(db: Database, bucket: str, client_key: str, day: str, window: float, now: float) -> int:
    """Record one request from a client and return how many it made in the window.

    The client is stored only as sha256(daily salt + key). Salts older than today are
    deleted, so yesterday's hashes can no longer be linked to an address; rows older than
    a day are deleted too."""
    import hashlib
    db.execute("BEGIN IMMEDIATE")
    try:
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
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return n


def healthy(db: Database) -> bool:
    return db.execute("SELECT 1").fetchone()[0] == 1
