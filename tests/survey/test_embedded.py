"""`make run`'s embedded server, as a person uses it: open the portal, follow a survey link,
submit, log in with the printed demo account, see the response counted, export, publish, and
find the published results on the rebuilt portal. A real process on a real port."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from formtools import ROOT, hidden_fields
from sampletools import copy_sample, unlabelled

from survey.demo import COUNTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, forms, no redirects followed silently."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("embedded")
    content = tmp_path / "content"
    copy_sample(content)
    port = free_port()
    env = {**os.environ, "SURVEY_DB": str(tmp_path / "survey.db"), "SECRET_KEY": "embedded-test",
           "SURVEY_MIN_SECONDS": "0", "SURVEY_TODAY": "2026-11-24", "PYTHONUNBUFFERED": "1"}
    log = open(tmp_path / "server.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "survey.embedded", "--port", str(port),
                             "--content", str(content), "--out", str(tmp_path / "site")],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/survey/healthz", timeout=2).read()
            break
        except OSError:
            assert proc.poll() is None, (tmp_path / "server.log").read_text(encoding="utf-8")
            time.sleep(0.3)
    else:
        pytest.fail("embedded server did not start:\n" + (tmp_path / "server.log").read_text(encoding="utf-8"))
    yield base, content, tmp_path / "server.log"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def staff_login(web: Browser, log) -> tuple[int, str]:
    """Log in with the demo account the server printed."""
    printed = log.read_text(encoding="utf-8")
    name, password = re.search(r"演示账号 (\S+)\s+密码 (\S+)", printed).groups()
    status, login = web.get("/survey/admin/login")
    return web.post("/survey/admin/login", {**hidden_fields(login), "name": name, "password": password})


def wait_for(web: Browser, path: str, text: str) -> str:
    deadline = time.time() + 60                      # the watcher rebuilds the portal
    while time.time() < deadline:
        status, page = web.get(path)
        if status == 200 and text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{path} never showed {text!r}")


def test_make_run_closes_the_loop_from_portal_to_published_results(server):
    base, content, log = server
    web = Browser(base)
    status, home = web.get("/")
    assert status == 200 and "/survey/fwzx-myd-2026/" in home          # the portal links the survey

    # a resident fills in the two-page survey without JavaScript
    status, form = web.get("/survey/fwzx-myd-2026/")
    assert status == 200
    status, page2 = web.post("/survey/fwzx-myd-2026/", {**hidden_fields(form), "community": "huanghe", "_nav": "next"})
    assert status == 200 and "服务评价" in page2
    status, review = web.post("/survey/fwzx-myd-2026/", {**hidden_fields(page2), "overall": "满意", "_nav": "review"})
    assert status == 200 and "请核对您的回答" in review
    status, thanks = web.post("/survey/fwzx-myd-2026/", {**hidden_fields(review), "_nav": "submit"})
    assert status == 200 and "提交成功" in thanks

    # staff log in with the account the server printed
    status, dashboard = staff_login(web, log)
    assert status == 200 and "问卷管理" in dashboard
    row = re.search(r'href="/survey/admin/fwzx-myd-2026/".*?</tr>', unlabelled(dashboard), re.S).group(0)
    assert f"<td>{COUNTS['fwzx-myd-2026'] + 1}</td>" in row             # the demo data and ours

    status, csv_text = web.get("/survey/admin/fwzx-myd-2026/export.csv")
    assert status == 200 and "黄河社区" in csv_text

    status, results = web.get("/survey/admin/fwzx-myd-2026/")
    status, published = web.post("/survey/admin/fwzx-myd-2026/publish", hidden_fields(results))
    assert status == 200 and "结果已写入门户内容" in published
    assert "published: 2026-11-24 18:00" not in (content / "results" / "fwzx-myd-2026.yaml").read_text(encoding="utf-8")

    expected = f"{COUNTS['fwzx-myd-2026'] + 1}"          # the demo data and ours
    page = wait_for(web, "/hdjl/pyjg/fwzx-myd-2026/", f"{expected} 份")
    assert "2026年度社区服务中心满意度调查" in page


def test_make_run_lets_a_resident_rate_a_service_and_staff_close_the_case(server):
    base, content, log = server
    web = Browser(base)
    status, guide = web.get("/bszn/dibao/")
    link = re.search(r'href="(/survey/fuwu-haocha/\?service=dibao[^"]*)"', guide).group(1)
    status, form = web.get(link.replace("&amp;", "&"))
    assert status == 200 and "城乡最低生活保障申请" in form       # the form names the service
    assert "您在哪个社区服务中心办理？" in form              # a district-wide service: which centre?
    status, thanks = web.post("/survey/fuwu-haocha/", {**hidden_fields(form), "rating": "不满意", "reasons": "wait",
                                                      "_place": "huanghe:", "_nav": "submit"})
    assert status == 200 and "提交成功" in thanks and "查询办理进度" in thanks
    receipt = re.search(r"/survey/track/([A-Z0-9]+)", thanks).group(1)

    staff_login(web, log)
    status, queue = web.get("/survey/admin/cases/")
    assert receipt in queue
    status, case = web.get(f"/survey/admin/cases/{receipt}")
    status, _ = web.post(f"/survey/admin/cases/{receipt}/verify", {**hidden_fields(case), "verdict": "属实"})
    assert status == 200
    status, case = web.get(f"/survey/admin/cases/{receipt}")
    fix = "叫号屏显示预计等候时间，高峰时段开放备用窗口"
    status, closed = web.post(f"/survey/admin/cases/{receipt}/close",
                              {**hidden_fields(case), "rectification": fix, "reply": "感谢您的评价，已整改。",
                               "followup_method": "电话回访", "followup_result": "居民表示满意"})
    assert status == 200 and "办结。" in closed
    status, track = web.get(f"/survey/track/{receipt}")
    assert "已办结" in track and "感谢您的评价，已整改。" in track

    status, results = web.get("/survey/admin/fuwu-haocha/")
    status, _ = web.post("/survey/admin/fuwu-haocha/publish", hidden_fields(results))
    assert status == 200
    page = wait_for(web, "/hdjl/pyjg/fuwu-haocha/", fix)
    assert receipt not in page


@pytest.mark.parametrize("command", [["-m", "survey.embedded"], [str(ROOT / "build.py"), "serve"]])
def test_a_busy_port_is_explained_in_chinese_before_anything_is_built(tmp_path, command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, *command, "--port", str(port), "--content", str(tmp_path / "none")],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert f"端口 {port} 已被占用" in proc.stderr and f"PORT={port + 1}" in proc.stderr
    assert "Traceback" not in proc.stderr and "门户网站" not in proc.stderr and "已重新生成" not in proc.stderr
    assert not (tmp_path / "site").exists()
