"""Which pages exist: URL → template + context, derived from the Site (DESIGN §4).

Every function here is pure. `site_pages(site)` lists every output page; rendering one page
is then a function of (page, site) only.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import ratings, results, schema
from .model import DOMAIN_SECTION, SECTION_DOMAINS, Site, Subject, current, sort_key
from .qr import form_url
from .rates import percent
from .validate import Item

# Site paths the builder generates; content pages may not take them.
RESERVED_PREFIXES = ("/tzgg/", "/gzdt/", "/xxgk/zcwj/", "/xxgk/zcjd/", "/bszn/", "/dwgk/", "/jwgk/",
                     "/cwgk/", "/hdjl/", "/sq/", "/sousuo/", "/static/", "/survey/", "/zh-hant/")
RESERVED_EXACT = ("/xxgk/",)

FEED_TYPES = ("notice", "news", "policy", "interpretation", "guide", "evaluation", "result",
              "appeal", "disclosure")
FEED_LIMIT = 50
HOME_LIMIT = 8
QR_SIZE = 160                      # CSS pixels of a survey's QR code on /hdjl/myd/


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str


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


# --- URLs ---------------------------------------------------------------------------

def item_url(item: Item) -> str:
    t = item.type
    if t == "notice":
        return f"/tzgg/{item.published.year}/{item.id}/"
    if t == "news":
        return f"/gzdt/{item.published.year}/{item.id}/"
    if t == "policy":
        return f"/xxgk/zcwj/{item.id}/"
    if t == "interpretation":
        return f"/xxgk/zcjd/{item.id}/"
    if t == "guide":
        return f"/bszn/{item.id}/"
    if t == "disclosure":
        return f"/{DOMAIN_SECTION[item.domain]}/{item.id}/"
    if t in ("evaluation", "result"):
        return f"/hdjl/pyjg/{item.id}/"
    if t == "appeal":
        return f"/hdjl/sqdf/{item.id}/"
    if t == "page":
        return item.path
    if t == "community":
        return f"/sq/{item.id}/"
    raise ValueError(t)


def item_date(item: Item) -> dt.datetime | None:
    return getattr(item, "updated", None) or getattr(item, "published", None)


def newest(items: Iterable[Item]) -> dt.datetime | None:
    dates = [d for d in (item_date(i) for i in items) if d]
    return max(dates) if dates else None


# --- helpers --------------------------------------------------------------------------

def _crumbs(site: Site, *cols: str, extra: tuple[Crumb, ...] = ()) -> tuple[Crumb, ...]:
    out = [Crumb("首页", "/")]
    for cid in cols:
        c = site.column(cid)
        out.append(Crumb(c.name, c.path))
    return tuple(out) + extra


def _paged(site: Site, base: str, title: str, column: str, items: list[Item], crumbs,
           template: str = "list.html", **ctx) -> list[Page]:
    per = site.config.per_page or 20
    chunks = [items[i:i + per] for i in range(0, len(items), per)] or [[]]
    pages = []
    total = len(chunks)
    for n, chunk in enumerate(chunks, 1):
        url = base if n == 1 else f"{base}page/{n}/"
        pager = {"number": n, "total": total,
                 "prev": (base if n == 2 else f"{base}page/{n - 1}/") if n > 1 else None,
                 "next": f"{base}page/{n + 1}/" if n < total else None,
                 "pages": [(k, base if k == 1 else f"{base}page/{k}/") for k in range(1, total + 1)]}
        pages.append(Page(url, template, title if n == 1 else f"{title}（第{n}页）", column,
                          {"items": chunk, "pager": pager, "count": len(items), **ctx}, crumbs,
                          lastmod=newest(chunk)))
    return pages


def _years(items: Iterable[Item], attr: str = "published") -> dict[int, list[Item]]:
    out: dict[int, list[Item]] = defaultdict(list)
    for i in items:
        out[getattr(i, attr).year].append(i)
    return dict(sorted(out.items(), reverse=True))


def _article_column(site: Site, cid: str, title: str, base: str, items: tuple[Item, ...],
                    parents: tuple[str, ...] = (), template: str = "list.html",
                    only_current: bool = True, **ctx) -> list[Page]:
    """A dated column: a paged list (only current items where expiry applies, with `ctx`)
    and year archives of everything, labelled."""
    years = _years(items)
    cols = parents + (cid,)
    crumbs = _crumbs(site, *cols)
    year_links = [(y, f"{base}{y}/", len(v)) for y, v in years.items()]
    cur = current(site, items) if only_current else list(items)
    pages = _paged(site, base, title, cid, cur, crumbs, template, years=year_links,
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


def _item_page(site: Site, item: Item, template: str, column: str, cols: tuple[str, ...],
               **ctx) -> Page:
    return Page(item_url(item), template, item.title, column, ctx,
                _crumbs(site, *cols, extra=(Crumb(item.title, item_url(item)),)), item=item,
                lastmod=item_date(item), search=searchable(site, item),
                search_community=site.community_name(getattr(item, "community", None)))


# --- the site's pages -------------------------------------------------------------------

def site_pages(site: Site) -> list[Page]:
    """Every page of the portal, in a stable order."""
    T = site.by_type
    rated = ratings.ratings(site, item_url)
    pages: list[Page] = []
    pages.append(home_page(site))

    pages += _article_column(site, "tzgg", "通知公告", "/tzgg/", T["notice"])
    pages += _article_column(site, "gzdt", "工作动态", "/gzdt/", T["news"])
    for it in T["notice"] + T["news"]:
        col = "tzgg" if it.type == "notice" else "gzdt"
        pages.append(_item_page(site, it, "article.html", col, (col,)))

    # 信息公开
    pages.append(Page("/xxgk/", "xxgk.html", "信息公开", "xxgk", {
        "catalogue": site.catalogue, "policies": T["policy"][:HOME_LIMIT],
        "interpretations": T["interpretation"][:HOME_LIMIT],
        "guide_page": next((p for p in T["page"] if p.path == "/xxgk/zn/"), None),
    }, _crumbs(site, "xxgk"), lastmod=newest(T["policy"] + T["interpretation"])))
    pages += _article_column(site, "zcwj", "政策文件", "/xxgk/zcwj/", T["policy"], ("xxgk",),
                             template="policies.html", only_current=False)
    pages += _article_column(site, "zcjd", "政策解读", "/xxgk/zcjd/", T["interpretation"], ("xxgk",),
                             only_current=False)
    for p in T["policy"]:
        pages.append(_item_page(site, p, "policy.html", "zcwj", ("xxgk", "zcwj"),
                                interpretations=site.interpretations.get(p.id, ()),
                                guides=guides_citing(site, p.id)))
    for it in T["interpretation"]:
        pages.append(_item_page(site, it, "article.html", "zcjd", ("xxgk", "zcjd"),
                                policy=site.policy(it.policy)))

    # 办事指南
    guides = T["guide"]
    by_cat = _group(sorted(guides, key=lambda g: (g.category, g.title)), lambda g: g.category,
                    order=schema.GUIDE_CATEGORIES)
    pages.append(Page("/bszn/", "guides.html", "办事指南", "bszn",
                      {"groups": by_cat, "count": len(guides),
                       "featured_count": sum(1 for g in guides if g.featured)},
                      _crumbs(site, "bszn"), lastmod=newest(guides)))
    featured = [g for g in guides if g.featured]
    pages.append(Page("/bszn/tese/", "guides.html", "特色服务", "tese",
                      {"groups": _group(sorted(featured, key=lambda g: (g.community, g.title)),
                                        lambda g: site.community_name(g.community)),
                       "count": len(featured), "featured_page": True},
                      _crumbs(site, "bszn", "tese"), lastmod=newest(featured)))
    for g in guides:
        pages.append(_item_page(site, g, "guide.html", "bszn", ("bszn",),
                                centres=guide_centres(site, g, rated),
                                rating=ratings.for_guide(rated, g)))

    # 党务 / 居务 / 财务 公开
    for section in ("dwgk", "jwgk", "cwgk"):
        pages += disclosure_pages(site, section)

    # 互动交流
    pyjg = pyjg_items(site)
    pages.append(Page("/hdjl/", "hdjl.html", "互动交流", "hdjl", {
        "evaluations": pyjg[:HOME_LIMIT], "appeals": T["appeal"][:HOME_LIMIT]},
        _crumbs(site, "hdjl"), lastmod=newest(pyjg + list(T["appeal"]))))
    pages.append(Page("/hdjl/myd/", "myd.html", "满意度调查", "myd",
                      {"surveys": open_surveys(site, invite=True)}, _crumbs(site, "hdjl", "myd")))
    pages += _article_column(site, "pyjg", "评议结果", "/hdjl/pyjg/", tuple(pyjg), ("hdjl",),
                             only_current=False, rectification=rectification(site))
    for ev in T["evaluation"]:
        pages.append(evaluation_page(site, ev))
    for r in T["result"]:
        pages.append(_item_page(site, r, "result.html", "pyjg", ("hdjl", "pyjg"),
                                result=results.view(r, site.surveys.get(r.survey), site.today),
                                evaluations=[e for e in T["evaluation"] if e.survey == r.id]))
    pages += _article_column(site, "sqdf", "诉求答复", "/hdjl/sqdf/", T["appeal"], ("hdjl",),
                             only_current=False)
    for ap in T["appeal"]:
        pages.append(_item_page(site, ap, "appeal.html", "sqdf", ("hdjl", "sqdf")))

    # 社区
    pages.append(Page("/sq/", "communities.html", "社区", "sq",
                      {"communities": list(site.communities.values())}, _crumbs(site, "sq")))
    for cid, c in site.communities.items():
        pages += community_pages(site, c, rated)

    # fixed pages from content/pages
    for p in T["page"]:
        pages.append(Page(p.path, "page.html", p.title, _page_column(site, p.path), {},
                          (Crumb("首页", "/"), Crumb(p.title, p.path)), item=p, lastmod=p.updated,
                          search=True))

    pages.append(report_page(site))
    pages.append(Page("/sousuo/", "search.html", "站内搜索", "sousuo",
                      {"sections": sitemap_sections(site)}, _crumbs(site, "sousuo")))
    pages.append(Page("/404.html", "404.html", "页面不存在", "", {}, (), in_sitemap=False))
    pages.append(Page("/feed.xml", "feed.xml", site.config.name, "",
                      {"entries": feed_entries(site, None), "feed_url": "/feed.xml"}, in_sitemap=False))
    pages.append(Page("/robots.txt", "robots.txt", "", "", {}, in_sitemap=False))
    listed = [p for p in pages if p.in_sitemap]
    pages.append(Page("/sitemap.xml", "sitemap.xml", "", "", {"sitemap": listed}, in_sitemap=False))
    return pages


def _page_column(site: Site, path: str) -> str:
    best = ""
    for c in site.columns:
        if path.startswith(c.path) and len(c.path) > len(site.column(best).path if best else ""):
            best = c.id
    return best


def _group(items: Iterable[Item], key, order: tuple[str, ...] = ()) -> list[tuple[str, list[Item]]]:
    groups: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        groups[key(it)].append(it)
    names = [o for o in order if o in groups] + sorted(k for k in groups if k not in order)
    return [(n, groups[n]) for n in names]


def home_page(site: Site) -> Page:
    T = site.by_type
    notices = current(site, T["notice"])[:HOME_LIMIT]
    news = current(site, T["news"])[:HOME_LIMIT]
    featured = [g for g in T["guide"] if g.featured][:HOME_LIMIT]
    categories = [(cat, sum(1 for g in T["guide"] if g.category == cat))
                  for cat in schema.GUIDE_CATEGORIES if any(g.category == cat for g in T["guide"])]
    return Page("/", "home.html", site.config.name, "", {
        "notices": notices, "news": news, "featured": featured, "categories": categories,
        "communities": list(site.communities.values()), "surveys": open_surveys(site),
        "policies": current(site, T["policy"])[:5], "guide_count": len(T["guide"]),
    }, (), lastmod=newest(notices + news))


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


def guides_citing(site: Site, policy_id: str) -> list[Item]:
    return [g for g in site.by_type["guide"] if any(b.policy == policy_id for b in g.basis)]


def guide_centres(site: Site, guide: Item, rated: ratings.Ratings) -> list[dict]:
    """Where a guide is handled: each centre with the named windows. A community's own
    service gives each window the link rating the service there ("" otherwise)."""
    own = guide.community in site.communities
    cids = [guide.community] if own else list(site.communities)
    out = []
    for cid in cids:
        c = site.communities[cid]
        # District-wide guides list every centre: a link per window there would add ~2 KB to
        # the page (issue 6: ≤ 30 KB); their 评价 button and the community pages suffice.
        windows = [{"window": w, "rate": rated.form(guide.id, w.number, cid) if own else ""}
                   for w in c.centre.windows if w.number in guide.windows]
        out.append({"community": c, "windows": windows})
    return out


def window_guides(site: Site, community: Item, rated: ratings.Ratings) -> list[dict]:
    """A centre's windows with the guides handled at each and the link rating the window."""
    out = []
    for w in community.centre.windows:
        gs = [g for g in site.by_type["guide"]
              if w.number in g.windows and g.community in ("district", community.id)]
        out.append({"window": w, "guides": sorted(gs, key=lambda g: g.title),
                    "rate": rated.form(window=w.number, community=community.id)})
    return out


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
    rated = tuple(q for q in view.questions if q.rows) if view and result.kind == "评议" else ()
    return _item_page(site, ev, "evaluation.html", "pyjg", ("hdjl", "pyjg"),
                      subjects=subjects(ev), survey=site.surveys.get(ev.survey), result=result,
                      result_view=view, rated=rated)


# --- disclosure ---------------------------------------------------------------------------

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
                  _crumbs(site, section), lastmod=newest(records))]
    for c in site.communities.values():
        rows = disclosure_table(site, section, c)
        rs = [s.record for row in rows for s in row["slots"] if s.record] + \
            [r for row in rows for r in row["records"]]
        pages.append(Page(f"{col.path}{c.id}/", "disclosure_community.html", f"{c.name}{col.name}",
                          section, {"community": c, "rows": rows},
                          _crumbs(site, section, extra=(Crumb(c.name, f"{col.path}{c.id}/"),)),
                          lastmod=newest(rs)))
    for r in records:
        c = site.communities[r.community]
        pages.append(Page(item_url(r), "disclosure.html", r.title, section,
                          {"catalogue_item": site.catalogue_item(r.item), "community": c,
                           "ledger": site.ledgers.get(r.key)},
                          _crumbs(site, section, extra=(Crumb(c.name, f"{col.path}{c.id}/"),
                                                        Crumb(r.period.label, item_url(r)))),
                          item=r, lastmod=item_date(r), search=searchable(site, r),
                          search_community=c.name))
    return pages


# --- communities ------------------------------------------------------------------------

def community_items(site: Site, cid: str, type_name: str) -> list[Item]:
    return [i for i in site.by_type[type_name] if i.community == cid]


def pyjg_items(site: Site, cid: str | None = None) -> list[Item]:
    """评议结果: evaluations and published survey results together, newest first; one
    community's (cid) or all."""
    items = site.by_type["evaluation"] + site.by_type["result"]
    return sorted((i for i in items if cid is None or i.community == cid), key=sort_key)


def community_pages(site: Site, c: Item, rated: ratings.Ratings) -> list[Page]:
    cid = c.id
    ctx = {
        "community": c,
        "windows": window_guides(site, c, rated),
        "rating": ratings.for_community(rated, cid),
        "notices": current(site, community_items(site, cid, "notice"))[:HOME_LIMIT],
        "news": current(site, community_items(site, cid, "news"))[:HOME_LIMIT],
        "featured": [g for g in community_items(site, cid, "guide") if g.featured],
        "policies": community_items(site, cid, "policy")[:HOME_LIMIT],
        "appeals": community_items(site, cid, "appeal")[:HOME_LIMIT],
        "evaluations": pyjg_items(site, cid),
        "disclosure": [disclosure_summary(site, s, c) for s in ("dwgk", "jwgk", "cwgk")],
    }
    own = [i for t in FEED_TYPES for i in site.by_type[t] if i.community == cid]
    return [
        Page(f"/sq/{cid}/", "community.html", c.name, "sq", ctx,
             _crumbs(site, "sq", extra=(Crumb(c.name, f"/sq/{cid}/"),)), lastmod=newest(own),
             search=True, search_community=c.name),
        Page(f"/sq/{cid}/feed.xml", "feed.xml", f"{c.name} · {site.config.name}", "",
             {"entries": feed_entries(site, cid), "feed_url": f"/sq/{cid}/feed.xml", "community": c},
             in_sitemap=False),
    ]


# --- feeds and site map ---------------------------------------------------------------------

def feed_entries(site: Site, cid: str | None) -> list[Item]:
    """Newest items for an Atom feed, site-wide or for one community."""
    items = [i for t in FEED_TYPES for i in site.by_type[t]
             if cid is None or i.community == cid]
    items.sort(key=lambda i: (item_date(i), i.key), reverse=True)
    return items[:FEED_LIMIT]


def sitemap_sections(site: Site) -> list[dict]:
    """The site map shown on /sousuo/ (the no-JavaScript fallback) and /404.html."""
    out = []
    for c in site.columns:
        if c.parent or c.id in ("sousuo",):
            continue
        children = [k for k in site.columns if k.parent == c.id]
        out.append({"column": c, "children": children})
    return out


# --- staff report ----------------------------------------------------------------------------

def report_page(site: Site) -> Page:
    """/xxgk/jcbg/: every warning and the disclosure calendar's state, for staff and
    inspectors. Not in the navigation or the site map, and marked noindex."""
    from .checks.freshness import table
    from .schedule import STATE_LABELS
    states = list(STATE_LABELS) + ["unknown"]
    per_community = []
    for cid, c in site.communities.items():
        slots = [s for s in site.schedule if s.community == cid]
        per_community.append({"community": c, "counts": [sum(1 for s in slots if s.state == st) for st in states]})
    attention = sorted((s for s in site.schedule if s.state not in ("published", "pending")),
                       key=lambda s: (s.deadline or site.today, s.community, s.item.id))
    fresh = table(site)
    return Page("/xxgk/jcbg/", "report.html", "网站内容检查报告", "xxgk", {
        "warnings": [w.format() for w in site.warnings],
        "state_labels": [STATE_LABELS.get(st, "无法计算期限") for st in states],
        "per_community": per_community, "attention": attention,
        "freshness": [r for r in fresh if not r.community],
        "community_freshness": [r for r in fresh if r.community],
        "skipped_party": site.skipped_party,
    }, _crumbs(site, "xxgk", extra=(Crumb("网站内容检查报告", "/xxgk/jcbg/"),)), in_sitemap=False)


def subjects(ev: Item) -> tuple[Subject, ...]:
    out = []
    for s in ev.subjects:
        votes = tuple((level, s.votes[level]) for level in schema.EVAL_LEVELS) if s.votes else ()
        total = sum(v for _, v in votes)
        sat = sum(v for level, v in votes if level != "不满意")
        out.append(Subject(s.role, s.report, votes, total, percent(sat, total)))
    return tuple(out)
