"""Paper ballots (issue 17): staff enter a 评议 meeting's 发出/收回/有效/废票 and tally sheet in the
browser, a second person enters the same independently, a mismatch is refused, agreement lets a
district administrator publish online and paper together, and the built page shows it all.
Real Flask test client, real SQLite file, real build."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml
from staff_accounts import PASSWORD, login

from portal import pipeline
from survey import store
from survey.ballot_tally import mark_field

SID = "paper-shuzhi-2026"
SURVEY = f"""\
id: {SID}
title: 黄河社区2026年度述职评议（民主测评）
kind: 评议
community: huanghe
opens: 2026-11-20
closes: 2026-11-21
access: open
results: public
scale: 称职三级
satisfied: [称职, 基本称职]
abstain: true
pages:
  - title: 民主测评
    questions:
      - id: subjects
        type: matrix
        label: 请对以下述职岗位的履职情况分别评价
        required: true
        rows:
          - {{id: zhuren, label: 社区服务中心主任}}
          - {{id: yishihui, label: 社区居民议事会负责人}}
"""
# The meeting's sheets: 86 issued, 84 returned, 82 valid, 2 spoilt; per role 称职/基本称职/不称职/弃权.
SHEET = {"held": "2026-11-20", "label": "11月20日述职评议会现场测评",
         "issued": "86", "returned": "84", "valid": "82", "invalid": "2",
         mark_field("subjects", "zhuren", "称职"): "60", mark_field("subjects", "zhuren", "基本称职"): "15",
         mark_field("subjects", "zhuren", "不称职"): "4", mark_field("subjects", "zhuren", "弃权"): "3",
         mark_field("subjects", "yishihui", "称职"): "52", mark_field("subjects", "yishihui", "基本称职"): "20",
         mark_field("subjects", "yishihui", "不称职"): "6", mark_field("subjects", "yishihui", "弃权"): "4"}


@pytest.fixture
def content(content_dir, tmp_path):
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    (target / "surveys" / f"{SID}.yaml").write_text(SURVEY, encoding="utf-8")
    return target




@pytest.fixture
def staff(make_app, content):
    """After the meeting: an administrator and the community's own staff member."""
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))
    return app, login(app, "li"), login(app, "zhao", "huanghe")


def page_text(r) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.get_data(as_text=True)))


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"returned": "87"}, "returned", "收回票数 87 多于发出票数 86：收回的票数多于发出的票数，测评无效，请核对"),
    ({"invalid": "3"}, "valid", "有效票数 82 加废票数 3 应等于收回票数 84"),
    ({mark_field("subjects", "yishihui", "弃权"): "5"}, mark_field("subjects", "yishihui", "称职"),
     "“社区居民议事会负责人”各项票数合计 83（含弃权）多于有效票数 82"),
    ({"issued": "八十六"}, "issued", "发出票数应为不小于 0 的整数（不超过 100000），而不是“八十六”"),
    ({"held": "2026-11-25"}, "held", "会议日期 2026-11-25 不在本次评议的时间内（2026-11-20 至 2026-11-21）"),
])
def test_an_entry_that_breaks_a_rule_is_refused_naming_the_field(staff, change, field, message):
    app, admin, _ = staff
    r = admin.post(f"/survey/admin/{SID}/ballots/", data={**SHEET, **change})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert f'<a href="#{field}">{message}</a>' in html
    assert store.connect(app.config["SURVEY_DB"]).execute("SELECT count(*) FROM ballot_entries").fetchone()[0] == 0


def test_staff_of_another_community_cannot_enter(staff):
    app, _, _ = staff
    other = login(app, "sun", "zhujiang")
    assert other.get(f"/survey/admin/{SID}/ballots/").status_code == 403
    assert other.post(f"/survey/admin/{SID}/ballots/", data=SHEET).status_code == 403


def test_the_form_needs_its_csrf_token(make_app, content):
    app = make_app(SURVEY_CONTENT=str(content))          # CSRF on, as in production
    client = app.test_client()
    app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=PASSWORD + "\n")
    page = client.get("/survey/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    client.post("/survey/admin/login", data={"name": "li", "password": PASSWORD, "csrf_token": token})
    assert client.post(f"/survey/admin/{SID}/ballots/", data=SHEET).status_code == 400
    form = client.get(f"/survey/admin/{SID}/ballots/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    assert client.post(f"/survey/admin/{SID}/ballots/", data={**SHEET, "csrf_token": token}).status_code == 303


def test_enter_twice_mismatch_refused_agree_publish_build(make_app, content, tmp_path):
    # Online first: three representatives who could not come rate on the form while it is open.
    during = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content), SURVEY_TODAY=dt.date(2026, 11, 20))
    resident = during.test_client()
    for a, b in (("称职", "称职"), ("基本称职", "弃权"), ("不称职", "称职")):
        r = resident.post(f"/survey/api/{SID}/responses", json={"answers": {"subjects": {"zhuren": a, "yishihui": b}}})
        assert r.status_code == 201, r.json
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))     # 11-24: closed, publishable
    admin, community = login(app, "li"), login(app, "zhao", "huanghe")

    assert community.post(f"/survey/admin/{SID}/ballots/", data=SHEET).status_code == 303
    waiting = community.get(f"/survey/admin/{SID}/ballots/")
    assert "已有一人录入，等待另一名工作人员独立录入核对" in page_text(waiting)
    assert "发出 86" not in page_text(admin.get(f"/survey/admin/{SID}/ballots/"))   # independent: not shown
    refused = admin.post(f"/survey/admin/{SID}/ballots/publish")
    assert refused.status_code == 409 and "两名工作人员的录入一致后才能计入结果" in page_text(refused)

    typo = {**SHEET, mark_field("subjects", "zhuren", "称职"): "59", mark_field("subjects", "zhuren", "弃权"): "4"}
    r = admin.post(f"/survey/admin/{SID}/ballots/", data=typo)
    assert r.status_code == 409
    text = page_text(r)
    assert "两人录入不一致，请核对纸质票后重新录入" in text
    assert "“社区服务中心主任”的“称职”：zhao 录入 60，li 录入 59" in text
    assert "“社区服务中心主任”的“弃权”：zhao 录入 3，li 录入 4" in text
    assert admin.post(f"/survey/admin/{SID}/ballots/publish").status_code == 409
    assert not (content / "results" / f"{SID}.yaml").exists()

    assert admin.post(f"/survey/admin/{SID}/ballots/", data=SHEET).status_code == 303      # checked the sheets
    assert "两人录入一致，可以使用" in page_text(admin.get(f"/survey/admin/{SID}/ballots/"))
    assert community.post(f"/survey/admin/{SID}/ballots/publish").status_code == 403   # administrators publish
    assert admin.post(f"/survey/admin/{SID}/ballots/publish").status_code == 303

    doc = yaml.safe_load((content / "results" / f"{SID}.yaml").read_text(encoding="utf-8"))
    assert doc["responses"] == 3 + 82 and doc["export"]["responses"] == 85
    assert doc["sources"] == [
        {"channel": "网上", "label": "网上评议", "responses": 3},
        {"channel": "纸质", "label": "11月20日述职评议会现场测评", "responses": 82,
         "issued": 86, "returned": 84, "valid": 82, "invalid": 2}]
    zhuren = doc["questions"][0]["rows"][0]
    assert {c["value"]: c["count"] for c in zhuren["counts"]} == {"称职": 61, "基本称职": 16, "不称职": 5, "弃权": 3}
    assert zhuren["satisfied"] == 77
    log = [r[0] for r in store.connect(app.config["SURVEY_DB"]).execute("SELECT action FROM audit").fetchall()]
    assert log.count("录入纸质票") == 3 and "公布结果（含纸质票）" in log

    out = tmp_path / "site"
    result = pipeline.build(content, out, dt.date(2026, 11, 24))
    assert result.ok, result.problems.lines()
    html = (out / "hdjl" / "pyjg" / SID / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "发出 收回 有效 废票" in text
    assert "纸质：11月20日述职评议会现场测评 86 84 82 2 82" in text
    assert "网上：网上评议 — — — — 3" in text
    # 称职率 = (称职 + 基本称职) ÷ (作答 − 弃权) = 77 ÷ 82 = 93.90 %
    assert "93.90" in text and "77" in text


def test_paper_only_results_publish_from_the_results_page_too(staff, content):
    app, admin, community = staff
    assert "录入会场纸质票" in admin.get(f"/survey/admin/{SID}/").get_data(as_text=True)
    for client in (community, admin):
        assert client.post(f"/survey/admin/{SID}/ballots/", data=SHEET).status_code == 303
    assert admin.post(f"/survey/admin/{SID}/publish").status_code == 303     # the ordinary 公布结果 button
    doc = yaml.safe_load((content / "results" / f"{SID}.yaml").read_text(encoding="utf-8"))
    assert doc["responses"] == 82 and doc["first_response"] == doc["last_response"] == "2026-11-20"
    assert [s["channel"] for s in doc["sources"]] == ["纸质"]
    assert doc["questions"][0]["rows"][1]["counts"][3] == {"value": "弃权", "label": "弃权", "count": 4}
    (content / "results" / f"{SID}.yaml").unlink()
    run = app.test_cli_runner().invoke(args=["publish", SID])              # flask --app survey publish SID
    assert run.exit_code == 0, run.output
    again = yaml.safe_load((content / "results" / f"{SID}.yaml").read_text(encoding="utf-8"))
    assert again["sources"] == doc["sources"] and again["questions"] == doc["questions"]


def test_each_persons_newest_entry_counts_and_all_must_agree():
    from portal import schema
    from portal.load import parse_doc
    from portal.surveys import validate_survey
    from survey.ballot_tally import status
    doc, _ = parse_doc(f"surveys/{SID}.yaml", f"content/surveys/{SID}.yaml", SURVEY, schema.SURVEY)
    survey = validate_survey(doc).survey
    base = {"held": "2026-11-20", "label": "", "issued": 86, "returned": 84, "valid": 82, "invalid": 2,
            "marks": {"subjects": {"zhuren": {"称职": 60}, "yishihui": {"称职": 52}}}}
    a, b = {**base, "staff": "li"}, {**base, "staff": "zhao"}
    assert status(survey, []).state == "none"
    assert status(survey, [a]).state == "waiting"
    assert status(survey, [a, b]).state == "agreed" and status(survey, [a, b]).agreed == b
    c = {**base, "staff": "sun", "invalid": 3, "valid": 81}
    found = status(survey, [a, b, c])
    assert found.state == "mismatch" and found.agreed is None
    assert found.differences == ("有效票数：zhao 录入 82，sun 录入 81", "废票数：zhao 录入 2，sun 录入 3")
