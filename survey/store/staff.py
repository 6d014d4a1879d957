"""Staff accounts (district administrators and community staff) and the audit log of every
staff action."""
from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .connection import transaction

ADMIN, COMMUNITY = "admin", "community"
ACCOUNT_COLUMNS = ("name", "role", "community", "disabled", "created", "session_version")


def set_staff(db: Database, name: str, password_hash: str, created: str, role: str = ADMIN,
              community: str = "") -> bool:
    """Create an account, or reset an existing one's password (its role kept); True when new."""
    with transaction(db):
        new = db.execute("SELECT 1 FROM staff WHERE name = ?", [name]).fetchone() is None
        if new:
            db.execute("INSERT INTO staff (name, password, created, role, community) VALUES (?, ?, ?, ?, ?)",
                       [name, password_hash, created, role, community])
        else:
            db.execute("UPDATE staff SET password = ?, disabled = 0 WHERE name = ?", [password_hash, name])
    return new


def staff_hash(db: Database, name: str) -> str | None:
    """The password hash of an active account (None for an unknown or disabled one)."""
    row = db.execute("SELECT password FROM staff WHERE name = ? AND disabled = 0", [name]).fetchone()
    return row[0] if row else None


def account(db: Database, name: str) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM staff WHERE name = ?", [name]).fetchone()
    return dict(zip(ACCOUNT_COLUMNS, row, strict=True)) if row else None


def accounts(db: Database) -> list[dict[str, Any]]:
    rows = db.execute(f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM staff ORDER BY role, community, name").fetchall()
    return [dict(zip(ACCOUNT_COLUMNS, r, strict=True)) for r in rows]


def end_sessions(db: Database, name: str) -> None:
    """Every session of this account ends now (a logout ends them on every device)."""
    with transaction(db):
        db.execute("UPDATE staff SET session_version = session_version + 1 WHERE name = ?", [name])


def set_disabled(db: Database, name: str, disabled: bool) -> bool:
    with transaction(db):
        changed = db.execute("UPDATE staff SET disabled = ? WHERE name = ?", [int(disabled), name]).rowcount
    return changed == 1


def log(db: Database, at: str, staff: str, action: str, target: str = "", detail: str = "") -> None:
    """One line of the audit log: who did what to what, and when."""
    with transaction(db):
        db.execute("INSERT INTO audit (at, staff, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                   [at, staff, action, target, detail])


def audit_log(db: Database, limit: int = 500) -> list[dict[str, Any]]:
    rows = db.execute("SELECT at, staff, action, target, detail FROM audit ORDER BY id DESC LIMIT ?",
                      [limit]).fetchall()
    return [dict(zip(("at", "staff", "action", "target", "detail"), r, strict=True)) for r in rows]
