"""The embedded default (`make run`): the built portal served at / by the same process."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_from_directory

from portal import preview as P

bp = Blueprint("site", __name__)
SERVICE = ("survey/", "zh-hant/survey/")


@bp.get(P.PREFIX + "<name>")
def preview_answer(name: str) -> Response:
    """`make run`'s preview: the reload script and the long poll (portal.preview)."""
    preview = current_app.config.get("PORTAL_PREVIEW")
    own = P.answer(P.PREFIX + name, request.args.to_dict(), preview) if preview is not None else None
    if own is None:
        abort(404)
    status, kind, body = own
    return Response(body, status, content_type=kind, headers={"Cache-Control": "no-store"})


def _page(root: Path, path: str, status: int = 200) -> Response | tuple[Response, int]:
    """A file of the site; in `make run`'s preview, HTML pages carry the reload script."""
    preview = current_app.config.get("PORTAL_PREVIEW")
    if preview is not None and path.endswith(".html"):
        body = P.inject((root / path).read_bytes())
        return Response(body, status, content_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})
    sent = send_from_directory(root, path)
    return (sent, status) if status != 200 else sent


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
        return _page(root, path)
    page = root / "404.html"
    if page.exists():
        return _page(root, "404.html", 404)
    abort(404)
