"""差评整改: a bad rating opens a case with working-day deadlines; the phone needs consent and
is deleted at close; staff verify, rectify and reply; the resident tracks it by receipt."""
from __future__ import annotations

import re
import sqlite3

import jsonschema
import pytest
from formtools import hidden_fields
from sampletools import unlabelled

from survey import store
from survey.openapi import SPEC

SID = "fuwu-haocha"
PHONE = "13912345678"
CTX = {"service": "canji-butie", "window": "2", "community": "huanghe"}
PASSWORD = "correct horse battery"
FOLLOWUP = {"followup_method": "电话回访", "followup_result": "居民表示认可整改措施"}


def rate(client, level="非常不满意", contact=None, **answers):
    body = {"answers": {"rating": level, **answers}, "context": CTX}
    if level in ("不满意", "非常不满意"):
        body["answers"].setdefault("reasons", ["wait", "materials"])
    if contact is not None:
        body["contact"] = contact
    return client.post(f"/survey/api/{SID}/responses", json=body)


def dump(app) -> str:
    return "\n".join(sqlite3.connect(app.config["SURVEY_DB"]).iterdump())


@pytest.fixture
def staff(app):
    app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=PASSWORD + "\n")
    c = app.test_client()
    assert c.post("/survey/admin/login", data={"name": "li", "password": PASSWORD}).status_code == 303
    return c


def test_bad_rating_opens_a_case_with_working_day_deadlines(client, app):
    r = rate(client)
    assert r.status_code == 201
    case = store.case(store.connect(app.config["SURVEY_DB"]), r.json["receipt"])
    # rated on Tuesday 2026-11-24: verify by the next working day, answer within 15 working days
    assert (case["verify_due"], case["reply_due"]) == ("2026-11-25", "2026-12-15")
    assert case["reasons"] == ["等候时间太长", "材料要求没有一次说清楚"]
    assert (case["service"], case["window"], case["community"]) == ("canji-butie", "2", "huanghe")


def test_deadlines_skip_the_national_day_holiday_and_count_the_make_up_saturday(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_TODAY="2026-09-30")
    r = rate(app.test_client(), "不满意")
    case = store.case(store.connect(app.config["SURVEY_DB"]), r.json["receipt"])
    assert (case["verify_due"], case["reply_due"]) == ("2026-10-08", "2026-10-27")


def test_deadlines_are_configurable(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CASE_VERIFY_DAYS=2, SURVEY_CASE_REPLY_DAYS=5)
    r = rate(app.test_client())
    case = store.case(store.connect(app.config["SURVEY_DB"]), r.json["receipt"])
    assert (case["verify_due"], case["reply_due"]) == ("2026-11-26", "2026-12-01")


def test_good_ratings_open_no_case_and_keep_no_phone(client, app):
    r = rate(client, "基本满意", contact={"phone": PHONE, "consent": True})
    assert r.status_code == 201
    assert store.cases(store.connect(app.config["SURVEY_DB"])) == []
    assert PHONE not in dump(app)


def test_a_phone_without_consent_is_refused_and_not_stored(client, app):
    r = rate(client, contact={"phone": PHONE, "consent": False})
    assert r.status_code == 422
    body = SPEC["paths"]["/survey/api/{sid}/responses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    jsonschema.validate({"answers": {"rating": "不满意"}, "context": CTX, "contact": {"phone": PHONE, "consent": False}}, body)
    assert r.json["errors"] == [{"question": "contact", "message": r.json["errors"][0]["message"]}]
    assert "同意" in r.json["errors"][0]["message"]
    assert PHONE not in dump(app) and store.counts(store.connect(app.config["SURVEY_DB"])) == {}


def test_a_malformed_phone_is_refused(client):
    r = rate(client, contact={"phone": "12345", "consent": True})
    assert r.status_code == 422 and "格式不对" in r.json["errors"][0]["message"]


def test_a_bad_rating_needs_its_reason(client):
    r = client.post(f"/survey/api/{SID}/responses", json={"answers": {"rating": "不满意"}, "context": CTX})
    assert r.status_code == 422 and r.json["errors"][0]["question"] == "reasons"


def test_form_offers_the_phone_with_consent_and_refuses_it_without(client, app):
    form = client.get(f"/survey/{SID}/?service=canji-butie&community=huanghe&window=2").get_data(as_text=True)
    assert 'name="_contact_phone"' in form and 'name="_contact_consent"' in form
    fields = {**hidden_fields(form), "rating": "非常不满意", "reasons": "wait", "_contact_phone": PHONE, "_nav": "submit"}
    r = client.post(f"/survey/{SID}/", data=fields)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'href="#q-contact"' in html and f'value="{PHONE}"' in html
    r = client.post(f"/survey/{SID}/", data={**fields, "_contact_consent": "1"})
    assert r.status_code == 303
    receipt = r.headers["Location"].rsplit("/", 1)[1]
    thanks = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"/survey/track/{receipt}" in thanks and "2026年12月15日" in thanks
    assert store.case(store.connect(app.config["SURVEY_DB"]), receipt)["phone"] == PHONE


def test_staff_verify_rectify_reply_and_the_phone_is_deleted_at_close(staff, app):
    receipt = rate(staff, contact={"phone": PHONE, "consent": True}).json["receipt"]
    page = staff.get(f"/survey/admin/cases/{receipt}").get_data(as_text=True)
    assert PHONE in page and "等候时间太长" in page                 # staff see the phone
    r = staff.post(f"/survey/admin/cases/{receipt}/close", data={"reply": "已整改"})
    assert r.status_code == 422 and "请先登记核实结果" in r.get_data(as_text=True)
    r = staff.post(f"/survey/admin/cases/{receipt}/verify", data={"verdict": "不属实"})
    assert r.status_code == 422 and "请写明理由" in r.get_data(as_text=True)
    assert staff.post(f"/survey/admin/cases/{receipt}/verify", data={"verdict": "属实"}).status_code == 303
    r = staff.post(f"/survey/admin/cases/{receipt}/close", data={"reply": "已答复"})
    assert r.status_code == 422 and "请写明整改措施" in r.get_data(as_text=True)
    done = {"rectification": "增设取号机，高峰时段加开窗口", "reply": "感谢反映，已增设取号机。"}
    r = staff.post(f"/survey/admin/cases/{receipt}/close", data=done)
    assert r.status_code == 422 and "请选择回访方式" in r.get_data(as_text=True)   # 51号: every 差评 is followed up
    r = staff.post(f"/survey/admin/cases/{receipt}/close", data={**done, **FOLLOWUP})
    assert r.status_code == 303
    case = store.case(store.connect(app.config["SURVEY_DB"]), receipt)
    assert case["closed"] and case["phone"] is None and case["verified_by"] == "li"
    assert PHONE not in dump(app)
    assert "已删除" in staff.get(f"/survey/admin/cases/{receipt}").get_data(as_text=True)


def test_queue_counts_and_highlights_overdue_cases(make_app):
    first = make_app(WTF_CSRF_ENABLED=False, SURVEY_TODAY="2026-11-02")
    rate(first.test_client())                                      # due 2026-11-23: overdue by 11-24
    app = make_app(WTF_CSRF_ENABLED=False)
    app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=PASSWORD + "\n")
    c = app.test_client()
    c.post("/survey/admin/login", data={"name": "li", "password": PASSWORD})
    rate(c)
    html = unlabelled(c.get("/survey/admin/cases/").get_data(as_text=True))
    assert "有 1 条差评已逾期" in html and html.count('class="overdue"') == 1
    assert "已逾期（1）" in html and "办理中（1）" in html
    assert "已逾期 1 条" in c.get("/survey/admin/").get_data(as_text=True)
    overdue_only = unlabelled(c.get("/survey/admin/cases/?state=overdue").get_data(as_text=True))
    assert len(re.findall(r'<th scope="row"><a href="/survey/admin/cases/', overdue_only)) == 1


def test_resident_tracks_the_case_by_receipt_without_personal_data(staff, client, app):
    receipt = rate(client, contact={"phone": PHONE, "consent": True}).json["receipt"]
    html = client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    assert "办理中" in html and "2026年12月15日" in html and PHONE not in html
    staff.post(f"/survey/admin/cases/{receipt}/verify", data={"verdict": "属实"})
    staff.post(f"/survey/admin/cases/{receipt}/close", data={"rectification": "增设取号机", "reply": "已增设取号机",
                                                            **FOLLOWUP})
    html = client.get(f"/survey/track/{receipt.lower()}").get_data(as_text=True)
    assert "已办结" in html and "已增设取号机" in html
    assert client.get("/survey/track/?receipt=" + receipt).status_code == 303
    assert client.get("/survey/track/NOSUCHCODE").status_code == 404
    good = rate(client, "满意").json["receipt"]
    assert "不需要整改答复" in client.get(f"/survey/track/{good}").get_data(as_text=True)


def test_admin_case_pages_require_login(client):
    assert client.get("/survey/admin/cases/").status_code == 302
    receipt = rate(client).json["receipt"]
    assert client.post(f"/survey/admin/cases/{receipt}/verify", data={"verdict": "属实"}).status_code == 302


def test_traditional_tracking_page_stays_traditional(client):
    receipt = rate(client).json["receipt"]
    html = client.get(f"/zh-hant/survey/track/{receipt}").get_data(as_text=True)
    assert "辦理中" in html and 'action="/zh-hant/survey/track/"' in html
    r = client.get(f"/zh-hant/survey/track/?receipt={receipt}")
    assert r.headers["Location"].endswith(f"/zh-hant/survey/track/{receipt}")


def test_staff_queue_tracking_page_and_published_results_agree_an_unverified_case_is_overdue(make_app):
    """Verified late but not yet due for its reply: overdue everywhere (portal.rectification)."""
    import datetime as dt

    from portal import clock, results, schema
    from portal.load import parse_doc
    from portal.validate import validate_doc
    from survey import definitions, export, publish

    receipt = rate(make_app(WTF_CSRF_ENABLED=False).test_client()).json["receipt"]   # verify by 11-25
    later = make_app(WTF_CSRF_ENABLED=False, SURVEY_TODAY="2026-11-26")                # reply due 12-15
    later.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=PASSWORD + "\n")
    c = later.test_client()
    c.post("/survey/admin/login", data={"name": "li", "password": PASSWORD})
    assert "有 1 条差评已逾期" in c.get("/survey/admin/cases/").get_data(as_text=True)
    assert "已超过办理期限" in c.get(f"/survey/track/{receipt}").get_data(as_text=True)
    with later.app_context():
        db = store.connect(later.config["SURVEY_DB"])
        responses, cases = store.responses(db, SID), store.cases(db, SID)
        now = dt.datetime(2026, 11, 26, 18, 0, tzinfo=clock.CHINA)
        doc = publish.document(definitions.get(SID), responses, definitions.site(), export.to_json(responses),
                               now, cases)
    parsed, problems = parse_doc(f"results/{SID}.yaml", SID, publish.to_yaml(doc), schema.RESULT)
    item, own = validate_doc(parsed)
    assert problems + own == []
    [case] = results.cases(item, dt.date(2026, 11, 26)).items
    assert (case.state, case.state_label) == ("overdue", "已逾期")
