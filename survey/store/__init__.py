"""The only code that speaks SQL. SQLite through sqlite-utils, WAL mode, a versioned schema
migrated at start-up, and every accepted response written in one transaction that is
committed before the caller answers the resident.

connection.py  connect, transaction, migrate      migrations.py  the schema, version by version
responses.py   responses, invitations, limits     cases.py       差评整改, 回访, 申诉复核
staff.py       accounts and the audit log
"""
from __future__ import annotations

from .cases import (
                    CASE_COLUMNS,
                    CaseError,
                    appeal,
                    case,
                    cases,
                    close_case,
                    decide_appeal,
                    insert_demo,
                    record_feedback,
                    upheld_receipts,
                    verify_case,
)
from .connection import RECEIPT_ALPHABET, connect, healthy, migrate, new_receipt, schema_version, transaction
from .migrations import MIGRATIONS
from .responses import (
                    InviteError,
                    KeyReused,
                    body_hash,
                    counts,
                    create_invites,
                    demo_count,
                    hit,
                    key_hash,
                    last_submitted,
                    receipt_for,
                    response,
                    response_full,
                    responses,
                    save_response,
)
from .staff import (
                    ADMIN,
                    COMMUNITY,
                    account,
                    accounts,
                    audit_log,
                    end_sessions,
                    log,
                    set_disabled,
                    set_staff,
                    staff_hash,
)

__all__ = ["ADMIN", "CASE_COLUMNS", "COMMUNITY", "MIGRATIONS", "RECEIPT_ALPHABET", "CaseError", "InviteError",
           "KeyReused", "account", "accounts", "appeal", "audit_log", "body_hash", "case", "cases", "close_case",
           "connect", "counts", "create_invites", "decide_appeal", "demo_count", "end_sessions", "healthy", "hit",
           "insert_demo",
           "key_hash", "last_submitted", "log", "migrate", "new_receipt", "receipt_for", "record_feedback",
           "response", "response_full", "responses", "save_response", "schema_version", "set_disabled",
           "set_staff", "staff_hash", "transaction", "upheld_receipts", "verify_case"]
