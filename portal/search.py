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
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

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
    """One searchable page: what the results list shows (in both scripts) and the tokens it is
    found by."""
    url: str
    title: str
    column: str
    community: str
    date: str                          # as shown: "2026年11月24日", or ""
    order: str                         # sort key for ids: first published date, then url
    tokens: Mapping[str, int]          # token → count (title tokens boosted); {} once stored
    length: int                        # tokens in the text
    hant: tuple[str, str, str] = ("", "", "")     # title, column, community in 繁體
    text_sig: str = ""                 # digest of the text (what the tokens come from)


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
    return Doc(url, title, column, community, date, order, dict(counts), length, hant,
               hashlib.sha1(text.encode("utf-8")).hexdigest())


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


@dataclass(frozen=True)
class Previous:
    """The index the last build wrote: its documents in id order and where its files are."""
    docs: list[Doc]
    site: Path


@dataclass
class Index:
    """The index files to write (path → bytes) and those unchanged since `Previous` (paths to
    take over)."""
    files: dict[str, bytes]
    kept: list[str]


def index_files(docs: list[Doc], t2s: str, tokens: Callable[[Doc], Mapping[str, int]],
                previous: Previous | None = None) -> Index:
    """Every file of the index below site/ except the texts. `docs` in id order (`ordered`);
    `tokens` gives a document's token counts; `t2s` the 繁→简 pairs for the 繁體 page. When the
    documents are the same pages in the same order as `previous`, only the shards holding a
    changed word are written again."""
    shards = shard_count(len(docs))
    columns = sorted({d.column for d in docs})
    communities = [""] + sorted({d.community for d in docs if d.community})
    col_ix = {c: i for i, c in enumerate(columns)}
    com_ix = {c: i for i, c in enumerate(communities)}
    out = Index({}, [])
    patched = _patched(docs, shards, tokens, previous) if previous is not None else None
    if patched is None:
        out.files.update({f"search/s/{k}.json": _dumps(body) for k, body in enumerate(_shards(docs, shards, tokens))})
    else:
        out.files.update(patched.files)
        out.kept += patched.kept
    out.files["search/index.json"] = _dumps({
        "v": VERSION, "n": len(docs), "shards": shards, "chunk": CHUNK, "k1": K1, "b": B,
        "columns": columns, "communities": communities,
        "docs": [x for d in docs for x in (col_ix[d.column], com_ix[d.community], d.length)]})
    for k in range(0, max(1, math.ceil(len(docs) / CHUNK))):
        part = docs[k * CHUNK:(k + 1) * CHUNK]
        out.files[f"search/m/{k}.json"] = _dumps([[d.url, d.title, d.column, d.date] for d in part])
        out.files[f"zh-hant/search/m/{k}.json"] = _dumps([["/zh-hant" + d.url, d.hant[0], d.hant[1], d.date]
                                                          for d in part])
    hant_of = {d.column: d.hant[1] for d in docs} | {d.community: d.hant[2] for d in docs}
    out.files["search/hant.json"] = _dumps({"t2s": t2s, "columns": [hant_of[c] for c in columns],
                                            "communities": [""] + [hant_of[c] for c in communities[1:]]})
    return out


def _shards(docs: list[Doc], shards: int, tokens: Callable[[Doc], Mapping[str, int]]
            ) -> list[dict[str, list[int]]]:
    """Each shard's postings: token → [id delta, count, …], tokens and ids in order."""
    rows: dict[str, array] = {}
    for i, d in enumerate(docs):
        for tok, count in tokens(d).items():
            row = rows.get(tok)
            if row is None:
                row = rows[tok] = array("I")
            row.append(i)
            row.append(min(count, MAX_COUNT))
    out: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for tok in sorted(rows):
        out[shard_of(tok, shards)][tok] = _encode(rows[tok])
    return out


def _encode(row) -> list[int]:
    """[id, count, id, count…] (ids ascending) as [id delta, count, …]."""
    ids = row[0::2]
    flat = [0] * len(row)
    flat[0::2] = [b - a for a, b in zip([0, *ids[:-1]], ids, strict=True)]
    flat[1::2] = row[1::2]
    return flat


def _decode(flat: list[int]) -> dict[int, int]:
    out, at = {}, 0
    for j in range(0, len(flat), 2):
        at += flat[j]
        out[at] = flat[j + 1]
    return out


def _patched(docs: list[Doc], shards: int, tokens: Callable[[Doc], Mapping[str, int]],
             previous: Previous) -> Index | None:
    """The shards after the documents that changed since `previous`, or None when the ids or
    the shard count moved (then everything is indexed again)."""
    old = previous.docs
    if len(old) != len(docs) or shard_count(len(old)) != shards or any(
            a.url != b.url for a, b in zip(old, docs, strict=True)):
        return None
    changes: dict[str, dict[int, int]] = {}          # token → {id: new count (0: gone)}
    for i, (a, b) in enumerate(zip(old, docs, strict=True)):
        if a is b or (a.text_sig and a.text_sig == b.text_sig and a.title == b.title):
            continue
        before, after = tokens(a), tokens(b)
        for tok in before.keys() | after.keys():
            if before.get(tok) != after.get(tok):
                changes.setdefault(tok, {})[i] = min(after.get(tok, 0), MAX_COUNT)
    touched = {shard_of(t, shards) for t in changes}
    out = Index({}, [f"search/s/{k}.json" for k in range(shards) if k not in touched])
    for k in sorted(touched):
        try:
            body = json.loads((previous.site / f"search/s/{k}.json").read_bytes())
        except (OSError, ValueError):
            return None
        for tok in [t for t in changes if shard_of(t, shards) == k]:
            row = _decode(body.get(tok, []))
            for i, count in changes[tok].items():
                if count:
                    row[i] = count
                else:
                    row.pop(i, None)
            if row:
                body[tok] = _encode([x for i in sorted(row) for x in (i, row[i])])
            else:
                body.pop(tok, None)
        out.files[f"search/s/{k}.json"] = _dumps(dict(sorted(body.items())))
    return out
