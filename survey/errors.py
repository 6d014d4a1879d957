"""Clear Simplified Chinese answers for requests refused before a view runs: too large (413),
a missing or stale CSRF token (400). JSON for the API, a page for everyone else."""
from __future__ import annotations

from flask import Flask, jsonify, request
from flask_wtf.csrf import CSRFError

from .resident import render

MESSAGES = {
    413: "提交的内容太长（超过 64 KB），请删减后再提交",
    "csrf": "页面已过期或来源不明，请刷新页面后重新提交",
}


def _answer(status: int, message: str):
    if request.path.startswith("/survey/api/"):
        return jsonify({"errors": [{"question": "", "message": message}]}), status
    return render("survey/status.html", "无法提交", status, state="refused", survey=None, message=message)


def init_app(app: Flask) -> None:
    app.register_error_handler(413, lambda e: _answer(413, MESSAGES[413]))
    app.register_error_handler(CSRFError, lambda e: _answer(400, MESSAGES["csrf"]))
