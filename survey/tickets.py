"""The one-time ticket a resident's form carries from its first render to its submission (a
submission key, so Back-then-提交 stores nothing new, and when the form was first shown, for
the minimum fill time), the form-wide anti-bot field, and the checks every resident form makes
before storing. Shared by the survey forms (survey.resident), the 留言 form (survey.liuyan) and
the 依申请公开 form (survey.requests_resident)."""
from __future__ import annotations

import secrets
import time

from flask import current_app, request, session
from itsdangerous import BadSignature, URLSafeSerializer

from . import ratelimit

HONEYPOT = "website"
SUBMITTED_FOR = 30 * 60          # how long Back to a form shows the ticket just used


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-state")


def new_ticket() -> str:
    """The signed ticket a form carries from its first render to its submission: a one-time
    submission key (so Back-then-提交 stores nothing new) and when the form was first shown
    (the minimum fill time counts from there, not from the last page shown)."""
    return serializer().dumps({"key": secrets.token_urlsafe(16), "shown": time.time()})


def read(ticket: str) -> tuple[str, float] | None:
    """(submission key, when the form was first shown) from a form's ticket, or None when it
    is not one this service signed."""
    try:
        data = serializer().loads(ticket)
        return str(data["key"]), float(data["shown"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def recent(last: str) -> str:
    """The ticket this browser just used on a form (Back after 提交, when the browser fetches
    the form again; `last` is the form's session key), or "" — ?new=1 forgets it, e.g. on a
    centre's shared tablet."""
    used = session.get(last)
    if request.args.get("new") == "1":
        session.pop(last, None)
        return ""
    if not isinstance(used, dict) or time.time() - float(used.get("at", 0)) > SUBMITTED_FOR:
        return ""
    return str(used.get("ticket", ""))


def remember(last: str, ticket: str) -> None:
    """The ticket just stored, so Back to the form shows its receipt (see `recent`)."""
    session[last] = {"ticket": ticket, "at": time.time()}


def refusal(shown: float, button: str) -> tuple[str, int, int | None] | None:
    """Why a checked submission is not stored now — (message, status, Retry-After seconds):
    too many submissions from this client (the rate limit), or sent sooner than a person fills
    the form in; None when it may be stored. What the resident wrote stays on the page."""
    wait = ratelimit.exceeded("submit", "SURVEY_RATELIMIT")
    if wait is not None:
        minutes = max(1, round(wait / 60))
        return f"提交过于频繁，请约 {minutes} 分钟后再点“{button}”，您填写的内容已保留", 429, wait
    if time.time() - shown < current_app.config["SURVEY_MIN_SECONDS"]:
        return "提交太快了，请核对内容后再提交", 422, None
    return None
