"""The search page's query (templates/static/portal.js) in Python, over a built site's index:
for the evaluation of resident queries (bench/search_eval.py, tests/portal/test_search_eval.py)
and the benchmarks; the browser tests prove the page ranks the same way.

A query is read the way residents type it: no spaces, filler words, everyday names.
1. NFKC, lower case; on the 繁體 page each character folded to Simplified (hant.json).
2. Each run of CJK characters is cut, left to right, into the longest words the synonyms file
   knows (content/synonyms.yaml, shipped in index.json). A word to ignore (怎么办, 在哪里) is
   dropped. A synonym stands for its whole group and must be found (any word of the group will
   do). A stretch of unknown characters gives its bigrams, which rank the pages holding most of
   them; a lone unknown character (the 办 of 办低保) is dropped, unless nothing else is left,
   when it finds titles holding it. Latin words and numbers rank like bigrams.
3. Order: current pages before those no longer current (已过期, 已废止…); then the number of
   query words found in the title; then how much of the title they cover plus a weight for
   the page's kind (a guide before notices and policies, before anything else); then BM25 over
   the body; then the newer page.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .hant import convert_text
from .search import CJK, TITLE_MARK, normalise, shard_of

RUN_RE = re.compile(rf"[{CJK}]+|[a-z0-9]+")
KIND_WEIGHT = (0.5, 0.25, 0.0)          # GUIDE, NOTICE, OTHER (portal.search): added to the title share


@dataclass(frozen=True)
class Term:
    """One word of the query: the words that count as it (a synonym group, the typed word
    first), and whether a page must hold one of them."""
    words: tuple[str, ...]
    required: bool


def word_tokens(word: str) -> list[str]:
    """The index tokens a page holds when its text holds `word`."""
    out: list[str] = []
    for run in RUN_RE.findall(word):
        if run.isascii():
            out.append(run)
        elif len(run) == 1:
            out.append(TITLE_MARK + run)              # a lone character is indexed in titles only
        else:
            out += [run[i:i + 2] for i in range(len(run) - 1)]
    return out


def title_tokens(word: str) -> list[str]:
    """The index tokens a page holds when its title holds `word`."""
    out: list[str] = []
    for run in RUN_RE.findall(word):
        if run.isascii() or len(run) == 1:
            out.append(TITLE_MARK + run)
        else:
            out += [TITLE_MARK + run[i:i + 2] for i in range(len(run) - 1)]
    return out


def parse(query: str, groups: list[list[str]], stop: list[str], fold: dict[str, str] | None = None) -> list[Term]:
    """The query's terms (module docstring, step 1 and 2)."""
    q = "".join((fold or {}).get(c, c) for c in normalise(query))
    group_of = {w: g for g in groups for w in g}
    stops = set(stop)
    longest = max((len(w) for w in [*group_of, *stops]), default=1)
    terms: list[Term] = []
    singles: list[str] = []
    dropped: list[str] = []

    def unknown(chars: str) -> None:
        if len(chars) == 1:
            singles.append(chars)
        terms.extend(Term((chars[i:i + 2],), False) for i in range(len(chars) - 1))

    for run in RUN_RE.findall(q):
        if run.isascii():
            terms.append(Term((run,), False))
            continue
        i, start = 0, 0
        while i < len(run):
            word = next((run[i:i + n] for n in range(min(longest, len(run) - i), 0, -1)
                         if run[i:i + n] in group_of or run[i:i + n] in stops), "")
            if not word:
                i += 1
                continue
            unknown(run[start:i])
            if word in stops:
                dropped.append(word)
            else:
                terms.append(Term((word, *[w for w in group_of[word] if w != word]), True))
            i = start = i + len(word)
        unknown(run[start:])
    if not terms:
        terms = [Term((c,), True) for c in singles] + [Term((w,), False) for w in dropped]
    return list(dict.fromkeys(terms))


@dataclass(frozen=True)
class Hit:
    """A page found, with what orders it (module docstring, step 3)."""
    id: int
    past: int
    title_words: int
    title_weight: float
    score: float

    def key(self) -> tuple:
        return (self.past, -self.title_words, -self.title_weight, -self.score, -self.id)


class SearchIndex:
    """A built site's index as the 简 (or 繁體) search page reads it."""

    def __init__(self, site: Path, lang: str = "zh-Hans"):
        self.root = Path(site)
        self.hant = lang == "zh-Hant"
        self.index = self._json("search/index.json")
        self.fold: dict[str, str] = {}
        if self.hant:
            pairs = self._json("search/hant.json")["t2s"]
            self.fold = {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}
        lengths = self.index["docs"][2::3]
        self.average = max(1.0, sum(lengths) / max(1, len(lengths)))
        self.shards: dict[int, dict[str, list[int]]] = {}
        self.postings: dict[str, dict[int, int]] = {}

    def _json(self, rel: str) -> Any:
        return json.loads((self.root / rel).read_text(encoding="utf-8"))

    def terms(self, query: str) -> list[Term]:
        return parse(query, self.index.get("syn", []), self.index.get("stop", []), self.fold)

    def _posting(self, token: str) -> dict[int, int]:
        """{document id: count} of a token."""
        if token not in self.postings:
            k = shard_of(token, self.index["shards"])
            if k not in self.shards:
                self.shards[k] = self._json(f"search/s/{k}.json")
            row, out, at = self.shards[k].get(token, []), {}, 0
            for i in range(0, len(row), 2):
                at += row[i]
                out[at] = row[i + 1]
            self.postings[token] = out
        return self.postings[token]

    def _bm25(self, token: str, doc: int) -> float:
        row = self._posting(token)
        ix = self.index
        idf = math.log(1 + ix["n"] / max(1, len(row)))
        tf = row[doc]
        norm = ix["k1"] * (1 - ix["b"] + ix["b"] * ix["docs"][3 * doc + 2] / self.average)
        return idf * tf * (ix["k1"] + 1) / (tf + norm)

    def _term(self, term: Term) -> dict[int, tuple[bool, int, float]]:
        """Each page holding the term: (found in its title, the length of the word found
        there, BM25), for the best of the term's words."""
        best: dict[int, tuple[bool, int, float]] = {}
        for word in term.words:
            tokens = word_tokens(word)
            if not tokens:
                continue
            rows = [self._posting(t) for t in tokens]
            heads = [self._posting(t) for t in title_tokens(word)]
            for doc in sorted(set.intersection(*(set(r) for r in rows))):
                in_title = all(doc in h for h in heads)
                found = (in_title, len(word) if in_title else 0, sum(self._bm25(t, doc) for t in tokens))
                if doc not in best or found > best[doc]:
                    best[doc] = found
        return best

    def ranked(self, query: str) -> list[Hit]:
        """The pages found, best first (module docstring, step 3)."""
        terms = self.terms(query)
        found = [self._term(t) for t in terms]
        required = [f for t, f in zip(terms, found, strict=True) if t.required]
        soft = [f for t, f in zip(terms, found, strict=True) if not t.required]
        if required:
            ids = set.intersection(*(set(f) for f in required))
        else:
            ids = set().union(*(set(f) for f in soft))
        if soft and ids:
            cover = {d: sum(d in f for f in soft) for d in ids}
            most = max(cover.values())
            ids = {d for d in ids if cover[d] == most}
        rank, titles = self.index["rank"], self.index["tl"]
        hits = []
        for d in ids:
            mine = [f[d] for f in found if d in f]
            kind = int(rank[d]) % 3
            share = min(1.0, sum(m[1] for m in mine) / max(1, titles[d]))
            hits.append(Hit(d, int(rank[d]) // 3, sum(m[0] for m in mine), share + KIND_WEIGHT[kind],
                            sum(m[2] for m in mine)))
        return sorted(hits, key=Hit.key)

    def row(self, doc: int) -> list[str]:
        """[url, title, column, date, state label] as the results list shows it."""
        chunk = self.index["chunk"]
        rows = self._json(f"{'zh-hant/' if self.hant else ''}search/m/{doc // chunk}.json")
        return rows[doc % chunk]


def search(site: Path, base: str, query: str, lang: str) -> dict:
    """{"count", "top": [{"url", "title", "label"}]} as the 简 or 繁 search page would list
    them (the benchmarks' interface; `base` is the site's root path, unused)."""
    index = SearchIndex(site, lang)
    hits = index.ranked(query)
    top = []
    for h in hits[:5]:
        url, title, _, _, label = index.row(h.id)
        top.append({"url": url, "title": title, "label": label})
    return {"count": len(hits), "top": top}


@dataclass(frozen=True)
class Outcome:
    """One query of an evaluation set: the page that should come first, and the one that did
    (None: no result)."""
    query: str
    want: str | None
    got: str | None

    @property
    def right(self) -> bool:
        return self.want == self.got


def evaluate(site: Path, cases: list[dict], lang: str = "zh-Hans") -> list[Outcome]:
    """Each case ({"q", "first"}, tests/data/search_eval.yaml) searched on the 简 page, or on
    the 繁體 page typed in 繁體 (its first result then under /zh-hant/)."""
    index = SearchIndex(site, lang)
    out = []
    for case in cases:
        query, want = case["q"], case["first"]
        if index.hant:
            query, want = convert_text(query), want and "/zh-hant" + want
        hits = index.ranked(query)
        out.append(Outcome(query, want, index.row(hits[0].id)[0] if hits else None))
    return out
