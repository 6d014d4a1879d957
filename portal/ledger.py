"""Finance tables (收支明细): the CSV file or Excel workbook a disclosure record names, read and
checked row by row, every problem at its line (a workbook's row, with its sheet and cell).

Offices keep these in Excel: a workbook (.xlsx, its first sheet or the one the record's `sheet`
names) is read directly, dates and amounts as Excel stores them; a CSV may be UTF-8 (with or
without a BOM) or GB18030 (portal.load reads it, with a warning). A title or 单位 row above the
header is skipped, and a 合计 row is checked against the rows above it instead of being read as
a transaction. Pure: the content already read in, values out.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from . import problems as P
from . import workbooks
from .disclosure import Ledger, LedgerRow, Period
from .items import Item
from .load import CSV_HEADER, FileInfo, read_csv
from .problems import Problem
from .workbooks import Sheet, Value

KINDS = (".csv", ".xlsx")
OLD_SPREADSHEETS = (".xls", ".et")
ACCEPTED = "财务明细只接受 CSV 文件（.csv）或 Excel 工作簿（.xlsx）"

# A row that sums the rows above it, named in its 日期 or 摘要 cell. A 小计 sums the rows since
# the previous 小计; the others sum every row. (累计 is left out: it runs from the start of the
# year, so it is not a sum of this table.)
SUBTOTAL = "小计"
# A row that carries the last period's balance in: not a transaction, and not in the sums. Its
# amount is in the 收入 column (or, for a deficit, the 支出 column).
OPENINGS = frozenset({"上月结余", "上期结余", "上年结余", "上季结余", "期初余额", "期初结余", "年初结余", "承前页"})
# A row that states the balance carried out (期末余额): checked against 期初 + 收入 − 支出.
CLOSINGS = frozenset({"期末余额", "期末结余", "本月结余", "本期结余", "本季结余", "本年结余", "月末结余",
                      "结转下月", "结转下期"})
TOTALS = frozenset({"合计", "总计", SUBTOTAL, "本月合计", "本期合计", "本季合计", "本季度合计",
                    "本半年合计", "本年合计", "本年度合计"})

DATE_RE = re.compile(r"^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")
MONEY_RE = re.compile(r"^(\d+|\d{1,3}(?:,\d{3})+)(\.\d{1,2})?$")
HEADER_UNIT_RE = re.compile(r"[（(]元[)）]$")
CENT = Decimal("0.01")

Where = Callable[[int, int | None], tuple[str, str]]   # (line, column or None) → (key, label)


def read_ledger(record: Item, files: Mapping[str, FileInfo]) -> tuple[Ledger | None, list[Problem]]:
    """The finance table `record.data` names (None when it is missing or any row is wrong) and
    the problems: the record's own at its `data`/`sheet` line, the table's at its rows."""
    rel: str = record.fields["data"]
    sheet_name = record.fields.get("sheet")

    def at(key: str, label: str, message: str) -> list[Problem]:
        return [P.error(record.file, record.line_of(key), key, label, message)]

    unusable = _unusable(rel, files.get(rel))
    if unusable:
        return None, at("data", "财务明细", unusable)
    info = files[rel]
    if rel.lower().endswith(".csv"):
        problems = [P.warning(record.file, record.line_of("sheet"), "sheet", "工作表",
                              "CSV 文件没有工作表，这一行不起作用，可以删除")] if sheet_name else []
        if info.text is None:       # the file reports its own encoding error
            return None, problems
        ledger, found = parse_ledger(info.text, info.path, record.period)
        return _sourced(ledger, rel), problems + found
    assert info.sheets
    sheet = info.sheets[0]
    if sheet_name:
        wanted = str(sheet_name).strip()
        named = [s for s in info.sheets if s.name.strip() == wanted]
        if not named:
            names = "、".join(f"“{s.name}”" for s in info.sheets)
            return None, at("sheet", "工作表", f"content/{rel} 中没有名为“{wanted}”的工作表，其中的工作表有：{names}")
        sheet = named[0]
    ledger, found = parse_sheet(sheet, info.path, record.period)
    return _sourced(ledger, rel), found


def _unusable(rel: str, info: FileInfo | None) -> str:
    """Why the file a record names cannot be its finance table ("" when it can be read)."""
    name = rel.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in OLD_SPREADSHEETS:
        return (f"{ACCEPTED}：{name} 是旧版 Excel/WPS 表格，请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx），"
                "再把这里的文件名改为 .xlsx")
    if suffix not in KINDS:
        return f"{ACCEPTED}，而不是“{name}”"
    if info is None:
        return f"找不到{'CSV 文件' if suffix == '.csv' else 'Excel 文件'} content/{rel}"
    if suffix == ".csv":
        # in files/ an attachment's encoding is not reported by the file itself
        unknown = info.text is None and rel.startswith("files/")
        return "这个 CSV 文件的文字编码无法识别，请用 UTF-8 另存" if unknown else ""
    if info.reading.unreadable:
        return f"无法读取 content/{rel}：{info.reading.unreadable}"
    if info.sheets is None:
        return "Excel 财务明细请放在公开记录所在的目录（如 disclosure/社区/事项/），不要放在 files/ 中"
    return "" if info.sheets else f"content/{rel} 中没有工作表"


def _sourced(ledger: Ledger | None, rel: str) -> Ledger | None:
    return None if ledger is None else replace(ledger, source=rel)


_PARSED: dict[tuple[str, str, Period | None], tuple[Ledger | None, tuple[Problem, ...]]] = {}
PARSED_KEPT = 4096                 # tables remembered (a preview's edits reuse the unchanged ones)


def parse_ledger(text: str, path: str, period: Period | None = None) -> tuple[Ledger | None, list[Problem]]:
    """Validate a finance CSV (日期,摘要,收入,支出,经办,凭证号): the ledger (None when any row is
    wrong) and the problems, each at its CSV line. A pure function of its arguments, so a
    preview's next build takes an unchanged table's result from memory."""
    key = (text, path, period)
    found = _PARSED.get(key)
    if found is None:
        ledger, problems = _parse_csv(text, path, period)
        if len(_PARSED) >= PARSED_KEPT:
            _PARSED.clear()
        found = _PARSED[key] = (ledger, tuple(problems))
    return found[0], list(found[1])


def _parse_csv(text: str, path: str, period: Period | None) -> tuple[Ledger | None, list[Problem]]:
    def where(line: int, column: int | None) -> tuple[str, str]:
        if column is None:
            return "", ""
        return (CSV_HEADER[column] if column < len(CSV_HEADER) else f"第 {column + 1} 列"), ""
    rows: list[tuple[int, Sequence[Value]]] = list(read_csv(text))
    return _parse(rows, path, period, where, is_csv=True)


def parse_sheet(sheet: Sheet, path: str, period: Period | None = None) -> tuple[Ledger | None, list[Problem]]:
    """The same for a worksheet: problems at its rows, naming the sheet and the cell."""
    def where(line: int, column: int | None) -> tuple[str, str]:
        if column is None:
            return f"工作表“{sheet.name}”第 {line} 行", ""
        return workbooks.cell(sheet.name, line, column), CSV_HEADER[column] if column < len(CSV_HEADER) else ""
    return _parse(list(sheet.rows), path, period, where, is_csv=False)


def _parse(rows: list[tuple[int, Sequence[Value]]], path: str, period: Period | None, where: Where,
           is_csv: bool) -> tuple[Ledger | None, list[Problem]]:
    def error(line: int, column: int | None, message: str) -> Problem:
        return P.error(path, line, *where(line, column), message)

    rows = [(line, cells) for line, cells in rows if any(workbooks.text(c) for c in cells)]
    if not rows:
        return None, [error(1, None, "财务明细表为空")]
    start, line = _header(rows)
    if start is None:
        return None, [error(line, None, f"表头应为：{','.join(CSV_HEADER)}")]
    out: list[LedgerRow] = []
    problems: list[Problem] = []
    vouchers: set[str] = set()
    section = [Decimal(0), Decimal(0)]
    whole = [Decimal(0), Decimal(0)]
    bal = _Balances()
    for line, raw in rows[start + 1:]:
        cells = list(raw)
        while len(cells) > len(CSV_HEADER) and not workbooks.text(cells[-1]):
            cells.pop()             # a column Excel saved although it is empty
        total = _total_word(cells)
        if is_csv and not total and len(cells) != len(CSV_HEADER):
            problems.append(error(line, None, f"应有 {len(CSV_HEADER)} 列，实际 {len(cells)} 列"))
            continue
        problems += [error(line, i, f"表头只有 {len(CSV_HEADER)} 列（到 F 列），这一格多了内容“{workbooks.text(c)}”")
                     for i, c in enumerate(cells[len(CSV_HEADER):], len(CSV_HEADER)) if workbooks.text(c)]
        cells += [None] * (len(CSV_HEADER) - len(cells))
        balance = bal.read(cells, line, bool(out), whole, error, trusted=not P.has_error(problems))
        if balance is not None:
            problems += balance
            continue
        if total:
            sums = section if total == SUBTOTAL else whole
            problems += _check_total(cells, sums, line, error, trusted=not P.has_error(problems))
            if total == SUBTOTAL:
                section[:] = [Decimal(0), Decimal(0)]
            continue
        row, found = _row(cells, line, period, vouchers, error)
        problems += found
        if row is not None:
            out.append(row)
            for sums in (section, whole):
                sums[0] += row.income or 0
                sums[1] += row.expense or 0
    return (None if P.has_error(problems) else Ledger(tuple(out), opening=bal.opening, stated_closing=bal.closing,
                                                     path=path, opening_line=bal.opening_line)), problems


@dataclass
class _Balances:
    """A table's 上月结余 (期初余额) and 期末余额 rows as they are read."""
    opening: Decimal | None = None
    opening_line: int = 0
    closing: Decimal | None = None

    def read(self, cells: Sequence[Value], line: int, started: bool, sums: list[Decimal], error,
             trusted: bool) -> list[Problem] | None:
        """The problems of a balance row (None when `cells` is not one). A 上月结余 row counts
        only before the first transaction; a 期末余额 row is checked against the rows above."""
        if _carried_in(cells) and self.opening is None and not started:
            self.opening, found = _opening(cells, line, error)
            self.opening_line = line
            return found
        if not _carried_out(cells):
            return None
        stated, found = _opening(cells, line, error, "期末余额")
        if stated is None:
            return found
        self.closing = stated
        return found + _check_closing(self.opening, sums, stated, line, error, trusted)


def _header(rows: list[tuple[int, Sequence[Value]]]) -> tuple[int | None, int]:
    """(the index of the header row or None, its line). Rows above it may hold one cell each (a
    title, 单位：元); the first row with more is the header, right or wrong. Header cells may
    carry a unit: 收入（元）."""
    for i, (line, cells) in enumerate(rows):
        texts = [workbooks.text(c) for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        if tuple(HEADER_UNIT_RE.sub("", re.sub(r"\s", "", t)) for t in texts) == CSV_HEADER:
            return i, line
        if sum(1 for t in texts if t) > 1:
            return None, line
    return None, rows[0][0]


def _carried_in(cells: Sequence[Value]) -> bool:
    return any(re.sub(r"[\s:：]", "", workbooks.text(c)) in OPENINGS for c in cells[:2])


def _carried_out(cells: Sequence[Value]) -> bool:
    return any(re.sub(r"[\s:：]", "", workbooks.text(c)) in CLOSINGS for c in cells[:2])


def _check_closing(opening: Decimal | None, sums: list[Decimal], stated: Decimal, line: int, error,
                   trusted: bool) -> list[Problem]:
    """期初 + 收入 − 支出 = 期末: a stated closing balance against the table."""
    if opening is None:
        return [error(line, 1, "写了期末余额，就要在明细第一行写期初余额（上月结余）行，才能核对")]
    computed = opening + sums[0] - sums[1]
    if trusted and stated != computed:
        return [error(line, 2, f"期末余额应为 期初余额 {opening:,.2f} + 收入 {sums[0]:,.2f} − 支出 {sums[1]:,.2f} "
                               f"= {computed:,.2f}，表中写的是 {stated:,.2f}，请核对")]
    return []


def _opening(cells: Sequence[Value], line: int, error, name: str = "上月结余") -> tuple[Decimal | None, list[Problem]]:
    """The balance a 上月结余 (or 期末余额) row states: its 收入 amount, or minus its 支出 amount."""
    income, expense = (workbooks.text(cells[i]) for i in (2, 3))
    if bool(income) == bool(expense):
        return None, [error(line, 2, f"{name}行只在“收入”一栏填写结余金额（结余为负数时填在“支出”一栏）")]
    amount = _money(cells[2] if income else cells[3])
    if amount is None:
        return None, [error(line, 2 if income else 3, f"结余金额应为数字，而不是“{income or expense}”")]
    return (amount if income else -amount), []


def _total_word(cells: Sequence[Value]) -> str:
    for c in cells[:2]:
        word = re.sub(r"[\s:：]", "", workbooks.text(c))
        if word in TOTALS:
            return SUBTOTAL if word == SUBTOTAL else word
    return ""


def _check_total(cells: Sequence[Value], sums: list[Decimal], line: int, error, trusted: bool) -> list[Problem]:
    """A 合计 row's 收入 and 支出 (when filled in) against the sums of the rows; only when every
    row so far was read (`trusted`): with a wrong row the sum means nothing."""
    out = []
    for column, name, computed in ((2, "收入", sums[0]), (3, "支出", sums[1])):
        if cells[column] is None or not workbooks.text(cells[column]):
            continue
        stated = _money(cells[column])
        if stated is None:
            out.append(error(line, column, f"合计金额应为数字，而不是“{workbooks.text(cells[column])}”"))
        elif trusted and stated != computed:
            out.append(error(line, column, f"合计行的{name}是 {stated:,.2f}，但上面各行的{name}相加是 "
                                           f"{computed:,.2f}，两者不一致，请核对"))
    return out


def _row(cells: Sequence[Value], line: int, period: Period | None, vouchers: set[str],
         error) -> tuple[LedgerRow | None, list[Problem]]:
    date_v, summary_v, inc_v, exp_v, handler_v, voucher_v = cells[:len(CSV_HEADER)]
    summary, handler, voucher = (workbooks.text(v) for v in (summary_v, handler_v, voucher_v))
    problems = []
    d = _date(date_v)
    shown = workbooks.text(date_v)
    if d is None:
        hint = "（Excel 中请把这一列的单元格格式设为“日期”）" if isinstance(date_v, (int, float)) else ""
        problems.append(error(line, 0, f"日期格式应为 YYYY-MM-DD，而不是“{shown}”{hint}"))
    elif period and not (period.start <= d <= period.end):
        problems.append(error(line, 0, f"{shown} 不在公开期间 {period.label} 内"))
    amounts: list[Decimal | None] = []
    for column, v in ((2, inc_v), (3, exp_v)):
        amount = _money(v) if workbooks.text(v) else None
        if workbooks.text(v) and amount is None:
            problems.append(error(line, column, f"金额应为非负数字，最多两位小数，而不是“{workbooks.text(v)}”"))
        amounts.append(amount)
    if bool(workbooks.text(inc_v)) == bool(workbooks.text(exp_v)):
        problems.append(error(line, 2, "每行应只填收入或支出中的一项"))
    problems += [error(line, column, "不能为空")
                 for column, s in ((1, summary), (4, handler), (5, voucher)) if not s]
    if voucher and voucher in vouchers:
        problems.append(error(line, 5, f"凭证号 {voucher} 重复"))
    vouchers.add(voucher)
    if problems or d is None:
        return None, problems
    return LedgerRow(d, summary, amounts[0], amounts[1], handler, voucher), problems


def _date(v: Value) -> dt.date | None:
    """A date cell (Excel's date) or text: 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日 (what
    Excel writes when it saves a CSV): a four-digit year first, so never ambiguous."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if not isinstance(v, str):
        return None
    m = DATE_RE.match(v.strip())
    if not m:
        return None
    month, day = (m[3], m[4]) if m[2] else (m[5], m[6])
    try:
        return dt.date(int(m[1]), int(month), int(day))
    except ValueError:
        return None


def _money(v: Value) -> Decimal | None:
    """A non-negative amount with at most two decimals: an Excel number, or text such as
    1234.5 or 1,234.50 (thousands separators as Excel shows them)."""
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        return None
    if isinstance(v, str):
        s = v.strip()
        return Decimal(s.replace(",", "")) if MONEY_RE.match(s) else None
    try:
        exact = Decimal(repr(v))
    except InvalidOperation:       # inf, nan
        return None
    cents = exact.quantize(CENT)
    # Excel keeps binary fractions: 0.1 + 0.2 is 0.30000000000000004, shown as 0.30
    if exact < 0 or abs(exact - cents) > Decimal("0.000001"):
        return None
    return cents


def to_csv(ledger: Ledger) -> bytes:
    """The ledger as a CSV file for download: UTF-8 with a BOM, which Excel on Chinese Windows
    opens without garbling."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    if ledger.opening is not None:
        writer.writerow(("", "上月结余", *_signed(ledger.opening), "", ""))
    for r in ledger.rows:
        writer.writerow((r.date.isoformat(), r.summary, "" if r.income is None else f"{r.income:.2f}",
                         "" if r.expense is None else f"{r.expense:.2f}", r.handler, r.voucher))
    if ledger.stated_closing is not None:
        writer.writerow(("", "期末余额", *_signed(ledger.stated_closing), "", ""))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _signed(amount: Decimal) -> tuple[str, str]:
    """A balance in the 收入 column, or a deficit in the 支出 column."""
    return (f"{amount:.2f}", "") if amount >= 0 else ("", f"{-amount:.2f}")


def copies(ledger: Ledger, original: bytes) -> list[tuple[str, bytes]]:
    """What the site publishes for a ledger, by path below the site (its `downloads`): the file
    as staff saved it, and for a workbook also a CSV made from it."""
    out = [(url.lstrip("/"), original) for url, _ in ledger.downloads[:1]]
    out += [(url.lstrip("/"), to_csv(ledger)) for url, _ in ledger.downloads[1:]]
    return out
