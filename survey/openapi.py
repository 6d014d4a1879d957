"""The OpenAPI 3 document for /survey/api/ (kept true by tests/survey/test_api.py, which
validates real responses against these schemas). Enumerations come from portal.schema."""
from __future__ import annotations

from portal import schema

_ERRORS = {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
    "type": "object", "required": ["question", "message"],
    "properties": {"question": {"type": "string"}, "message": {"type": "string"}}}}}}
_CHOICE = {"type": "object", "required": ["value", "label"],
           "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                          "text_key": {"type": "string", "description":
                                       "仅“其他（请注明）”选项有：选择它时，在 answers 中用这个键提交注明的文字"}}}
_QUESTION = {"type": "object",
             "required": ["id", "type", "label", "help", "required", "choices", "rows", "min", "max", "show_if",
                          "page"],
             "properties": {
                 "id": {"type": "string"},
                 "type": {"type": "string", "enum": list(schema.QUESTION_TYPES)},
                 "label": {"type": "string"}, "help": {"type": "string"}, "required": {"type": "boolean"},
                 "choices": {"type": "array", "items": _CHOICE},
                 "rows": {"type": "array", "items": {"type": "object", "required": ["id", "label"], "properties": {
                     "id": {"type": "string"}, "label": {"type": "string"}}}},
                 "min": {"type": ["integer", "null"]}, "max": {"type": ["integer", "null"]},
                 "show_if": {"type": ["object", "null"]}, "page": {"type": "integer", "minimum": 1}}}
_DEFINITION = {"type": "object", "required": ["id", "title", "kind", "opens", "closes", "access", "questions"],
               "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                              "kind": {"type": "string", "enum": list(schema.SURVEY_KINDS)},
                              "opens": {"type": "string", "format": "date"},
                              "closes": {"type": "string", "format": "date"},
                              "access": {"type": "string", "enum": list(schema.SURVEY_ACCESS)},
                              "questions": {"type": "array", "items": _QUESTION}}}
_SUBMISSION = {"type": "object", "properties": {
    "answers": {"type": "object", "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "array", "items": {"type": "string"}},
                  {"type": "object", "additionalProperties": {"type": "string"}}]}},
    "context": {"type": "object", "description": "好差评问卷必须写 community；window 须为该社区服务中心的窗口号",
                "properties": {"service": {"type": "string"},
                                                 "window": {"type": ["string", "integer"]},
                                                 "community": {"type": "string"}}},
    "invite": {"type": "string"},
    "contact": {"type": "object", "description": "差评时可留电话，须同意；只给工作人员看，办结后删除",
                "properties": {"phone": {"type": "string"}, "consent": {"type": "boolean"}}}}}
_RATE = {"type": "string", "pattern": r"^(-?\d+\.\d{2})?$",
         "description": "两位小数、四舍五入的字符串，如 \"91.44\"；无人作答时为空字符串"}
_RESULT_QUESTION = {"type": "object", "required": ["id", "type", "answered"], "properties": {
    "id": {"type": "string"}, "type": {"type": "string", "enum": list(schema.QUESTION_TYPES)},
    "answered": {"type": "integer", "minimum": 0},
    "nps": {**_RATE, "description": "净推荐值：推荐者（9–10 分）占比减贬损者（0–6 分）占比，百分数，两位小数"},
    "mean": {**_RATE, "description": "平均值，两位小数"}}}
_RESULTS = {"type": "object", "required": ["id", "title", "responses", "questions"],
            "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                           "responses": {"type": "integer", "minimum": 0},
                           "questions": {"type": "array", "items": _RESULT_QUESTION}}}


def _json(body: dict) -> dict:
    return {"content": {"application/json": {"schema": body}}}


def _with_failures(responses: dict) -> dict:
    """Every operation also answers 405 and 500 in the error shape (survey.errors)."""
    return {**responses, "405": {"description": "不支持这种请求方法", **_json(_ERRORS)},
            "500": {"description": "服务器内部错误（未保存任何内容）", **_json(_ERRORS)}}


SID = [{"name": "sid", "in": "path", "required": True, "schema": {"type": "string"}}]
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "schema": {"type": "string", "maxLength": 200},
               "description": "可选。同一个键再次提交时返回第一次的回执（响应头 Idempotent-Replayed: true），"
                              "不会重复保存；同一个键用于不同的答卷时返回 422"}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "社区门户问卷接口", "version": "1.0.0"},
    "paths": {
        "/survey/api/{sid}": {"get": {"parameters": SID, "responses": _with_failures({
            "200": {"description": "问卷定义", **_json(_DEFINITION)},
            "404": {"description": "无此问卷", **_json(_ERRORS)}})}},
        "/survey/api/{sid}/responses": {"post": {
            "parameters": SID + [IDEMPOTENCY], "requestBody": {"required": True, **_json(_SUBMISSION)},
            "responses": _with_failures({
                "201": {"description": "已保存", **_json({"type": "object", "required": ["receipt"],
                                                       "properties": {"receipt": {"type": "string"}}})},
                "400": {"description": "请求格式错误", **_json(_ERRORS)},
                "403": {"description": "尚未开始", **_json(_ERRORS)},
                "404": {"description": "无此问卷", **_json(_ERRORS)},
                "410": {"description": "已结束", **_json(_ERRORS)},
                "413": {"description": "请求过大（超过 64 KB）", **_json(_ERRORS)},
                "422": {"description": "回答有误", **_json(_ERRORS)},
                "429": {"description": "提交过于频繁；Retry-After 给出等待秒数", **_json(_ERRORS),
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}}}})}},
        "/survey/api/{sid}/results": {"get": {"parameters": SID, "responses": _with_failures({
            "200": {"description": "汇总结果", **_json(_RESULTS)},
            "403": {"description": "结果不公开", **_json(_ERRORS)},
            "404": {"description": "无此问卷", **_json(_ERRORS)}})}},
        "/survey/api/openapi.json": {"get": {"responses": {"200": {"description": "本文档"}}}},
    },
}
