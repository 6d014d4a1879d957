"""Resident forms over real HTTP (Flask's test client) and a real SQLite file."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from formtools import ROOT, hidden_fields, survey_yaml
from sampletools import copy_sample, sample

from portal import pipeline
from survey import store

SID = "fwzx-myd-2026"


def start(client, url=f"/survey/{SID}/"):
    r = client.get(url)
    assert r.status_code == 200
    return hidden_fields(r.get_data(as_text=True))


def test_form_is_accessible_markup(client):
    html = client.get("/survey/all-types/").get_data(as_text=True)
    assert '<fieldset' in html and '<legend>单选<span class="req">（必答）</span></legend>' in html
    assert 'name="csrf_token"' in html
    assert "第 1 页，共 2 页" in html and ">下一页</button>" in html
    # no JavaScript needed: the same-page conditional question is there, with a note
    assert 'id="q-why"' in html and "仅在“满意度”选择“不满意”或“非常不满意”时填写" in html


def test_multi_page_survey_keeps_answers_reviews_and_submits(client, app):
    f = start(client)
    f.update({"_nav": "next", "community": "huanghe", "services": ["shebao", "other"],
              "services.other": "开证明", "visits": "1"})
    r = client.post(f"/survey/{SID}/", data=f)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "第 2 页，共 2 页" in html
    f = hidden_fields(html)
    f.update({"_nav": "prev"})
    back = client.post(f"/survey/{SID}/", data=f).get_data(as_text=True)
    assert 'value="huanghe" checked' in back and 'value="开证明"' in back       # answers kept
    f = hidden_fields(back)     # a browser sends the page's fields again, as they are shown
    f.update({"_nav": "next", "community": "huanghe", "services": ["shebao", "other"],
              "services.other": "开证明", "visits": "1"})
    f = hidden_fields(client.post(f"/survey/{SID}/", data=f).get_data(as_text=True))
    f.update({"_nav": "review", "overall": "满意", "aspects.attitude": "满意", "nps": "8",
              "priority.1": "online", "priority.2": "hours", "priority.3": "guide"})
    review = client.post(f"/survey/{SID}/", data=f).get_data(as_text=True)
    assert "请核对您的回答" in review and "黄河社区" in review and "（开证明）" in review
    f = hidden_fields(review)
    f.update({"_nav": "submit"})
    r = client.post(f"/survey/{SID}/", data=f)
    assert r.status_code == 303
    receipt = r.headers["Location"].rsplit("/", 1)[-1]
    assert r.headers["Location"] == f"/survey/{SID}/thanks/{receipt}"
    thanks = client.get(r.headers["Location"]).get_data(as_text=True)
    assert receipt in thanks
    [row] = store.responses(store.connect(app.config["SURVEY_DB"]), SID)
    assert row["receipt"] == receipt
    assert row["answers"]["services"] == ["shebao", "other"] and row["answers"]["overall"] == "满意"


def test_invalid_answers_get_422_an_error_summary_linking_each_field_and_keep_answers(client):
    f = start(client, "/survey/all-types/")
    f.update({"_nav": "next", "multiple": ["a", "b", "c"], "rating": "4"})
    r = client.post("/survey/all-types/", data=f)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'class="error-summary"' in html
    for qid in ("single", "multiple", "scale"):
        assert f'href="#q-{qid}"' in html and f'id="q-{qid}"' in html
    assert "“多选”：最多只能选择 2 项" in html
    assert 'value="4" checked' in html                   # the rating the resident gave


def test_hidden_question_is_not_required_and_not_stored(client, app):
    f = start(client, "/survey/all-types/")
    f.update({"_nav": "next", "single": "a", "scale": "满意", "why": "不会保存"})
    f = hidden_fields(client.post("/survey/all-types/", data=f).get_data(as_text=True))
    f.update({"_nav": "review", "matrix.r1": "满意", "matrix.r2": "满意"})
    f = hidden_fields(client.post("/survey/all-types/", data=f).get_data(as_text=True))
    f.update({"_nav": "submit"})
    assert client.post("/survey/all-types/", data=f).status_code == 303
    [row] = store.responses(store.connect(app.config["SURVEY_DB"]), "all-types")
    assert "why" not in row["answers"]


def test_text_answers_are_escaped_when_shown_back(client):
    payload = "<b onclick=x>&</b>"            # within the question's 20 characters
    f = start(client, "/survey/all-types/")
    f.update({"_nav": "next", "single": "a", "scale": "不满意", "why": payload})
    page2 = client.post("/survey/all-types/", data=f)
    assert page2.status_code == 200 and "第 2 页" in page2.get_data(as_text=True)
    f = hidden_fields(page2.get_data(as_text=True))
    f.update({"_nav": "prev"})
    back = client.post("/survey/all-types/", data=f).get_data(as_text=True)
    assert "&lt;b onclick=x&gt;&amp;&lt;/b&gt;" in back and "<b onclick" not in back
    # too long: refused with the question named, the text still shown escaped
    f = start(client, "/survey/all-types/")
    f.update({"_nav": "next", "single": "a", "scale": "不满意", "why": "<script>alert(1)</script>"})
    r = client.post("/survey/all-types/", data=f)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "原因" in html and "20" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_tampered_state_is_refused(client):
    f = start(client)
    f.update({"_state": f["_state"][:-2] + "xx", "_nav": "next", "community": "huanghe"})
    assert client.post(f"/survey/{SID}/", data=f).status_code == 400


def test_form_without_csrf_token_is_refused(make_app):
    client = make_app().test_client()                # CSRF protection on
    f = start(client)
    f.update({"_nav": "next", "community": "huanghe"})
    assert client.post(f"/survey/{SID}/", data=f).status_code == 200
    f.pop("csrf_token")
    assert client.post(f"/survey/{SID}/", data=f).status_code == 400


def test_honeypot_and_too_fast_submissions_are_refused(make_app, app):
    client = app.test_client()
    f = start(client, "/survey/all-types/")
    f.update({"_nav": "next", "single": "a", "scale": "满意", "website": "http://spam.example"})
    assert client.post("/survey/all-types/", data=f).status_code == 400
    slow = make_app(WTF_CSRF_ENABLED=False, SURVEY_MIN_SECONDS=60).test_client()
    f = start(slow, "/survey/all-types/")
    f.update({"_nav": "next", "single": "a", "scale": "满意"})
    f = hidden_fields(slow.post("/survey/all-types/", data=f).get_data(as_text=True))
    f.update({"_nav": "submit", "matrix.r1": "满意", "matrix.r2": "满意"})
    r = slow.post("/survey/all-types/", data=f)
    assert r.status_code == 422 and "提交太快了" in r.get_data(as_text=True)


def test_closed_not_yet_open_and_unknown_surveys_have_clear_pages(client):
    r = client.get("/survey/closed/")
    assert r.status_code == 410 and "已于 2025年12月31日 结束" in r.get_data(as_text=True)
    r = client.get("/survey/later/")
    assert r.status_code == 403 and "将于 2027年1月1日 开始" in r.get_data(as_text=True)
    r = client.get("/survey/nothing/")
    assert r.status_code == 404 and "没有找到这份问卷" in r.get_data(as_text=True)
    assert client.post("/survey/closed/", data={}).status_code == 410


def test_context_is_shown_on_the_form_and_stored(client, app):
    r = client.get("/survey/all-types/?service=dibao&window=3&community=huanghe")
    html = r.get_data(as_text=True)
    assert "城乡最低生活保障申请" in html and "3 号窗口" in html
    assert client.get("/survey/all-types/?service=made-up").status_code == 400


def test_traditional_form_follows_the_readers_choice(client):
    r = client.get(f"/zh-hant/survey/{SID}/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and '<html lang="zh-Hant">' in html and "滿意度調查" in html
    f = hidden_fields(html)
    f.update({"_nav": "next", "community": "huanghe"})
    assert "第 2 頁，共 2 頁" in client.post(f"/zh-hant/survey/{SID}/", data=f).get_data(as_text=True)


def test_portal_lists_open_surveys_linking_to_their_forms(tmp_path):
    import datetime as dt

    from portal import pipeline
    result = pipeline.build(sample(), tmp_path / "site", dt.date(2026, 11, 24))
    assert result.ok
    myd = (tmp_path / "site/hdjl/myd/index.html").read_text(encoding="utf-8")
    assert f'href="/survey/{SID}/"' in myd and "2026年度社区服务中心满意度调查" in myd


def test_build_check_reports_a_bad_survey_with_its_line(tmp_path):
    content = tmp_path / "content"
    copy_sample(content)
    p = content / "surveys" / f"{SID}.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("type: nps", "type: nsp"), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--today", "2026-11-24"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    line = next(n for n, text in enumerate(p.read_text(encoding="utf-8").split("\n"), 1) if "type: nsp" in text)
    assert re.search(rf"content/surveys/{SID}.yaml:{line}: 错误: pages\[2\]\.questions\[4\]\.type（题型）: “nsp”不是可选值",
                     proc.stderr), proc.stderr


@pytest.mark.parametrize("sid", ["admin", "track", "Bad_Id"])
def test_survey_ids_that_would_shadow_service_paths_are_refused(tmp_path, sid):
    content = tmp_path / "content"
    copy_sample(content)
    (content / "surveys" / f"{sid}.yaml").write_text(survey_yaml(sid), encoding="utf-8")
    result = pipeline.check(content, dt.date(2026, 11, 24))
    assert any(f"surveys/{sid}.yaml:1: 错误: id（问卷编号）: 问卷编号 {sid} 不可用" in line
               for line in result.problems.lines()), result.problems.lines()
