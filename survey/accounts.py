"""Staff accounts and the audit log, for district administrators, in the browser: create an
account (district administrator, or staff of one community), reset its password, disable or
enable it, and read who did what when."""
from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.security import generate_password_hash
from werkzeug.wrappers import Response as BaseResponse

from . import definitions, store
from .answers import AnswerError
from .db import get_db
from .layout import no_store, staff_page
from .roles import ROLE_NAMES, account, admin_required, audit, login_required

bp = Blueprint("accounts", __name__, url_prefix="/survey/admin")
bp.after_request(no_store)
MIN_PASSWORD = 10
MAX_NAME = 64


def password_problem(password: str) -> str:
    return f"密码至少 {MIN_PASSWORD} 个字符" if len(password) < MIN_PASSWORD else ""


def name_problem(name: str) -> str:
    if not name or len(name) > MAX_NAME or any(c.isspace() for c in name):
        return f"用户名不能为空、不能含空格，最长 {MAX_NAME} 个字符"
    return ""


def _page(status: int = 200, errors: list | None = None, form: dict | None = None, message: str = "") -> Response:
    return staff_page("survey/admin/accounts.html", "账号管理", status, accounts=store.accounts(get_db()),
                      roles=ROLE_NAMES, communities=definitions.site().communities, errors=errors or [],
                      form=form or {}, message=message, me=account()["name"])


@bp.get("/accounts/")
@login_required
@admin_required
def accounts() -> Response:
    return _page(message={"created": "账号已创建", "reset": "密码已重设", "disabled": "账号已停用",
                          "enabled": "账号已启用"}.get(request.args.get("done", ""), ""))


@bp.post("/accounts/")
@login_required
@admin_required
def create() -> Response | BaseResponse:
    name, password = request.form.get("name", "").strip(), request.form.get("password", "")
    role, community = request.form.get("role", ""), request.form.get("community", "")
    errors = [AnswerError(k, m) for k, m in (("name", name_problem(name)), ("password", password_problem(password)))
              if m]
    if role not in ROLE_NAMES:
        errors.append(AnswerError("role", "请选择账号类型"))
    if role == store.COMMUNITY and community not in definitions.site().communities:
        errors.append(AnswerError("community", "社区工作人员账号要选择所属社区"))
    if not errors and store.account(get_db(), name) is not None:
        errors.append(AnswerError("name", f"用户名 {name} 已存在"))
    if errors:
        return _page(422, errors, {"name": name, "role": role, "community": community})
    store.set_staff(get_db(), name, generate_password_hash(password), definitions.now_iso(), role,
                    community if role == store.COMMUNITY else "")
    audit("创建账号", name, ROLE_NAMES[role] + (f"（{community}）" if role == store.COMMUNITY else ""))
    return redirect(url_for("accounts.accounts", done="created"), code=303)


@bp.post("/accounts/<name>/password")
@login_required
@admin_required
def reset(name: str) -> Response | BaseResponse:
    password = request.form.get("password", "")
    problem = password_problem(password) or ("" if store.account(get_db(), name) else "没有这个账号")
    if problem:
        return _page(422, [AnswerError(f"password-{name}", problem)])
    store.set_staff(get_db(), name, generate_password_hash(password), definitions.now_iso())
    audit("重设密码", name)
    return redirect(url_for("accounts.accounts", done="reset"), code=303)


@bp.post("/accounts/<name>/disabled")
@login_required
@admin_required
def disable(name: str) -> Response | BaseResponse:
    off = request.form.get("disabled") == "1"
    if name == account()["name"] and off:
        return _page(422, [AnswerError(f"disabled-{name}", "不能停用自己正在使用的账号")])
    if not store.set_disabled(get_db(), name, off):
        return _page(422, [AnswerError(f"disabled-{name}", "没有这个账号")])
    audit("停用账号" if off else "启用账号", name)
    return redirect(url_for("accounts.accounts", done="disabled" if off else "enabled"), code=303)


@bp.get("/audit/")
@login_required
@admin_required
def audit_log() -> Response:
    return staff_page("survey/admin/audit.html", "操作记录", entries=store.audit_log(get_db()))
