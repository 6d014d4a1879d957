"""重大决策预公开 / 征求意见 (issue 18): an opinion period, how to give an opinion, and the 采纳情况
once the period has ended (a warning first, an error ADOPTION_DAYS working days after)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from portal import pipeline

FILE = "zqyj/tingche.md"
PATH = f"content/{FILE}"
TEXT = """\
---
title: 关于停车管理方案征求意见的公告
published: 2026-03-02 09:00
community: hx
drafter: 河西社区服务中心
period:
  start: 2026-03-02
  end: 2026-04-30
---
停车管理方案草案。
"""
ADOPTION = """\
adoption:
  published: 2026-05-10
  received: 9
  adopted: 3
  summary: 采纳了3条意见。
"""


def write(tree, start: str = "2026-03-02", end: str = "2026-04-30", adoption: str = "") -> None:
    tree.write(FILE, TEXT.replace("start: 2026-03-02", f"start: {start}").replace("end: 2026-04-30", f"end: {end}")
               .replace("---\n停车", adoption + "---\n停车"))


def page(out: Path, url: str) -> str:
    return (out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def test_open_consultation_is_listed_with_how_to_give_an_opinion_and_on_the_community_page(tree):
    write(tree)
    out = tree.base / "site"
    result = pipeline.build(Path("content"), out, dt.date(2026, 4, 6))
    assert result.ok, "\n".join(result.problems.lines())
    listing = page(out, "/xxgk/zqyj/")
    assert '<a href="/xxgk/zqyj/tingche/">关于停车管理方案征求意见的公告</a>' in listing and "征求意见中" in listing
    item = page(out, "/xxgk/zqyj/tingche/")
    assert "如何提出意见" in item and '<a href="/survey/liuyan/">我要留言</a>' in item
    assert "2026年3月2日 至 2026年4月30日" in item
    assert "正在征求意见" in page(out, "/sq/hx/") and '<a href="/xxgk/zqyj/">重大决策预公开</a>' in page(out, "/xxgk/")


def test_adoption_is_shown_once_published(tree):
    write(tree, "2026-02-02", "2026-03-03", ADOPTION.replace("2026-05-10", "2026-03-20"))
    out = tree.base / "site"
    assert pipeline.build(Path("content"), out, dt.date(2026, 4, 6)).ok
    item = page(out, "/xxgk/zqyj/tingche/")
    assert "意见采纳情况" in item and "共收到意见 9 条，采纳 3 条" in item
    assert "已公布采纳情况" in page(out, "/xxgk/zqyj/")


def test_ended_period_without_adoption_warns_first(tree):
    write(tree, "2026-03-02", "2026-03-31")
    lines = [line for line in tree.lines() if line.startswith(PATH)]
    assert lines == [f"{PATH}:8: 警告: adoption（采纳情况）: 征求意见已于 2026-03-31 截止，应在 2026-04-22 前公布采纳情况："
                     "请填写 adoption（采纳情况：公布日期、收到意见条数、采纳条数和说明）"]


def test_adoption_missing_past_the_working_days_is_an_error(tree):
    write(tree, "2026-02-02", "2026-03-03")
    assert [e for e in tree.errors() if e.startswith(PATH)] == [
        f"{PATH}:8: 错误: adoption（采纳情况）: 征求意见已于 2026-03-03 截止，已超过 2026-03-24 前公布采纳情况："
        "请填写 adoption（采纳情况：公布日期、收到意见条数、采纳条数和说明）"]


def test_more_adopted_than_received_is_an_error(tree):
    write(tree, "2026-02-02", "2026-03-03", ADOPTION.replace("2026-05-10", "2026-03-20").replace("adopted: 3", "adopted: 12"))
    assert f"{PATH}:12: 错误: adoption.adopted（采纳（条））: 采纳 12 条，多于收到的 9 条意见" in tree.errors()


def test_adoption_before_the_period_ends_is_an_error(tree):
    write(tree, "2026-02-02", "2026-03-03", ADOPTION.replace("2026-05-10", "2026-03-01"))
    assert (f"{PATH}:10: 错误: adoption.published（公布日期）: 采纳情况应在征求意见期结束（2026-03-03）后公布，"
            "而不是 2026-03-01") in tree.errors()


def test_period_ending_before_it_starts_is_an_error(tree):
    write(tree, "2026-03-02", "2026-03-01")
    assert f"{PATH}:8: 错误: period.end（截止日期）: 截止日期 2026-03-01 早于开始日期 2026-03-02" in tree.errors()


def test_new_scaffolds_a_consultation_that_checks_once_filled_in(tree):
    from portal.scaffold import create
    path = create(tree.root, "征求意见", "关于停车方案的征求意见", dt.date(2026, 4, 6))
    assert path.parent == tree.root / "zqyj"
    text = path.read_text(encoding="utf-8")
    filled = []
    for line in text.split("\n"):
        if line.startswith("draft:"):
            continue
        if line.startswith("drafter:"):
            line = "drafter: 河西社区服务中心"
        elif line.startswith("  # start:"):
            line = "  start: 2026-04-06"
        elif line.startswith("  # end:"):
            line = "  end: 2026-05-06"
        filled.append(line.replace("在这里用 Markdown 书写征求意见稿说明。", "停车方案草案。"))
    path.write_text("\n".join(filled), encoding="utf-8")
    rel = path.relative_to(tree.base).as_posix()
    assert [line for line in tree.lines() if line.startswith(rel)] == []
