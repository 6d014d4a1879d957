"""议事会提案 pages: the list at /hdjl/yishi/ (counts by community and state, the district's
published total) and one page per proposal with its 三会一评 chain.

Every function here is pure.
"""
from __future__ import annotations

import dataclasses

from . import schema
from .items import Item
from .model import Site
from .page_model import Crumb, Page, breadcrumbs, item_page, paged_list
from .proposals import ORDER, StateCounts, chain, state_counts

BASE = "/hdjl/yishi/"
TITLE = "议事会提案"


def _column(site: Site) -> str:
    return "yishi" if any(c.id == "yishi" for c in site.columns) else "hdjl"


def _crumbs(site: Site) -> tuple[Crumb, ...]:
    if _column(site) == "yishi":
        return breadcrumbs(site, "hdjl", "yishi")
    return breadcrumbs(site, "hdjl", extra=(Crumb(TITLE, BASE),))


def community_counts(site: Site, cid: str) -> StateCounts:
    return state_counts(site.views.of(schema.PROPOSAL.name, cid))


def proposal_pages(site: Site) -> list[Page]:
    proposals = list(site.by_type[schema.PROPOSAL.name])
    col = _column(site)
    per_community = [(c, community_counts(site, cid)) for cid, c in site.communities.items()]
    pages = paged_list(site, BASE, TITLE, col, proposals, _crumbs(site), "proposals.html",
                       states=schema.PROPOSAL_STATES, order=ORDER, total=site.config.get("council_total"),
                       per_community=[(c, n) for c, n in per_community if n.total],
                       all_counts=state_counts(proposals))

    def lookup(eid: str) -> Item | None:
        return site.items.get(f"{schema.EVALUATION.folder}/{eid}")

    for p in proposals:
        page = item_page(site, p, "proposal.html", col, (), steps=chain(p, lookup), order=ORDER)
        pages.append(dataclasses.replace(page, crumbs=_crumbs(site) + (Crumb(p.title, page.url),)))
    return pages
