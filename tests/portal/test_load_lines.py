"""The loader (portal.load): every key keeps the line it was written on, front matter lines
count from the top of the file, dates and yes/no stay text, and BOM / CRLF files read the same."""
from __future__ import annotations

from pathlib import Path

from portal.load import LineDict, LineList, load_tree, parse_yaml, read_csv


def doc(rel: str):
    tree = load_tree(Path("content"))
    assert tree.problems.items == []
    return next(d for d in tree.docs if d.rel == rel)


# --- line numbers ------------------------------------------------------------------------

def test_yaml_keys_keep_their_lines_in_nested_mappings_and_list_items(tree):
    data = doc("communities/hx.yaml").data
    assert data.line == 1
    assert data.lines["name"] == 1 and data.lines["centre"] == 7
    centre = data["centre"]
    assert isinstance(centre, LineDict)
    assert centre.lines["address"] == 9 and centre.lines["windows"] == 12
    windows = centre["windows"]
    assert isinstance(windows, LineList)
    assert windows.lines == [13, 15]
    assert windows[1].line == 15 and windows[1].lines == {"number": 15, "name": 16}
    assert data["committees"].lines == [4]


def test_front_matter_key_on_line_3_of_the_file_reports_line_3(tree):
    d = doc("tzgg/2026/tz-one.md")
    # line 1 is the opening ---, so title is on line 2 and published on line 3
    assert d.data.lines["title"] == 2
    assert d.data.lines["published"] == 3
    assert d.data["related"].lines == [8]
    assert d.body_line == 10 and d.body == "通知正文。\n"


def test_parse_yaml_offset_shifts_every_line(tree):
    data, problems = parse_yaml("a: 1\nb:\n  - x\n  - y\n", "f.md", offset=4)
    assert problems == []
    assert data.lines == {"a": 5, "b": 6} and data["b"].lines == [7, 8]


# --- scalars stay what staff wrote ------------------------------------------------------

def test_dates_and_datetimes_stay_strings(tree):
    data = doc("sqdf/sq-one.md").data
    assert data["received"] == "2026-03-20" and data["replied"] == "2026-03-24"
    assert data["published"] == "2026-03-25 09:00"
    assert all(isinstance(data[k], str) for k in ("received", "replied", "published"))


def test_yes_no_on_off_stay_strings_but_true_false_are_booleans():
    data, problems = parse_yaml("a: yes\nb: no\nc: on\nd: off\ne: Yes\nf: NO\ng: true\nh: false\n", "f.yaml")
    assert problems == []
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": "Yes", "f": "NO",
                    "g": True, "h": False}


def test_no_as_a_text_field_value_checks_clean(tree):
    tree.edit("sqdf/sq-one.md", "handler: 河西社区服务中心", "handler: no")
    assert tree.errors() == []
    assert doc("sqdf/sq-one.md").data["handler"] == "no"


# --- problems the loader reports -----------------------------------------------------------

def test_duplicate_key_is_reported_on_its_second_line():
    _, problems = parse_yaml("title: 一\nkind: 通知\ntitle: 二\n", "f.yaml")
    assert [p.format() for p in problems] == ["f.yaml:3: 错误: title: 同一个字段写了两次，请删除重复的一处"]


def test_duplicate_nested_key_is_reported_with_the_file_line(tree):
    tree.edit("communities/hx.yaml", "  phone: 0851-00000002\n",
              "  phone: 0851-00000002\n  phone: 0851-00000009\n")
    assert tree.errors() == [
        "content/communities/hx.yaml:12: 错误: phone: 同一个字段写了两次，请删除重复的一处"]


# --- encodings and line endings ---------------------------------------------------------------

def test_utf8_bom_is_ignored_and_lines_are_unchanged(tree):
    for rel in ("communities/hx.yaml", "tzgg/2026/tz-one.md"):
        p = tree.path(rel)
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    data = doc("communities/hx.yaml").data
    assert data["name"] == "河西社区"
    assert data.lines["name"] == 1 and data["centre"].lines["windows"] == 12
    notice = doc("tzgg/2026/tz-one.md")
    assert notice.data["title"] == "关于测试的通知" and notice.data.lines["published"] == 3
    assert tree.errors() == []


def test_crlf_line_endings_read_like_lf(tree):
    p = tree.path("tzgg/2026/tz-one.md")
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    d = doc("tzgg/2026/tz-one.md")
    assert d.data["title"] == "关于测试的通知"       # no stray \r in values
    assert d.data.lines["published"] == 3 and d.body == "通知正文。\n"
    assert tree.errors() == []


def test_bom_and_crlf_together_keep_error_lines(tree):
    # what Windows Notepad saves: both at once
    text = tree.read("sqdf/sq-one.md").replace("received: 2026-03-20", "received: 2026-02-30")
    tree.write("sqdf/sq-one.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert tree.errors() == [
        "content/sqdf/sq-one.md:4: 错误: received（受理日期）: “2026-02-30”不是存在的日期"]


def test_csv_rows_carry_their_file_lines_skipping_blank_ones():
    rows = read_csv("日期,摘要\n\n2026-03-01, 甲 \n,\n2026-03-02,乙\n")
    assert rows == [(1, ["日期", "摘要"]), (3, ["2026-03-01", "甲"]), (5, ["2026-03-02", "乙"])]
