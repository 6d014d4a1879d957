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
from pathlib import Path

from . import schema
from .items import Item
from .load import Read, Tree, add_read, content_files, display_path, read_bytes
from .parallel import pmap
from .problems import Problem
from .validate import validate_doc

VERSION = b"ingest-1"


def ingest(root: Path, cache: Path | None = None, code: str = "", remember: bool = True) -> Tree:
    """The content tree at `root`, item documents validated (tree.validated). Files read
    before are taken from `cache`; new ones are added to it unless `remember` is False
    (`build.py check` writes nothing)."""
    tree = Tree(root)
    files = content_files(tree)
    work: list[tuple[str, str, bytes]] = []
    keys: list[str] = []
    for rel, p in files:
        try:
            raw = p.read_bytes()
        except OSError as e:
            tree.problems.error(display_path(p), 1, "", "", f"无法读取文件（{e.strerror}）")
            continue
        path = display_path(p)
        work.append((rel, path, raw))
        keys.append(hashlib.sha1(b"\0".join((VERSION, code.encode(), rel.encode(), path.encode(), raw)))
                    .hexdigest())
    found: list[Ingested | None] = [_cached(cache, k) for k in keys]
    todo = [i for i, hit in enumerate(found) if hit is None]
    for i, fresh in zip(todo, pmap(_read_and_validate, [work[i] for i in todo]), strict=True):
        found[i] = fresh
        if remember:
            _store(cache, keys[i], fresh)
    for (rel, _, _), got in zip(work, found, strict=True):
        assert got is not None
        read, validated = got
        add_read(tree, rel, read)
        if validated is not None:
            tree.validated[rel] = validated
    return tree


def _read_and_validate(entry: tuple[str, str, bytes]) -> Ingested:
    read = read_bytes(*entry)
    doc = read.doc
    if doc is None or doc.type in schema.CONFIG_TYPES or doc.type is schema.SURVEY:
        return read, None
    return read, validate_doc(doc)


def _entry(cache: Path, key: str) -> Path:
    return cache / "ingest" / key[:2] / key


Ingested = tuple[Read, "tuple[Item, list[Problem]] | None"]


def _cached(cache: Path | None, key: str) -> Ingested | None:
    if cache is None:
        return None
    try:
        with _entry(cache, key).open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None


def _store(cache: Path | None, key: str, value) -> None:
    if cache is None:
        return
    target = _entry(cache, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(target)
    except OSError:
        pass                            # a cache that cannot be written only costs time
