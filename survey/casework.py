"""Staff pages for 差评整改 under /survey/admin/cases/: the queue (open / overdue / closed,
overdue highlighted and counted), one case with its verification and its rectification and
reply; closing a case deletes the resident's phone number."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, session, url_for
from werkzeug.exceptions import NotFound

from portal import rectification

from . import cases, definitions, store
from .answers import AnswerError
from .db import get_db
from .layout import login_required, no_store, staff_page

bp = Blueprint("casework", __name__, url_prefix="/survey/admin/cases")
bp.after_request(no_store)
LIMIT = 2000


def _view(case: dict[str, Any]) -> dict[str, Any]:
    """A case with what the pages show: state, service and community names."""
    site = definitions.site()
    service = site.guide(case["service"]) if case["service"] else None
    community = site.communities.get(case["community"]) if case["community"] else None
    survey = definitions.get(case["survey"])
    return {**case, "state": cases.state(case, definitions.today()), "on_time": cases.on_time(case),
            "service_title": service.title if service is not None else case["service"],
            "community_name": community.name if community is not None else case["community"],
            "survey_title": survey.title if survey else case["survey"]}


@bp.get("/")
@login_required
def queue():
    want = request.args.get("state", "")
    every = [_view(c) for c in store.cases(get_db())]
    counts = {s: sum(1 for c in every if c["state"] == s) for s in rectification.STATE_LABELS}
    shown = [c for c in every if not want or c["state"] == want]
    # overdue first, then open ones by deadline, then closed ones newest first
    pending = sorted((c for c in shown if c["state"] != "closed"),
                     key=lambda c: (c["state"] != "overdue", c["reply_due"]))
    done = sorted((c for c in shown if c["state"] == "closed"), key=lambda c: c["closed"], reverse=True)
    shown = pending + done
    return staff_page("survey/admin/cases.html", "差评整改", cases=shown[:LIMIT], counts=counts, want=want,
                 labels=rectification.STATE_LABELS, total=len(every))


def _case_page(receipt: str, status: int = 200, errors: list | None = None, form: dict | None = None):
    case = store.case(get_db(), receipt)
    if case is None:
        raise NotFound("找不到这个差评，请检查回执码")
    response = store.response_full(get_db(), receipt)
    survey = definitions.get(case["survey"])
    return staff_page("survey/admin/case.html", f"差评 {receipt}", status, case=_view(case), response=response,
                 survey=survey, errors=errors or [], form=form or {}, labels=rectification.STATE_LABELS,
                 verdicts=rectification.VERDICTS)


@bp.get("/<receipt>")
@login_required
def detail(receipt: str):
    return _case_page(receipt)


def _record(receipt: str, errors: list, field: str, action):
    """Run a case action when the form is valid; the case page again (422) with every
    problem, or back to the case after the change (303)."""
    if not errors:
        try:
            action()
        except store.CaseError as e:
            errors.append(AnswerError(field, str(e)))
    if errors:
        return _case_page(receipt, 422, errors, request.form.to_dict())
    return redirect(url_for("casework.detail", receipt=receipt), code=303)


@bp.post("/<receipt>/verify")
@login_required
def verify(receipt: str):
    verdict = request.form.get("verdict", "")
    note = request.form.get("verdict_note", "").strip()
    errors = []
    if verdict not in rectification.VERDICTS:
        errors.append(AnswerError("verdict", "请选择核实结果：属实或不属实"))
    if verdict == "不属实" and not note:
        errors.append(AnswerError("verdict_note", "核实为“不属实”时，请写明理由"))
    if len(note) > 2000:
        errors.append(AnswerError("verdict_note", "核实说明最多 2000 字"))
    return _record(receipt, errors, "verdict",
                   lambda: store.verify_case(get_db(), receipt, verdict, note, session["staff"], definitions.now_iso()))


@bp.post("/<receipt>/close")
@login_required
def close(receipt: str):
    fix = request.form.get("rectification", "").strip()
    reply = request.form.get("reply", "").strip()
    case = store.case(get_db(), receipt)
    errors = []
    if case is not None and case["verdict"] == "属实" and not fix:
        errors.append(AnswerError("rectification", "核实属实的差评，请写明整改措施"))
    if not reply:
        errors.append(AnswerError("reply", "请填写给居民的答复"))
    if len(fix) > 2000 or len(reply) > 2000:
        errors.append(AnswerError("reply", "整改措施和答复各最多 2000 字"))
    return _record(receipt, errors, "reply",
                   lambda: store.close_case(get_db(), receipt, fix, reply, session["staff"], definitions.now_iso()))
