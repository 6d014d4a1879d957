"""JSON API under /survey/api/ with exactly the shapes of DESIGN §5, and its OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from . import answers as A
from . import cases, definitions, ratelimit, store
from .context import ContextError, parse_context
from .openapi import SPEC
from .results import aggregate

bp = Blueprint("api", __name__, url_prefix="/survey/api")


def _error(status: int, message: str):
    return jsonify({"errors": [{"question": "", "message": message}]}), status


def _definition(survey) -> dict:
    questions = []
    for q in survey.questions:
        questions.append({
            "id": q.id, "type": q.type, "label": q.label, "help": q.help, "required": q.required,
            "choices": [{"value": c.value, "label": c.label} for c in q.scale]
            if q.type not in ("matrix", "text", "textarea", "number", "date") or q.type == "matrix" else [],
            "rows": [{"id": r.value, "label": r.label} for r in q.rows],
            "min": q.min, "max": q.max,
            "show_if": api_condition(q.show_if), "page": q.page,
        })
    return {"id": survey.id, "title": survey.title, "kind": survey.kind,
            "opens": survey.opens.isoformat(), "closes": survey.closes.isoformat(),
            "access": survey.access, "questions": questions}


def api_condition(c):
    if c is None:
        return None
    out = {k: c[k] for k in ("question", "equals", "in", "not_in", "answered") if c.get(k) not in (None, ())}
    for k in ("all", "any"):
        if c.get(k):
            out[k] = [api_condition(sub) for sub in c[k]]
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.get("/<sid>")
def definition(sid: str):
    survey = definitions.get(sid)
    if survey is None:
        return _error(404, "找不到这份问卷")
    return jsonify(_definition(survey))


@bp.post("/<sid>/responses")
def respond(sid: str):
    survey = definitions.get(sid)
    if survey is None:
        return _error(404, "找不到这份问卷")
    state = survey.status(definitions.today())
    if state == "not_yet":
        return _error(403, f"问卷将于 {survey.opens} 开始")
    if state == "closed":
        return _error(410, f"问卷已于 {survey.closes} 结束")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("answers", {}), dict):
        return _error(400, "请求应为 JSON 对象：{\"answers\": {...}, \"context\": {...}}")
    context_in = body.get("context") or {}
    if not isinstance(context_in, dict):
        return _error(400, "context 应为对象")
    try:
        context = parse_context({k: str(v) for k, v in context_in.items() if v is not None}, definitions.site())
    except ContextError as e:
        return jsonify({"errors": [{"question": "context", "message": str(e)}]}), 422
    invite = body.get("invite")
    if survey.access == "invite" and not isinstance(invite, str):
        return jsonify({"errors": [{"question": "invite", "message": "这份问卷需要邀请码"}]}), 422
    clean, errors = A.check(survey, body.get("answers") or {})
    contact_in = body.get("contact") if isinstance(body.get("contact"), dict) else {}
    contact, contact_errors = cases.parse_contact(survey, clean, contact_in.get("phone"), contact_in.get("consent"))
    errors += contact_errors
    if errors:
        return jsonify({"errors": [{"question": e.question, "message": e.message} for e in errors]}), 422
    wait = ratelimit.exceeded("submit", "SURVEY_RATELIMIT")
    if wait is not None:
        resp = _error(429, f"提交过于频繁，请 {wait} 秒后再试")
        resp[0].headers["Retry-After"] = str(wait)
        return resp
    try:
        receipt = store.save_response(definitions.db(), survey.id, survey.version, clean, context,
                                      invite if survey.access == "invite" else None,
                                      definitions.case_for(survey, clean, contact),
                                      submitted=definitions.now_iso())
    except store.InviteError as e:
        return jsonify({"errors": [{"question": "invite", "message": str(e)}]}), 422
    return jsonify({"receipt": receipt}), 201


@bp.get("/<sid>/results")
def results(sid: str):
    survey = definitions.get(sid)
    if survey is None:
        return _error(404, "找不到这份问卷")
    if survey.results != "public":
        return _error(403, "这份问卷的结果不公开")
    return jsonify(aggregate(survey, store.responses(definitions.db(), sid)))
