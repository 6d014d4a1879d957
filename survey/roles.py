"""Who a staff member is and what they may see (国办发〔2019〕51号: each 差评 goes to the unit that
must answer it). District administrators see every community, manage accounts and publish;
community staff see their own community's cases and results only. Every staff action is
written to the audit log.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from flask import g, redirect, request, url_for
from werkzeug.exceptions import Forbidden

from portal.model import Site

from . import definitions, sessions, store
from .db import get_db
from .results import community_of

ROLE_NAMES = {store.ADMIN: "区级管理员", store.COMMUNITY: "社区工作人员"}
CLI = "命令行"


def account() -> dict[str, Any]:
    """The logged-in account (set by login_required)."""
    return g.account


def is_admin() -> bool:
    return account()["role"] == store.ADMIN


def scope() -> str | None:
    """The community whose data this account may see; None: every community."""
    return None if is_admin() else account()["community"]


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        found, refused = sessions.current()
        if found is None:
            target = url_for("staff.login", next=request.full_path.rstrip("?"))
            return redirect(target + ("&why=1" if refused else ""))
        g.account = found
        return view(*args, **kwargs)
    return wrapped


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only for district administrators (inside login_required)."""
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            raise Forbidden("这项操作只有区级管理员可以进行")
        return view(*args, **kwargs)
    return wrapped


def visible(responses: Iterable[dict[str, Any]], site: Site) -> list[dict[str, Any]]:
    """The responses this account may see: all, or those about its own community."""
    own = scope()
    return list(responses) if own is None else [r for r in responses if community_of(r, site.communities) == own]


def may_see_case(case: dict[str, Any]) -> bool:
    own = scope()
    return own is None or case["community"] == own


def audit(action: str, target: str = "", detail: str = "", staff: str | None = None) -> None:
    """One line of the audit log, by the logged-in account (or `staff`)."""
    store.log(get_db(), definitions.now_iso(), staff or account()["name"], action, target, detail)
