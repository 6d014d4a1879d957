"""差评整改 cases: one per bad rating, opened in the rating's own transaction, then verified,
closed with a rectification, a reply and a 回访 (follow-up), rated by the resident, and
possibly appealed by the community (申诉复核, decided by the district)."""
from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from .connection import transaction

CASE_COLUMNS = ("receipt", "survey", "opened", "level", "reasons", "service", "window", "community",
                "verify_due", "reply_due", "estimated", "phone", "verified", "verdict", "verdict_note",
                "verified_by", "rectification", "reply", "closed", "closed_by", "followup_method",
                "followup_result", "feedback", "feedback_at", "appeal_state", "appeal_reason", "appeal_by",
                "appeal_at", "appeal_decided_by", "appeal_decided_at", "appeal_note")
SELECT = f"SELECT {', '.join(CASE_COLUMNS)} FROM cases"


class CaseError(Exception):
    """A case action that is not possible in the case's state (message in Chinese)."""


def _case(row) -> dict[str, Any]:
    case = dict(zip(CASE_COLUMNS, row, strict=True))
    case["reasons"] = json.loads(case["reasons"])
    case["estimated"] = bool(case["estimated"])
    return case


def cases(db: Database, survey: str | None = None, community: str | None = None) -> list[dict[str, Any]]:
    """All cases (of one survey, of one community), oldest first."""
    where, args = [], []
    if survey is not None:
        where.append("survey = ?")
        args.append(survey)
    if community is not None:
        where.append("community = ?")
        args.append(community)
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY opened, receipt"
    return [_case(r) for r in db.execute(sql, args).fetchall()]


def case(db: Database, receipt: str) -> dict[str, Any] | None:
    row = db.execute(SELECT + " WHERE receipt = ?", [receipt]).fetchone()
    return _case(row) if row else None


def _open(db: Database, receipt: str) -> tuple:
    row = db.execute("SELECT verified, closed, appeal_state FROM cases WHERE receipt = ?", [receipt]).fetchone()
    if row is None:
        raise CaseError("找不到这个差评")
    return row


def verify_case(db: Database, receipt: str, verdict: str, note: str, staff: str, now: str) -> None:
    with transaction(db):
        if _open(db, receipt)[1]:
            raise CaseError("这个差评已经办结，不能再修改核实结果")
        db.execute("UPDATE cases SET verified = ?, verdict = ?, verdict_note = ?, verified_by = ? WHERE receipt = ?",
                   [now, verdict, note, staff, receipt])


def close_case(db: Database, receipt: str, rectification: str, reply: str, staff: str, now: str,
               followup_method: str | None = None, followup_result: str = "") -> None:
    """Record the rectification, the reply and the 回访, close the case, delete the phone."""
    with transaction(db):
        verified, closed, _ = _open(db, receipt)
        if closed:
            raise CaseError("这个差评已经办结")
        if not verified:
            raise CaseError("请先登记核实结果，再办结")
        db.execute("UPDATE cases SET rectification = ?, reply = ?, closed = ?, closed_by = ?, phone = NULL, "
                   "followup_method = ?, followup_result = ? WHERE receipt = ?",
                   [rectification, reply, now, staff, followup_method, followup_result, receipt])


def record_feedback(db: Database, receipt: str, feedback: str, now: str) -> None:
    """The resident's rating of the rectification, once the case is closed; once only."""
    with transaction(db):
        row = db.execute("SELECT closed, feedback FROM cases WHERE receipt = ?", [receipt]).fetchone()
        if row is None or not row[0]:
            raise CaseError("这个差评还在办理中，办结后才能评价整改结果")
        if row[1]:
            raise CaseError("您已经评价过整改结果，谢谢")
        db.execute("UPDATE cases SET feedback = ?, feedback_at = ? WHERE receipt = ?", [feedback, now, receipt])


def appeal(db: Database, receipt: str, reason: str, staff: str, now: str) -> None:
    """申诉: the community asks the district to review a rating it thinks unfair."""
    with transaction(db):
        if _open(db, receipt)[2] in ("pending", "upheld", "rejected"):
            raise CaseError("这个差评已经申诉过")
        db.execute("UPDATE cases SET appeal_state = 'pending', appeal_reason = ?, appeal_by = ?, appeal_at = ? "
                   "WHERE receipt = ?", [reason, staff, now, receipt])


def decide_appeal(db: Database, receipt: str, upheld: bool, note: str, staff: str, now: str) -> None:
    """复核: the district upholds the appeal (the rating no longer counts) or rejects it."""
    with transaction(db):
        if _open(db, receipt)[2] != "pending":
            raise CaseError("这个差评没有待复核的申诉")
        db.execute("UPDATE cases SET appeal_state = ?, appeal_note = ?, appeal_decided_by = ?, appeal_decided_at = ? "
                   "WHERE receipt = ?", ["upheld" if upheld else "rejected", note, staff, now, receipt])


def upheld_receipts(db: Database, survey: str) -> set[str]:
    """Receipts of ratings excluded after an upheld appeal."""
    return {r[0] for r in db.execute("SELECT receipt FROM cases WHERE survey = ? AND appeal_state = 'upheld'",
                                     [survey]).fetchall()}


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
            row: dict[str, Any] = {k: None for k in CASE_COLUMNS}
            row |= {"followup_result": "", "appeal_reason": "", "appeal_note": ""}
            row |= {**c, "reasons": json.dumps(c["reasons"], ensure_ascii=False), "estimated": int(c["estimated"])}
            db.execute(f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) VALUES ({', '.join('?' * len(CASE_COLUMNS))})",
                       [row[k] for k in CASE_COLUMNS])
    return n
