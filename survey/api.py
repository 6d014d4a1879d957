"""JSON API under /survey/api/ with exactly the shapes of DESIGN §5, and its OpenAPI document.
Submissions go through survey.submission, the same sequence as the HTML form."""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, request

from portal import schema
from portal.surveys import OTHER, Question, Survey

from . import answers, definitions, store, submission
from .answers import AnswerError
from .context import ContextError, parse_context
from .db import get_db
from .errors import json_errors
from .openapi import SPEC
from .results import aggregate
from .submission import Refusal, Submission

bp = Blueprint("api", __name__, url_prefix="/survey/api")
UNKNOWN = "找不到这份问卷"
MAX_KEY = 200


def _choices(q: Question) -> list[dict[str, str]]:
    """A question's choices; the 其他（请注明） choice names the answer key its text goes in."""
    if q.type not in schema.CHOICE_VALUE_TYPES:
        return []
    out = []
    for c in q.scale:
        choice = {"value": c.value, "label": c.label}
        if q.other and c.value == OTHER:
            choice["text_key"] = f"{q.id}.other"
        out.append(choice)
    return out


def definition_json(survey: Survey) -> dict[str, Any]:
    questions = [{
        "id": q.id, "type": q.type, "label": q.label, "help": q.help, "required": q.required,
        "choices": _choices(q), "rows": [{"id": r.value, "label": r.label} for r in q.rows],
        "min": q.min, "max": q.max, "show_if": answers.api_condition(q.show_if), "page": q.page,
    } for q in survey.questions]
    return {"id": survey.id, "title": survey.title, "kind": survey.kind,
            "opens": survey.opens.isoformat(), "closes": survey.closes.isoformat(),
            "access": survey.access, "questions": questions}


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(SPEC)


@bp.get("/<sid>")
def definition(sid: str) -> Response:
    survey = definitions.get(sid)
    if survey is None:
        return json_errors(404, UNKNOWN)
    return jsonify(definition_json(survey))


def _unavailable(survey: Survey | None) -> Response | None:
    status = submission.availability(survey)
    if status is None:
        return None
    if survey is None:
        return json_errors(404, UNKNOWN)
    return json_errors(status, f"问卷将于 {survey.opens} 开始" if status == submission.NOT_YET
                       else f"问卷已于 {survey.closes} 结束")


MAX_DEPTH = 16              # a response is answers → question → matrix row: 4 levels deep at most


def json_body() -> tuple[Any, AnswerError | None]:
    """The request's JSON, or what is wrong with it: not JSON (body None: the caller says what
    it should be), nested too deep, or text no database can store (a lone UTF-16 surrogate,
    named by its question)."""
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except RecursionError:
        return None, AnswerError("", TOO_DEEP)
    except ValueError:
        return None, None
    if isinstance(body, dict) and isinstance(body.get("answers"), dict):
        for question, value in body["answers"].items():       # a bad answer names its question
            problem = _unstorable(value, 2, question)
            if problem:
                return None, problem
    return (None, problem) if (problem := _unstorable(body, 0, "")) else (body, None)


TOO_DEEP = "请求的 JSON 嵌套层数过多"


def _unstorable(value: Any, depth: int, question: str) -> AnswerError | None:
    """What makes a JSON value impossible to accept: deeper than MAX_DEPTH, or a string (key or
    value) that is not valid Unicode."""
    if depth > MAX_DEPTH:
        return AnswerError("", TOO_DEEP)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return AnswerError(question, "含有无法识别的字符（可能是复制时带入的乱码），请删除后重新填写")
        return None
    children = [*value.keys(), *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else []
    return next((p for v in children if (p := _unstorable(v, depth + 1, question))), None)


def _submission(survey: Survey, body: Any) -> Submission | Response:
    """The request body as a submission, or the 400/422 that says what is wrong with it."""
    if not isinstance(body, dict) or not isinstance(body.get("answers", {}), dict):
        return json_errors(400, "请求应为 JSON 对象：{\"answers\": {...}, \"context\": {...}}")
    context_in = body.get("context") or {}
    if not isinstance(context_in, dict):
        return json_errors(400, "context 应为对象")
    try:
        context = parse_context({k: str(v) for k, v in context_in.items() if v is not None}, definitions.site())
    except ContextError as e:
        return json_errors(422, [AnswerError("context", str(e))])
    # Codes are case-insensitive, as in the form (where they are typed from paper).
    invite = body["invite"].strip().upper()[:32] if isinstance(body.get("invite"), str) else None
    contact: dict[str, Any] = body["contact"] if isinstance(body.get("contact"), dict) else {}
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_KEY or not key.isprintable():
        return json_errors(400, f"Idempotency-Key 应为不超过 {MAX_KEY} 个字符的一行文字")
    return Submission(survey, body.get("answers") or {}, context, invite, contact.get("phone"), contact.get("consent"),
                      key=key or None, channel="api")


@bp.post("/<sid>/responses")
def respond(sid: str) -> Response | tuple[Response, int]:
    survey = definitions.get(sid)
    refused = _unavailable(survey)
    if refused is not None:
        return refused
    assert survey is not None
    body, problem = json_body()
    if problem is not None:
        return json_errors(400 if not problem.question else 422, [problem])
    sub = _submission(survey, body)
    if isinstance(sub, Response):
        return sub
    outcome = submission.accept(sub)
    if isinstance(outcome, Refusal):
        if outcome.status == 429:
            return json_errors(429, f"提交过于频繁，请 {outcome.wait} 秒后再试", retry_after=outcome.wait)
        return json_errors(outcome.status, outcome.errors)
    resp = jsonify({"receipt": outcome.receipt})
    if outcome.replayed:
        resp.headers["Idempotent-Replayed"] = "true"
    return resp, 201


@bp.get("/<sid>/results")
def results(sid: str) -> Response:
    survey = definitions.get(sid)
    if survey is None:
        return json_errors(404, UNKNOWN)
    if survey.results != "public":
        return json_errors(403, "这份问卷的结果不公开")
    if not survey.publishable(definitions.today()):     # 评议: nobody reads results while others still rate
        return json_errors(403, f"评议结果要在问卷结束（{survey.closes}）后才能查看")
    return jsonify(aggregate(survey, store.responses(get_db(), sid)))
