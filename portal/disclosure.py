"""Disclosure periods (2026-03, 2026Q1, 2026H1, 2025, event dates) and finance tables (read by
portal.ledger)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from .validate import parse_date

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
    """A finance table (收支明细) read from CSV or Excel (portal.ledger), with totals computed
    here, never typed in."""
    rows: tuple[LedgerRow, ...]
    source: str = ""         # the file below content/ it was read from
    opening: Decimal | None = None   # the balance carried in (a 上月结余 row), not a transaction
    stated_closing: Decimal | None = None   # a 期末余额 row's amount (checked equal to `closing`)
    path: str = ""                   # the table's file as shown in messages
    opening_line: int = 0            # the 上月结余 row's line (row of a workbook)

    @property
    def downloads(self) -> tuple[tuple[str, str], ...]:
        """(URL, format) of each published copy: the file as saved (first), and for a workbook
        also a CSV made from it (portal.ledger.copies writes them)."""
        if not self.source:
            return ()
        url = f"/data/{self.source}"
        if url.lower().endswith(".xlsx"):
            return (url, "Excel"), (url[: -len(".xlsx")] + ".csv", "CSV")
        return ((url, "CSV"),)

    @property
    def income(self) -> Decimal:
        return sum((r.income or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def expense(self) -> Decimal:
        return sum((r.expense or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def balance(self) -> Decimal:
        return self.income - self.expense

    @property
    def closing(self) -> Decimal | None:
        """The balance carried out: the opening balance plus this period's 收支差额."""
        return None if self.opening is None else self.opening + self.balance
