"""Disclosure periods (2026-03, 2026Q1, 2026H1, 2025, event dates) and finance CSV tables."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from . import problems as P
from .load import CSV_HEADER, read_csv
from .problems import Problem
from .validate import parse_date, parse_money

QUARTER_NAMES = ("一", "二", "三", "四")
FREQUENCY_KIND = {"每月": "month", "每季度": "quarter", "每半年": "half", "每年": "year", "即时": "event"}
KIND_EXAMPLE = {"month": "2026-03", "quarter": "2026Q1", "half": "2026H1", "year": "2026",
                "event": "2026-05-12（事件日期，可加后缀如 2026-05-12-2）"}

_PATTERNS = (
    ("month", re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    ("quarter", re.compile(r"^(\d{4})Q([1-4])$")),
    ("half", re.compile(r"^(\d{4})H([12])$")),
    ("year", re.compile(r"^(\d{4})$")),
    ("event", re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-[a-z0-9]+)?$")),
)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str
    code: str

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == "month":
            return f"{s.year}年{s.month}月"
        if self.kind == "quarter":
            return f"{s.year}年第{QUARTER_NAMES[(s.month - 1) // 3]}季度"
        if self.kind == "half":
            return f"{s.year}年{'上' if s.month == 1 else '下'}半年"
        if self.kind == "year":
            return f"{s.year}年度"
        return f"{s.year}年{s.month}月{s.day}日"


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_period(code: str) -> Period | None:
    for kind, rx in _PATTERNS:
        m = rx.match(code)
        if not m:
            continue
        if kind == "event":
            d = parse_date(m[1])
            return Period(d, d, kind, code) if d else None
        year = int(m[1])
        if kind == "month":
            mo = int(m[2])
            return Period(dt.date(year, mo, 1), _month_end(year, mo), kind, code)
        if kind == "quarter":
            q = int(m[2])
            return Period(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), kind, code)
        if kind == "half":
            h = int(m[2])
            return Period(dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h), kind, code)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), kind, code)
    return None


def periods_between(kind: str, since: dt.date, until: dt.date) -> list[Period]:
    """Every whole period of `kind` that starts on/after the one containing `since` and ends
    on or before `until`."""
    out: list[Period] = []
    if kind == "event":
        return out
    step = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    month0 = ((since.month - 1) // step) * step + 1
    y, m = since.year, month0
    while True:
        end_m = m + step - 1
        end = _month_end(y, end_m)
        if end > until:
            break
        code = {"month": f"{y}-{m:02d}", "quarter": f"{y}Q{(m - 1) // 3 + 1}",
                "half": f"{y}H{(m - 1) // 6 + 1}", "year": f"{y}"}[kind]
        out.append(Period(dt.date(y, m, 1), end, kind, code))
        m += step
        if m > 12:
            y, m = y + 1, m - 12
    return out


@dataclass(frozen=True)
class LedgerRow:
    date: dt.date
    summary: str
    income: Decimal | None
    expense: Decimal | None
    handler: str
    voucher: str


@dataclass(frozen=True)
class Ledger:
    """A finance table (收支明细) read from CSV, with totals computed here, never typed in."""
    rows: tuple[LedgerRow, ...]

    @property
    def income(self) -> Decimal:
        return sum((r.income or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def expense(self) -> Decimal:
        return sum((r.expense or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def balance(self) -> Decimal:
        return self.income - self.expense


def parse_ledger(text: str, path: str, period: Period | None = None) -> tuple[Ledger | None, list[Problem]]:
    """Validate a finance CSV (日期,摘要,收入,支出,经办,凭证号): the ledger (None when any row is
    wrong) and the problems, each at its CSV line."""
    rows = read_csv(text)
    if not rows:
        return None, [P.error(path, 1, "", "", "财务明细表为空")]
    line, header = rows[0]
    if tuple(header) != CSV_HEADER:
        return None, [P.error(path, line, "", "", f"表头应为：{','.join(CSV_HEADER)}")]
    out: list[LedgerRow] = []
    problems: list[Problem] = []
    vouchers: set[str] = set()
    for line, cells in rows[1:]:
        row, found = _ledger_row(cells, path, line, period, vouchers)
        problems += found
        if row is not None:
            out.append(row)
    return (None if P.has_error(problems) else Ledger(tuple(out))), problems


def _ledger_row(cells: list[str], path: str, line: int, period: Period | None,
                vouchers: set[str]) -> tuple[LedgerRow | None, list[Problem]]:
    if len(cells) != len(CSV_HEADER):
        return None, [P.error(path, line, "", "", f"应有 {len(CSV_HEADER)} 列，实际 {len(cells)} 列")]
    date_s, summary, inc_s, exp_s, handler, voucher = cells
    problems = []
    d = parse_date(date_s)
    if d is None:
        problems.append(P.error(path, line, "日期", "", f"日期格式应为 YYYY-MM-DD，而不是“{date_s}”"))
    elif period and not (period.start <= d <= period.end):
        problems.append(P.error(path, line, "日期", "", f"{date_s} 不在公开期间 {period.label} 内"))
    amounts: list[Decimal | None] = []
    for name, s in (("收入", inc_s), ("支出", exp_s)):
        m = parse_money(s.replace(",", "")) if s else None
        if s and m is None:
            problems.append(P.error(path, line, name, "", f"金额应为非负数字，最多两位小数，而不是“{s}”"))
        amounts.append(m)
    if bool(inc_s) == bool(exp_s):
        problems.append(P.error(path, line, "收入", "", "每行应只填收入或支出中的一项"))
    problems += [P.error(path, line, name, "", "不能为空")
                 for name, s in (("摘要", summary), ("经办", handler), ("凭证号", voucher)) if not s]
    if voucher and voucher in vouchers:
        problems.append(P.error(path, line, "凭证号", "", f"凭证号 {voucher} 重复"))
    vouchers.add(voucher)
    if problems or d is None:
        return None, problems
    return LedgerRow(d, summary, amounts[0], amounts[1], handler, voucher), problems
