"""The database schema, one migration per version (append only): each step moves the schema
one version forward in its own transaction."""
from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database


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


def _v4(db: Database) -> None:
    """Anonymous invitations (a code is marked used; nothing ties it to the answers, and those
    answers carry only the day and a random order), one-time submission keys, staff roles, the
    audit log, 回访 and the resident's second rating, 申诉复核."""
    db.execute("ALTER TABLE invites ADD COLUMN used INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE invites SET used = 1 WHERE code IN (SELECT invite FROM responses WHERE invite IS NOT NULL)")
    db.execute("UPDATE responses SET submitted = substr(submitted, 1, 10) || 'T00:00:00+08:00' "
               "WHERE invite IS NOT NULL")
    for sql in db.table("responses").transform_sql(drop={"invite"}):
        db.execute(sql)
    db.execute("ALTER TABLE responses ADD COLUMN submission_key TEXT")
    db.execute("ALTER TABLE responses ADD COLUMN submission_body TEXT")
    db.execute("CREATE UNIQUE INDEX responses_key ON responses(submission_key)")
    db.execute("ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'")
    db.execute("ALTER TABLE staff ADD COLUMN community TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE staff ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")
    db.execute("""CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        staff TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    )""")
    for column in ("followup_method TEXT", "followup_result TEXT NOT NULL DEFAULT ''", "feedback TEXT",
                   "feedback_at TEXT", "appeal_state TEXT", "appeal_reason TEXT NOT NULL DEFAULT ''",
                   "appeal_by TEXT", "appeal_at TEXT", "appeal_decided_by TEXT", "appeal_decided_at TEXT",
                   "appeal_note TEXT NOT NULL DEFAULT ''"):
        db.execute(f"ALTER TABLE cases ADD COLUMN {column}")


def _v5(db: Database) -> None:
    """Sessions that end: each account has a session version that a logout, a password reset, a
    role or community change and disabling the account all move on, so every session cookie
    issued before is refused at once (the trigger covers every path that updates an account).
    And an index on hits(at) for the rate limiter's clean-up."""
    db.execute("ALTER TABLE staff ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0")
    db.execute("""CREATE TRIGGER staff_sessions_end AFTER UPDATE OF password, role, community, disabled ON staff
        WHEN OLD.password IS NOT NEW.password OR OLD.role IS NOT NEW.role
          OR OLD.community IS NOT NEW.community OR OLD.disabled IS NOT NEW.disabled
        BEGIN
          UPDATE staff SET session_version = session_version + 1 WHERE name = NEW.name;
        END""")
    db.execute("CREATE INDEX hits_at ON hits(at)")


def _v6(db: Database) -> None:
    """留言 (咨询·建议·投诉·求助): residents' messages and every state change of each."""
    # The contact phone is kept only with consent and set to NULL when the message is closed.
    db.execute("""CREATE TABLE messages (
        receipt TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        community TEXT NOT NULL,
        origin TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        public INTEGER NOT NULL DEFAULT 0,
        contact TEXT,
        received TEXT NOT NULL,
        accept_due TEXT NOT NULL,
        reply_due TEXT NOT NULL,
        estimated INTEGER NOT NULL DEFAULT 0,
        accepted TEXT,
        reply TEXT NOT NULL DEFAULT '',
        replied TEXT,
        replied_by TEXT,
        closed TEXT,
        submission_key TEXT UNIQUE
    )""")
    db.execute("CREATE INDEX messages_community ON messages(community, closed, reply_due)")
    db.execute("""CREATE TABLE message_events (
        id INTEGER PRIMARY KEY,
        receipt TEXT NOT NULL REFERENCES messages(receipt),
        at TEXT NOT NULL,
        staff TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""")
    db.execute("CREATE INDEX message_events_receipt ON message_events(receipt, id)")


def _v7(db: Database) -> None:
    """依申请公开: information requests, their clock and every state change of each. The ID
    number is never stored: only masked, and as a keyed hash (the salt below) staff can compare
    a presented card with. Name, phone, e-mail and address stay here, shown on staff pages only."""
    db.execute("""CREATE TABLE requests (
        receipt TEXT PRIMARY KEY,
        received TEXT NOT NULL,
        applicant_type TEXT NOT NULL,
        name TEXT NOT NULL,
        id_type TEXT NOT NULL,
        id_masked TEXT NOT NULL,
        id_hash TEXT NOT NULL,
        phone TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL,
        description TEXT NOT NULL,
        purpose TEXT NOT NULL DEFAULT '',
        format TEXT NOT NULL,
        delivery TEXT NOT NULL,
        state TEXT NOT NULL,
        due TEXT,
        estimated INTEGER NOT NULL DEFAULT 0,
        extended TEXT,
        extension_reason TEXT NOT NULL DEFAULT '',
        correction_asked TEXT,
        correction_note TEXT NOT NULL DEFAULT '',
        correction_due TEXT,
        correction_done TEXT,
        answered TEXT,
        outcome TEXT,
        outcome_reason TEXT NOT NULL DEFAULT '',
        organ TEXT NOT NULL DEFAULT '',
        reply TEXT NOT NULL DEFAULT '',
        submission_key TEXT UNIQUE
    )""")
    db.execute("CREATE INDEX requests_received ON requests(received)")
    db.execute("""CREATE TABLE request_events (
        id INTEGER PRIMARY KEY,
        receipt TEXT NOT NULL REFERENCES requests(receipt),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""")
    db.execute("CREATE INDEX request_events_receipt ON request_events(receipt, id)")
    db.execute("CREATE TABLE request_salt (salt TEXT NOT NULL)")
    db.execute("INSERT INTO request_salt (salt) VALUES (lower(hex(randomblob(32))))")


def _v8(db: Database) -> None:
    """Paper ballots of a 评议 meeting (民主测评), entered by staff: each entry is one person's
    count of the sheets (发出 / 收回 / 有效 / 废票) and their tally of marks (JSON); two people's
    entries must agree before the tally is used (survey.ballots)."""
    db.execute("""CREATE TABLE ballot_entries (
        id INTEGER PRIMARY KEY,
        survey TEXT NOT NULL,
        staff TEXT NOT NULL,
        entered TEXT NOT NULL,
        held TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        issued INTEGER NOT NULL,
        returned INTEGER NOT NULL,
        valid INTEGER NOT NULL,
        invalid INTEGER NOT NULL,
        marks TEXT NOT NULL DEFAULT '{}'
    )""")
    db.execute("CREATE INDEX ballot_entries_survey ON ballot_entries(survey, id)")


# Append only: each entry moves the schema one version forward.
MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8)
