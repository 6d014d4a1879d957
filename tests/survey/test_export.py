"""Exports of real responses, submitted through the JSON API and read back from the store:
CSV and XLSX for staff (Chinese headings, choice labels, no formula injection) and the
canonical JSON of the stored answers."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import openpyxl
import pytest

from survey import export, store

BASE_OK = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "基本满意"}}
FULL = {**BASE_OK, "single": "other", "single.other": "自己填的", "multiple": ["a", "other"],
        "multiple.other": "自填", "rating": 4, "nps": 9, "rank": ["y", "x"], "text": "好",
        "number": 3, "date": "2026-11-01"}
PAYLOADS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def submit(client, answers, **extra):
    r = client.post("/survey/api/all-types/responses", json={"answers": answers, **extra})
    assert r.status_code == 201, r.json
    return r.json


def stored(app):
    survey = app.extensions["portal_site"].surveys["all-types"]
    return survey, store.responses(store.connect(app.config["SURVEY_DB"]), "all-types")


def sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))["答卷"]


def test_csv_is_utf8_with_bom_crlf_and_chinese_headings_that_round_trip(client, app):
    submit(client, FULL, context={"community": "huanghe", "window": "3"})
    submit(client, BASE_OK)
    survey, rows = stored(app)
    data = export.to_csv(survey, rows)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 3 and b"\n" not in data.replace(b"\r\n", b"")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    head, full, bare = parsed
    assert head == export.header(survey)
    assert head[:6] == ["回执号", "提交时间", "问卷版本", "服务事项", "窗口", "社区"]
    assert {"单选（其他）", "多选（其他）", "矩阵 - 态度", "矩阵 - 速度"} <= set(head)
    assert len(full) == len(bare) == len(head)
    cell = dict(zip(head, full, strict=True))
    assert cell["回执号"] == rows[0]["receipt"] and cell["窗口"] == "3" and cell["社区"] == "huanghe"
    assert cell["单选"] == "其他（请注明）" and cell["单选（其他）"] == "自己填的"
    assert cell["多选"] == "甲；其他（请注明）" and cell["多选（其他）"] == "自填"
    assert cell["排序"] == "二；一"                       # choice labels, in rank order
    assert cell["矩阵 - 态度"] == "满意" and cell["矩阵 - 速度"] == "基本满意"
    assert (cell["打分"], cell["推荐"], cell["数字"]) == ("4", "9", "3")
    empty = dict(zip(head, bare, strict=True))
    assert empty["打分"] == empty["排序"] == empty["多选（其他）"] == empty["服务事项"] == ""


def test_formula_payloads_are_neutralised_in_csv_and_xlsx(client, app):
    for payload in PAYLOADS:       # `both` is plain text, stored exactly as sent
        submit(client, {**BASE_OK, "rating": 5, "both": payload})
    survey, rows = stored(app)
    assert [r["answers"]["both"] for r in rows] == PAYLOADS
    col = export.header(survey).index("组合条件")
    expected = ["'" + p for p in PAYLOADS]

    parsed = list(csv.reader(io.StringIO(export.to_csv(survey, rows).decode("utf-8-sig"), newline="")))
    assert [row[col] for row in parsed[1:]] == expected

    ws = sheet(export.to_xlsx(survey, rows))
    cells = [ws.cell(row=n, column=col + 1) for n in range(2, 2 + len(PAYLOADS))]
    assert [c.value for c in cells] == [e.replace("\r", "\n") for e in expected]   # XML reads CR as LF
    assert all(c.data_type == "s" for c in cells)        # text, never a formula


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("-", "'-"), ("a=b", "a=b"),
                                         ("满意", "满意"), ("", "")])
def test_neutralise_prefixes_only_formula_starts(value, safe):
    assert export.neutralise(value) == safe


def test_xlsx_has_a_bold_frozen_heading_and_numeric_numbers(client, app):
    submit(client, FULL)
    survey, rows = stored(app)
    ws = sheet(export.to_xlsx(survey, rows))
    head = [c.value for c in ws[1]]
    assert head == export.header(survey)
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    cell = dict(zip(head, (c.value for c in ws[2]), strict=True))
    assert (cell["打分"], cell["推荐"], cell["数字"]) == (4, 9, 3)
    assert cell["多选"] == "甲；其他（请注明）" and cell["满意度"] == "满意"
    assert ws.column_dimensions["B"].width >= len(rows[0]["submitted"])


def test_xlsx_is_byte_identical_for_the_same_responses(client, app):
    submit(client, FULL)
    survey, rows = stored(app)
    first = export.to_xlsx(survey, rows)
    assert export.to_xlsx(survey, rows) == first
    assert export.to_xlsx(survey, []) == export.to_xlsx(survey, [])


def test_xlsx_survives_control_characters_that_xml_cannot_carry(client, app):
    submit(client, {**BASE_OK, "rating": 5, "both": "a\x01b"})
    survey, rows = stored(app)
    assert rows[0]["answers"]["both"] == "ab"          # stripped before storage (survey.answers.plain)
    rows[0]["answers"]["both"] = "a\x01b"             # as a response stored before that was
    ws = sheet(export.to_xlsx(survey, rows))
    assert ws.cell(row=2, column=export.header(survey).index("组合条件") + 1).value == "a\ufffdb"


def test_json_export_is_the_stored_responses_with_a_stable_sha256(client, app):
    submit(client, FULL, context={"community": "huanghe"})
    submit(client, {**BASE_OK, "rating": 5, "both": "=1"})
    survey, rows = stored(app)
    data = export.to_json(rows)
    assert json.loads(data) == rows
    assert data.endswith(b"\n") and "其他".encode() not in data and "满意".encode() in data
    again = export.to_json(stored(app)[1])
    assert again == data and export.sha256(again) == export.sha256(data) == hashlib.sha256(data).hexdigest()
    assert export.render("json", survey, rows) == data


def test_render_picks_the_format_and_refuses_unknown_ones_in_chinese(client, app):
    submit(client, BASE_OK)
    survey, rows = stored(app)
    assert export.render("csv", survey, rows) == export.to_csv(survey, rows)
    assert export.FORMATS["xlsx"].extension == "xlsx"
    assert export.FORMATS["csv"].mimetype == "text/csv; charset=utf-8"
    with pytest.raises(ValueError, match="导出格式只能是 csv、xlsx 或 json"):
        export.render("pdf", survey, rows)


def test_the_csv_download_names_its_charset_once(staff_client):
    r = staff_client.get("/survey/admin/all-types/export.csv")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
