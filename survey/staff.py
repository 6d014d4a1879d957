"""Staff pages under /survey/admin/ (DESIGN §5): login and logout, the dashboard of surveys
with their counts, per-survey results with charts and breakdowns, exports, and publishing the
aggregates into the portal's content (公布评议结果).

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure behind https); a login
clears the old session first so a planted session id cannot be carried over. Every page here
is marked noindex and never cached.
"""
from __future__ import annotations

import functools
import secrets
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, redirect, request, session, url_for
from flask_wtf.csrf import generate_csrf
from werkzeug.security import check_password_hash, generate_password_hash

from portal.pages import Crumb

from . import cases, definitions, export, publish, ratelimit, store
from .answers import AnswerError
from .resident import render
from .results import BREAKDOWN_NAMES, aggregate, breakdowns, staff_texts

bp = Blueprint("staff", __name__, url_prefix="/survey/admin")
CRUMBS = (Crumb("首页", "/"), Crumb("问卷管理", "/survey/admin/"))


@functools.cache
def _dummy_hash() -> str:
    """Checked when the name is unknown, so a wrong name takes as long as a wrong password."""
    return generate_password_hash(secrets.token_hex(16))


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        name = session.get("staff")
        if not name or store.staff_hash(definitions.db(), name) is None:
            return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


@bp.after_request
def _private(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


def _page(template: str, title: str, status: int = 200, **ctx) -> Response:
    return render(template, title, status, crumbs=CRUMBS, staff=session.get("staff"),
                  csrf_token=generate_csrf(), **ctx)


def _safe_next(target: str | None) -> str:
    """Only paths of this service: never an open redirect to another site."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/survey/admin/"):
        return target
    return url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return _page("survey/admin/login.html", "工作人员登录", name="", errors=[],
                     next=request.args.get("next", ""))
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    nxt = request.form.get("next", "")
    wait = ratelimit.exceeded("login", "SURVEY_LOGIN_RATELIMIT")
    if wait is not None:
        resp = _page("survey/admin/login.html", "工作人员登录", 429, name=name, next=nxt,
                     errors=[AnswerError("name", f"登录尝试过于频繁，请 {max(1, round(wait / 60))} 分钟后再试")])
        resp.headers["Retry-After"] = str(wait)
        return resp
    stored = store.staff_hash(definitions.db(), name) if name else None
    ok = check_password_hash(stored or _dummy_hash(), password) and stored is not None
    if not ok:
        return _page("survey/admin/login.html", "工作人员登录", 200, name=name, next=nxt,
                     errors=[AnswerError("name", "用户名或密码不正确")])
    session.clear()
    session["staff"] = name
    session.permanent = True
    return redirect(_safe_next(nxt), code=303)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("staff.login"), code=303)


@bp.get("/")
@login_required
def dashboard():
    db = definitions.db()
    counts, last = store.counts(db), store.last_submitted(db)
    today = definitions.today()
    rows = [{"survey": s, "status": s.status(today), "count": counts.get(s.id, 0), "last": last.get(s.id, ""),
             "published": publish.published_at(current_app.config["SURVEY_CONTENT"], s.id)}
            for s in sorted(definitions.surveys().values(), key=lambda s: (s.status(today) != "open", s.id))]
    states = [cases.state(c, today) for c in store.cases(db)]
    case_counts = {s: states.count(s) for s in cases.STATE_LABELS}
    return _page("survey/admin/dashboard.html", "问卷管理", rows=rows, total=sum(counts.values()),
                 case_counts=case_counts, demo=store.demo_count(db))


def _survey_or_404(sid: str):
    survey = definitions.get(sid)
    if survey is None:
        return None, _page("survey/status.html", "找不到这份问卷", 404, state="unknown", survey=None)
    return survey, None


def _results_page(survey, status: int = 200, message: str = "", error: str = "") -> Response:
    responses = store.responses(definitions.db(), survey.id)
    return _page("survey/admin/results.html", survey.title, status, survey=survey,
                 agg=aggregate(survey, responses, texts=False),
                 breakdowns=breakdowns(survey, responses, definitions.site()),
                 breakdown_names=BREAKDOWN_NAMES, texts=staff_texts(survey, responses),
                 state=survey.status(definitions.today()),
                 published=publish.published_at(current_app.config["SURVEY_CONTENT"], survey.id),
                 message=message, error=error)


@bp.get("/<sid>/")
@login_required
def results(sid: str):
    survey, missing = _survey_or_404(sid)
    if missing is not None:
        return missing
    return _results_page(survey, message="结果已写入门户内容，网站重新生成后即可在“评议结果”栏目看到。"
                         if request.args.get("published") else "")


@bp.get("/<sid>/export.<fmt>")
@login_required
def download(sid: str, fmt: str):
    survey, missing = _survey_or_404(sid)
    if missing is not None or fmt not in export.FORMATS:
        return missing or _page("survey/status.html", "找不到这个导出格式", 404, state="unknown", survey=None)
    data = export.render(fmt, survey, store.responses(definitions.db(), sid))
    _, mimetype, ext = export.FORMATS[fmt]
    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{sid}.{ext}"'
    return resp


@bp.post("/<sid>/publish")
@login_required
def publish_results(sid: str):
    survey, missing = _survey_or_404(sid)
    if missing is not None:
        return missing
    try:
        publish.publish(survey, store.responses(definitions.db(), sid), definitions.site(),
                        current_app.config["SURVEY_CONTENT"], cases=store.cases(definitions.db(), sid))
    except publish.PublishError as e:
        return _results_page(survey, 409, error=str(e))
    return redirect(url_for("staff.results", sid=sid, published=1), code=303)
