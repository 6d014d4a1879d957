"""The embedded default (`make run`): the built portal served at / by the same process."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory

bp = Blueprint("site", __name__)
SERVICE = ("survey/", "zh-hant/survey/")


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def static_site(path: str) -> Response | tuple[Response, int]:
    if path.startswith(SERVICE):
        abort(404)          # the service's own paths get the service's answer (JSON under /survey/api/)
    root = Path(current_app.config["SURVEY_SITE"]).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root):
        abort(404)
    if target.is_dir():
        path = (path.rstrip("/") + "/index.html").lstrip("/")
    if (root / path).is_file():
        return send_from_directory(root, path)
    page = root / "404.html"
    if page.exists():
        return send_from_directory(root, "404.html"), 404
    abort(404)
