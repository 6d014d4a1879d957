"""政务服务“好差评” beside the services it rates: the 评价 links on guide and community pages
and each service's and community's 好评率 from the published results.

The rating survey is found, not named: the survey of kind 好差评 that is open on the build date
and open to everyone. Its form takes the context in the query (DESIGN §5:
?service=<guide id>&window=<n>&community=<id>). Rates come from the results file's
`breakdowns` (satisfied of answered, portal.rates.percent), never from typed numbers.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .items import Item
from .qr import form_url
from .results import Share, share

KIND = "好差评"
BREAKDOWN_ANCHOR = "bd-{}"           # result.html's id of a breakdown table
CASES_ANCHOR = "chaping"             # result.html's id of the 差评整改 section


@dataclass(frozen=True)
class CaseTally:
    """差评 about one service in the published results, and how many were closed."""
    total: int
    closed: int


@dataclass(frozen=True)
class Ratings:
    """What the site knows about rating its services, computed once per build."""
    sid: str = ""                        # the open 好差评 survey ("": no 评价 links)
    results_url: str = ""                # its published results page ("": none published)
    services: Mapping[str, Share] = field(default_factory=dict)      # guide id → 好评率
    communities: Mapping[str, Share] = field(default_factory=dict)   # community id → 好评率
    cases: Mapping[str, CaseTally] = field(default_factory=dict)     # guide id → 差评

    def form(self, service: str | None = None, window: int | None = None,
             community: str | None = None) -> str:
        """The site path of the rating form with this context; "" when no survey is open."""
        return form_url("", self.sid, service, window, community) if self.sid else ""

    def breakdown_url(self, key: str) -> str:
        return f"{self.results_url}#{BREAKDOWN_ANCHOR.format(key)}" if self.results_url else ""

    @property
    def cases_url(self) -> str:
        return f"{self.results_url}#{CASES_ANCHOR}" if self.results_url else ""


@dataclass(frozen=True)
class Rated:
    """One guide's or community's rating box: its 好评率 (None: 暂无评价) and links."""
    form: str                            # "" when no 好差评 survey is open
    rate: Share | None
    results_url: str
    cases: CaseTally | None = None
    cases_url: str = ""


def rating_survey(site):
    """The open, open-to-everyone 好差评 survey on the build date (the first by id), or None."""
    return next((s for s in sorted(site.surveys.values(), key=lambda s: s.id)
                 if s.kind == KIND and s.access == "open" and s.status(site.today) == "open"), None)


def _rates(result: Item, key: str) -> dict[str, Share]:
    rows = (result.breakdowns or {}).get(key) or ()
    return {r.group: share(r.satisfied or 0, r.answered) for r in rows
            if r.group and r.answered}


def ratings(site, results_url) -> Ratings:
    """The rating survey's links and its published results' rates (`results_url` maps a
    results item to its page)."""
    survey = rating_survey(site)
    if survey is None:
        return Ratings()
    result = site.result(survey.id)
    if result is None:
        return Ratings(survey.id)
    tally: dict[str, list[int]] = {}
    for c in result.cases or ():
        if c.service:
            t = tally.setdefault(c.service, [0, 0])
            t[0] += 1
            t[1] += 1 if c.closed else 0
    return Ratings(survey.id, results_url(result), _rates(result, "service"),
                   _rates(result, "community"),
                   {k: CaseTally(*v) for k, v in sorted(tally.items())})


def for_guide(r: Ratings, guide: Item) -> Rated | None:
    """A guide's rating box; None when there is neither a survey to rate in nor results."""
    if not r.sid:
        return None
    # A community's own service is rated in that community's context.
    community = guide.community if guide.community not in (None, "", "district") else None
    return Rated(r.form(guide.id, community=community), r.services.get(guide.id),
                 r.breakdown_url("service"), r.cases.get(guide.id), r.cases_url)


def for_community(r: Ratings, cid: str) -> Rated | None:
    if not r.sid:
        return None
    return Rated(r.form(community=cid), r.communities.get(cid), r.breakdown_url("community"))
