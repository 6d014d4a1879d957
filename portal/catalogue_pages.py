"""The 基层政务公开标准目录 (国办发〔2019〕54号) on the site: one page per catalogue row with
the records published under it, and the 重点领域 pages (社会救助, 养老服务, 就业 …) listing each
领域's rows and records per community.

Every function here is pure.
"""
from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable

from .items import Item, Record
from .model import Site
from .page_model import Crumb, Page, breadcrumbs, newest
from .schema import SECTORS

CATALOGUE_BASE = "/xxgk/ml/"
SECTOR_BASE = "/xxgk/zdly/"
REQUEST_URL = "/survey/ysqgk/"          # the 依申请公开 channel (survey service)
# 重点领域 → the path segment of its page
SECTOR_SLUGS = {"社会救助": "shjz", "养老服务": "ylfw", "就业": "jy", "社会保险": "shbx",
                "保障性住房": "bzxzf", "残疾人": "cjr", "卫生健康": "wsjk"}
assert set(SECTOR_SLUGS) == set(SECTORS)


def shown(site: Site) -> tuple[Record, ...]:
    """The catalogue rows the site shows (党内 rows are never published)."""
    return tuple(c for c in site.catalogue if c.audience != "党内")


def row_url(entry: Record) -> str:
    return f"{CATALOGUE_BASE}{entry.id}/"


def sector_url(sector: str) -> str:
    return f"{SECTOR_BASE}{SECTOR_SLUGS[sector]}/"


_GROUPED: list = [None, {}]          # (a weak reference to the site, its records by catalogue row)


def records_of(site: Site, iid: str) -> tuple[Item, ...]:
    """The records published under catalogue row `iid`, newest first (grouped once per site:
    every row's page and the /xxgk/ table ask)."""
    if _GROUPED[0] is None or _GROUPED[0]() is not site:
        groups: dict[str, list[Item]] = defaultdict(list)
        for r in site.by_type["disclosure"]:
            groups[r.item].append(r)
        _GROUPED[:] = [weakref.ref(site), {k: tuple(v) for k, v in groups.items()}]
    return _GROUPED[1].get(iid, ())


def by_community(site: Site, records: Iterable[Item]) -> list[dict]:
    """Records grouped per community, in the site's community order (communities without a
    record are left out)."""
    grouped: dict[str, list[Item]] = {}
    for r in records:
        grouped.setdefault(r.community, []).append(r)
    return [{"community": c, "records": grouped[cid]} for cid, c in site.communities.items() if cid in grouped]


def catalogue_rows(site: Site) -> list[dict]:
    """Each shown catalogue row with its page and how many records it has (for /xxgk/)."""
    return [{"entry": c, "url": row_url(c), "count": len(records_of(site, c.id)),
             "sector_url": sector_url(c.sector) if c.get("sector") else ""} for c in shown(site)]


def sectors(site: Site) -> list[dict]:
    """The 重点领域 with at least one catalogue row, in the schema's order."""
    out = []
    for s in SECTORS:
        entries = [c for c in shown(site) if c.get("sector") == s]
        if entries:
            records = [r for c in entries for r in records_of(site, c.id)]
            out.append({"name": s, "url": sector_url(s), "entries": entries, "count": len(records),
                        "latest": sorted(records, key=lambda r: r.published, reverse=True)[:1]})
    return out


def catalogue_pages(site: Site) -> list[Page]:
    """/xxgk/ml/<id>/ for every shown row, /xxgk/zdly/ and one page per 重点领域."""
    base = breadcrumbs(site, "xxgk")
    pages = []
    for c in shown(site):
        records = records_of(site, c.id)
        pages.append(Page(row_url(c), "catalogue_item.html", c.name, "xxgk",
                          {"entry": c, "groups": by_community(site, records), "count": len(records),
                           "request_url": REQUEST_URL,
                           "sector_url": sector_url(c.sector) if c.get("sector") else ""},
                          base + (Crumb(c.name, row_url(c)),), lastmod=newest(records)))
    found = sectors(site)
    crumb = Crumb("重点领域信息公开", SECTOR_BASE)
    pages.append(Page(SECTOR_BASE, "sectors.html", crumb.name, "xxgk", {"sectors": found},
                      base + (crumb,), lastmod=newest(r for s in found for r in s["latest"])))
    for s in found:
        rows = [{"entry": c, "groups": by_community(site, records_of(site, c.id)), "url": row_url(c)}
                for c in s["entries"]]
        listed = [r for row in rows for g in row["groups"] for r in g["records"]]
        pages.append(Page(s["url"], "sector.html", f"{s['name']}领域信息公开", "xxgk",
                          {"sector": s, "rows": rows}, base + (crumb, Crumb(s["name"], s["url"])),
                          lastmod=newest(listed)))
    return pages
