"""Excel workbooks (.xlsx) → sheets of cell values with their row numbers, for finance tables
(portal.ledger) and the personal-data scan. Pure: bytes in, values out.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from .attachments import Passage, Reading

Value = str | int | float | dt.date | dt.datetime | dt.time | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name and its non-empty rows as (row number, values from column A)."""
    name: str
    rows: tuple[tuple[int, tuple[Value, ...]], ...]


def read(data: bytes) -> tuple[tuple[Sheet, ...], str]:
    """Every worksheet, or () and why the workbook could not be read. Formulas give the value
    Excel or WPS last calculated (a workbook written by a program may have none)."""
    from openpyxl import load_workbook  # heavy: only for workbooks
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:              # not a workbook, damaged or encrypted: say so, never crash
        return (), "文件已损坏、加密或不是 Excel 工作簿（.xlsx）"
    try:
        return tuple(_sheet(s) for s in book.worksheets), ""
    except Exception:
        return (), "文件已损坏，无法读取其中的表格"
    finally:
        book.close()


def _sheet(sheet) -> Sheet:
    # The size a workbook declares is often wrong (written by other programs): read every row.
    sheet.reset_dimensions()
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
        cells = [_value(v) for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            rows.append((number, tuple(cells)))
    return Sheet(str(sheet.title), tuple(rows))


def _value(v) -> Value:
    if isinstance(v, str):
        return v if v.strip() else None
    if v is None or isinstance(v, (int, float, dt.date, dt.time)):
        return v
    return str(v)                  # durations and the like: shown as Excel would


def text(v: Value) -> str:
    """A cell as text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(" ", "minutes")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v).strip()


def column_letter(column: int) -> str:
    """A, B, … Z, AA, … for columns counted from 0 (openpyxl's own is not imported up front:
    it loads the whole library)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell(sheet: str, row: int, column: int) -> str:
    """Where a cell is, for messages: 工作表“收支”第 7 行 C 列 (column counted from 0)."""
    return f"工作表“{sheet}”第 {row} 行 {column_letter(column)} 列"


def reading(rel: str, sheets: tuple[Sheet, ...], unreadable: str) -> Reading:
    """The workbook's text for the personal-data scan: its name, then every cell at its row."""
    name = Passage(1, "文件名", rel.rsplit("/", 1)[-1])
    return Reading((name, *(Passage(row, f"工作表“{s.name}”{column_letter(i)}{row}", text(v))
                            for s in sheets for row, values in s.rows for i, v in enumerate(values)
                            if v is not None)), unreadable)
