"""留言 in a real browser: the form filled in by its labels and submitted without JavaScript,
and axe (WCAG 2.1 AA) and the Nu HTML Checker on every page the resident and the staff see
(form, form with errors, receipt, tracking, queue, one message)."""
from __future__ import annotations

import re
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import VNU
from .test_accessibility import WCAG_21_AA
from .test_survey_in_browser import log_in, press

FORM = "/survey/liuyan/"
THANKS = re.compile(r".*/survey/liuyan/thanks/(?P<receipt>[^/]+)$")
STATES = ["form", "form-errors", "thanks", "track", "queue", "message"]


def write(page, base: str) -> str:
    """Fill in the form by its labels, submit; the receipt."""
    page.goto(base + FORM + "?new=1")
    page.get_by_label("咨询").check()
    page.get_by_label("所在社区").select_option("huanghe")
    page.get_by_label("标题").fill("小区路灯不亮")
    page.get_by_label("留言内容").fill("3 号楼门前路灯坏了一周。")
    page.get_by_label("同意去除个人信息后公开我的留言和答复").check()
    assert press(page, "提交留言").status == 200
    match = THANKS.match(page.url)
    assert match, page.url
    return match["receipt"]


@pytest.fixture(scope="module")
def visited(browser, survey_url) -> dict[str, bytes]:
    """Each state's HTML as served, visited once with JavaScript off (the form needs none)."""
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    out: dict[str, bytes] = {"form": page.goto(survey_url + FORM).body()}
    errors = press(page, "提交留言")
    assert errors.status == 422
    out["form-errors"] = errors.body()
    receipt = write(page, survey_url)
    out["thanks"] = page.goto(page.url).body()
    out["track"] = page.goto(f"{survey_url}/survey/track/{receipt}").body()
    log_in(page, survey_url)
    out["queue"] = page.goto(survey_url + "/survey/admin/liuyan/").body()
    out["message"] = page.goto(f"{survey_url}/survey/admin/liuyan/{receipt}").body()
    context.close()
    return out


@pytest.mark.parametrize("state", STATES)
def test_liuyan_page_has_no_wcag_21_aa_violations(page, survey_url, visited, state):
    page.route("**/*", lambda route: route.fulfill(body=visited[state], content_type="text/html; charset=utf-8")
               if route.request.resource_type == "document" else route.continue_())
    page.goto(survey_url + "/survey/liuyan/_axe_")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_liuyan_pages_pass_the_nu_html_checker(visited, java, tmp_path):
    for state in STATES:
        (tmp_path / f"{state}.html").write_bytes(visited[state])
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr[:4000]
