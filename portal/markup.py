"""What Markdown may become on the portal: Markdown → HTML, cleaned by nh3 against one
allowlist of plain structural tags and tables, and the finder that tells staff, line by line,
what the cleaning would remove (raw <script>, <iframe>, <style>, on…= attributes, javascript:
and file:/// links, images pasted as base64, Word/WPS formatting)."""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown import Markdown

FOOTNOTE_BACKLINK = "返回正文第 %d 处"

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "a", "img", "table", "thead", "tbody",
        "tfoot", "tr", "th", "td", "caption", "sup", "sub", "div", "abbr"}
ATTRIBUTES = {"*": {"id"}, "a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"},
              "th": {"style"}, "td": {"style"}}
# Classes Markdown itself writes (footnotes); any other class came from pasted HTML.
CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}
STYLES = {"text-align"}                     # a Markdown table column's alignment
SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = ("href", "src")
# Tags whose content is dropped with them (not shown as text).
DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
OFFICE = re.compile(r"\bmso-|Mso[A-Z]|^(o|w|v|st1):", re.I)


_local = threading.local()
# Python-Markdown tries each inline pattern on every piece of text; none can match unless its
# trigger is somewhere in the document. A converter without the patterns a text cannot
# trigger writes the same HTML, faster (most Chinese bodies have no `, \\, [, <, &, * or _).
TRIGGERS = {"backtick": ("`",), "escape": ("\\",), "footnote": ("[",), "reference": ("[",), "link": ("[",),
            "image_link": ("[",), "image_reference": ("[",), "short_reference": ("[",),
            "short_image_ref": ("[",), "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",),
            "html": ("<",), "entity": ("&",), "em_strong": ("*", "_")}


def _markdown(text: str) -> Markdown:
    """A converter for `text`, one per thread and set of needed inline patterns, reset between
    texts (building one costs as much as converting)."""
    unused = frozenset(n for n, marks in TRIGGERS.items() if not any(m in text for m in marks))
    cache = getattr(_local, "md", None)
    if cache is None:
        cache = _local.md = {}
    md = cache.get(unused)
    if md is None:
        import markdown
        md = cache[unused] = markdown.Markdown(extensions=_extensions(), output_format="html")
        for name in unused:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
    return md


def _extensions() -> list:
    """Tables, footnotes, heading ids (Chinese-safe slugs), sane lists, attribute and definition
    lists, as objects: named by string, each would make markdown look through every installed
    package's entry points (importlib.metadata: 20 ms of a build that converts one text)."""
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension, slugify_unicode
    return [TableExtension(), FootnoteExtension(BACKLINK_TITLE=FOOTNOTE_BACKLINK),
            TocExtension(permalink=False, slugify=slugify_unicode), SaneListExtension(), AttrListExtension(),
            DefListExtension()]


def _converted(text: str) -> str:
    """Markdown → HTML with tables, footnotes and heading ids (Chinese-safe slugs), as written."""
    md = _markdown(text)
    try:
        return md.convert(text)
    finally:
        md.reset()


# Link and image targets in cleaned HTML: nh3 writes every attribute value in double quotes.
LINK_RE = re.compile(r'\s(?:href|src)="([^"]+)"')


@dataclass(frozen=True)
class Prepared:
    """A Markdown text as published (`html`, cleaned), what cleaning removed from it
    ((0-based line in the text, message)) and the link targets it publishes (unescaped),
    found once where the text is converted (a worker) for the link check every build runs."""
    html: str
    removals: tuple[tuple[int, str], ...]
    links: tuple[str, ...]


def _prepared(text: str) -> Prepared:
    converted = _converted(text)
    html = clean(converted)
    return Prepared(html, tuple(_removals(text, converted)),
                    tuple(unescape(v) for v in LINK_RE.findall(html)))


# Every text converted in this process, by text: validation, link checks and pages share one
# conversion. A build preloads it (portal.build_cache, portal.parallel) and prunes it.
_store: dict[str, Prepared] = {}


def prepare(text: str) -> Prepared:
    text = text or ""
    hit = _store.get(text)
    if hit is None:
        hit = _store[text] = _prepared(text)
    return hit


def to_html(text: str) -> str:
    """What the portal publishes for a Markdown text: converted, then cleaned."""
    return prepare(text).html


# Link targets by text, where they are known without the conversion (portal.model_snapshot:
# the link check of a build that converts no text asks for every text's targets).
_links: dict[str, tuple[str, ...]] = {}


def links(text: str) -> tuple[str, ...]:
    """The link and image targets a Markdown text publishes (unescaped), in order."""
    known = _links.get(text)
    return known if known is not None else prepare(text).links


def preload_links(entries: dict[str, tuple[str, ...]]) -> None:
    _links.update(entries)


def removals(text: str) -> list[tuple[int, str]]:
    """What cleaning would remove from a Markdown text: (0-based line in `text`, message)."""
    return list(prepare(text).removals)


def prepare_all(texts: list[str]) -> None:
    """Convert every text not yet converted, on all cores (portal.parallel)."""
    from .parallel import pmap
    todo = list(dict.fromkeys(t for t in texts if t and t not in _store))
    for text, done in zip(todo, pmap(prepare, todo), strict=True):
        _store[text] = done


def stored() -> dict[str, Prepared]:
    return _store


def preload(entries: dict[str, Prepared]) -> None:
    _store.update(entries)


def has(text: str) -> bool:
    return text in _store


def forget(texts: Iterable[str]) -> None:
    """Forget these texts' conversions (a render worker done with the pages that show them)."""
    for text in texts:
        _store.pop(text, None)


def forget_all() -> None:
    """Forget every conversion (a one-shot build about to render only a few pages: each is
    converted again when asked for, and the memory goes to rendering instead)."""
    _store.clear()
    _links.clear()


def keep_only(texts: set[str]) -> None:
    """Forget conversions of texts no longer in the site (a long-running preview)."""
    for text in [t for t in _store if t not in texts]:
        del _store[text]
    for text in [t for t in _links if t not in texts]:
        del _links[text]


def clean(html: str) -> str:
    return nh3.clean(html, tags=TAGS, clean_content_tags=DROP_CONTENT,
                     attributes={**ATTRIBUTES, **{t: ATTRIBUTES.get(t, set()) | {"class"} for t in CLASSES}},
                     attribute_filter=_keep, url_schemes=SCHEMES, link_rel=None, strip_comments=True,
                     filter_style_properties=STYLES)


def _keep(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [c for c in value.split() if c in CLASSES.get(tag, ())]
        return " ".join(kept) or None
    return value


@dataclass(frozen=True)
class Removal:
    """Something the cleaning removes: the text to find it by in the source, and why."""
    needle: str
    message: str


WHAT = {"script": "脚本", "style": "样式", "iframe": "内嵌页面"}
MARKDOWN_ONLY = "正文只用 Markdown 书写，请删除"
HOW_TO_PASTE = ("请在编辑器中用“只粘贴文本”（Ctrl+Shift+V）重新粘贴；表格请写成 Markdown 表格"
                "（| 列名 | 列名 |），或另存为 Excel 放到 content/files/ 作为附件")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Removal] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        office = [v or "" for k, v in attrs if k in ("class", "style") and OFFICE.search(v or "")]
        if OFFICE.search(tag) or office:
            needle = f"<{tag}" if OFFICE.search(tag) else OFFICE.search(office[0])[0]   # type: ignore[index]
            self.found.append(Removal(needle, f"含有从 Word/WPS 粘贴带来的格式代码，网站会删除它：{HOW_TO_PASTE}"))
            return
        if tag not in TAGS:
            what = WHAT.get(tag, "标签")
            self.found.append(Removal(f"<{tag}", f"含有 <{tag}> {what}，网站不会发布它：{MARKDOWN_ONLY}"))
            return
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if tag == "img" and name == "src" and EXTERNAL.match(value):
            self.found.append(Removal(value[:30], f"图片 {value[:60]} 在其他网站上，本网站的安全策略（CSP）不允许显示"
                                      "其他网站的图片，读者只会看到空白：请把图片下载后放到 content/files/，"
                                      "再用 ![图片说明](/files/文件名.png) 引用"))
        elif name.startswith("on"):
            self.found.append(Removal(name, f"<{tag}> 带有脚本属性 {name}，网站会删除它：请删除"))
        elif name in URL_ATTRIBUTES:
            self._url(value)
        elif name == "class" and not set(value.split()) <= CLASSES.get(tag, set()):
            self.found.append(Removal(value.split()[0] if value.split() else "class",
                                      f"<{tag}> 带有 class 属性，网站会删除它：请删除"))
        elif name == "style" and (tag not in ("th", "td") or not value.replace(" ", "").startswith("text-align:")):
            self.found.append(Removal(value[:20] or "style", f"<{tag}> 带有 style 样式，网站会删除它：请删除"))
        elif name not in ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set()) | ({"class"} if tag in CLASSES else set()):
            self.found.append(Removal(f"{name}=", f"<{tag}> 带有 {name} 属性，网站会删除它：请删除"))

    def _url(self, url: str) -> None:
        scheme = url.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) else ""
        if scheme == "data":
            size = max(1, len(url) * 3 // 4 // 1024)
            self.found.append(Removal(url[:20], f"正文中直接粘贴了图片（约 {size} KB），会让页面变得很大："
                                      "请把图片存为文件放到 content/files/，再用 ![图片说明](/files/文件名.png) 引用"))
        elif scheme == "file":
            self.found.append(Removal(url[:12], f"链接 {url[:40]} 指向本机上的文件，读者打不开：请把文件放到 "
                                      "content/files/，再链接 /files/文件名"))
        elif scheme and scheme not in SCHEMES:
            self.found.append(Removal(f"{scheme}:", f"链接地址 {url[:40]} 不安全，网站会删除它："
                                      "请改为以 https:// 或 / 开头的地址"))


URL_RE = re.compile(r'\s(?:href|src)="([^"]*)"')


def _plain_url(url: str) -> bool:
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
    return m is None or m[1].lower() in SCHEMES


EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)         # another site's address (portal.headers: img-src 'self')
EXTERNAL_IMG_RE = re.compile(r'<img\b[^>]*\ssrc="\s*(?:https?:)?//', re.I)


def _removals(text: str, converted: str) -> list[tuple[int, str]]:
    if "<" not in text and "{" not in text and all(_plain_url(u) for u in URL_RE.findall(converted)) \
            and not EXTERNAL_IMG_RE.search(converted):
        return []        # Markdown alone (no raw HTML, no {: attributes}, ordinary links): nothing to remove
    finder = _Finder()
    finder.feed(converted)
    lines = [s.lower() for s in text.split("\n")]
    out: list[tuple[int, str]] = []
    for r in finder.found:
        line = next((n for n, s in enumerate(lines) if r.needle.lower() in s), 0)
        if (line, r.message) not in out:
            out.append((line, r.message))
    return out


_PLAIN = re.compile(r"[\s*_>#`]+")
_CLOSING = "。．.！!？?；;，,：:…"


def lead(summary: str, body: str) -> str:
    """The summary to print above a body: "" when the body opens with the same words (staff
    often paste the first sentence as the summary; a reader should not read it twice)."""
    plain = _PLAIN.sub("", summary or "").rstrip(_CLOSING)
    if plain and _PLAIN.sub("", body or "").startswith(plain):
        return ""
    return summary or ""
