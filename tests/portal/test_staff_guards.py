"""Guards staff asked for (issue 15): a 公示 shorter than its kind's minimum period, an 已办结
appeal without a reply, a guide whose text states a time limit its promised_limit does not.
Each on the minimal tree (tests/portal/conftest.py), with the file, line, field and message."""
from __future__ import annotations

import pytest

from portal.stated_limits import chinese_number

NOTICE = """\
---
title: {title}
published: 2026-03-30 09:00
community: hx
kind: 公示
notice_period:
  start: {start}
  end: {end}
objection: 有异议请拨打 0851-00000002
---
公示内容。
"""
END_LINE = 8


def write_notice(tree, title: str, start: str, end: str) -> str:
    tree.write("tzgg/2026/gs.md", NOTICE.format(title=title, start=start, end=end))
    return "content/tzgg/2026/gs.md"


def test_dibao_notice_shorter_than_7_days_is_an_error_at_its_end_date(tree):
    shown = write_notice(tree, "河西社区2026年第一批低保对象公示", "2026-03-30", "2026-04-03")
    assert tree.errors() == [
        f"{shown}:{END_LINE}: 错误: notice_period.end（结束日期）: 最低生活保障公示的公示期不少于 7 天"
        "（《最低生活保障审核确认办法》），这里从 2026-03-30 到 2026-04-03 只有 5 天：结束日期最早应为 2026-04-05"]


def test_dibao_notice_of_exactly_7_days_passes(tree):
    write_notice(tree, "河西社区最低生活保障拟保障对象公示", "2026-03-30", "2026-04-05")
    assert tree.errors() == []


def test_party_member_notice_counts_working_days_around_qingming(tree):
    # 2026-04-04..06 are the 清明 holiday: 04-01..04-07 holds 4 working days, not 5.
    shown = write_notice(tree, "河西社区党委发展党员公示", "2026-04-01", "2026-04-07")
    [error] = tree.errors()
    assert error.startswith(f"{shown}:{END_LINE}: 错误: notice_period.end（结束日期）: 发展党员公示的公示期不少于 5 个工作日")
    assert error.endswith("这里从 2026-04-01 到 2026-04-07 只有 4 个工作日：结束日期最早应为 2026-04-08")
    write_notice(tree, "河西社区党委发展党员公示", "2026-04-01", "2026-04-08")
    assert tree.errors() == []


def test_a_notice_no_minimum_names_is_not_held_to_one(tree):
    write_notice(tree, "河西社区民生实事项目公示", "2026-04-01", "2026-04-02")
    assert tree.errors() == []


def test_site_yaml_minimums_replace_the_national_defaults(tree):
    tree.edit("site.yaml", "per_page: 20\n", """\
per_page: 20
notice_minimums:
  - name: 议事会成员候选人公示
    keywords: [候选人]
    days: 5
    workdays: true
    basis: 《测试区居民议事会工作规程》
""")
    shown = write_notice(tree, "河西社区议事会成员候选人公示", "2026-03-30", "2026-04-01")
    assert tree.errors() == [
        f"{shown}:{END_LINE}: 错误: notice_period.end（结束日期）: 议事会成员候选人公示的公示期不少于 5 个工作日"
        "（《测试区居民议事会工作规程》），这里从 2026-03-30 到 2026-04-01 只有 3 个工作日：结束日期最早应为 2026-04-03"]
    write_notice(tree, "河西社区低保对象公示", "2026-03-30", "2026-04-01")   # the defaults no longer apply
    assert tree.errors() == []


def test_a_bad_minimum_in_site_yaml_is_reported_there(tree):
    tree.edit("site.yaml", "per_page: 20\n", "per_page: 20\nnotice_minimums:\n  - name: 低保公示\n    days: 七天\n")
    errors = tree.errors()
    assert errors == ["content/site.yaml:14: 错误: notice_minimums[1].keywords（标题关键词）: 必填字段，不能缺少",
                      "content/site.yaml:15: 错误: notice_minimums[1].days（最短天数）: 应为整数，而不是“七天”"]


def test_finished_appeal_without_a_reply_is_an_error_at_its_status(tree):
    tree.edit("sqdf/sq-one.md", "---\n已修复。\n", "---\n\n")
    assert tree.errors() == ["content/sqdf/sq-one.md:7: 错误: status（办理状态）: "
                             "已办结的诉求必须公开答复内容：请在文件末尾的 --- 下面写明办理结果和答复"]


def test_appeal_in_progress_may_have_no_reply_yet(tree):
    tree.edit("sqdf/sq-one.md", "status: 已办结\nreplied: 2026-03-24\n", "status: 办理中\n")
    tree.edit("sqdf/sq-one.md", "---\n已修复。\n", "---\n")
    assert tree.errors() == []


def test_guide_text_stating_another_time_limit_is_a_warning_at_that_line(tree):
    tree.edit("bszn/bz-one.md", "kind: 即办件\npromised_limit: 0\n", "kind: 承诺件\npromised_limit: 10\n")
    tree.edit("bszn/bz-one.md", "补充说明。\n", "补充说明。\n\n材料齐全的，20个工作日内办结。\n")
    warnings = [line for line in tree.lines() if "承诺时限" in line]
    assert warnings == ["content/bszn/bz-one.md:31: 警告: promised_limit（承诺时限（工作日））: "
                        "正文写的是“20个工作日内办结”，但承诺时限（promised_limit）是 10 个工作日："
                        "请改成一致，居民以页面上写的时限为准"]


@pytest.mark.parametrize("text", [
    "材料齐全的，十个工作日内办结。",
    "承诺时限：10 个工作日。",
    "| 审核 | 30 个工作日内 |\n| 送达 | 办结后 1 个工作日内 |",      # a step's limit is not the guide's
], ids=["same-in-chinese-numerals", "same-stated-as-promise", "steps-table"])
def test_guide_text_agreeing_with_its_limit_is_not_warned(tree, text):
    tree.edit("bszn/bz-one.md", "kind: 即办件\npromised_limit: 0\n", "kind: 承诺件\npromised_limit: 10\n")
    tree.edit("bszn/bz-one.md", "补充说明。\n", f"补充说明。\n\n{text}\n")
    assert not [line for line in tree.lines() if "承诺时限" in line]


def test_guide_step_stating_another_limit_is_warned_at_the_step(tree):
    tree.edit("bszn/bz-one.md", "  - 出具证明\n", "  - 5个工作日内办结并出具证明\n")
    [warning] = [line for line in tree.lines() if "承诺时限" in line]
    assert warning.startswith("content/bszn/bz-one.md:19: 警告: process[2]（步骤）: 办理流程写的是“5个工作日内办结”")


@pytest.mark.parametrize("text, number", [("20", 20), ("二十", 20), ("十五", 15), ("十", 10), ("两", 2),
                                          ("一百二十", 120), ("三十", 30), ("多", None)])
def test_chinese_numbers_in_stated_limits(text, number):
    assert chinese_number(text) == number
