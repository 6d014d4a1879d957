"""The search index files (layout in portal.search): built in full on all cores, or patched
after an edit so that only the shards holding a changed word are written again.

Token counts are never kept for the whole site in memory: they are counted from each page's
title and text once, as compact arrays that pass through scratch files to the workers that
write the shards. In a build that renders every page, the render workers count the pages as
they render them (`Tally`); otherwise workers count ranges of ids from the pages' HTML (`Counts`).
"""
from __future__ import annotations

import json
import marshal
import math
import os
import tempfile
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .parallel import jobs, pmap_shared
from .search import CHUNK, K1, MAX_COUNT, SKIP, VERSION, B, Doc, shard_count, shard_of
from .synonyms import NO_SYNONYMS, Synonyms
from .write import put

# A document's tokens (title counted in) and the length of its text.
Counts = Callable[[Doc], tuple[Mapping[str, int], int]]


@dataclass(frozen=True)
class Previous:
    """The index the last build wrote: its documents in id order and where its files are."""
    docs: list[Doc]
    site: Path


@dataclass(frozen=True)
class Tally:
    """A full index's first pass done while the pages render: the render workers count the
    documents they render, given every document's id beforehand, and leave their postings in
    `scratch` as `_count_range` does. Only when the render order gives each range of pages a
    contiguous run of ids, ascending (portal.build_pages)."""
    scratch: str
    ids: dict[str, int]             # url → id, of every document
    shards: int
    groups: int

    @classmethod
    def of(cls, urls: list[str], scratch: str) -> Tally:
        """For the documents `urls`, in id order."""
        shards = shard_count(len(urls))
        return cls(scratch, {u: i for i, u in enumerate(urls)}, shards, min(jobs(), shards))

    def put(self, postings: Postings) -> None:
        """The postings of one range of documents (ids ascending, contiguous with no other
        range's) to scratch."""
        postings.put(self.shards, self.groups, self.scratch)


class Postings:
    """The postings of a range of documents, as compact arrays: documents are added as they
    are counted (ids ascending), so that their token counts are let go at once."""

    def __init__(self) -> None:
        self.rows: dict[str, array] = {}
        self.first: int | None = None
        self.docs = 0

    def add(self, i: int, tokens: Mapping[str, int]) -> None:
        if self.first is None:
            self.first = i
        self.docs += 1
        rows = self.rows
        for tok, count in tokens.items():
            row = rows.get(tok)
            if row is None:
                row = rows[tok] = array("I")
            row.append(i)
            row.append(count if count < MAX_COUNT else MAX_COUNT)

    def put(self, shards: int, n_groups: int, scratch: str) -> None:
        """To scratch, one file per shard group, named by the first id (nothing when empty)."""
        if self.first is None:
            return
        by_shard: list[dict[str, bytes]] = [{} for _ in range(shards)]
        for tok, row in self.rows.items():           # by shard once per token, not per posting
            by_shard[shard_of(tok, shards)][tok] = row.tobytes()
        self.rows = {}
        for g in range(n_groups):
            with open(os.path.join(scratch, f"{self.first:09d}-{g}"), "wb") as f:
                marshal.dump({k: by_shard[k] for k in range(g, shards, n_groups)}, f)


@dataclass
class Index:
    """The index files to write (path → bytes), those unchanged since `Previous` (paths to
    take over), those the workers wrote themselves below `root`, and the documents with their
    lengths counted."""
    files: dict[str, bytes]
    kept: list[str]
    docs: list[Doc]
    written: list[str] = field(default_factory=list)


def index_files(docs: list[Doc], t2s: str, counts: Counts, previous: Previous | None = None,
                old_counts: Counts | None = None, root: str | None = None,
                synonyms: Synonyms = NO_SYNONYMS, tally: Tally | None = None) -> Index:
    """Every file of the index below site/. `docs` in id order (search.ordered); `counts`
    counts a document as now built, `old_counts` as `previous` built it. When the documents
    are the same pages in the same order as `previous` (or those and new ones after them), only
    the shards holding a changed word are written again. With `root`, a full index's shards are
    written there by the workers (Index.written), not sent back. A `tally` of these very
    documents (their lengths set) stands for the full index's counting. `synonyms` go to
    index.json as they are: the page applies them to the query, so no shard depends on them."""
    shards = shard_count(len(docs))
    out = _patched(docs, shards, counts, previous, old_counts or counts) if previous is not None else None
    if out is None:
        if tally is not None and (tally.shards != shards or len(tally.ids) != len(docs) or any(
                tally.ids.get(d.url) != i for i, d in enumerate(docs))):
            raise ValueError("the tally counted other documents than the index holds")
        lengths, bodies = _full(docs, shards, counts, root, tally)
        names = [f"search/s/{k}.json" for k in range(shards)]
        out = Index({} if root else dict(zip(names, bodies, strict=True)), [],
                    [replace(d, length=n) for d, n in zip(docs, lengths, strict=True)], names if root else [])
    out.files.update(_listing(out.docs, shards, t2s, synonyms))
    return out


def _listing(docs: list[Doc], shards: int, t2s: str, synonyms: Synonyms) -> dict[str, bytes]:
    """index.json, the meta chunks in both scripts and hant.json."""
    columns = sorted({d.column for d in docs})
    communities = [""] + sorted({d.community for d in docs if d.community})
    col_ix = {c: i for i, c in enumerate(columns)}
    com_ix = {c: i for i, c in enumerate(communities)}
    files = {"search/index.json": _dumps({
        "v": VERSION, "n": len(docs), "shards": shards, "chunk": CHUNK, "k1": K1, "b": B,
        "columns": columns, "communities": communities,
        "docs": [x for d in docs for x in (col_ix[d.column], com_ix[d.community], d.length)],
        "rank": "".join(str(d.kind + 3 * d.past) for d in docs), "tl": [len(d.title) for d in docs],
        "syn": [list(g) for g in synonyms.groups], "stop": list(synonyms.ignore),
        "skip": SKIP})}
    for k in range(0, max(1, math.ceil(len(docs) / CHUNK))):
        part = docs[k * CHUNK:(k + 1) * CHUNK]
        files[f"search/m/{k}.json"] = _dumps([[d.url, d.title, d.column, d.date, d.label[0]] for d in part])
        files[f"zh-hant/search/m/{k}.json"] = _dumps([["/zh-hant" + d.url, d.hant[0], d.hant[1], d.date, d.label[1]]
                                                      for d in part])
    hant_of = {d.column: d.hant[1] for d in docs} | {d.community: d.hant[2] for d in docs}
    files["search/hant.json"] = _dumps({"t2s": t2s, "columns": [hant_of[c] for c in columns],
                                        "communities": [""] + [hant_of[c] for c in communities[1:]]})
    return files


# --- the whole index -------------------------------------------------------------------------

def _full(docs: list[Doc], shards: int, counts: Counts, root: str | None = None,
          tally: Tally | None = None) -> tuple[list[int], list[bytes]]:
    """Each document's length and each shard's bytes, in two passes on all cores, each
    document tokenised once: workers count contiguous ranges of documents and leave their
    postings, split by shard group, in scratch files (or the render workers did: `tally`);
    then one worker per shard group merges the ranges in order (ids ascending) and encodes its
    shards. No process ever holds the whole index."""
    if tally is not None:
        groups = [list(range(k, shards, tally.groups)) for k in range(tally.groups)]
        encoded = pmap_shared(_merge_group, (shards, len(groups), tally.scratch, root), list(range(len(groups))))
        return [d.length for d in docs], _bodies(shards, groups, encoded)
    n = jobs()
    groups = [list(range(k, shards, n)) for k in range(min(n, shards))]
    step = max(1, math.ceil(len(docs) / (n * 2)))
    spans = [(i, min(i + step, len(docs))) for i in range(0, len(docs), step)] or [(0, 0)]
    with tempfile.TemporaryDirectory(prefix="portal-search-") as scratch:
        parts = pmap_shared(_count_range, (docs, counts, shards, len(groups), scratch), spans)
        lengths = [x for part in parts for x in part]
        encoded = pmap_shared(_merge_group, (shards, len(groups), scratch, root), list(range(len(groups))))
    return lengths, _bodies(shards, groups, encoded)


def _bodies(shards: int, groups: list[list[int]], encoded: list[list[bytes]]) -> list[bytes]:
    bodies: list[bytes] = [b""] * shards
    for group, part in zip(groups, encoded, strict=True):
        for k, body in zip(group, part, strict=True):
            bodies[k] = body
    return bodies


def _count_range(shared: tuple[list[Doc], Counts, int, int, str], span: tuple[int, int]) -> list[int]:
    """Tokenise documents span[0]:span[1]; their postings go to scratch, one file per shard
    group; returns their lengths."""
    docs, counts, shards, n_groups, scratch = shared
    postings = Postings()
    lengths = []
    for i in range(*span):
        tokens, length = counts(docs[i])
        lengths.append(length)
        postings.add(i, tokens)
    postings.put(shards, n_groups, scratch)
    return lengths


def _merge_group(shared: tuple[int, int, str, str | None], g: int) -> list[bytes]:
    """The encoded shards of group g, from every range's postings in id order (written below
    `root` when given: then b"" stands for each)."""
    shards, n_groups, scratch, root = shared
    mine = range(g, shards, n_groups)
    rows: dict[int, dict[str, array]] = {k: {} for k in mine}
    for name in sorted(os.listdir(scratch)):          # ranges in id order
        if not name.endswith(f"-{g}"):
            continue
        with open(os.path.join(scratch, name), "rb") as f:
            part = marshal.load(f)
        for k, postings in part.items():
            shard = rows[k]
            for tok, data in postings.items():
                row = shard.get(tok)
                if row is None:
                    row = shard[tok] = array("I")
                row.frombytes(data)
    out = []
    for k in mine:
        shard = rows.pop(k)
        body = _shard_bytes((tok, shard[tok]) for tok in sorted(shard))
        if root is not None:
            put(root, f"search/s/{k}.json", body)
            body = b""
        out.append(body)
    return out


def _shard_bytes(rows) -> bytes:
    """One shard as compact JSON (what _patched writes for the same postings), by json's C
    encoder in one call."""
    return _dumps({tok: _encode(row) for tok, row in rows})


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


# --- after an edit ---------------------------------------------------------------------------

def patchable(old: list[str], new: list[str]) -> bool:
    """Whether an index of documents `old` (urls in id order) can be patched into one of `new`:
    the same documents, or those and new ones after them, and as many shards."""
    return len(old) <= len(new) and shard_count(len(old)) == shard_count(len(new)) and old == new[:len(old)]


def _patched(docs: list[Doc], shards: int, counts: Counts, previous: Previous, old_counts: Counts) -> Index | None:
    """The shards after the documents that changed since `previous` or came after its last,
    or None when the ids or the shard count moved (then everything is indexed again)."""
    old = previous.docs
    if not patchable([d.url for d in old], [d.url for d in docs]):
        return None
    now, changes = _changes(old, docs, counts, old_counts)
    touched = {shard_of(t, shards) for t in changes}
    out = Index({}, [f"search/s/{k}.json" for k in range(shards) if k not in touched], now)
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


def _changes(old: list[Doc], docs: list[Doc], counts: Counts, old_counts: Counts
             ) -> tuple[list[Doc], dict[str, dict[int, int]]]:
    """The documents with their lengths, and token → {id: new count (0: gone)} for the
    documents whose text or title changed, or that `old` (their first ids) lacks."""
    changes: dict[str, dict[int, int]] = {}
    now = list(docs)
    for i, b in enumerate(docs):
        a = old[i] if i < len(old) else None
        if a is not None and (a is b or (a.text_sig == b.text_sig and a.title == b.title)):
            if b.length != a.length:        # a page taken over is the same document: kept as it is
                now[i] = replace(b, length=a.length)
            continue
        before = old_counts(a)[0] if a is not None else {}
        after, length = counts(b)
        now[i] = replace(b, length=length)
        for tok in before.keys() | after.keys():
            if before.get(tok) != after.get(tok):
                changes.setdefault(tok, {})[i] = min(after.get(tok, 0), MAX_COUNT)
    return now, changes


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
