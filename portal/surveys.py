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
    # A question on a declared scale (portal.schema.SCALES): its name, the levels counted as
    # satisfied, whether 弃权 is offered and left out of the denominator, what the rate is
    # called and the weights of a 满意度指数 (empty: no index). Five-level questions without
    # a declared scale keep scale_name "" and the survey's satisfied levels.
    scale_name: str = ""
    levels: tuple[str, ...] = ()
    abstain: bool = False
    exclude_abstain: bool = True
    rate_name: str = ""
    weights: tuple[tuple[str, int], ...] = ()

    @property
    def scale(self) -> tuple[Choice, ...]:
        """The options offered: a declared scale (with 弃权 where offered), a choice list, the
        five 好差评 levels, or a numeric range."""
        if self.scale_name:
            extra = (Choice(schema.ABSTAIN, schema.ABSTAIN),) if self.abstain else ()
            return tuple(Choice(level, level) for level in schema.scale_levels(self.scale_name)) + extra
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
    scale: str = ""                      # the declared scale of its unlisted single/matrix questions
    results_after_close: bool = False    # results may be published only once it has closed
    period: str = ""                     # 2026年度: what pooled tables and the home page call it
    annual: bool = False                 # its latest results show on the home and community pages
    pool_label: str = ""                 # 两年来: its results pooled with earlier surveys' …
    pool: tuple[str, ...] = ()           # … these (survey ids), from counts
    pool_line: int = 0                   # the line of `pool` in its file

    def publishable(self, today: dt.date) -> bool:
        """Whether its results may be published on `today`: any time, or (评议 surveys and
        those that say so) only after it has closed."""
        return not self.results_after_close or today > self.closes

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
        """The first five-level question, else the first single question on a declared scale:
        the survey's 满意率, what breakdowns and 差评 use."""
        return next((q for q in self.questions if q.type == "scale5"), None) or \
            next((q for q in self.questions if q.type == "single" and q.scale_name), None)


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


def _scale_words(name: str) -> str:
    return f"量表“{name}”（{'、'.join(schema.scale_levels(name))}）"


def _level_problems(levels, weights, name: str, where) -> list[Problem]:
    """Satisfied levels and index weights name levels of the scale `name`; `where(k, label,
    message, j)` makes the Problem at the j-th entry of key k."""
    allowed = set(schema.scale_levels(name))
    out = [where("satisfied", "计入满意的等级", f"“{lv}”不是{_scale_words(name)}中的等级", j)
           for j, lv in enumerate(levels or (), 1) if lv not in allowed]
    seen: set[str] = set()
    for j, w in enumerate(weights or (), 1):
        if w.level and w.level not in allowed:
            out.append(where("weights", "指数权重", f"“{w.level}”不是{_scale_words(name)}中的等级，不能设权重", j))
        elif w.level in seen:
            out.append(where("weights", "指数权重", f"等级“{w.level}”的权重重复", j))
        seen.add(w.level)
    if weights and not out and seen != allowed:
        missing = [lv for lv in schema.scale_levels(name) if lv not in seen]
        out.append(where("weights", "指数权重", f"应为量表的每个等级设权重，缺少：{'、'.join(missing)}", 0))
    return out


def _scale_of(q: Record, survey: Record) -> str:
    """The declared scale a question uses: its own, else the survey's for a single or matrix
    question that lists no choices; "" for none (a matrix then uses the five 好差评 levels)."""
    if q.scale:
        return q.scale
    if survey.scale and q.type in SCALED_TYPES and not q.choices:
        return survey.scale
    return ""


SCALED_TYPES = ("single", "matrix")


def _scaled(q: Record, survey: Record | None, err, line_at) -> tuple[dict, list[Problem]]:
    """A question's declared scale resolved against its survey's defaults (the Question fields
    scale_name, levels, abstain, exclude_abstain, rate_name, weights; {} for none) and the
    mistakes in it. `err(key, label, message, here=line)` makes a Problem; `line_at(key, j)`
    the line of the j-th entry of key."""
    scale = _scale_of(q, survey) if survey is not None else (q.scale or "")
    problems = []
    if q.scale and q.type not in SCALED_TYPES:
        problems.append(err("scale", "量表", "只有单选题和矩阵题可以指定量表"))
        scale = ""
    elif q.scale and q.choices:
        problems.append(err("scale", "量表", "已指定量表的题目不再列出选项（choices），请删除其中一项"))
    if not scale:
        if q.satisfied or q.weights or q.abstain:
            k = "satisfied" if q.satisfied else "weights" if q.weights else "abstain"
            problems.append(err(k, {"satisfied": "计入满意的等级", "weights": "指数权重", "abstain": "可弃权"}[k],
                                "本题没有指定量表（scale），不能设置此项"))
        return {}, problems

    def at(k: str, label: str, message: str, j: int) -> Problem:
        return err(f"{k}[{j}]" if j else k, label, message, here=line_at(k, j))
    problems += _level_problems(q.satisfied, q.weights, scale, at)
    inherited = tuple(survey.satisfied or ()) if survey is not None else ()
    levels = tuple(q.satisfied) or (inherited if inherited and set(inherited) <= set(schema.scale_levels(scale))
                                    else schema.scale_satisfied(scale))
    weights = q.weights or (survey.weights if survey is not None and survey.scale == scale else ()) or ()
    return {"scale_name": scale, "levels": levels,
            "abstain": bool(q.abstain if q.abstain is not None else (survey.abstain if survey else False)),
            "exclude_abstain": bool(survey.exclude_abstain) if survey is not None else True,
            "rate_name": q.rate_name or schema.scale_rate(scale),
            "weights": tuple((w.level, w.weight) for w in weights)}, problems


def _question(q: Record, key: str, line: int, page: int, seen: dict[str, int],
              lines: dict[str, int], path: str, survey: Record | None = None
              ) -> tuple[Question | None, list[Problem]]:
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
    scaled, found = _scaled(q, survey, err, lambda k, j: lines.get(f"{key}.{k}[{j}]", lines.get(f"{key}.{k}", line)))
    problems += found
    if q.type in schema.CHOICE_TYPES and not q.choices and not scaled:
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
        q.maxlength or DEFAULT_MAXLENGTH.get(q.type), bool(q.public), q.show_if, page, **scaled), problems


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
    scale = rec.scale or schema.SCALE5_NAME

    def at(k: str, label: str, message: str, j: int) -> Problem:
        return P.error(doc.path, lines.get(f"{k}[{j}]", lines.get(k, 1)), f"{k}[{j}]" if j else k, label, message)
    problems += _level_problems(rec.satisfied, rec.weights, scale, at)
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
            question, found = _question(q, key, lines.get(key, 1), p, seen, lines, doc.path, rec)
            problems += found
            if question is not None:
                questions.append(question)
    if P.has_error(problems) or not questions:
        return Checked(None, tuple(problems), checked.refs)
    survey = Survey(rec.id, rec.title, rec.kind, rec.community or "district", rec.opens, rec.closes,
                    rec.access, rec.results, rec.intro or "",
                    tuple(rec.satisfied) or (schema.scale_satisfied(rec.scale) if rec.scale
                                             else schema.SATISFIED_DEFAULT),
                    tuple(p.title or "" for p in rec.pages), tuple(questions),
                    hashlib.sha256(doc.text.encode("utf-8")).hexdigest(), doc.path, bool(rec.keep_numbers),
                    rec.scale or "",
                    rec.kind == "评议" if rec.results_after_close is None else bool(rec.results_after_close),
                    rec.period or "", bool(rec.annual), rec.pool.label if rec.pool else "",
                    tuple(x for x in (rec.pool.surveys if rec.pool else ()) if x), lines.get("pool", 0))
    return Checked(survey, tuple(problems), checked.refs)
