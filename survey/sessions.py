"""Staff sessions that end when they should.

The session is Flask's signed cookie; what makes it revocable is the account's
`session_version` in the database (survey.store.migrations._v5): the cookie carries the version
it was issued under, and a logout, password reset, role change or disabled account moves the
version on, so every copy of an older cookie is refused at once, on every device. A session
also ends after SURVEY_SESSION_IDLE minutes without a request and SURVEY_SESSION_MAX hours
after the login, whatever happens in between.
"""
from __future__ import annotations

import time
from typing import Any

from flask import current_app, session

from . import store
from .db import get_db

STAFF, VERSION, LOGIN, SEEN = "staff", "staff_v", "staff_login", "staff_seen"
ENDED_OR_EXPIRED = "登录已超时或已失效（退出登录、重设密码、账号变更后需要重新登录），请重新登录"


def start(account: dict[str, Any]) -> None:
    """A new session for this account (the old cookie's contents are dropped first, so a
    planted session cannot be carried over)."""
    session.clear()
    now = int(time.time())
    session.update({STAFF: account["name"], VERSION: account["session_version"], LOGIN: now, SEEN: now})
    session.permanent = True


def current() -> tuple[dict[str, Any] | None, bool]:
    """The logged-in account, or None and whether a session was there and has been refused."""
    name = session.get(STAFF)
    if not name:
        return None, False
    found = store.account(get_db(), name)
    now = int(time.time())
    idle = current_app.config["SURVEY_SESSION_IDLE"] * 60
    lifetime = current_app.config["SURVEY_SESSION_MAX"] * 3600
    ended = found is None or found["disabled"] or session.get(VERSION) != found["session_version"]
    expired = now - int(session.get(SEEN, 0)) > idle or now - int(session.get(LOGIN, 0)) > lifetime
    if ended or expired:
        session.clear()
        return None, True
    if now - int(session.get(SEEN, 0)) >= 30:         # re-sign the cookie at most twice a minute
        session[SEEN] = now
    return found, False


def end(name: str) -> None:
    """Log out: this session and every other session of the account end."""
    store.end_sessions(get_db(), name)
    session.clear()
