"""Survey definitions (content/surveys/<id>.yaml): validated with the builder's schema and
loader, so a survey `python build.py check` accepts is one the survey service can run.

The generic field checks come from portal.schema.SURVEY; this module adds the rules a field
list cannot express (ids, choices per type, show_if targets) and builds frozen objects.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from . import problems as P
from . import schema
from .items import Record, Ref
from .load import RawDoc
from .problems import Problem
from .validate import check_fields

OTHER = "other"
OTHER_LABEL = "其他（请注明）"
DEFAULT_MAXLENGTH = {"text": 200, "textarea": 2000}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    help: str
    required: bool
    choices: tuple[Choice, ...]
    rows: tuple[Choice, ...]             # matrix rows: value = row id
    min: int | None
    max: int | None
    other: bool
    maxlength: int | None
    public: bool
    show_if: Record | None
    page: int                            # 1-based

    @property
    def scale(self) -> tuple[Choice, ...]:
        """The options offered: a choice list, the five 好差评 levels, or a numeric range."""
        if self.type == "scale5" or (self.type == "matrix" and not self.choices):
            return tuple(Choice(level, level) for level in schema.SCALE5)
        if self.type == "rating":
            lo, hi = schema.SCALE_RANGES["rating"]
            return tuple(Choice(str(n), str(n)) for n in range(lo, hi + 1))
        if self.type == "nps":
            lo, hi = schema.SCALE_RANGES["nps"]
            return tuple(Choice(str(n), str(n)) for n in range(lo, hi + 1))
        extra = (Choice(OTHER, OTHER_LABEL),) if self.other else ()
        return self.choices + extra


@dataclass(frozen=True)
class Survey:
    id: str
    title: str
    kind: str
    community: str
    opens: dt.date
    closes: dt.date
    access: str
    results: str
    intro: str
    satisfied: tuple[str, ...]
    pages: tuple[str, ...]               # page titles
    questions: tuple[Question, ...]
    version: str                         # sha256 of the definition file: stored with answers
    file: str
    keep_numbers: bool = False           # store free text with personal numbers unmasked

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def status(self, today: dt.date) -> str:
        """"open", "not_yet" (before opens) or "closed" (after closes)."""
        if today < self.opens:
            return "not_yet"
        if today > self.closes:
            return "closed"
        return "open"

    def page_questions(self, page: int) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.page == page)

    @property
    def headline(self) -> Question | None:
        """The first five-level question: the survey's 满意率, what breakdowns and 差评 use."""
        return next((q for q in self.questions if q.type == "scale5"), None)


def _condition_targets(cond: Record | None) -> list[str]:
    if cond is None:
        return []
    out = [cond.question] if cond.question else []
    for sub in (cond.get("all") or ()) + (cond.get("any") or ()):
        out += [sub.question] if sub.question else []
    return out


# Paths of the survey service under /survey/ that a survey id must not shadow.
RESERVED_IDS = frozenset({"admin", "api", "track", "healthz", "static"})
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Checked:
    """One survey file checked: the survey (None unless the file has no error of its own), its
    problems, and the references it makes (its community), for the model to resolve."""
    survey: Survey | None
    problems: tuple[Problem, ...]
    refs: tuple[Ref, ...]


def _question(q: Record, key: str, line: int, page: int, seen: dict[str, int],
              lines: dict[str, int], path: str) -> tuple[Question | None, list[Problem]]:
    """One question against the rules a field list cannot express."""
    if not q.id or not q.type or not q.label:
        return None, []      # reported by the field checks

    def err(k: str, label: str, message: str, here: int | None = None) -> Problem:
        where = here if here is not None else lines.get(f"{key}.{k}", line)
        return P.error(path, where, f"{key}.{k}", label, message)

    problems = []
    if q.id in seen:
        problems.append(err("id", "题目编号", f"题目编号 {q.id} 重复"))
    seen[q.id] = page
    if q.type in schema.CHOICE_TYPES and not q.choices:
        problems.append(err("choices", "选项", f"{q.type} 题必须列出选项", here=line))
    if q.type == "matrix" and not q.rows:
        problems.append(err("rows", "矩阵行", "矩阵题必须列出行", here=line))
    values = [c.value for c in q.choices]
    if len(set(values)) != len(values) or OTHER in values:
        problems.append(err("choices", "选项", f"选项值不能重复，也不能用保留值 {OTHER}"))
    if q.other and q.type not in schema.PICK_TYPES:
        problems.append(err("other", "允许“其他（请注明）”", "只有单选题和多选题可以有“其他（请注明）”"))
    for target in _condition_targets(q.show_if):
        if target not in seen or target == q.id:
            problems.append(err("show_if", "显示条件", f"显示条件引用的题目 {target} 不存在或不在本题之前"))
    return Question(
        q.id, q.type, q.label, q.help or "", bool(q.required),
        tuple(Choice(c.value, c.label) for c in q.choices),
        tuple(Choice(r.id, r.label) for r in q.rows), q.min, q.max, bool(q.other),
        q.maxlength or DEFAULT_MAXLENGTH.get(q.type), bool(q.public), q.show_if, page), problems


def _identity(rec: Record, lines: dict[str, int], doc: RawDoc) -> list[Problem]:
    problems = []
    stem = doc.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if rec.id and rec.id != stem:
        problems.append(P.error(doc.path, lines.get("id", 1), "id", "问卷编号", f"问卷编号应与文件名一致：{stem}"))
    if rec.id in RESERVED_IDS or (rec.id and not ID_RE.match(rec.id)):
        problems.append(P.error(doc.path, lines.get("id", 1), "id", "问卷编号",
                                f"问卷编号 {rec.id} 不可用：只能用小写字母、数字和连字符，且不能是 "
                                + "、".join(sorted(RESERVED_IDS)) + "（问卷服务的保留地址）"))
    if rec.opens and rec.closes and rec.closes < rec.opens:
        problems.append(P.error(doc.path, lines.get("closes", 1), "closes", "结束日期", "结束日期早于开始日期"))
    return problems


def validate_survey(doc: RawDoc) -> Checked:
    """Check one survey file. A survey is built only from a file with no error of its own: a
    typo in `access` must never leave an invitation-only survey open to everyone."""
    checked = check_fields(schema.SURVEY.fields, doc.data, doc.path)
    rec, lines = checked.record, checked.lines
    problems = list(checked.problems) + _identity(rec, lines, doc)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for p, page in enumerate(rec.pages or (), 1):
        for i, q in enumerate(page.questions or (), 1):
            key = f"pages[{p}].questions[{i}]"
            question, found = _question(q, key, lines.get(key, 1), p, seen, lines, doc.path)
            problems += found
            if question is not None:
                questions.append(question)
    if P.has_error(problems) or not questions:
        return Checked(None, tuple(problems), checked.refs)
    survey = Survey(rec.id, rec.title, rec.kind, rec.community or "district", rec.opens, rec.closes,
                    rec.access, rec.results, rec.intro or "",
                    tuple(rec.satisfied) or schema.SATISFIED_DEFAULT,
                    tuple(p.title or "" for p in rec.pages), tuple(questions),
                    hashlib.sha256(doc.text.encode("utf-8")).hexdigest(), doc.path, bool(rec.keep_numbers))
    return Checked(survey, tuple(problems), checked.refs)
