"""The survey, 评议 and 好差评 parts of pages: open surveys and their QR codes, the windows
and centres with their rating links, 评议结果 and evaluation pages.

Every function here is pure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import proposals, ratings, results, schema
from .items import Item
from .model import Site, sort_key
from .page_model import Page, item_page
from .qr import form_url
from .rates import percent
from .urls import item_url

QR_SIZE = 160                      # CSS pixels of a survey's QR code on /hdjl/myd/


@dataclass(frozen=True)
class Subject:
    """A 述职 subject with its typed votes and the build-computed 满意率."""
    role: str
    report: str | None
    votes: tuple[tuple[str, int], ...]
    total: int
    rate: str            # "91.44" (percent, two decimals, half-up), or "" when no votes


@dataclass(frozen=True)
class SurveyLink:
    title: str
    url: str
    kind: str
    closes: dt.date
    community: str
    invite: bool = False           # 凭邀请码参与
    form: str = ""                 # the form's full URL (site.yaml base_url), what the QR code holds
    qr: str = ""                   # site path of the QR code's SVG file, written by the pipeline
    qr_size: int = QR_SIZE


def open_surveys(site: Site, invite: bool = False) -> list[SurveyLink]:
    """Surveys open today, linking to their forms (served by the survey service); with
    `invite`, invitation-only surveys too."""
    return [SurveyLink(s.title, f"/survey/{s.id}/", s.kind, s.closes, site.community_name(s.community),
                       s.access == "invite", form_url(site.config.base_url, s.id), f"/hdjl/myd/{s.id}.svg")
            for s in sorted(site.surveys.values(), key=lambda s: s.id)
            if s.status(site.today) == "open" and (s.access == "open" or invite)]


def guide_centres(site: Site, guide: Item, rated: ratings.Ratings) -> list[dict]:
    """Where a guide is handled: each centre with the named windows. A community's own
    service gives each window the link rating the service there ("" otherwise)."""
    own = guide.community in site.communities
    cids = [guide.community] if own else list(site.communities)
    wanted = set(guide.windows)
    out = []
    for cid in cids:
        c = site.communities[cid]
        # District-wide guides list every centre: a link per window there would add ~2 KB to
        # a page that must stay within 30 KB; their 评价 button and the community pages suffice.
        windows = [{"window": w, "rate": rated.form(guide.id, w.number, cid) if own else ""}
                   for w in c.centre.windows if w.number in wanted] if wanted else []
        out.append({"community": c, "windows": windows})
    return out


def window_guides(site: Site, community: Item, rated: ratings.Ratings) -> list[dict]:
    """A centre's windows with the guides handled at each and the link rating the window."""
    out = []
    mine = [g for g in site.by_type["guide"] if g.community in ("district", community.id)] \
        if community.centre.windows else []
    for w in community.centre.windows:
        gs = [g for g in mine if w.number in g.windows]
        out.append({"window": w, "guides": sorted(gs, key=lambda g: g.title),
                    "rate": rated.form(window=w.number, community=community.id)})
    return out


def pyjg_items(site: Site, cid: str | None = None) -> list[Item]:
    """评议结果: evaluations and published survey results together, newest first; one
    community's (cid) or all."""
    if cid is None:
        return sorted(site.by_type["evaluation"] + site.by_type["result"], key=sort_key)
    return sorted(site.views.of("evaluation", cid) + site.views.of("result", cid), key=sort_key)


def rectification(site: Site) -> list[dict]:
    """Published results with 差评整改 records, for the /hdjl/pyjg/ list: where the records are
    and how many are closed."""
    out = []
    for r in site.by_type["result"]:
        if r.cases:
            out.append({"result": r, "url": f"{item_url(r)}#{ratings.CASES_ANCHOR}",
                        "total": len(r.cases), "closed": sum(1 for c in r.cases if c.closed)})
    return out


def evaluation_page(site: Site, ev: Item) -> Page:
    """An evaluation with its typed 述职 votes and, when its 关联问卷 is a published 评议
    survey, each matrix row of the results as a 述职 subject (rates computed by the build)."""
    result = site.result(ev.survey)
    view = results.view(result, site.surveys.get(ev.survey), site.today) if result else None
    rated = tuple(q for q in view.questions if q.rows) if view and result and result.kind == "评议" else ()
    return item_page(site, ev, "evaluation.html", "pyjg", ("hdjl", "pyjg"),
                     subjects=subjects(ev), survey=site.surveys.get(ev.survey), result=result,
                     result_view=view, rated=rated,
                     proposals=proposals.handled_at(site.by_type.get("proposal", ()), ev.id))


def subjects(ev: Item) -> tuple[Subject, ...]:
    out = []
    for s in ev.subjects:
        votes = tuple((level, s.votes[level]) for level in schema.EVAL_LEVELS) if s.votes else ()
        total = sum(v for _, v in votes)
        sat = sum(v for level, v in votes if level != "不满意")
        out.append(Subject(s.role, s.report, votes, total, percent(sat, total)))
    return tuple(out)
