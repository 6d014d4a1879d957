"""The minimal valid tree (tests/portal/conftest.py) checks clean through the library, and the
model's cross-item rules find what breaks it: references, windows, page paths."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from portal.config import REQUIRED_COLUMNS


def test_minimal_tree_has_no_errors_and_no_warnings(tree):
    result = tree.check()
    assert result.ok
    assert result.problems.lines() == []


def test_minimal_tree_has_one_item_of_each_kind_it_declares(tree):
    site = tree.check().site
    counts = {t: len(items) for t, items in site.by_type.items() if items}
    assert counts == {"notice": 1, "policy": 1, "interpretation": 1, "guide": 1,
                      "disclosure": 1, "appeal": 1, "page": 1}
    assert list(site.communities) == ["hx"]
    assert [c.id for c in site.columns] == list(REQUIRED_COLUMNS)
    assert [i.id for i in site.interpretations["zc-one"]] == ["jd-one"]
    record = site.items["disclosure/hx/cw-szmx/2026-03"]
    assert record.community == "hx" and record.period.code == "2026-03"
    ledger = site.ledgers[record.key]
    assert (ledger.income, ledger.expense, ledger.balance) == (
        Decimal("5000.00"), Decimal("320.50"), Decimal("4679.50"))


def test_typed_values_come_out_of_the_validator(tree):
    site = tree.check().site
    notice = site.items["tzgg/tz-one"]
    assert notice.published == dt.datetime(2026, 3, 30, 9, 0)
    assert notice.valid_until == dt.date(2026, 12, 31)
    assert notice.related == ("zcwj/zc-one",)
    assert site.config.sample is False and site.config.per_page == 20


def test_each_missing_required_column_is_reported(tree):
    tree.edit("columns.yaml", "  - {id: sousuo, name: 站内搜索, path: /sousuo/}\n", "")
    tree.edit("columns.yaml", "  - {id: tese, name: 特色服务, path: /bszn/tese/, parent: bszn}\n", "")
    assert tree.errors() == ["content/columns.yaml:1: 错误: columns（栏目）: 缺少栏目 sousuo",
                             "content/columns.yaml:1: 错误: columns（栏目）: 缺少栏目 tese"]


def test_district_wide_guide_needs_its_window_in_every_centre(tree):
    tree.write("communities/hd.yaml", tree.read("communities/hx.yaml")
               .replace("河西", "河东").replace("    - number: 2\n      name: 社会保障\n", ""))
    tree.edit("bszn/bz-one.md", "community: hx", "community: district")
    tree.edit("bszn/bz-one.md", "windows:\n  - 1\n", "windows:\n  - 2\n")
    assert tree.errors() == [
        "content/bszn/bz-one.md:26: 错误: windows[1]（窗口号）: 河东社区服务中心没有 2 号窗口"]


def test_duplicate_window_numbers_in_a_centre_are_reported(tree):
    tree.edit("communities/hx.yaml", "    - number: 2\n", "    - number: 1\n")
    assert tree.errors() == [
        "content/communities/hx.yaml:15: 错误: centre.windows[2].number（窗口号）: 窗口号 1 重复"]


def test_page_on_a_column_path_is_reported(tree):
    tree.edit("pages/wza.md", "path: /wza/", "path: /tzgg/")
    assert tree.errors() == [
        "content/pages/wza.md:3: 错误: path（页面地址）: /tzgg/ 是系统栏目使用的地址，请换一个"]


def test_two_pages_with_one_path_are_reported(tree):
    tree.write("pages/wza-copy.md", tree.read("pages/wza.md"))
    assert tree.errors() == [
        "content/pages/wza.md:3: 错误: path（页面地址）: 页面地址 /wza/ 与 content/pages/wza-copy.md 重复"]


def test_community_reference_may_name_the_whole_district(tree):
    tree.edit("tzgg/2026/tz-one.md", "community: hx", "community: district")
    assert tree.errors() == []


def test_related_may_point_at_a_community(tree):
    tree.edit("tzgg/2026/tz-one.md", "  - zcwj/zc-one", "  - communities/hx")
    assert tree.errors() == []
