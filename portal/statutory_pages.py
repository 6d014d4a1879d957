"""Pages of the 法定主动公开 items a site states once: 负责人信息 (/xxgk/fzr/; 政府信息公开条例
第二十条) and the 信息公开指南's facts (第十二条: 工作机构 name, address, hours, phone, fax, email;
the 查阅场所 of 第二十五条; how to apply; the remedies), added to the staff-written /xxgk/zn/
page. Pure: (site) → pages.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import officials
from .items import Item
from .model import Site
from .page_model import Crumb, Page, breadcrumbs

GUIDE_URL = "/xxgk/zn/"
NEW_MEDIA_URL, NEW_MEDIA_TITLE = "/xxgk/xmt/", "政务新媒体"

# The remedies the 指南 names, with the time limits the laws set.
REMEDIES = (
    ("投诉、举报", "认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开"
                 "工作主管部门投诉、举报（《政府信息公开条例》第五十一条）。"),
    ("行政复议", "自知道或者应当知道该行政行为之日起 60 日内提出行政复议申请（《中华人民共和国行政复议法》"
               "第二十条）。"),
    ("行政诉讼", "自知道或者应当知道作出行政行为之日起 6 个月内向人民法院提起诉讼（《中华人民共和国行政诉讼法》"
               "第四十六条）。"),
)
# 第三十三条: on the spot, or within 20 working days, extendable once by at most 20.
ANSWER_DAYS, EXTENSION_DAYS = 20, 20


@dataclass(frozen=True)
class ReadingPoint:
    community: str
    url: str
    centre: str
    place: str
    hours: str
    phone: str


def community_reading_point(site: Site, c: Item) -> ReadingPoint:
    """A centre's 政务公开专区 (查阅点): its own place and hours, else the centre's."""
    rp = c.fields.get("reading_point")
    return ReadingPoint(c.name, f"/sq/{c.id}/", c.centre.name, rp.place if rp else c.centre.address,
                        rp.hours if rp and rp.hours else c.centre.hours, c.centre.phone)


def reading_points(site: Site) -> list[ReadingPoint]:
    return [community_reading_point(site, c) for c in site.communities.values()]


def guide_page(site: Site, page: Item) -> Page:
    """The staff-written 信息公开指南 with the 工作机构, 查阅场所 and remedies from content."""
    return Page(page.path, "xxgk_zn.html", page.title, "xxgk", {
        "office": site.config.get("disclosure_office"), "reading_points": reading_points(site),
        "remedies": REMEDIES, "answer_days": ANSWER_DAYS, "extension_days": EXTENSION_DAYS,
    }, (Crumb("首页", "/"), Crumb(page.title, page.path)), item=page, lastmod=page.updated, search=True)


def officials_page(site: Site) -> Page:
    return Page(officials.URL, "officials.html", officials.TITLE, "xxgk", {"groups": officials.groups(site)},
                breadcrumbs(site, "xxgk", extra=(Crumb(officials.TITLE, officials.URL),)))


def new_media_page(site: Site) -> Page | None:
    """The site's 政务新媒体 (公众号, 视频号, 小程序) with their QR codes: one page the footer links
    to, so that every page does not carry the images (the 30 KB budget of a phone page)."""
    media = tuple(site.config.get("new_media") or ())
    if not media:
        return None
    return Page(NEW_MEDIA_URL, "new_media.html", NEW_MEDIA_TITLE, "xxgk", {"media": media},
                breadcrumbs(site, "xxgk", extra=(Crumb(NEW_MEDIA_TITLE, NEW_MEDIA_URL),)))
