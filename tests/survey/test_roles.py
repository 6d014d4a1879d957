"""Cases reach the community that must answer them (国办发〔2019〕51号): community staff see only
their own community's cases and results on every staff URL; administrators manage accounts in
the browser; every staff action is in the audit log."""
from __future__ import annotations

import re

import pytest
from sampletools import unlabelled
from staff_accounts import PASSWORD, login

from survey import store

SID = "fuwu-haocha"
FOLLOWUP = {"followup_method": "电话回访", "followup_result": "居民认可"}


def rate(client, community: str, window: str = "1"):
    r = client.post(f"/survey/api/{SID}/responses", json={
        "answers": {"rating": "不满意", "reasons": ["wait"]},
        "context": {"service": "dibao", "community": community, "window": window}})
    assert r.status_code == 201, r.json
    return r.json["receipt"]




@pytest.fixture
def two_communities(app, client):
    return {"huanghe": rate(client, "huanghe"), "changjiang": rate(client, "changjiang")}


def staff_urls(app, receipt: str) -> list[tuple[str, str]]:
    """Every staff URL of the service, with its parameters filled in: (method, url)."""
    values = {"sid": SID, "fmt": "csv", "receipt": receipt, "name": "li"}
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/survey/admin") or rule.endpoint.endswith("login"):
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], rule.rule)
        out += [(m, url) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return out


def test_community_staff_never_see_another_communitys_case_or_answers_on_any_staff_url(app, two_communities):
    login(app, "li")                                           # an administrator exists too
    wang = login(app, "wang", "huanghe")
    other = two_communities["changjiang"]
    db = store.connect(app.config["SURVEY_DB"])
    before = store.case(db, other)
    urls = staff_urls(app, other)
    assert len(urls) >= 15
    for method, url in urls:
        if url.endswith("/logout"):
            continue
        r = wang.open(url, method=method, data={"verdict": "属实", "reply": "x", "rectification": "x",
                                                "appeal_reason": "x", "decision": "upheld", "appeal_note": "x",
                                                "password": "long enough pass", "disabled": "1", **FOLLOWUP})
        body = r.get_data(as_text=True) if r.mimetype.startswith("text/") or "json" in r.mimetype else ""
        body = body.replace(url, "")                           # a page names its own address
        assert other not in body and "长江社区 1号窗口" not in body, (method, url)
        if method == "POST":
            assert r.status_code in (403, 404), (method, url, r.status_code)
    assert store.case(db, other) == before                     # nothing was changed either
    queue = wang.get("/survey/admin/cases/").get_data(as_text=True)
    assert two_communities["huanghe"] in queue
    assert wang.get(f"/survey/admin/cases/{other}").status_code == 404
    exported = wang.get(f"/survey/admin/{SID}/export.json").get_json()
    assert [r["context"]["community"] for r in exported] == ["huanghe"]


def test_the_administrator_sees_every_community_and_each_communitys_counts(app, two_communities):
    li = login(app, "li")
    queue = li.get("/survey/admin/cases/").get_data(as_text=True)
    assert all(receipt in queue for receipt in two_communities.values())
    dashboard = li.get("/survey/admin/").get_data(as_text=True)
    assert "各社区差评整改情况" in dashboard and "黄河社区" in dashboard and "长江社区" in dashboard
    only = li.get("/survey/admin/cases/?community=changjiang").get_data(as_text=True)
    assert two_communities["changjiang"] in only and two_communities["huanghe"] not in only


def test_the_queue_shows_working_days_left_and_overdue_first(make_app):
    early = make_app(WTF_CSRF_ENABLED=False, SURVEY_TODAY="2026-11-02")
    old = rate(early.test_client(), "huanghe")                       # verify due 2026-11-03, never done
    app = make_app(WTF_CSRF_ENABLED=False)
    new = rate(app.test_client(), "huanghe")                         # rated 2026-11-24
    li = login(app, "li")
    html = unlabelled(li.get("/survey/admin/cases/").get_data(as_text=True))
    assert html.index(old) < html.index(new)
    assert "超 15 个工作日" in html and "<td>1 个工作日" in html     # the new one: verify by tomorrow


def test_administrators_manage_accounts_in_the_browser(app):
    li = login(app, "li")
    r = li.post("/survey/admin/accounts/", data={"name": "zhao", "password": "short", "role": "community"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "密码至少 10 个字符" in html and "社区工作人员账号要选择所属社区" in html
    assert li.post("/survey/admin/accounts/", data={"name": "zhao", "password": PASSWORD, "role": "community",
                                                    "community": "jinzhu"}).status_code == 303
    zhao = app.test_client()
    assert zhao.post("/survey/admin/login", data={"name": "zhao", "password": PASSWORD}).status_code == 303
    assert "金竹社区工作人员" in zhao.get("/survey/admin/").get_data(as_text=True)
    assert zhao.get("/survey/admin/accounts/").status_code == 403
    assert li.post("/survey/admin/accounts/zhao/password", data={"password": "a new password!"}).status_code == 303
    assert li.post("/survey/admin/accounts/zhao/disabled", data={"disabled": "1"}).status_code == 303
    assert zhao.get("/survey/admin/").status_code == 302                  # a disabled account is logged out
    assert app.test_client().post("/survey/admin/login",
                                  data={"name": "zhao", "password": "a new password!"}).status_code == 200
    assert li.post("/survey/admin/accounts/li/disabled", data={"disabled": "1"}).status_code == 422


def test_every_staff_action_is_in_the_audit_log(app, two_communities):
    li = login(app, "li")
    wang = login(app, "wang", "huanghe")
    mine = two_communities["huanghe"]
    wang.post(f"/survey/admin/cases/{mine}/verify", data={"verdict": "属实"})
    wang.post(f"/survey/admin/cases/{mine}/close", data={"rectification": "整改", "reply": "答复", **FOLLOWUP})
    wang.get(f"/survey/admin/{SID}/export.csv")
    app.test_client().post("/survey/admin/login", data={"name": "wang", "password": "wrong password"})
    li.post("/survey/admin/accounts/", data={"name": "zhao", "password": PASSWORD, "role": "admin"})
    log = unlabelled(li.get("/survey/admin/audit/").get_data(as_text=True))
    for who, what in (("wang", "登录"), ("wang", "核实为属实"), ("wang", "办结"), ("wang", "导出答卷"),
                      ("wang", "登录失败"), ("li", "创建账号"), ("命令行", "创建账号")):
        assert re.search(rf"<th scope=\"row\">{who}</th><td>{what}</td>", log), (who, what)
    assert wang.get("/survey/admin/audit/").status_code == 403
