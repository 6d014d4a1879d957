"""One way the service says no. Under /survey/api/ every refusal is JSON in the DESIGN §5 shape
(`{"errors": [{"question", "message"}]}`); everywhere else it is a page in the portal's layout.
Always Simplified Chinese, never Flask's English default, never a traceback (a 500 is logged
for the operator and answered politely)."""
from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, current_app, jsonify, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .answers import AnswerError
from .layout import RESIDENT_CRUMBS, STAFF_CRUMBS, status_page

API = "/survey/api/"
MESSAGES = {
    400: "请求的格式不正确",
    403: "没有权限访问这个页面",
    404: "没有找到这个页面，可能是网址有误",
    405: "这个网址不支持这种访问方式",
    413: "提交的内容太长（超过 64 KB），请删减后再提交",
    429: "请求过于频繁，请稍后再试",
    500: "服务器暂时出现问题，您的内容没有保存，请稍后再试；如果一直出现，请联系社区服务中心",
}
CSRF_MESSAGE = "页面已过期或来源不明，请刷新页面后重新提交"


def json_errors(status: int, errors: Iterable[AnswerError] | str, retry_after: int | None = None) -> Response:
    """The API's error response: a message, or errors each naming its question."""
    items = [AnswerError("", errors)] if isinstance(errors, str) else list(errors)
    resp = jsonify({"errors": [{"question": e.question, "message": e.message} for e in items]})
    resp.status_code = status
    if retry_after is not None:
        resp.headers["Retry-After"] = str(retry_after)
    return resp


def refuse(status: int, message: str) -> Response:
    """JSON under /survey/api/, else a Chinese status page (plain text if even that fails)."""
    if request.path.startswith(API):
        return json_errors(status, message)
    crumbs = STAFF_CRUMBS if request.path.startswith("/survey/admin/") else RESIDENT_CRUMBS
    try:
        return status_page("页面不存在" if status == 404 else "无法完成请求", status, "refused",
                           message=message, crumbs=crumbs)
    except Exception:                    # the layout itself is what broke
        current_app.logger.exception("无法显示错误页面")
        return Response(message, status, mimetype="text/plain")


def _http(e: HTTPException) -> Response:
    """Werkzeug's English descriptions are replaced; one a view gave in Chinese is kept."""
    status = e.code or 500
    own = e.description if e.description != type(e).description else None
    resp = refuse(status, own or MESSAGES.get(status, MESSAGES[400] if status < 500 else MESSAGES[500]))
    if status == 405 and e.valid_methods:            # type: ignore[attr-defined]
        resp.headers["Allow"] = ", ".join(e.valid_methods)   # type: ignore[attr-defined]
    return resp


def _unexpected(e: Exception) -> Response:
    if isinstance(e, HTTPException):
        return _http(e)
    current_app.logger.exception("处理 %s %s 时出错", request.method, request.path)
    return refuse(500, MESSAGES[500])


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, lambda e: refuse(400, CSRF_MESSAGE))
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
