"""重大决策预公开 / 征求意见 pages: the list under 政务公开 (open ones first) and one page per
draft, with its period, how to give an opinion and, afterwards, the 采纳情况. A community page
lists the consultations open for it (its own and the district's).

Every function here is pure.
"""
from __future__ import annotations

import datetime as dt

from .items import Item
from .model import Site
from .page_model import Crumb, Page, breadcrumbs, item_page, newest

BASE = "/xxgk/zqyj/"
TITLE = "重大决策预公开"
LIUYAN_FORM = "/survey/liuyan/"         # the 留言 channel (survey service), when it runs
LIUYAN_PAGE = "/hdjl/liuyan/"


def stage(c: Item, today: dt.date) -> str:
    """Where a consultation stands on `today`."""
    if c.adoption:
        return "已公布采纳情况"
    if today < c.period.start:
        return "尚未开始"
    if today <= c.period.end:
        return "征求意见中"
    return "已截止，待公布采纳情况"


def is_open(c: Item, today: dt.date) -> bool:
    return not c.adoption and c.period.start <= today <= c.period.end


def open_for(site: Site, cid: str) -> list[Item]:
    """Consultations open today for community `cid` (its own and the district-wide ones)."""
    return [c for c in site.by_type["consultation"]
            if c.community in (cid, "district") and is_open(c, site.today)]


def consultation_pages(site: Site) -> list[Page]:
    items = site.by_type["consultation"]
    today = site.today
    rows = sorted(items, key=lambda c: (not is_open(c, today), -c.period.end.toordinal()))
    crumb = Crumb(TITLE, BASE)
    pages = [Page(BASE, "consultations.html", TITLE, "xxgk",
                  {"rows": [{"item": c, "stage": stage(c, today), "open": is_open(c, today)} for c in rows]},
                  breadcrumbs(site, "xxgk", extra=(crumb,)), lastmod=newest(items))]
    for c in items:
        page = item_page(site, c, "consultation.html", "xxgk", ("xxgk",), stage=stage(c, today),
                         open=is_open(c, today), liuyan_form=LIUYAN_FORM, liuyan_page=LIUYAN_PAGE)
        pages.append(Page(page.url, page.template, page.title, page.column, page.context,
                          page.crumbs[:2] + (crumb,) + page.crumbs[2:], item=c, lastmod=page.lastmod,
                          search=page.search, search_community=page.search_community))
    return pages
