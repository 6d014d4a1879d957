"""Published survey results and the links to them.

A results file is written by `flask --app survey publish`, never by hand; these rules catch
hand edits (counts that do not add up, a changed digest) and files that no longer fit their
survey. A survey edited after publishing only warns: old results must keep building. An
evaluation's 关联问卷 must name a survey.
"""
from __future__ import annotations

import re

from .. import rectification, schema
from ..items import Item
from ..model import Site
from ..problems import Problems
from ..results import as_int
from ..surveys import Survey
from .context import Context

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# What each question type carries besides id, type, label and answered (publish's format).
MEMBERS = {**{t: ("counts",) for t in schema.COUNTED_TYPES}, "scale5": ("counts", "satisfied"),
           "matrix": ("rows",), "ranking": ("ranks",), "number": ("mean",),
           **{t: ("texts",) for t in schema.FREE_TEXT_TYPES}}
OPTIONAL = ("counts", "satisfied", "rows", "ranks", "mean", "texts")
SCALED = ("single", "matrix")                 # may carry a declared scale (portal.schema.SCALES)
SCALE_VALUES = {t: range(lo, hi + 1) for t, (lo, hi) in schema.SCALE_RANGES.items()}
CHANGED = "（问卷在结果发布后修改过；结果按发布时的内容显示，如需更新请重新发布）"


def check(site: Site, problems: Problems, ctx: Context) -> None:
    for r in site.to_check("result"):
        if identity(site, r, problems):
            check_result(r, site.surveys.get(r.survey), problems)
            phase(r, site.surveys.get(r.survey), problems)
    evaluations(site, problems)
    pools(site, problems)


def pools(site: Site, problems: Problems) -> None:
    """A survey's 合并统计 names other surveys; one without published results is left out (warned)."""
    for survey in sorted(site.surveys.values(), key=lambda s: s.id):
        for sid in survey.pool:
            if sid == survey.id or sid not in site.surveys:
                if sid not in site.broken_surveys:
                    problems.error(survey.file, survey.pool_line or 1, "pool.surveys", "合并的问卷",
                                   f"找不到编号为“{sid}”的其他调查问卷"
                                   f"（应有 content/{schema.SURVEY.folder}/{sid}.yaml）")
            elif site.result(sid) is None:
                problems.warning(survey.file, survey.pool_line or 1, "pool.surveys", "合并的问卷",
                                 f"问卷“{sid}”还没有公布结果，合并统计暂不包括它")


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def phase(r: Item, survey: Survey | None, problems: Problems) -> None:
    """A 评议 survey's results are published only after it closes: a results file published
    while the survey is still open is an error at its `published` line."""
    if survey is None or not survey.results_after_close:
        return
    if r.published.date() <= survey.closes:
        _Report(r, problems).error(
            "published", f"问卷“{survey.title}”到{_cn(survey.closes)}才结束，评议结果要在问卷结束后才能公布："
            f"请在问卷结束后重新发布（flask --app survey publish {survey.id}），"
            "或修改问卷的结束日期")


def _label(key: str) -> str:
    """The Chinese label of a dotted results key such as `questions[2].counts[1].count`."""
    fields, label = schema.RESULT.fields, ""
    for part in re.sub(r"\[\d+\]", "", key).split("."):
        f = next((x for x in fields if x.key == part), None)
        if f is None:
            return ""
        label = f.label
        while f.kind == schema.LIST and f.of is not None:
            f = f.of
        fields = f.fields
    return label


class _Report:
    """Problems about one results file, each at its key's line and with its key's label."""

    def __init__(self, r: Item, problems: Problems):
        self.r, self.problems = r, problems

    def error(self, key: str, message: str, at: str = "") -> None:
        self.problems.error(self.r.file, self.r.line_of(at or key), key, _label(key), message)

    def warning(self, key: str, message: str, at: str = "") -> None:
        self.problems.warning(self.r.file, self.r.line_of(at or key), key, _label(key), message)


def identity(site: Site, r: Item, problems: Problems) -> bool:
    """The file names its survey and takes no evaluation's address. False: nothing more
    can be checked against the survey."""
    say = _Report(r, problems)
    if not r.survey:
        return False        # reported by the field checks
    ok = True
    if r.survey != r.id:
        say.error("survey", f"问卷编号应与文件名一致：{r.id}（结果文件名为 <问卷编号>.yaml）")
        ok = False
    elif r.survey not in site.surveys:
        if r.survey not in site.broken_surveys:   # a broken survey file reports itself
            say.error("survey", f"找不到编号为“{r.survey}”的调查问卷"
                      f"（应有 content/{schema.SURVEY.folder}/{r.survey}.yaml）")
        ok = False
    elif site.surveys[r.survey].results != "public":
        say.error("survey", "问卷设为结果不公开（results: private），不能在网站发布结果："
                  "请删除本文件，或把问卷改为 results: public 后重新发布")
    key = f"{schema.EVALUATION.folder}/{r.id}"
    clash = site.items.get(key) or next((i for i in site.scheduled if i.key == key), None)
    if clash is not None:
        say.error("survey", f"与评议结果 {clash.file} 的网址 /hdjl/pyjg/{r.id}/ 相同："
                  "请修改该评议结果的文件名")
    return ok


def check_result(r: Item, survey: Survey | None, problems: Problems) -> None:
    """One validated results file: its numbers agree with each other and, when `survey` is
    given, with the survey's questions."""
    say = _Report(r, problems)
    _header(say, r)
    levels = set(r.satisfied)
    seen: set[str] = set()
    for i, q in enumerate(r.questions, 1):
        k = f"questions[{i}]"
        if q.id in seen:
            say.error(f"{k}.id", f"题目编号 {q.id} 重复")
        seen.add(q.id)
        _question(say, r, q, k, levels)
        if survey is not None:
            _against_survey(say, q, k, survey)
    if survey is not None:
        missing = [sq.id for sq in survey.questions if sq.id not in seen]
        if missing:
            say.warning("questions", f"问卷中的题目 {'、'.join(missing)} 不在结果中{CHANGED}")
    _breakdowns(say, r)
    _cases(say, r)
    _sources(say, r)


def _sources(say: _Report, r: Item) -> None:
    """Online responses and paper ballots add up (民主测评: 收回 ≤ 发出, 有效 + 废票 = 收回, and the
    valid ballots are what a paper source counts)."""
    sources = r.fields.get("sources") or ()
    if not sources:
        return
    total = sum(x.responses for x in sources)
    if total != r.responses:
        say.error("sources", f"各来源计入的答卷数之和 {total} 应等于答卷数 {r.responses}")
    for j, x in enumerate(sources, 1):
        k = f"sources[{j}]"
        if x.issued is not None and x.returned is not None and x.returned > x.issued:
            say.error(f"{k}.returned",
                      f"收回票数 {x.returned} 多于发出票数 {x.issued}：收回的票数多于发出的票数，测评无效")
        if None not in (x.valid, x.invalid, x.returned) and x.valid + x.invalid != x.returned:
            say.error(f"{k}.valid", f"有效票 {x.valid} 加废票 {x.invalid} 应等于收回票数 {x.returned}")
        if x.channel == "纸质" and x.valid is not None and x.responses != x.valid:
            say.error(f"{k}.responses", f"纸质票计入的答卷数应为有效票数 {x.valid}，而不是 {x.responses}")


def _header(say: _Report, r: Item) -> None:
    """The export's digest and count, and the dates of the first and last response."""
    if not SHA256_RE.match(r.export.sha256):
        say.error("export.sha256", "应为 64 位小写十六进制字符（导出文件的 SHA-256 校验值）")
    if r.export.responses != r.responses:
        say.error("export.responses", f"导出文件的答卷数 {r.export.responses} 与答卷数 {r.responses} 不一致")
    if r.responses:
        for key in ("first_response", "last_response"):
            if r.fields[key] is None:
                say.error(key, "有答卷时必须写明", at="responses")
    if r.first_response and r.last_response and r.last_response < r.first_response:
        say.error("last_response", "末份答卷日期早于首份答卷日期")
    if r.last_response and r.last_response > r.published.date():
        say.error("last_response", "末份答卷日期晚于发布时间")


def _sum(counts) -> int:
    return sum(c.count for c in counts)


def _satisfied(counts, levels: set[str]) -> int:
    return sum(c.count for c in counts if c.value in levels)


def _question(say: _Report, r: Item, q, k: str, levels: set[str]) -> None:
    """One question's members fit its type and its numbers add up."""
    allowed = _members(say, q, k)
    for member in OPTIONAL:
        if member not in allowed and f"{k}.{member}" in r.lines:
            say.error(f"{k}.{member}", f"{q.type} 题不应有此字段")
    for member in allowed:
        if member not in ("mean", "texts") and q[member] in (None, ()):
            say.error(f"{k}.{member}", "必填字段，不能缺少", at=k)
    if q.answered > r.responses:
        say.error(f"{k}.answered", f"作答数 {q.answered} 超过答卷数 {r.responses}")
    own = set(q.levels) if q.scale else levels        # a declared scale names its own levels
    if q.type in schema.COUNTED_TYPES and q.counts:
        _counted(say, q, k, own)
    elif q.type == "matrix":
        _matrix(say, q, k, own)
    elif q.type == "ranking":
        _ranking(say, q, k)
    elif q.type == "number" and q.answered and q.mean is None:
        say.error(f"{k}.mean", "有人作答时必须写明平均值", at=k)
    if len(q.texts) > q.answered:
        say.error(f"{k}.texts", f"原文 {len(q.texts)} 条多于作答数 {q.answered}")


def _members(say: _Report, q, k: str) -> tuple[str, ...]:
    """What a question of its type may carry; a declared-scale single question also its
    satisfied count (and its scale is checked)."""
    allowed = MEMBERS.get(q.type, ())
    if q.scale and q.type in SCALED:
        _scale(say, q, k)
        return allowed + ("satisfied",) if q.type == "single" else allowed
    if q.scale:
        say.error(f"{k}.scale", "只有单选题和矩阵题可以使用量表")
    return allowed


def _counted(say: _Report, q, k: str, levels: set[str]) -> None:
    _counts(say, q.counts, f"{k}.counts", q.type, q.answered)
    if q.type in SCALE_VALUES:
        bad = [c.value for c in q.counts if as_int(c.value) not in SCALE_VALUES[q.type]]
        if bad:
            lo, hi = SCALE_VALUES[q.type][0], SCALE_VALUES[q.type][-1]
            say.error(f"{k}.counts", f"选项值应为 {lo}–{hi} 的整数，而不是“{'、'.join(bad)}”")
    if (q.type == "scale5" or q.scale) and q.satisfied is not None:
        _satisfaction(say, f"{k}.satisfied", q.satisfied, q.answered, _satisfied(q.counts, levels))


def _scale(say: _Report, q, k: str) -> None:
    """A declared-scale question names levels of its scale, counts them (and 弃权) in order."""
    levels = schema.scale_levels(q.scale)
    words = f"量表“{q.scale}”（{'、'.join(levels)}）"
    for j, level in enumerate(q.levels or (), 1):
        if level not in levels:
            say.error(f"{k}.levels[{j}]", f"“{level}”不是{words}中的等级", at=f"{k}.levels")
    if not q.levels:
        say.error(f"{k}.levels", "量表题必须写明计入满意的等级", at=k)
    for j, w in enumerate(q.weights or (), 1):
        if w.level not in levels:
            say.error(f"{k}.weights[{j}].level", f"“{w.level}”不是{words}中的等级，不能设权重")
    expected = [list(levels), list(levels) + [schema.ABSTAIN]]
    for key, counts in ([(f"{k}.counts", q.counts)] if q.counts else []) + \
            [(f"{k}.rows[{j}].counts", r.counts) for j, r in enumerate(q.rows or (), 1)]:
        if [c.value for c in counts] not in expected:
            say.error(key, f"选项应依次为{words}的各等级（可有“{schema.ABSTAIN}”），"
                      f"而不是“{'、'.join(c.value for c in counts)}”")


def _matrix(say: _Report, q, k: str, levels: set[str]) -> None:
    first = tuple(c.value for c in q.rows[0].counts) if q.rows else ()
    for j, row in enumerate(q.rows, 1):
        rk = f"{k}.rows[{j}]"
        if row.answered > q.answered:
            say.error(f"{rk}.answered", f"本行作答数 {row.answered} 超过本题作答数 {q.answered}")
        if tuple(c.value for c in row.counts) != first:
            say.error(f"{rk}.counts", "各行的选项应相同且顺序一致")
        _counts(say, row.counts, f"{rk}.counts", "single", row.answered)
        _satisfaction(say, f"{rk}.satisfied", row.satisfied, row.answered, _satisfied(row.counts, levels))


def _ranking(say: _Report, q, k: str) -> None:
    values = [x.value for x in q.ranks]
    if len(set(values)) != len(values):
        say.error(f"{k}.ranks", "选项值不能重复")
    for j, x in enumerate(q.ranks, 1):
        if x.mean is not None and not 1 <= float(x.mean) <= len(q.ranks):
            say.error(f"{k}.ranks[{j}].mean", f"平均位次应在 1 到 {len(q.ranks)} 之间")


def _counts(say: _Report, counts, key: str, qtype: str, answered: int) -> None:
    values = [c.value for c in counts]
    if len(set(values)) != len(values):
        say.error(key, "选项值不能重复")
    total = _sum(counts)
    # Answers add up to the people who answered, except where one person picks several.
    if qtype in schema.ONE_ANSWER_TYPES and total != answered:
        say.error(key, f"各选项人数之和 {total} 应等于作答数 {answered}")
    if qtype == "multiple":
        if total < answered:
            say.error(key, f"多选题各选项人数之和 {total} 不应少于作答数 {answered}")
        for j, c in enumerate(counts, 1):
            if c.count > answered:
                say.error(f"{key}[{j}].count", f"人数 {c.count} 超过作答数 {answered}")


def _satisfaction(say: _Report, key: str, satisfied: int, answered: int, expected: int) -> None:
    if satisfied > answered:
        say.error(key, f"满意数 {satisfied} 超过作答数 {answered}")
    elif satisfied != expected:
        say.error(key, f"满意数应为计入满意的等级的人数之和 {expected}，而不是 {satisfied}")


def _against_survey(say: _Report, q, k: str, survey: Survey) -> None:
    sq = survey.question(q.id)
    if sq is None:
        say.warning(f"{k}.id", f"问卷中已没有题目 {q.id}{CHANGED}")
    elif sq.type != q.type:
        say.warning(f"{k}.type", f"问卷中题目 {q.id} 现在是 {sq.type} 题{CHANGED}")
    elif q.type in schema.COUNTED_TYPES and [c.value for c in q.counts] != [c.value for c in sq.scale]:
        say.warning(f"{k}.counts", f"选项与问卷中题目 {q.id} 的选项不一致{CHANGED}")
    if q.texts and (sq is None or not sq.public):
        say.warning(f"{k}.texts", "问卷没有把本题设为可公开原文（public: true），原文不会在网站显示")


def _breakdowns(say: _Report, r: Item) -> None:
    for f in schema.BREAKDOWNS.fields:
        rows = (r.breakdowns or {}).get(f.key) or ()
        key = f"breakdowns.{f.key}"
        groups = [g.group or "" for g in rows]
        if len(set(groups)) != len(groups):
            say.error(key, "分组不能重复")
        total = sum(g.responses for g in rows)
        if total > r.responses:
            say.error(key, f"各组答卷数之和 {total} 超过答卷数 {r.responses}")
        for j, g in enumerate(rows, 1):
            gk = f"{key}[{j}]"
            if (g.answered is None) != (g.satisfied is None):
                say.error(f"{gk}.satisfied" if g.satisfied is None else f"{gk}.answered",
                          "作答数和满意数应同时写明或同时不写", at=gk)
            elif g.answered is not None and g.answered > g.responses:
                say.error(f"{gk}.answered", f"作答数 {g.answered} 超过本组答卷数 {g.responses}")
            elif g.answered is not None and g.satisfied > g.answered:
                say.error(f"{gk}.satisfied", f"满意数 {g.satisfied} 超过作答数 {g.answered}")


def _cases(say: _Report, r: Item) -> None:
    if not r.cases:
        return
    if r.kind != "好差评":
        say.error("cases", "只有好差评问卷才有差评整改记录")
        return
    headline = next((q for q in r.questions if q.type == "scale5"), None)
    bad = sum(c.count for c in headline.counts if c.value in schema.CASE_LEVELS) if headline else 0
    counted = [c for c in r.cases if c.appeal != "成立"]          # an upheld appeal left the counts
    if len(counted) > bad:
        say.error("cases", f"差评整改记录 {len(counted)} 件，多于差评（不满意、非常不满意）人数 {bad}")
    upheld = len(r.cases) - len(counted)
    if upheld > (r.excluded or 0):
        say.error("excluded", f"有 {upheld} 件差评申诉成立，不计入的评价却只有 {r.excluded or 0} 条", at="cases")
    if r.feedback and r.feedback.satisfied + r.feedback.unsatisfied > sum(1 for c in r.cases if c.closed):
        say.error("feedback", "对整改结果的评价多于已办结的差评")
    published = r.published.date()
    for j, c in enumerate(r.cases, 1):
        k = f"cases[{j}]"
        if c.opened > published:
            say.error(f"{k}.opened", "评价日期晚于发布时间")
        for key, day in (("verify_due", c.verify_due), ("reply_due", c.reply_due),
                         ("verified", c.verified), ("closed", c.closed)):
            if day is not None and day < c.opened:
                say.error(f"{k}.{key}", "不能早于评价日期")
        if c.closed and not c.reply:
            say.error(f"{k}.reply", "已办结的差评应写明答复内容", at=f"{k}.closed")
        expected = rectification.on_time(c.closed, c.reply_due)
        if c.on_time is not None and c.on_time != expected:
            say.error(f"{k}.on_time", "未办结的差评不能写按期办结" if expected is None else
                      f"按期办结由系统根据办结日期和答复期限核对，应为 {str(expected).lower()}")


def evaluations(site: Site, problems: Problems) -> None:
    """An evaluation's 关联问卷 names a survey (its page links to the published results)."""
    for ev in site.to_check("evaluation"):
        sid = ev.fields.get("survey")
        if sid and sid not in site.surveys and sid not in site.broken_surveys:
            problems.error(ev.file, ev.line_of("survey"), "survey", "关联问卷",
                           f"找不到编号为“{sid}”的调查问卷（应有 content/{schema.SURVEY.folder}/{sid}.yaml）")
        survey = site.surveys.get(sid) if sid else None
        # 评议 follows the 述职: residents rate what they heard at the meeting, not before it.
        if survey is not None and survey.kind == "评议" and survey.opens < ev.held.date():
            problems.error(ev.file, ev.line_of("survey"), "survey", "关联问卷",
                           f"评议问卷“{survey.title}”{_cn(survey.opens)}就开始了，早于本次会议召开的"
                           f"{_cn(ev.held.date())}：评议应在述职之后进行，请把问卷的开始日期（opens）改为 "
                           f"{ev.held.date().isoformat()} 或之后")
