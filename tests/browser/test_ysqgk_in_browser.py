"""依申请公开 in a real browser: the application form filled in with the keyboard's labels and
submitted without JavaScript, and axe (WCAG 2.1 AA) and the Nu HTML Checker on every page the
applicant and the staff see (form, form with errors, receipt, tracking, queue, one request)."""
from __future__ import annotations

import re

import pytest

from .served import axe_report, nu_errors
from .test_survey_in_browser import log_in, press

FORM = "/survey/ysqgk/"
THANKS = re.compile(r".*/survey/ysqgk/thanks/(?P<receipt>[^/]+)$")
STATES = ["form", "form-errors", "thanks", "track", "queue", "request"]


def apply(page, base: str) -> str:
    """Fill in the form by its labels, submit; the receipt."""
    page.goto(base + FORM + "?new=1")
    page.get_by_label("公民").check()
    page.get_by_label("姓名或单位名称").fill("郑测试")
    page.get_by_label("证件类型").select_option("居民身份证")
    page.get_by_label("证件号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("通信地址").fill("小河区测试路 1 号")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill("2025 年低保资金发放情况")
    page.get_by_label("电子文档").check()
    page.get_by_label("当面领取").check()
    assert press(page, "提交申请").status == 200
    match = THANKS.match(page.url)
    assert match, page.url
    return match["receipt"]


@pytest.fixture(scope="module")
def visited(browser, survey_url) -> dict[str, bytes]:
    """Each state's HTML as served, visited once with JavaScript off (the form needs none)."""
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    out: dict[str, bytes] = {"form": page.goto(survey_url + FORM).body()}
    errors = press(page, "提交申请")
    assert errors.status == 422
    out["form-errors"] = errors.body()
    receipt = apply(page, survey_url)
    out["thanks"] = page.goto(page.url).body()
    out["track"] = page.goto(f"{survey_url}/survey/track/{receipt}").body()
    log_in(page, survey_url)
    out["queue"] = page.goto(survey_url + "/survey/admin/ysqgk/").body()
    out["request"] = page.goto(f"{survey_url}/survey/admin/ysqgk/{receipt}").body()
    context.close()
    return out


@pytest.mark.parametrize("state", STATES)
def test_ysqgk_page_has_no_wcag_21_aa_violations(page, survey_url, visited, state):
    violations, report = axe_report(page, survey_url + "/survey/ysqgk/_axe_", visited[state])
    assert violations == 0, report


def test_ysqgk_pages_pass_the_nu_html_checker(visited, java, tmp_path):
    code, errors = nu_errors(java, tmp_path, {state: visited[state] for state in STATES})
    assert code == 0 and errors == "", errors[:4000]
