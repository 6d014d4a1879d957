"""Staff pages for 依申请公开 under /survey/admin/ysqgk/: the queue (overdue first, working days
left), one request with the applicant's details, its clock and event log, and the steps:
延期, 补正 (asked and completed), 答复, 核对证件; publishing the year's counts.

Who: district administrators only. Requests are made to the administrative organ (the
district office), whose 政府信息公开工作机构 answers them (《政府信息公开条例》第四条、第二十七条);
residents' committees are not administrative organs, so community staff neither handle nor see
applications (their personal data stays with the few who must). Every step is written to the
request's own event log (actor and time) and to the audit log (without personal data)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from . import definitions
from . import requests as R
from .answers import AnswerError
from .db import get_db
from .layout import no_store, staff_page
from .requests_publish import PublishError, publish
from .roles import account, admin_required, audit, login_required
from .store import requests as S

bp = Blueprint("requestwork", __name__, url_prefix="/survey/admin/ysqgk")
bp.after_request(no_store)
TITLE = "依申请公开"


def _view(req: dict[str, Any]) -> dict[str, Any]:
    site, today = definitions.site(), definitions.today()
    lapsed = req["state"] == R.CORRECTION and bool(req["correction_due"]) and req["correction_due"] < today.isoformat()
    return {**req, "state_now": R.state(req, today), "days_left": R.left(req, site.calendar, today),
            "late": R.late(req), "correction_lapsed": lapsed}


def _order(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overdue first, then the running clocks by deadline, then those waiting for 补正, then
    the answered ones newest first."""
    rank = {R.OVERDUE: 0, R.OPEN: 1, R.EXTENDED: 1, R.CORRECTION: 2}
    pending = sorted((r for r in shown if r["state_now"] != R.ANSWERED),
                     key=lambda r: (rank[r["state_now"]], r["due"] or r["correction_due"] or "", r["receipt"]))
    done = sorted((r for r in shown if r["state_now"] == R.ANSWERED), key=lambda r: r["answered"], reverse=True)
    return pending + done


@bp.get("/")
@login_required
@admin_required
def queue() -> Response:
    want = request.args.get("state", "")
    every = [_view(r) for r in S.every(get_db())]
    counts = {s: sum(1 for r in every if r["state_now"] == s) for s in R.STATE_LABELS}
    shown = [r for r in every if not want or r["state_now"] == want]
    today = definitions.today()
    return staff_page("survey/admin/ysqgk_queue.html", TITLE, requests=_order(shown), counts=counts, want=want,
                      labels=R.STATE_LABELS, total=len(every), years=list(range(today.year, today.year - 3, -1)),
                      message=request.args.get("published", ""), error="")


def _request_or_404(receipt: str) -> dict[str, Any]:
    req = S.get(get_db(), receipt)
    if req is None:
        raise NotFound("找不到这件依申请公开，请检查回执码")
    return req


def _page(receipt: str, status: int = 200, errors: list | None = None, form: dict | None = None,
          id_check: str = "") -> Response:
    req = _request_or_404(receipt)
    return staff_page("survey/admin/ysqgk_request.html", f"依申请公开 {receipt}", status, req=_view(req),
                      events=S.events(get_db(), receipt), errors=errors or [], form=form or {},
                      labels=R.STATE_LABELS, outcomes=R.OUTCOME_REASONS, id_check=id_check,
                      correction_days=R.CORRECTION_DAYS)


@bp.get("/<receipt>")
@login_required
@admin_required
def detail(receipt: str) -> Response:
    return _page(receipt)


def _step(receipt: str, field: str, rule: Callable[[dict[str, Any]], dict[str, Any]], action: str,
          detail: Callable[[dict[str, Any]], str]) -> Response | BaseResponse:
    """Run one step of the request and log it; the page again (422) with the rule's refusal."""
    _request_or_404(receipt)
    try:
        S.step(get_db(), receipt, rule, account()["name"], action, detail, definitions.now_iso())
    except R.RequestError as e:
        return _page(receipt, 422, [AnswerError(field, str(e))], request.form.to_dict())
    audit(f"依申请公开：{action}", receipt)
    return redirect(url_for("requestwork.detail", receipt=receipt), code=303)


def _text(name: str) -> str:
    return request.form.get(name, "").strip()


@bp.post("/<receipt>/extend")
@login_required
@admin_required
def extend(receipt: str) -> Response | BaseResponse:
    reason = _text("extension_reason")[:R.MAX_TEXT]
    return _step(receipt, "extension_reason",
                 lambda r: R.extend(r, reason, definitions.site().calendar, definitions.today()),
                 "延期答复", lambda c: f"答复期限延至 {c['due']}；理由：{c['extension_reason']}")


@bp.post("/<receipt>/correction")
@login_required
@admin_required
def correction(receipt: str) -> Response | BaseResponse:
    note = _text("correction_note")[:R.MAX_TEXT]
    try:
        days = int(_text("correction_days") or R.CORRECTION_DAYS)
    except ValueError:
        days = 0
    return _step(receipt, "correction_note",
                 lambda r: R.ask_correction(r, note, days, definitions.site().calendar, definitions.today()),
                 "要求补正", lambda c: f"补正期限 {c['correction_due']}；答复期限暂停计算")


@bp.post("/<receipt>/corrected")
@login_required
@admin_required
def corrected(receipt: str) -> Response | BaseResponse:
    return _step(receipt, "corrected",
                 lambda r: R.complete_correction(r, definitions.site().calendar, definitions.today()),
                 "收到补正", lambda c: f"答复期限重新计算至 {c['due']}")


@bp.post("/<receipt>/answer")
@login_required
@admin_required
def answer(receipt: str) -> Response | BaseResponse:
    outcome, reason, reply, organ = _text("outcome"), _text("outcome_reason"), _text("reply"), _text("organ")[:100]
    return _step(receipt, "outcome", lambda r: R.answer(r, outcome, reason, reply, organ, definitions.today()),
                 "答复", lambda c: c["outcome"] + (f"（{c['outcome_reason']}）" if c["outcome_reason"] else ""))


@bp.post("/<receipt>/check-id")
@login_required
@admin_required
def check_id(receipt: str) -> Response:
    """Compare the card an applicant shows with the stored hash; the number is not kept or logged."""
    req = _request_or_404(receipt)
    number = R.normalise_id(request.form.get("id_number", ""))[:40]
    same = bool(number) and R.id_hash(S.salt(get_db()), req["id_type"], number) == req["id_hash"]
    audit("依申请公开：核对证件", receipt, "一致" if same else "不一致")
    return _page(receipt, id_check="same" if same else "different")


@bp.post("/publish")
@login_required
@admin_required
def publish_stats() -> Response | BaseResponse:
    """Write the year's counts into the portal's content (content/ysqgk/<year>.yaml)."""
    try:
        year = int(request.form.get("year", ""))
        path = publish(S.every(get_db()), year, current_app.config["SURVEY_CONTENT"], definitions.today(),
                       definitions.now())
    except (ValueError, PublishError) as e:
        msg = str(e) if isinstance(e, PublishError) else "请选择年度"
        every = [_view(r) for r in S.every(get_db())]
        today = definitions.today()
        return staff_page("survey/admin/ysqgk_queue.html", TITLE, 409, requests=_order(every),
                          counts={s: sum(1 for r in every if r["state_now"] == s) for s in R.STATE_LABELS},
                          want="", labels=R.STATE_LABELS, total=len(every),
                          years=list(range(today.year, today.year - 3, -1)), message="", error=msg)
    audit("依申请公开：公布统计", str(year), path.name)
    return redirect(url_for("requestwork.queue", published=str(year)), code=303)

