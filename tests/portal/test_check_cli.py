"""`python build.py check` as staff run it (DESIGN §2): every class of content error comes out
as `path:line: 错误: key（中文名）: message`, all of them in one run, exit status 1, no
traceback, nothing written. Each test breaks exactly one thing in the minimal valid tree."""
from __future__ import annotations

import os
import subprocess

import pytest


def reported(proc: subprocess.CompletedProcess) -> list[str]:
    """The error lines of a failed check, after asserting the parts of the contract every
    failure shares: exit 1, no traceback, a count that matches the lines."""
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert proc.returncode == 1, out
    errors = [line for line in out.splitlines() if ": 错误: " in line]
    assert f"共 {len(errors)} 个错误" in out, out
    return errors


def test_minimal_tree_checks_clean(tree):
    proc = tree.cli_check()
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "校验通过。"


# --- field values ----------------------------------------------------------------------------

def test_integer_field_given_text_reports_key_label_and_line(tree):
    tree.edit("site.yaml", "per_page: 20", "per_page: 二十")
    assert reported(tree.cli_check()) == [
        "content/site.yaml:12: 错误: per_page（每页条数）: 应为整数，而不是“二十”"]


def test_misspelt_key_suggests_the_field_it_resembles(tree):
    tree.edit("tzgg/2026/tz-one.md", "title: 关于测试的通知", "titel: 关于测试的通知")
    assert reported(tree.cli_check()) == [
        "content/tzgg/2026/tz-one.md:2: 错误: titel: 不认识的字段，是否想写 title？",
        # the title itself is then missing; reported at the mapping's first line
        "content/tzgg/2026/tz-one.md:2: 错误: title（标题）: 必填字段，不能缺少",
    ]


def test_unknown_key_far_from_any_field_gets_no_suggestion(tree):
    tree.edit("zcjd/jd-one.md", "interpreter: 测试区民政局", "interpreter: 测试区民政局\nzzz: 1")
    assert reported(tree.cli_check()) == ["content/zcjd/jd-one.md:6: 错误: zzz: 不认识的字段"]


def test_missing_required_field_is_reported_at_the_mapping_line(tree):
    tree.edit("zcwj/zc-one.md", "doc_number: 测府办发〔2026〕1号\n", "")
    assert reported(tree.cli_check()) == [
        "content/zcwj/zc-one.md:2: 错误: doc_number（文号）: 必填字段，不能缺少"]


def test_missing_nested_field_is_reported_at_its_parent_key(tree):
    tree.edit("communities/hx.yaml", "  address: 测试路2号\n", "")
    assert reported(tree.cli_check()) == [
        "content/communities/hx.yaml:7: 错误: centre.address（地址）: 必填字段，不能缺少"]


def test_missing_field_in_a_list_item_is_reported_at_the_item(tree):
    tree.edit("communities/hx.yaml", "      name: 社会保障\n", "")
    assert reported(tree.cli_check()) == [
        "content/communities/hx.yaml:15: 错误: centre.windows[2].name（窗口名称）: 必填字段，不能缺少"]


@pytest.mark.parametrize("bad, message", [
    ("2026-02-30", "“2026-02-30”不是存在的日期"),
    ("2026/03/20", "日期格式应为 YYYY-MM-DD（如 2026-03-01），而不是“2026/03/20”，是否想写 2026-03-20？"),
], ids=["impossible-day", "slashes"])
def test_bad_date_reports_its_line_and_the_format(tree, bad, message):
    tree.edit("sqdf/sq-one.md", "received: 2026-03-20", f"received: {bad}")
    assert reported(tree.cli_check()) == [
        f"content/sqdf/sq-one.md:4: 错误: received（受理日期）: {message}"]


@pytest.mark.parametrize("bad, message", [
    ("2026-13-01 09:00", "“2026-13-01 09:00”不是存在的日期或时间"),
    ("2026-03-02 24:30", "“2026-03-02 24:30”不是存在的日期或时间"),
    ("2026/03/01", "日期格式应为 YYYY-MM-DD HH:MM（如 2026-03-01 09:30），而不是“2026/03/01”，是否想写 2026-03-01 09:00（时间请按实际填写）？"),
    ("2026-03-02", "日期格式应为 YYYY-MM-DD HH:MM（如 2026-03-01 09:30），而不是“2026-03-02”，是否想写 2026-03-02 09:00（时间请按实际填写）？"),
], ids=["month-13", "hour-24", "slashes", "no-time"])
def test_bad_datetime_reports_its_line_and_the_format(tree, bad, message):
    tree.edit("tzgg/2026/tz-one.md", "published: 2026-03-30 09:00", f"published: {bad}")
    assert reported(tree.cli_check()) == [
        f"content/tzgg/2026/tz-one.md:3: 错误: published（发布时间）: {message}"]


def test_bad_enum_value_lists_the_choices(tree):
    tree.edit("tzgg/2026/tz-one.md", "kind: 通知", "kind: 通报")
    assert reported(tree.cli_check()) == [
        "content/tzgg/2026/tz-one.md:5: 错误: kind（类别）: “通报”不是可选值，可选：通知、公告、公示、提示"]


# --- references between items ----------------------------------------------------------------

@pytest.mark.parametrize("rel, old, new, expected", [
    ("tzgg/2026/tz-one.md", "community: hx", "community: hd",
     "content/tzgg/2026/tz-one.md:4: 错误: community（所属社区）: 找不到编号为“hd”的社区"),
    ("bszn/bz-one.md", "    policy: zc-one", "    policy: zc-two",
     "content/bszn/bz-one.md:9: 错误: basis[1].policy（对应文件）: 找不到编号为“zc-two”的政策文件"),
    ("zcwj/zc-one.md", "index_no: TEST/2026-1\n", "index_no: TEST/2026-1\nsuperseded_by: zc-nine\n",
     "content/zcwj/zc-one.md:11: 错误: superseded_by（替代文件）: 找不到编号为“zc-nine”的政策文件"),
    ("tzgg/2026/tz-one.md", "  - zcwj/zc-one", "  - zcwj/zc-nine",
     "content/tzgg/2026/tz-one.md:8: 错误: related[1]（相关内容）: 找不到编号为“zcwj/zc-nine”的内容"
     "（写成 目录/文件名，如 zcwj/xh-sqfw-2024-1）"),
    ("zcjd/jd-one.md", "policy: zc-one", "policy: zc-nine",
     "content/zcjd/jd-one.md:4: 错误: policy（解读的文件）: 找不到编号为“zc-nine”的政策文件"),
], ids=["community", "guide-basis-policy", "superseded_by", "related", "interpretation-policy"])
def test_dangling_reference_names_key_and_missing_target(tree, rel, old, new, expected):
    tree.edit(rel, old, new)
    assert reported(tree.cli_check()) == [expected]


def test_guide_window_missing_from_its_community_centre(tree):
    tree.edit("bszn/bz-one.md", "windows:\n  - 1\n", "windows:\n  - 1\n  - 3\n")
    assert reported(tree.cli_check()) == [
        "content/bszn/bz-one.md:27: 错误: windows[2]（窗口号）: 河西社区服务中心没有 3 号窗口"]


def test_two_notices_with_the_same_stem_in_different_years_are_duplicates(tree):
    tree.write("tzgg/2025/tz-one.md", tree.read("tzgg/2026/tz-one.md"))
    assert reported(tree.cli_check()) == [
        "content/tzgg/2026/tz-one.md:1: 错误: 编号“tz-one”与 content/tzgg/2025/tz-one.md 重复："
        "同类内容的文件名不能相同"]


# --- files that cannot be read or parsed -------------------------------------------------------

def test_file_of_uncertain_encoding_reports_the_line_of_its_first_bad_byte(tree):
    # lines 1-4 are ASCII; FF is neither UTF-8 nor GB18030, so no encoding is certain (a whole
    # GBK file is read with a warning: test_encodings.py)
    text = ("---\ntitle: Test\npublished: 2026-03-02 09:00\ncommunity: hx\n"
            "source: 测试区民政局\nkind: 通知\nvalid_until: 2026-12-31\n---\n正文\n").encode()
    tree.write("tzgg/2026/tz-gbk.md", text.replace("民政局".encode(), b"\xff\xfe"))
    assert reported(tree.cli_check()) == [
        "content/tzgg/2026/tz-gbk.md:5: 错误: 文件不是 UTF-8 编码，请用 UTF-8 另存（如记事本“另存为”选择 UTF-8）"]


def test_symlink_to_a_file_outside_content_is_an_error_and_not_followed(tree):
    outside = tree.base / "outside.md"
    outside.write_text("---\ntitle: 不该公开的文件\npublished: 坏日期\n---\n秘密\n", encoding="utf-8")
    os.symlink(outside, tree.path("tzgg/2026/link.md"))
    proc = tree.cli_check()
    # named by the link (the file staff can see in content/), not by its target
    assert reported(proc) == [
        "content/tzgg/2026/link.md:1: 错误: 文件是指向 content/ 之外的链接，已拒绝读取"]
    assert "不该公开" not in proc.stderr and "坏日期" not in proc.stderr


def test_symlinked_folder_outside_content_is_an_error_and_not_followed(tree):
    (tree.base / "elsewhere").mkdir()
    (tree.base / "elsewhere/x.md").write_text("---\ntitle: 外部\npublished: 坏日期\n---\n", encoding="utf-8")
    os.symlink(tree.base / "elsewhere", tree.path("gzdt"))
    assert reported(tree.cli_check()) == [
        "content/gzdt:1: 错误: 目录是指向 content/ 之外的链接，已拒绝读取"]


def test_a_colon_in_a_value_is_named_at_its_line_with_the_line_quoted(tree):
    tree.edit("tzgg/2026/tz-one.md", "kind: 通知", "kind: 通知: 公告")
    assert reported(tree.cli_check()) == [
        "content/tzgg/2026/tz-one.md:5: 错误: 值里有英文冒号加空格“: ”，会被当成又一个字段：请把整个值放在英文引号里，"
        "应写成 kind: \"通知: 公告\""]


def test_unclosed_flow_list_reports_the_line_that_opens_it(tree):
    tree.edit("sqdf/sq-one.md", "channel: 来电", "channel: [来电")
    assert reported(tree.cli_check()) == [
        "content/sqdf/sq-one.md:5: 错误: 方括号 [ ] 没有配对，或方括号里的项之间少了英文逗号：请检查从这一行开始的 [ ]"]


@pytest.mark.parametrize("text, message", [
    ("标题：没有头部\n正文\n", "文件应以 --- 开头的 YAML 头部信息开始"),
    ("", "文件应以 --- 开头的 YAML 头部信息开始"),
    ("---\ntitle: 没有结束\n正文\n", "头部信息缺少结束的 --- 行"),
], ids=["no-front-matter", "empty-file", "unclosed-front-matter"])
def test_markdown_without_front_matter_is_reported(tree, text, message):
    tree.write("tzgg/2026/bare.md", text)
    assert reported(tree.cli_check()) == [f"content/tzgg/2026/bare.md:1: 错误: {message}"]


# --- disclosure records --------------------------------------------------------------------------

def test_bad_finance_csv_rows_report_their_csv_lines(tree):
    csv = "disclosure/hx/cw-szmx/2026-03.csv"
    tree.write(csv, tree.read(csv)
               + "2026-04-01,越期支出,,10.00,会计,2026-03-003\n"
               + "2026-03-20,两项都填,5.00,6.00,会计,2026-03-004\n"
               + "\n"
               + "2026-03-21,缺列,7.00\n"
               + "2026-03-22,金额写错,,十元,会计,2026-03-005\n")
    assert reported(tree.cli_check()) == [
        f"content/{csv}:4: 错误: 日期: 2026-04-01 不在公开期间 2026年3月 内",
        f"content/{csv}:5: 错误: 收入: 每行应只填收入或支出中的一项",
        f"content/{csv}:7: 错误: 应有 6 列，实际 3 列",
        f"content/{csv}:8: 错误: 支出: 金额应为非负数字，最多两位小数，而不是“十元”",
    ]


def test_finance_csv_with_a_wrong_header_names_the_expected_one(tree):
    tree.edit("disclosure/hx/cw-szmx/2026-03.csv", "日期,摘要,收入,支出,经办,凭证号", "日期,摘要,金额")
    assert reported(tree.cli_check()) == [
        "content/disclosure/hx/cw-szmx/2026-03.csv:1: 错误: 表头应为：日期,摘要,收入,支出,经办,凭证号"]


def test_disclosure_record_period_must_match_the_item_frequency(tree):
    record = tree.path("disclosure/hx/cw-szmx/2026-03.md")
    record.rename(record.with_name("2026Q1.md"))
    assert reported(tree.cli_check()) == [
        "content/disclosure/hx/cw-szmx/2026Q1.md:1: 错误: 文件名“2026Q1”不是每月公开的期间，应写成如 2026-03"]


# --- the run as a whole ----------------------------------------------------------------------------

def test_errors_in_three_files_are_all_reported_in_one_run(tree):
    tree.edit("site.yaml", "per_page: 20", "per_page: 二十")
    tree.edit("tzgg/2026/tz-one.md", "kind: 通知", "kind: 通报")
    tree.edit("zcjd/jd-one.md", "policy: zc-one", "policy: zc-nine")
    assert reported(tree.cli_check()) == [
        "content/site.yaml:12: 错误: per_page（每页条数）: 应为整数，而不是“二十”",
        "content/tzgg/2026/tz-one.md:5: 错误: kind（类别）: “通报”不是可选值，可选：通知、公告、公示、提示",
        "content/zcjd/jd-one.md:4: 错误: policy（解读的文件）: 找不到编号为“zc-nine”的政策文件",
    ]


def test_failed_check_writes_nothing_and_leaves_the_tree_untouched(tree):
    tree.edit("tzgg/2026/tz-one.md", "kind: 通知", "kind: 通报")
    tree.write("sqdf/sq-gbk.md", "---\ntitle: 编码\n---\n".encode("gbk") + b"\xff")   # no certain encoding
    before = tree.snapshot()
    proc = tree.cli_check(content="content")
    assert len(reported(proc)) == 2
    assert tree.snapshot() == before
    assert not (tree.base / "site").exists()
    assert not list(tree.base.glob(".site*"))


def test_passing_check_writes_nothing_either(tree):
    before = tree.snapshot()
    assert tree.cli_check(content="content").returncode == 0
    assert tree.snapshot() == before


def test_paths_outside_the_working_directory_are_shown_in_full(tree):
    tree.edit("tzgg/2026/tz-one.md", "kind: 通知", "kind: 通报")
    proc = tree.cli_check(cwd=tree.project)
    [line] = reported(proc)
    assert line.startswith(f"{tree.root.as_posix()}/tzgg/2026/tz-one.md:5: 错误: kind（类别）: ")


def test_missing_content_folder_is_a_content_error(tree):
    proc = tree.cli_check(content="nowhere")
    assert "nowhere:1: 错误: 找不到内容目录" in reported(proc)


@pytest.mark.parametrize("args", [
    ("check", "--today", "2026-99-99"),
    ("check", "--today", "2026/04/06"),
    ("frobnicate",),
    ("check", "--no-such-option"),
], ids=["impossible-today", "today-with-slashes", "unknown-command", "unknown-option"])
def test_usage_errors_exit_2_without_traceback(tree, args):
    proc = tree.cli(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tree.base / "site").exists()


def test_bad_today_names_the_expected_format_in_chinese(tree):
    proc = tree.cli("check", "--today", "2026-99-99")
    assert "日期格式应为 YYYY-MM-DD，而不是“2026-99-99”" in proc.stderr
