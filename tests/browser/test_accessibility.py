"""axe-core on one page of every template, and the W3C Nu HTML Checker on every page."""
from __future__ import annotations

import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import VNU

pytestmark = pytest.mark.slow(seconds=60)    # started first, longest first (tests/conftest.py)

# resultTypes: passes and incomplete results are summed up on one node each, not listed for
# every element (the tests read only the violations, which are listed in full): axe then takes
# about 40 % less time, 4 s less on the staff guide's 700-row tables.
ONLY_VIOLATIONS = {"resultTypes": ["violations"]}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, **ONLY_VIOLATIONS}

# One page per template (templates/*.html), plus a Traditional page and the report.
PAGES = [
    "/",                                      # home.html
    "/tzgg/",                                 # list.html
    "/tzgg/2026/",                            # list.html (archive)
    "/tzgg/2026/2026-myd-diaocha/",           # article.html (notice with attachment)
    "/xxgk/zcjd/jd-sqfw-2024-1/",             # article.html (interpretation)
    "/xxgk/",                                 # xxgk.html
    "/xxgk/zcwj/",                            # policies.html
    "/xxgk/zcwj/xh-ldrk-2012-1/",             # policy.html (repealed banner)
    "/bszn/",                                 # guides.html
    "/bszn/dibao/",                           # guide.html
    "/dwgk/",                                 # disclosure_index.html
    "/cwgk/huanghe/",                         # disclosure_community.html
    "/cwgk/huanghe/cw-szmx/2026-03/",         # disclosure.html (ledger)
    "/hdjl/",                                 # hdjl.html
    "/hdjl/myd/",                             # myd.html
    "/hdjl/pyjg/2026-huanghe-shuzhi/",        # evaluation.html
    "/hdjl/pyjg/2026-huanghe-niandu-shuzhi/", # evaluation.html (述职 results from its survey)
    "/hdjl/pyjg/fuwu-haocha/",                # result.html (好差评 with 差评整改)
    "/hdjl/sqdf/2025-ludeng/",                # appeal.html
    "/hdjl/liuyan/",                          # liuyan.html (居民留言 and 留言统计)
    "/sq/",                                   # communities.html
    "/sq/huanghe/",                           # community.html
    "/wza/",                                  # page.html
    "/sousuo/",                               # search.html
    "/404.html",                              # 404.html
    "/xxgk/jcbg/",                            # report.html
    "/xxgk/ndbg/2025/",                       # ndbg.html (政府信息公开工作年度报告)
    "/xxgk/jcbg/bjzn/",                       # staff_guide.html (编辑指南)
    "/xxgk/jcbg/bjzn/survey/",                # staff_guide_type.html (编辑指南: one content type)
    "/zh-hant/bszn/dibao/",                   # a Traditional page
    "/xxgk/ml/zw-dbgs/",                      # catalogue_item.html (标准目录 row and what it published)
    "/xxgk/zdly/shjz/",                       # sector.html (重点领域)
    "/jwgk/huanghe/zw-dbgs/2026-10/",         # disclosure.html with roster.html (masked list)
    "/xxgk/zqyj/",                            # consultations.html (征求意见)
    "/xxgk/zqyj/huanghe-jiazhuang-dianti-butie/",  # consultation.html (open: how to give an opinion)
    "/xxgk/fzr/",                             # officials.html (负责人信息)
    "/xxgk/xmt/",                             # new_media.html (政务新媒体 and their QR codes)
    "/xxgk/zn/",                              # xxgk_zn.html (信息公开指南)
    "/sq/jinzhu/jinzhucun/",                  # committee.html (a 村's own calendar)
    "/hdjl/yishi/",                           # proposals.html (议事会提案)
    "/hdjl/yishi/huanghe-laonian-zhucan/",    # proposal.html (三会一评 chain)
    "/hdjl/pyjg/changjiang-shuzhi-2026/",     # result.html (称职 scale, 弃权, online + paper ballots)
    "/hdjl/pyjg/qunzhong-myd-2026/",          # result.html (annual, pooled with last year)
]


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def tab(browser):
    """One desktop tab for the checks page by page: a browser context per page would cost
    half a second of CPU each (a renderer process), more than most pages' checks."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_wcag_21_aa_violations(tab, base_url, axe, url):
    tab.goto(base_url + url)
    results = axe.run(tab, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_care_mode_has_no_wcag_21_aa_violations(page, base_url, axe):
    page.goto(base_url + "/bszn/dibao/")
    page.click("#care-toggle")
    results = axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_search_results_have_no_wcag_21_aa_violations(page, base_url, axe):
    page.goto(base_url + "/sousuo/?q=低保")
    page.locator("#search-results > li").first.wait_for()
    results = axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_every_built_page_passes_the_nu_html_checker(site_dir, java):
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html", str(site_dir)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr[:4000]
    assert len(list(site_dir.rglob("*.html"))) > 800
