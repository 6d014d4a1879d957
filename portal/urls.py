"""Where things live on the portal (DESIGN §4): each item's URL, the sections disclosure
records are shown in, and the paths the builder generates itself, which content pages may not
take."""
from __future__ import annotations

from .items import Item

# Where each disclosure domain is shown. 政务 sits with 居务 (事务公开).
DOMAIN_SECTION = {"党务": "dwgk", "居务": "jwgk", "财务": "cwgk", "政务": "jwgk"}
SECTION_DOMAINS = {"dwgk": ("党务",), "jwgk": ("居务", "政务"), "cwgk": ("财务",)}

# Site paths the builder generates; content pages may not take them.
RESERVED_PREFIXES = ("/tzgg/", "/gzdt/", "/xxgk/zcwj/", "/xxgk/zcjd/", "/xxgk/jcbg/", "/xxgk/ndbg/", "/xxgk/ml/",
                     "/xxgk/fzr/", "/xxgk/xmt/", "/xxgk/zdly/", "/xxgk/zqyj/", "/bszn/", "/dwgk/",
                     "/jwgk/", "/cwgk/", "/hdjl/", "/sq/", "/sousuo/", "/static/", "/survey/", "/zh-hant/")
RESERVED_EXACT = ("/", "/xxgk/")

# Item type → URL pattern ({year} is the year published).
PATTERNS = {
    "notice": "/tzgg/{year}/{id}/",
    "news": "/gzdt/{year}/{id}/",
    "policy": "/xxgk/zcwj/{id}/",
    "interpretation": "/xxgk/zcjd/{id}/",
    "guide": "/bszn/{id}/",
    "evaluation": "/hdjl/pyjg/{id}/",
    "result": "/hdjl/pyjg/{id}/",
    "appeal": "/hdjl/sqdf/{id}/",
    "community": "/sq/{id}/",
    "annual_report": "/xxgk/ndbg/{id}/",
    "proposal": "/hdjl/yishi/{id}/",
    "consultation": "/xxgk/zqyj/{id}/",
}


def item_url(item: Item) -> str:
    if item.type == "page":
        return item.path
    if item.type == "disclosure":
        return f"/{DOMAIN_SECTION[item.domain]}/{item.id}/"
    pattern = PATTERNS[item.type]
    year = item.published.year if "{year}" in pattern else ""
    return pattern.format(year=year, id=item.id)


def reserved(path: str) -> bool:
    """Whether a content page may not take `path`."""
    return path in RESERVED_EXACT or path.startswith(RESERVED_PREFIXES)
