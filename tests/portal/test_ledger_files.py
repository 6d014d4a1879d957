"""Finance ledgers as offices keep them (issue 15): an Excel workbook read directly (dates and
amounts as Excel stores them, a title row, a 合计 row checked against the rows), CSV in UTF-8 or
GBK, every problem at the file's row naming sheet and cell, and a clear message for any other
kind of file."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from minimal_tree import TODAY
from openpyxl import Workbook

from portal import pipeline

RECORD = "disclosure/hx/cw-szmx/2026-03.md"
CSV = "disclosure/hx/cw-szmx/2026-03.csv"
XLSX = "disclosure/hx/cw-szmx/2026-03.xlsx"
KEY = "disclosure/hx/cw-szmx/2026-03"
HEADER = ["日期", "摘要", "收入（元）", "支出（元）", "经办", "凭证号"]
ROWS = [
    ["河西社区2026年3月收支明细"],                          # 1: title
    ["单位：元"],                                            # 2
    HEADER,                                                  # 3
    [dt.datetime(2026, 3, 2), "区级拨付工作经费", 5000, None, "会计", "2026-03-001"],
    [dt.datetime(2026, 3, 16), "购买办公用品", None, 320.5, "会计", "2026-03-002"],
    ["2026/3/20", "打印耗材", None, "1,234.50", "会计", 20260303],
    ["合计", None, 5000, 1555.0],                           # 7
]


def workbook(rows: list[list], title: str = "收支", others: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    for name in others:
        book.create_sheet(name).append(["别的表"])
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)             # a datetime gets Excel's date format, as typed in Excel
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def use(tree, rel: str, data: bytes, extra: str = "") -> None:
    """The record's `data` names `rel` (written with `data`); the old CSV is gone."""
    tree.path(CSV).unlink()
    tree.write(rel, data)
    tree.edit(RECORD, f"data: {CSV}\n", f"data: {rel}\n{extra}")


def mine(tree, rel: str = XLSX) -> list[str]:
    return [line for line in tree.lines() if rel in line]


# --- Excel -------------------------------------------------------------------------------------

def test_workbook_with_date_and_number_cells_and_a_total_row_builds(tree):
    use(tree, XLSX, workbook(ROWS))
    result = pipeline.build(tree.root, tree.base / "site", TODAY)
    assert result.ok, result.problems.lines()
    assert [line for line in result.problems.lines() if "2026-03" in line] == []
    ledger = result.site.ledgers[KEY]
    assert [(r.date, r.income, r.expense, r.voucher) for r in ledger.rows] == [
        (dt.date(2026, 3, 2), Decimal("5000"), None, "2026-03-001"),
        (dt.date(2026, 3, 16), None, Decimal("320.50"), "2026-03-002"),
        (dt.date(2026, 3, 20), None, Decimal("1234.50"), "20260303"),
    ]                                                    # the 合计 row is not a transaction
    assert (ledger.income, ledger.expense) == (Decimal("5000"), Decimal("1555.00"))
    data = tree.base / "site/data/disclosure/hx/cw-szmx"
    assert ledger.downloads == ((f"/data/{XLSX}", "Excel"), (f"/data/{CSV}", "CSV"))
    assert (data / "2026-03.xlsx").read_bytes() == tree.path(XLSX).read_bytes()
    assert (data / "2026-03.csv").read_bytes().decode("utf-8-sig") == (
        "日期,摘要,收入,支出,经办,凭证号\r\n"
        "2026-03-02,区级拨付工作经费,5000.00,,会计,2026-03-001\r\n"
        "2026-03-16,购买办公用品,,320.50,会计,2026-03-002\r\n"
        "2026-03-20,打印耗材,,1234.50,会计,20260303\r\n")
    page = (tree.base / "site/cwgk/hx/cw-szmx/2026-03/index.html").read_text(encoding="utf-8")
    assert "1,555.00" in page and "打印耗材" in page


def test_total_that_differs_from_the_rows_is_one_error_naming_both_sums_and_the_cell(tree):
    use(tree, XLSX, workbook(ROWS[:-1] + [["合计", None, 5000, 1500]]))
    assert [p.format() for p in tree.problems() if p.is_error] == [
        f"content/{XLSX}:7: 错误: 工作表“收支”第 7 行 D 列（支出）: 合计行的支出是 1,500.00，"
        "但上面各行的支出相加是 1,555.00，两者不一致，请核对"]
    assert not tree.check().ok


def test_subtotals_sum_their_own_section(tree):
    rows = ROWS[:5] + [["小计", None, 5000, 320.5]] + ROWS[5:6] + [["本月合计", None, 5000, 1554]]
    use(tree, XLSX, workbook(rows))
    assert mine(tree) == [f"content/{XLSX}:8: 错误: 工作表“收支”第 8 行 D 列（支出）: 合计行的支出是 1,554.00，"
                          "但上面各行的支出相加是 1,555.00，两者不一致，请核对"]


def test_each_wrong_cell_is_reported_at_its_row_with_sheet_and_column(tree):
    rows = ROWS[:3] + [
        [46082, "区级拨付工作经费", 5000, None, "会计", "2026-03-001"],              # 4: a date typed as a number
        [dt.datetime(2026, 4, 1), "越期支出", None, 10, "会计", "2026-03-002"],       # 5
        [dt.datetime(2026, 3, 5), "金额写错", None, "十元", "会计", "2026-03-003"],   # 6
        [dt.datetime(2026, 3, 6), "多位小数", None, 1.005, "", "2026-03-004", "备注"],  # 7
    ]
    use(tree, XLSX, workbook(rows))
    cell = f"content/{XLSX}:{{}}: 错误: 工作表“收支”第 {{}} 行 {{}} 列（{{}}）: "
    assert mine(tree) == [
        cell.format(4, 4, "A", "日期") + "日期格式应为 YYYY-MM-DD，而不是“46082”（Excel 中请把这一列的单元格格式设为“日期”）",
        cell.format(5, 5, "A", "日期") + "2026-04-01 不在公开期间 2026年3月 内",
        cell.format(6, 6, "D", "支出") + "金额应为非负数字，最多两位小数，而不是“十元”",
        cell.format(7, 7, "D", "支出") + "金额应为非负数字，最多两位小数，而不是“1.005”",
        cell.format(7, 7, "E", "经办") + "不能为空",
        f"content/{XLSX}:7: 错误: 工作表“收支”第 7 行 G 列: 表头只有 6 列（到 F 列），这一格多了内容“备注”",
    ]


def test_wrong_header_names_the_expected_one(tree):
    use(tree, XLSX, workbook([["河西社区收支"], ["日期", "摘要", "金额"]]))
    assert mine(tree) == [f"content/{XLSX}:2: 错误: 工作表“收支”第 2 行: 表头应为：日期,摘要,收入,支出,经办,凭证号"]


def test_the_sheet_field_chooses_a_sheet_by_name(tree):
    use(tree, XLSX, workbook(ROWS, title="3月", others=("说明",)), extra="sheet: 3月\n")
    result = tree.check()
    assert result.ok and len(result.site.ledgers[KEY].rows) == 3


def test_a_sheet_that_is_not_there_is_reported_at_the_sheet_line(tree):
    use(tree, XLSX, workbook(ROWS, title="3月"), extra="sheet: 三月\n")
    assert tree.errors() == [f"content/{RECORD}:6: 错误: sheet（工作表）: content/{XLSX} 中没有名为“三月”的工作表，"
                             "其中的工作表有：“3月”"]


def test_damaged_workbook_is_reported_at_the_data_line(tree):
    use(tree, XLSX, b"PK\x03\x04 not really a workbook")
    assert tree.errors() == [f"content/{RECORD}:5: 错误: data（财务明细）: 无法读取 content/{XLSX}："
                             "文件已损坏、加密或不是 Excel 工作簿（.xlsx）"]


def test_phone_number_in_a_workbook_is_found_at_its_row(tree):
    rows = [list(r) for r in ROWS]
    rows[4][4] = "会计 13912345678"
    use(tree, XLSX, workbook(rows))
    assert [e for e in tree.errors() if "手机" in e][0].startswith(
        f"content/{XLSX}:5: 错误: 工作表“收支”E5含有手机号码 139****5678")


def test_workbook_nothing_refers_to_is_a_warning_naming_the_data_field(tree):
    tree.write("disclosure/hx/cw-szmx/2026-02.xlsx", workbook(ROWS))
    assert mine(tree, "2026-02.xlsx") == [
        "content/disclosure/hx/cw-szmx/2026-02.xlsx:1: 警告: 没有任何公开记录引用这个表格，它不会发布："
        "如需公开，请在对应公开记录中写 data: disclosure/hx/cw-szmx/2026-02.xlsx；不需要的话请删除"]


def test_incremental_build_after_editing_a_workbook_equals_a_clean_build(tree):
    use(tree, XLSX, workbook(ROWS))
    cache, out = tree.base / ".cache", tree.base / "site"
    assert pipeline.build(tree.root, out, TODAY, cache=cache).ok
    changed = [list(r) for r in ROWS]
    changed[4][3], changed[6][3] = 330.5, 1565
    tree.write(XLSX, workbook(changed))
    assert pipeline.build(tree.root, out, TODAY, cache=cache).ok
    clean = tree.base / "clean"
    assert pipeline.build(tree.root, clean, TODAY).ok

    def files(root):
        return {p.relative_to(root.resolve()).as_posix(): p.read_bytes() for p in sorted(root.resolve().rglob("*"))
                if p.is_file() and "pagefind" not in p.parts}
    assert files(out) == files(clean)


# --- CSV ---------------------------------------------------------------------------------------

GBK_LEDGER = ("日期,摘要,收入,支出,经办,凭证号\r\n"
              "2026/3/2,区级拨付工作经费,\"5,000.00\",,会计,2026-03-001\r\n"
              "2026-03-16,购买办公用品,,320.50,会计,2026-03-002\r\n"
              "合计,,\"5,000.00\",320.50,,\r\n")


def test_gbk_csv_with_thousands_separators_and_a_total_builds_with_a_warning(tree):
    tree.write(CSV, GBK_LEDGER.encode("gbk"))
    result = tree.check()
    assert result.ok
    assert mine(tree, CSV) == [f"content/{CSV}:1: 警告: 文件是 GB18030 编码（记事本、WPS 等另存时常见），"
                               "已按 GB18030 读取；运行 python build.py fix 可把它转换为 UTF-8"]
    ledger = result.site.ledgers[KEY]
    assert (len(ledger.rows), ledger.income, ledger.expense) == (2, Decimal("5000.00"), Decimal("320.50"))


def test_csv_total_that_differs_is_one_error_naming_both_sums(tree):
    tree.write(CSV, GBK_LEDGER.replace("合计,,\"5,000.00\",320.50", "合计,,\"5,000.00\",300").encode("utf-8-sig"))
    assert mine(tree, CSV) == [f"content/{CSV}:4: 错误: 支出: 合计行的支出是 300.00，但上面各行的支出相加是 320.50，"
                               "两者不一致，请核对"]


def test_an_opening_balance_row_is_carried_in_not_counted_and_the_closing_balance_follows(tree):
    opened = GBK_LEDGER.replace("日期,摘要,收入,支出,经办,凭证号\r\n", "日期,摘要,收入,支出,经办,凭证号\r\n,上月结余,\"1,200.00\",,,\r\n")
    tree.write(CSV, opened.encode("utf-8-sig"))
    result = tree.check()
    assert result.ok, mine(tree, CSV)
    ledger = result.site.ledgers[KEY]
    assert (len(ledger.rows), ledger.income, ledger.opening, ledger.closing) == \
        (2, Decimal("5000.00"), Decimal("1200.00"), Decimal("5879.50"))    # 合计 still checks the two rows


def test_an_opening_balance_in_both_columns_is_an_error_at_its_row(tree):
    opened = GBK_LEDGER.replace("日期,摘要,收入,支出,经办,凭证号\r\n", "日期,摘要,收入,支出,经办,凭证号\r\n,上月结余,100,50,,\r\n")
    tree.write(CSV, opened.encode("utf-8-sig"))
    assert mine(tree, CSV) == [f"content/{CSV}:2: 错误: 收入: 上月结余行只在“收入”一栏填写结余金额（结余为负数时填在“支出”一栏）"]


# --- anything else -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("2026-03.xls", "财务明细只接受 CSV 文件（.csv）或 Excel 工作簿（.xlsx）：2026-03.xls 是旧版 Excel/WPS 表格，"
                    "请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx），再把这里的文件名改为 .xlsx"),
    ("2026-03.txt", "财务明细只接受 CSV 文件（.csv）或 Excel 工作簿（.xlsx），而不是“2026-03.txt”"),
], ids=["xls", "txt"])
def test_other_kinds_of_file_get_a_clear_message(tree, name, message):
    use(tree, f"disclosure/hx/cw-szmx/{name}", b"\xd0\xcf\x11\xe0 old office file")
    errors = tree.errors()
    assert f"content/{RECORD}:5: 错误: data（财务明细）: {message}" in errors
    assert not any("应为 CSV 文件" in e for e in errors)
    if name.endswith(".xls"):
        assert len(errors) == 1                 # the .xls itself is not a second error
