"""The surveys and the portal's Site the service runs on, loaded once at start-up through the
builder's narrow path (portal.content: load → validate → model, no checks or pages), and the
service's date (portal.clock, pinned by SURVEY_TODAY in tests and demos).

Only valid documents are in the Site: a survey, guide or community file with an error of its
own is never served. The service refuses to start without content or with a broken site.yaml
or columns.yaml, and logs every other content error so staff see why a survey is missing.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from flask import Flask, current_app

from portal import build_state, clock
from portal.content import load_site
from portal.model import Site
from portal.problems import Problem
from portal.surveys import Survey


class ContentError(RuntimeError):
    """The content cannot be served (message in Chinese, for whoever starts the service)."""


@functools.lru_cache(maxsize=8)
def _load(content: str, day: dt.date) -> tuple[Site | None, tuple[Problem, ...]]:
    """The Site and its problems, once per content folder and date. The files the builder
    has read are taken from its cache (./.cache/build, read only: the service writes none),
    so starting the service parses nothing a build has parsed."""
    site, problems = load_site(Path(content), day, cache=build_state.CACHE, remember=False)
    return site, tuple(problems)


def init_app(app: Flask) -> None:
    content = Path(app.config["SURVEY_CONTENT"]).resolve()
    site, problems = _load(str(content), today(app))
    errors = [p.format() for p in sorted(problems) if p.is_error]
    if site is None or not site.config_ok:
        raise ContentError(f"问卷服务无法启动：内容目录 {content} 有以下错误，请修改后再启动：\n" + "\n".join(errors))
    if errors:
        app.logger.warning("内容中有 %d 个错误（有错误的问卷、服务事项和社区不会开放）：\n%s", len(errors),
                           "\n".join(errors))
    app.extensions["portal_site"] = site


def site() -> Site:
    return current_app.extensions["portal_site"]


def surveys() -> dict[str, Survey]:
    return dict(site().surveys)


def get(sid: str) -> Survey | None:
    return site().surveys.get(sid)


def today(app: Flask | None = None) -> dt.date:
    return clock.today(_pin(app or current_app))


def now() -> dt.datetime:
    """Now in Beijing: on the pinned date when SURVEY_TODAY is set, so a response, its case,
    the case's deadlines, staff actions and published results share one clock."""
    return clock.now(_pin(current_app))


def now_iso() -> str:
    """Now, as the service stores times."""
    return clock.now_iso(_pin(current_app))


def _pin(app: Flask) -> dt.date | None:
    return clock.parse_pin(app.config.get("SURVEY_TODAY"))
