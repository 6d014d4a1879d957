"""留言 in the JSON API (documented in survey.openapi): `POST /survey/api/liuyan` writes a
message (the form's rules: fields, consent for a phone, rate limit, Idempotency-Key), and
`GET /survey/api/liuyan/<receipt>` tracks it (state, deadlines, reply; never the body or the
contact). Errors have the API's one shape, each naming its field."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from . import definitions, messages, ratelimit
from .answers import AnswerError
from .api import MAX_KEY, json_body
from .db import get_db
from .errors import json_errors
from .liuyan import public_view, save
from .store import key_hash
from .store import messages as S

bp = Blueprint("liuyan_api", __name__, url_prefix="/survey/api/liuyan")
FIELDS = ("kind", "community", "subject", "body", "public")


def _form(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON body in the form's field shapes."""
    contact: dict[str, Any] = body["contact"] if isinstance(body.get("contact"), dict) else {}
    out = {k: body.get(k) for k in FIELDS if isinstance(body.get(k), str | bool)}
    out["public"] = "1" if body.get("public") is True else ""
    out["contact"] = contact.get("phone") if isinstance(contact.get("phone"), str) else ""
    out["consent"] = "1" if contact.get("consent") is True else ""
    return out


@bp.post("")
def write() -> Response | tuple[Response, int]:
    body, problem = json_body()
    if problem is not None:
        return json_errors(400 if not problem.question else 422, [problem])
    if not isinstance(body, dict):
        return json_errors(400, "请求应为 JSON 对象：{\"kind\", \"community\", \"subject\", \"body\", ...}")
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_KEY or not key.isprintable():
        return json_errors(400, f"Idempotency-Key 应为不超过 {MAX_KEY} 个字符的一行文字")
    stored_key = key_hash("api-liuyan", "liuyan", key) if key else None
    first = S.message_for_key(get_db(), stored_key) if stored_key else None
    if first is not None:
        resp = jsonify({"receipt": first})
        resp.headers["Idempotent-Replayed"] = "true"
        return resp, 201
    clean, problems = messages.check(_form(body), definitions.site().communities)
    if problems:
        return json_errors(422, [AnswerError(p.field, p.message) for p in problems])
    wait = ratelimit.exceeded("submit", "SURVEY_RATELIMIT")
    if wait is not None:
        return json_errors(429, f"提交过于频繁，请 {wait} 秒后再试", retry_after=wait)
    receipt, new = save(clean, stored_key)
    resp = jsonify({"receipt": receipt})
    if not new:
        resp.headers["Idempotent-Replayed"] = "true"
    return resp, 201


@bp.get("/<receipt>")
def track(receipt: str) -> Response:
    wait = ratelimit.exceeded("track", "SURVEY_RATELIMIT")
    if wait is not None:
        return json_errors(429, f"查询过于频繁，请 {wait} 秒后再试", retry_after=wait)
    m = S.message(get_db(), receipt.strip().upper())
    if m is None:
        return json_errors(404, "找不到这条留言，请检查回执码")
    return jsonify({"receipt": m["receipt"], **public_view(m)})
