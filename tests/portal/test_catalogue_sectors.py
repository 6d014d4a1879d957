"""The 基层政务公开标准目录 (国办发〔2019〕54号) and the 重点领域 lists (issue 18): every column of
the catalogue on /xxgk/, one page per catalogue row with what was published under it, the
disclosure calendar for 主动 rows only, and 名单 tables checked (masked names, 合计) and shown."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from sampletools import sample

from portal import pipeline
from portal.schema import SECTORS

CATALOGUE = "disclosure/catalogue.yaml"
# Appended to the minimal tree's catalogue (13 lines): the entry starts at line 14.
ZW_ENTRY = """\
  - id: zw-dbgs
    domain: 政务
    sector: 社会救助
    name: 低保审核确认结果
    content: 低保对象名单和保障金额
    basis: 《最低生活保障审核确认办法》
    schedule:
      every: 每月
      within: 10
    subject: 河西社区服务中心
    channels:
      - 门户网站
    audience: 特定群体
    mode: 主动
    level: 乡级
    since: 2026-03-01
"""
SCHEDULE_LINE = 20
RECORD = "disclosure/hx/zw-dbgs/2026-03.md"
LIST = "disclosure/hx/zw-dbgs/2026-03.csv"
RECORD_TEXT = f"""\
---
title: 河西社区2026年3月低保对象公示
published: 2026-04-03 09:00
reviewed_by: 社区服务中心主任
roster: {LIST}
---
公示期间如有异议，请向社区服务中心反映。
"""
LIST_TEXT = """\
序号,户主姓名,家庭人口,保障金额（元）
1,张*明,3,620.00
2,李*,1,310.50
合计,,,930.50
"""


def with_sector(tree, entry: str = ZW_ENTRY, record: bool = True) -> None:
    tree.write(CATALOGUE, tree.read(CATALOGUE) + entry)
    if record:
        tree.write(RECORD, RECORD_TEXT)
        tree.write(LIST, LIST_TEXT)


def build(tree) -> Path:
    out = tree.base / "site"
    result = pipeline.build(Path("content"), out, dt.date(2026, 4, 6))
    assert result.ok, "\n".join(result.problems.lines())
    return out


def page(out: Path, url: str) -> str:
    return (out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


# --- 1. the 标准目录 ----------------------------------------------------------------------

def test_xxgk_shows_every_column_54hao_requires_and_links_each_row(tree):
    with_sector(tree)
    html = page(build(tree), "/xxgk/")
    for header in ("事项名称", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                   "公开对象", "公开方式", "公开层级"):
        assert f'<th scope="col">{header}</th>' in html
    assert 'data-label="公开对象">特定群体</td>' in html          # stacked into cards on a phone
    assert 'data-label="公开方式">主动</td>' in html and 'data-label="公开层级">乡级</td>' in html
    assert '<a href="/xxgk/ml/zw-dbgs/">低保审核确认结果</a>' in html
    assert '<a href="/xxgk/ml/cw-szmx/">1 期</a>' in html


def test_catalogue_row_page_lists_the_records_published_under_it(tree):
    with_sector(tree)
    html = page(build(tree), "/xxgk/ml/zw-dbgs/")
    assert "已公开内容（共 1 期）" in html and "河西社区2026年3月低保对象公示" in html
    assert "<th scope=\"row\">公开对象</th><td>特定群体</td>" in html
    assert '<a href="/xxgk/zdly/shjz/">' in html


def test_unknown_disclosure_mode_is_an_error_at_its_line(tree):
    with_sector(tree, ZW_ENTRY.replace("mode: 主动", "mode: 被动"), record=False)
    assert any(e.startswith("content/disclosure/catalogue.yaml:27: 错误: items[2].mode（公开方式）") and "依申请" in e
               for e in tree.errors()), tree.errors()


def test_sector_on_a_row_that_is_not_zhengwu_is_an_error(tree):
    with_sector(tree, ZW_ENTRY.replace("domain: 政务", "domain: 居务"), record=False)
    assert ("content/disclosure/catalogue.yaml:16: 错误: sector（重点领域）: 重点领域只用于政务公开事项：事项 zw-dbgs 的"
            "公开类别是“居务”，请把 domain 改为 政务，或删去 sector") in tree.errors()


def test_overdue_active_zhengwu_row_is_flagged_by_the_calendar(tree):
    with_sector(tree, ZW_ENTRY.replace("since: 2026-03-01", "since: 2026-02-01"))
    assert (f"content/disclosure/catalogue.yaml:{SCHEDULE_LINE}: 错误: schedule（公开时限）: 河西社区“低保审核确认结果”"
            "2026年2月应于 2026-03-13 前公开，至今未公开（应建 disclosure/hx/zw-dbgs/2026-02.md）") in tree.errors()


def test_on_request_row_is_never_due(tree):
    with_sector(tree, ZW_ENTRY.replace("since: 2026-03-01", "since: 2025-01-01").replace("mode: 主动", "mode: 依申请"),
                record=False)
    assert not [line for line in tree.lines() if "低保审核确认结果" in line]
    html = page(build(tree), "/xxgk/")
    assert '<a href="/survey/ysqgk/">申请公开</a>' in html


# --- 2. 重点领域 名单 ---------------------------------------------------------------------

def test_list_page_shows_masked_names_and_the_total(tree):
    with_sector(tree)
    out = build(tree)
    html = page(out, "/jwgk/hx/zw-dbgs/2026-03/")
    assert 'data-label="户主姓名">张*明</td>' in html
    assert '<th scope="col" class="num key">保障金额（元）</th>' in html
    assert '<tfoot>' in html and ">合计</th>" in html and ">930.50</td>" in html
    sector = page(out, "/xxgk/zdly/shjz/")
    assert "河西社区" in sector and '<a href="/jwgk/hx/zw-dbgs/2026-03/">2026年3月</a>' in sector
    assert '<a href="/xxgk/zdly/shjz/">社会救助</a>' in page(out, "/xxgk/zdly/")
    community = page(out, "/jwgk/hx/")                        # per community, with the calendar's state
    assert "低保审核确认结果" in community and '<a href="/jwgk/hx/zw-dbgs/2026-03/">' in community


def test_list_is_offered_as_the_csv_of_what_the_page_shows(tree):
    """The download is made from the checked list (header, rows, 合计), never the file as
    saved: a workbook's other sheets or hidden columns are not published."""
    with_sector(tree)
    out = build(tree)
    assert '<a href="/data/disclosure/hx/zw-dbgs/2026-03.csv" download>下载名单（CSV）</a>' in \
        page(out, "/jwgk/hx/zw-dbgs/2026-03/")
    data = (out / "data/disclosure/hx/zw-dbgs/2026-03.csv").read_bytes()
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert "张*明" in lines[1] and lines[-1].startswith("合计,") and lines[-1].endswith("930.50")


def test_full_name_in_a_list_is_an_error_at_its_row(tree):
    with_sector(tree)
    tree.edit(LIST, "2,李*,1", "2,李小红,1")
    assert ("content/disclosure/hx/zw-dbgs/2026-03.csv:3: 错误: 第 2 列: 姓名“李小红”未隐去部分字，"
            "公示时应写成“李*红”这样的形式") in tree.errors()


def test_list_total_must_add_up(tree):
    with_sector(tree)
    tree.edit(LIST, "合计,,,930.50", "合计,,,950.50")
    assert ("content/disclosure/hx/zw-dbgs/2026-03.csv:4: 错误: 第 4 列: 合计行的“保障金额（元）”是 950.50，"
            "但上面各行相加是 930.50，两者不一致，请核对") in tree.errors()


def test_list_with_amounts_needs_a_total_row(tree):
    with_sector(tree)
    tree.edit(LIST, "合计,,,930.50\n", "")
    assert ("content/disclosure/hx/zw-dbgs/2026-03.csv:3: 错误: 名单有金额列，最后应有一行合计（第一列写“合计”，"
            "金额列写合计数），各行相加为 930.50") in tree.errors()


def test_list_needs_a_name_column(tree):
    with_sector(tree)
    tree.edit(LIST, "序号,户主姓名,", "序号,户号,")
    assert ("content/disclosure/hx/zw-dbgs/2026-03.csv:1: 错误: 名单应有一列姓名（表头如“姓名”“户主姓名”“申请人”），"
            "公示须能识别对象") in tree.errors()


def test_id_number_in_a_list_is_caught_by_the_privacy_scan(tree):
    with_sector(tree)
    tree.edit(LIST, "2,李*,1,310.50", "2,李*,1,310.50,11010519491231002X")
    errors = [e for e in tree.errors() if e.startswith("content/disclosure/hx/zw-dbgs/2026-03.csv:3: 错误:")]
    assert any("身份证号" in e for e in errors), errors


def test_list_from_a_workbook_names_the_cell(tree):
    with_sector(tree)
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in (["2026年3月低保对象名单"], ["序号", "姓名", "保障金额（元）"], [1, "王大明", 620], ["合计", None, 620]):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    tree.path(LIST).unlink()
    tree.write("disclosure/hx/zw-dbgs/2026-03.xlsx", data.getvalue())
    tree.edit(RECORD, "2026-03.csv", "2026-03.xlsx")
    assert ("content/disclosure/hx/zw-dbgs/2026-03.xlsx:3: 错误: 工作表“名单”第 3 行 B 列: 姓名“王大明”未隐去部分字，"
            "公示时应写成“王*明”这样的形式") in tree.errors()


def test_sample_catalogue_covers_the_sectors_with_several_periods():
    result = pipeline.check(sample(), dt.date(2026, 11, 24))
    site = result.site
    assert site is not None
    for sector in SECTORS:
        entries = [c for c in site.catalogue if c.get("sector") == sector and c.mode == "主动"]
        assert entries, sector
        periods = {r.period.code for c in entries for r in site.by_type["disclosure"] if r.item == c.id}
        assert len(periods) >= 2, sector
    rosters = [k for k in site.rosters]
    assert len(rosters) >= 30
    assert all(c.get("level") and c.get("mode") for c in site.catalogue)
