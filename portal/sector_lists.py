"""重点领域 lists (名单): the CSV file or Excel workbook a 政务 disclosure record names in `roster`
(低保/特困/临时救助 公示, 高龄津贴, 就业补贴 …), read and checked row by row like the finance
tables (portal.ledger), every problem at its line (a workbook's row, with its sheet and cell).

A list has a header row (a title row above it is skipped), one row per person or household,
and, when it has amount columns, a 合计 row checked against the rows above it. Names are
published masked (张*明): a full name is an error naming its row. ID and phone numbers are
found by portal.personal_data, which scans every table under content/. Pure: the content
already read in, values out.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from . import problems as P
from . import references, workbooks
from .items import Item
from .ledger import MONEY_RE, TOTALS
from .load import FileInfo, read_csv
from .problems import Problem
from .workbooks import Value

KINDS = (".csv", ".xlsx")
# A header naming people: any header with 姓名 in it, or one of these whole.
NAME_HEADERS = frozenset({"户主", "申请人", "领取人", "救助对象", "保障对象", "对象", "补贴对象"})
MASKS = frozenset("*＊×xX某")
AMOUNT_RE = re.compile(r"(金额|[（(]元[)）])")
FULL_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
CENT = Decimal("0.01")
Where = Callable[[int, int | None], tuple[str, str]]   # (line, column or None) → (key, label)


@dataclass(frozen=True)
class Roster:
    """A published list: its header, its rows (cells as text), the amount columns and their
    sums (computed here; a 合计 row written in the file is checked against them)."""
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    amounts: tuple[int, ...]            # indexes of the amount columns
    totals: tuple[Decimal, ...]         # one per amount column
    source: str = ""

    @property
    def download(self) -> str:
        """The URL of the list as a CSV made from what the page shows (never the file as saved:
        a workbook may hold other sheets or hidden columns); "" before it is placed."""
        if not self.source:
            return ""
        stem = self.source.rsplit(".", 1)[0]
        return f"/data/{stem}.csv"

    def csv_bytes(self) -> bytes:
        """The list for download: UTF-8 with a BOM (Excel on Chinese Windows opens it as is),
        its 合计 row last."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        if self.amounts:
            writer.writerow(self.total_cells())
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def total_cells(self) -> tuple[str, ...]:
        """The 合计 row as shown: 合计 in the first column, the sums under the amounts."""
        sums = dict(zip(self.amounts, self.totals, strict=True))
        return tuple("合计" if i == 0 else (f"{sums[i]:,.2f}" if i in sums else "")
                     for i in range(len(self.header)))


Owned = references.Owned


def rosters(records: Iterable[Item], files: Mapping[str, FileInfo]) -> tuple[dict[str, Roster], Owned]:
    """The lists of disclosure records that name one, read and checked (owned by the record)."""
    return references.tables(records, files, "roster", read_roster)


def read_roster(record: Item, files: Mapping[str, FileInfo]) -> tuple[Roster | None, list[Problem]]:
    rel: str = record.fields["roster"]
    info = files.get(rel)
    suffix = "." + rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""

    def at(message: str) -> tuple[None, list[Problem]]:
        return None, [P.error(record.file, record.line_of("roster"), "roster", "名单明细", message)]

    if suffix not in KINDS:
        return at(f"名单只接受 CSV 文件（.csv）或 Excel 工作簿（.xlsx），而不是“{rel.rsplit('/', 1)[-1]}”")
    if info is None:
        return at(f"找不到名单文件 content/{rel}")
    if suffix == ".csv":
        if info.text is None:         # the file reports its own encoding error
            return None, []
        roster, problems = parse_roster(read_csv(info.text), info.path, _csv_where)
    else:
        if not info.sheets:
            return at(f"无法读取 content/{rel} 中的工作表（Excel 名单请放在公开记录所在的目录）")
        sheet = info.sheets[0]
        roster, problems = parse_roster(list(sheet.rows), info.path, _sheet_where(sheet.name))
    return (None if roster is None else replace(roster, source=rel)), problems


def _csv_where(line: int, column: int | None) -> tuple[str, str]:
    return ("", "") if column is None else (f"第 {column + 1} 列", "")


def _sheet_where(name: str) -> Where:
    def where(line: int, column: int | None) -> tuple[str, str]:
        return (f"工作表“{name}”第 {line} 行", "") if column is None else (workbooks.cell(name, line, column), "")
    return where


def parse_roster(rows: Sequence[tuple[int, Sequence[Value]]], path: str, where: Where
                 ) -> tuple[Roster | None, list[Problem]]:
    """Validate a list's rows (header first; title rows above it are skipped): the Roster
    (None when any row is wrong) and the problems, each at its line."""
    def error(line: int, column: int | None, message: str) -> Problem:
        key, label = where(line, column)
        return P.error(path, line, key, label, message)

    texts = [(line, [workbooks.text(c) for c in cells]) for line, cells in rows]
    texts = [(line, cells) for line, cells in texts if any(cells)]
    start = next((i for i, (_, cells) in enumerate(texts) if sum(1 for c in cells if c) > 1), None)
    if start is None:
        return None, [error(texts[0][0] if texts else 1, None,
                            "名单表为空，或缺少表头行（如：序号,户主姓名,家庭人口,保障金额（元））")]
    head_line, header = texts[start]
    while header and not header[-1]:
        header = header[:-1]
    if not any("姓名" in h or h in NAME_HEADERS for h in header):
        return None, [error(head_line, None, "名单应有一列姓名（表头如“姓名”“户主姓名”“申请人”），公示须能识别对象")]
    body = _Body(tuple(header), error)
    for line, cells in texts[start + 1:]:
        body.row(line, cells)
    problems = body.problems
    if body.amounts and not body.total_seen and not P.has_error(problems):
        sums = "、".join(f"{s:,.2f}" for s in body.sums)
        problems.append(error(texts[-1][0], None, "名单有金额列，最后应有一行合计（第一列写“合计”，金额列写合计数），"
                                                  f"各行相加为 {sums}"))
    if not body.out and not P.has_error(problems):
        problems.append(error(head_line, None, "名单只有表头，没有内容"))
    roster = Roster(body.header, tuple(body.out), body.amounts, tuple(body.sums))
    return (None if P.has_error(problems) else roster), problems


class _Body:
    """The rows below the header, read one by one: each person's row, then the 合计 row."""

    def __init__(self, header: tuple[str, ...], error: Callable[[int, int | None, str], Problem]):
        self.header, self.error = header, error
        self.names = [i for i, h in enumerate(header) if "姓名" in h or h in NAME_HEADERS]
        self.amounts = tuple(i for i, h in enumerate(header) if AMOUNT_RE.search(h))
        self.sums = [Decimal(0)] * len(self.amounts)
        self.out: list[tuple[str, ...]] = []
        self.problems: list[Problem] = []
        self.total_seen = False

    def row(self, line: int, cells: list[str]) -> None:
        width = len(self.header)
        cells = (cells + [""] * width)[:max(width, len(cells))]
        if any(cells[width:]):
            self.problems.append(self.error(line, width, f"表头只有 {width} 列，这一行多了内容"))
        elif _is_total(cells):
            self.total_seen = True
            self.problems += _check_total(cells, self.header, self.amounts, self.sums, line, self.error,
                                          trusted=not P.has_error(self.problems))
        elif self.total_seen:
            self.problems.append(self.error(line, None, "合计行应在名单的最后一行"))
        else:
            self._person(line, cells)

    def _person(self, line: int, cells: list[str]) -> None:
        for i in self.names:
            why = _name_problem(cells[i], self.header[i])
            if why:
                self.problems.append(self.error(line, i, why))
        for k, i in enumerate(self.amounts):
            value = _money(cells[i])
            if value is None:
                self.problems.append(self.error(line, i, f"“{self.header[i]}”应为非负数字，最多两位小数，"
                                                         f"而不是“{cells[i]}”"))
            else:
                self.sums[k] += value
        self.out.append(tuple(cells[:len(self.header)]))


def _is_total(cells: Sequence[str]) -> bool:
    return any(re.sub(r"[\s:：]", "", c) in TOTALS for c in cells[:2])


def _name_problem(value: str, column: str) -> str:
    """Why a name cell may not be published as written ("" when it may)."""
    v = value.strip()
    if not v:
        return f"“{column}”不能为空"
    if any(ch in MASKS for ch in v):
        return ""
    if FULL_NAME_RE.match(v):
        return f"姓名“{v}”未隐去部分字，公示时应写成“{v[0]}*{v[-1] if len(v) > 2 else ''}”这样的形式"
    return f"“{column}”应为隐去部分字的姓名（如 张*明），而不是“{v}”"


def _check_total(cells: Sequence[str], header: Sequence[str], amounts: tuple[int, ...], sums: list[Decimal],
                 line: int, error, trusted: bool) -> list[Problem]:
    out = []
    for k, i in enumerate(amounts):
        if not cells[i]:
            out.append(error(line, i, f"合计行的“{header[i]}”不能为空"))
            continue
        stated = _money(cells[i])
        if stated is None:
            out.append(error(line, i, f"合计金额应为数字，而不是“{cells[i]}”"))
        elif trusted and stated != sums[k]:
            out.append(error(line, i, f"合计行的“{header[i]}”是 {stated:,.2f}，但上面各行相加是 {sums[k]:,.2f}，"
                                      "两者不一致，请核对"))
    return out


def _money(text: str) -> Decimal | None:
    """A non-negative amount with at most two decimals, as the cell shows it (1234.5, 1,234.50)."""
    s = text.strip()
    if not MONEY_RE.match(s):
        return None
    try:
        return Decimal(s.replace(",", "")).quantize(CENT)
    except InvalidOperation:
        return None
