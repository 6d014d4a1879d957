"""The survey service: residents fill in surveys defined in content/surveys/*.yaml; the
builder's loader and schema read them (DESIGN §5). Run with `flask --app survey run`."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import clock

from . import db, definitions, errors, layout, ratelimit, security

PROJECT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


class SettingError(RuntimeError):
    """A setting that cannot be used (message in Chinese, naming the variable)."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Callable[[Path], Any]        # from the instance folder
    parse: Callable[[str], Any] = str
    help: str = ""


def _limit(value: str) -> str:
    ratelimit.parse(value)                # raises LimitError with the Chinese reason
    return value


def _at_least(low: int) -> Callable[[str], int]:
    """A whole-number setting no smaller than `low` (the message names the bound)."""
    def parse(value: str) -> int:
        n = int(value)
        if n < low:
            raise ValueError({0: "应为 0 或正整数", 1: "应为正整数"}.get(low, f"应不小于 {low}"))
        return n
    return parse


def _per_type(value: str) -> dict[str, int]:
    from .messages import parse_days  # imported late: the package is still loading
    return parse_days(value)


def _pin(value: str) -> str | None:
    return value if clock.parse_pin(value) else None


# Every setting the service reads from its environment (DESIGN §5), in one table.
SETTINGS = (
    Setting("SURVEY_DB", lambda i: str(i / "survey.db"), help="SQLite 数据库文件"),
    Setting("SURVEY_CONTENT", lambda i: str(PROJECT / "content"), help="内容目录（问卷定义和门户内容）"),
    Setting("SURVEY_SITE", lambda i: "", help="在 / 提供的已生成门户 site/（一体化运行时）"),
    Setting("SURVEY_RATELIMIT", lambda i: "30/minute", _limit, "每个来源的提交频率上限，off 关闭"),
    Setting("SURVEY_LOGIN_RATELIMIT", lambda i: "10/minute", _limit, "每个来源的登录尝试上限"),
    Setting("SURVEY_BASE_URL", lambda i: "", help="对外网址，用于链接和二维码；https 时 Cookie 加 Secure"),
    # 国办发〔2019〕51号: 差评 are verified and answered within set working days.
    Setting("SURVEY_CASE_VERIFY_DAYS", lambda i: 1, int, "差评核实期限（工作日）"),
    Setting("SURVEY_CASE_REPLY_DAYS", lambda i: 15, int, "差评整改答复期限（工作日）"),
    # 留言: 受理 and 答复 deadlines in working days, one number or per type (咨询=5,投诉=10).
    Setting("SURVEY_LIUYAN_ACCEPT_DAYS", lambda i: 1, _per_type, "留言受理期限（工作日，可按类型：咨询=1,投诉=1）"),
    Setting("SURVEY_LIUYAN_REPLY_DAYS", lambda i: 10, _per_type, "留言答复期限（工作日，可按类型：咨询=5,投诉=10）"),
    Setting("SURVEY_MIN_SECONDS", lambda i: 3.0, float, "少于这么多秒提交的问卷视为机器人"),
    Setting("SURVEY_TRUSTED_PROXIES", lambda i: 0, _at_least(0), "前面有几层反向代理（如 nginx）；直接对外时为 0"),
    Setting("SURVEY_SESSION_IDLE", lambda i: 30, _at_least(1), "工作人员多少分钟无操作后需要重新登录"),
    Setting("SURVEY_SESSION_MAX", lambda i: 8, _at_least(1), "工作人员登录后最长多少小时需要重新登录"),
    Setting("SURVEY_TODAY", lambda i: None, _pin, "固定“今天”的日期（演示和测试用）"),
)


def _settings(instance: Path) -> dict[str, Any]:
    out = {}
    for s in SETTINGS:
        raw = os.environ.get(s.name)
        if raw is None or raw == "":
            out[s.name] = s.default(instance)
            continue
        try:
            out[s.name] = s.parse(raw)
        except ValueError as e:
            raise SettingError(f"环境变量 {s.name}（{s.help}）的值“{raw}”不正确：{e}") from None
    return out


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
        MAX_CONTENT_LENGTH=64 * 1024,       # a survey answer never needs more
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="survey_session",
        WTF_CSRF_TIME_LIMIT=None,           # a long survey may take a while to fill in
        **_settings(instance),
    )
    app.config.update(config or {})
    # The cookie outlives no session (survey.sessions ends them sooner: idle, logout, reset).
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SURVEY_SESSION_MAX"] * 3600
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

    if app.config["SURVEY_TRUSTED_PROXIES"]:
        # Rate limits count the resident, not nginx: the address the trusted proxies saw, and
        # nothing a client wrote in X-Forwarded-For itself (werkzeug reads the list from the right).
        n = app.config["SURVEY_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)   # type: ignore[method-assign]
    csrf.init_app(app)
    db.init_app(app)
    definitions.init_app(app)
    layout.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    from . import accounts, api, casework, cli, liuyan, liuyan_api, message_publish, messagework, resident, site, staff
    app.register_blueprint(liuyan.bp)                 # before resident.bp's /survey/<sid>/
    app.register_blueprint(liuyan.bp, url_prefix="/zh-hant/survey/liuyan", name="liuyan_hant")
    app.register_blueprint(messagework.bp)
    app.cli.add_command(message_publish.publish_cmd)
    app.register_blueprint(liuyan_api.bp)             # before api.bp's /survey/api/<sid>
    csrf.exempt(liuyan_api.bp)
    from . import requests_api, requests_resident, requests_staff  # 依申请公开
    app.register_blueprint(requests_api.bp)
    csrf.exempt(requests_api.bp)            # read-only JSON
    app.register_blueprint(requests_resident.bp)
    app.register_blueprint(requests_resident.bp, url_prefix="/zh-hant/survey/ysqgk", name="ysqgk_hant")
    app.register_blueprint(requests_staff.bp)
    app.register_blueprint(resident.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(casework.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(resident.bp, url_prefix="/zh-hant/survey", name="resident_hant")
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)                     # JSON API: no cookies, no form posts
    cli.init_app(app)
    if app.config["SURVEY_SITE"]:
        app.register_blueprint(site.bp)
    return app
