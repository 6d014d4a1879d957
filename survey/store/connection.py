"""The connection: WAL, full synchronisation, foreign keys; one write transaction at a time;
migrations at start-up."""
from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import Iterator

from sqlite_utils import Database

from .migrations import MIGRATIONS

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read aloud on the phone


def connect(path: str) -> Database:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")       # an acknowledged response survives power loss
    db.execute("PRAGMA foreign_keys=ON")
    return db


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[None]:
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
    """Bring the database to the newest schema, one transaction per step. Foreign keys are off
    meanwhile (SQLite's procedure for rebuilding a table), and checked afterwards."""
    current = schema_version(db)
    if current >= len(MIGRATIONS):
        return
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        for n, step in enumerate(MIGRATIONS[current:], current + 1):
            with transaction(db):
                if schema_version(db) < n:          # another process may have done it meanwhile
                    step(db)
                    db.execute(f"PRAGMA user_version = {n}")
                    if db.execute("PRAGMA foreign_key_check").fetchall():
                        raise sqlite3.IntegrityError(f"migration {n} broke a reference")
    finally:
        db.execute("PRAGMA foreign_keys=ON")


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


def healthy(db: Database) -> bool:
    return db.execute("SELECT 1").fetchone()[0] == 1
