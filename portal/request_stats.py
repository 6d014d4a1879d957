"""依申请公开 statistics files (content/ysqgk/<year>.yaml): each checked on its own against the
schema (portal.schema.requests) and against itself: the counts must add up the way the annual
report's table adds them up, so the report never prints figures that contradict each other.
Both the builder (portal.config) and the survey service's publish step run `check`."""
from __future__ import annotations

from . import problems as P
from . import schema
from .items import Record
from .load import RawDoc
from .problems import Problem
from .validate import check_fields

FOLDER = schema.REQUEST_STATS.folder


def check(doc: RawDoc) -> tuple[Record, list[Problem]]:
    """The record of one statistics file and every problem in it."""
    checked = check_fields(schema.REQUEST_STATS.fields, doc.data, doc.path)
    rec, lines, found = checked.record, checked.lines, list(checked.problems)
    if P.has_error(found):
        return rec, found
    messages = _file_problems(rec, doc.rel) + _outcome_problems(rec) + _sum_problems(rec)
    return rec, found + [P.error(doc.path, lines.get(key, 1), key, label, message)
                         for key, label, message in messages]


Message = tuple[str, str, str]      # key, label, message


def _file_problems(rec: Record, rel: str) -> list[Message]:
    out = []
    stem = rel.rsplit("/", 1)[-1].split(".")[0]
    if stem != str(rec.year):
        out.append(("year", "年度", f"文件名应为 {rec.year}.yaml"))
    if rec.as_of.year != rec.year:
        out.append(("as_of", "统计截至", f"{rec.as_of} 不在 {rec.year} 年内"))
    return out


def _outcome_problems(rec: Record) -> list[Message]:
    """Each outcome row: a reason where its type needs one (第三十六条), and one row per kind."""
    out: list[Message] = []
    seen: set[tuple[str, str]] = set()
    for i, o in enumerate(rec.outcomes, 1):
        key = f"outcomes[{i}]"
        reasons = schema.OUTCOME_REASONS[o.type]
        if reasons and not o.reason:
            out.append((key + ".reason", "理由", f"“{o.type}”须写明理由：{'、'.join(reasons)}"))
        elif o.reason and o.reason not in reasons:
            out.append((key + ".reason", "理由", f"“{o.reason}”不是“{o.type}”的理由" +
                        (f"，应为：{'、'.join(reasons)}" if reasons else "：这种答复类型不写理由")))
        if (o.type, o.reason or "") in seen:
            out.append((key, "办理结果", f"“{o.type}{'·' + o.reason if o.reason else ''}”重复，请合并为一行"))
        seen.add((o.type, o.reason or ""))
    return out


def _sum_problems(rec: Record) -> list[Message]:
    """The counts add up as the annual report's table adds them up."""
    out: list[Message] = []
    by = rec.received_by_applicant
    if by.citizen + by.organisation != rec.received:
        out.append(("received_by_applicant", "新收申请按申请人",
                    f"公民 {by.citizen} 件加法人或其他组织 {by.organisation} 件应等于本年新收申请 {rec.received} 件"))
    total = sum(o.count for o in rec.outcomes)
    if total != rec.answered:
        out.append(("outcomes", "办理结果", f"各办理结果件数之和 {total} 应等于本年办结 {rec.answered}"))
    if rec.received + rec.carried_over != rec.answered + rec.carried_forward:
        out.append(("carried_forward", "结转下年度继续办理",
                    f"新收 {rec.received} + 上年结转 {rec.carried_over} 应等于办结 {rec.answered} + "
                    f"结转下年度 {rec.carried_forward}"))
    handled = rec.received + rec.carried_over
    for key, label in (("extensions", "延期答复"), ("corrections", "要求补正")):
        if rec[key] > handled:
            out.append((key, label, f"{label} {rec[key]} 件多于本年办理的申请 {handled} 件"))
    if rec.overdue > rec.answered:
        out.append(("overdue", "超期答复", f"超期答复 {rec.overdue} 件多于本年办结 {rec.answered} 件"))
    return out
