"""Authoring without silent harm (issue 10): every realistic mistake in authoring_cases.py is an
error, a held-back item or a warning naming file and line, through the real `build.py` command;
and what drafts, 定时发布 and unpublished files do to a real build."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from authoring_cases import CASES, NOTICE, Case, append_body, cli, new_notice, replace
from sampletools import copy_sample, share_warm_cache

from portal import pipeline

TODAY = "2026-11-24"


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    share_warm_cache(tmp_path)
    return copy_sample(tmp_path / "content")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_authoring_mistake_is_reported_with_file_line_and_exit_status(content, capsys, case: Case):
    line = case.apply(content)
    code, out = cli(capsys, "check", "--today", TODAY)
    expected = case.expect.format(file=f"content/{case.file}", line=line if isinstance(line, int) else "")
    assert code == case.exit, out
    assert expected in out, out
    assert "Traceback" not in out


def built(content: Path, out: Path, preview: bool = False) -> pipeline.Result:
    result = pipeline.build(content, out, dt.date.fromisoformat(TODAY), record_urls=True, preview=preview)
    assert result.ok, "\n".join(result.problems.lines())
    return result


def test_a_scheduled_item_waits_and_is_listed_only_on_the_staff_report(content, tmp_path):
    new_notice(content, "published: 2026-12-20 09:00")
    out = tmp_path / "site"
    result = built(content, out)
    url = "/tzgg/2026/2026-tingshui/"
    assert not (out / url.strip("/") / "index.html").exists()
    for page in ("tzgg/index.html", "index.html", "feed.xml", "sitemap.xml"):
        assert "2026-tingshui" not in (out / page).read_text(encoding="utf-8"), page
    assert url not in (content / "published-urls.txt").read_text(encoding="utf-8")
    report = (out / "xxgk/jcbg/index.html").read_text(encoding="utf-8")
    assert "定时发布（1 条）" in report and "2026年12月20日 09:00" in report
    assert result.site is not None and [i.id for i in result.site.scheduled] == ["2026-tingshui"]
    on_the_day = pipeline.build(content, tmp_path / "day", dt.date(2026, 12, 20), record_urls=True)
    assert on_the_day.ok and (tmp_path / "day" / url.strip("/") / "index.html").exists()


def test_a_link_to_a_scheduled_item_says_when_it_goes_live(content, capsys):
    new_notice(content, "published: 2026-12-20 09:00")
    line = append_body(content, "tzgg/2026/2026-jiadian-ti.md", "详见[停水通知](/tzgg/2026/2026-tingshui/)。")
    code, out = cli(capsys, "check", "--today", TODAY)
    assert code == 1
    assert (f"content/tzgg/2026/2026-jiadian-ti.md:{line}: 错误: 链接 /tzgg/2026/2026-tingshui/ "
            "指向定时发布的内容（2026-12-20 09:00 发布）") in out


def test_a_draft_is_previewed_with_a_banner_never_built_and_never_recorded(content, tmp_path):
    replace(content, NOTICE, "kind: 通知", "kind: 通知\ndraft: true")
    urls = (content / "published-urls.txt").read_text(encoding="utf-8")
    (content / "published-urls.txt").write_text(urls.replace("/tzgg/2026/2026-yibao-jiaofei/\n", ""),
                                                encoding="utf-8")
    before = (content / "published-urls.txt").read_bytes()
    preview = tmp_path / "preview"
    built(content, preview, preview=True)
    page = (preview / "tzgg/2026/2026-yibao-jiaofei/index.html").read_text(encoding="utf-8")
    assert "<strong>草稿</strong>" in page
    assert (content / "published-urls.txt").read_bytes() == before          # a preview writes nothing
    real = tmp_path / "site"
    result = built(content, real)
    assert not (real / "tzgg/2026/2026-yibao-jiaofei").exists()
    assert result.site is not None and result.site.skipped_drafts == 1
    assert (content / "published-urls.txt").read_bytes() == before          # the draft was never recorded
    (content / NOTICE).unlink()                                               # deleting a draft breaks nothing
    built(content, tmp_path / "after")


def test_a_file_nothing_links_to_is_not_published(content, tmp_path):
    (content / "files" / "jiu-biaoge.txt").write_text("旧表格\n", encoding="utf-8")
    out = tmp_path / "site"
    built(content, out)
    assert not (out / "files" / "jiu-biaoge.txt").exists()
    assert (out / "files" / "dibao-shenqingshu.pdf").exists()


def test_a_file_linked_from_a_body_is_published(content, tmp_path):
    (content / "files" / "ditu.txt").write_text("服务中心位置\n", encoding="utf-8")
    append_body(content, NOTICE, "[服务中心位置](/files/ditu.txt)")
    out = tmp_path / "site"
    built(content, out)
    assert (out / "files" / "ditu.txt").exists()


def test_invisible_characters_never_reach_the_page_or_the_search_index(content, tmp_path):
    replace(content, NOTICE, "title: 关于", "title: 关于\u200b")
    out = tmp_path / "site"
    built(content, out)
    page = (out / "tzgg/2026/2026-yibao-jiaofei/index.html").read_text(encoding="utf-8")
    assert "关于开展2027年度" in page and "\u200b" not in page
    rows = [row for f in (out / "search/m").iterdir() for row in json.loads(f.read_text(encoding="utf-8"))]
    title = next(row[1] for row in rows if row[0] == "/tzgg/2026/2026-yibao-jiaofei/")
    assert "关于开展2027年度" in title and "\u200b" not in title


def test_raw_html_that_checks_clean_is_published_cleaned(content, tmp_path):
    append_body(content, NOTICE, "第一行<br>第二行 <sup>注</sup>")
    out = tmp_path / "site"
    built(content, out)
    page = (out / "tzgg/2026/2026-yibao-jiaofei/index.html").read_text(encoding="utf-8")
    assert "第一行<br>第二行 <sup>注</sup>" in page
