"""Reading the content for a build: every file read, parsed, validated (validate_doc), its
Markdown converted and its personal numbers found, on all cores, and remembered by content
hash under .cache/ so that the next build only does this for files that changed.

A cache entry is keyed by the file's bytes, its place and the builder's code, so an entry can
never describe other content or an older rule.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from . import ingest_snapshot, schema
from .items import Item, mark_source
from .load import DOCUMENT_SUFFIXES, LineDict, Read, Tree, add_read, content_files, display_path, read_bytes
from .markup import Prepared
from .parallel import MIN_ITEMS, give_back_memory, pmap_iter
from .paths import Listings
from .problems import Problem
from .validate import validate_doc

VERSION = b"ingest-1"
Ingested = tuple[Read, "tuple[Item, list[Problem]] | None"]


@dataclass
class Memory:
    """What a preview remembers between builds: results by content key, and each file's last
    (modification time, size, key), so an unchanged file is not even read again."""
    entries: dict[str, Ingested] = field(default_factory=dict)
    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    listings: Listings = field(default_factory=dict)     # folders' listings (portal.paths.walk)
    limit: tuple[int, int, int] | None = None            # site.yaml's (time, size) → document_limit
    # What the file watcher saw change since the last build (files below the root, by rel), or
    # None when it cannot say (the first build, a folder created, moved or removed, a direct
    # rebuild). When every changed file is one read before, the last walk's files are the
    # files, and only the changed ones are looked at again.
    changed: set[str] | None = None
    walked: tuple[list[tuple[str, str]], list[Problem]] | None = None     # the last walk: files, problems


@dataclass
class _Reading:
    """The files of one ingest, in order, and what is known of each so far."""
    work: list[tuple[str, str, bytes]] = field(default_factory=list)     # rel, path, bytes if read
    keys: list[str] = field(default_factory=list)
    found: list[Ingested | None] = field(default_factory=list)
    pickled: list[bytes | None] = field(default_factory=list)   # a result's pickle, where the snapshot lacks it
    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    stored: set[str] = field(default_factory=set)               # results just put in the per-file cache

    def add(self, rel: str, path: str, raw: bytes, row: tuple[int, int, str], hit: Ingested | None,
            data: bytes | None) -> None:
        self.stats[rel] = row
        self.work.append((rel, path, raw))
        self.keys.append(row[2])
        self.found.append(hit)
        self.pickled.append(data)

    def complete(self, cache: Path | None, remember: bool) -> None:
        """Read and validate, on all cores, every file not known yet. The workers send each
        result pickled, as the per-file cache keeps it; each is stored as it arrives and let go
        (the snapshot copies it from there), so a first build never holds every result twice
        (at 10,000 items, 95 MB)."""
        todo = [i for i, hit in enumerate(self.found) if hit is None]
        for i, made in zip(todo, pmap_iter(_read_and_pickle, [self.work[i] for i in todo]), strict=True):
            self.found[i] = pickle.loads(made)
            rel, path, _ = self.work[i]
            self.work[i] = (rel, path, b"")                     # its bytes are read and parsed
            if remember and cache is not None:
                if _store(cache, self.keys[i], made):
                    self.stored.add(self.keys[i])
                else:
                    self.pickled[i] = made
        if len(todo) >= MIN_ITEMS:
            give_back_memory()          # the files' bytes and the pickles, let go: not needed again

    def rows(self) -> list[tuple[str, tuple[int, int, str], bytes | None]]:
        return [(rel, self.stats[rel], d) for (rel, _, _), d in zip(self.work, self.pickled, strict=True)]


def ingest(root: Path, cache: Path | None = None, code: str = "", remember: bool = True,
           memory: Memory | None = None) -> Tree:
    """The content tree at `root`, item documents validated (tree.validated). Files read
    before are taken from `memory` (a preview's), from the last one-shot build's snapshot of
    `root` (portal.ingest_snapshot) or from `cache`; new ones are added to both unless
    `remember` is False (`build.py check` writes nothing)."""
    tree = Tree(root)
    one_shot = memory is None
    listings = memory.listings if memory is not None else None
    memory = Memory() if memory is None else memory
    snap = ingest_snapshot.load(cache, root, code, touch=remember) if one_shot else ingest_snapshot.Snapshot()
    taken_ns = time.time_ns()
    limit = _limit(root, memory)
    reading = _Reading()
    files, changed = _files(tree, memory, listings)
    for rel, p in files:
        path = display_path(p)
        told = changed is not None and rel in changed
        try:
            seen = memory.stats.get(rel) if changed is not None and not told else None
            if seen is not None and seen[2] in memory.entries:      # the watcher saw no change to it
                reading.add(rel, path, b"", seen, memory.entries[seen[2]], None)
                continue
            st = os.stat(p)
            if st.st_size > limit and rel.endswith(DOCUMENT_SUFFIXES):
                tree.problems.error(path, 1, "", "", too_big(st.st_size, limit))
                continue
            key, raw, hit, data = _known(rel, p, path, st, memory, snap, cache, code, told)
        except OSError as e:
            tree.problems.error(path, 1, "", "", f"无法读取文件（{e.strerror}）")
            continue
        reading.add(rel, path, raw, (st.st_mtime_ns, st.st_size, key), hit, data)
    reading.complete(cache, remember)
    if remember and one_shot and not ingest_snapshot.unchanged(snap, reading.stats) and all(
            d is not None or snap.has(k) or k in reading.stored
            for k, d in zip(reading.keys, reading.pickled, strict=True)):
        assert cache is not None
        ingest_snapshot.save(cache, root, code, taken_ns, reading.rows(), snap,
                             elsewhere=lambda key: _entry(cache, key) if key in reading.stored else None)
    snap.close()
    if remember:                     # a preview keeps only what the content holds now
        memory.entries = {k: v for k, v in zip(reading.keys, reading.found, strict=True) if v is not None}
        memory.stats = reading.stats
    tree.rows = (taken_ns, reading.stats)
    for (rel, _, _), key, got in zip(reading.work, reading.keys, reading.found, strict=True):
        assert got is not None
        read, validated = got
        add_read(tree, rel, read)
        if validated is not None:
            mark_source(validated[0], key)
            tree.validated[rel] = validated
    return tree


def _files(tree: Tree, memory: Memory, listings: Listings | None) -> tuple[list[tuple[str, str]], set[str] | None]:
    """The files below the root as (rel, path), and the files changed since the last build
    when that is known (every other file is then unchanged): with the watcher's word that only
    files read before changed (still there; not site.yaml, whose size limit applies to every
    file), the last walk's files (and its problems) and that word; else a walk, and None."""
    changed, memory.changed = memory.changed, None
    if changed is not None and memory.walked is not None and changed <= memory.stats.keys() \
            and "site.yaml" not in changed and all(os.path.isfile(tree.root / rel) for rel in changed):
        files, problems = memory.walked
        tree.problems.extend(problems)
        return files, changed
    before = len(tree.problems.items)
    files = content_files(tree, listings)
    if listings is not None:                    # a preview's: kept for the next build
        memory.walked = (files, tree.problems.items[before:])
    return files, None


def _known(rel: str, p: str, path: str, st: os.stat_result, memory: Memory, snap: ingest_snapshot.Snapshot,
           cache: Path | None, code: str, told: bool = False
           ) -> tuple[str, bytes, Ingested | None, bytes | None]:
    """(content key, the file's bytes if read, the result if known, its pickle if at hand). An
    unchanged file (by time and size) is not read, unless the watcher `told` of a change to it
    (two saves within the clock's resolution); a file read is looked up by content key."""
    seen = memory.stats.get(rel)
    if not told and seen is not None and seen[:2] == (st.st_mtime_ns, st.st_size) and seen[2] in memory.entries:
        return seen[2], b"", memory.entries[seen[2]], None
    key = snap.trusted_key(rel, st.st_mtime_ns, st.st_size)
    if key is not None and (hit := _loads(snap.pickled(key))) is not None:
        return key, b"", hit, None
    with open(p, "rb") as f:
        raw = f.read()
    key = content_key(code, rel, path, raw)
    if (hit := memory.entries.get(key)) is not None:
        return key, raw, hit, None
    if (hit := _loads(snap.pickled(key))) is not None:
        return key, raw, hit, None
    stored, hit = _cached(cache, key)
    return key, raw, hit, stored


def converted_texts(cache: Path | None, root: Path, code: str, texts: Mapping[str, str]) -> dict[str, Prepared]:
    """The Markdown conversions the last one-shot build's reading kept of the files' texts
    `texts` (by rel), from the snapshot of `root`, by text as portal.markup stores them (the
    very string objects given: no second copy of any text stays): for a build whose model did
    not read the files (portal.model_snapshot) and renders many pages. A file whose kept text
    differs, or that the snapshot lacks, is left out: it is converted when a page asks for it."""
    snap = ingest_snapshot.load(cache, root, code)
    out: dict[str, Prepared] = {}
    try:
        for rel, text in texts.items():
            row = snap.rows.get(rel)
            found = _loads(snap.pickled(row[2])) if row is not None else None
            doc = found[0].doc if found is not None else None
            if doc is not None and doc.prepared is not None and doc.body == text:
                out[text] = doc.prepared
    finally:
        snap.close()
    return out


def content_key(code: str, rel: str, path: str, raw: bytes) -> str:
    """What a file's result is remembered by: its bytes, its place (and the path messages show)
    and the builder's code."""
    return hashlib.sha1(b"\0".join((VERSION, code.encode(), rel.encode(), path.encode(), raw))).hexdigest()


def _limit(root: Path, memory: Memory) -> int:
    """document_limit, read again only when site.yaml changed since the preview's last build."""
    try:
        st = os.stat(root / "site.yaml")
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        return document_limit(root)
    if memory.limit is None or memory.limit[:2] != stamp:
        memory.limit = (*stamp, document_limit(root))
    return memory.limit[2]


def document_limit(root: Path) -> int:
    """The largest Markdown/YAML file read, in bytes: site.yaml's max_document_kb (within the
    schema's bounds; its default when site.yaml does not say or cannot be read). Known before any
    file is read, so a 50 MB file never reaches the YAML or Markdown parser."""
    field = next(f for f in schema.SITE.fields if f.key == "max_document_kb")
    kb: int = field.default
    try:
        site = root / "site.yaml"
        if site.stat().st_size <= kb * 1024:
            found = yaml.safe_load(site.read_bytes())
            wanted = found.get(field.key) if isinstance(found, dict) else None
            # a value outside the schema's bounds is the schema's error; meanwhile the default holds
            if type(wanted) is int and (field.min or 0) <= wanted <= (field.max or wanted):
                kb = wanted
    except (OSError, ValueError, yaml.YAMLError):
        pass
    return kb * 1024


def too_big(size: int, limit: int) -> str:
    shown = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
    return (f"文件太大（{shown}），超过了 site.yaml 中 max_document_kb（内容文件大小上限）规定的 {limit // 1024} KB，"
            "没有读取：请把长文拆成几篇，或把大表格、扫描件作为附件放到 files/ 目录后在正文中链接")


def _read_and_pickle(entry: tuple[str, str, bytes]) -> bytes:
    return pickle.dumps(_read_and_validate(entry), protocol=pickle.HIGHEST_PROTOCOL)


def _read_and_validate(entry: tuple[str, str, bytes]) -> Ingested:
    read = read_bytes(*entry)
    doc = read.doc
    if doc is None or doc.type in schema.CONFIG_TYPES or doc.type is schema.SURVEY:
        return read, None
    validated = validate_doc(doc)
    # The whole text was only needed for the personal-number scan, done above, and the parsed
    # mapping for validation, done here: neither is sent back, cached or kept (the Item holds
    # the values; at 10,000 items this is a quarter of the memory and of the cache's bytes).
    return replace(read, doc=replace(doc, text="", data=LineDict())), validated


def _entry(cache: Path, key: str) -> str:
    return os.path.join(cache, "ingest", key[:2], key)


def _loads(data: bytes | None) -> Ingested | None:
    if data is None:
        return None
    try:
        found: Ingested = pickle.loads(data)
        return found
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
        return None


def _cached(cache: Path | None, key: str) -> tuple[bytes | None, Ingested | None]:
    """A result from the per-file cache, with its pickled bytes."""
    if cache is None:
        return None, None
    try:
        with open(_entry(cache, key), "rb") as f:
            data = f.read()
    except OSError:
        return None, None
    found = _loads(data)
    return (data, found) if found is not None else (None, None)


def _store(cache: Path, key: str, data: bytes) -> bool:
    """Whether the result is now in the per-file cache (one that cannot be written only costs time)."""
    target = Path(_entry(cache, key))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError:
        return False
    return True
