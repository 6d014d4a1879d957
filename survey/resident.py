"""Resident pages under /survey/ (DESIGN §5): the form, multi-page navigation with answers kept
in signed form data, a review step, the thank-you page with a receipt. Works without
JavaScript; the same pages are served converted under /zh-hant/survey/.
"""
from __future__ import annotations

import json
import time

from flask import Blueprint, Response, abort, current_app, redirect, request
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer

from portal.hant import to_hant
from portal.pages import Crumb, Page

from . import answers as A
from . import cases, definitions, ratelimit, store
from .api import api_condition
from .results import main_question
from .context import ContextError, parse_context

bp = Blueprint("resident", __name__, url_prefix="/survey")
HONEYPOT = "website"
CTX = "_ctx."


def _prefix() -> str:
    return "/zh-hant/survey" if request.path.startswith("/zh-hant/") else "/survey"


RESIDENT_CRUMBS = (Crumb("首页", "/"), Crumb("互动交流", "/hdjl/"), Crumb("满意度调查", "/hdjl/myd/"))


def render(template: str, title: str, status: int = 200, crumbs=RESIDENT_CRUMBS, **ctx) -> Response:
    """A page of the service in the portal's own layout (base.html), converted to
    Traditional Chinese under /zh-hant/."""
    site = definitions.site()
    page = Page(request.path, template, title, "myd", {}, tuple(crumbs) + (Crumb(title, request.path),))
    html = definitions.env().get_template(template).render(page=page, site=site, item=None, **ctx)
    if request.path.startswith("/zh-hant/"):
        html = to_hant(html)
    return Response(html, status, mimetype="text/html")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-state")


def _unavailable(sid: str):
    """The page for an unknown (404), not yet open (403) or closed (410) survey, or None."""
    survey = definitions.get(sid)
    if survey is None:
        return render("survey/status.html", "找不到这份问卷", 404, state="unknown", survey=None)
    state = survey.status(definitions.today())
    if state == "not_yet":
        return render("survey/status.html", survey.title, 403, state=state, survey=survey)
    if state == "closed":
        return render("survey/status.html", survey.title, 410, state=state, survey=survey)
    return None


INVITE = "_invite"
PHONE, CONSENT = "_contact_phone", "_contact_consent"


def _form(survey, page: int, values: dict, errors: list, context: dict, status: int = 200,
          review: bool = False, invite: str = "", contact: dict | None = None) -> Response:
    here = survey.page_questions(page)
    same_page = frozenset(q.id for q in here)
    questions = [q for q in here if A.visible(q, values, same_page)] if not review else []
    shown = [(q, values.get(q.id)) for q in survey.questions if A.visible(q, values) and q.id in values]
    return render("survey/form.html", survey.title, status, survey=survey, page_no=page,
                  pages=len(survey.pages), questions=questions, values=values,
                  errors=errors, error_for={e.question: e.message for e in errors},
                  context=context, csrf_token=generate_csrf(), review=review, shown=shown,
                  state=_serializer().dumps(values), started=_serializer().dumps(time.time()),
                  honeypot=HONEYPOT, ctx_prefix=CTX, invite=invite, invite_field=INVITE,
                  contact=contact or {}, phone_field=PHONE, consent_field=CONSENT,
                  bad_condition=json.dumps({"question": main_question(survey).id, "in": list(cases.BAD)},
                                           ensure_ascii=False) if survey.kind == "好差评" and main_question(survey) else "",
                  show_if_json={q.id: json.dumps(api_condition(q.show_if), ensure_ascii=False)
                                for q in questions if q.show_if},
                  conditional_note={q.id: A.describe(q.show_if, survey) for q in questions if q.show_if})


@bp.get("/<sid>/")
def form(sid: str):
    bad = _unavailable(sid)
    if bad is not None:
        return bad
    survey = definitions.get(sid)
    try:
        context = parse_context(request.args, definitions.site())
    except ContextError as e:
        return render("survey/status.html", survey.title, 400, state="bad_context", survey=survey,
                      message=str(e))
    return _form(survey, 1, {}, [], context, invite=request.args.get("invite", "").strip().upper()[:32])


@bp.post("/<sid>/")
def submit(sid: str):
    bad = _unavailable(sid)
    if bad is not None:
        return bad
    survey = definitions.get(sid)
    f = request.form
    try:
        context = parse_context(f, definitions.site(), prefix=CTX)
        values = _serializer().loads(f.get("_state", "")) if f.get("_state") else {}
        started = float(_serializer().loads(f.get("_started", "")))
        page = min(int(f.get("_page", "1")), len(survey.pages))   # 0: the review step
    except (ContextError, BadSignature, ValueError, TypeError):
        return render("survey/status.html", survey.title, 400, state="bad_form", survey=survey)
    if f.get(HONEYPOT):
        return render("survey/status.html", survey.title, 400, state="bad_form", survey=survey)
    invite = (f.get(INVITE) or "").strip().upper()[:32] if survey.access == "invite" else ""
    nav = f.get("_nav", "submit")

    contact = {"phone": (f.get(PHONE) or "").strip()[:20], "consent": f.get(CONSENT) == "1"}

    def show(*args, **kwargs) -> Response:
        return _form(*args, invite=invite, contact=contact, **kwargs)

    current = survey.page_questions(page) if page > 0 else ()
    for q in current:                       # this page's fields replace what the state held
        values.pop(q.id, None)
        values.pop(f"{q.id}.other", None)
    values.update(A.from_form(survey, f, current))
    if nav == "prev":
        return show(survey, max(1, page - 1), values, [], context)
    page = max(page, 1)
    if nav == "edit":
        return show(survey, 1, values, [], context)
    if nav in ("next", "review"):
        _, errors = A.check(survey, values, current)
        if errors:
            return show(survey, page, values, errors, context, 422)
        if nav == "next" and page < len(survey.pages):
            return show(survey, page + 1, values, [], context)
        return show(survey, page, values, [], context, review=True)
    # submit
    clean, errors = A.check(survey, values)
    kept, contact_errors = cases.parse_contact(survey, clean, f.get(PHONE), f.get(CONSENT))
    errors += contact_errors
    if survey.access == "invite" and not invite:
        errors.insert(0, A.AnswerError(INVITE, "请填写邀请码（在社区发放的邀请函上）"))
    if errors:
        first = min((survey.question(e.question).page for e in errors if survey.question(e.question)), default=1)
        return show(survey, first, values, errors, context, 422)
    wait = ratelimit.exceeded("submit", "SURVEY_RATELIMIT")
    if wait is not None:                    # answers kept: the resident only has to wait
        minutes = max(1, round(wait / 60))
        resp = show(survey, page, values, [A.AnswerError("", f"提交过于频繁，请约 {minutes} 分钟后再点“提交”，"
                                                              "您填写的内容已保留")],
                     context, 429, review=len(survey.pages) > 1)
        resp.headers["Retry-After"] = str(wait)
        return resp
    if time.time() - started < current_app.config["SURVEY_MIN_SECONDS"]:
        return show(survey, page, values, [A.AnswerError("", "提交太快了，请核对答案后再提交")], context, 422,
                     review=len(survey.pages) > 1)
    try:
        receipt = store.save_response(definitions.db(), survey.id, survey.version, clean, context,
                                      invite or None, definitions.case_for(survey, clean, kept),
                                      submitted=definitions.now_iso())
    except store.InviteError as e:
        return show(survey, 1, values, [A.AnswerError(INVITE, str(e))], context, 422)
    return redirect(f"{_prefix()}/{sid}/thanks/{receipt}", code=303)


@bp.get("/<sid>/thanks/<receipt>")
def thanks(sid: str, receipt: str):
    survey = definitions.get(sid)
    row = store.response(definitions.db(), receipt)
    if survey is None or row is None or row["survey"] != sid:
        abort(404)
    return render("survey/thanks.html", "提交成功", survey=survey, receipt=receipt,
                  case=store.case(definitions.db(), receipt), prefix=_prefix())


@bp.get("/track/")
def track_lookup():
    """办理进度查询: a resident types the receipt code."""
    code = (request.args.get("receipt") or "").strip().upper()
    if code:
        return redirect(f"{_prefix()}/track/{code}", code=303)
    return render("survey/track.html", "差评办理进度查询", case=None, row=None, receipt="", labels=cases.STATE_LABELS, prefix=_prefix())


@bp.get("/track/<receipt>")
def track(receipt: str):
    """The state of the case a receipt opened, and the reply once it is closed. Nothing
    personal is shown: no answers, no phone."""
    receipt = receipt.strip().upper()
    db = definitions.db()
    row = store.response(db, receipt)
    if row is None:
        return render("survey/track.html", "差评办理进度查询", 404, case=None, row=None, receipt=receipt,
                      labels=cases.STATE_LABELS, prefix=_prefix())
    case = store.case(db, receipt)
    view = None
    if case is not None:
        view = {k: case[k] for k in ("opened", "level", "reasons", "verify_due", "reply_due", "verified", "verdict",
                                     "rectification", "reply", "closed")}
        view["state"] = cases.state(case, definitions.today())
    survey = definitions.get(row["survey"])
    return render("survey/track.html", "差评办理进度查询", case=view, row=row, receipt=receipt,
                  survey=survey, labels=cases.STATE_LABELS, prefix=_prefix())


@bp.get("/healthz")
def healthz():
    return Response("ok" if store.healthy(definitions.db()) else "error", mimetype="text/plain")
