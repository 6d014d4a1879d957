"""依申请公开, the applicant's side: the form at /survey/ysqgk/ (and /zh-hant/survey/ysqgk/), the
receipt page, and what /survey/track/<receipt> shows for a request. Same rules as a survey
form: works without JavaScript, CSRF, honeypot, minimum fill time, rate limit, size limits and
a one-time ticket so Back-then-提交 stores nothing new. Pages that carry the applicant's own
data (the form re-shown with errors) are never cached; the receipt and tracking pages show
nothing personal."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, redirect, request, session
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response as BaseResponse

from portal.hant import convert_text
from portal.page_model import Crumb

from . import definitions, tickets
from . import requests as R
from .answers import AnswerError
from .db import get_db
from .layout import prefix, render
from .store import key_hash
from .store import requests as S
from .tickets import HONEYPOT, new_ticket

bp = Blueprint("ysqgk", __name__, url_prefix="/survey/ysqgk")
TITLE = "政府信息公开申请"
CRUMBS = (Crumb("首页", "/"), Crumb("信息公开", "/xxgk/"), Crumb("依申请公开", "/survey/ysqgk/"))
LAST = "ysqgk_last"             # this browser's last application: {ticket, at}
REPLAYED = "ysqgk_replayed"


def _private(resp: Response) -> Response:
    """A page with the applicant's own data: never cached, never indexed."""
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


def _page(values: dict[str, Any], errors: list[AnswerError], ticket: str, status: int = 200,
          submitted: bool = False) -> Response:
    return _private(render(
        "survey/ysqgk_form.html", TITLE, status, crumbs=CRUMBS, values=values, errors=errors,
        error_for={e.question: e.message for e in errors}, applicant_types=R.APPLICANT_TYPES,
        citizen_ids=R.CITIZEN_IDS, organisation_ids=R.ORGANISATION_IDS, formats=R.FORMATS,
        deliveries=R.DELIVERIES, csrf_token=generate_csrf(), ticket=ticket, honeypot=HONEYPOT,
        submitted=submitted, new_link=request.path + "?new=1", max_text=R.MAX_TEXT, days=R.ANSWER_DAYS,
        prefix=prefix()))


@bp.get("/")
def form() -> Response:
    used = tickets.recent(LAST)
    return _page({"applicant_type": "公民", "id_type": "居民身份证"}, [], used or new_ticket(), submitted=bool(used))


def _bad_form() -> Response:
    return render("survey/status.html", TITLE, 400, crumbs=CRUMBS, state="bad_form", survey=None, message="")


@bp.post("/")
def submit() -> BaseResponse:
    f = request.form
    ticket = f.get("_ticket", "")
    opened = tickets.read(ticket)
    if opened is None or f.get(HONEYPOT):
        return _bad_form()
    key, shown = opened
    db = get_db()
    stored_key = key_hash("ysqgk", "ysqgk", key)
    first = S.receipt_for_key(db, stored_key)
    if first is not None:                      # Back, then 提交 again: the first receipt
        session[REPLAYED] = first
        return redirect(f"{prefix()}/ysqgk/thanks/{first}", code=303)
    values = _simplified_choices({k: str(f.get(k, ""))[:R.MAX_TEXT + 100] for k in R.FIELDS})
    app, errors = R.parse_form(values)
    if errors:
        return _page(values, errors, ticket, 422)
    refused = tickets.refusal(shown, "提交申请")
    if refused is not None:
        why, status, wait = refused
        resp = _page(values, [AnswerError("", why)], ticket, status)
        if wait is not None:
            resp.headers["Retry-After"] = str(wait)
        return resp
    site, today = definitions.site(), definitions.today()
    due, estimated = R.first_due(site.calendar, today)
    row = {k: getattr(app, k) for k in R.FIELDS if k != "id_number"}
    row |= {"id_masked": R.mask_id(app.id_number), "id_hash": R.id_hash(S.salt(db), app.id_type, app.id_number),
            "received": definitions.now_iso(), "state": R.OPEN, "due": due.isoformat(), "estimated": int(estimated)}
    receipt, new = S.save(db, row, stored_key, definitions.now_iso())
    tickets.remember(LAST, ticket)
    if not new:
        session[REPLAYED] = receipt
    return redirect(f"{prefix()}/ysqgk/thanks/{receipt}", code=303)


CHOICES = {"applicant_type": R.APPLICANT_TYPES, "id_type": R.CITIZEN_IDS + R.ORGANISATION_IDS,
           "format": R.FORMATS, "delivery": R.DELIVERIES}


def _simplified_choices(values: dict[str, str]) -> dict[str, str]:
    """The 繁體 form (/zh-hant/) sends its choices as converted (法人或其他組織): read them back
    as the Simplified values they stand for."""
    conversion = definitions.site().config.hant
    for key, choices in CHOICES.items():
        back = {convert_text(c, conversion): c for c in choices}
        values[key] = back.get(values[key], values[key])
    return values


@bp.get("/thanks/<receipt>")
def thanks(receipt: str) -> Response:
    req = S.get(get_db(), receipt)
    if req is None:
        abort(404)
    replayed = session.get(REPLAYED) == receipt and session.pop(REPLAYED)
    return render("survey/ysqgk_thanks.html", "申请已收到", crumbs=CRUMBS, receipt=receipt, due=req["due"],
                  estimated=bool(req["estimated"]), replayed=bool(replayed), prefix=prefix(),
                  new_link=f"{prefix()}/ysqgk/?new=1", days=R.ANSWER_DAYS)


def public_view(req: dict[str, Any]) -> dict[str, Any]:
    """What the tracking page may show of a request: its clock and the answer; never the
    applicant's name, ID, contact, address or the text of the application."""
    keep = ("received", "due", "estimated", "extended", "extension_reason", "correction_asked", "correction_note",
            "correction_due", "correction_done", "answered", "outcome", "outcome_reason", "organ", "reply")
    return {k: req[k] for k in keep} | {"state": R.state(req, definitions.today())}


def track_page(receipt: str) -> Response | None:
    """The tracking page of a 依申请公开 receipt (None when the receipt is not a request)."""
    req = S.get(get_db(), receipt)
    if req is None:
        return None
    return render("survey/ysqgk_track.html", "依申请公开办理进度查询", crumbs=CRUMBS, request=public_view(req),
                  receipt=receipt, labels=R.STATE_LABELS, prefix=prefix())
