"""What one build of a content folder read, kept in one file under .cache/ for the next build
(portal.ingest): each file's (modification time, size, content key) and its read-and-validated
result, pickled. The next one-shot build takes an unchanged file's result from here without
reading the file, hashing it or opening its entry in the per-file cache: at 10,000 items that
is 20,000 files not opened.

A file is trusted unchanged only when its time and size are those recorded and it had not
changed within RACY_NS before they were recorded (a second save within the clock's resolution
would not show). A file read again whose content key is still the one recorded reuses its
result too. The file is written whole and swapped in (tmp + rename), so two builds at once
leave one complete snapshot or the other; any unreadable or foreign snapshot is ignored.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .paths import RACY_NS

VERSION = 1


@dataclass
class Snapshot:
    """A loaded snapshot: rows by file, and the pickled results they point into."""
    taken_ns: int = 0
    rows: dict[str, tuple[int, int, str, int, int]] = field(default_factory=dict)  # rel → time, size, key, at, length
    data: bytes = b""
    by_key: dict[str, tuple[int, int]] = field(default_factory=dict)

    def trusted_key(self, rel: str, mtime_ns: int, size: int) -> str | None:
        """The content key of `rel` when its time and size show it unchanged, else None."""
        row = self.rows.get(rel)
        if row is None or row[0] != mtime_ns or row[1] != size or self.taken_ns - mtime_ns <= RACY_NS:
            return None
        return row[2]

    def pickled(self, key: str) -> memoryview | None:
        """The pickled result for a content key, if this snapshot holds it."""
        if not self.by_key:
            self.by_key = {r[2]: (r[3], r[4]) for r in self.rows.values()}
        found = self.by_key.get(key)
        return memoryview(self.data)[found[0]:found[0] + found[1]] if found else None


def snapshot_file(cache: Path, root: Path) -> Path:
    return cache / f"read-{hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]}.pickle"


def load(cache: Path | None, root: Path, code: str) -> Snapshot:
    """The snapshot of `root` made by the same code, or an empty one."""
    if cache is None:
        return Snapshot()
    try:
        with open(snapshot_file(cache, root), "rb") as f:
            whole = f.read()
        stream = io.BytesIO(whole)
        version, its_code, taken_ns, rows = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return Snapshot()
    if version != VERSION or its_code != code or not isinstance(rows, dict):
        return Snapshot()
    return Snapshot(taken_ns, rows, whole[stream.tell():])


def unchanged(before: Snapshot, rows: dict[str, tuple[int, int, str]]) -> bool:
    """Whether `rows` (rel → time, size, key) are those `before` recorded."""
    return len(rows) == len(before.rows) and all(
        (r := before.rows.get(rel)) is not None and r[:3] == row for rel, row in rows.items())


def save(cache: Path | None, root: Path, code: str, taken_ns: int,
         rows: Iterable[tuple[str, tuple[int, int, str], bytes | memoryview]]) -> None:
    """Write the snapshot of `root`: (rel, (time, size, key), pickled result) per file."""
    if cache is None:
        return
    index: dict[str, tuple[int, int, str, int, int]] = {}
    parts: list[bytes | memoryview] = []
    at = 0
    for rel, (mtime_ns, size, key), data in rows:
        index[rel] = (mtime_ns, size, key, at, len(data))
        parts.append(data)
        at += len(data)
    target = snapshot_file(cache, root)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            pickle.dump((VERSION, code, taken_ns, index), f, protocol=pickle.HIGHEST_PROTOCOL)
            f.writelines(parts)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)            # a snapshot that cannot be written only costs time


def now_ns() -> int:
    return time.time_ns()
