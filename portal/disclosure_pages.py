"""The 党务 / 居务 / 财务 公开 pages: each section's index, one table per community and one page
per record (the disclosure model itself is in disclosure.py and schedule.py).

Every function here is pure.
"""
from __future__ import annotations

from typing import Any

from . import committees
from .items import Item
from .model import Site
from .page_model import HOME_LIMIT, Crumb, Page, breadcrumbs, item_date, newest, searchable
from .urls import DOMAIN_SECTION, SECTION_DOMAINS, item_url


def disclosure_summary(site: Site, section: str, community: Item) -> dict:
    rows = site.views.disclosure[(section, community.id)]
    return {"column": site.column(section), "item_count": len(rows),
            "records": sum(r.count for r in rows)}


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
        rows = site.views.disclosure[(section, c.id)]
        rs = [s.record for row in rows for s in row.slots if s.record] + [r for row in rows for r in row.records]
        pages.append(Page(f"{col.path}{c.id}/", "disclosure_community.html", f"{c.name}{col.name}",
                          section, {"community": c, "rows": rows},
                          breadcrumbs(site, section, extra=(Crumb(c.name, f"{col.path}{c.id}/"),)),
                          lastmod=newest(rs)))
    for r in records:
        c = site.communities[r.community]
        pages.append(Page(item_url(r), "disclosure.html", r.title, section,
                          {"catalogue_item": site.catalogue_item(r.item), "community": c,
                           "committee": committees.subject(c, r.fields.get("committee") or ""),
                           "ledger": site.ledgers.get(r.key), "roster": site.rosters.get(r.key)},
                          breadcrumbs(site, section, extra=(Crumb(c.name, f"{col.path}{c.id}/"),
                                                             Crumb(r.period.label, item_url(r)))),
                          item=r, lastmod=item_date(r), search=searchable(site, r),
                          search_community=c.name))
    return pages


def committee_pages(site: Site) -> list[Page]:
    """One page per 居委会/村 (/sq/<community>/<committee>/): its own disclosure calendar, every
    per-committee catalogue item with its periods' state and records, newest first."""
    pages = []
    for c in site.communities.values():
        for subj in committees.subjects(c):
            rows: list[dict[str, Any]] = []
            for cat in site.catalogue:
                if not committees.applies(cat, subj.kind) or (cat.communities and c.id not in cat.communities):
                    continue
                slots = sorted((s for s in site.schedule if s.community == c.id and s.committee == subj.id
                                and s.item.id == cat.id), key=lambda s: s.period, reverse=True)
                rows.append({"item": cat, "slots": slots, "section": site.column(DOMAIN_SECTION[cat.domain])})
            records = [s.record for row in rows for s in row["slots"] if s.record]
            pages.append(Page(subj.url, "committee.html", subj.name, "sq",
                              {"community": c, "subject": subj, "rows": rows},
                              breadcrumbs(site, "sq", extra=(Crumb(c.name, f"/sq/{c.id}/"),
                                                             Crumb(subj.name, subj.url))),
                              lastmod=newest(records)))
    return pages
