"""差评整改: every 不满意 / 非常不满意 on a 好差评 survey opens a rectification case
(国办发〔2019〕51号《关于建立政务服务“好差评”制度提高政务服务水平的意见》: bad ratings are
verified, rectified and answered). Deadlines are counted in working days with the builder's
calendar: verify within SURVEY_CASE_VERIFY_DAYS (1), rectify and reply within
SURVEY_CASE_REPLY_DAYS (15).

A resident may leave a phone number for the follow-up, only with explicit consent; it is kept
outside the answers (never exported or published), shown to staff only, and deleted when the
case closes. Pure functions; the SQL lives in store.py.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from portal import rectification, schema, workdays
from portal.surveys import OTHER, Question, Survey

from .answers import AnswerError

CONTACT = "contact"         # the error key for the phone / consent fields


@dataclass(frozen=True)
class Contact:
    phone: str | None        # kept only with consent


def is_bad(survey: Survey, answers: Mapping[str, Any]) -> bool:
    """A 差评: a 好差评 survey whose headline five-level answer is 不满意 or 非常不满意."""
    q = survey.headline
    return survey.kind == "好差评" and q is not None and answers.get(q.id) in rectification.LEVELS


def headline_answer(survey: Survey, answers: Mapping[str, Any]) -> str:
    """The answer to the survey's five-level headline question ("" when there is none)."""
    q = survey.headline
    return answers.get(q.id, "") if q is not None else ""


def reason_questions(survey: Survey) -> Iterator[Question]:
    """Choice questions shown only for a 差评 (their show_if names the headline question):
    their answers are the case's reason categories, which may be published."""
    q = survey.headline
    for other in survey.questions:
        cond = other.show_if
        if q is None or cond is None or other.type not in schema.PICK_TYPES:
            continue
        names = {cond.question} | {c.question for c in [*(cond.get("all") or ()), *(cond.get("any") or ())]}
        if q.id in names:
            yield other


def reasons(survey: Survey, answers: Mapping[str, Any]) -> list[str]:
    """The chosen reason labels (“其他” without its free text, which is not published)."""
    out: list[str] = []
    for q in reason_questions(survey):
        v = answers.get(q.id)
        labels = {c.value: c.label for c in q.scale}
        for x in (v if isinstance(v, list) else [v] if v else []):
            out.append("其他" if x == OTHER else labels.get(x, str(x)))
    return out


def parse_contact(survey: Survey, answers: Mapping[str, Any], phone: Any, consent: Any
                  ) -> tuple[Contact, list[AnswerError]]:
    """Check the optional phone of a 差评. A phone without consent is refused, never stored;
    for a good rating (no case) both are ignored and nothing is kept."""
    phone = phone.strip().replace(" ", "") if isinstance(phone, str) else ""
    consent = consent in (True, "1", "on", "yes", "true")
    if not is_bad(survey, answers):
        return Contact(None), []
    if not phone:
        return Contact(None), []
    if not consent:
        return Contact(None), [AnswerError(CONTACT, "留下电话前请勾选“同意社区服务中心用这个电话联系我”；"
                                                    "不同意也可以不留电话")]
    if not schema.CONTACT_PHONE_RE.match(phone):
        return Contact(None), [AnswerError(CONTACT, f"电话号码“{phone}”格式不对，请填写 11 位手机号或带区号的固定电话")]
    return Contact(phone), []


def deadlines(opened: dt.date, calendar: workdays.Calendar, verify_days: int, reply_days: int
              ) -> tuple[dt.date, dt.date, bool]:
    """(verify by, reply by, estimated). Counted in working days after the day the rating was
    given. For a year no calendar knows yet, Monday–Friday are counted and the case is marked
    estimated rather than refusing the resident's rating."""
    verify_by, estimated = add_workdays(calendar, opened, verify_days)
    reply_by, estimated_reply = add_workdays(calendar, opened, reply_days)
    return verify_by, reply_by, estimated or estimated_reply


def add_workdays(calendar: workdays.Calendar, day: dt.date, n: int) -> tuple[dt.date, bool]:
    """(the n-th working day after `day`, estimated): Monday–Friday stand in for a year the
    calendar does not know yet."""
    try:
        return calendar.add(day, n), False
    except workdays.UnknownYear:
        weekdays = workdays.Calendar(years=frozenset(range(day.year, day.year + 2)))
        return weekdays.add(day, n), True


def days_left(calendar: workdays.Calendar, today: dt.date, due: dt.date) -> int:
    """Working days from today to a deadline; negative once it has passed (weekdays stand in
    for a year the calendar does not know)."""
    known = calendar if calendar.knows(today.year) and calendar.knows(due.year) else \
        workdays.Calendar(years=frozenset(range(min(today.year, due.year), max(today.year, due.year) + 1)))
    return known.between(today, due) if due >= today else -known.between(due, today)


def new_case(survey: Survey, answers: Mapping[str, Any], contact: Contact, calendar: workdays.Calendar,
             today: dt.date, verify_days: int, reply_days: int) -> dict[str, Any] | None:
    """The case a response opens (for store.save_response), or None for a good rating."""
    if not is_bad(survey, answers):
        return None
    verify_due, reply_due, estimated = deadlines(today, calendar, verify_days, reply_days)
    return {"level": headline_answer(survey, answers), "reasons": reasons(survey, answers),
            "verify_due": verify_due.isoformat(), "reply_due": reply_due.isoformat(),
            "estimated": estimated, "phone": contact.phone}


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def due_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def state(case: Mapping[str, Any], today: dt.date) -> str:
    """open / overdue / closed of a stored case row (portal.rectification's rule)."""
    return rectification.state(_day(case["closed"]), _day(case["verified"]), due_date(case["verify_due"]),
                               due_date(case["reply_due"]), today)


def on_time(case: Mapping[str, Any]) -> bool | None:
    """Whether a closed case was answered by its deadline (None while open)."""
    return rectification.on_time(_day(case["closed"]), due_date(case["reply_due"]))
