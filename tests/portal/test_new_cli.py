"""`python build.py new TYPE "标题"` (DESIGN §2): a scaffold derived from the schema. It is a
draft (`draft: true`), so it never stops a build and is never published; once the draft line
goes, `check` reports only the required fields and the body left to fill — never broken YAML."""
from __future__ import annotations

import re

import pytest

from portal import clock, schema
from portal.load import load_tree

EMPTY_KEY = re.compile(r"^([a-z_]+):\s*(#.*)?$")   # `key:  # 说明` — a required field to fill


def new(tree, *args: str):
    proc = tree.cli("new", *args, "--content", "content")
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc


def created_files(tree, before: set) -> list:
    return sorted(p for p in tree.root.rglob("*") if p.is_file() and p not in before)


def finish_draft(path) -> None:
    """What staff do when the text is ready (`false` keeps the line numbers of the file)."""
    text = path.read_text(encoding="utf-8")
    assert text.count("draft: true") == 1
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")


def test_new_notice_is_created_under_this_years_folder(tree):
    before = set(tree.root.rglob("*"))
    proc = new(tree, "notice", "关于停水的通知")
    assert proc.returncode == 0, proc.stderr
    [path] = created_files(tree, before)
    year = clock.today().year
    assert path.parent == tree.root / "tzgg" / str(year)
    assert path.relative_to(tree.base).as_posix() in proc.stderr
    assert 'title: "关于停水的通知"' in path.read_text(encoding="utf-8")


def test_new_notice_is_a_draft_that_never_stops_a_build_or_gets_published(tree, tmp_path):
    before = set(tree.root.rglob("*"))
    assert new(tree, "notice", "关于停水的通知").returncode == 0
    [path] = created_files(tree, before)
    assert path.read_text(encoding="utf-8").split("\n")[2].startswith("draft: true")
    assert tree.errors() == []
    assert any("在这里用 Markdown 书写正文。" in w and w.endswith("（草稿，暂不发布）") for w in tree.lines())
    result = tree.cli("build", "--content", "content", "--out", str(tmp_path / "site"), "--today", "2026-04-06")
    assert result.returncode == 0 and "有 1 个草稿（draft: true）不会发布" in result.stderr
    assert "关于停水的通知" not in (tmp_path / "site" / "tzgg" / "index.html").read_text(encoding="utf-8")
    assert "/tzgg/" not in "".join(u for u in tree.read("published-urls.txt").split("\n") if path.stem in u)


@pytest.mark.parametrize("type_name", ["notice", "news", "policy", "interpretation", "guide",
                                       "appeal", "evaluation", "page", "community"])
def test_new_file_is_reported_only_as_required_fields_left_to_fill(tree, type_name):
    before = set(tree.root.rglob("*"))
    assert new(tree, type_name, "测试标题").returncode == 0
    [path] = created_files(tree, before)
    shown = path.relative_to(tree.base).as_posix()
    ctype = schema.BY_NAME[type_name]
    if ctype.field("draft"):
        assert tree.errors() == []
        finish_draft(path)
    expected = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        m = EMPTY_KEY.match(line)
        if m:
            f = ctype.field(m[1])
            assert f is not None and f.required, f"scaffold leaves optional {m[1]} uncommented"
            expected.append(f"{shown}:{n}: 错误: {m[1]}（{f.label}）: 必填字段，不能缺少")
        if line.startswith("在这里用 Markdown 书写"):
            expected.append(f"{shown}:{n}: 错误: 还留着“{line}”这句说明：请换成真正的内容")
    assert tree.errors() == expected
    text = path.read_text(encoding="utf-8")
    for f in ctype.fields:
        if f.required:  # every required field is there: filled in, or an empty key to fill
            assert re.search(rf"^{f.key}:", text, re.M), f"{f.key} missing from the scaffold"


def test_new_guide_leaves_its_required_fields_to_fill(tree):
    assert new(tree, "guide", "新事项", "--id", "xin-shixiang").returncode == 0
    finish_draft(tree.path("bszn/xin-shixiang.md"))
    errors = tree.errors()
    assert errors and all(e.startswith("content/bszn/xin-shixiang.md:") for e in errors)
    assert all(e.endswith(("必填字段，不能缺少", "这句说明：请换成真正的内容")) for e in errors)
    assert not any("YAML" in e for e in errors)
    assert any(": 错误: reviewed（审核日期）: " in e for e in errors)


def test_new_keeps_a_title_with_quotes_and_colons_intact(tree):
    title = '关于“测试”的 "通知": 第1号 #2'
    assert new(tree, "notice", title, "--id", "quoted").returncode == 0
    doc = next(d for d in load_tree(tree.root).docs if d.rel.endswith("/quoted.md"))
    assert doc.data["title"] == title


def test_new_twice_on_one_day_does_not_overwrite(tree):
    assert new(tree, "notice", "第一条").returncode == 0
    assert new(tree, "notice", "第二条").returncode == 0
    texts = sorted(p.read_text(encoding="utf-8") for p in tree.root.glob("tzgg/*/*.md")
                   if p.name != "tz-one.md")
    assert len(texts) == 2 and any("第一条" in t for t in texts) and any("第二条" in t for t in texts)


def test_new_with_an_existing_id_refuses_and_keeps_the_file(tree):
    year = clock.today().year
    target = tree.write(f"tzgg/{year}/taken.md", "原来的内容\n")
    proc = new(tree, "notice", "标题", "--id", "taken")
    assert proc.returncode == 2
    assert "已存在，未覆盖" in proc.stderr
    assert target.read_text(encoding="utf-8") == "原来的内容\n"


def test_new_with_unknown_type_exits_2_in_chinese_and_writes_nothing(tree):
    before = tree.snapshot()
    proc = new(tree, "memo", "标题")
    assert proc.returncode == 2
    assert "错误: 不认识的类型“memo”，可选：notice、news、policy" in proc.stderr
    assert tree.snapshot() == before


@pytest.mark.parametrize("args, message", [
    (("notice", "  "), "标题不能为空"),
    (("notice", "标题", "--id", "Bad_Id"), "文件名“Bad_Id”只能包含小写字母、数字和连字符"),
    (("disclosure", "三月收支"), "公开记录需要 --community、--item 和 --period"),
], ids=["empty-title", "bad-id", "disclosure-without-place"])
def test_new_with_bad_arguments_exits_2_in_chinese(tree, args, message):
    before = tree.snapshot()
    proc = new(tree, *args)
    assert proc.returncode == 2 and message in proc.stderr
    assert tree.snapshot() == before


def test_new_disclosure_record_goes_to_its_community_item_and_period(tree):
    proc = new(tree, "disclosure", "2026年4月收支明细", "--community", "hx", "--item", "cw-szmx",
               "--period", "2026-04")
    assert proc.returncode == 0, proc.stderr
    path = tree.path("disclosure/hx/cw-szmx/2026-04.md")
    assert path.exists()
    finish_draft(path)
    errors = tree.errors()
    assert errors and all(e.startswith("content/disclosure/hx/cw-szmx/2026-04.md:") for e in errors)
    assert all(e.endswith(("必填字段，不能缺少", "这句说明：请换成真正的内容")) for e in errors), errors
