"""Pooled and annual survey figures, from published results' counts: a results page pooling
several surveys or periods (“两年来”), and the latest annual 测评 on the home and community
pages. Pure: the Site in, frozen values out; every rate through portal.rates.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import rates, schema
from .items import Item
from .model import Site
from .rates import formula, rate_name
from .results import Share, counts_of, share
from .urls import item_url

# “两年来”: several surveys' (or periods') counts added together and the rate computed from the
# sums — never an average of the periods' rates (periods of different sizes would weigh the same).

@dataclass(frozen=True)
class Period:
    """One period's counts of a pooled question (or the pooled total: url "")."""
    label: str
    url: str
    counts: tuple[int, ...]          # in the order of PooledQuestion.levels
    answered: int
    abstained: int
    satisfaction: Share


@dataclass(frozen=True)
class PooledQuestion:
    label: str
    rate_name: str
    formula: str
    levels: tuple[str, ...]          # column heads: the scale's levels (and 弃权)
    periods: tuple[Period, ...]
    total: Period


@dataclass(frozen=True)
class Pool:
    label: str                       # 两年来
    periods: tuple[str, ...]         # 2025年度、2026年度
    questions: tuple[PooledQuestion, ...]


def _rated(q) -> bool:
    return bool(q.scale) or q.type == "scale5"


def _period(label: str, url: str, counts: dict[str, int], levels: tuple[str, ...], satisfied: tuple[str, ...],
            exclude: bool) -> Period:
    total = rates.valid(counts, exclude)
    return Period(label, url, tuple(counts.get(v, 0) for v in levels), sum(counts.values()),
                  counts.get(schema.ABSTAIN, 0), share(rates.satisfied_count(counts, satisfied), total))


def _label(site: Site, result: Item) -> str:
    survey = site.surveys.get(result.survey)
    return survey.period if survey is not None and survey.period else result.title


def pool(site: Site, result: Item) -> Pool | None:
    """The results of `result`'s survey pooled with the earlier surveys it names (`pool`): for
    each rated question asked the same way in every period (same id, scale and levels), each
    period's counts and rate, and the rate of the summed counts. None when nothing is pooled."""
    survey = site.surveys.get(result.survey)
    if survey is None or not survey.pool:
        return None
    others = [site.result(sid) for sid in survey.pool]
    items = sorted([r for r in others if r is not None], key=lambda r: r.published) + [result]
    if len(items) < 2:
        return None                  # nothing published to pool with (the check warns)
    questions = []
    for q in result.questions:
        if q.type == "matrix" or not _rated(q):
            continue
        values = tuple(c.value for c in q.counts)
        found = [next((x for x in r.questions if x.id == q.id and x.type == q.type and x.scale == q.scale
                       and tuple(c.value for c in x.counts or ()) == values), None) for r in items]
        same = [x for x in found if x is not None]
        if len(same) < len(items):           # not asked the same way in every period: not pooled
            continue
        levels = tuple(q.levels or ()) or tuple(result.satisfied)
        exclude = q.exclude_abstain is not False
        name = q.rate_name or (schema.scale_rate(q.scale) if q.scale else rate_name(result.kind))
        periods = tuple(_period(_label(site, r), item_url(r), counts_of(x.counts), values, levels, exclude)
                        for r, x in zip(items, same, strict=True))
        summed: dict[str, int] = {}
        for x in same:
            for c in x.counts:
                summed[c.value] = summed.get(c.value, 0) + c.count
        abstain = schema.ABSTAIN in values
        questions.append(PooledQuestion(q.label, name, formula(name, levels, abstain, exclude), values, periods,
                                        _period(f"{survey.pool_label}合计", "", summed, values, levels, exclude)))
    if not questions:
        return None
    return Pool(survey.pool_label, tuple(_label(site, r) for r in items), tuple(questions))


@dataclass(frozen=True)
class AnnualRate:
    label: str
    rate_name: str
    satisfaction: Share
    abstained: int


@dataclass(frozen=True)
class Annual:
    """The latest annual 测评 for the home and community pages: its rated questions' rates."""
    title: str
    period: str
    url: str
    scope: str                       # the community's name, or 全区
    rates: tuple[AnnualRate, ...]


def annual(site: Site, cid: str = "district") -> Annual | None:
    """The latest published results of an annual survey (`annual: true`) of community `cid`,
    else of the district; None when there are none."""
    def latest(owner: str) -> Item | None:
        found = [r for r in site.by_type["result"]
                 if (s := site.surveys.get(r.survey)) is not None and s.annual and r.community == owner]
        return max(found, key=lambda r: (r.published, r.id), default=None)
    result = (latest(cid) if cid != "district" else None) or latest("district")
    if result is None:
        return None
    out = []
    for q in result.questions:
        if q.type == "matrix" or not _rated(q):
            continue
        counts = counts_of(q.counts)
        levels = tuple(q.levels or ()) or tuple(result.satisfied)
        exclude = q.exclude_abstain is not False
        name = q.rate_name or (schema.scale_rate(q.scale) if q.scale else rate_name(result.kind))
        out.append(AnnualRate(q.label, name, share(rates.satisfied_count(counts, levels), rates.valid(counts, exclude)),
                              counts.get(schema.ABSTAIN, 0)))
    return Annual(result.title, _label(site, result), item_url(result), site.community_name(result.community),
                  tuple(out)) if out else None
