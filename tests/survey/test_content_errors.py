"""The service runs on valid documents only: a survey, guide or community file with an error of
its own is never served (a typo in `access` must not open an invite-only survey to everyone),
and the service refuses to start on content it cannot lay its pages out with."""
from __future__ import annotations

import logging

import pytest
from formtools import survey_yaml
from sampletools import copy_sample, files_read, share_warm_cache

from portal import build_state
from survey import create_app
from survey.definitions import ContentError

TODAY = "2026-11-24"


@pytest.fixture
def content(tmp_path):
    return copy_sample(tmp_path / "content")


def app_on(content, tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "SURVEY_DB": str(tmp_path / "s.db"),
                       "SURVEY_CONTENT": str(content), "SURVEY_TODAY": TODAY, "SURVEY_MIN_SECONDS": 0,
                       "SURVEY_RATELIMIT": "off", "WTF_CSRF_ENABLED": False})


@pytest.mark.parametrize("typo", ["access: invitation", "results: pubic"])
def test_invite_only_survey_with_a_typo_is_never_served(content, tmp_path, caplog, typo):
    key = typo.split(":")[0]
    text = survey_yaml("members", access="invite").replace(
        f"{key}: {'invite' if key == 'access' else 'public'}", typo)
    assert typo in text
    (content / "surveys" / "members.yaml").write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        client = app_on(content, tmp_path).test_client()
    assert client.get("/survey/members/").status_code == 404
    assert client.get("/survey/api/members").status_code == 404
    r = client.post("/survey/api/members/responses", json={"answers": {"q": "满意"}})
    assert r.status_code == 404 and r.json["errors"][0]["message"] == "找不到这份问卷"
    assert "content/surveys/members.yaml" in caplog.text and "不会开放" in caplog.text


def test_the_same_survey_without_the_typo_is_served_invite_only(content, tmp_path):
    (content / "surveys" / "members.yaml").write_text(survey_yaml("members", access="invite"), encoding="utf-8")
    client = app_on(content, tmp_path).test_client()
    assert client.get("/survey/api/members").json["access"] == "invite"
    assert client.post("/survey/api/members/responses", json={"answers": {"q": "满意"}}).status_code == 422


def test_a_guide_with_an_error_of_its_own_is_not_offered_for_rating(content, tmp_path):
    guide = content / "bszn" / "dibao.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("visits: ", "visits: 9\n# was: ", 1),
                     encoding="utf-8")
    client = app_on(content, tmp_path).test_client()
    r = client.get("/survey/fuwu-haocha/?service=dibao")
    assert r.status_code == 400 and "找不到编号为“dibao”的服务事项" in r.get_data(as_text=True)
    assert client.get("/survey/fuwu-haocha/?service=tekun").status_code == 200


def test_service_refuses_to_start_without_its_content(tmp_path):
    with pytest.raises(ContentError, match="(?s)问卷服务无法启动.*找不到内容目录"):
        app_on(tmp_path / "nowhere", tmp_path)


def test_service_refuses_to_start_on_a_broken_site_yaml_naming_the_line(content, tmp_path):
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("phone: ", "phone: 8888\n# was: ", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"site\.yaml:\d+: 错误: phone（联系电话）"):
        app_on(content, tmp_path)


def test_the_service_starts_on_the_files_the_builder_already_read(content, tmp_path, monkeypatch):
    """The service needs the model, not the pages: it takes every file the last build read
    from the builder's cache (./.cache/build), writes nothing there, and serves the same."""
    monkeypatch.chdir(tmp_path)
    share_warm_cache(tmp_path)                       # as a build of this content leaves it
    read = files_read(monkeypatch)
    cache = sorted((tmp_path / build_state.CACHE).rglob("*"))
    client = app_on(content, tmp_path).test_client()
    assert read == []
    assert sorted((tmp_path / build_state.CACHE).rglob("*")) == cache
    assert client.get("/survey/api/fuwu-haocha").status_code == 200
