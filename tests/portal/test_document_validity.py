"""A document's validity is its own (STYLE habit 11): each validator returns its own problems,
a document with an error of its own is left out of the Site (so nothing is built or served
from it), and no other file's errors can hide or cause its errors."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from minimal_tree import TODAY

from portal.content import load_site

EMPTY_FRONT_MATTER = "---\n---\n正文。\n"
BROKEN_YAML = "---\ntitle: 坏的\npublished: [2026-03-30\n---\n正文。\n"
SURVEY = """\
id: s1
title: 测试问卷
kind: 满意度
opens: 2026-01-01
closes: 2030-12-31
access: invite
results: public
pages:
  - questions:
      - {id: q, type: scale5, label: 总体评价, required: true}
"""


def errors_of(tree, rel: str) -> list[str]:
    return [e for e in tree.errors() if e.startswith(f"content/{rel}:")]


def test_empty_front_matter_reports_its_errors_alone(tree):
    tree.write("tzgg/2026/empty.md", EMPTY_FRONT_MATTER)
    assert errors_of(tree, "tzgg/2026/empty.md") == [
        "content/tzgg/2026/empty.md:1: 错误: kind（类别）: 必填字段，不能缺少",
        "content/tzgg/2026/empty.md:1: 错误: published（发布时间）: 必填字段，不能缺少",
        "content/tzgg/2026/empty.md:1: 错误: title（标题）: 必填字段，不能缺少",
    ]


def test_empty_front_matter_reports_the_same_errors_after_an_earlier_broken_file(tree):
    tree.write("tzgg/2026/empty.md", EMPTY_FRONT_MATTER)
    alone = errors_of(tree, "tzgg/2026/empty.md")
    tree.write("tzgg/2026/a-broken.md", BROKEN_YAML)      # read first: sorts before empty.md
    assert errors_of(tree, "tzgg/2026/a-broken.md"), "the broken file reports itself"
    assert errors_of(tree, "tzgg/2026/empty.md") == alone


def test_survey_with_a_typo_in_access_is_reported_and_never_loaded(tree):
    tree.write("surveys/s1.yaml", SURVEY)
    site = tree.check().site
    assert site.surveys["s1"].access == "invite"
    tree.write("surveys/s1.yaml", SURVEY.replace("access: invite", "access: invitation"))
    result = tree.check()
    assert "content/surveys/s1.yaml:6: 错误: access（参与方式）: “invitation”不是可选值，可选：open、invite，是否想写 invite？" \
        in result.problems.lines()
    assert "s1" not in result.site.surveys and "s1" in result.site.broken_surveys


def test_survey_with_a_typo_in_results_is_never_loaded(tree):
    tree.write("surveys/s1.yaml", SURVEY.replace("results: public", "results: pubic"))
    site = tree.check().site
    assert "s1" not in site.surveys and "s1" in site.broken_surveys


def test_survey_naming_an_unknown_community_reports_the_line_and_is_not_loaded(tree):
    tree.write("surveys/s1.yaml", SURVEY.replace("kind: 满意度\n", "kind: 满意度\ncommunity: hedong\n"))
    result = tree.check()
    assert "content/surveys/s1.yaml:4: 错误: community（所属社区）: 找不到编号为“hedong”的社区" \
        in result.problems.lines()
    assert "s1" not in result.site.surveys


def test_item_with_a_field_error_is_left_out_of_the_site_and_named_broken(tree):
    tree.edit("bszn/bz-one.md", "visits: 1", "visits: 9")
    site = tree.check().site
    assert site.guide("bz-one") is None and "bszn/bz-one" in site.broken
    assert all(g.id != "bz-one" for g in site.by_type["guide"])


def test_item_with_an_unresolved_reference_is_left_out_but_its_targets_stay(tree):
    tree.edit("tzgg/2026/tz-one.md", "  - zcwj/zc-one", "  - zcwj/zc-none")
    result = tree.check()
    assert result.site.items.get("tzgg/tz-one") is None
    assert result.site.policy("zc-one") is not None


def test_reference_to_a_broken_item_is_not_reported_a_second_time(tree):
    tree.edit("zcwj/zc-one.md", "validity: 有效", "validity: 有郊")
    errors = tree.errors()
    assert [e for e in errors if "zc-one" in e and "找不到" in e] == []
    assert any(e.startswith("content/zcwj/zc-one.md:") for e in errors)


def test_catalogue_entry_with_an_error_is_left_out_and_its_records_are_not_reported_twice(tree):
    tree.edit("disclosure/catalogue.yaml", "      every: 每月", "      every: 每周")
    errors = tree.errors()
    assert any(e.startswith("content/disclosure/catalogue.yaml:8: 错误: items[1].schedule.every") for e in errors)
    assert not [e for e in errors if e.startswith("content/disclosure/hx/")]
    assert tree.check().site.catalogue == ()


def test_calendar_file_with_an_error_is_not_used(tree):
    closed = dt.date(2026, 4, 7)                       # a Tuesday the centre closes
    tree.write("calendar/2026.yaml", "year: 2026\nholidays:\n  - {date: 2026-04-07, name: 闭馆}\n")
    assert not tree.check().site.calendar.is_workday(closed)
    tree.write("calendar/2026.yaml", "year: 2026\nholidays:\n  - {date: 2026-04-07, name: 闭馆}\n"
               "workdays:\n  - {date: 2026-04-31, name: 调休}\n")
    result = tree.check()
    assert "content/calendar/2026.yaml:5: 错误: workdays[1].date（日期）: “2026-04-31”不是存在的日期" \
        in result.problems.lines()
    assert result.site.calendar.is_workday(closed)


def test_load_site_is_the_narrow_path_without_checks_or_pages(tree):
    site, problems = load_site(Path("content"), TODAY)
    assert site is not None and problems == []
    assert site.guide("bz-one").title == "居住证明办理"
    missing, problems = load_site(Path("nowhere"), TODAY)
    assert missing is None and [p.message for p in problems] == ["找不到内容目录"]
