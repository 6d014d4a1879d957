"""The page primitives every page family shares: `Page` and `Crumb`, item URLs and dates,
and the builders of breadcrumbs, paged lists, dated columns and item pages (DESIGN §4).

Every function here is pure.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .items import Item
from .model import Site
from .urls import item_url

HOME_LIMIT = 8                     # items in a landing page's short lists


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str


class Listed(NamedTuple):
    """A page as the sitemap lists it."""
    url: str
    lastmod: dt.datetime | None


@dataclass(frozen=True)
class Page:
    url: str                       # site path: "/tzgg/" or "/feed.xml"
    template: str
    title: str
    column: str = ""               # column id, for ColumnName and the nav
    context: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    crumbs: tuple[Crumb, ...] = ()
    item: Item | None = None
    lastmod: dt.datetime | None = None
    in_sitemap: bool = True
    search: bool = False               # indexed by the static search (item pages only)
    search_community: str = ""         # the community filter value

    @property
    def output(self) -> str:
        """File path below site/."""
        return self.url.lstrip("/") + "index.html" if self.url.endswith("/") else self.url.lstrip("/")


# --- dates ---------------------------------------------------------------------------

def item_date(item: Item) -> dt.datetime | None:
    fields = item.fields._d        # a sort key of every list: no AttributeError raised and caught per miss
    return fields.get("updated") or fields.get("published")


def newest(items: Iterable[Item]) -> dt.datetime | None:
    dates = [d for d in (item_date(i) for i in items) if d]
    return max(dates) if dates else None


# --- page builders ----------------------------------------------------------------------

def breadcrumbs(site: Site, *cols: str, extra: tuple[Crumb, ...] = ()) -> tuple[Crumb, ...]:
    out = [Crumb("首页", "/")]
    for cid in cols:
        c = site.column(cid)
        out.append(Crumb(c.name, c.path))
    return tuple(out) + extra


def paged_list(site: Site, base: str, title: str, column: str, items: list[Item], crumbs,
               template: str = "list.html", **ctx) -> list[Page]:
    per = site.config.per_page or 20
    chunks = [items[i:i + per] for i in range(0, len(items), per)] or [[]]
    pages = []
    total = len(chunks)
    links = [(k, base if k == 1 else f"{base}page/{k}/") for k in range(1, total + 1)]    # one list for all
    for n, chunk in enumerate(chunks, 1):
        url = links[n - 1][1]
        pager = {"number": n, "total": total, "prev": links[n - 2][1] if n > 1 else None,
                 "next": links[n][1] if n < total else None, "pages": links}
        pages.append(Page(url, template, title if n == 1 else f"{title}（第{n}页）", column,
                          {"items": chunk, "pager": pager, "count": len(items), **ctx}, crumbs,
                          lastmod=newest(chunk)))
    return pages


def by_year(items: Iterable[Item], attr: str = "published") -> dict[int, list[Item]]:
    out: dict[int, list[Item]] = defaultdict(list)
    for i in items:
        out[getattr(i, attr).year].append(i)
    return dict(sorted(out.items(), reverse=True))


def article_column(site: Site, cid: str, title: str, base: str, items: tuple[Item, ...],
                   parents: tuple[str, ...] = (), template: str = "list.html",
                   only_current: bool = True, **ctx) -> list[Page]:
    """A dated column: a paged list (only current items where expiry applies, with `ctx`)
    and year archives of everything, labelled."""
    years = by_year(items)
    cols = parents + (cid,)
    crumbs = breadcrumbs(site, *cols)
    year_links = [(y, f"{base}{y}/", len(v)) for y, v in years.items()]
    cur = site.current(items) if only_current else list(items)
    pages = paged_list(site, base, title, cid, cur, crumbs, template, years=year_links,
                       past=len(items) - len(cur), **ctx)
    for y, its in years.items():
        pages.append(Page(f"{base}{y}/", template, f"{title}·{y}年", cid,
                          {"items": its, "pager": None, "count": len(its), "years": year_links,
                           "year": y, "archive": True},
                          crumbs + (Crumb(f"{y}年", f"{base}{y}/"),), lastmod=newest(its)))
    return pages


def searchable(site: Site, item: Item) -> bool:
    """Withdrawn items stay online but out of the search index; expired and repealed ones
    are indexed with their label (党内 items never reach this point)."""
    return site.state(item).code != "withdrawn"


def item_page(site: Site, item: Item, template: str, column: str, cols: tuple[str, ...],
              **ctx) -> Page:
    return Page(item_url(item), template, item.title, column, ctx,
                breadcrumbs(site, *cols, extra=(Crumb(item.title, item_url(item)),)), item=item,
                lastmod=item_date(item), search=searchable(site, item),
                search_community=site.community_name(getattr(item, "community", None)))
