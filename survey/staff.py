"""Staff pages under /survey/admin/ (DESIGN §5): login and logout, the dashboard of surveys
with their counts and each community's 差评 counts, per-survey results with charts and
breakdowns, exports, and publishing the aggregates into the portal's content (公布评议结果,
district administrators only). Community staff see their own community's answers only.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure behind https) that the
database can end (survey.sessions): a login clears the old session first so a planted session
cannot be carried over, and a logout ends every session of the account. Every page here
is marked noindex and never cached.
"""
from __future__ import annotations

import datetime as dt
import functools
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, redirect, request, session, url_for
from sqlite_utils import Database
from werkzeug.exceptions import NotFound
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as BaseResponse

from portal import rectification
from portal.rates import rate_name
from portal.surveys import Survey

from . import ballots, cases, definitions, export, publish, ratelimit, sessions, store
from .answers import AnswerError
from .db import get_db
from .layout import no_store, staff_page
from .results import BREAKDOWN_NAMES, aggregate, breakdowns, staff_texts
from .roles import admin_required, audit, is_admin, login_required, scope, visible

bp = Blueprint("staff", __name__, url_prefix="/survey/admin")
bp.after_request(no_store)
bp.register_blueprint(ballots.bp)       # 纸质票录入: /survey/admin/<sid>/ballots/ (survey.ballots)


@functools.cache
def _dummy_hash() -> str:
    """Checked when the name is unknown, so a wrong name takes as long as a wrong password."""
    return generate_password_hash(secrets.token_hex(16))


def _safe_next(target: str | None) -> str:
    """Only paths of this service: never an open redirect to another site."""
    parts = urlsplit(target or "")
    if target and target.isprintable() and "\\" not in target and not parts.scheme and not parts.netloc \
            and target.startswith("/survey/admin/"):     # no CR/LF (header injection), no \\ (//)
        return target
    return url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | BaseResponse:
    if request.method == "GET":
        return staff_page("survey/admin/login.html", "工作人员登录", name="", errors=[],
                          next=request.args.get("next", ""), notice=sessions.ENDED_OR_EXPIRED
                          if request.args.get("why") else "")
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    nxt = request.form.get("next", "")
    wait = ratelimit.exceeded("login", "SURVEY_LOGIN_RATELIMIT")
    if wait is not None:
        resp = staff_page("survey/admin/login.html", "工作人员登录", 429, name=name, next=nxt,
                          errors=[AnswerError("name", f"登录尝试过于频繁，请 {max(1, round(wait / 60))} 分钟后再试")])
        resp.headers["Retry-After"] = str(wait)
        return resp
    stored = store.staff_hash(get_db(), name) if name else None
    ok = check_password_hash(stored or _dummy_hash(), password) and stored is not None
    if not ok:
        audit("登录失败", staff=name[:64] or "（未填用户名）")
        return staff_page("survey/admin/login.html", "工作人员登录", 200, name=name, next=nxt,
                          errors=[AnswerError("name", "用户名或密码不正确")])
    sessions.start(store.account(get_db(), name) or {})
    audit("登录", staff=name)
    return redirect(_safe_next(nxt), code=303)


@bp.post("/logout")
def logout() -> BaseResponse:
    found, _ = sessions.current()
    if found is not None:
        audit("退出登录", staff=found["name"])
        sessions.end(found["name"])
    session.clear()
    return redirect(url_for("staff.login"), code=303)


def _case_counts(db: Database, today: dt.date) -> list[dict[str, Any]]:
    """Each community's open, overdue and closed 差评 (this account's communities only)."""
    site, rows = definitions.site(), []
    for cid, c in site.communities.items():
        if scope() not in (None, cid):
            continue
        states = [cases.state(x, today) for x in store.cases(db, community=cid)]
        appeals = sum(1 for x in store.cases(db, community=cid) if x["appeal_state"] == "pending")
        rows.append({"id": cid, "name": c.name, "appeals": appeals,
                     **{s: states.count(s) for s in rectification.STATE_LABELS}})
    return rows


@bp.get("/")
@login_required
def dashboard() -> Response:
    db, site, today = get_db(), definitions.site(), definitions.today()
    last = store.last_submitted(db)
    counts = {sid: len(visible(store.responses(db, sid), site)) for sid in definitions.surveys()}
    rows = [{"survey": s, "status": s.status(today), "count": counts.get(s.id, 0), "last": last.get(s.id, ""),
             "published": publish.published_at(current_app.config["SURVEY_CONTENT"], s.id)}
            for s in sorted(definitions.surveys().values(), key=lambda s: (s.status(today) != "open", s.id))]
    by_community = _case_counts(db, today)
    case_counts = {s: sum(r[s] for r in by_community) for s in rectification.STATE_LABELS}
    return staff_page("survey/admin/dashboard.html", "问卷管理", rows=rows, total=sum(counts.values()),
                      case_counts=case_counts, by_community=by_community, demo=store.demo_count(db),
                      scope_name=_scope_name())


def _scope_name() -> str:
    own = scope()
    return definitions.site().community_name(own) if own else ""


def survey_or_404(sid: str) -> Survey:
    """The survey, or NotFound (answered by survey.errors with a Chinese page)."""
    survey = definitions.get(sid)
    if survey is None:
        raise NotFound("找不到这份问卷，可能是网址有误")
    return survey


def _results_page(survey: Survey, status: int = 200, message: str = "", error: str = "") -> Response:
    responses = visible(store.responses(get_db(), survey.id), definitions.site())
    return staff_page("survey/admin/results.html", survey.title, status, survey=survey,
                      agg=aggregate(survey, responses, texts=False),
                      breakdowns=breakdowns(survey, responses, definitions.site()),
                      breakdown_names=BREAKDOWN_NAMES, texts=staff_texts(survey, responses),
                      rate_name=rate_name(survey.kind), state=survey.status(definitions.today()),
                      published=publish.published_at(current_app.config["SURVEY_CONTENT"], survey.id),
                      message=message, error=error, may_publish=is_admin(), scope_name=_scope_name())


@bp.get("/<sid>/")
@login_required
def results(sid: str) -> Response:
    survey = survey_or_404(sid)
    return _results_page(survey, message="结果已写入门户内容，网站重新生成后即可在“评议结果”栏目看到。"
                         if request.args.get("published") else "")


@bp.get("/<sid>/export.<fmt>")
@login_required
def download(sid: str, fmt: str) -> Response:
    survey = survey_or_404(sid)
    if fmt not in export.FORMATS:
        raise NotFound("找不到这个导出格式：只能导出 csv、xlsx 或 json")
    data = export.render(fmt, survey, visible(store.responses(get_db(), sid), definitions.site()))
    audit("导出答卷", sid, fmt)
    _, mimetype, ext = export.FORMATS[fmt]
    resp = Response(data, content_type=mimetype)    # (mimetype= would add the charset a second time)
    resp.headers["Content-Disposition"] = f'attachment; filename="{sid}.{ext}"'
    return resp


@bp.post("/<sid>/publish")
@login_required
@admin_required
def publish_results(sid: str) -> Response | BaseResponse:
    survey = survey_or_404(sid)
    db = get_db()
    try:
        if not ballots.publish_agreed(survey, db):      # agreed paper ballots: online and paper together
            publish.publish(survey, store.responses(db, sid), definitions.site(), current_app.config["SURVEY_CONTENT"],
                            now=definitions.now(), cases=store.cases(db, sid), excluded=store.upheld_receipts(db, sid))
    except publish.PublishError as e:
        return _results_page(survey, 409, error=str(e))
    audit("公布结果", sid)
    return redirect(url_for("staff.results", sid=sid, published=1), code=303)
