"""Aggregates of a survey's responses: per question counts and percentages, 满意率 for
five-level questions, NPS and means. Every rate goes through portal.rates (two decimals,
half-up), so staff pages, the API and the portal show the same figures."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from portal import rates, schema
from portal.model import Site
from portal.personal_data import redact
from portal.rates import percent
from portal.surveys import Question, Survey

UNSTATED = "未注明"


def aggregate(survey: Survey, responses: list[dict[str, Any]], texts: bool = True) -> dict[str, Any]:
    """Per-question figures. Free-text answers are included only for questions the survey
    marks `public` (and only when `texts`)."""
    out: dict[str, Any] = {"id": survey.id, "title": survey.title, "responses": len(responses), "questions": []}
    for q in survey.questions:
        given = [r["answers"][q.id] for r in responses if q.id in r["answers"]]
        item: dict[str, Any] = {"id": q.id, "type": q.type, "label": q.label, "answered": len(given)}
        item.update(_figures(survey, q, given, texts))
        out["questions"].append(item)
    return out


def _figures(survey: Survey, q: Question, given: list[Any], texts: bool) -> dict[str, Any]:
    """What a question's answers add up to, by its type."""
    if q.type in schema.COUNTED_TYPES:
        return _counted(survey, q, given)
    if q.type == "matrix":
        return {"rows": [_matrix_row(survey, q, row.value, row.label, given) for row in q.rows]}
    if q.type == "ranking":
        return {"mean_rank": [{"value": c.value, "label": c.label,
                               "mean": rates.mean(v.index(c.value) + 1 for v in given if c.value in v) or None}
                              for c in q.choices]}
    if q.type == "number" and given:
        return {"mean": rates.mean(given)}
    if q.type in schema.FREE_TEXT_TYPES and q.public and texts:
        return {"texts": given}
    return {}


def _counted(survey: Survey, q: Question, given: list[Any]) -> dict[str, Any]:
    counts = Counter(str(x) for v in given for x in (v if isinstance(v, list) else [v]))
    out: dict[str, Any] = {"counts": [{"value": c.value, "label": c.label, "count": counts.get(c.value, 0),
                                       "percent": percent(counts.get(c.value, 0), len(given))} for c in q.scale]}
    if q.type == "scale5":
        sat = sum(counts.get(level, 0) for level in survey.satisfied)
        out["satisfied"] = {"count": sat, "rate": percent(sat, len(given))}
    if q.scale_name:
        out.update(scaled(q, counts))
    if q.type == "nps" and given:
        out["nps"] = rates.nps(dict(Counter(given)))
    return out


def scaled(q: Question, counts: Counter | dict[str, int]) -> dict[str, Any]:
    """A declared-scale answer's figures (portal.rates): the satisfied count and rate over the
    valid answers (弃权 left out when the survey says so), 弃权 and, with weights, the index."""
    sat = rates.satisfied_count(counts, q.levels)
    total = rates.valid(counts, q.exclude_abstain)
    out: dict[str, Any] = {"satisfied": {"count": sat, "rate": percent(sat, total)}, "valid": total,
                           "abstained": counts.get(schema.ABSTAIN, 0), "rate_name": q.rate_name,
                           "levels": list(q.levels)}
    if q.weights:
        out["index"] = rates.index(counts, q.weights, q.exclude_abstain)
    return out


def _matrix_row(survey: Survey, q: Question, row: str, label: str, given: list[Any]) -> dict[str, Any]:
    vals = [v[row] for v in given if row in v]
    counts = Counter(vals)
    sat = sum(counts.get(level, 0) for level in survey.satisfied)
    out = {"id": row, "label": label, "answered": len(vals),
           "counts": [{"value": c.value, "count": counts.get(c.value, 0)} for c in q.scale],
           "satisfied": {"count": sat, "rate": percent(sat, len(vals))}}
    if q.scale_name:
        out.update(scaled(q, counts))
    return out


def staff_texts(survey: Survey, responses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every free-text answer for staff, per question, newest first: text questions and the
    “其他（请注明）” texts of choice questions. Rendered escaped by the templates."""
    out = []
    for q in survey.questions:
        keys = [q.id] if q.type in schema.TEXT_TYPES else [f"{q.id}.other"] if q.other else []
        for key in keys:
            given = [{"receipt": r["receipt"], "submitted": r["submitted"], "text": redact(r["answers"][key])}
                     for r in reversed(responses) if isinstance(r["answers"].get(key), str)]
            label = q.label if key == q.id else f"{q.label}（其他）"
            out.append({"id": key, "label": label, "answers": given})
    return out


def community_of(response: dict[str, Any], communities) -> str:
    """The community a response is about: its context, else the answer to a question called
    `community` when that answer is a community id, else "" (not stated)."""
    cid = response["context"].get("community") or response["answers"].get("community")
    return cid if isinstance(cid, str) and cid in communities else ""


def window_of(response: dict[str, Any]) -> str:
    """`community:number`: a window is one centre's window, never a number pooled across
    centres; "" when the response names no window (or, in old data, no centre for it)."""
    context = response["context"]
    community, window = context.get("community", ""), context.get("window", "")
    return f"{community}:{window}" if community and window else ""


def period_of(response: dict[str, Any], by: str) -> str:
    """`2026-11` (month) or `2026-W48` (ISO week) of the submission time (Beijing time)."""
    day = dt.date.fromisoformat(response["submitted"][:10])
    if by == "month":
        return day.strftime("%Y-%m")
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def breakdown(survey: Survey, responses: list[dict[str, Any]], key, label=str) -> list[dict[str, Any]]:
    """Responses grouped by `key(response)` (groups sorted, "" last), each with its label,
    count and the 满意率 figures of the main question."""
    q = survey.headline
    groups: dict[str, list] = {}
    for r in responses:
        groups.setdefault(key(r), []).append(r)
    out = []
    for g in sorted(groups, key=lambda k: (k == "", k)):
        rs = groups[g]
        row: dict[str, Any] = {"group": g, "label": label(g) if g else UNSTATED, "responses": len(rs)}
        if q is not None:
            given = [r["answers"][q.id] for r in rs if q.id in r["answers"]]
            if q.scale_name and q.exclude_abstain:          # 弃权 is left out of the denominator
                given = [v for v in given if v != schema.ABSTAIN]
            sat = sum(1 for v in given if v in (q.levels or survey.satisfied))
            row.update(answered=len(given), satisfied=sat, rate=percent(sat, len(given)))
        out.append(row)
    return out


def _month_label(g: str) -> str:
    return f"{int(g[:4])}年{int(g[5:7])}月"


def _week_label(g: str) -> str:
    year, week = g.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    return f"{year}年第{int(week)}周（{monday.month}月{monday.day}日起）"


BREAKDOWN_NAMES = {"community": "按社区", "service": "按服务事项", "window": "按窗口",
                   "month": "按月", "week": "按周"}


def breakdowns(survey: Survey, responses: list[dict[str, Any]], site: Site) -> dict[str, list]:
    """All breakdowns of a survey's responses, with Chinese group labels from the portal
    model (community and guide names)."""
    communities = site.communities

    def community_name(cid: str) -> str:
        return communities[cid].name if cid in communities else cid

    def service_name(gid: str) -> str:
        guide = site.guide(gid)
        return guide.title if guide is not None else gid

    def window_name(key: str) -> str:
        cid, _, number = key.partition(":")
        return f"{community_name(cid)} {number}号窗口"

    return {
        "community": breakdown(survey, responses, lambda r: community_of(r, communities), community_name),
        "service": breakdown(survey, responses, lambda r: r["context"].get("service", ""), service_name),
        "window": breakdown(survey, responses, window_of, window_name),
        "month": breakdown(survey, responses, lambda r: period_of(r, "month"), _month_label),
        "week": breakdown(survey, responses, lambda r: period_of(r, "week"), _week_label),
    }
