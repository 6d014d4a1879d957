"""Staff side: accounts from the command line, login / logout, the dashboard, results with
charts and breakdowns, exports, rate limits; all through real HTTP on a real SQLite file."""
from __future__ import annotations

import csv
import io
import re
import sqlite3

import jsonschema
import openpyxl
import pytest
from formtools import hidden_fields
from sampletools import unlabelled

from survey import store
from survey.openapi import SPEC

PASSWORD = "correct horse battery"
XSS = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example","点我")'


def create_admin(app, name="zhangsan", password=PASSWORD):
    return app.test_cli_runner().invoke(args=["create-admin", name, "--password-stdin"], input=password + "\n")


def login(client, name="zhangsan", password=PASSWORD, next_url=""):
    return client.post("/survey/admin/login", data={"name": name, "password": password, "next": next_url})


@pytest.fixture
def staff(app, client):
    assert create_admin(app).exit_code == 0
    assert login(client).status_code == 303
    return client


def submit(client, answers, sid="all-types", **extra):
    r = client.post(f"/survey/api/{sid}/responses", json={"answers": answers, **extra})
    assert r.status_code == 201, r.json
    return r.json["receipt"]


BASE = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "基本满意"}}


def test_create_admin_stores_only_a_salted_hash(app):
    result = create_admin(app)
    assert result.exit_code == 0 and "已创建工作人员账号：zhangsan" in result.output
    stored = sqlite3.connect(app.config["SURVEY_DB"]).execute("SELECT password FROM staff").fetchone()[0]
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
    again = create_admin(app, password="another long password")
    assert again.exit_code == 0 and "已更新" in again.output


def test_create_admin_refuses_a_short_password_in_chinese(app):
    result = create_admin(app, password="short")
    assert result.exit_code == 2 and "密码至少 10 个字符" in result.output
    assert sqlite3.connect(app.config["SURVEY_DB"]).execute("SELECT count(*) FROM staff").fetchone()[0] == 0


def test_admin_pages_require_login_and_redirect_back(app, client):
    create_admin(app)
    r = client.get("/survey/admin/all-types/")
    assert r.status_code == 302 and "/survey/admin/login" in r.headers["Location"]
    assert client.get("/survey/admin/all-types/export.csv").status_code == 302
    assert client.post("/survey/admin/all-types/publish").status_code == 302
    r = login(client, next_url="/survey/admin/all-types/")
    assert r.status_code == 303 and r.headers["Location"].endswith("/survey/admin/all-types/")


def test_wrong_password_or_unknown_name_gets_one_chinese_message(app, client):
    create_admin(app)
    for name, password in (("zhangsan", "wrong password!"), ("nobody", PASSWORD)):
        r = login(client, name, password)
        assert r.status_code == 200 and "用户名或密码不正确" in r.get_data(as_text=True)
    assert client.get("/survey/admin/").status_code == 302


def test_login_never_redirects_to_another_site(app, client):
    create_admin(app)
    for target in ("https://evil.example/", "//evil.example/x", "/tzgg/"):
        r = login(client, next_url=target)
        assert r.headers["Location"].endswith("/survey/admin/"), target
        client.post("/survey/admin/logout")


def test_logout_ends_the_session(staff):
    assert staff.get("/survey/admin/").status_code == 200
    assert staff.post("/survey/admin/logout").status_code == 303
    assert staff.get("/survey/admin/").status_code == 302


def test_session_cookie_is_httponly_samesite_and_secure_behind_https(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_BASE_URL="https://sq.example.gov.cn")
    create_admin(app)
    r = login(app.test_client())
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_login_form_needs_its_csrf_token(make_app):
    app = make_app()                               # CSRF on, as in production
    create_admin(app)
    client = app.test_client()
    assert login(client).status_code == 400
    page = client.get("/survey/admin/login").get_data(as_text=True)
    token = hidden_fields(page)["csrf_token"]
    r = client.post("/survey/admin/login", data={"name": "zhangsan", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303


def test_staff_pages_are_never_cached_or_indexed(staff):
    r = staff.get("/survey/admin/")
    assert r.headers["Cache-Control"] == "no-store"
    assert "noindex" in r.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in r.get_data(as_text=True)


def test_dashboard_lists_surveys_with_counts_and_states(staff):
    submit(staff, BASE)
    submit(staff, BASE)
    html = unlabelled(staff.get("/survey/admin/").get_data(as_text=True))
    row = re.search(r'<tr>\s*<th scope="row"><a href="/survey/admin/all-types/">.*?</tr>', html, re.S).group(0)
    assert "<td>2</td>" in row and "进行中" in row
    assert "已结束" in html and "未开始" in html and "凭邀请码" in html


def test_results_show_counts_rates_chart_with_table_and_breakdowns(staff, app):
    for level in ("非常满意", "满意", "不满意"):
        submit(staff, {**BASE, "scale": level, **({"why": "慢"} if level == "不满意" else {})},
               context={"service": "canji-butie", "window": "3", "community": "huanghe"})
    html = unlabelled(staff.get("/survey/admin/all-types/").get_data(as_text=True))
    assert "满意率 <strong>66.67%</strong>（2/3" in html
    assert '<svg class="bars"' in html and 'role="img"' in html
    assert "<th scope=\"row\">满意</th><td>1</td><td>33.33%</td>" in html
    for caption in ("按社区", "按服务事项", "按窗口", "按月", "按周"):
        assert f"<caption>{caption}</caption>" in html
    assert "黄河社区" in html and "残疾人两项补贴申请" in html and "3号窗口" in html


def test_xss_in_text_answers_is_escaped_on_admin_pages(staff):
    submit(staff, {**BASE, "text": XSS[:10], "single": "other", "single.other": XSS})
    html = unlabelled(staff.get("/survey/admin/all-types/").get_data(as_text=True))
    assert XSS not in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exports_download_with_a_file_name(staff, fmt):
    submit(staff, {**BASE, "text": "好"})
    r = staff.get(f"/survey/admin/all-types/export.{fmt}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'attachment; filename="all-types.{fmt}"'


def test_formula_payloads_are_neutralised_in_downloaded_csv_and_xlsx(staff):
    submit(staff, {**BASE, "single": "other", "single.other": FORMULA})
    raw = staff.get("/survey/admin/all-types/export.csv").data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert "'" + FORMULA in rows[1]
    wb = openpyxl.load_workbook(io.BytesIO(staff.get("/survey/admin/all-types/export.xlsx").data))
    values = [c.value for c in wb.active[2]]
    assert "'" + FORMULA in values and FORMULA not in values


def test_unknown_survey_or_format_is_a_404_page(staff):
    assert staff.get("/survey/admin/nope/").status_code == 404
    assert staff.get("/survey/admin/all-types/export.pdf").status_code == 404


def test_login_attempts_are_rate_limited_per_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_LOGIN_RATELIMIT="3/minute")
    create_admin(app)
    client = app.test_client()
    for _ in range(3):
        assert login(client, password="wrong password!").status_code == 200
    r = login(client)                               # even the right password waits
    assert r.status_code == 429 and int(r.headers["Retry-After"]) == 60
    assert "登录尝试过于频繁" in r.get_data(as_text=True)


def test_trying_receipts_on_the_tracking_page_is_rate_limited_like_submitting(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="3/minute")
    client = app.test_client()
    for n in range(3):
        assert client.get(f"/survey/track/ABCDEFGH{n:02d}").status_code == 404
    r = client.get("/survey/track/ABCDEFGH99")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) == 60
    assert "查询过于频繁，请 60 秒后再试" in r.get_data(as_text=True)


def test_submissions_are_rate_limited_and_no_raw_address_is_stored(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="2/minute")
    client = app.test_client()
    for _ in range(2):
        submit(client, BASE)
    r = client.post("/survey/api/all-types/responses", json={"answers": BASE})
    assert r.status_code == 429 and "Retry-After" in r.headers and "频繁" in r.json["errors"][0]["message"]
    spec = SPEC["paths"]["/survey/api/{sid}/responses"]["post"]["responses"]["429"]
    jsonschema.validate(r.json, spec["content"]["application/json"]["schema"])
    db = sqlite3.connect(app.config["SURVEY_DB"])
    clients = {row[0] for row in db.execute("SELECT client FROM hits")}
    assert clients and all(re.fullmatch(r"[0-9a-f]{64}", c) for c in clients)
    dump = "\n".join(db.iterdump())
    assert "127.0.0.1" not in dump
    assert db.execute("SELECT count(*) FROM responses").fetchone()[0] == 2


def test_rate_limited_form_keeps_the_answers(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="1/hour")
    client = app.test_client()
    submit(client, BASE)
    page = client.get("/survey/private/").get_data(as_text=True)
    r = client.post("/survey/private/", data={**hidden_fields(page), "q": "满意", "_nav": "submit"})
    html = r.get_data(as_text=True)
    assert r.status_code == 429 and r.headers["Retry-After"] == "3600"
    assert "提交过于频繁" in html and 'value="满意" checked' in html


def test_old_rate_limit_hashes_are_discarded_after_a_day(app):
    db = store.connect(app.config["SURVEY_DB"])
    store.hit(db, "submit", "10.0.0.1", "2026-11-23", 60, now=1_000.0)
    store.hit(db, "submit", "10.0.0.2", "2026-11-24", 60, now=1_000.0 + 86_400 + 1)
    assert db.execute("SELECT count(*) FROM hits").fetchone()[0] == 1
    assert [r[0] for r in db.execute("SELECT day FROM salts")] == ["2026-11-24"]


def test_a_bad_rate_limit_setting_stops_start_up_with_a_clear_message(make_app):
    with pytest.raises(RuntimeError, match="SURVEY_RATELIMIT.*30/minute"):
        make_app(SURVEY_RATELIMIT="thirty")
