"""Staff pages for 留言 under /survey/admin/liuyan/: the queue (overdue first, working days
left; community staff see only the messages their community is handling, the district sees
all), one message with its log, and the actions 受理 → 转办 → 答复 → 办结. Closing deletes the
resident's contact phone. Every action is in the message's log and the audit log."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from portal import message_stats

from . import definitions, message_publish, messages
from .cases import days_left
from .db import get_db
from .layout import no_store, staff_page
from .roles import account, admin_required, audit, is_admin, login_required, scope
from .store import messages as S

bp = Blueprint("messagework", __name__, url_prefix="/survey/admin/liuyan")
bp.after_request(no_store)
LIMIT = 2000


def _view(m: dict[str, Any]) -> dict[str, Any]:
    site, today = definitions.site(), definitions.today()
    due = m["reply_due"] if m["accepted"] else m["accept_due"]
    return {**m, "state": messages.state(m, today), "on_time": messages.on_time(m),
            "days_left": None if m["replied"] else days_left(site.calendar, today, dt.date.fromisoformat(due)),
            "community_name": site.community_name(m["community"]),
            "origin_name": site.community_name(m["origin"])}


def _may_see(m: dict[str, Any]) -> bool:
    own = scope()
    return own is None or m["community"] == own


def _message_or_404(receipt: str) -> dict[str, Any]:
    m = S.message(get_db(), receipt)
    if m is None or not _may_see(m):
        raise NotFound("找不到这条留言，请检查回执码")
    return m


@bp.get("/")
@login_required
def queue() -> Response:
    done = request.args.get("published", "")
    return _queue(message=f"{done} 的留言统计已写入门户内容，网站重新生成后在“互动交流—居民留言”栏目显示。"
                  if message_stats.PERIOD_RE.match(done) else "")


def _queue(status: int = 200, message: str = "", error: str = "") -> Response:
    want = request.args.get("state", "")
    where = scope() or request.args.get("community") or None
    every = [_view(m) for m in S.messages(get_db(), where)]
    counts = {s: sum(1 for m in every if m["state"] == s) for s in messages.STATE_LABELS}
    shown = [m for m in every if not want or m["state"] == want]
    return staff_page("survey/admin/messages.html", "居民留言", status, messages=messages.order(shown)[:LIMIT],
                      counts=counts, want=want, labels=messages.STATE_LABELS, total=len(every), message=message,
                      error=error, may_publish=is_admin(), period=request.form.get("period") or _last_month(),
                      community=where, community_name=definitions.site().community_name(where) if where else "")


def _targets(current: str) -> list[tuple[str, str]]:
    """Where a message may be transferred: the other communities and the district."""
    site = definitions.site()
    out = [(cid, c.name) for cid, c in site.communities.items() if cid != current]
    return out + ([(messages.DISTRICT, site.community_name(messages.DISTRICT))] if current != messages.DISTRICT else [])


def _page(receipt: str, status: int = 200, errors: list | None = None, form: dict | None = None) -> Response:
    m = _message_or_404(receipt)
    return staff_page("survey/admin/message.html", f"留言 {receipt}", status, message=_view(m),
                      events=S.message_events(get_db(), receipt), event_labels=messages.EVENT_LABELS,
                      labels=messages.STATE_LABELS, targets=_targets(m["community"]), errors=errors or [],
                      error_for={e.field: e.message for e in errors or []}, form=form or {},
                      max_body=messages.MAX_BODY)


@bp.get("/<receipt>")
@login_required
def detail(receipt: str) -> Response:
    return _page(receipt)


def _act(receipt: str, errors: list[messages.Problem], field: str, action: Callable[[], None],
         what: str) -> Response | BaseResponse:
    """Run an action when the form is valid and log it; the page again (422) with the problems,
    or back to the message (303)."""
    _message_or_404(receipt)
    if not errors:
        try:
            action()
        except S.MessageError as e:
            errors.append(messages.Problem(field, str(e)))
    if errors:
        return _page(receipt, 422, errors, request.form.to_dict())
    audit("留言" + what, receipt)
    return redirect(url_for("messagework.detail", receipt=receipt), code=303)


def _who() -> str:
    return account()["name"]


@bp.post("/<receipt>/accept")
@login_required
def accept(receipt: str) -> Response | BaseResponse:
    return _act(receipt, [], "accept", lambda: S.accept_message(get_db(), receipt, _who(), definitions.now_iso()),
                "受理")


@bp.post("/<receipt>/transfer")
@login_required
def transfer(receipt: str) -> Response | BaseResponse:
    to, note = request.form.get("to", "").strip(), request.form.get("note", "").strip()
    m = _message_or_404(receipt)
    errors = []
    if to not in dict(_targets(m["community"])):
        errors.append(messages.Problem("to", "请选择转办给哪个社区或区级"))
    if len(note) > messages.MAX_BODY:
        errors.append(messages.Problem("note", f"转办说明最多 {messages.MAX_BODY} 字"))
    return _act(receipt, errors, "to", lambda: S.transfer_message(get_db(), receipt, to, note, _who(),
                                                                  definitions.now_iso()), f"转办至{to}")


@bp.post("/<receipt>/reply")
@login_required
def reply(receipt: str) -> Response | BaseResponse:
    text = request.form.get("reply", "").strip()
    errors = []
    if not text:
        errors.append(messages.Problem("reply", "请填写给居民的答复"))
    elif len(text) > messages.MAX_BODY:
        errors.append(messages.Problem("reply", f"答复最多 {messages.MAX_BODY} 字，现在是 {len(text)} 字"))
    return _act(receipt, errors, "reply", lambda: S.reply_message(get_db(), receipt, text, _who(),
                                                                  definitions.now_iso()), "答复")


@bp.post("/<receipt>/close")
@login_required
def close(receipt: str) -> Response | BaseResponse:
    return _act(receipt, [], "close", lambda: S.close_message(get_db(), receipt, _who(), definitions.now_iso()),
                "办结")


@bp.post("/<receipt>/withhold")
@login_required
def withhold(receipt: str) -> Response | BaseResponse:
    """不公开: the message names a person or otherwise cannot be published de-identified."""
    reason = request.form.get("reason", "").strip()
    errors = [] if reason else [messages.Problem("reason", "请写明不公开的理由（例如：内容涉及他人姓名、住址）")]
    if len(reason) > messages.MAX_BODY:
        errors.append(messages.Problem("reason", f"理由最多 {messages.MAX_BODY} 字"))
    return _act(receipt, errors, "reason", lambda: S.withhold_message(get_db(), receipt, reason, _who(),
                                                                      definitions.now_iso()), "不公开")


def _last_month() -> str:
    first = definitions.today().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


@bp.post("/publish")
@login_required
@admin_required
def publish() -> Response | BaseResponse:
    """公布留言统计 for a month (the district: it publishes for every community)."""
    period = request.form.get("period", "").strip()
    try:
        message_publish.publish(period, S.messages(get_db()), definitions.site(),
                                current_app.config["SURVEY_CONTENT"], definitions.now())
    except message_publish.PublishError as e:
        return _queue(409, error=str(e))
    audit("公布留言统计", period)
    return redirect(url_for("messagework.queue", published=period), code=303)
