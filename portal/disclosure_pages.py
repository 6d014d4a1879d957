"""The 党务 / 居务 / 财务 公开 pages: each section's index, one table per community and one page
per record (the disclosure model itself is in disclosure.py and schedule.py).

Every function here is pure.
"""
from __future__ import annotations

from .model import DOMAIN_SECTION, SECTION_DOMAINS, Site
from .page_model import HOME_LIMIT, Crumb, Page, breadcrumbs, item_date, item_url, newest, searchable
from .validate import Item


def disclosure_table(site: Site, section: str, community: Item) -> list[dict]:
    """For one community: each catalogue item of the section with its expected periods
    (state, deadline, record) newest first, plus records outside the schedule."""
    rows = []
    for cat in site.catalogue:
        if cat.domain not in SECTION_DOMAINS[section] or cat.audience == "党内":
            continue
        if cat.communities and community.id not in cat.communities:
            continue
        slots = [s for s in site.schedule if s.community == community.id and s.item.id == cat.id]
        scheduled = {s.record.key for s in slots if s.record is not None}
        records = [r for r in site.by_type["disclosure"]
                   if r.community == community.id and r.item == cat.id and r.key not in scheduled]
        slots.sort(key=lambda s: s.period, reverse=True)
        records.sort(key=lambda r: r.period, reverse=True)
        rows.append({"item": cat, "slots": slots, "records": records,
                     "count": len(scheduled) + len(records)})
    return rows


def disclosure_summary(site: Site, section: str, community: Item) -> dict:
    rows = disclosure_table(site, section, community)
    return {"column": site.column(section), "item_count": len(rows),
            "records": sum(r["count"] for r in rows)}


def disclosure_pages(site: Site, section: str) -> list[Page]:
    col = site.column(section)
    records = [r for r in site.by_type["disclosure"] if DOMAIN_SECTION[r.domain] == section]
    cats = [c for c in site.catalogue if c.domain in SECTION_DOMAINS[section] and c.audience != "党内"]
    per_community = []
    for c in site.communities.values():
        rs = [r for r in records if r.community == c.id]
        per_community.append({"community": c, "count": len(rs), "latest": rs[0] if rs else None})
    pages = [Page(col.path, "disclosure_index.html", col.name, section,
                  {"catalogue": cats, "communities": per_community, "latest": records[:HOME_LIMIT]},
                  breadcrumbs(site, section), lastmod=newest(records))]
    for c in site.communities.values():
        rows = disclosure_table(site, section, c)
        rs = [s.record for row in rows for s in row["slots"] if s.record] + \
            [r for row in rows for r in row["records"]]
        pages.append(Page(f"{col.path}{c.id}/", "disclosure_community.html", f"{c.name}{col.name}",
                          section, {"community": c, "rows": rows},
                          breadcrumbs(site, section, extra=(Crumb(c.name, f"{col.path}{c.id}/"),)),
                          lastmod=newest(rs)))
    for r in records:
        c = site.communities[r.community]
        pages.append(Page(item_url(r), "disclosure.html", r.title, section,
                          {"catalogue_item": site.catalogue_item(r.item), "community": c,
                           "ledger": site.ledgers.get(r.key)},
                          breadcrumbs(site, section, extra=(Crumb(c.name, f"{col.path}{c.id}/"),
                                                             Crumb(r.period.label, item_url(r)))),
                          item=r, lastmod=item_date(r), search=searchable(site, r),
                          search_community=c.name))
    return pages
