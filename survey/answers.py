"""Parse and validate a submission. One code path for the HTML form and the JSON API: the form
is first turned into the API's value shapes (DESIGN §5), then both are checked the same way.

show_if conditions are evaluated here, on the server, from structured data (never eval).
A hidden question's answer is dropped and never required.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from portal import schema
from portal.items import Record
from portal.personal_data import redact
from portal.surveys import OTHER, Question, Survey
from portal.validate import parse_date

CONDITION_KEYS = ("question", "equals", "in", "not_in", "answered")
# Characters nobody means to type into an answer, stripped before anything else sees it: NUL and
# the other C0 controls but tab and line breaks (a review page would print them raw, an XLSX
# export cannot hold them), and the bidi marks, embeddings, overrides and isolates, which make
# staff read text in an order the resident did not write (U+202E turns "不满意" around).
UNSEEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """A resident's text without the characters in UNSEEN."""
    return UNSEEN.sub("", text)


@dataclass(frozen=True)
class AnswerError:
    """A problem with a submission (or a staff form), naming the field it is about."""
    question: str
    message: str


def api_condition(c: Record | None) -> dict[str, Any] | None:
    """A show_if as the API and the form's script see it (DESIGN §5): plain JSON values."""
    if c is None:
        return None
    out: dict[str, Any] = {k: c[k] for k in CONDITION_KEYS if c.get(k) not in (None, ())}
    for k in ("all", "any"):
        if c.get(k):
            out[k] = [api_condition(sub) for sub in c[k]]
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def _matches(cond, answers: Mapping[str, Any], unknown: frozenset[str] = frozenset()) -> bool:
    if cond.question in unknown:
        return True              # answered on the same page: shown, decided on submit
    value = answers.get(cond.question)
    values = [str(v) for v in value] if isinstance(value, list) else \
        ([] if value in (None, "", {}) else [str(value)])
    if cond.answered is not None and bool(values) != cond.answered:
        return False
    if cond.equals is not None and str(cond.equals) not in values:
        return False
    if cond.get("in") and not any(v in cond["in"] for v in values):
        return False
    if cond.not_in and any(v in cond.not_in for v in values):
        return False
    return True


def visible(q: Question, answers: Mapping[str, Any], unknown: frozenset[str] = frozenset()) -> bool:
    """Whether a question is shown, given the answers so far (its conditions name earlier
    questions only, which the definition check guarantees). Conditions on `unknown`
    questions (same page, not yet submitted) count as met, so a form without JavaScript
    shows the question; on submit the real answers decide."""
    c = q.show_if
    if c is None:
        return True
    if c.question and not _matches(c, answers, unknown):
        return False
    if c.get("all") and not all(_matches(sub, answers, unknown) for sub in c["all"]):
        return False
    if c.get("any") and not any(_matches(sub, answers, unknown) for sub in c["any"]):
        return False
    return True


def describe(cond, survey) -> str:
    """A resident-readable sentence for a show_if on a same-page question."""
    parts = []
    for c in ([cond] if cond.question else []) + list(cond.get("all") or ()) + list(cond.get("any") or ()):
        q = survey.question(c.question)
        name = f"“{q.label}”" if q else c.question
        if c.equals is not None:
            parts.append(f"{name}选择“{c.equals}”")
        elif c.get("in"):
            parts.append(f"{name}选择" + "或".join(f"“{v}”" for v in c["in"]))
        elif c.not_in:
            parts.append(f"{name}没有选择" + "或".join(f"“{v}”" for v in c.not_in))
        elif c.answered is not None:
            parts.append(f"{name}{'已' if c.answered else '未'}作答")
    joiner = "，或" if cond.get("any") else "，且"
    return "仅在" + joiner.join(parts) + "时填写" if parts else ""


def _form_value(q: Question, form: Any) -> Any:
    """One question's fields in the API's value shape; None when unanswered."""
    if q.type == "multiple":
        return [v for v in form.getlist(q.id) if v] or None
    if q.type == "ranking":
        ranked = [form.get(f"{q.id}.{n}") or "" for n in range(1, len(q.choices) + 1)]
        return ranked if any(ranked) else None
    if q.type == "matrix":
        return {r.value: form.get(f"{q.id}.{r.value}") for r in q.rows if form.get(f"{q.id}.{r.value}")} or None
    raw = plain(form.get(q.id) or "").strip()
    if raw == "":
        return None
    if q.type in schema.INTEGER_TYPES:
        try:
            return int(raw)
        except ValueError:
            return raw                  # reported by check() with the question's name
    return raw


def from_form(survey: Survey, form: Any, questions: tuple[Question, ...]) -> dict[str, Any]:
    """HTML form fields → the API's value shapes, for the given questions."""
    out: dict[str, Any] = {}
    for q in questions:
        value = _form_value(q, form)
        if value is not None:
            out[q.id] = value
        if q.other and (value is not None or q.type == "multiple"):
            other = plain(form.get(f"{q.id}.other") or "").strip()
            if other:
                out[f"{q.id}.other"] = other
    return out


Checker = Callable[[Question, Any], "str | None"]


def _choice(q: Question, v: Any) -> str | None:
    if not isinstance(v, str) or v not in [c.value for c in q.scale]:
        return "请从给出的选项中选择"
    return None


def _multiple(q: Question, v: Any) -> str | None:
    allowed = [c.value for c in q.scale]
    if not isinstance(v, list) or not all(isinstance(x, str) and x in allowed for x in v):
        return "请从给出的选项中选择"
    if len(set(v)) != len(v):
        return "同一选项只能选一次"
    if q.min is not None and len(v) < q.min:
        return f"请至少选择 {q.min} 项"
    if q.max is not None and len(v) > q.max:
        return f"最多只能选择 {q.max} 项"
    return None


def _ranking(q: Question, v: Any) -> str | None:
    if not isinstance(v, list) or sorted(v) != sorted(c.value for c in q.choices):
        return "请为每一项排出不重复的名次"
    return None


def _integer(q: Question, v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int):
        return "请填写整数"
    lo, hi = schema.SCALE_RANGES.get(q.type, (q.min, q.max))
    if lo is not None and v < lo:
        return f"不能小于 {lo}"
    if hi is not None and v > hi:
        return f"不能大于 {hi}"
    return None


def _matrix(q: Question, v: Any) -> str | None:
    rows, allowed = {r.value for r in q.rows}, [c.value for c in q.scale]
    if not isinstance(v, dict) or not set(v) <= rows or not all(x in allowed for x in v.values()):
        return "请在每一行中从给出的选项中选择"
    if q.required and set(v) != rows:
        return "请对每一行都作出选择"
    return None


def _text(q: Question, v: Any) -> str | None:
    if not isinstance(v, str):
        return "请填写文字"
    if q.type == "text" and "\n" in v:
        return "请在一行内填写"
    if q.maxlength and len(v) > q.maxlength:
        return f"最多 {q.maxlength} 字，目前 {len(v)} 字"
    return None


def _date(q: Question, v: Any) -> str | None:
    if not isinstance(v, str) or parse_date(v) is None:
        return "日期格式应为 YYYY-MM-DD，如 2026-03-01"
    return None


CHECKERS: dict[str, Checker] = {
    "single": _choice, "scale5": _choice, "multiple": _multiple, "ranking": _ranking,
    **{t: _integer for t in schema.INTEGER_TYPES}, "matrix": _matrix,
    **{t: _text for t in schema.TEXT_TYPES}, "date": _date,
}


def _free_text(survey: Survey) -> set[str]:
    """The answer keys that hold a resident's own words: text questions and 其他（请注明）."""
    return {q.id for q in survey.questions if q.type in schema.TEXT_TYPES} | \
        {f"{q.id}.other" for q in survey.questions if q.other}


def masked(survey: Survey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with every ID, mobile and card number in free text masked."""
    keys = _free_text(survey)
    return {k: redact(v) if k in keys and isinstance(v, str) else v for k, v in answers.items()}


def to_store(survey: Survey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """What is stored: masked, unless the survey says to keep the raw text."""
    return dict(answers) if survey.keep_numbers else masked(survey, answers)


def check(survey: Survey, answers: Mapping[str, Any],
          questions: tuple[Question, ...] | None = None) -> tuple[dict[str, Any], list[AnswerError]]:
    """Validate answers (API shapes). Returns the answers to store (hidden and unknown ones
    dropped) and the errors, each naming its question."""
    questions = survey.questions if questions is None else questions
    known = {q.id for q in survey.questions} | {f"{q.id}.other" for q in survey.questions if q.other}
    errors = [AnswerError(k, "问卷中没有这道题") for k in answers if k not in known]
    clean: dict[str, Any] = {}
    for q in questions:
        if not visible(q, {**answers, **clean}):
            continue
        v = answers.get(q.id)
        if isinstance(v, str) and q.type in schema.TEXT_TYPES:
            v = plain(v)             # the API's answers; the form's were stripped by from_form
        if v in (None, "", [], {}):
            if q.required:
                errors.append(AnswerError(q.id, f"“{q.label}”是必答题"))
            continue
        problem = CHECKERS[q.type](q, v)
        if problem:
            errors.append(AnswerError(q.id, f"“{q.label}”：{problem}"))
            continue
        clean[q.id] = v
        if q.other:
            chose_other = v == OTHER or (isinstance(v, list) and OTHER in v)
            text = answers.get(f"{q.id}.other")
            text = plain(text) if isinstance(text, str) else text
            if not chose_other:
                continue
            if not (isinstance(text, str) and text.strip()):
                errors.append(AnswerError(q.id, f"“{q.label}”：选择了“其他”，请注明"))
            else:
                if len(text) > 200:
                    errors.append(AnswerError(q.id, f"“{q.label}”：“其他”最多 200 字"))
                clean[f"{q.id}.other"] = text.strip()
    return clean, errors

