"""Resident pages under /survey/ (DESIGN §5): the form, multi-page navigation with answers kept
in signed form data, a review step, the thank-you page with a receipt, and 差评 tracking. Works
without JavaScript; the same pages are served converted under /zh-hant/survey/.
"""
from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, request, session
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature
from werkzeug.wrappers import Response as BaseResponse

from portal import rectification
from portal.surveys import Survey

from . import answers as A
from . import cases, definitions, ratelimit, store, submission
from .context import PLACE, ContextError, needs_place, parse_context, place_options, with_place
from .db import get_db
from .layout import prefix, render, status_page
from .submission import Refusal, Submission
from .tickets import HONEYPOT, SUBMITTED_FOR, new_ticket
from .tickets import serializer as _serializer

bp = Blueprint("resident", __name__, url_prefix="/survey")
CTX = "_ctx."
INVITE = "_invite"
PHONE, CONSENT = "_contact_phone", "_contact_consent"
PLACE_FIELD = "_place"
STATES = {404: "unknown", 403: "not_yet", 410: "closed"}
SUBMITTED = "submitted"          # the session's last submission: {survey, context, ticket, at}
REPLAYED = "replayed"            # the receipt a repeated submission was sent back to
TRACK_TITLE = "办理进度查询"


def _unavailable(sid: str) -> Response | None:
    """The page for an unknown (404), not yet open (403) or closed (410) survey, or None."""
    survey = definitions.get(sid)
    status = submission.availability(survey)
    if status is None:
        return None
    title = survey.title if survey is not None else "找不到这份问卷"
    return status_page(title, status, STATES[status], survey)


def _bad_condition(survey: Survey) -> str:
    """The show_if (as JSON) of the 差评 contact fields: the headline answer is a 差评 level."""
    q = survey.headline
    if survey.kind != "好差评" or q is None:
        return ""
    return json.dumps({"question": q.id, "in": list(rectification.LEVELS)}, ensure_ascii=False)


def _remember_submission(sid: str, context: dict, ticket: str) -> None:
    session[SUBMITTED] = {"survey": sid, "context": context, "ticket": ticket, "at": time.time()}


def _just_submitted(survey: Survey, context: dict) -> str:
    """The ticket this browser just submitted for the same survey and link, or "". Back after
    提交 usually restores the old page (and its ticket) from the browser's cache; when the
    browser fetches the form again instead, it gets that ticket too, so 提交 again leads to the
    first receipt. 「开始新的评价」 (?new=1) forgets it, e.g. on a centre's shared tablet. Not
    for invite surveys: there the code itself refuses a second submission."""
    last = session.get(SUBMITTED)
    if request.args.get("new") == "1":
        session.pop(SUBMITTED, None)
        return ""
    if (survey.access == "invite" or not isinstance(last, dict) or last.get("survey") != survey.id
            or last.get("context") != context
            or time.time() - float(last.get("at", 0)) > SUBMITTED_FOR):
        return ""
    return str(last.get("ticket", ""))


def _form(survey: Survey, page: int, values: dict, errors: list, context: dict, status: int = 200,
          review: bool = False, invite: str = "", contact: dict | None = None, ticket: str = "",
          place: str = "", submitted: bool = False) -> Response:
    """The form (or its review step). `context` is what the link fixed (carried in hidden
    fields); `place` the centre and window chosen on the form when the link did not say."""
    here = survey.page_questions(page)
    site = definitions.site()
    try:
        shown_context = with_place(context, place, site) if place else context
    except ContextError:
        shown_context, place = context, ""
    same_page = frozenset(q.id for q in here)
    questions = [q for q in here if A.visible(q, values, same_page)] if not review else []
    shown = [(q, values.get(q.id)) for q in survey.questions if A.visible(q, values) and q.id in values]
    # Conditional blocks the answers so far do not call for: hidden from the first paint when
    # scripts run (html.js, set by care.js in <head>), so nothing jumps when portal.js decides;
    # without JavaScript they stay shown, with their note.
    waiting = {q.id for q in questions if q.show_if and not A.visible(q, values)}
    if _bad_condition(survey) and survey.headline and values.get(survey.headline.id) not in rectification.LEVELS:
        waiting.add("contact")
    return render("survey/form.html", survey.title, status, survey=survey, page_no=page,
                  pages=len(survey.pages), questions=questions, values=values,
                  errors=errors, error_for={e.question: e.message for e in errors},
                  context=shown_context, link_context=context, csrf_token=generate_csrf(), review=review, shown=shown,
                  ask_place=needs_place(survey, context), place=place, place_field=PLACE_FIELD,
                  place_options=place_options(site, context.get("service")) if needs_place(survey, context) else [],
                  state=_serializer().dumps(values), ticket=ticket or new_ticket(), submitted=submitted,
                  new_link=_new_link() if submitted else "",
                  honeypot=HONEYPOT, ctx_prefix=CTX, invite=invite, invite_field=INVITE,
                  invite_error=submission.INVITE, contact=contact or {}, phone_field=PHONE,
                  consent_field=CONSENT, bad_condition=_bad_condition(survey), waiting=waiting,
                  show_if_json={q.id: json.dumps(A.api_condition(q.show_if), ensure_ascii=False)
                                for q in questions if q.show_if},
                  conditional_note={q.id: A.describe(q.show_if, survey) for q in questions if q.show_if})


@bp.get("/<sid>/")
def form(sid: str) -> Response:
    bad = _unavailable(sid)
    if bad is not None:
        return bad
    survey = definitions.get(sid)
    assert survey is not None
    try:
        context = parse_context(request.args, definitions.site())
    except ContextError as e:
        return status_page(survey.title, 400, "bad_context", survey, str(e))
    used = _just_submitted(survey, context)
    return _form(survey, 1, {}, [], context, invite=request.args.get("invite", "").strip().upper()[:32],
                 ticket=used, submitted=bool(used))


def _new_link() -> str:
    """This form's address with ?new=1: a fresh one-time key for the next resident."""
    return request.path + "?" + urlencode({**request.args.to_dict(), "new": "1"})


class _Post:
    """What one POST of the form carries, read and checked for tampering."""

    def __init__(self, survey: Survey):
        f = request.form
        self.context = parse_context(f, definitions.site(), prefix=CTX)     # what the link fixed
        self.place = (f.get(PLACE_FIELD) or "").strip()[:80] if needs_place(survey, self.context) else ""
        self.values: dict[str, Any] = _serializer().loads(f.get("_state", "")) if f.get("_state") else {}
        self.ticket = f.get("_ticket", "")
        ticket = _serializer().loads(self.ticket)
        self.key, self.started = str(ticket["key"]), float(ticket["shown"])
        self.page = min(int(f.get("_page", "1")), len(survey.pages))   # 0: the review step
        self.invite = (f.get(INVITE) or "").strip().upper()[:32] if survey.access == "invite" else ""
        self.nav = f.get("_nav", "submit")
        self.contact = {"phone": (f.get(PHONE) or "").strip()[:20], "consent": f.get(CONSENT) == "1"}
        current = survey.page_questions(self.page) if self.page > 0 else ()
        for q in current:                   # this page's fields replace what the state held
            self.values.pop(q.id, None)
            self.values.pop(f"{q.id}.other", None)
        self.values.update(A.from_form(survey, f, current))
        self.current = current


@bp.post("/<sid>/")
def submit(sid: str) -> BaseResponse:
    bad = _unavailable(sid)
    if bad is not None:
        return bad
    survey = definitions.get(sid)
    assert survey is not None
    try:
        post = _Post(survey)
    except (ContextError, BadSignature, ValueError, TypeError, KeyError):
        return status_page(survey.title, 400, "bad_form", survey)
    if request.form.get(HONEYPOT):
        return status_page(survey.title, 400, "bad_form", survey)

    def show(page: int, errors: list, status: int = 200, review: bool = False) -> Response:
        return _form(survey, page, post.values, errors, post.context, status, review, post.invite, post.contact,
                     post.ticket, post.place)

    if post.nav in ("prev", "edit"):
        return show(max(1, post.page - 1) if post.nav == "prev" else 1, [])
    page = max(post.page, 1)
    if post.nav in ("next", "review"):
        _, errors = A.check(survey, post.values, post.current)
        if errors:
            return show(page, errors, 422)
        if post.nav == "next" and page < len(survey.pages):
            return show(page + 1, [])
        return show(page, [], review=True)
    try:
        context = with_place(post.context, post.place, definitions.site()) if post.place else post.context
    except ContextError as e:
        return show(page, [A.AnswerError(PLACE, str(e))], 422)
    outcome = submission.accept(Submission(survey, post.values, context, post.invite or None,
                                           request.form.get(PHONE), request.form.get(CONSENT), post.started,
                                           key=post.key))
    if isinstance(outcome, Refusal):
        return _refused(survey, outcome, show, page)
    _remember_submission(sid, post.context, post.ticket)
    if outcome.replayed:
        session[REPLAYED] = outcome.receipt
    return redirect(f"{prefix()}/{sid}/thanks/{outcome.receipt}", code=303)


def _refused(survey: Survey, refusal: Refusal, show, page: int) -> Response:
    """The form again with the reason, the resident's answers kept."""
    review = len(survey.pages) > 1
    if refusal.status == 429:
        minutes = max(1, round(refusal.wait / 60))
        message = f"提交过于频繁，请约 {minutes} 分钟后再点“提交”，您填写的内容已保留"
        resp = show(page, [A.AnswerError("", message)], 429, review=review)
        resp.headers["Retry-After"] = str(refusal.wait)
        return resp
    if refusal.too_fast:
        return show(page, list(refusal.errors), 422, review=review)
    pages = [q.page for e in refusal.errors if (q := survey.question(e.question)) is not None]
    return show(min(pages, default=1), list(refusal.errors), 422)


@bp.get("/<sid>/thanks/<receipt>")
def thanks(sid: str, receipt: str) -> Response:
    survey = definitions.get(sid)
    row = store.response(get_db(), receipt)
    if survey is None or row is None or row["survey"] != sid:
        abort(404)
    replayed = session.get(REPLAYED) == receipt and session.pop(REPLAYED)
    last = session.get(SUBMITTED)
    context = last["context"] if isinstance(last, dict) and last.get("survey") == sid else {}
    return render("survey/thanks.html", "提交成功", survey=survey, receipt=receipt,
                  case=store.case(get_db(), receipt), prefix=prefix(), replayed=bool(replayed),
                  new_link=f"{prefix()}/{sid}/?" + urlencode({**context, "new": "1"}))


@bp.get("/track/")
def track_lookup() -> BaseResponse:
    """办理进度查询: a resident types the receipt code."""
    code = (request.args.get("receipt") or "").strip().upper()
    if code:
        return redirect(f"{prefix()}/track/{code}", code=303)
    return render("survey/track.html", TRACK_TITLE, case=None, row=None, receipt="",
                  labels=rectification.STATE_LABELS, prefix=prefix())


def _track_page(receipt: str, status: int = 200, feedback_error: str = "") -> Response:
    """The state of the case a receipt opened, the reply once it is closed, and the resident's
    rating of the rectification. Nothing personal is shown: no answers, no phone."""
    row = store.response(get_db(), receipt)
    if row is None:
        return render("survey/track.html", TRACK_TITLE, 404, case=None, row=None, receipt=receipt,
                      labels=rectification.STATE_LABELS, prefix=prefix())
    case = store.case(get_db(), receipt)
    view = None
    if case is not None:
        view = {k: case[k] for k in ("opened", "level", "reasons", "verify_due", "reply_due", "verified", "verdict",
                                     "verdict_note", "rectification", "reply", "closed", "feedback")}
        view["state"] = cases.state(case, definitions.today())
    return render("survey/track.html", TRACK_TITLE, status, case=view, row=row, receipt=receipt,
                  survey=definitions.get(row["survey"]), labels=rectification.STATE_LABELS, prefix=prefix(),
                  rated=_rated(row["context"]), feedback_choices=rectification.FEEDBACK,
                  feedback_error=feedback_error, csrf_token=generate_csrf())


def _rated(context: dict[str, str]) -> str:
    """What a rating was about, in words: the service, the centre and the window."""
    site = definitions.site()
    guide = site.guide(context.get("service", "")) if context.get("service") else None
    parts = [guide.title if guide else "",
             site.community_name(context["community"]) if context.get("community") else "",
             f"{context['window']}号窗口" if context.get("window") else ""]
    return "，".join(p for p in parts if p)


@bp.get("/track/<receipt>")
def track(receipt: str) -> Response:
    # Receipts are not guessable, and trying many is limited like submitting (SURVEY_RATELIMIT).
    wait = ratelimit.exceeded("track", "SURVEY_RATELIMIT")
    if wait is not None:
        resp = render("survey/track.html", TRACK_TITLE, 429, case=None, row=None, receipt="",
                      labels=rectification.STATE_LABELS, prefix=prefix(), limited=wait)
        resp.headers["Retry-After"] = str(wait)
        return resp
    from .liuyan import track_page as message_page  # 留言 receipts share this page
    from .requests_resident import track_page as request_page  # and 依申请公开 receipts
    code = receipt.strip().upper()
    return message_page(code) or request_page(code) or _track_page(code)


@bp.post("/track/<receipt>/feedback")
def feedback(receipt: str) -> Response | BaseResponse:
    """The resident rates the rectification of a closed case, once."""
    receipt = receipt.strip().upper()
    choice = request.form.get("feedback", "")
    if choice not in rectification.FEEDBACK:
        return _track_page(receipt, 422, "请选择“满意”或“不满意”")
    try:
        store.record_feedback(get_db(), receipt, choice, definitions.now_iso())
    except store.CaseError as e:
        return _track_page(receipt, 422, str(e))
    return redirect(f"{prefix()}/track/{receipt}#feedback-h", code=303)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok" if store.healthy(get_db()) else "error", mimetype="text/plain")

