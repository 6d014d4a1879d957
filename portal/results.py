"""Published survey results (content/results/<sid>.yaml) → what the results page shows.

The file holds counts only; every rate here is computed with portal.rates (two decimals,
half-up; one decimal where fewer than rates.FEW answered), so a published percentage can always
be traced to two counts. `view` is
pure: a validated results item and its survey in, frozen values out; the template formats.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import rates, rectification, schema
from .items import Item
from .rates import formula, index, index_formula, nps_groups, percent, rate_name, shown
from .surveys import Survey

UNSTATED = "未注明"
TYPE_NAMES = {"single": "单选题", "multiple": "多选题", "scale5": "满意度题", "rating": "评分题（1–5 分）",
              "nps": "推荐意愿题（0–10 分）", "matrix": "矩阵题", "ranking": "排序题", "number": "数字题",
              "text": "填空题", "textarea": "问答题", "date": "日期题"}
BREAKDOWN_HEADERS = {"community": "社区", "service": "服务事项", "window": "窗口", "month": "月份"}


@dataclass(frozen=True)
class Share:
    """`part` of `total` and its percentage string ("" when total is 0)."""
    part: int
    total: int
    percent: str

    @property
    def shown(self) -> str:
        """The percentage as the portal shows it (one decimal below rates.FEW answers)."""
        return shown(self.part, self.total)


def share(part: int, total: int) -> Share:
    return Share(part, total, percent(part, total))


@dataclass(frozen=True)
class Bar:
    """One row of charts.html's `bars`: a choice, how many chose it, and its share as shown
    (rates.shown)."""
    label: str
    count: int
    percent: str


@dataclass(frozen=True)
class MatrixRow:
    label: str
    counts: tuple[int, ...]          # in the order of QuestionView.levels
    answered: int
    satisfaction: Share
    abstained: int = 0               # 弃权 (declared scales that offer it)
    index: str = ""                  # 满意度指数 where weights are declared


@dataclass(frozen=True)
class Rank:
    order: int                       # 1 = most important (smallest mean position)
    label: str
    mean: str                        # "1.50", or "" when nobody ranked it


@dataclass(frozen=True)
class Nps:
    score: str                       # promoters' minus detractors' share of answers, e.g. "25.00"
    promoters: Share
    passives: Share
    detractors: Share


@dataclass(frozen=True)
class QuestionView:
    anchor: str                      # HTML id prefix, unique on the page
    id: str
    type: str
    type_name: str
    label: str
    answered: int
    bars: tuple[Bar, ...] = ()
    satisfaction: Share | None = None
    nps: Nps | None = None
    levels: tuple[str, ...] = ()
    rows: tuple[MatrixRow, ...] = ()
    ranks: tuple[Rank, ...] = ()
    mean: str = ""
    free_text: bool = False
    public: bool = False             # the survey publishes this question's answers verbatim
    texts: tuple[str, ...] = ()
    # Declared scales (portal.schema.SCALES): the rate's name, the formula it was computed
    # with, 弃权 and the valid answers it leaves, and the 满意度指数 with its formula.
    rate_name: str = ""
    formula: str = ""
    abstained: int = 0
    index: str = ""
    index_formula: str = ""


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    responses: int
    satisfaction: Share | None       # None when the survey has no five-level question


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str                       # 按社区
    header: str                      # 社区
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True)
class Case:
    """One 差评 and what was done about it, as of the results' publication."""
    opened: dt.date
    level: str
    reasons: tuple[str, ...]
    service: str                     # guide id ("" when not stated)
    service_label: str
    window: str
    community: str
    verdict: str                     # 属实 / 不属实, "" while not verified
    verified: dt.date | None
    reply_due: dt.date
    closed: dt.date | None
    on_time: bool | None             # answered by reply_due (None while open)
    state: str                       # closed / open / overdue on the build date (portal.rectification)
    state_label: str
    rectification: str
    reply: str
    followup: str = ""               # 回访 method ("" when not recorded)
    appeal: str = ""                 # 申诉复核: 成立 / 不成立, "" when none was decided


@dataclass(frozen=True)
class Cases:
    items: tuple[Case, ...]
    closed: int
    open: int
    overdue: int
    on_time: Share                   # closed cases answered by their deadline
    as_of: dt.date                   # the publication date: closed or not as of then
    today: dt.date                   # the date "overdue" is judged on (the build date)
    feedback: Share | None = None    # residents satisfied with the rectification, of those who said
    upheld: int = 0                  # 差评 whose 申诉 the district upheld


@dataclass(frozen=True)
class ResultView:
    responses: int
    first: dt.date | None
    last: dt.date | None
    levels: tuple[str, ...]          # the answers counted as satisfied
    headline: QuestionView | None    # the first five-level question: the survey's 满意率
    questions: tuple[QuestionView, ...]
    breakdowns: tuple[Breakdown, ...]
    export_format: str
    export_responses: int
    sha256: str
    has_multiple: bool
    has_nps: bool
    cases: Cases | None              # 好差评 surveys: 差评整改
    rate_name: str = "满意率"         # 好评率 for 好差评 (portal.rates.rate_name)
    excluded: int = 0                # ratings left out after an upheld 申诉
    formulas: tuple[str, ...] = ()   # the formulas of its declared-scale rates, each once
    five_level: bool = False         # it has rates on the five 好差评 levels (their formula line)
    sources: tuple[Source, ...] = ()  # online responses and paper ballots, when the file says


def as_int(value: str) -> int | None:
    """A choice value as an integer (rating and NPS answers), or None."""
    try:
        return int(value)
    except ValueError:
        return None


def nps(counts) -> Nps:
    """Net promoter score from counts per 0–10 answer (portal.rates): promoters (9–10) minus
    detractors (0–6), as a percentage of everyone who answered."""
    answers: dict[int, int] = {}
    for c in counts:
        value = as_int(c.value)
        if value is not None:
            answers[value] = answers.get(value, 0) + c.count
    total = sum(c.count for c in counts)
    pro, passive, det = nps_groups(answers)
    return Nps(percent(pro - det, total), share(pro, total), share(total - pro - det, total),
               share(det, total))


def _ranks(ranks) -> tuple[Rank, ...]:
    """Most important first (smallest mean position); unranked choices last, in file order."""
    ordered = sorted(enumerate(ranks), key=lambda p: (p[1].mean is None, float(p[1].mean or 0), p[0]))
    return tuple(Rank(n, r.label, r.mean or "") for n, (_, r) in enumerate(ordered, 1))


@dataclass(frozen=True)
class Source:
    """Where some of a result's answers came from: 网上 responses, or a meeting's 纸质 ballots
    with 发出 / 收回 / 有效 / 废票 (None where not stated)."""
    channel: str
    label: str
    responses: int
    issued: int | None = None
    returned: int | None = None
    valid: int | None = None
    invalid: int | None = None


def counts_of(counts) -> dict[str, int]:
    """A results file's counts as {choice value: count}."""
    return {c.value: c.count for c in counts}


def _scaled(q, kw: dict) -> None:
    """A declared-scale question's rate (over answers less 弃权 where excluded), its formula and
    index: computed here from the counts, as every rate is."""
    exclude = q.exclude_abstain is not False
    levels = tuple(q.levels or ())
    abstain = any(c.value == schema.ABSTAIN for c in (q.counts or (q.rows[0].counts if q.rows else ())))
    weights = tuple((w.level, w.weight) for w in q.weights or ())
    name = q.rate_name or schema.scale_rate(q.scale)
    kw.update(rate_name=name, formula=formula(name, levels, abstain, exclude),
              index_formula=index_formula(weights, abstain, exclude) if weights else "")
    if q.type == "matrix":
        rows = []
        for r in q.rows:
            got = counts_of(r.counts)
            total = rates.valid(got, exclude)
            rows.append(MatrixRow(r.label, tuple(c.count for c in r.counts), r.answered, share(r.satisfied, total),
                                  got.get(schema.ABSTAIN, 0), index(got, weights, exclude)))
        kw["rows"] = tuple(rows)
    else:
        got = counts_of(q.counts)
        kw.update(satisfaction=share(q.satisfied or 0, rates.valid(got, exclude)),
                  abstained=got.get(schema.ABSTAIN, 0), index=index(got, weights, exclude))


def question_view(n: int, q, public: bool) -> QuestionView:
    """The view of the `n`th question (1-based) of a results file."""
    kw: dict = {}
    if q.type in schema.COUNTED_TYPES:
        kw["bars"] = tuple(Bar(c.label, c.count, shown(c.count, q.answered)) for c in q.counts)
    if q.type == "scale5":
        kw["satisfaction"] = share(q.satisfied or 0, q.answered)
    if q.type == "nps":
        kw["nps"] = nps(q.counts)
    if q.type == "matrix" and q.rows:
        kw["levels"] = tuple(c.label for c in q.rows[0].counts)
        kw["rows"] = tuple(MatrixRow(r.label, tuple(c.count for c in r.counts), r.answered,
                                     share(r.satisfied, r.answered)) for r in q.rows)
    if q.scale:
        _scaled(q, kw)
    if q.type == "ranking":
        kw["ranks"] = _ranks(q.ranks)
    if q.type == "number":
        kw["mean"] = q.mean or ""
    if q.type in schema.FREE_TEXT_TYPES:
        # Verbatim answers only where the survey (as it is now) says they are public.
        kw.update(free_text=True, public=public, texts=tuple(q.texts) if public else ())
    return QuestionView(f"q{n}", q.id, q.type, TYPE_NAMES.get(q.type, q.type), q.label,
                        q.answered, **kw)


def breakdowns(result: Item) -> tuple[Breakdown, ...]:
    out = []
    for f in schema.BREAKDOWNS.fields:
        rows = (result.breakdowns or {}).get(f.key) or ()
        if not rows:
            continue
        out.append(Breakdown(f.key, f.label, BREAKDOWN_HEADERS.get(f.key, f.label), tuple(
            BreakdownRow(r.label or (r.group or UNSTATED), r.responses,
                         share(r.satisfied or 0, r.answered) if r.answered is not None else None)
            for r in rows)))
    return tuple(out)


def cases(result: Item, today: dt.date | None = None) -> Cases | None:
    """The 差评整改 records. Whether a case was closed is known as of publication; whether an
    open one is overdue is judged on `today` (the build date; the publication date if None)."""
    if not result.cases:
        return None
    as_of = result.published.date()
    today = today or as_of
    out = []
    for c in result.cases:
        state = rectification.state(c.closed, c.verified, c.verify_due, c.reply_due, today)
        out.append(Case(c.opened, c.level, tuple(c.reasons), c.service or "", c.service_label or c.service or "",
                        c.window or "", c.community or "", c.verdict or "", c.verified, c.reply_due, c.closed,
                        rectification.on_time(c.closed, c.reply_due), state,
                        rectification.STATE_LABELS[state], c.rectification or "", c.reply or "",
                        c.followup or "", c.appeal or ""))
    closed = [c for c in out if c.state == "closed"]
    feedback = result.fields.get("feedback")
    return Cases(tuple(out), len(closed), sum(1 for c in out if c.state == "open"),
                 sum(1 for c in out if c.state == "overdue"),
                 share(sum(1 for c in closed if c.on_time), len(closed)), as_of, today,
                 share(feedback.satisfied, feedback.satisfied + feedback.unsatisfied) if feedback else None,
                 sum(1 for c in out if c.appeal == "成立"))


def view(result: Item, survey: Survey | None, today: dt.date | None = None) -> ResultView:
    """Everything the results page shows. `survey` decides which verbatim answers are public
    (none without it); `today` is the build date open 差评 are judged overdue on."""
    public = {q.id for q in survey.questions if q.public} if survey else set()
    levels = tuple(result.satisfied) or schema.SATISFIED_DEFAULT
    questions = tuple(question_view(n, q, q.id in public)
                      for n, q in enumerate(result.questions, 1))
    headline = next((q for q in questions if q.satisfaction is not None), None)
    formulas = tuple(dict.fromkeys(f for q in questions for f in (q.formula, q.index_formula) if f))
    sources = tuple(Source(s.channel, s.label or "", s.responses, s.issued, s.returned, s.valid, s.invalid)
                    for s in result.fields.get("sources") or ())
    name = rate_name(result.kind) if headline is None or not headline.rate_name else headline.rate_name
    return ResultView(
        result.responses, result.first_response, result.last_response, levels, headline,
        questions, breakdowns(result), result.export.format, result.export.responses,
        result.export.sha256, any(q.type == "multiple" for q in questions),
        any(q.type == "nps" for q in questions), cases(result, today), name,
        result.fields.get("excluded") or 0, formulas,
        any(q.type == "scale5" or (q.type == "matrix" and q.rows and not q.formula) for q in questions), sources)

