"""留言: a resident writes in, gets a receipt, and tracks it; staff accept, transfer, reply and
close within working-day deadlines; community staff see only their own community's messages;
Back-then-提交 stores nothing new; the contact phone needs consent and is deleted at close."""
from __future__ import annotations

import sqlite3

from formtools import hidden_fields
from sampletools import unlabelled
from staff_accounts import login

from survey.store import messages as S

PHONE = "13912345678"
MESSAGE = {"kind": "咨询", "community": "huanghe", "subject": "小区路灯不亮", "body": "3 号楼门前路灯坏了一周。",
           "public": "1"}


def write(client, prefix: str = "/survey", **over):
    """Fill in the form as a browser does: the hidden fields of the page, then the fields."""
    fields = hidden_fields(client.get(f"{prefix}/liuyan/?new=1").get_data(as_text=True))
    return client.post(f"{prefix}/liuyan/", data={**fields, **MESSAGE, **over})


def receipt_of(r) -> str:
    assert r.status_code == 303, r.get_data(as_text=True)
    return r.location.rsplit("/", 1)[1]




def db(app):
    return sqlite3.connect(app.config["SURVEY_DB"])


def stored(app, receipt: str):
    from survey.store import connect
    return S.message(connect(app.config["SURVEY_DB"]), receipt)


def test_a_message_gets_a_receipt_with_its_deadlines_and_the_tracking_page_shows_its_state(client, app):
    receipt = receipt_of(write(client))
    thanks = client.get(f"/survey/liuyan/thanks/{receipt}").get_data(as_text=True)
    # received Tuesday 2026-11-24: accept by the next working day, reply within 10 working days
    assert receipt in thanks and "2026年11月25日" in thanks and "2026年12月8日" in thanks
    assert f"/survey/track/{receipt}" in thanks
    m = stored(app, receipt)
    assert (m["accept_due"], m["reply_due"], m["public"], m["contact"]) == ("2026-11-25", "2026-12-08", True, None)
    track = unlabelled(client.get(f"/survey/track/{receipt.lower()}").get_data(as_text=True))
    assert "待受理" in track and "小区路灯不亮" in track and "黄河社区" in track
    assert "路灯坏了一周" not in track                   # the body stays with staff


def test_missing_fields_are_named_and_nothing_is_stored(client, app):
    r = write(client, kind="", community="", subject="", body="x" * 2001)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    for text in ("请选择留言类型", "请选择您所在的社区", "请填写留言标题", "留言内容最多 2000 字"):
        assert text in html
    assert 'href="#q-kind"' in html and "x" * 2001 in html          # the resident's text is kept
    assert db(app).execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_a_phone_needs_consent_and_only_staff_see_it(client, app):
    r = write(client, contact=PHONE)
    assert r.status_code == 422 and "同意工作人员用这个电话联系我" in r.get_data(as_text=True)
    receipt = receipt_of(write(client, contact=PHONE, consent="1"))
    assert stored(app, receipt)["contact"] == PHONE
    assert PHONE not in client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    assert PHONE in login(app, "li").get(f"/survey/admin/liuyan/{receipt}").get_data(as_text=True)


def test_back_then_submit_again_stores_nothing_new(client, app):
    fields = hidden_fields(client.get("/survey/liuyan/?new=1").get_data(as_text=True))
    first = receipt_of(client.post("/survey/liuyan/", data={**fields, **MESSAGE}))
    again = client.post("/survey/liuyan/", data={**fields, **MESSAGE, "subject": "改了标题"})
    assert receipt_of(again) == first
    assert "刚刚已经提交过" in client.get(again.location).get_data(as_text=True)
    # the browser fetches the form again instead of its cache: it carries the same ticket
    refetched = hidden_fields(client.get("/survey/liuyan/").get_data(as_text=True))
    assert refetched["_ticket"] == fields["_ticket"]
    assert receipt_of(client.post("/survey/liuyan/", data={**refetched, **MESSAGE})) == first
    assert db(app).execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    assert receipt_of(write(client)) != first                        # ?new=1: a new message


def test_the_form_needs_the_csrf_token_and_refuses_a_filled_honeypot(make_app, app, client):
    strict = make_app().test_client()
    assert strict.post("/survey/liuyan/", data=MESSAGE).status_code == 400
    assert write(client, website="http://spam.example").status_code == 400
    assert db(app).execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_submissions_are_rate_limited(make_app):
    client = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="1/minute").test_client()
    receipt_of(write(client))
    r = write(client)
    assert r.status_code == 429 and "提交过于频繁" in r.get_data(as_text=True) and r.headers["Retry-After"]


def test_staff_accept_transfer_reply_and_close_and_the_resident_reads_the_reply(client, app):
    receipt = receipt_of(write(client, contact=PHONE, consent="1"))
    huanghe, changjiang, li = login(app, "wang", "huanghe"), login(app, "zhou", "changjiang"), login(app, "li")
    assert receipt in huanghe.get("/survey/admin/liuyan/").get_data(as_text=True)
    assert receipt not in changjiang.get("/survey/admin/liuyan/").get_data(as_text=True)
    assert changjiang.get(f"/survey/admin/liuyan/{receipt}").status_code == 404
    assert changjiang.post(f"/survey/admin/liuyan/{receipt}/accept").status_code == 404
    assert huanghe.post(f"/survey/admin/liuyan/{receipt}/reply", data={"reply": "x"}).status_code == 422  # not accepted
    assert huanghe.post(f"/survey/admin/liuyan/{receipt}/accept").status_code == 303
    assert "办理中" in client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    # 转办: 长江社区 handles it from now; 黄河社区 no longer sees it
    assert huanghe.post(f"/survey/admin/liuyan/{receipt}/transfer",
                        data={"to": "changjiang", "note": "路灯属长江社区管理"}).status_code == 303
    assert huanghe.get(f"/survey/admin/liuyan/{receipt}").status_code == 404
    page = changjiang.get(f"/survey/admin/liuyan/{receipt}").get_data(as_text=True)
    assert "由黄河社区转来" in page and PHONE in page
    assert changjiang.post(f"/survey/admin/liuyan/{receipt}/close").status_code == 422       # no reply yet
    reply = "已联系物业，11月26日更换灯泡。"
    assert changjiang.post(f"/survey/admin/liuyan/{receipt}/reply", data={"reply": reply}).status_code == 303
    track = client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    assert "已答复" in track and reply in track and "长江社区" in track
    assert changjiang.post(f"/survey/admin/liuyan/{receipt}/close").status_code == 303
    m = stored(app, receipt)
    assert m["closed"] and m["contact"] is None and m["replied"][:10] == "2026-11-24"
    assert "已办结" in client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    # every state change is logged, with its author, in the message's log and the audit log
    log = unlabelled(li.get(f"/survey/admin/liuyan/{receipt}").get_data(as_text=True))
    for line in ("居民：收到留言", "wang：受理", "wang：转办", "zhou：答复", "zhou：办结"):
        assert line in log
    audit = li.get("/survey/admin/audit/").get_data(as_text=True)
    assert "留言受理" in audit and "留言转办至changjiang" in audit and "留言办结" in audit


def test_the_district_sees_every_message_and_may_take_one_over(client, app):
    a = receipt_of(write(client))
    b = receipt_of(write(client, community="changjiang"))
    li = login(app, "li")
    queue = li.get("/survey/admin/liuyan/").get_data(as_text=True)
    assert a in queue and b in queue
    only = li.get("/survey/admin/liuyan/?community=changjiang").get_data(as_text=True)
    assert b in only and a not in only
    assert li.post(f"/survey/admin/liuyan/{a}/transfer", data={"to": "district"}).status_code == 303
    assert stored(app, a)["community"] == "district"
    assert a not in login(app, "wang", "huanghe").get("/survey/admin/liuyan/").get_data(as_text=True)
    r = li.post(f"/survey/admin/liuyan/{a}/transfer", data={"to": "nowhere"})
    assert r.status_code == 422 and "请选择转办给哪个社区或区级" in r.get_data(as_text=True)


def test_deadlines_skip_the_national_day_holiday(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_TODAY="2026-09-30")
    receipt = receipt_of(write(app.test_client()))
    m = stored(app, receipt)
    # 2026-10-01..07 国庆; the 调休 Saturday 10-10 is a working day: from 09-30, the 1st
    # working day is 10-08 and the 10th is 10-20 (10-08, 09, 10, 12–16, 19, 20)
    assert (m["accept_due"], m["reply_due"]) == ("2026-10-08", "2026-10-20")


def test_deadlines_per_type_come_from_the_settings(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_LIUYAN_REPLY_DAYS={"咨询": 5, "投诉": 10, "建议": 10, "求助": 3})
    client = app.test_client()
    assert stored(app, receipt_of(write(client)))["reply_due"] == "2026-12-01"
    assert stored(app, receipt_of(write(client, kind="求助")))["reply_due"] == "2026-11-27"


def test_the_queue_puts_overdue_messages_first(make_app):
    early = make_app(WTF_CSRF_ENABLED=False, SURVEY_TODAY="2026-11-02")
    old = receipt_of(write(early.test_client()))                  # accept due 2026-11-03, never done
    app = make_app(WTF_CSRF_ENABLED=False)
    new = receipt_of(write(app.test_client()))
    html = unlabelled(login(app, "li").get("/survey/admin/liuyan/").get_data(as_text=True))
    assert html.index(old) < html.index(new)
    assert "已逾期" in html and "有 1 条留言已逾期" in html


def test_traditional_form_and_tracking_stay_traditional(client):
    form = client.get("/zh-hant/survey/liuyan/").get_data(as_text=True)
    assert "留言類型" in form and "类型" not in form
    r = write(client, prefix="/zh-hant/survey")
    assert r.location.startswith("/zh-hant/survey/liuyan/thanks/")
    html = client.get(f"/zh-hant/survey/track/{receipt_of(r)}").get_data(as_text=True)
    assert "辦理" in html and "办理" not in html


def test_the_json_api_writes_and_tracks_a_message_in_the_documented_shapes(client, app):
    import jsonschema

    from survey.openapi import SPEC

    def shape(path: str, method: str, status: int):
        return SPEC["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]

    body = {"kind": "建议", "community": "huanghe", "subject": "增加健身器材", "body": "广场健身器材太少。",
            "public": True, "contact": {"phone": PHONE, "consent": True}}
    jsonschema.validate(body, SPEC["paths"]["/survey/api/liuyan"]["post"]["requestBody"]["content"]
                        ["application/json"]["schema"])
    r = client.post("/survey/api/liuyan", json=body, headers={"Idempotency-Key": "k1"})
    assert r.status_code == 201
    jsonschema.validate(r.json, shape("/survey/api/liuyan", "post", 201))
    again = client.post("/survey/api/liuyan", json=body, headers={"Idempotency-Key": "k1"})
    assert again.json == r.json and again.headers["Idempotent-Replayed"] == "true"
    assert db(app).execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    track = client.get(f"/survey/api/liuyan/{r.json['receipt']}")
    assert track.status_code == 200 and track.json["state"] == "received" and track.json["reply_due"] == "2026-12-08"
    assert PHONE not in track.get_data(as_text=True) and "广场健身器材太少" not in track.get_data(as_text=True)
    jsonschema.validate(track.json, shape("/survey/api/liuyan/{receipt}", "get", 200))
    bad = client.post("/survey/api/liuyan", json={"kind": "闲聊", "community": "nowhere"})
    assert bad.status_code == 422
    jsonschema.validate(bad.json, shape("/survey/api/liuyan", "post", 422))
    assert {e["question"] for e in bad.json["errors"]} == {"kind", "community", "subject", "body"}
    missing = client.get("/survey/api/liuyan/NOSUCHCODE")
    assert missing.status_code == 404
    jsonschema.validate(missing.json, shape("/survey/api/liuyan/{receipt}", "get", 404))


def test_staff_may_keep_a_consented_message_out_of_publication_with_a_reason(client, app):
    receipt = receipt_of(write(client))
    li = login(app, "li")
    r = li.post(f"/survey/admin/liuyan/{receipt}/withhold", data={"reason": ""})
    assert r.status_code == 422 and "请写明不公开的理由" in r.get_data(as_text=True)
    assert li.post(f"/survey/admin/liuyan/{receipt}/withhold", data={"reason": "涉及邻居姓名"}).status_code == 303
    assert stored(app, receipt)["public"] is False
    assert "决定不公开（涉及邻居姓名）" in li.get(f"/survey/admin/liuyan/{receipt}").get_data(as_text=True)
