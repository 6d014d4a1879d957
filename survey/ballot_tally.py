"""Paper ballots of a 评议 meeting (民主测评, mostly on paper): what staff enter, the rules it
must keep, whether two people's entries agree, and the results document that combines an
agreed paper tally with the online responses (pure; survey.ballots is the web side, the
store keeps the entries).

An entry: the meeting's date and a label, 发出 / 收回 / 有效 / 废票 counts, and a tally sheet of
marks per question (a matrix: per row, i.e. per 述职岗位) and option, 弃权 included where the
scale offers it. Rules: 收回 ≤ 发出, 有效 + 废票 = 收回, and the marks of one question or row
≤ 有效 (a valid ballot may leave a row blank). Two different people enter the same sheets
independently; the tally is used only when their newest entries agree.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.surveys import Question, Survey

from . import export, publish

COUNTS = (("issued", "发出票数"), ("returned", "收回票数"), ("valid", "有效票数"), ("invalid", "废票数"))
MAX_BALLOTS = 100_000
Marks = dict[str, dict[str, dict[str, int]]]     # question id → row id ("" for one question) → option → marks


@dataclass(frozen=True)
class Problem:
    field: str          # the form field's name
    message: str        # for staff, in Chinese, naming the field


def tallied(survey: Survey) -> list[Question]:
    """The questions a paper ballot is tallied for: one answer per person, or a matrix."""
    return [q for q in survey.questions if q.type in ("single", "scale5", "rating", "nps", "matrix")]


def rows_of(q: Question) -> list[tuple[str, str]]:
    """(row id, label) of a tallied question: its matrix rows, or the question itself."""
    return [(r.value, r.label) for r in q.rows] if q.type == "matrix" else [("", q.label)]


def mark_field(qid: str, row: str, option: str) -> str:
    return f"m.{qid}.{row}.{option}"


def _number(form: Mapping[str, str], name: str, label: str, problems: list[Problem]) -> int:
    text = (form.get(name) or "").strip() or "0"
    if not text.isdigit() or int(text) > MAX_BALLOTS:
        problems.append(Problem(name, f"{label}应为不小于 0 的整数（不超过 {MAX_BALLOTS}），而不是“{text}”"))
        return 0
    return int(text)


def parse(survey: Survey, form: Mapping[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """A form's entry (without who and when) and its problems."""
    problems: list[Problem] = []
    held = _held(survey, (form.get("held") or "").strip(), problems)
    entry: dict[str, Any] = {"held": held, "label": (form.get("label") or "").strip()[:100]}
    for key, label in COUNTS:
        entry[key] = _number(form, key, label, problems)
    marks: Marks = {}
    for q in tallied(survey):
        marks[q.id] = {row: {c.value: _number(form, mark_field(q.id, row, c.value), f"“{rl}”的“{c.label}”票数",
                                              problems) for c in q.scale}
                       for row, rl in rows_of(q)}
    entry["marks"] = marks
    return entry, problems + rules(survey, entry)


def _held(survey: Survey, text: str, problems: list[Problem]) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        problems.append(Problem("held", f"会议日期应写成 YYYY-MM-DD（如 {survey.opens}），而不是“{text}”"))
        return text
    if not survey.opens <= day <= survey.closes:
        problems.append(Problem("held", f"会议日期 {day} 不在本次评议的时间内（{survey.opens} 至 {survey.closes}）"))
    return day.isoformat()


def rules(survey: Survey, e: Mapping[str, Any]) -> list[Problem]:
    """收回 ≤ 发出, 有效 + 废票 = 收回, marks per question or row ≤ 有效."""
    out = []
    if e["returned"] > e["issued"]:
        out.append(Problem("returned", f"收回票数 {e['returned']} 多于发出票数 {e['issued']}："
                                       "收回的票数多于发出的票数，测评无效，请核对"))
    if e["valid"] + e["invalid"] != e["returned"]:
        out.append(Problem("valid", f"有效票数 {e['valid']} 加废票数 {e['invalid']} 应等于收回票数 {e['returned']}"))
    for q in tallied(survey):
        for row, label in rows_of(q):
            total = sum(e["marks"].get(q.id, {}).get(row, {}).values())
            if total > e["valid"]:
                first = q.scale[0].value if q.scale else ""
                out.append(Problem(mark_field(q.id, row, first),
                                   f"“{label}”各项票数合计 {total}（含弃权）多于有效票数 {e['valid']}"))
    return out


# --- two people's entries ------------------------------------------------------------------

def _compared(e: Mapping[str, Any]) -> dict[str, Any]:
    return {"held": e["held"], **{k: e[k] for k, _ in COUNTS}, "marks": e["marks"]}


def differences(survey: Survey, a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """Where two entries differ, in Chinese (field, then each person's value)."""
    out = []
    who = f"{a['staff']} 录入 {{}}，{b['staff']} 录入 {{}}"
    if a["held"] != b["held"]:
        out.append("会议日期：" + who.format(a["held"], b["held"]))
    for key, label in COUNTS:
        if a[key] != b[key]:
            out.append(f"{label}：" + who.format(a[key], b[key]))
    for q in tallied(survey):
        for row, label in rows_of(q):
            for c in q.scale:
                x = a["marks"].get(q.id, {}).get(row, {}).get(c.value, 0)
                y = b["marks"].get(q.id, {}).get(row, {}).get(c.value, 0)
                if x != y:
                    out.append(f"“{label}”的“{c.label}”：" + who.format(x, y))
    return out


@dataclass(frozen=True)
class Status:
    state: str                      # none, waiting (one person), agreed, mismatch
    entries: tuple[dict[str, Any], ...]
    differences: tuple[str, ...] = ()

    @property
    def agreed(self) -> dict[str, Any] | None:
        return self.entries[-1] if self.state == "agreed" else None


STATE_LABELS = {"none": "尚未录入", "waiting": "已有一人录入，等待另一名工作人员独立录入核对",
                "agreed": "两人录入一致，可以使用", "mismatch": "两人录入不一致，请核对纸质票后重新录入"}


def status(survey: Survey, newest: list[dict[str, Any]]) -> Status:
    """From each person's newest entry: agreed when two or more people entered exactly the same."""
    if not newest:
        return Status("none", ())
    if len(newest) == 1:
        return Status("waiting", tuple(newest))
    last, before = newest[-1], newest[-2]
    if all(_compared(e) == _compared(last) for e in newest):
        return Status("agreed", tuple(newest))
    return Status("mismatch", tuple(newest), tuple(differences(survey, before, last)))


# --- the results document -------------------------------------------------------------------

def paper_source(e: Mapping[str, Any]) -> dict[str, Any]:
    return {"channel": "纸质", "label": e["label"] or f"{e['held']}会场纸质测评", "responses": e["valid"],
            "issued": e["issued"], "returned": e["returned"], "valid": e["valid"], "invalid": e["invalid"]}


def _online_counts(entry: Mapping[str, Any] | None) -> tuple[int, dict[str, int], dict[str, dict[str, int]]]:
    """answered, counts and row counts of a question's online entry (none: zeros)."""
    if entry is None:
        return 0, {}, {}
    counts = {c["value"]: c["count"] for c in entry.get("counts", ())}
    rows = {r["id"]: {c["value"]: c["count"] for c in r["counts"]} for r in entry.get("rows", ())}
    return entry["answered"], counts, rows


def _question(survey: Survey, q: Question, online: Mapping[str, Any] | None, marks: Marks) -> dict[str, Any]:
    answered, counts, rows = _online_counts(online)
    paper = marks.get(q.id, {})
    if q.type == "matrix":
        added = {r: publish.add_counts(rows.get(r, {}), paper.get(r, {})) for r, _ in rows_of(q)}
        on_paper = max((sum(v.values()) for v in paper.values()), default=0)
        return publish.entry_from_counts(q, answered + on_paper, rows=added, satisfied=survey.satisfied)
    got = paper.get("", {})
    return publish.entry_from_counts(q, answered + sum(got.values()), counts=publish.add_counts(counts, got),
                                     satisfied=survey.satisfied)


def _untallied(q: Question) -> dict[str, Any]:
    """A question paper ballots do not tally, when nobody answered it online."""
    out: dict[str, Any] = {"id": q.id, "type": q.type, "label": q.label, "answered": 0}
    if q.type in ("multiple",):
        return publish.entry_from_counts(q, 0, counts={})
    if q.type == "ranking":
        out["ranks"] = [{"value": c.value, "label": c.label, "mean": ""} for c in q.choices]
    elif q.type == "number":
        out["mean"] = ""
    return out


def combined(survey: Survey, online_doc: dict[str, Any] | None, online: list[dict[str, Any]],
             paper: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The results document of online responses (their document from survey.publish, or None
    when there are none) and an agreed paper tally added together; `sources` says how many came
    from each, and the export's digest covers both (the online export and the paper entry)."""
    by_id = {q["id"]: q for q in (online_doc or {}).get("questions", ())}
    ids = {q.id for q in tallied(survey)}
    questions = [_question(survey, q, by_id.get(q.id), paper["marks"]) if q.id in ids
                 else by_id.get(q.id) or _untallied(q) for q in survey.questions]
    total = len(online) + paper["valid"]
    days = sorted([r["submitted"][:10] for r in online] + [paper["held"]])
    source = paper_source(paper)
    digest = export.sha256(json.dumps({"online": json.loads(export.to_json(online)), "paper": source | {
        "held": paper["held"], "marks": paper["marks"]}}, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    doc = {k: v for k, v in (online_doc or {}).items() if k not in ("breakdowns",)}
    doc.update({
        "survey": survey.id, "title": survey.title, "kind": survey.kind, "community": survey.community,
        "published": now.strftime("%Y-%m-%d %H:%M"), "first_response": days[0], "last_response": days[-1],
        "responses": total, "satisfied": list(survey.satisfied),
        "sources": ([{"channel": "网上", "label": "网上评议", "responses": len(online)}] if online else []) + [source],
        "export": {"format": "json", "responses": total, "sha256": digest},
        "questions": questions,
    })
    return {k: doc[k] for k in _ORDER if k in doc} | {k: v for k, v in doc.items() if k not in _ORDER}


_ORDER = ("survey", "title", "kind", "community", "published", "first_response", "last_response", "responses",
          "satisfied", "sources", "export", "questions")
