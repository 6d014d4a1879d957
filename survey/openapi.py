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

# 留言 (survey.liuyan_api): the form's fields; the tracking view never carries the body or the contact.
_MESSAGE_IN = {"type": "object", "required": ["kind", "community", "subject", "body"], "properties": {
    "kind": {"type": "string", "enum": list(schema.MESSAGE_KINDS)},
    "community": {"type": "string", "description": "社区编号（content/communities/ 的文件名）"},
    "subject": {"type": "string", "maxLength": 50}, "body": {"type": "string", "maxLength": 2000},
    "public": {"type": "boolean", "description": "同意去除个人信息后公开留言和答复"},
    "contact": {"type": "object", "description": "可留电话，须同意；只给工作人员看，办结后删除",
                "properties": {"phone": {"type": "string"}, "consent": {"type": "boolean"}}}}}
_MESSAGE_OUT = {"type": "object", "required": ["receipt", "kind", "subject", "community", "state", "received",
                                               "accept_due", "reply_due", "accepted", "replied", "closed", "reply",
                                               "estimated"],
                "properties": {
                    "receipt": {"type": "string"}, "kind": {"type": "string", "enum": list(schema.MESSAGE_KINDS)},
                    "subject": {"type": "string"}, "community": {"type": "string", "description": "现在的办理单位"},
                    "state": {"type": "string", "enum": ["received", "accepted", "replied", "closed", "overdue"]},
                    "received": {"type": "string", "description": "收到时间，ISO 8601，+08:00"},
                    "accept_due": {"type": "string", "format": "date"},
                    "reply_due": {"type": "string", "format": "date"},
                    "accepted": {"type": ["string", "null"]}, "replied": {"type": ["string", "null"]},
                    "closed": {"type": ["string", "null"]}, "reply": {"type": "string"},
                    "estimated": {"type": "boolean", "description": "期限按周一至周五估算（该年节假日未知）"}}}


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
_LIUYAN_PATHS = {
    "/survey/api/liuyan": {"post": {
        "parameters": [IDEMPOTENCY], "requestBody": {"required": True, **_json(_MESSAGE_IN)},
        "responses": _with_failures({
            "201": {"description": "已收到留言", **_json({"type": "object", "required": ["receipt"],
                                                     "properties": {"receipt": {"type": "string"}}})},
            "400": {"description": "请求格式错误", **_json(_ERRORS)},
            "413": {"description": "请求过大（超过 64 KB）", **_json(_ERRORS)},
            "422": {"description": "留言有误（question 为字段名）", **_json(_ERRORS)},
            "429": {"description": "提交过于频繁；Retry-After 给出等待秒数", **_json(_ERRORS),
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}}})}},
    "/survey/api/liuyan/{receipt}": {"get": {
        "parameters": [{"name": "receipt", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": _with_failures({
            "200": {"description": "留言办理进度和答复", **_json(_MESSAGE_OUT)},
            "404": {"description": "无此回执码", **_json(_ERRORS)},
            "429": {"description": "查询过于频繁", **_json(_ERRORS)}})}},
}
# 依申请公开 (survey.requests_api), read-only: the tracking view and the year's counts.
_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
_REQUEST_OUT = {"type": "object", "required": ["receipt", "state", "received", "due", "answered", "outcome", "reply"],
                "properties": {
                    "receipt": {"type": "string"},
                    "state": {"type": "string", "enum": ["open", "extended", "correction", "overdue", "answered"]},
                    "received": {"type": "string", "description": "收到时间，ISO 8601，+08:00"},
                    "due": {**_DATE_OR_NULL, "description": "答复期限；等待补正时为 null（期限暂停）"},
                    "estimated": {"type": "boolean", "description": "期限按周一至周五估算（该年节假日未知）"},
                    "extended": _DATE_OR_NULL, "extension_reason": {"type": "string"},
                    "correction_asked": _DATE_OR_NULL, "correction_note": {"type": "string"},
                    "correction_due": _DATE_OR_NULL, "correction_done": _DATE_OR_NULL,
                    "answered": _DATE_OR_NULL,
                    "outcome": {"type": ["string", "null"], "enum": [*schema.OUTCOMES, None]},
                    "outcome_reason": {"type": "string"}, "organ": {"type": "string"}, "reply": {"type": "string"}}}
_COUNT = {"type": "integer", "minimum": 0}
_REQUEST_STATS = {"type": "object", "required": ["year", "as_of", "received", "received_by_applicant",
                                                 "carried_over", "answered", "outcomes", "carried_forward",
                                                 "extensions", "corrections", "overdue"],
                  "properties": {
                      "year": {"type": "integer"}, "as_of": {"type": "string", "format": "date"},
                      "received": _COUNT, "carried_over": _COUNT, "answered": _COUNT, "carried_forward": _COUNT,
                      "extensions": _COUNT, "corrections": _COUNT, "overdue": _COUNT,
                      "received_by_applicant": {"type": "object", "required": ["citizen", "organisation"],
                                                "properties": {"citizen": _COUNT, "organisation": _COUNT}},
                      "outcomes": {"type": "array", "items": {
                          "type": "object", "required": ["type", "count"],
                          "properties": {"type": {"type": "string", "enum": list(schema.OUTCOMES)},
                                         "reason": {"type": "string", "enum": list(schema.REASONS)},
                                         "count": _COUNT}}}}}
_YSQGK_PATHS = {
    "/survey/api/ysqgk/{receipt}": {"get": {
        "parameters": [{"name": "receipt", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": _with_failures({
            "200": {"description": "依申请公开办理进度和答复（不含申请人信息和申请内容）", **_json(_REQUEST_OUT)},
            "404": {"description": "无此回执码", **_json(_ERRORS)},
            "429": {"description": "查询过于频繁", **_json(_ERRORS)}})}},
    "/survey/api/ysqgk/stats/{year}": {"get": {
        "parameters": [{"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": _with_failures({
            "200": {"description": "该年度截至今天的件数，与 content/ysqgk/<年份>.yaml 同一格式",
                    **_json(_REQUEST_STATS)},
            "404": {"description": "没有这一年的统计", **_json(_ERRORS)}})}},
}
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
        **_LIUYAN_PATHS,
        **_YSQGK_PATHS,
    },
}
