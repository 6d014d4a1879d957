"""留言, the resident side: the form at /survey/liuyan/ (and /zh-hant/survey/liuyan/), the
receipt page, and what /survey/track/<receipt> shows for a message. Same rules as a survey
form: works without JavaScript, CSRF, honeypot, minimum fill time, rate limit, size limits, and
a one-time ticket so Back-then-提交 stores nothing new."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, request, session
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response as BaseResponse

from portal.page_model import Crumb

from . import definitions, messages, tickets
from .db import get_db
from .layout import prefix, render
from .store import key_hash
from .store import messages as S
from .tickets import HONEYPOT, new_ticket

bp = Blueprint("liuyan", __name__, url_prefix="/survey/liuyan")
TITLE = "居民留言"
CRUMBS = (Crumb("首页", "/"), Crumb("互动交流", "/hdjl/"), Crumb("留言", "/hdjl/liuyan/"))
LAST = "liuyan_last"            # this browser's last 留言: {ticket, at}
REPLAYED = "liuyan_replayed"


def _days(kind: str) -> tuple[int, int]:
    config = current_app.config
    return (messages.days_for(config["SURVEY_LIUYAN_ACCEPT_DAYS"], kind, messages.DEFAULT_ACCEPT_DAYS),
            messages.days_for(config["SURVEY_LIUYAN_REPLY_DAYS"], kind, messages.DEFAULT_REPLY_DAYS))


def _page(values: dict[str, Any], errors: list[messages.Problem], ticket: str, status: int = 200,
          submitted: bool = False) -> Response:
    site = definitions.site()
    return render("survey/liuyan.html", TITLE, status, crumbs=CRUMBS, values=values, errors=errors,
                  error_for={e.field: e.message for e in errors}, kinds=messages.KINDS,
                  communities=[(cid, c.name) for cid, c in site.communities.items()],
                  csrf_token=generate_csrf(), ticket=ticket, honeypot=HONEYPOT, submitted=submitted,
                  max_subject=messages.MAX_SUBJECT, max_body=messages.MAX_BODY,
                  reply_days=_days("咨询")[1], new_link=request.path + "?new=1")


@bp.get("/")
def form() -> Response:
    used = tickets.recent(LAST)
    community = request.args.get("community", "")
    return _page({"community": community} if community in definitions.site().communities else {},
                 [], used or new_ticket(), submitted=bool(used))


@bp.post("/")
def submit() -> BaseResponse:
    f = request.form
    ticket = f.get("_ticket", "")
    opened = tickets.read(ticket)
    if opened is None or f.get(HONEYPOT):
        return render("survey/status.html", TITLE, 400, crumbs=CRUMBS, state="bad_form", survey=None, message="")
    key, shown = opened
    db = get_db()
    stored_key = key_hash("liuyan", "liuyan", key)
    first = S.message_for_key(db, stored_key)
    if first is not None:                      # Back, then 提交 again: the first receipt
        session[REPLAYED] = first
        return redirect(f"{prefix()}/liuyan/thanks/{first}", code=303)
    values = {k: f.get(k, "") for k in ("kind", "community", "subject", "body", "contact", "consent", "public")}
    clean, errors = messages.check(values, definitions.site().communities)
    if errors:
        return _page(values, errors, ticket, 422)
    refused = tickets.refusal(shown, "提交")
    if refused is not None:
        why, status, wait = refused
        resp = _page(values, [messages.Problem("", why)], ticket, status)
        if wait is not None:
            resp.headers["Retry-After"] = str(wait)
        return resp
    receipt, new = save(clean, stored_key)
    tickets.remember(LAST, ticket)
    if not new:
        session[REPLAYED] = receipt
    return redirect(f"{prefix()}/liuyan/thanks/{receipt}", code=303)


def save(clean: dict[str, Any], key: str | None) -> tuple[str, bool]:
    """Store a checked message with its deadlines (this service's, the site's calendar):
    (receipt, True), or (the first receipt, False) for a key used before."""
    accept_due, reply_due, estimated = messages.deadlines(definitions.today(), definitions.site().calendar,
                                                          *_days(clean["kind"]))
    return S.save_message(get_db(), {**clean, "received": definitions.now_iso(), "accept_due": accept_due.isoformat(),
                                     "reply_due": reply_due.isoformat(), "estimated": estimated}, key)


def public_view(m: dict[str, Any]) -> dict[str, Any]:
    """What the resident's receipt shows of a message (tracking page and API): never the body
    or the contact."""
    view = {k: m[k] for k in ("kind", "subject", "community", "received", "accept_due", "reply_due", "accepted",
                              "reply", "replied", "closed", "estimated")}
    return {**view, "state": messages.state(m, definitions.today())}


@bp.get("/thanks/<receipt>")
def thanks(receipt: str) -> Response:
    m = S.message(get_db(), receipt)
    if m is None:
        abort(404)
    replayed = session.get(REPLAYED) == receipt and session.pop(REPLAYED)
    return render("survey/liuyan_thanks.html", "留言已收到", crumbs=CRUMBS, receipt=receipt, message=m,
                  replayed=bool(replayed), prefix=prefix(), new_link=f"{prefix()}/liuyan/?new=1",
                  community_name=definitions.site().community_name(m["community"]))


def track_page(receipt: str) -> Response | None:
    """The tracking page of a 留言 receipt (None when the receipt is not a message): its state,
    deadlines and the reply. Neither the body nor the contact phone is shown."""
    m = S.message(get_db(), receipt)
    if m is None:
        return None
    return render("survey/liuyan_track.html", "留言办理进度查询", crumbs=CRUMBS, message=public_view(m),
                  receipt=receipt, labels=messages.STATE_LABELS, prefix=prefix(),
                  community_name=definitions.site().community_name(m["community"]))
