"""留言 in a real browser: the form filled in by its labels and submitted without JavaScript,
and axe (WCAG 2.1 AA) and the Nu HTML Checker on every page the resident and the staff see
(form, form with errors, receipt, tracking, queue, one message)."""
from __future__ import annotations

import re

import pytest

from .served import axe_report, nu_errors
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
    violations, report = axe_report(page, survey_url + "/survey/liuyan/_axe_", visited[state])
    assert violations == 0, report


def test_liuyan_pages_pass_the_nu_html_checker(visited, java, tmp_path):
    code, errors = nu_errors(java, tmp_path, {state: visited[state] for state in STATES})
    assert code == 0 and errors == "", errors[:4000]
