"""The service's pages in the portal's own layout (base.html): the Jinja environment, `render`
(converted to Traditional Chinese under /zh-hant/), the crumb trails, the status page, and
no_store for staff pages (who may see what is survey.roles)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask_wtf.csrf import generate_csrf
from jinja2 import Environment

from portal.hant import to_hant
from portal.page_model import Crumb, Page
from portal.phone_html import for_phones
from portal.render import TEMPLATES, cn_date, fingerprint, make_env

from . import definitions

RESIDENT_CRUMBS = (Crumb("首页", "/"), Crumb("互动交流", "/hdjl/"), Crumb("满意度调查", "/hdjl/myd/"))
STAFF_CRUMBS = (Crumb("首页", "/"), Crumb("问卷管理", "/survey/admin/"))


class Assets:
    """Fingerprinted URLs of the portal's assets, recomputed when the files change, so the
    service's pages keep matching the site that `make run` rebuilds after a CSS edit."""

    def __init__(self, static: Path):
        self.static = static
        self.key: tuple[tuple[str, int, int], ...] | None = None
        self.urls: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        files = sorted(p for p in self.static.rglob("*") if p.is_file())
        key = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        if key != self.key:
            self.urls = {k: url for k, (url, _) in fingerprint(self.static).items()}
            self.key = key
        return self.urls[name]


def init_app(app: Flask) -> None:
    env = make_env(TEMPLATES, {})
    env.globals["asset"] = Assets(TEMPLATES / "static")
    env.filters["cn_day"] = lambda s: cn_date(dt.date.fromisoformat(str(s)[:10])) if s else ""
    app.extensions["portal_env"] = env


def env() -> Environment:
    return current_app.extensions["portal_env"]


def prefix() -> str:
    """Where the resident pages are for this reader: /survey or /zh-hant/survey."""
    return "/zh-hant/survey" if request.path.startswith("/zh-hant/") else "/survey"


def render(template: str, title: str, status: int = 200, crumbs: tuple[Crumb, ...] = RESIDENT_CRUMBS,
           **ctx: Any) -> Response:
    """A page of the service in the portal's own layout, converted to Traditional Chinese
    under /zh-hant/."""
    page = Page(request.path, template, title, "myd", {}, tuple(crumbs) + (Crumb(title, request.path),))
    site = definitions.site()
    html = for_phones(env().get_template(template).render(page=page, site=site, item=None, **ctx))
    if request.path.startswith("/zh-hant/"):
        html = to_hant(html, site.config.hant)
    return Response(html, status, mimetype="text/html")


def status_page(title: str, status: int, state: str, survey=None, message: str = "",
                crumbs: tuple[Crumb, ...] = RESIDENT_CRUMBS) -> Response:
    """survey/status.html: an unknown, not yet open or closed survey, a refused request."""
    return render("survey/status.html", title, status, crumbs=crumbs, state=state, survey=survey,
                  message=message)


def staff_page(template: str, title: str, status: int = 200, **ctx: Any) -> Response:
    return render(template, title, status, crumbs=STAFF_CRUMBS, staff=(g.get("account") or {}).get("name"),
                  account=g.get("account"), csrf_token=generate_csrf(), **ctx)


def no_store(resp: Response) -> Response:
    """Staff pages: never cached, never indexed."""
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp
