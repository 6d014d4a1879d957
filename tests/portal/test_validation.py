"""Every class of content error is reported as `path:line: 错误: key（中文名）: message`,
all in one run, never as a traceback (DESIGN §2)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal import pipeline
from portal.load import load_tree

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """A copy of the small valid tree; the working directory is its parent, so messages
    name files as content/…"""
    target = tmp_path / "content"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(tmp_path)
    return target


def problems(content: Path) -> list[str]:
    return pipeline.check(Path("content"), TODAY).problems.lines()


def errors(content: Path) -> list[str]:
    return [line for line in problems(content) if ": 错误: " in line]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True,
                          text=True, cwd=cwd)


# --- the valid tree and the loader ---------------------------------------------------

def test_minimal_tree_checks_clean(content):
    assert errors(content) == []


def test_loader_keeps_key_lines_for_front_matter_nested_keys_and_list_items(content):
    tree = load_tree(Path("content"))
    doc = next(d for d in tree.docs if d.rel == "tzgg/2026/n1.md")
    assert doc.data.lines["title"] == 2          # line 1 is the opening ---
    assert doc.data.lines["notice_period"] == 6
    assert doc.data["notice_period"].lines["start"] == 6
    assert doc.data["attachments"].lines == [9]
    assert doc.body_line == 12
    community = next(d for d in tree.docs if d.rel == "communities/aa.yaml")
    windows = community.data["centre"]["windows"]
    assert windows.lines == [11, 12] and windows[1].lines["name"] == 12


def test_loader_leaves_dates_and_yes_no_as_text(content):
    edit(content / "sqdf/a1.md", "handler: 甲社区服务中心", "handler: no")
    tree = load_tree(Path("content"))
    doc = next(d for d in tree.docs if d.rel == "sqdf/a1.md")
    assert doc.data["received"] == "2026-05-01" and doc.data["handler"] == "no"
    assert doc.data["published"] == "2026-05-06 09:00"


def test_bom_and_crlf_files_are_read(content):
    p = content / "sqdf/a1.md"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes().replace(b"\n", b"\r\n"))
    assert errors(content) == []


# --- one test per error class ----------------------------------------------------------

def test_wrong_type_reports_key_and_line(content):
    edit(content / "pyjg/e1.md", "attendees: 60", "attendees: 六十")
    assert errors(content) == ["content/pyjg/e1.md:8: 错误: attendees（参会人数）: 应为整数，而不是“六十”"]


def test_unknown_key_suggests_the_close_one(content):
    edit(content / "tzgg/2026/n1.md", "title: 测试通知", "titel: 测试通知")
    errs = errors(content)
    assert "content/tzgg/2026/n1.md:2: 错误: titel: 不认识的字段，是否想写 title？" in errs
    assert "content/tzgg/2026/n1.md:2: 错误: title（标题）: 必填字段，不能缺少" in errs


def test_missing_required_field_reports_the_mapping_line(content):
    edit(content / "zcwj/p1.md", "doc_number: 小府办发〔2026〕1号\n", "")
    assert errors(content) == ["content/zcwj/p1.md:2: 错误: doc_number（文号）: 必填字段，不能缺少"]


def test_missing_required_nested_field_reports_its_parent_line(content):
    edit(content / "communities/aa.yaml", "  address: 示例路1号\n", "")
    assert errors(content) == ["content/communities/aa.yaml:5: 错误: centre.address（地址）: 必填字段，不能缺少"]


@pytest.mark.parametrize("bad, message", [
    ("2026/11/20 09:00", "日期格式应为 YYYY-MM-DD HH:MM（如 2026-03-01 09:30），而不是“2026/11/20 09:00”"),
    ("2026-13-01 09:00", "“2026-13-01 09:00”不是存在的日期或时间"),
    ("2026-11-20", "日期格式应为 YYYY-MM-DD HH:MM（如 2026-03-01 09:30），而不是“2026-11-20”"),
])
def test_bad_datetime_names_the_format(content, bad, message):
    edit(content / "tzgg/2026/n1.md", "published: 2026-11-20 09:00", f"published: {bad}")
    assert errors(content) == [f"content/tzgg/2026/n1.md:3: 错误: published（发布时间）: {message}"]


def test_bad_date_names_the_format(content):
    edit(content / "sqdf/a1.md", "received: 2026-05-01", "received: 2026-02-30")
    assert errors(content) == ["content/sqdf/a1.md:4: 错误: received（受理日期）: “2026-02-30”不是存在的日期"]


def test_bad_enum_lists_the_choices(content):
    edit(content / "tzgg/2026/n1.md", "kind: 公示", "kind: 公函")
    assert errors(content) == ["content/tzgg/2026/n1.md:5: 错误: kind（类别）: “公函”不是可选值，可选：通知、公告、公示、提示"]


@pytest.mark.parametrize("file, old, new, expected", [
    ("tzgg/2026/n1.md", "community: aa", "community: bb",
     "content/tzgg/2026/n1.md:4: 错误: community（所属社区）: 找不到编号为“bb”的社区"),
    ("zcjd/j1.md", "policy: p1", "policy: p9",
     "content/zcjd/j1.md:4: 错误: policy（解读的文件）: 找不到编号为“p9”的政策文件"),
    ("zcwj/p0.md", "superseded_by: p1", "superseded_by: p2",
     "content/zcwj/p0.md:9: 错误: superseded_by（替代文件）: 找不到编号为“p2”的政策文件"),
    ("tzgg/2026/n1.md", "related: [zcwj/p1]", "related: [zcwj/p7]",
     "content/tzgg/2026/n1.md:10: 错误: related[1]（相关内容）: 找不到编号为“zcwj/p7”的内容"
     "（写成 目录/文件名，如 zcwj/xh-sqfw-2024-1）"),
    ("bszn/g1.md", "{title: 办法一, policy: p1}", "{title: 办法一, policy: p5}",
     "content/bszn/g1.md:6: 错误: basis[2].policy（对应文件）: 找不到编号为“p5”的政策文件"),
])
def test_dangling_reference_names_key_and_target(content, file, old, new, expected):
    edit(content / file, old, new)
    assert errors(content) == [expected]


def test_guide_window_missing_from_the_centre(content):
    edit(content / "bszn/g1.md", "windows: [1]", "windows: [1, 9]")
    assert errors(content) == ["content/bszn/g1.md:19: 错误: windows[2]（窗口号）: 甲社区服务中心没有 9 号窗口"]


def test_duplicate_ids_across_year_folders(content):
    (content / "tzgg/2025").mkdir()
    shutil.copy(content / "tzgg/2026/n1.md", content / "tzgg/2025/n1.md")
    errs = errors(content)
    assert len(errs) == 1
    assert errs[0].startswith("content/tzgg/2026/n1.md:1: 错误: 编号“n1”与 content/tzgg/2025/n1.md 重复")


def test_non_utf8_file_reports_the_line_of_the_first_bad_byte(content):
    p = content / "sqdf/a1.md"
    text = p.read_text(encoding="utf-8")
    p.write_bytes(text.encode("gbk"))
    errs = errors(content)
    assert errs == ["content/sqdf/a1.md:2: 错误: 文件不是 UTF-8 编码，请用 UTF-8 另存（如记事本“另存为”选择 UTF-8）"]


def test_symlink_leaving_the_content_tree_is_refused(content, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 机密\n---\n", encoding="utf-8")
    os.symlink(secret, content / "gzdt-link.md")
    (content / "gzdt").mkdir()
    os.symlink(secret, content / "gzdt" / "leak.md")
    errs = errors(content)
    assert "content/gzdt/leak.md:1: 错误: 文件是指向 content/ 之外的链接，已拒绝读取" in errs
    assert not any("机密" in e for e in errs)


def test_yaml_syntax_error_reports_the_parser_line(content):
    edit(content / "sqdf/a1.md", "channel: 来电", "channel: [来电")
    errs = errors(content)
    assert len(errs) == 1 and errs[0].startswith("content/sqdf/a1.md:6: 错误: YAML 格式错误")


def test_file_without_front_matter_is_reported(content):
    (content / "tzgg/2026/bare.md").write_text("只有正文\n", encoding="utf-8")
    assert errors(content) == ["content/tzgg/2026/bare.md:1: 错误: 文件应以 --- 开头的 YAML 头部信息开始"]


def test_duplicate_key_is_reported(content):
    edit(content / "sqdf/a1.md", "channel: 来电", "channel: 来电\nchannel: 来信")
    assert "content/sqdf/a1.md:6: 错误: channel: 同一个字段写了两次，请删除重复的一处" in errors(content)


def test_bad_finance_csv_rows_report_their_csv_line(content):
    csv = content / "disclosure/aa/cw-szmx/2026-03.csv"
    csv.write_text(csv.read_text(encoding="utf-8")
                   + "2026-04-01,越期,,10.00,会计,2026-03-003\n2026-03-09,两项都填,5.00,6.00,会计,2026-03-004\n",
                   encoding="utf-8")
    assert errors(content) == [
        "content/disclosure/aa/cw-szmx/2026-03.csv:4: 错误: 日期: 2026-04-01 不在公开期间 2026年3月 内",
        "content/disclosure/aa/cw-szmx/2026-03.csv:5: 错误: 收入: 每行应只填收入或支出中的一项",
    ]


def test_disclosure_period_must_match_the_item_frequency(content):
    src = content / "disclosure/aa/cw-szmx"
    shutil.copy(src / "2026-03.md", src / "2026Q1.md")
    errs = errors(content)
    assert errs == ["content/disclosure/aa/cw-szmx/2026Q1.md:1: 错误: 文件名“2026Q1”不是每月公开的期间，应写成如 2026-03"]


def test_file_in_an_unknown_folder_is_reported(content):
    (content / "tongzhi").mkdir()
    (content / "tongzhi/x.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert errors(content)[0].startswith("content/tongzhi/x.md:1: 错误: 不认识的内容位置")


# --- the CLI contract ---------------------------------------------------------------------

def test_all_errors_in_one_run_exit_1_and_check_writes_nothing(content, tmp_path):
    edit(content / "pyjg/e1.md", "attendees: 60", "attendees: 很多")
    edit(content / "tzgg/2026/n1.md", "kind: 公示", "kind: 公函")
    edit(content / "zcjd/j1.md", "policy: p1", "policy: p9")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    proc = run_cli("check", "--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if ": 错误: " in line]
    assert [line.split(":")[0] for line in lines] == [
        "content/pyjg/e1.md", "content/tzgg/2026/n1.md", "content/zcjd/j1.md"]
    assert "Traceback" not in proc.stderr and "共 3 个错误" in proc.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not (tmp_path / "site").exists()


def test_build_with_errors_exits_1_and_creates_no_output(content, tmp_path):
    edit(content / "tzgg/2026/n1.md", "kind: 公示", "kind: 公函")
    proc = run_cli("build", "--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 1 and not (tmp_path / "site").exists()


@pytest.mark.parametrize("args", [("check", "--today", "2026-99-99"), ("publish",), ("build", "--nope")])
def test_usage_errors_exit_2(content, tmp_path, args):
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_plain_build_command_builds_the_site(content, tmp_path):
    proc = run_cli("--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/index.html").exists() and (tmp_path / "site/tzgg/2026/n1/index.html").exists()


# --- new TYPE ---------------------------------------------------------------------------

def test_new_notice_scaffold_lists_only_the_fields_left_to_fill(content, tmp_path):
    proc = run_cli("new", "notice", "关于测试的通知", "--id", "ceshi", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    created = list((content / "tzgg").rglob("ceshi.md"))
    assert len(created) == 1 and "关于测试的通知" in created[0].read_text(encoding="utf-8")
    assert errors(content) == []


def test_new_guide_scaffold_reports_missing_required_fields_not_syntax(content, tmp_path):
    assert run_cli("new", "guide", "新事项", "--id", "xin", cwd=tmp_path).returncode == 0
    errs = errors(content)
    assert errs and all(e.startswith("content/bszn/xin.md:") for e in errs)
    assert all("必填字段" in e or "不能为空" in e for e in errs), errs
    assert not any("YAML" in e for e in errs)


def test_new_with_unknown_type_exits_2_in_chinese(content, tmp_path):
    proc = run_cli("new", "memo", "标题", cwd=tmp_path)
    assert proc.returncode == 2 and "不认识的类型" in proc.stderr
