"""Exports of a survey's responses for staff: CSV and XLSX tables with Chinese headings and
choice labels, and the canonical JSON of the stored answers (DESIGN §5 value shapes).

Pure functions: a survey definition and `store.responses()` in, bytes out. Every string cell
of a spreadsheet is guarded against formula injection; the JSON export is canonical, so its
sha256 is reproducible.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable
from typing import Any, NamedTuple

from portal import schema
from portal.surveys import Question, Survey

from . import answers

CONTEXT_COLUMNS = (("service", "服务事项"), ("window", "窗口"), ("community", "社区"))
FIXED_HEADER = ("回执号", "提交时间", "问卷版本") + tuple(h for _, h in CONTEXT_COLUMNS)
JOIN = "；"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE = "答卷"
FORMAT_ERROR = "导出格式只能是 csv、xlsx 或 json"

# XML 1.0 cannot carry these control characters; openpyxl refuses a cell holding one.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = dt.datetime(1980, 1, 1)          # the earliest time a zip entry can carry


def neutralise(value: str) -> str:
    """A string a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def header(survey: Survey) -> list[str]:
    """Column headings: receipt, time, version, context, then one column per question
    (per row for a matrix, plus one for the “其他” text where a question allows it)."""
    out = list(FIXED_HEADER)
    for q in survey.questions:
        if q.type == "matrix":
            out += [f"{q.label} - {r.label}" for r in q.rows]
        else:
            out.append(q.label)
        if q.other:
            out.append(f"{q.label}（其他）")
    return out


def _cell(value: Any, labels: dict[str, str]) -> str | int:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        return JOIN.join(str(labels.get(v, v)) for v in value)
    if isinstance(value, str):
        return labels.get(value, value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _labels(q: Question) -> dict[str, str]:
    return {c.value: c.label for c in q.scale} if q.type in schema.CHOICE_VALUE_TYPES else {}


def table(survey: Survey, responses: list[dict[str, Any]]) -> list[list[str | int]]:
    """One row per response, in header() order: choice labels rather than stored values,
    lists joined with “；” (a ranking in rank order), integers as integers, "" when unanswered.
    Strings are as answered (not neutralised)."""
    labels = {q.id: _labels(q) for q in survey.questions}
    rows = []
    for resp in responses:
        answers, context = resp.get("answers") or {}, resp.get("context") or {}
        row: list[str | int] = [resp.get("receipt", ""), resp.get("submitted", ""), resp.get("version", "")]
        row += [_cell(context.get(key), {}) for key, _ in CONTEXT_COLUMNS]
        for q in survey.questions:
            value = answers.get(q.id)
            if q.type == "matrix":
                value = value if isinstance(value, dict) else {}
                row += [_cell(value.get(r.value), labels[q.id]) for r in q.rows]
            else:
                row.append(_cell(value, labels[q.id]))
            if q.other:
                row.append(_cell(answers.get(f"{q.id}.other"), {}))
        rows.append(row)
    return rows


def _safe(cell: str | int) -> str | int:
    return neutralise(cell) if isinstance(cell, str) else cell


def to_csv(survey: Survey, responses: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a BOM (so Excel reads the Chinese), CRLF line ends, strings neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_safe(h) for h in header(survey)])
    writer.writerows([_safe(c) for c in row] for row in table(survey, responses))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _width(cell: str | int) -> int:
    """Display width of the longest line: CJK characters take two columns."""
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
               for line in str(cell).splitlines() or [""])


def _newest(responses: list[dict[str, Any]]) -> dt.datetime:
    """The newest submission time in UTC (naive, as openpyxl expects), or a fixed epoch."""
    times = []
    for r in responses:
        try:
            t = dt.datetime.fromisoformat(r.get("submitted", ""))
        except (TypeError, ValueError):
            continue
        times.append(t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t)
    return max([t for t in times if t >= _EPOCH], default=_EPOCH)


class _FixedTimeZip(zipfile.ZipFile):
    """Every entry gets the same timestamp, so one set of responses gives the same bytes."""
    when: tuple[int, int, int, int, int, int] = _EPOCH.timetuple()[:6]

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.when)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)


def to_xlsx(survey: Survey, responses: list[dict[str, Any]]) -> bytes:
    """One sheet “答卷”: bold, frozen heading row, columns sized to their contents, strings
    neutralised, integers as numbers. Deterministic: times are taken from the responses."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    rows = [header(survey)] + table(survey, responses)
    widths = [0] * len(rows[0])
    for row in rows:
        cells = [_XML_ILLEGAL.sub("\ufffd", c) if isinstance(c, str) else c for c in map(_safe, row)]
        ws.append(cells)
        widths = [max(w, _width(c)) for w, c in zip(widths, cells, strict=True)]
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)

    when = _newest(responses)
    wb.properties.title = survey.title
    wb.properties.creator = "社区门户"
    wb.properties.created = wb.properties.modified = when
    buf = io.BytesIO()
    archive = _FixedTimeZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.when = when.timetuple()[:6]
    ExcelWriter(wb, archive).save()     # not save_workbook(), which stamps the current time
    return buf.getvalue()


def to_json(responses: list[dict[str, Any]]) -> bytes:
    """The stored responses, answers in the API's value shapes, as canonical JSON."""
    keys = ("receipt", "submitted", "version", "context", "answers")
    data = [{k: r.get(k) for k in keys} for r in responses]
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Format(NamedTuple):
    render: Callable[[Survey, list[dict[str, Any]]], bytes]
    mimetype: str
    extension: str


FORMATS: dict[str, Format] = {
    "csv": Format(to_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": Format(to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": Format(lambda survey, responses: to_json(responses), "application/json", "json"),
}


def for_staff(survey: Survey, responses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What staff may see of the responses: personal numbers in free text masked, even where
    the survey keeps the raw text."""
    return [{**r, "answers": answers.masked(survey, r["answers"])} for r in responses]


def render(fmt: str, survey: Survey, responses: list[dict[str, Any]]) -> bytes:
    """The export in the named format, as staff may see it; ValueError (a Chinese message) for
    any other format."""
    if fmt not in FORMATS:
        raise ValueError(FORMAT_ERROR)
    return FORMATS[fmt].render(survey, for_staff(survey, responses))
