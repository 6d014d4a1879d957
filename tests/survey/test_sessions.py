"""Staff sessions end when they should (issue 13 §2): a copied cookie stops working after a
logout, a password reset, a disabled account or a role change, and after the idle and absolute
timeouts. And rate limits see the resident behind the configured proxies, not the proxy
(§1). Real HTTP through Flask's test client on a real SQLite file."""
from __future__ import annotations

import time

import pytest

from survey import SettingError, sessions, store
from survey.db import get_db

PASSWORD = "correct horse battery"
OTHER = "another good password"


def create(app, name="zhangsan", password=PASSWORD, community=""):
    args = ["create-admin", name, "--password-stdin"] if not community else \
        ["create-admin", name, "--community", community, "--password-stdin"]
    assert app.test_cli_runner().invoke(args=args, input=password + "\n").exit_code == 0


def logged_in(app, name="zhangsan", password=PASSWORD):
    client = app.test_client()
    r = client.post("/survey/admin/login", data={"name": name, "password": password})
    assert r.status_code == 303, r.get_data(as_text=True)
    return client


def copy_of(app, client):
    """A second client holding a copy of the first one's cookie (a stolen or shared cookie)."""
    cookie = client.get_cookie("survey_session")
    other = app.test_client()
    other.set_cookie("survey_session", cookie.value)
    return other


def export_works(client) -> bool:
    return client.get("/survey/admin/all-types/export.json").status_code == 200


def test_logout_ends_every_copy_of_the_session(app):
    create(app)
    client = logged_in(app)
    thief = copy_of(app, client)
    elsewhere = logged_in(app)                  # the same account on another device
    assert export_works(thief) and export_works(elsewhere)
    assert client.post("/survey/admin/logout").status_code == 303
    r = thief.get("/survey/admin/all-types/export.json")
    assert r.status_code == 302 and "/survey/admin/login" in r.headers["Location"]
    assert not export_works(elsewhere)
    assert "登录已超时或已失效" in thief.get(r.headers["Location"]).get_data(as_text=True)
    assert export_works(logged_in(app))         # logging in again works


def test_a_password_reset_ends_the_accounts_sessions(app):
    create(app, "admin")
    create(app, "wangwu")
    victim = logged_in(app, "wangwu")
    thief = copy_of(app, victim)
    admin = logged_in(app, "admin")
    r = admin.post("/survey/admin/accounts/wangwu/password", data={"password": OTHER})
    assert r.status_code == 303
    assert not export_works(thief) and not export_works(victim)
    assert export_works(admin)                  # other accounts are untouched
    assert export_works(logged_in(app, "wangwu", OTHER))


def test_a_password_reset_from_the_command_line_ends_sessions_too(app):
    create(app)
    client = logged_in(app)
    create(app, password=OTHER)                 # create-admin on an existing name resets it
    assert not export_works(client)


def test_disabling_an_account_ends_its_sessions_and_enabling_does_not_revive_them(app):
    create(app, "admin")
    create(app, "wangwu")
    victim = logged_in(app, "wangwu")
    admin = logged_in(app, "admin")
    assert admin.post("/survey/admin/accounts/wangwu/disabled", data={"disabled": "1"}).status_code == 303
    assert not export_works(victim)
    assert admin.post("/survey/admin/accounts/wangwu/disabled", data={"disabled": "0"}).status_code == 303
    assert not export_works(victim)


def test_a_role_or_community_change_ends_the_accounts_sessions(app):
    create(app, "wangwu", community="changjiang")
    client = logged_in(app, "wangwu")
    assert client.get("/survey/admin/").status_code == 200
    with app.app_context():                     # however the account is changed, even in SQL
        get_db().execute("UPDATE staff SET community = 'daxing' WHERE name = 'wangwu'")
        get_db().conn.commit()
    assert client.get("/survey/admin/").status_code == 302


def test_an_idle_session_ends_after_the_configured_minutes(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_SESSION_IDLE=30)
    create(app)
    client = logged_in(app)
    with client.session_transaction() as s:
        s[sessions.SEEN] = int(time.time()) - 29 * 60
    assert export_works(client)                 # still within 30 minutes, and the clock restarts
    with client.session_transaction() as s:
        assert s[sessions.SEEN] >= int(time.time()) - 5
        s[sessions.SEEN] = int(time.time()) - 31 * 60
    r = client.get("/survey/admin/")
    assert r.status_code == 302 and "why=1" in r.headers["Location"]
    with client.session_transaction() as s:
        assert sessions.STAFF not in s


def test_a_busy_session_still_ends_at_the_absolute_lifetime(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_SESSION_MAX=8)
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600
    create(app)
    client = logged_in(app)
    with client.session_transaction() as s:
        s[sessions.LOGIN] = int(time.time()) - 8 * 3600 - 1
    assert not export_works(client)


def test_session_settings_must_be_positive_numbers(make_app, monkeypatch):
    monkeypatch.setenv("SURVEY_SESSION_IDLE", "0")
    with pytest.raises(SettingError, match="SURVEY_SESSION_IDLE.*正整数"):
        make_app()
    monkeypatch.setenv("SURVEY_SESSION_IDLE", "30")
    monkeypatch.setenv("SURVEY_TRUSTED_PROXIES", "-1")
    with pytest.raises(SettingError, match="SURVEY_TRUSTED_PROXIES"):
        make_app()


# --- §1: limits that see the resident ---------------------------------------------------------

ANSWERS = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "基本满意"}}


def post_from(client, resident: str, proxy: str = "127.0.0.1", forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded if forwarded is not None else resident}
    return client.post("/survey/api/all-types/responses", json={"answers": ANSWERS}, headers=headers,
                       environ_base={"REMOTE_ADDR": proxy})


def test_behind_one_trusted_proxy_each_resident_has_their_own_limit(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="1/minute", SURVEY_TRUSTED_PROXIES=1)
    client = app.test_client()
    for n in range(40):                         # 40 residents behind one nginx, once each
        assert post_from(client, f"203.0.113.{n}").status_code == 201
    assert post_from(client, "203.0.113.7").status_code == 429


def test_a_forged_forwarded_header_does_not_escape_the_limit(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="1/minute", SURVEY_TRUSTED_PROXIES=1)
    client = app.test_client()
    # nginx appends the address it saw; what the client wrote before it is not trusted.
    assert post_from(client, "", forwarded="1.1.1.1, 198.51.100.9").status_code == 201
    assert post_from(client, "", forwarded="2.2.2.2, 198.51.100.9").status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="1/minute")
    client = app.test_client()
    assert post_from(client, "203.0.113.1").status_code == 201
    assert post_from(client, "203.0.113.2").status_code == 429     # one client: the address connecting


def test_login_lockout_behind_a_proxy_is_per_resident(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_LOGIN_RATELIMIT="3/minute", SURVEY_TRUSTED_PROXIES=1)
    create(app)
    client = app.test_client()
    for _ in range(11):
        client.post("/survey/admin/login", data={"name": "zhangsan", "password": "wrong password"},
                    headers={"X-Forwarded-For": "198.51.100.66"})
    r = client.post("/survey/admin/login", data={"name": "zhangsan", "password": PASSWORD},
                    headers={"X-Forwarded-For": "198.51.100.20"})
    assert r.status_code == 303


def test_the_schema_ends_sessions_in_a_trigger(app):
    db = store.connect(app.config["SURVEY_DB"])
    store.set_staff(db, "a", "hash1", "2026-11-24")
    before = store.account(db, "a")["session_version"]
    store.set_staff(db, "a", "hash2", "2026-11-24")
    assert store.account(db, "a")["session_version"] == before + 1
    store.log(db, "2026-11-24", "a", "x")       # other writes do not end sessions
    assert store.account(db, "a")["session_version"] == before + 1


def test_the_rate_limiters_clean_up_uses_an_index_on_time(app):
    db = store.connect(app.config["SURVEY_DB"])
    plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN DELETE FROM hits WHERE at < ?", [0.0]))
    assert "USING COVERING INDEX hits_at" in plan or "USING INDEX hits_at" in plan, plan
