"""The survey service: residents fill in surveys defined in content/surveys/*.yaml; the
builder's loader and schema read them (DESIGN §5). Run with `flask --app survey run`."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from . import definitions, ratelimit

PROJECT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(PROJECT / "instance"), static_folder=None)   # /static/ is the portal's
    instance = Path(app.instance_path)
    app.config.update(
        SURVEY_DB=os.environ.get("SURVEY_DB", str(instance / "survey.db")),
        SURVEY_CONTENT=os.environ.get("SURVEY_CONTENT", str(PROJECT / "content")),
        SURVEY_SITE=os.environ.get("SURVEY_SITE", ""),
        SURVEY_RATELIMIT=os.environ.get("SURVEY_RATELIMIT", "30/minute"),
        SURVEY_LOGIN_RATELIMIT=os.environ.get("SURVEY_LOGIN_RATELIMIT", "10/minute"),
        SURVEY_BASE_URL=os.environ.get("SURVEY_BASE_URL", ""),
        SURVEY_CASE_VERIFY_DAYS=int(os.environ.get("SURVEY_CASE_VERIFY_DAYS", 1)),   # 国办发〔2019〕51号
        SURVEY_CASE_REPLY_DAYS=int(os.environ.get("SURVEY_CASE_REPLY_DAYS", 15)),
        SURVEY_MIN_SECONDS=float(os.environ.get("SURVEY_MIN_SECONDS", 3)),   # faster is a bot
        SURVEY_TODAY=os.environ.get("SURVEY_TODAY") or None,   # tests and demos pin the date
        MAX_CONTENT_LENGTH=64 * 1024,       # a survey answer never needs more
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="survey_session",
        PERMANENT_SESSION_LIFETIME=8 * 3600,   # a working day; staff log in again tomorrow
        WTF_CSRF_TIME_LIMIT=None,           # a long survey may take a while to fill in
    )
    app.config.update(config or {})
    if "SECRET_KEY" not in (config or {}):
        app.config["SECRET_KEY"] = _secret_key(instance)
    Path(app.config["SURVEY_DB"]).parent.mkdir(parents=True, exist_ok=True)
    if str(app.config["SURVEY_BASE_URL"]).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    for key in ("SURVEY_RATELIMIT", "SURVEY_LOGIN_RATELIMIT"):
        try:
            ratelimit.parse(app.config[key])
        except ratelimit.LimitError as e:
            raise RuntimeError(f"{key}: {e}") from None

    csrf.init_app(app)
    definitions.init_app(app)
    from . import api, casework, cli, errors, resident, site, staff
    app.register_blueprint(resident.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(casework.bp)
    app.register_blueprint(resident.bp, url_prefix="/zh-hant/survey", name="resident_hant")
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)                     # JSON API: no cookies, no form posts
    cli.init_app(app)
    errors.init_app(app)
    if app.config["SURVEY_SITE"]:
        app.register_blueprint(site.bp)
    return app
