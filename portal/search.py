"""The portal's own static search index: Chinese full text by character bigrams, built from the
pages the build renders, deterministic, and cheap to update one page at a time.

Why not Pagefind: it indexed every page twice (简 and 繁), took over half of each build and
4.6 GiB at 10,000 items, and cannot update one page. Bigrams are what Lucene's CJK analyser
does; for 通知公告 and 办事指南 they find what residents type without a dictionary.

Layout under site/ (read by templates/static/portal.js):
  search/index.json          {"v", "n", "shards", "chunk", "k1", "b", "columns", "communities",
                             "docs", "rank", "tl", "syn", "stop", "skip"}: docs is [column,
                             community, length] per document id; rank one digit per document, its kind
                             (KINDS) plus 3 when it is no longer current (已过期, 已废止…);
                             tl each title's length; syn the synonym groups and stop the words
                             a query may drop (content/synonyms.yaml, portal.synonyms);
                             skip the CSS selector of what an excerpt leaves out (SKIP)
  search/s/<k>.json          {token: [id delta, count, id delta, count, ...]} for the tokens
                             whose hash falls in shard k
  search/m/<k>.json          [[url, title, column, date, state label], ...] for ids
                             k*chunk … (k+1)*chunk-1
  (no text files)            a result's excerpt comes from its page itself: the search page
                             fetches it (in its own script, so the 繁體 page's excerpts are
                             繁體) and takes the text of <main> without what `skip` selects,
                             which is the body counted here. Residents who open the result
                             then have the page already. A file per page of text cost a
                             10,000-item build a tenth of its time: creating files is what it
                             spends most on
  zh-hant/search/m           the same as search/m in 繁體; the shards are shared
  search/hant.json           {"t2s": "繁简繁简…" character pairs, "columns", "communities"}:
                             the 繁體 page converts the query to 简 (the shards are 简) and
                             shows the filter names in 繁體

Tokens: NFKC, lower case; every pair of adjacent CJK characters; Latin words and numbers
whole; and each character, pair and word of the title (and each pair and word of the item's
keywords) as "^" + it, so that a one-character query finds titles and the page can tell a
title match from a body match. Ids follow (first published, url), so new items are appended
and most edits change only the shards of the words they touch (`Previous`). The shards hold
plain counts (title words counted five times) and index.json each page's length; the page computes BM25 from them,
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

VERSION = 4
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
TAG_SCAN_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>|<!--.*?-->", re.S)
CLASS_RE = re.compile(r"\bclass=\"([^\"]*)\"")
SPACE_RE = re.compile(r"\s+")
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Never text: code, and charts (their numbers are in the tables and captions beside them).
DROPPED = frozenset(("script", "style", "template", "svg"))
# What a page repeats around its body: searched, but an excerpt never comes from it. The state
# banner and tags (已过期…), meta tables (基本信息: 类别, 发布时间, 所属社区…), the guide's key
# facts, list metadata, the rating line and the 更新于 note.
HIDDEN_TAGS = frozenset(("h1", "nav"))
HIDDEN_CLASSES = frozenset(("banner", "tag", "meta", "summary-box", "item-meta", "rating", "headline-rate",
                            "updated", "pager", "digest", "rate-link"))
# What an excerpt leaves out of a page's <main>, as the search page selects it: the dropped and
# the hidden elements above (the page then takes the text of what is left, as _joined does).
SKIP = ",".join([*sorted(DROPPED), "[data-search-ignore]", *sorted(HIDDEN_TAGS),
                 *(f".{c}" for c in sorted(HIDDEN_CLASSES))])
# A page's kind, for ranking: a guide before notices and policies, before everything else.
GUIDE, NOTICE, OTHER = 0, 1, 2
KINDS = {"guide": GUIDE, "notice": NOTICE, "policy": NOTICE}


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
    kind: int = OTHER                  # GUIDE, NOTICE (notices and policies) or OTHER
    past: bool = False                 # expired, repealed…: listed after current pages
    label: tuple[str, str] = ("", "")  # its state label (已过期, 已废止…) in 简 and 繁
    keywords: tuple[str, ...] = ()     # the item's key terms: found like words of its title


# The characters of Chinese text that NFKC changes: full-width ASCII (，：（）；) and the
# ideographic space, each to its NFKC form.
FULL_WIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
FULL_WIDTH = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


def normalise(text: str) -> str:
    """NFKC, lower case. Chinese text is never NFKC-normal (its punctuation is full-width), and
    normalising it whole was a quarter of indexing. Each full-width character is replaced by its
    own NFKC form first; that changes none of the text's compatibility decomposition, so when the
    result is normal (the quick check), it is the text's NFKC form."""
    text = FULL_WIDTH_RE.sub(lambda m: FULL_WIDTH[m[0]], text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def page_text(page: str, keywords: Iterable[str] = ()) -> str:
    """The visible text of a page's <main>, entities decoded, in two lines: what the page
    repeats around its body (HIDDEN_TAGS, HIDDEN_CLASSES; and the item's `keywords`, which
    only its <head> shows), then the body. Elements nest; DROPPED ones and those marked
    data-search-ignore give no text at all."""
    pieces = TAG_SCAN_RE.split(_main(page))
    return _joined(pieces[0::4], _modes(pieces), " ".join(keywords))


def _main(page: str) -> str:
    m = MAIN_RE.search(page)
    return m[1] if m else ""


def _modes(pieces: list[str | None]) -> list[int]:
    """The mode of each text between tags (TAG_SCAN_RE.split: text, then each tag's three
    groups, then text…): 0 body, 1 hidden, 2 dropped. Elements nest; a closing tag closes up to
    the element it names (tolerant of one left open)."""
    names: list[str] = []                  # the open elements
    kept: list[int] = []                   # and their modes
    mode = 0                               # the innermost open element's mode
    modes = [0]
    for k in range(1, len(pieces), 4):
        name = pieces[k + 1]
        if name:                           # not a comment
            attrs: str = pieces[k + 2]     # type: ignore[assignment]  # "" when empty
            name = name.lower()
            if name not in VOID and not attrs.endswith("/"):
                if pieces[k]:              # closing
                    for i in range(len(names) - 1, -1, -1):
                        if names[i] == name:
                            del names[i:], kept[i:]
                            mode = kept[-1] if kept else 0
                            break
                else:
                    if mode < 2 and (name in DROPPED or "data-search-ignore" in attrs):
                        mode = 2
                    elif mode == 0 and (name in HIDDEN_TAGS or (
                            'class="' in attrs and (classes := CLASS_RE.search(attrs)) is not None
                            and not HIDDEN_CLASSES.isdisjoint(classes[1].split()))):
                        mode = 1
                    names.append(name)
                    kept.append(mode)
        modes.append(mode)
    return modes


def _joined(texts: list[str], modes: list[int], keywords: str) -> str:
    body = [t for t, m in zip(texts, modes, strict=True) if m == 0]
    hidden = [keywords] + [t for t, m in zip(texts, modes, strict=True) if m == 1]
    return (SPACE_RE.sub(" ", html.unescape(" ".join(hidden))).strip() + "\n"
            + SPACE_RE.sub(" ", html.unescape(" ".join(body))).strip())


def count_tokens(title: str, text: str, keywords: Iterable[str] = ()) -> tuple[Counter[str], int]:
    """Token counts of a page: its text's bigrams and words, its title's boosted, and one
    "^" token per title character, bigram and word. The bigrams and words of its `keywords`
    (also in its text) get "^" tokens too: staff name a page's key terms there."""
    body = normalise(text)
    counts = Counter(BIGRAM_RE.findall(body))
    counts.update(WORD_RE.findall(body))
    length = sum(counts.values())
    head = normalise(title)
    for tok in BIGRAM_RE.findall(head) + WORD_RE.findall(head):
        counts[tok] += TITLE_BOOST
        counts[TITLE_MARK + tok] = 1
    counts.update(TITLE_MARK + c for c in set(CHAR_RE.findall(head)))
    for word in keywords:
        key = normalise(word)
        for tok in BIGRAM_RE.findall(key) + WORD_RE.findall(key):
            counts[TITLE_MARK + tok] = 1
    return counts, length


def doc_for(url: str, title: str, column: str, community: str, date: str, order: str, text: str,
            hant: tuple[str, str, str] = ("", "", ""), kind: int = OTHER, past: bool = False,
            label: tuple[str, str] = ("", ""), keywords: tuple[str, ...] = ()) -> Doc:
    return Doc(url, title, column, community, date, order, hant, hashlib.sha1(text.encode("utf-8")).hexdigest(),
               kind=kind, past=past, label=label, keywords=keywords)


def shard_count(n: int) -> int:
    """Shards grow with the corpus (about 32 documents' worth each), 8 to 512, a power of two."""
    want = max(1, math.ceil(n / 32))
    return min(512, max(8, 1 << (want - 1).bit_length()))


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over UTF-16 code units (the same in portal.js) of the token without its title
    mark: "^低保" lives in the shard of "低保", so title matches cost the page no extra file."""
    token = token.removeprefix(TITLE_MARK)
    h = 0x811C9DC5
    units = token.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def ordered(docs: Iterable[Doc]) -> list[Doc]:
    """Documents in id order."""
    return sorted(docs, key=lambda d: (d.order, d.url))
