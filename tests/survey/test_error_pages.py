"""One error path: under /survey/api/ every refusal is JSON in the DESIGN §5 shape; elsewhere a
Chinese page in the portal's layout. Never Werkzeug's English default, never a traceback."""
from __future__ import annotations

import pytest

ENGLISH = ("Not Found", "Method Not Allowed", "Internal Server Error", "The requested URL", "Traceback")


def assert_api_error(r, status: int) -> str:
    assert r.status_code == status
    assert r.mimetype == "application/json"
    [error] = r.json["errors"]
    assert set(error) == {"question", "message"} and error["question"] == ""
    assert not any(word in error["message"] for word in ENGLISH)
    return error["message"]


def assert_chinese_page(r, status: int) -> str:
    assert r.status_code == status and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert ('<html lang="zh-CN">' in html and "网站标识码" in html) or \
        ('<html lang="zh-Hant">' in html and "網站標識碼" in html)     # the portal's own layout
    assert not any(word in html for word in ENGLISH)
    return html


@pytest.mark.parametrize("path", ["/survey/api/all-types/nothing", "/survey/api/a/b/c"])
def test_unknown_api_paths_answer_json_404(client, path):
    assert "没有找到" in assert_api_error(client.get(path), 404)


def test_wrong_method_on_the_api_answers_json_405_with_allow(client):
    r = client.get("/survey/api/all-types/responses")
    assert "不支持" in assert_api_error(r, 405)
    assert "POST" in r.headers["Allow"]


def test_oversized_api_request_answers_json_413(client):
    r = client.post("/survey/api/all-types/responses", data=b"x" * (70 * 1024), content_type="application/json")
    assert "64 KB" in assert_api_error(r, 413)


@pytest.mark.parametrize(("path", "text"), [("/survey/all-types/nothing/here", "没有找到这个页面"),
                                            ("/survey/", "没有找到这个页面"),
                                            ("/zh-hant/survey/x/y/z", "沒有找到這個頁面")])
def test_unknown_pages_answer_a_chinese_404_page_in_the_readers_script(client, path, text):
    assert text in assert_chinese_page(client.get(path), 404)


def test_wrong_method_on_a_page_answers_a_chinese_405_page(client):
    assert "不支持这种访问方式" in assert_chinese_page(client.delete("/survey/all-types/"), 405)


def test_unknown_survey_on_the_staff_pages_is_a_chinese_404_that_is_never_cached(client, app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["create-admin", "li", "--password-stdin"], input="long enough pass\n").exit_code == 0
    assert client.post("/survey/admin/login", data={"name": "li", "password": "long enough pass"}).status_code == 303
    staff = client
    r = staff.get("/survey/admin/nope/")
    assert "找不到这份问卷" in assert_chinese_page(r, 404)
    assert r.headers["Cache-Control"] == "no-store"
    assert "只能导出" in assert_chinese_page(staff.get("/survey/admin/all-types/export.pdf"), 404)


def test_a_broken_database_answers_500_in_chinese_and_the_api_in_json(app, client, caplog):
    # The schema was made at start-up; no request has opened a connection yet.
    with open(app.config["SURVEY_DB"], "r+b") as f:           # then the file is damaged on disk
        f.write(b"\0" * 4096)
    valid = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "满意"}}
    r = client.post("/survey/api/all-types/responses", json={"answers": valid})
    assert "没有保存" in assert_api_error(r, 500)
    assert "请稍后再试" in assert_chinese_page(client.get("/survey/track/ABCDEFGHJK"), 500)
    assert "/survey/api/all-types/responses" in caplog.text   # logged for the operator


def test_with_the_portal_served_alongside_the_service_keeps_its_own_error_answers(make_app, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "404.html").write_text("<p>门户的页面不存在</p>", encoding="utf-8")
    client = make_app(SURVEY_SITE=str(site)).test_client()
    assert "门户的页面不存在" in client.get("/no/such/page/").get_data(as_text=True)
    assert_api_error(client.get("/survey/api/all-types/nothing"), 404)
    assert "没有找到这个页面" in assert_chinese_page(client.get("/survey/no/such/page"), 404)
