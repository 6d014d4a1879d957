"""Paper ballots (民主测评 at the meeting): each staff member's entry of a survey's ballot counts
and tally of marks. An entry is one row written in one transaction; a person entering again
replaces their own entry (the old row stays, for the audit trail, but only each person's newest
entry is compared). Whether two entries agree is decided by survey.ballots (pure)."""
from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from .connection import transaction

ENTRY_COLUMNS = ("id", "survey", "staff", "entered", "held", "label", "issued", "returned", "valid", "invalid",
                 "marks")


def _entry(row) -> dict[str, Any]:
    e = dict(zip(ENTRY_COLUMNS, row, strict=True))
    e["marks"] = json.loads(e["marks"])
    return e


def save_entry(db: Database, entry: dict[str, Any]) -> int:
    """Store one person's entry (already checked); its id."""
    row = {**entry, "marks": json.dumps(entry["marks"], ensure_ascii=False, sort_keys=True)}
    cols = [c for c in ENTRY_COLUMNS if c != "id"]
    with transaction(db):
        cur = db.execute(f"INSERT INTO ballot_entries ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         [row[c] for c in cols])
    return int(cur.lastrowid or 0)


def entries(db: Database, survey: str) -> list[dict[str, Any]]:
    """Every entry for a survey, oldest first."""
    return [_entry(r) for r in db.execute(
        f"SELECT {', '.join(ENTRY_COLUMNS)} FROM ballot_entries WHERE survey = ? ORDER BY id", [survey]).fetchall()]


def latest_per_staff(db: Database, survey: str) -> list[dict[str, Any]]:
    """Each person's newest entry, in the order they were made."""
    newest: dict[str, dict[str, Any]] = {}
    for e in entries(db, survey):
        newest.pop(e["staff"], None)
        newest[e["staff"]] = e
    return list(newest.values())


def surveys_with_entries(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT survey FROM ballot_entries").fetchall()}
