"""Links inside a document's text lead somewhere: a site path (/tzgg/…, /bszn/…) or a relative
link must name a page, file or service path the build publishes. External links (https:,
mailto:, tel:) and anchors are left alone. Runs once the pages are known."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from ..items import Item
from ..markup import links
from ..model import Site
from ..page_model import Page
from ..problems import Problems
from ..published_text import markdown_sources
from ..urls import item_url

# Paths the build or the service answers besides the pages.
SERVED_PREFIXES = ("/static/", "/search/", "/survey/", "/data/", "/hdjl/myd/")
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _known(site: Site, pages: Iterable[Page]) -> set[str]:
    known = {p.url for p in pages} | {r["from"] for r in site.redirects}
    known |= {"/" + rel for rel in site.published_files if rel.startswith("files/")}
    return known | {"/zh-hant" + u for u in known if u.endswith("/")}


def _exists(path: str, known: set[str]) -> bool:
    return path in known or path.startswith(SERVED_PREFIXES)


def sources(pages: list[Page]) -> Iterator[tuple[Page, Item, str, int, str]]:
    """(page, item, key, first line, text) of every Markdown text an item's own page publishes."""
    for page in pages:
        item = page.item
        if item is None or page.url != item_url(item):
            continue
        for key, first, text in markdown_sources(item):
            yield page, item, key, first, text


def targets(pages: list[Page]) -> dict[str, tuple[str, ...]]:
    """The link targets of every text `check` reads, by text (portal.model_snapshot keeps them)."""
    return {text: links(text) for *_, text in sources(pages)}


def check(site: Site, pages: list[Page], problems: Problems) -> None:
    known = _known(site, pages)
    waiting = {item_url(i): i for i in site.scheduled}
    for page, item, key, first, text in sources(pages):
        lines = text.split("\n")
        for target in links(text):
            if target.startswith("#") or SCHEME_RE.match(target):
                continue
            path = urlsplit(urljoin(page.url, target)).path
            if _exists(path, known) or _exists(path + "/", known):
                continue
            line = first + next((n for n, s in enumerate(lines) if target in s), 0)
            if path in waiting:
                message = (f"链接 {target} 指向定时发布的内容（{waiting[path].published:%Y-%m-%d %H:%M} 发布），"
                           "发布前读者打不开：请等它发布后再加链接")
            else:
                message = f"链接 {target} 指向的站内页面不存在：请检查地址（站内地址以 / 开头，如 /bszn/dibao/）"
            problems.error(item.file, line, key, "", message)
