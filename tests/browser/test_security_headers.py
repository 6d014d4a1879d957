"""The portal and the survey service work under their strict Content-Security-Policy (issue 13
§5): every page is sent with it (by the service, and by the static server the browser tests
use, like nginx in production), and search, care mode, the survey form and the staff pages run
with no CSP violation reported by Chromium."""
from __future__ import annotations

import urllib.request

import pytest

from portal.headers import SECURITY_HEADERS

from .conftest import SURVEY_STAFF


@pytest.fixture
def strict(browser):
    """A page that obeys the CSP (the shared fixtures bypass it for Playwright's own eval)."""
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


def found_text(page, selector: str, text: str) -> None:
    page.locator(selector, has_text=text).wait_for()     # a locator: no eval, which the CSP forbids


def violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation',"
                         " e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    return found


def headers_of(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url) as r:
        return dict(r.headers)


def test_every_kind_of_response_carries_the_security_headers(base_url, survey_url):
    for url in (base_url + "/", base_url + "/sousuo/", survey_url + "/", survey_url + "/survey/fwzx-myd-2026/",
                survey_url + "/survey/api/fwzx-myd-2026", survey_url + "/survey/admin/login"):
        got = headers_of(url)
        for name, value in SECURITY_HEADERS.items():
            assert got.get(name) == value, (url, name, got.get(name))
    try:
        urllib.request.urlopen(survey_url + "/survey/nope/")
    except urllib.error.HTTPError as e:
        assert e.code == 404 and e.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


def test_search_and_care_mode_work_under_the_policy(strict, base_url):
    page = strict
    found = violations(page)
    page.goto(base_url + "/sousuo/?q=低保")
    found_text(page, "#search-status", "找到")
    assert page.locator("#search-results > li").count() > 0
    # each excerpt comes from its page, fetched and parsed by the search page (connect-src 'self')
    assert page.locator("#search-results .excerpt mark").count() > 0
    page.click("#care-toggle")
    page.goto(base_url + "/bszn/")
    assert "care" in (page.locator("html").get_attribute("class") or "")     # care.js, before the first paint
    page.goto(base_url + "/zh-hant/sousuo/?q=低保")
    found_text(page, "#search-status", "找到")
    assert "<mark>" in page.locator("#search-results .excerpt").first.inner_html()
    assert found == []


def test_the_survey_form_and_staff_pages_work_under_the_policy(strict, survey_url):
    page = strict
    found = violations(page)
    page.goto(survey_url + "/survey/fwzx-myd-2026/")
    assert page.locator("form.survey-form").count() == 1
    page.goto(survey_url + "/survey/admin/login")
    name, password = SURVEY_STAFF
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("form.staff-login button[type=submit]")
    page.wait_for_url("**/survey/admin/")
    page.goto(survey_url + "/survey/admin/fwzx-myd-2026/")
    assert page.locator("h1").count() == 1
    assert found == []
