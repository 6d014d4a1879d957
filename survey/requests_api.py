"""依申请公开 in the JSON API (documented in survey.openapi), read-only:
`GET /survey/api/ysqgk/<receipt>` tracks a request (state, deadline, extension, 补正, answer;
never the applicant's name, ID, contact, address or the text of the application), and
`GET /survey/api/ysqgk/stats/<year>` gives the year's counts so far, in the shape of
content/ysqgk/<year>.yaml. Applications are made on the form only: it carries an ID number,
which a cookie-less, CSRF-exempt endpoint should not take."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify

from . import definitions, ratelimit
from .db import get_db
from .errors import json_errors
from .requests import year_counts
from .requests_resident import public_view
from .store import requests as S

bp = Blueprint("ysqgk_api", __name__, url_prefix="/survey/api/ysqgk")


@bp.get("/<receipt>")
def track(receipt: str) -> Response:
    wait = ratelimit.exceeded("track", "SURVEY_RATELIMIT")
    if wait is not None:
        return json_errors(429, f"查询过于频繁，请 {wait} 秒后再试", retry_after=wait)
    req = S.get(get_db(), receipt.strip().upper())
    if req is None:
        return json_errors(404, "找不到这件申请，请检查回执码")
    view = public_view(req)
    view["estimated"] = bool(view["estimated"])
    return jsonify({"receipt": req["receipt"], **view})


@bp.get("/stats/<int:year>")
def stats(year: int) -> Response:
    today = definitions.today()
    if not 2000 <= year <= today.year:
        return json_errors(404, f"没有 {year} 年的统计")
    return jsonify(year_counts(S.every(get_db()), year, today))
