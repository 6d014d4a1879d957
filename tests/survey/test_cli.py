"""Staff commands: invite, export, publish (DESIGN §5), run through Flask's CLI runner against
a real SQLite file; publish → build shows the aggregates on the portal."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil

import pytest
import yaml
from formtools import hidden_fields

from portal import pipeline
from survey import store

BASE = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "基本满意"}}
SECRET = "只给工作人员看的意见"


@pytest.fixture
def own(make_app, content_dir, tmp_path):
    """An app on its own copy of the content, so publishing cannot touch other tests."""
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))
    return app, content


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def submit(client, answers, sid="all-types"):
    r = client.post(f"/survey/api/{sid}/responses", json={"answers": answers})
    assert r.status_code == 201, r.json
    return r.json["receipt"]


def test_invite_prints_codes_that_each_open_the_survey_once(app, client):
    result = run(app, "invite", "invite-only", "--count", "3")
    codes = result.stdout.split()
    assert result.exit_code == 0 and len(codes) == 3 == len(set(codes))
    form = client.get(f"/survey/invite-only/?invite={codes[0].lower()}").get_data(as_text=True)
    assert f'value="{codes[0]}"' in form                        # prefilled from the letter's link
    fields = {**hidden_fields(form), "_invite": codes[0], "q": "满意", "_nav": "submit"}
    first = client.post("/survey/invite-only/", data=fields)
    assert first.status_code == 303
    replayed = client.post("/survey/invite-only/", data=fields)       # the same form again: Back, 提交
    assert replayed.status_code == 303 and replayed.headers["Location"] == first.headers["Location"]
    fresh = hidden_fields(client.get("/survey/invite-only/").get_data(as_text=True))
    again = client.post("/survey/invite-only/", data={**fresh, "_invite": codes[0], "q": "满意", "_nav": "submit"})
    assert again.status_code == 422 and "该邀请码已经使用过" in again.get_data(as_text=True)
    missing = client.post("/survey/invite-only/", data={**fresh, "_invite": "", "q": "满意", "_nav": "submit"})
    assert missing.status_code == 422 and "请填写邀请码" in missing.get_data(as_text=True)


def test_invite_for_an_open_or_unknown_survey_is_a_usage_error(app):
    open_survey = run(app, "invite", "all-types", "--count", "1")
    assert open_survey.exit_code == 2 and "不需要邀请码" in open_survey.stderr
    unknown = run(app, "invite", "nope", "--count", "1")
    assert unknown.exit_code == 2 and "找不到问卷“nope”" in unknown.stderr


def test_export_writes_standard_output_or_a_file(app, client, tmp_path):
    receipt = submit(client, {**BASE, "text": "=1+1"})
    out = run(app, "export", "all-types", "--format", "json")
    data = json.loads(out.stdout_bytes)
    assert out.exit_code == 0 and [r["receipt"] for r in data] == [receipt]
    assert data[0]["answers"]["text"] == "=1+1"                 # JSON keeps the exact answer
    target = tmp_path / "out" / "all-types.csv"
    result = run(app, "export", "all-types", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0 and target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "'=1+1" in target.read_text(encoding="utf-8-sig")
    assert run(app, "export", "all-types", "--format", "pdf").exit_code == 2


def test_publish_writes_aggregates_only_with_the_export_sha256(own):
    app, content = own
    client = app.test_client()
    for level in ("非常满意", "满意", "不满意"):
        submit(client, {**BASE, "scale": level, "text": SECRET,
                        **({"why": SECRET} if level == "不满意" else {})})
    result = run(app, "publish", "all-types")
    assert result.exit_code == 0, result.stderr
    path = content / "results" / "all-types.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 由 flask --app survey publish 生成")
    assert SECRET not in text                                   # free text never published
    doc = yaml.safe_load(text)
    export = run(app, "export", "all-types", "--format", "json").stdout_bytes
    assert doc["export"] == {"format": "json", "responses": 3, "sha256": hashlib.sha256(export).hexdigest()}
    scale = next(q for q in doc["questions"] if q["id"] == "scale")
    assert scale["answered"] == 3 and scale["satisfied"] == 2
    assert "rate" not in text and "percent" not in text          # the build computes rates


def test_publish_refuses_private_results_and_empty_surveys_without_writing(own):
    app, content = own
    submit(app.test_client(), {"q": "满意"}, sid="private")
    private = run(app, "publish", "private")
    assert private.exit_code == 1 and "不公开" in private.stderr
    empty = run(app, "publish", "all-types")
    assert empty.exit_code == 1 and "还没有答卷" in empty.stderr
    assert not (content / "results" / "private.yaml").exists()
    assert not (content / "results" / "all-types.yaml").exists()


def test_export_publish_build_shows_the_aggregates_on_the_portal(own, tmp_path):
    app, content = own
    client = app.test_client()
    for level in ("非常满意", "满意", "不满意"):
        submit(client, {"community": "huanghe", "overall": level,
                        **({"reason": SECRET} if level == "不满意" else {})}, sid="fwzx-myd-2026")
    assert run(app, "publish", "fwzx-myd-2026").exit_code == 0
    out = tmp_path / "site"
    result = pipeline.build(content, out, dt.date(2026, 11, 24))
    assert result.ok, "\n".join(result.problems.lines())
    page = (out / "hdjl" / "pyjg" / "fwzx-myd-2026" / "index.html").read_text(encoding="utf-8")
    assert "66.7%（2/3）" in page and SECRET not in page          # 3 answers: one decimal
    assert "/hdjl/pyjg/fwzx-myd-2026/" in (out / "hdjl" / "pyjg" / "index.html").read_text(encoding="utf-8")


def test_publish_that_would_break_the_build_keeps_the_previous_file(own):
    app, content = own
    client = app.test_client()
    r = client.post("/survey/api/fuwu-haocha/responses",
                    json={"answers": {"rating": "不满意", "reasons": ["wait"]},
                          "context": {"service": "dibao", "community": "huanghe"}})
    receipt = r.json["receipt"]
    db = store.connect(app.config["SURVEY_DB"])
    store.verify_case(db, receipt, "属实", "", "li", "2026-11-24T10:00:00+08:00")
    store.close_case(db, receipt, "已整改", "请致电经办人 13912345678 了解详情", "li",   # a personal number
                     "2026-11-24T15:00:00+08:00")
    before = (content / "results" / "fuwu-haocha.yaml").read_bytes()
    result = run(app, "publish", "fuwu-haocha")
    assert result.exit_code == 1 and "结果文件未通过网站检查" in result.stderr
    assert "results/fuwu-haocha.yaml" in result.stderr
    assert (content / "results" / "fuwu-haocha.yaml").read_bytes() == before


def test_publish_checks_the_results_in_memory_and_writes_nothing_when_they_would_break_the_build(own):
    app, content = own
    client = app.test_client()
    (content / "results" / "fuwu-haocha.yaml").unlink()                 # nothing published yet
    before = {p.relative_to(content): p.read_bytes() for p in content.rglob("*") if p.is_file()}
    r = client.post("/survey/api/fuwu-haocha/responses",
                    json={"answers": {"rating": "不满意", "reasons": ["wait"]},
                          "context": {"service": "dibao", "community": "huanghe"}})
    db = store.connect(app.config["SURVEY_DB"])
    store.verify_case(db, r.json["receipt"], "属实", "", "li", "2026-11-24T10:00:00+08:00")
    store.close_case(db, r.json["receipt"], "已整改", "身份证 520102199003071236 的居民请来电", "li",
                     "2026-11-24T15:00:00+08:00")
    result = run(app, "publish", "fuwu-haocha")
    assert result.exit_code == 1 and "含有身份证号 520***********1236" in result.stderr
    after = {p.relative_to(content): p.read_bytes() for p in content.rglob("*") if p.is_file()}
    assert after == before                               # not even a temporary file was left
