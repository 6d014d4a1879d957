"""The portal's own static search index: Chinese full text by character bigrams, built from the
pages the build renders, deterministic, and cheap to update one page at a time.

Why not Pagefind: it indexed every page twice (简 and 繁), took over half of each build and
4.6 GiB at 10,000 items, and cannot update one page. Bigrams are what Lucene's CJK analyser
does; for 通知公告 and 办事指南 they find what residents type without a dictionary.

Layout under site/ (read by templates/static/portal.js):
  search/index.json          {"v", "n", "shards", "chunk", "k1", "b", "columns", "communities",
                             "docs"}: docs is [column, community, length] per document id
  search/s/<k>.json          {token: [id delta, count, id delta, count, ...]} for the tokens
                             whose hash falls in shard k
  search/m/<k>.json          [[url, title, column, date], ...] for ids k*chunk … (k+1)*chunk-1
  search/t/<url>.txt         a page's text, for excerpts
  zh-hant/search/m, t        the same in 繁體; the shards are shared
  search/hant.json           {"t2s": "繁简繁简…" character pairs, "columns", "communities"}:
                             the 繁體 page converts the query to 简 (the shards are 简) and
                             shows the filter names in 繁體

Tokens: NFKC, lower case; every pair of adjacent CJK characters; Latin words and numbers
whole; and each character of the title as "^" + character, so that a one-character query
finds titles. Ids follow (first published, url), so new items are appended and most edits
change only the shards of the words they touch (`Previous`). The shards hold plain counts (title
words counted five times) and index.json each page's length; the page computes BM25 from them,
so that no number in a shard depends on other pages.
"""
from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

VERSION = 1
CHUNK = 64                             # documents per meta file
CJK = "\u3400-\u9fff\uf900-\ufaff"
BIGRAM_RE = re.compile(rf"(?=([{CJK}]{{2}}))")
CHAR_RE = re.compile(rf"[{CJK}]")
WORD_RE = re.compile(r"[a-z0-9]+")
TITLE_MARK = "^"
TITLE_BOOST = 5
MAX_COUNT = 255                        # a token's count in one page, capped
K1, B = 1.2, 0.75                      # BM25, computed by portal.js from counts and lengths
MAIN_RE = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
DROP_RE = re.compile(r"<(script|style|template)\b.*?</\1>|<[^>]+\bdata-search-ignore\b[^>]*>.*?</[a-z0-9]+>", re.S)
TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Doc:
    """One searchable page: what the results list shows (in both scripts). Its tokens are
    counted from its title and text file when the index is built (portal.search_index)."""
    url: str
    title: str
    column: str
    community: str
    date: str                          # as shown: "2026年11月24日", or ""
    order: str                         # sort key for ids: first published date, then url
    hant: tuple[str, str, str] = ("", "", "")     # title, column, community in 繁體
    text_sig: str = ""                 # digest of the text (what the tokens come from)
    length: int = 0                    # tokens in the text, once counted


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def page_text(page: str) -> str:
    """The visible text of a page's <main>, one line, entities decoded."""
    m = MAIN_RE.search(page)
    body = DROP_RE.sub(" ", m[1] if m else "")
    body = TAG_RE.sub(" ", body)
    return SPACE_RE.sub(" ", html.unescape(body)).strip()


def count_tokens(title: str, text: str) -> tuple[Counter[str], int]:
    """Token counts of a page: its text's bigrams and words, its title's boosted, and one
    "^" token per title character."""
    body = normalise(text)
    counts = Counter(BIGRAM_RE.findall(body))
    counts.update(WORD_RE.findall(body))
    length = sum(counts.values())
    head = normalise(title)
    for tok in BIGRAM_RE.findall(head) + WORD_RE.findall(head):
        counts[tok] += TITLE_BOOST
    counts.update(TITLE_MARK + c for c in set(CHAR_RE.findall(head)))
    return counts, length


def doc_for(url: str, title: str, column: str, community: str, date: str, order: str, text: str,
            hant: tuple[str, str, str] = ("", "", "")) -> Doc:
    return Doc(url, title, column, community, date, order, hant, hashlib.sha1(text.encode("utf-8")).hexdigest())


def shard_count(n: int) -> int:
    """Shards grow with the corpus (about 32 documents' worth each), 8 to 512, a power of two."""
    want = max(1, math.ceil(n / 32))
    return min(512, max(8, 1 << (want - 1).bit_length()))


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over UTF-16 code units: the same in portal.js."""
    h = 0x811C9DC5
    units = token.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def text_path(url: str) -> str:
    """Where a page's excerpt text is, below search/: "/bszn/dibao/" → "t/bszn/dibao.txt"."""
    return "t/" + url.strip("/") + ".txt"


def ordered(docs: Iterable[Doc]) -> list[Doc]:
    """Documents in id order."""
    return sorted(docs, key=lambda d: (d.order, d.url))
