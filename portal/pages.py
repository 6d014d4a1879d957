"""Which pages exist: URL → template + context, derived from the Site (DESIGN §4).

Every function here is pure. `site_pages(site)` lists every output page; rendering one page
is then a function of (page, site) only.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from . import annual_report, message_stats, pooled, ratings, results, schema, staff_guide
from .catalogue_pages import REQUEST_URL, catalogue_pages, catalogue_rows, sectors
from .committees import subjects
from .consultation_pages import consultation_pages, open_for
from .disclosure_pages import committee_pages, disclosure_pages, disclosure_summary
from .evaluation_pages import evaluation_page, guide_centres, open_surveys, pyjg_items, rectification, window_guides
from .items import Item
from .model import Site
from .officials import community_group
from .page_model import HOME_LIMIT, Crumb, Listed, Page, article_column, breadcrumbs, item_date, item_page, newest
from .problems import Problem
from .proposal_pages import community_counts, proposal_pages
from .schedule import STATE_LABELS
from .statutory_pages import GUIDE_URL, community_reading_point, guide_page, new_media_page, officials_page
from .urls import item_url

FEED_TYPES = ("notice", "news", "policy", "interpretation", "guide", "evaluation", "result",
              "appeal", "disclosure", "proposal")
FEED_LIMIT = 50


# --- the site's pages -------------------------------------------------------------------

def site_pages(site: Site, warnings: Iterable[Problem] = ()) -> list[Page]:
    """Every page of the portal, in a stable order, family by family. `warnings` are the
    run's, for the staff report page."""
    rated = ratings.ratings(site, item_url)
    pages: list[Page] = [home_page(site)]
    pages += news_pages(site)
    pages += xxgk_pages(site)
    pages += guide_pages(site, rated)
    for section in ("dwgk", "jwgk", "cwgk"):            # 党务 / 居务 / 财务 公开
        pages += disclosure_pages(site, section)
    pages += hdjl_pages(site)
    pages.append(Page("/sq/", "communities.html", "社区", "sq",
                      {"communities": list(site.communities.values())}, breadcrumbs(site, "sq")))
    for c in site.communities.values():
        pages += community_pages(site, c, rated)
    pages += committee_pages(site)                       # each 居委会/村's own calendar
    pages += [guide_page(site, p) if p.path == GUIDE_URL else
              Page(p.path, "page.html", p.title, _page_column(site, p.path), {},
                   (Crumb("首页", "/"), Crumb(p.title, p.path)), item=p, lastmod=p.updated, search=True)
              for p in site.by_type["page"]]              # fixed pages from content/pages
    pages.append(report_page(site, warnings))
    pages += staff_guide.pages(site)                     # 编辑指南, beside the report
    pages.append(Page("/sousuo/", "search.html", "站内搜索", "sousuo",
                      {"sections": sitemap_sections(site)}, breadcrumbs(site, "sousuo")))
    pages.append(Page("/404.html", "404.html", "页面不存在", "", {}, (), in_sitemap=False))
    pages.append(Page("/feed.xml", "feed.xml", site.config.name, "",
                      {"entries": feed_entries(site, None), "feed_url": "/feed.xml"}, in_sitemap=False))
    pages.append(Page("/robots.txt", "robots.txt", "", "", {}, in_sitemap=False))
    # (URL, date) only: the page's signature then covers what it shows, not every page's context
    listed = [Listed(p.url, p.lastmod) for p in pages if p.in_sitemap]
    pages.append(Page("/sitemap.xml", "sitemap.xml", "", "", {"sitemap": listed}, in_sitemap=False))
    return pages


def news_pages(site: Site) -> list[Page]:
    """通知公告 and 工作动态: their columns and items."""
    T = site.by_type
    pages = article_column(site, "tzgg", "通知公告", "/tzgg/", T["notice"])
    pages += article_column(site, "gzdt", "工作动态", "/gzdt/", T["news"])
    for it in T["notice"] + T["news"]:
        col = "tzgg" if it.type == "notice" else "gzdt"
        pages.append(item_page(site, it, "article.html", col, (col,)))
    return pages


def xxgk_pages(site: Site) -> list[Page]:
    """信息公开: its index, 政策文件 and 政策解读."""
    T = site.by_type
    pages = [Page("/xxgk/", "xxgk.html", "信息公开", "xxgk", {
        # 党内 entries are never shown, so the caption's count leaves them out too.
        "catalogue": catalogue_rows(site), "sectors": sectors(site), "request_url": REQUEST_URL,
        "policies": T["policy"][:HOME_LIMIT],
        "interpretations": T["interpretation"][:HOME_LIMIT],
        "guide_page": next((p for p in T["page"] if p.path == "/xxgk/zn/"), None),
    }, breadcrumbs(site, "xxgk"), lastmod=newest(T["policy"] + T["interpretation"]))]
    pages += article_column(site, "zcwj", "政策文件", "/xxgk/zcwj/", T["policy"], ("xxgk",),
                            template="policies.html", only_current=False)
    pages += article_column(site, "zcjd", "政策解读", "/xxgk/zcjd/", T["interpretation"], ("xxgk",),
                            only_current=False)
    citing = guides_citing(site)
    for p in T["policy"]:
        pages.append(item_page(site, p, "policy.html", "zcwj", ("xxgk", "zcwj"),
                               interpretations=site.interpretations.get(p.id, ()),
                               guides=citing.get(p.id, [])))
    for it in T["interpretation"]:
        pages.append(item_page(site, it, "article.html", "zcjd", ("xxgk", "zcjd"),
                               policy=site.policy(it.policy)))
    media = new_media_page(site)
    return (pages + annual_report_pages(site) + catalogue_pages(site) + [officials_page(site)]
            + consultation_pages(site) + ([media] if media else []))


def annual_report_pages(site: Site) -> list[Page]:
    """政府信息公开工作年度报告: the list and one page per year. A year without its staff file
    is a computed draft, shown only in a preview (DESIGN §2: drafts are never built)."""
    texts = annual_report.report_texts(site)
    years = sorted(set(texts) | set(annual_report.draft_years(site) if site.preview else ()), reverse=True)
    reports = [annual_report.build(site, y, texts.get(y)) for y in years]
    crumb = Crumb("政府信息公开工作年度报告", "/xxgk/ndbg/")
    pages = [Page("/xxgk/ndbg/", "ndbg_list.html", crumb.name, "xxgk", {"reports": reports},
                  breadcrumbs(site, "xxgk", extra=(crumb,)), lastmod=newest(texts.values()))]
    for r in reports:
        pages.append(Page(r.url, "ndbg.html", r.title, "xxgk", {"report": r},
                          breadcrumbs(site, "xxgk", extra=(crumb, Crumb(f"{r.year}年", r.url))),
                          item=r.text, lastmod=r.text.published if r.text else None, in_sitemap=not r.draft))
    return pages


def guide_pages(site: Site, rated: ratings.Ratings) -> list[Page]:
    """办事指南 by category, 特色服务 by community, and each guide with its 评价."""
    guides = site.by_type["guide"]
    by_cat = _group(sorted(guides, key=lambda g: (g.category, g.title)), lambda g: g.category,
                    order=schema.GUIDE_CATEGORIES)
    featured = [g for g in guides if g.featured]
    pages = [Page("/bszn/", "guides.html", "办事指南", "bszn",
                  {"groups": by_cat, "count": len(guides), "featured_count": len(featured)},
                  breadcrumbs(site, "bszn"), lastmod=newest(guides)),
             Page("/bszn/tese/", "guides.html", "特色服务", "tese",
                  {"groups": _group(sorted(featured, key=lambda g: (g.community, g.title)),
                                    lambda g: site.community_name(g.community)),
                   "count": len(featured), "featured_page": True},
                  breadcrumbs(site, "bszn", "tese"), lastmod=newest(featured))]
    for g in guides:
        pages.append(item_page(site, g, "guide.html", "bszn", ("bszn",),
                               centres=guide_centres(site, g, rated), rating=ratings.for_guide(rated, g)))
    return pages


def hdjl_pages(site: Site) -> list[Page]:
    """互动交流: open surveys, 评议结果 (evaluations and published results) and 诉求答复."""
    T = site.by_type
    pyjg = pyjg_items(site)
    pages = [Page("/hdjl/", "hdjl.html", "互动交流", "hdjl", {
                 "evaluations": pyjg[:HOME_LIMIT], "appeals": T["appeal"][:HOME_LIMIT]},
                 breadcrumbs(site, "hdjl"), lastmod=newest(pyjg + list(T["appeal"]))),
             Page("/hdjl/myd/", "myd.html", "满意度调查", "myd",
                  {"surveys": open_surveys(site, invite=True)}, breadcrumbs(site, "hdjl", "myd"))]
    pages += article_column(site, "pyjg", "评议结果", "/hdjl/pyjg/", tuple(pyjg), ("hdjl",),
                            only_current=False, rectification=rectification(site))
    pages += [evaluation_page(site, ev) for ev in T["evaluation"]]
    for r in T["result"]:
        pages.append(item_page(site, r, "result.html", "pyjg", ("hdjl", "pyjg"),
                               result=results.view(r, site.surveys.get(r.survey), site.today),
                               evaluations=[e for e in T["evaluation"] if e.survey == r.id],
                               pool=pooled.pool(site, r)))
    pages += proposal_pages(site)                     # 议事会提案 and their 三会一评 chain
    pages += article_column(site, "sqdf", "诉求答复", "/hdjl/sqdf/", T["appeal"], ("hdjl",),
                            only_current=False)
    pages += [item_page(site, ap, "appeal.html", "sqdf", ("hdjl", "sqdf")) for ap in T["appeal"]]
    pages.append(Page("/hdjl/liuyan/", "liuyan.html", "居民留言", "hdjl",
                      message_stats.view(site.message_stats, site.community_name),
                      breadcrumbs(site, "hdjl", extra=(Crumb("居民留言", "/hdjl/liuyan/"),)),
                      lastmod=max((r.published for r in site.message_stats.values()), default=None)))
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
    notices = site.current(T["notice"])[:HOME_LIMIT]
    news = site.current(T["news"])[:HOME_LIMIT]
    featured = [g for g in T["guide"] if g.featured][:HOME_LIMIT]
    categories = [(cat, sum(1 for g in T["guide"] if g.category == cat))
                  for cat in schema.GUIDE_CATEGORIES if any(g.category == cat for g in T["guide"])]
    return Page("/", "home.html", site.config.name, "", {
        "notices": notices, "news": news, "featured": featured, "categories": categories,
        "communities": list(site.communities.values()), "surveys": open_surveys(site),
        "policies": site.current(T["policy"])[:5], "guide_count": len(T["guide"]),
        "annual": pooled.annual(site),
    }, (), lastmod=newest(notices + news))


def guides_citing(site: Site) -> dict[str, list[Item]]:
    """Policy id → the guides whose 设定依据 cite it, in guide order."""
    out: dict[str, list[Item]] = defaultdict(list)
    for g in site.by_type["guide"]:
        for policy in dict.fromkeys(b.policy for b in g.basis if b.policy):
            out[policy].append(g)
    return out


# --- communities ------------------------------------------------------------------------

def community_items(site: Site, cid: str, type_name: str) -> list[Item]:
    return list(site.views.of(type_name, cid))


def community_pages(site: Site, c: Item, rated: ratings.Ratings) -> list[Page]:
    cid = c.id
    ctx = {
        "community": c,
        "windows": window_guides(site, c, rated),
        "rating": ratings.for_community(rated, cid),
        "notices": site.current(community_items(site, cid, "notice"))[:HOME_LIMIT],
        "news": site.current(community_items(site, cid, "news"))[:HOME_LIMIT],
        "featured": [g for g in community_items(site, cid, "guide") if g.featured],
        "policies": community_items(site, cid, "policy")[:HOME_LIMIT],
        "appeals": community_items(site, cid, "appeal")[:HOME_LIMIT],
        "evaluations": pyjg_items(site, cid),
        "proposals": community_counts(site, cid),
        "consultations": open_for(site, cid),
        "council_total": site.config.get("council_total"),
        "disclosure": [disclosure_summary(site, s, c) for s in ("dwgk", "jwgk", "cwgk")],
        "leaders": community_group(site.config, c), "reading_point": community_reading_point(site, c),
        "committee_subjects": subjects(c),
        "annual": pooled.annual(site, cid),
    }
    own = [i for t in FEED_TYPES for i in site.views.of(t, cid)]
    return [
        Page(f"/sq/{cid}/", "community.html", c.name, "sq", ctx,
             breadcrumbs(site, "sq", extra=(Crumb(c.name, f"/sq/{cid}/"),)), lastmod=newest(own),
             search=True, search_community=c.name),
        Page(f"/sq/{cid}/feed.xml", "feed.xml", f"{c.name} · {site.config.name}", "",
             {"entries": feed_entries(site, cid), "feed_url": f"/sq/{cid}/feed.xml", "community": c},
             in_sitemap=False),
    ]


# --- feeds and site map ---------------------------------------------------------------------

def feed_entries(site: Site, cid: str | None) -> list[Item]:
    """Newest items for an Atom feed, site-wide or for one community."""
    items = [i for t in FEED_TYPES for i in (site.by_type[t] if cid is None else site.views.of(t, cid))]
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

def report_page(site: Site, warnings: Iterable[Problem]) -> Page:
    """/xxgk/jcbg/: every warning and the disclosure calendar's state, for staff and
    inspectors. Not in the navigation or the site map, and marked noindex."""
    states = list(STATE_LABELS) + ["unknown"]
    per_community = []
    for cid, c in site.communities.items():
        slots = [s for s in site.schedule if s.community == cid]
        per_community.append({"community": c, "counts": [sum(1 for s in slots if s.state == st) for st in states]})
    attention = sorted((s for s in site.schedule if s.state not in ("published", "pending")),
                       key=lambda s: (s.deadline or site.today, s.community, s.item.id))
    fresh = site.views.freshness
    return Page("/xxgk/jcbg/", "report.html", "网站内容检查报告", "xxgk", {
        "warnings": [w.format() for w in warnings],
        "state_labels": [STATE_LABELS.get(st, "无法计算期限") for st in states],
        "per_community": per_community, "attention": attention,
        "freshness": [r for r in fresh if not r.community],
        "community_freshness": [r for r in fresh if r.community],
        "skipped_party": site.skipped_party, "scheduled": site.scheduled,
    }, breadcrumbs(site, "xxgk", extra=(Crumb("网站内容检查报告", "/xxgk/jcbg/"),)), in_sitemap=False)
