"""Staff pages for 差评整改 under /survey/admin/cases/: the queue (overdue first, working days
left, each community's own cases only for its staff), one case with its verification, its
rectification, reply and 回访; 申诉 by the community and 复核 by the district. Closing a case
deletes the resident's phone number. Every action is in the audit log."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response as BaseResponse

from portal import rectification

from . import cases, definitions, store
from .answers import AnswerError
from .db import get_db
from .layout import no_store, staff_page
from .roles import account, admin_required, audit, is_admin, login_required, may_see_case, scope

bp = Blueprint("casework", __name__, url_prefix="/survey/admin/cases")
bp.after_request(no_store)
LIMIT = 2000
MAX_TEXT = 2000
WHY_APPEAL = "请写明申诉理由（例如：评价与本中心办理的事项无关、系误操作）"


def _view(case: dict[str, Any]) -> dict[str, Any]:
    """A case with what the pages show: state, working days left, service and community names."""
    site, today = definitions.site(), definitions.today()
    service = site.guide(case["service"]) if case["service"] else None
    community = site.communities.get(case["community"]) if case["community"] else None
    survey = definitions.get(case["survey"])
    due = case["reply_due"] if case["verified"] else case["verify_due"]
    return {**case, "state": cases.state(case, today), "on_time": cases.on_time(case),
            "days_left": cases.days_left(site.calendar, today, cases.due_date(due)) if not case["closed"] else None,
            "service_title": service.title if service is not None else case["service"],
            "community_name": community.name if community is not None else case["community"],
            "survey_title": survey.title if survey else case["survey"],
            "appeal_label": rectification.APPEAL_LABELS.get(case["appeal_state"] or "", "")}


def _order(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overdue first, then open ones by deadline, then closed ones newest first."""
    pending = sorted((c for c in shown if c["state"] != "closed"),
                     key=lambda c: (c["state"] != "overdue", c["days_left"] or 0, c["reply_due"]))
    done = sorted((c for c in shown if c["state"] == "closed"), key=lambda c: c["closed"], reverse=True)
    return pending + done


@bp.get("/")
@login_required
def queue() -> Response:
    want = request.args.get("state", "")
    where = scope() or request.args.get("community") or None
    every = [_view(c) for c in store.cases(get_db(), community=where)]
    counts = {s: sum(1 for c in every if c["state"] == s) for s in rectification.STATE_LABELS}
    appeals = sum(1 for c in every if c["appeal_state"] == "pending")
    shown = [c for c in every
             if not want or c["state"] == want or (want == "appeal" and c["appeal_state"] == "pending")]
    return staff_page("survey/admin/cases.html", "差评整改", cases=_order(shown)[:LIMIT], counts=counts, want=want,
                      labels=rectification.STATE_LABELS, total=len(every), appeals=appeals,
                      community=where, community_name=definitions.site().community_name(where) if where else "")


def _case_or_404(receipt: str) -> dict[str, Any]:
    """The case, if this account may see it (another community's case does not exist for it)."""
    case = store.case(get_db(), receipt)
    if case is None or not may_see_case(case):
        raise NotFound("找不到这个差评，请检查回执码")
    return case


def _case_page(receipt: str, status: int = 200, errors: list | None = None, form: dict | None = None) -> Response:
    case = _case_or_404(receipt)
    return staff_page("survey/admin/case.html", f"差评 {receipt}", status, case=_view(case),
                      response=store.response_full(get_db(), receipt), survey=definitions.get(case["survey"]),
                      errors=errors or [], form=form or {}, labels=rectification.STATE_LABELS,
                      verdicts=rectification.VERDICTS, methods=rectification.FOLLOWUP_METHODS,
                      may_appeal=not is_admin(), may_decide=is_admin())


@bp.get("/<receipt>")
@login_required
def detail(receipt: str) -> Response:
    return _case_page(receipt)


def _record(receipt: str, errors: list, field: str, action: Callable[[], None], what: str) -> Response | BaseResponse:
    """Run a case action when the form is valid, and log it; the case page again (422) with
    every problem, or back to the case after the change (303)."""
    _case_or_404(receipt)
    if not errors:
        try:
            action()
        except store.CaseError as e:
            errors.append(AnswerError(field, str(e)))
    if errors:
        return _case_page(receipt, 422, errors, request.form.to_dict())
    audit(what, receipt)
    return redirect(url_for("casework.detail", receipt=receipt), code=303)


def _text(name: str) -> str:
    return request.form.get(name, "").strip()


@bp.post("/<receipt>/verify")
@login_required
def verify(receipt: str) -> Response | BaseResponse:
    verdict, note = request.form.get("verdict", ""), _text("verdict_note")
    errors = []
    if verdict not in rectification.VERDICTS:
        errors.append(AnswerError("verdict", "请选择核实结果：属实或不属实"))
    if verdict == "不属实" and not note:
        errors.append(AnswerError("verdict_note", "核实为“不属实”时，请写明理由"))
    if len(note) > MAX_TEXT:
        errors.append(AnswerError("verdict_note", "核实说明最多 2000 字"))
    return _record(receipt, errors, "verdict", lambda: store.verify_case(
        get_db(), receipt, verdict, note, _who(), definitions.now_iso()), f"核实为{verdict}")


def _who() -> str:
    return account()["name"]


@bp.post("/<receipt>/close")
@login_required
def close(receipt: str) -> Response | BaseResponse:
    fix, reply = _text("rectification"), _text("reply")
    method, result = _text("followup_method"), _text("followup_result")
    case = _case_or_404(receipt)
    errors = []
    if case["verdict"] == "属实" and not fix:
        errors.append(AnswerError("rectification", "核实属实的差评，请写明整改措施"))
    if not reply:
        errors.append(AnswerError("reply", "请填写给居民的答复"))
    if method not in rectification.FOLLOWUP_METHODS:
        errors.append(AnswerError("followup_method", "请选择回访方式（国办发〔2019〕51号：差评要回访）"))
    if not result:
        errors.append(AnswerError("followup_result", "请写明回访情况（居民的意见；未能联系上的写明联系了几次）"))
    if max(len(fix), len(reply), len(result)) > MAX_TEXT:
        errors.append(AnswerError("reply", "整改措施、答复和回访情况各最多 2000 字"))
    return _record(receipt, errors, "reply", lambda: store.close_case(
        get_db(), receipt, fix, reply, _who(), definitions.now_iso(), method, result), "办结")


@bp.post("/<receipt>/appeal")
@login_required
def appeal(receipt: str) -> Response | BaseResponse:
    """申诉: community staff ask the district to review a rating they think unfair."""
    if is_admin():
        raise Forbidden("申诉由社区工作人员提出，区级管理员负责复核")
    reason = _text("appeal_reason")
    errors = [] if reason else [AnswerError("appeal_reason", WHY_APPEAL)]
    if len(reason) > MAX_TEXT:
        errors.append(AnswerError("appeal_reason", "申诉理由最多 2000 字"))
    return _record(receipt, errors, "appeal_reason", lambda: store.appeal(
        get_db(), receipt, reason, _who(), definitions.now_iso()), "申诉")


@bp.post("/<receipt>/decide")
@login_required
@admin_required
def decide(receipt: str) -> Response | BaseResponse:
    """复核: the district upholds the appeal (the rating no longer counts) or rejects it."""
    decision, note = request.form.get("decision", ""), _text("appeal_note")
    errors = []
    if decision not in ("upheld", "rejected"):
        errors.append(AnswerError("decision", "请选择复核结果：申诉成立或申诉不成立"))
    if not note:
        errors.append(AnswerError("appeal_note", "请写明复核意见"))
    return _record(receipt, errors, "decision", lambda: store.decide_appeal(
        get_db(), receipt, decision == "upheld", note, _who(), definitions.now_iso()),
        "复核：" + rectification.APPEAL_LABELS.get(decision, ""))
