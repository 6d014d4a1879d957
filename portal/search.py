"""The portal's own static search index: Chinese full text by character bigrams, built from the
pages the build renders, deterministic, and cheap to update one page at a time.

Why not Pagefind: it indexed every page twice (简 and 繁), took over half of each build and
4.6 GiB at 10,000 items, and cannot update one page. Bigrams are what Lucene's CJK analyser
does; for 通知公告 and 办事指南 they find what residents type without a dictionary.

Layout under site/ (read by templates/static/portal.js):
  search/index.json          {"v", "n", "shards", "chunk", "columns", "communities", "docs"}:
                             docs is [column, community] index pairs, one per document id
  search/s/<k>.json          {token: [id delta, weight, id delta, weight, ...]} for the tokens
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
change only the shards of the words they touch. Weights are BM25 (k1 1.2, b 0.75) scaled to
1–99, title words counted five times.
"""
from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

VERSION = 1
CHUNK = 64                             # documents per meta file
CJK = "\u3400-\u9fff\uf900-\ufaff"
BIGRAM_RE = re.compile(rf"(?=([{CJK}]{{2}}))")
CHAR_RE = re.compile(rf"[{CJK}]")
WORD_RE = re.compile(r"[a-z0-9]+")
TITLE_MARK = "^"
TITLE_BOOST = 5
K1, B = 1.2, 0.75
MAIN_RE = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
DROP_RE = re.compile(r"<(script|style|template)\b.*?</\1>|<[^>]+\bdata-search-ignore\b[^>]*>.*?</[a-z0-9]+>", re.S)
TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Doc:
    """One searchable page: what the results list shows (in both scripts) and the tokens it is
    found by."""
    url: str
    title: str
    column: str
    community: str
    date: str                          # as shown: "2026年11月24日", or ""
    order: str                         # sort key for ids: first published date, then url
    tokens: Mapping[str, int]          # token → count (title tokens boosted)
    length: int                        # tokens in the text
    hant: tuple[str, str, str] = ("", "", "")     # title, column, community in 繁體


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
    counts, length = count_tokens(title, text)
    return Doc(url, title, column, community, date, order, dict(counts), length, hant)


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


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ordered(docs: Iterable[Doc]) -> list[Doc]:
    """Documents in id order."""
    return sorted(docs, key=lambda d: (d.order, d.url))


def index_files(docs: list[Doc], t2s: str = "") -> dict[str, bytes]:
    """Every file of the index below site/ except the texts: path → bytes. `docs` in id order
    (`ordered`); `t2s` the 繁→简 character pairs for the 繁體 page."""
    shards = shard_count(len(docs))
    columns = sorted({d.column for d in docs})
    communities = [""] + sorted({d.community for d in docs if d.community})
    out = {f"search/s/{k}.json": _dumps(body) for k, body in enumerate(_shards(docs, shards))}
    col_ix = {c: i for i, c in enumerate(columns)}
    com_ix = {c: i for i, c in enumerate(communities)}
    out["search/index.json"] = _dumps({
        "v": VERSION, "n": len(docs), "shards": shards, "chunk": CHUNK, "columns": columns,
        "communities": communities,
        "docs": [x for d in docs for x in (col_ix[d.column], com_ix[d.community])]})
    for k in range(0, max(1, math.ceil(len(docs) / CHUNK))):
        part = docs[k * CHUNK:(k + 1) * CHUNK]
        out[f"search/m/{k}.json"] = _dumps([[d.url, d.title, d.column, d.date] for d in part])
        out[f"zh-hant/search/m/{k}.json"] = _dumps([["/zh-hant" + d.url, d.hant[0], d.hant[1], d.date]
                                                    for d in part])
    hant_of = {d.column: d.hant[1] for d in docs} | {d.community: d.hant[2] for d in docs}
    out["search/hant.json"] = _dumps({"t2s": t2s, "columns": [hant_of[c] for c in columns],
                                      "communities": [""] + [hant_of[c] for c in communities[1:]]})
    return out


def _shards(docs: list[Doc], shards: int) -> list[dict[str, list[int]]]:
    """Each shard's postings: token → [id delta, weight, …], tokens and ids in order."""
    average = (sum(d.length for d in docs) / len(docs)) if docs else 1.0
    rows: dict[str, array] = {}
    for i, d in enumerate(docs):
        norm = K1 * (1 - B + B * d.length / average)
        for tok, count in d.tokens.items():
            row = rows.get(tok)
            if row is None:
                row = rows[tok] = array("I")
            row.append(i)
            row.append(max(1, min(99, round(count / (count + norm) * 99))))
    out: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for tok in sorted(rows):
        row = rows[tok]
        ids = row[0::2]
        flat = [0] * len(row)
        flat[0::2] = [b - a for a, b in zip([0, *ids[:-1]], ids, strict=True)]
        flat[1::2] = row[1::2]
        out[shard_of(tok, shards)][tok] = flat
    return out
