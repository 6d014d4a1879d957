"""好差评 data that can be trusted (issue 11): one response per submission, every rating owned by
a centre, windows checked and never pooled across centres, no false 提交太快了, plausible demo
data, and one name for one figure."""
from __future__ import annotations

import datetime as dt
import time

import yaml
from formtools import hidden_fields
from sampletools import sample

from portal import pipeline
from survey import store
from survey.demo import ANCHOR

SID = "fuwu-haocha"


def db_rows(app, table: str) -> int:
    return store.connect(app.config["SURVEY_DB"]).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def rate(client, context, level="非常满意", headers=None, **answers):
    body = {"answers": {"rating": level, **answers}, "context": context}
    if level in ("不满意", "非常不满意"):
        body["answers"].setdefault("reasons", ["wait"])
    return client.post(f"/survey/api/{SID}/responses", json=body, headers=headers or {})


# --- 1. one submission, one response ---------------------------------------------------------

def test_posting_the_same_form_again_returns_the_first_receipt_and_stores_nothing(client, app):
    form = client.get(f"/survey/{SID}/?service=dibao&community=huanghe").get_data(as_text=True)
    fields = {**hidden_fields(form), "rating": "不满意", "reasons": "wait", "_nav": "submit"}
    first = client.post(f"/survey/{SID}/", data=fields)
    again = client.post(f"/survey/{SID}/", data={**fields, "rating": "非常不满意"})   # Back, change, 提交
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert (db_rows(app, "responses"), db_rows(app, "cases")) == (1, 1)
    fresh = hidden_fields(client.get(f"/survey/{SID}/?service=dibao&community=huanghe&new=1").get_data(as_text=True))
    assert client.post(f"/survey/{SID}/", data={**fields, **fresh}).headers["Location"] != first.headers["Location"]


def test_the_form_fetched_again_after_submitting_carries_the_key_just_used(client, app):
    url = f"/survey/{SID}/?service=dibao&community=huanghe&window=1"
    fields = {**hidden_fields(client.get(url).get_data(as_text=True)), "rating": "满意", "_nav": "submit"}
    first = client.post(url, data=fields).headers["Location"]
    again = client.get(url).get_data(as_text=True)          # Back, and the browser fetched it again
    assert "您刚刚已经提交过这份评价" in again and hidden_fields(again)["_ticket"] == fields["_ticket"]
    assert client.post(url, data={**fields, **hidden_fields(again), "rating": "不满意",
                                  "reasons": "wait"}).headers["Location"] == first
    told = client.get(first).get_data(as_text=True)
    assert "刚刚已经提交过，这次没有重复记录" in told and "new=1" in told
    assert "这次没有重复记录" not in client.get(first).get_data(as_text=True)   # said once
    assert (db_rows(app, "responses"), db_rows(app, "cases")) == (1, 0)
    other_link = client.get(f"/survey/{SID}/?service=dibao&community=huanghe&window=2").get_data(as_text=True)
    assert "您刚刚已经提交过" not in other_link and hidden_fields(other_link)["_ticket"] != fields["_ticket"]
    fresh = client.get(url + "&new=1").get_data(as_text=True)   # 「开始新的评价」 on a shared tablet
    assert "您刚刚已经提交过" not in fresh and hidden_fields(fresh)["_ticket"] != fields["_ticket"]
    assert "您刚刚已经提交过" not in client.get(url).get_data(as_text=True)
    assert client.post(url, data={**fields, **hidden_fields(fresh)}).headers["Location"] != first
    assert db_rows(app, "responses") == 2


def test_the_review_step_sent_again_after_submitting_leads_to_the_first_receipt(client, app):
    """One Back from the thanks page of a two-page survey: the browser sends the review step again."""
    sid = "fwzx-myd-2026"
    form = hidden_fields(client.get(f"/survey/{sid}/").get_data(as_text=True))
    page2 = client.post(f"/survey/{sid}/", data={**form, "community": "huanghe", "services": "shebao",
                                                 "visits": "1", "_nav": "next"}).get_data(as_text=True)
    review = {**hidden_fields(page2), "overall": "满意", "attitude": "满意", "speed": "满意",
              "firstask": "满意", "nps": "8", "_nav": "review"}
    shown = hidden_fields(client.post(f"/survey/{sid}/", data=review).get_data(as_text=True))
    first = client.post(f"/survey/{sid}/", data={**shown, "_nav": "submit"}).headers["Location"]
    resent = hidden_fields(client.post(f"/survey/{sid}/", data=review).get_data(as_text=True))
    assert client.post(f"/survey/{sid}/", data={**resent, "_nav": "submit"}).headers["Location"] == first
    assert db_rows(app, "responses") == 1


def test_an_api_retry_with_the_same_idempotency_key_stores_nothing_new(client, app):
    ctx = {"service": "dibao", "community": "huanghe"}
    first = rate(client, ctx, "不满意", headers={"Idempotency-Key": "retry-1"})
    again = rate(client, ctx, "不满意", headers={"Idempotency-Key": "retry-1"})
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert (db_rows(app, "responses"), db_rows(app, "cases")) == (1, 1)
    other = rate(client, ctx, "满意", headers={"Idempotency-Key": "retry-1"})
    assert other.status_code == 422 and other.json["errors"][0]["question"] == "Idempotency-Key"
    assert rate(client, ctx, headers={"Idempotency-Key": "retry-2"}).json != first.json
    assert db_rows(app, "responses") == 2


def test_the_openapi_document_describes_the_idempotency_key(client):
    post = client.get("/survey/api/openapi.json").json["paths"]["/survey/api/{sid}/responses"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"])


# --- 2. every rating names its centre ------------------------------------------------------------

def test_a_rating_from_a_district_wide_guide_asks_for_the_centre_and_window(client, app):
    form = client.get(f"/survey/{SID}/?service=dibao").get_data(as_text=True)
    assert "您在哪个社区服务中心办理？" in form
    assert '<option value="huanghe:">黄河社区服务中心（不记得窗口）</option>' in form
    assert 'value="huanghe:99"' not in form
    fields = {**hidden_fields(form), "rating": "不满意", "reasons": "wait", "_nav": "submit"}
    missing = client.post(f"/survey/{SID}/", data=fields)
    assert missing.status_code == 422 and 'href="#q-place"' in missing.get_data(as_text=True)
    assert db_rows(app, "responses") == 0
    window = next(o for o in form.split('value="huanghe:')[2:3]).split('"')[0]
    done = client.post(f"/survey/{SID}/", data={**fields, "_place": f"huanghe:{window}"})
    assert done.status_code == 303
    [case] = store.cases(store.connect(app.config["SURVEY_DB"]))
    assert (case["community"], case["window"]) == ("huanghe", window)


def test_a_centre_fixed_by_the_link_is_not_asked_again(client):
    form = client.get(f"/survey/{SID}/?service=dibao&community=huanghe&window=1").get_data(as_text=True)
    assert "您在哪个社区服务中心办理？" not in form


def test_the_api_refuses_a_rating_without_a_centre(client, app):
    r = rate(client, {"service": "dibao"})
    assert r.status_code == 422 and r.json["errors"][0]["question"] == "context"
    assert "context.community" in r.json["errors"][0]["message"] and db_rows(app, "responses") == 0


# --- 3. windows belong to one centre ------------------------------------------------------------

def test_a_window_the_centre_does_not_have_is_refused(client, app):
    r = client.get(f"/survey/{SID}/?community=huanghe&window=99")
    assert r.status_code == 400 and "黄河社区服务中心没有 99 号窗口" in r.get_data(as_text=True)
    assert rate(client, {"community": "huanghe", "window": "99"}).status_code == 422
    assert rate(client, {"window": "1"}).status_code == 422               # a window alone names no centre
    assert db_rows(app, "responses") == 0


def test_a_service_the_centre_does_not_offer_is_refused(client):
    r = rate(client, {"service": "xiaomeng-laodong", "community": "changjiang", "window": "7"})
    assert r.status_code == 422 and "不在长江社区服务中心办理" in r.json["errors"][0]["message"]


def test_window_breakdowns_never_pool_windows_of_different_centres(staff_client):
    client = staff_client
    rate(client, {"community": "huanghe", "window": "1"})
    rate(client, {"community": "changjiang", "window": "1"})
    html = client.get(f"/survey/admin/{SID}/").get_data(as_text=True)
    assert "黄河社区 1号窗口" in html and "长江社区 1号窗口" in html
    assert ">1号窗口<" not in html


# --- 4. the minimum fill time counts from the first page ----------------------------------------

def test_pressing_submit_quickly_on_the_review_page_is_not_too_fast(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_MIN_SECONDS=0.5)
    client = app.test_client()
    form = client.get("/survey/fwzx-myd-2026/").get_data(as_text=True)
    fields = hidden_fields(form)
    time.sleep(0.6)                                       # the resident took a while to answer
    page = client.post("/survey/fwzx-myd-2026/", data={**fields, "community": "huanghe", "_nav": "next"})
    review = hidden_fields(page.get_data(as_text=True))
    submitted = client.post("/survey/fwzx-myd-2026/", data={**review, "overall": "满意",
                                                             "aspects.attitude": "满意", "_nav": "submit"})
    assert "提交太快了" not in submitted.get_data(as_text=True)


# --- 5. demo data is plausible ------------------------------------------------------------------

def test_published_demo_ratings_pair_services_only_with_centres_and_windows_that_offer_them():
    site = pipeline.check(sample(), ANCHOR).site
    data = yaml.safe_load((sample() / "results" / f"{SID}.yaml").read_text(encoding="utf-8"))
    assert data["cases"]
    for c in data["cases"]:
        guide, centre = site.guide(c["service"]), site.communities[c["community"]].centre
        assert guide.community in ("district", c["community"]), c
        if c["window"]:
            assert int(c["window"]) in {w.number for w in centre.windows}, c
            assert not guide.windows or int(c["window"]) in guide.windows, c
    for row in data["breakdowns"]["window"]:
        cid, _, number = row["group"].partition(":")
        assert int(number) in {w.number for w in site.communities[cid].centre.windows}, row


# --- 6. one name for one figure -----------------------------------------------------------------

def test_ratings_show_a_haopinglv_and_surveys_a_manyilv_each_with_its_formula(tmp_path):
    out = tmp_path / "site"
    assert pipeline.build(sample(), out, dt.date(2026, 11, 24)).ok
    rating = (out / "hdjl/pyjg" / SID / "index.html").read_text(encoding="utf-8")
    survey = (out / "hdjl/pyjg/fwzx-myd-2026/index.html").read_text(encoding="utf-8")
    assert "好评率 = 选择“非常满意、满意、基本满意”的人数 ÷ 该题作答人数" in rating and "满意率" not in rating
    assert "满意率 = 选择“" in survey and "好评率" not in survey
