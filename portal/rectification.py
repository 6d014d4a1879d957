"""差评整改, declared once for the portal and the survey service: the levels that open a case,
the verdicts, the states a case is shown in and the rules that decide them.

国办发〔2019〕51号《关于建立政务服务“好差评”制度提高政务服务水平的意见》: every 差评 is
verified, rectified and answered within set deadlines; a case is overdue when either deadline
passes with its step undone. Staff queues and published results use these same rules, so the
two always show the same state for the same case.
"""
from __future__ import annotations

import datetime as dt

from . import schema

LEVELS = schema.CASE_LEVELS          # 不满意, 非常不满意: the answers that open a case
VERDICTS = schema.CASE_VERDICTS      # 属实, 不属实
STATE_LABELS = {"open": "办理中", "overdue": "已逾期", "closed": "已办结"}
# 回访: how the centre followed up with the resident before closing (51号: 回访、整改、反馈).
FOLLOWUP_METHODS = schema.CASE_FOLLOWUPS
# The resident's rating of the rectification, from the tracking page.
FEEDBACK = ("满意", "不满意")
# 申诉复核: a community appeals a rating it thinks unfair; the district decides.
APPEAL_LABELS = {"pending": "申诉复核中", "upheld": "申诉成立，不计入好评率", "rejected": "申诉不成立，维持评价"}
PUBLISHED_APPEALS = dict(zip(("upheld", "rejected"), schema.CASE_APPEALS, strict=True))


def state(closed: dt.date | None, verified: dt.date | None, verify_due: dt.date, reply_due: dt.date,
          today: dt.date) -> str:
    """closed / overdue / open: overdue once the reply deadline has passed, or the verify
    deadline with the case still unverified."""
    if closed:
        return "closed"
    if today > reply_due or (not verified and today > verify_due):
        return "overdue"
    return "open"


def on_time(closed: dt.date | None, reply_due: dt.date) -> bool | None:
    """Whether a case was answered by its deadline; None while it is open."""
    return None if closed is None else closed <= reply_due
