"""Accepting a response: the one sequence both the HTML form and the JSON API run once their
input is in the API's value shapes (DESIGN §5).

Availability (403/404/410), answers, the 差评 contact, the invite code, the rate limit, the
bot check, the case the response opens, then one transaction. Each channel words the refusal
for its reader; the rules are here once.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from portal.surveys import Survey

from . import answers, cases, definitions, ratelimit, store
from .answers import AnswerError
from .context import PLACE, needs_place
from .db import get_db

INVITE = "invite"           # the error key of the invite code
IDEMPOTENCY = "Idempotency-Key"
NOT_FOUND, NOT_YET, CLOSED = 404, 403, 410
STATUS_FOR = {"not_yet": NOT_YET, "closed": CLOSED}


def availability(survey: Survey | None) -> int | None:
    """Why a survey cannot take responses today (404 unknown, 403 not yet open, 410 closed),
    or None when it is open."""
    if survey is None:
        return NOT_FOUND
    return STATUS_FOR.get(survey.status(definitions.today()))


@dataclass(frozen=True)
class Refusal:
    """A response not stored: its HTTP status, what to fix, and for 429 how long to wait."""
    status: int
    errors: tuple[AnswerError, ...] = ()
    wait: int = 0
    too_fast: bool = False


@dataclass(frozen=True)
class Submission:
    survey: Survey
    answers: Mapping[str, Any]              # API value shapes
    context: Mapping[str, str]              # checked service / window / community
    invite: str | None = None
    phone: Any = None
    consent: Any = None
    started: float | None = None            # when the form was first shown (the HTML form only)
    key: str | None = None                  # one-time submission key: the form's, or Idempotency-Key
    channel: str = "form"                   # "form" or "api"


@dataclass(frozen=True)
class Accepted:
    receipt: str
    replayed: bool = False                  # the key was used before: nothing new was stored


def check(sub: Submission) -> tuple[dict[str, Any], cases.Contact, list[AnswerError]]:
    """The answers to store, the contact kept for a 差评, and every problem, each naming its
    question."""
    clean, errors = answers.check(sub.survey, sub.answers)
    contact, contact_errors = cases.parse_contact(sub.survey, clean, sub.phone, sub.consent)
    errors += contact_errors
    if sub.survey.access == "invite" and not sub.invite:
        errors.insert(0, AnswerError(INVITE, "请填写邀请码（在社区发放的邀请函上）"))
    if needs_place(sub.survey, sub.context):       # a 差评 must have a centre to answer it
        errors.insert(0, AnswerError(PLACE, "请选择您在哪个社区服务中心办理（不记得窗口也可以）")
                      if sub.channel == "form" else
                      AnswerError("context", "好差评必须注明社区：请在 context.community 中写社区编号"))
    return clean, contact, errors


def accept(sub: Submission) -> Accepted | Refusal:
    """Store one response (and the 差评 case it opens) in one transaction: its receipt, or why
    it was refused. Nothing is stored on refusal. A submission whose key was used before
    (Back, then 提交 again; a client retrying) gets the first receipt and stores nothing."""
    survey = sub.survey
    key = store.key_hash(sub.channel, survey.id, sub.key) if sub.key else None
    body = store.body_hash(dict(sub.answers), dict(sub.context)) if key and sub.channel == "api" else None
    if key:
        try:
            first = store.receipt_for(get_db(), key, body)
        except store.KeyReused as e:
            return Refusal(422, (AnswerError(IDEMPOTENCY, str(e)),))
        if first is not None:
            return Accepted(first, replayed=True)
    clean, contact, errors = check(sub)
    if errors:
        return Refusal(422, tuple(errors))
    wait = ratelimit.exceeded("submit", "SURVEY_RATELIMIT")
    if wait is not None:
        return Refusal(429, wait=wait)
    if sub.started is not None and time.time() - sub.started < current_app.config["SURVEY_MIN_SECONDS"]:
        return Refusal(422, (AnswerError("", "提交太快了，请核对答案后再提交"),), too_fast=True)
    try:
        receipt, new = store.save_response(get_db(), survey.id, survey.version, answers.to_store(survey, clean),
                                           dict(sub.context),
                                           definitions.now_iso(), sub.invite if survey.access == "invite" else None,
                                           case_for(survey, clean, contact), key, body)
    except store.InviteError as e:
        return Refusal(422, (AnswerError(INVITE, str(e)),))
    except store.KeyReused as e:
        return Refusal(422, (AnswerError(IDEMPOTENCY, str(e)),))
    return Accepted(receipt, replayed=not new)


def case_days() -> tuple[int, int]:
    """This service's 差评 deadlines in working days: (verify, reply)."""
    config = current_app.config
    return int(config["SURVEY_CASE_VERIFY_DAYS"]), int(config["SURVEY_CASE_REPLY_DAYS"])


def case_for(survey: Survey, clean: Mapping[str, Any], contact: cases.Contact) -> dict[str, Any] | None:
    """The 差评 case a response opens, with this service's deadlines and the site's calendar."""
    return cases.new_case(survey, clean, contact, definitions.site().calendar, definitions.today(), *case_days())
