"""依申请公开 end to end: the form (no JS, checks, CSRF, one-time ticket), the statutory clock
(a 国庆 week, one extension, a 补正 pause and restart), the answer types, the staff queue and
who may see it, the tracking page, and the published counts — with a scan that no name, ID
number or phone of an applicant reaches content/ or the built site."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from formtools import hidden_fields

from portal import request_stats, schema
from portal.load import parse_doc
from survey import definitions
from survey import requests as R
from survey.store import connect
from survey.store import requests as S

STAFF_PASSWORD = "correct horse battery"
ID = "11010519491231002X"            # GB 11643 sample number (valid check digit)
NAME = "郑测试申请人"
PHONE = "13912345678"
APPLICATION = {"applicant_type": "公民", "name": NAME, "id_type": "居民身份证", "id_number": ID,
               "phone": PHONE, "email": "", "address": "小河区测试路 1 号", "description": "2025 年低保资金发放情况",
               "purpose": "", "format": "电子文档", "delivery": "当面领取"}


def _on(app, day: str) -> None:
    app.config["SURVEY_TODAY"] = dt.date.fromisoformat(day)


def _apply(client, **over) -> str:
    """Submit an application; its receipt."""
    html = client.get("/survey/ysqgk/?new=1").get_data(as_text=True)
    resp = client.post("/survey/ysqgk/", data={**hidden_fields(html), **APPLICATION, **over})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    return resp.headers["Location"].rsplit("/", 1)[1]


def _row(app, receipt: str) -> dict:
    db = connect(app.config["SURVEY_DB"])
    try:
        row = S.get(db, receipt)
        assert row is not None
        return row
    finally:
        db.conn.close()


def _admin(app):
    app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=STAFF_PASSWORD + "\n")
    client = app.test_client()
    assert client.post("/survey/admin/login", data={"name": "li", "password": STAFF_PASSWORD}).status_code == 303
    return client


# --- ID numbers ----------------------------------------------------------------------

@pytest.mark.parametrize(("id_type", "number", "ok"), [
    ("居民身份证", "11010519491231002X", True),
    ("居民身份证", "110105194912310021", False),        # wrong check digit
    ("居民身份证", "110105194913310023", False),        # month 13
    ("居民身份证", "11010519491231002", False),         # 17 digits
    ("港澳居民居住证", "810000199408230021", True),
    ("港澳居民居住证", "11010519491231002X", False),     # not an 81/82 number
    ("统一社会信用代码", "91350100M000100Y43", True),
    ("统一社会信用代码", "91350100M000100Y44", False),
    ("护照", "E12345678", True),
    ("护照", "E1234-5678", False),
    ("港澳居民来往内地通行证", "H12345678", True),
    ("台湾居民来往大陆通行证", "1234567", False),
])
def test_id_numbers_are_checked_by_type(id_type, number, ok):
    assert (R.id_problem(id_type, number) == "") is ok


def test_full_width_and_spaced_id_numbers_are_read_as_typed():
    assert R.normalise_id("１１０１０５ 1949 1231 002x") == ID


# --- the form --------------------------------------------------------------------------

def test_form_asks_what_article_29_requires_without_javascript(client):
    resp = client.get("/survey/ysqgk/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    for field in R.FIELDS:
        assert f'name="{field}"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert client.get("/zh-hant/survey/ysqgk/").status_code == 200


def test_an_application_stores_the_id_only_masked_and_hashed(app, client):
    _on(app, "2026-11-24")
    receipt = _apply(client)
    row = _row(app, receipt)
    assert row["id_masked"] == "110105********002X" and row["id_hash"] != ID
    assert row["due"] == "2026-12-22" and row["state"] == R.OPEN
    db_bytes = b"".join(p.read_bytes() for p in Path(app.config["SURVEY_DB"]).parent.glob("survey.db*"))
    assert ID.encode() not in db_bytes
    thanks = client.get(f"/survey/ysqgk/thanks/{receipt}").get_data(as_text=True)
    assert receipt in thanks and NAME not in thanks and PHONE not in thanks


def test_a_bad_application_is_shown_again_with_every_problem_and_nothing_stored(app, client):
    html = client.get("/survey/ysqgk/").get_data(as_text=True)
    resp = client.post("/survey/ysqgk/", data={**hidden_fields(html), **APPLICATION, "id_number": "110105194912310021",
                                               "phone": "12345", "description": "", "delivery": "电子邮件"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "校验位不符" in page and "格式不对" in page and "特征性描述" in page and "电子邮箱" in page
    assert NAME in page                                  # what was typed is kept
    assert resp.headers["Cache-Control"] == "no-store"
    db = connect(app.config["SURVEY_DB"])
    assert S.every(db) == []


def test_the_traditional_form_stores_the_simplified_choices(app, client):
    html = client.get("/zh-hant/survey/ysqgk/").get_data(as_text=True)
    assert 'value="法人或其他組織"' in html and 'value="統一社會信用代碼"' in html
    resp = client.post("/zh-hant/survey/ysqgk/", data={
        **hidden_fields(html), **APPLICATION, "applicant_type": "法人或其他組織", "id_type": "統一社會信用代碼",
        "id_number": "91350100M000100Y43", "name": "測試公司", "format": "紙質文本", "delivery": "郵寄"})
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/zh-hant/survey/ysqgk/thanks/")
    row = _row(app, resp.headers["Location"].rsplit("/", 1)[1])
    assert (row["applicant_type"], row["id_type"], row["format"], row["delivery"]) == \
        ("法人或其他组织", "统一社会信用代码", "纸质文本", "邮寄")


def test_an_organisation_must_give_its_credit_code(client):
    html = client.get("/survey/ysqgk/").get_data(as_text=True)
    resp = client.post("/survey/ysqgk/", data={**hidden_fields(html), **APPLICATION, "applicant_type": "法人或其他组织"})
    assert resp.status_code == 422 and "统一社会信用代码" in resp.get_data(as_text=True)


def test_back_then_submit_again_stores_nothing_new(app, client):
    html = client.get("/survey/ysqgk/").get_data(as_text=True)
    data = {**hidden_fields(html), **APPLICATION}
    first = client.post("/survey/ysqgk/", data=data)
    again = client.post("/survey/ysqgk/", data=data)
    assert first.headers["Location"] == again.headers["Location"]
    assert "没有重复登记" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(S.every(connect(app.config["SURVEY_DB"]))) == 1
    back = client.get("/survey/ysqgk/").get_data(as_text=True)       # the browser fetches the form again
    assert hidden_fields(back)["_ticket"] == data["_ticket"] and "刚刚已经提交过" in back


def test_an_oversized_application_is_refused_and_nothing_stored(app, client):
    html = client.get("/survey/ysqgk/").get_data(as_text=True)
    resp = client.post("/survey/ysqgk/", data={**hidden_fields(html), **APPLICATION, "description": "长" * 40_000})
    assert resp.status_code == 413
    long = client.post("/survey/ysqgk/", data={**hidden_fields(html), **APPLICATION, "description": "长" * 2001})
    assert long.status_code == 422 and "最多 2000 字" in long.get_data(as_text=True)
    assert S.every(connect(app.config["SURVEY_DB"])) == []


def test_the_form_needs_its_csrf_token(make_app):
    app = make_app()                                   # CSRF on
    client = app.test_client()
    html = client.get("/survey/ysqgk/").get_data(as_text=True)
    fields = {k: v for k, v in hidden_fields(html).items() if k != "csrf_token"}
    assert client.post("/survey/ysqgk/", data={**fields, **APPLICATION}).status_code == 400


def test_the_honeypot_and_the_rate_limit_refuse(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_RATELIMIT="1/minute")
    client = app.test_client()
    _apply(client)
    html = client.get("/survey/ysqgk/?new=1").get_data(as_text=True)
    resp = client.post("/survey/ysqgk/", data={**hidden_fields(html), **APPLICATION})
    assert resp.status_code == 429 and resp.headers["Retry-After"]
    html = client.get("/survey/ysqgk/?new=1").get_data(as_text=True)
    assert client.post("/survey/ysqgk/", data={**hidden_fields(html), **APPLICATION, "website": "x"}).status_code == 400


# --- the clock ---------------------------------------------------------------------------

def test_twenty_working_days_skip_the_national_day_week(app, client):
    _on(app, "2026-09-28")
    receipt = _apply(client)
    assert _row(app, receipt)["due"] == "2026-10-30"     # 10-01..07 off, Saturday 10-10 worked
    page = client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    assert "办理中" in page and "2026年10月30日" in page and NAME not in page and "110105" not in page
    _on(app, "2026-11-02")
    assert "已超过答复期限" in client.get(f"/survey/track/{receipt}").get_data(as_text=True)


def test_one_extension_of_twenty_working_days_with_a_reason(app, client):
    _on(app, "2026-09-28")
    receipt = _apply(client)
    staff = _admin(app)
    assert staff.post(f"/survey/admin/ysqgk/{receipt}/extend", data={"extension_reason": ""}).status_code == 422
    assert staff.post(f"/survey/admin/ysqgk/{receipt}/extend",
                      data={"extension_reason": "需要向档案馆调取"}).status_code == 303
    row = _row(app, receipt)
    assert row["due"] == "2026-11-27" and row["extended"] == "2026-09-28"
    again = staff.post(f"/survey/admin/ysqgk/{receipt}/extend", data={"extension_reason": "再延"})
    assert again.status_code == 422 and "只能延长一次" in again.get_data(as_text=True)
    page = client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    assert "延期办理中" in page and "需要向档案馆调取" in page


def test_an_extension_after_the_deadline_is_refused(app, client):
    _on(app, "2026-09-28")
    receipt = _apply(client)
    _on(app, "2026-11-02")
    resp = _admin(app).post(f"/survey/admin/ysqgk/{receipt}/extend", data={"extension_reason": "来不及"})
    assert resp.status_code == 422 and "不能再延期" in resp.get_data(as_text=True)


def test_correction_stops_the_clock_and_it_starts_again_when_completed(app, client):
    _on(app, "2026-09-28")
    receipt = _apply(client)
    staff = _admin(app)
    _on(app, "2026-09-30")
    assert staff.post(f"/survey/admin/ysqgk/{receipt}/correction",
                      data={"correction_note": "请写明年份", "correction_days": "10"}).status_code == 303
    row = _row(app, receipt)
    assert row["state"] == R.CORRECTION and row["due"] is None and row["correction_due"] == "2026-10-20"
    _on(app, "2026-11-05")                                 # past the first deadline, but paused
    page = client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    assert "待申请人补正" in page and "请写明年份" in page
    queue = staff.get("/survey/admin/ysqgk/?state=overdue").get_data(as_text=True)
    assert receipt not in queue
    assert "补正期限已过" in staff.get("/survey/admin/ysqgk/").get_data(as_text=True)
    _on(app, "2026-10-12")
    assert staff.post(f"/survey/admin/ysqgk/{receipt}/corrected").status_code == 303
    assert _row(app, receipt)["due"] == "2026-11-09"      # 第三十条: 20 working days from the completed request
    second = staff.post(f"/survey/admin/ysqgk/{receipt}/correction", data={"correction_note": "再补"})
    assert second.status_code == 422 and "一次性告知" in second.get_data(as_text=True)


def test_correction_is_asked_within_seven_working_days_only(app, client):
    _on(app, "2026-09-28")
    receipt = _apply(client)
    _on(app, "2026-10-14")                                # the 7th working day was 10-13
    resp = _admin(app).post(f"/survey/admin/ysqgk/{receipt}/correction", data={"correction_note": "请写明年份"})
    assert resp.status_code == 422 and "7 个工作日内" in resp.get_data(as_text=True)


def test_an_answer_is_one_of_the_article_36_types_with_its_reason(app, client):
    _on(app, "2026-11-24")
    receipt = _apply(client)
    staff = _admin(app)
    no_reason = staff.post(f"/survey/admin/ysqgk/{receipt}/answer", data={"outcome": "不予公开", "reply": "不公开"})
    assert no_reason.status_code == 422 and "须选择理由" in no_reason.get_data(as_text=True)
    assert staff.post(f"/survey/admin/ysqgk/{receipt}/answer",
                      data={"outcome": "不予公开", "outcome_reason": "保护第三方合法权益",
                            "reply": "涉及第三方个人信息，依法不予公开。"}).status_code == 303
    page = client.get(f"/survey/track/{receipt}").get_data(as_text=True)
    assert "已答复" in page and "保护第三方合法权益" in page and "行政复议" in page
    twice = staff.post(f"/survey/admin/ysqgk/{receipt}/answer", data={"outcome": "予以公开", "reply": "x"})
    assert twice.status_code == 422


def test_every_step_is_logged_with_actor_and_time(app, client):
    _on(app, "2026-09-28")
    receipt = _apply(client)
    staff = _admin(app)
    staff.post(f"/survey/admin/ysqgk/{receipt}/extend", data={"extension_reason": "需要会商"})
    staff.post(f"/survey/admin/ysqgk/{receipt}/answer", data={"outcome": "予以公开", "reply": "见附件"})
    events = S.events(connect(app.config["SURVEY_DB"]), receipt)
    assert [(e["actor"], e["action"]) for e in events] == [("申请人", "提交申请"), ("li", "延期答复"), ("li", "答复")]
    assert all(e["at"].startswith("2026-09-28") for e in events)
    page = staff.get(f"/survey/admin/ysqgk/{receipt}").get_data(as_text=True)
    assert "需要会商" in page and NAME in page and "110105********002X" in page and ID not in page


def test_staff_can_check_a_presented_card_against_the_stored_hash(app, client):
    receipt = _apply(client)
    staff = _admin(app)
    assert "一致：" in staff.post(f"/survey/admin/ysqgk/{receipt}/check-id",
                                 data={"id_number": ID.lower()}).get_data(as_text=True)
    assert "不一致" in staff.post(f"/survey/admin/ysqgk/{receipt}/check-id",
                                 data={"id_number": "110105194912310021"}).get_data(as_text=True)


# --- the queue and roles ---------------------------------------------------------------

def test_queue_lists_overdue_first(app, client):
    _on(app, "2026-09-01")
    old = _apply(client)
    _on(app, "2026-11-20")
    new = _apply(client)
    _on(app, "2026-11-24")
    staff = _admin(app)
    page = staff.get("/survey/admin/ysqgk/").get_data(as_text=True)
    assert page.index(old) < page.index(new) and "已超过答复期限" in page
    assert staff.get("/survey/admin/ysqgk/").headers["Cache-Control"] == "no-store"


def test_only_district_administrators_see_applications(app, client):
    receipt = _apply(client)
    runner = app.test_cli_runner()
    with app.app_context():
        cid = next(iter(definitions.site().communities))
    runner.invoke(args=["create-admin", "wang", "--password-stdin", "--community", cid], input=STAFF_PASSWORD + "\n")
    staff = app.test_client()
    assert staff.post("/survey/admin/login", data={"name": "wang", "password": STAFF_PASSWORD}).status_code == 303
    assert staff.get("/survey/admin/ysqgk/").status_code == 403
    assert staff.get(f"/survey/admin/ysqgk/{receipt}").status_code == 403
    assert staff.post(f"/survey/admin/ysqgk/{receipt}/answer", data={"outcome": "予以公开"}).status_code == 403
    assert app.test_client().get("/survey/admin/ysqgk/").status_code == 302     # not logged in: to the login


# --- published counts ------------------------------------------------------------------

def _year_of_requests(app, client) -> None:
    """2025: two received, one answered in 2025, one carried into 2026; 2026: three received."""
    staff = _admin(app)
    _on(app, "2025-12-01")
    a, b = _apply(client), _apply(client, applicant_type="法人或其他组织", id_type="统一社会信用代码",
                                  id_number="91350100M000100Y43", name="测试科技有限公司")
    staff.post(f"/survey/admin/ysqgk/{a}/answer", data={"outcome": "予以公开", "reply": "已提供"})
    _on(app, "2026-03-02")
    c, d = _apply(client), _apply(client)
    _apply(client)
    staff.post(f"/survey/admin/ysqgk/{c}/correction", data={"correction_note": "请写明年份"})
    staff.post(f"/survey/admin/ysqgk/{d}/extend", data={"extension_reason": "需要会商"})
    _on(app, "2026-03-20")
    staff.post(f"/survey/admin/ysqgk/{b}/answer", data={"outcome": "无法提供", "outcome_reason": "本机关不掌握相关政府信息",
                                                         "reply": "本机关未制作该信息"})
    staff.post(f"/survey/admin/ysqgk/{c}/answer", data={"outcome": "其他处理", "outcome_reason": "申请人无正当理由逾期不补正",
                                                         "reply": "逾期未补正，视为放弃申请"})
    _on(app, "2026-11-24")


def test_year_counts_follow_the_annual_report_table(app, client):
    _year_of_requests(app, client)
    rows = S.every(connect(app.config["SURVEY_DB"]))
    y2025 = R.year_counts(rows, 2025, dt.date(2026, 11, 24))
    assert (y2025["received"], y2025["carried_over"], y2025["answered"], y2025["carried_forward"]) == (2, 0, 1, 1)
    y2026 = R.year_counts(rows, 2026, dt.date(2026, 11, 24))
    assert (y2026["received"], y2026["carried_over"], y2026["answered"], y2026["carried_forward"]) == (3, 1, 2, 2)
    assert y2026["received_by_applicant"] == {"citizen": 3, "organisation": 0}
    assert y2026["outcomes"] == [{"type": "无法提供", "reason": "本机关不掌握相关政府信息", "count": 1},
                                 {"type": "其他处理", "reason": "申请人无正当理由逾期不补正", "count": 1}]
    assert (y2026["extensions"], y2026["corrections"], y2026["overdue"]) == (1, 1, 1)   # b: answered late


def test_publish_writes_counts_only_and_nothing_personal_reaches_the_site(make_app, tmp_path, content_dir):
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))
    client = app.test_client()
    _year_of_requests(app, client)
    staff = _admin(app)
    assert staff.post("/survey/admin/ysqgk/publish", data={"year": "2026"}).status_code == 303
    result = app.test_cli_runner().invoke(args=["publish-ysqgk", "2025"])
    assert result.exit_code == 0, result.output
    for year in (2025, 2026):
        text = (content / "ysqgk" / f"{year}.yaml").read_text(encoding="utf-8")
        doc, found = parse_doc(f"ysqgk/{year}.yaml", f"ysqgk/{year}.yaml", text, schema.REQUEST_STATS)
        assert doc is not None and not request_stats.check(doc)[1] and not found
    assert yaml.safe_load((content / "ysqgk" / "2026.yaml").read_text(encoding="utf-8"))["received"] == 3
    from portal.cli import main
    out = tmp_path / "site"
    with pytest.raises(SystemExit) as built:
        main(["build", "--content", str(content), "--out", str(out), "--today", "2026-11-24"])
    assert built.value.code == 0
    secrets = (NAME, PHONE, ID, "110105********002X", "91350100M000100Y43", "测试科技有限公司", "小河区测试路")
    for root in (content, out):
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in (".yaml", ".md", ".html", ".json", ".xml", ".txt", ".csv"):
                text = path.read_text(encoding="utf-8", errors="ignore")
                assert not [s for s in secrets if s in text], path


def test_publishing_a_future_year_is_refused(app, client):
    result = app.test_cli_runner().invoke(args=["publish-ysqgk", "2030"])
    assert result.exit_code == 1 and "还没有开始" in result.output


# --- the statistics file, as the builder checks it --------------------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "ysqgk" / "2025.yaml"


def _check(text: str, rel: str = "ysqgk/2025.yaml") -> list[str]:
    doc, found = parse_doc(rel, "content/" + rel, text, schema.REQUEST_STATS)
    assert doc is not None
    return [p.format() for p in found + request_stats.check(doc)[1] if p.is_error]


def test_the_sample_statistics_are_valid():
    assert _check(SAMPLE.read_text(encoding="utf-8")) == []


def test_statistics_that_do_not_add_up_are_errors_with_their_line():
    text = SAMPLE.read_text(encoding="utf-8")
    bad = re.sub(r"^answered: \d+", "answered: 99", text, flags=re.M)
    errors = _check(bad)
    assert any("各办理结果件数之和" in e for e in errors) and any("结转下年度" in e for e in errors)
    assert all(re.match(r"content/ysqgk/2025\.yaml:\d+: 错误: ", e) for e in errors)
    no_reason = text.replace("  reason: 保护第三方合法权益\n", "")
    assert any("须写明理由" in e for e in _check(no_reason))
    assert any("文件名应为 2025.yaml" in e for e in _check(text, "ysqgk/2024.yaml"))


# --- the JSON API ------------------------------------------------------------------------

def _schema(path: str) -> dict:
    from survey.openapi import SPEC
    body = SPEC["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return body


def test_the_api_tracks_a_request_without_anything_personal(app, client):
    import jsonschema
    _on(app, "2026-09-28")
    receipt = _apply(client)
    body = client.get(f"/survey/api/ysqgk/{receipt.lower()}").json
    jsonschema.validate(body, _schema("/survey/api/ysqgk/{receipt}"))
    assert body["state"] == "open" and body["due"] == "2026-10-30"
    text = str(body)
    assert NAME not in text and PHONE not in text and "110105" not in text and "低保" not in text
    assert client.get("/survey/api/ysqgk/NOSUCHCODE").status_code == 404


def test_the_api_gives_the_years_counts_in_the_published_shape(app, client):
    import jsonschema
    _year_of_requests(app, client)
    body = client.get("/survey/api/ysqgk/stats/2026").json
    jsonschema.validate(body, _schema("/survey/api/ysqgk/stats/{year}"))
    assert body["received"] == 3 and body["carried_over"] == 1
    assert client.get("/survey/api/ysqgk/stats/2031").status_code == 404
    spec = client.get("/survey/api/openapi.json").json
    assert {"/survey/api/ysqgk/{receipt}", "/survey/api/ysqgk/stats/{year}"} <= set(spec["paths"])
