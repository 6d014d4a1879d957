"""The only module that speaks SQL. SQLite through sqlite-utils, WAL mode, a versioned schema
migrated at start-up, and every accepted response written in one transaction that is
committed before the caller answers the resident.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Callable
from typing import Any

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


def _v3(db: Database) -> None:
    """差评整改 cases, one per bad rating, opened in the rating's own transaction."""
    db.execute("""CREATE TABLE cases (
        receipt TEXT PRIMARY KEY REFERENCES responses(receipt),
        survey TEXT NOT NULL,
        opened TEXT NOT NULL,
        level TEXT NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        service TEXT NOT NULL DEFAULT '',
        window TEXT NOT NULL DEFAULT '',
        community TEXT NOT NULL DEFAULT '',
        verify_due TEXT NOT NULL,
        reply_due TEXT NOT NULL,
        estimated INTEGER NOT NULL DEFAULT 0,
        phone TEXT,
        verified TEXT,
        verdict TEXT,
        verdict_note TEXT NOT NULL DEFAULT '',
        verified_by TEXT,
        rectification TEXT NOT NULL DEFAULT '',
        reply TEXT NOT NULL DEFAULT '',
        closed TEXT,
        closed_by TEXT
    )""")
    db.execute("CREATE INDEX cases_survey ON cases(survey, closed, reply_due)")


# Append only: each entry moves the schema one version forward.
MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1, _v2, _v3)


class InviteError(Exception):
    """An invite code that does not exist for this survey, or was already used."""


def connect(path: str) -> Database:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")       # an acknowledged response survives power loss
    db.execute("PRAGMA foreign_keys=ON")
    return db


@contextlib.contextmanager
def transaction(db: Database):
    """One write transaction, taken at once (BEGIN IMMEDIATE) so concurrent writers queue
    instead of failing half-way; committed on success, rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database) -> None:
    """Bring the database to the newest schema, one transaction per step."""
    current = schema_version(db)
    for n, step in enumerate(MIGRATIONS[current:], current + 1):
        with transaction(db):
            if schema_version(db) < n:          # another process may have done it meanwhile
                step(db)
                db.execute(f"PRAGMA user_version = {n}")


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


def save_response(db: Database, survey: str, version: str, answers: dict[str, Any],
                  context: dict[str, str], submitted: str, invite: str | None = None,
                  case: dict[str, Any] | None = None) -> str:
    """Store one response in a single transaction and return its receipt. With an invite,
    the UNIQUE constraint on `invite` guarantees one response per code even when two
    submissions race. A `case` (差评整改: level, reasons, verify_due, reply_due, estimated,
    phone) is opened in the same transaction, so a bad rating never exists without its case.
    `submitted`: ISO time, +08:00 (portal.clock; every time stored comes from the caller)."""
    receipt = new_receipt()
    try:
        with transaction(db):
            _insert_response(db, receipt, survey, version, answers, context, invite, case, submitted)
    except sqlite3.IntegrityError as e:
        if invite is not None and "invite" in str(e):
            raise InviteError("该邀请码已经使用过") from None
        raise
    return receipt


def _insert_response(db: Database, receipt: str, survey: str, version: str, answers: dict[str, Any],
                     context: dict[str, str], invite: str | None, case: dict[str, Any] | None,
                     submitted: str) -> None:
    if invite is not None:
        row = db.execute("SELECT 1 FROM invites WHERE code = ? AND survey = ?", [invite, survey]).fetchone()
        if row is None:
            raise InviteError("邀请码不正确")
    db.execute("INSERT INTO responses (survey, receipt, submitted, version, context, answers, invite) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               [survey, receipt, submitted, version, json.dumps(context, ensure_ascii=False, sort_keys=True),
                json.dumps(answers, ensure_ascii=False, sort_keys=True), invite])
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
    rows = list(db.query("SELECT survey, receipt, submitted FROM responses WHERE receipt = ?", [receipt]))
    return rows[0] if rows else None


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


# --- staff accounts ---------------------------------------------------------------------

def set_staff(db: Database, name: str, password_hash: str, created: str) -> bool:
    """Create or update a staff account; True when it is new."""
    with transaction(db):
        new = db.execute("SELECT 1 FROM staff WHERE name = ?", [name]).fetchone() is None
        db.execute("INSERT INTO staff (name, password, created) VALUES (?, ?, ?) "
                   "ON CONFLICT(name) DO UPDATE SET password = excluded.password",
                   [name, password_hash, created])
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


# --- 差评整改 cases ------------------------------------------------------------------------

CASE_COLUMNS = ("receipt", "survey", "opened", "level", "reasons", "service", "window", "community",
                "verify_due", "reply_due", "estimated", "phone", "verified", "verdict", "verdict_note",
                "verified_by", "rectification", "reply", "closed", "closed_by")


def _case(row) -> dict[str, Any]:
    case = dict(zip(CASE_COLUMNS, row, strict=True))
    case["reasons"] = json.loads(case["reasons"])
    case["estimated"] = bool(case["estimated"])
    return case


def cases(db: Database, survey: str | None = None) -> list[dict[str, Any]]:
    """All cases (of one survey), oldest first."""
    sql = f"SELECT {', '.join(CASE_COLUMNS)} FROM cases"
    args: list[Any] = []
    if survey is not None:
        sql += " WHERE survey = ?"
        args.append(survey)
    return [_case(r) for r in db.execute(sql + " ORDER BY opened, receipt", args).fetchall()]


def case(db: Database, receipt: str) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE receipt = ?", [receipt]).fetchone()
    return _case(row) if row else None


class CaseError(Exception):
    """A case action that is not possible in the case's state (message in Chinese)."""


def verify_case(db: Database, receipt: str, verdict: str, note: str, staff: str, now: str) -> None:
    with transaction(db):
        row = db.execute("SELECT closed FROM cases WHERE receipt = ?", [receipt]).fetchone()
        if row is None or row[0]:
            raise CaseError("这个差评已经办结，不能再修改核实结果")
        db.execute("UPDATE cases SET verified = ?, verdict = ?, verdict_note = ?, verified_by = ? WHERE receipt = ?",
                   [now, verdict, note, staff, receipt])


def close_case(db: Database, receipt: str, rectification: str, reply: str, staff: str, now: str) -> None:
    """Record the rectification and the reply, close the case, and delete the phone number."""
    with transaction(db):
        row = db.execute("SELECT verified, closed FROM cases WHERE receipt = ?", [receipt]).fetchone()
        if row is None or row[1]:
            raise CaseError("这个差评已经办结")
        if not row[0]:
            raise CaseError("请先登记核实结果，再办结")
        db.execute("UPDATE cases SET rectification = ?, reply = ?, closed = ?, closed_by = ?, phone = NULL "
                   "WHERE receipt = ?", [rectification, reply, now, staff, receipt])


def insert_demo(db: Database, by_survey: dict[str, list[dict[str, Any]]], cases: list[dict[str, Any]]) -> int:
    """Demo data (survey.demo) in one transaction: all of it or none."""
    n = 0
    with transaction(db):
        for sid, rows in by_survey.items():
            for r in rows:
                db.execute("INSERT INTO responses (survey, receipt, submitted, version, context, answers) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           [sid, r["receipt"], r["submitted"], r["version"],
                            json.dumps(r["context"], ensure_ascii=False, sort_keys=True),
                            json.dumps(r["answers"], ensure_ascii=False, sort_keys=True)])
                n += 1
        for c in cases:
            row = {**c, "reasons": json.dumps(c["reasons"], ensure_ascii=False), "estimated": int(c["estimated"])}
            db.execute(f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) VALUES ({', '.join('?' * len(CASE_COLUMNS))})",
                       [row[k] for k in CASE_COLUMNS])
    return n


def healthy(db: Database) -> bool:
    return db.execute("SELECT 1").fetchone()[0] == 1
