"""Surveys and the portal model for the service: loaded once at start-up with the builder's
own loader (portal.pipeline.check), plus the per-request database connection."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from flask import Flask, current_app, g

from portal import pipeline, workdays
from portal.render import cn_date, fingerprint, make_env
from portal.surveys import Survey

from . import cases, store


@functools.lru_cache(maxsize=8)
def _load(content: str, day: dt.date):
    """The portal model and the content's problems, once per content folder and date."""
    result = pipeline.check(Path(content), day)
    return result.site, tuple(result.problems.lines())


def init_app(app: Flask) -> None:
    site, problems = _load(str(Path(app.config["SURVEY_CONTENT"]).resolve()), today(app))
    app.extensions["portal_site"] = site
    errors = [line for line in problems if ": 错误: " in line]
    if errors:      # the service still runs every survey that is valid; staff must see the rest
        app.logger.warning("内容中有 %d 个错误（有错误的问卷不会开放）：\n%s", len(errors), "\n".join(errors))
    env = make_env(pipeline.TEMPLATES, {})
    env.globals["asset"] = _asset
    env.filters["cn_day"] = lambda s: cn_date(dt.date.fromisoformat(str(s)[:10])) if s else ""
    app.extensions["portal_env"] = env
    store.connect(app.config["SURVEY_DB"]).conn.close()     # create / migrate the schema now
    app.teardown_appcontext(_close_db)


_assets: dict = {"key": None, "urls": {}}


def _asset(name: str) -> str:
    """The fingerprinted URL of a portal asset, recomputed when the files change, so the
    service's pages keep matching the site that `make run` rebuilds after a CSS edit."""
    static = pipeline.TEMPLATES / "static"
    key = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(static.rglob("*")) if p.is_file())
    if key != _assets["key"]:
        _assets["urls"] = {k: url for k, (url, _) in fingerprint(static).items()}
        _assets["key"] = key
    return _assets["urls"][name]


def today(app: Flask | None = None) -> dt.date:
    app = app or current_app
    pinned = app.config.get("SURVEY_TODAY")
    if isinstance(pinned, str) and pinned:
        return dt.date.fromisoformat(pinned)
    return pinned if pinned else pipeline.china_today()


def now_iso() -> str:
    """The submission time: now in Beijing, on the pinned SURVEY_TODAY when demos and tests
    pin one, so a response, its case and the case's deadlines all share one date."""
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    if current_app.config.get("SURVEY_TODAY"):
        now = dt.datetime.combine(today(), now.time(), now.tzinfo)
    return now.isoformat(timespec="seconds")


def site():
    return current_app.extensions["portal_site"]


def env():
    return current_app.extensions["portal_env"]


def surveys() -> dict[str, Survey]:
    s = site()
    return s.surveys if s is not None else {}


def get(sid: str) -> Survey | None:
    return surveys().get(sid)


def case_for(survey: Survey, answers, contact):
    """The 差评 case a response opens, with this service's deadlines and calendar."""
    s = site()
    return cases.new_case(survey, answers, contact, s.calendar if s is not None else workdays.OFFICIAL,
                          today(), int(current_app.config["SURVEY_CASE_VERIFY_DAYS"]),
                          int(current_app.config["SURVEY_CASE_REPLY_DAYS"]))


def db():
    if "db" not in g:
        g.db = store.connect(current_app.config["SURVEY_DB"])
    return g.db


def _close_db(_exc) -> None:
    conn = g.pop("db", None)
    if conn is not None:
        conn.conn.close()
