"""What one-shot builds of a content folder read, kept under .cache/ for the next build
(portal.ingest): each file's (modification time, size, content key) and its read-and-validated
result, pickled. The next one-shot build takes an unchanged file's result from here without
reading the file, hashing it or opening its entry in the per-file cache: at 10,000 items that
is 20,000 files not opened.

Two files per content folder: a base holding every result, and a small delta holding the
files' current rows and the results the base lacks (the files edited since). A build that
changed a few files writes only the delta; the base is written again when the delta would
grow past a quarter of it, or half the base is results no file has any more. Results are read
one by one where they lie, never the whole file into memory.

A file is trusted unchanged only when its time and size are those recorded and it had not
changed within RACY_NS before they were recorded (a second save within the clock's resolution
would not show). A file read again whose content key is still the one recorded reuses its
result too. Each file is written whole and swapped in (tmp + rename); a delta names the base it
completes, so two builds at once leave snapshots that are ignored, never wrong.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .paths import RACY_NS

VERSION = 2
Row = tuple[int, int, str]                  # modification time (ns), size, content key


@dataclass
class _Part:
    """One snapshot file, open: where each result lies in it."""
    file: BinaryIO
    token: str
    start: int
    offsets: dict[str, tuple[int, int]]


@dataclass
class Snapshot:
    """A loaded snapshot: the rows of the files, and the parts (delta, base) holding results."""
    taken_ns: int = 0
    rows: dict[str, Row] = field(default_factory=dict)
    parts: list[_Part] = field(default_factory=list)

    def trusted_key(self, rel: str, mtime_ns: int, size: int) -> str | None:
        """The content key of `rel` when its time and size show it unchanged, else None."""
        row = self.rows.get(rel)
        if row is None or row[0] != mtime_ns or row[1] != size or self.taken_ns - mtime_ns <= RACY_NS:
            return None
        return row[2]

    def has(self, key: str) -> bool:
        return any(key in part.offsets for part in self.parts)

    def pickled(self, key: str) -> bytes | None:
        """The pickled result for a content key, if this snapshot holds it."""
        for part in self.parts:
            found = part.offsets.get(key)
            if found is not None:
                try:
                    part.file.seek(part.start + found[0])
                    data = part.file.read(found[1])
                except (OSError, ValueError):
                    return None
                return data if len(data) == found[1] else None
        return None

    def base(self) -> _Part | None:
        return self.parts[-1] if self.parts else None

    def close(self) -> None:
        for part in self.parts:
            part.file.close()
        self.parts = []


def _paths(cache: Path, root: Path) -> tuple[Path, Path]:
    name = f"read-{hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]}"
    return cache / f"{name}.pickle", cache / f"{name}.delta.pickle"


def snapshot_file(cache: Path, root: Path) -> Path:
    """The base file of `root`'s snapshot."""
    return _paths(cache, root)[0]


def _open(path: Path, code: str) -> tuple[str, int, dict[str, Row], _Part] | None:
    """(the base it completes, time taken, rows, the open part), or None."""
    try:
        f = open(path, "rb")
    except OSError:
        return None
    try:
        version, its_code, token, base_token, taken_ns, rows, offsets = pickle.load(f)
        if version == VERSION and its_code == code and isinstance(rows, dict) and isinstance(offsets, dict):
            return base_token, taken_ns, rows, _Part(f, token, f.tell(), offsets)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        pass
    f.close()
    return None


def load(cache: Path | None, root: Path, code: str, touch: bool = False) -> Snapshot:
    """The snapshot of `root` made by the same code (empty when there is none). With `touch`
    (a build), its files are marked as in use: an unchanged site's snapshot is never written
    again, and portal.cache_prune deletes what has not been written for a month."""
    if cache is None:
        return Snapshot()
    base_path, delta_path = _paths(cache, root)
    base = _open(base_path, code)
    if base is None:
        return Snapshot()
    if touch:
        touch_files(base_path, delta_path)
    delta = _open(delta_path, code)
    if delta is not None and delta[0] == base[3].token:
        return Snapshot(delta[1], delta[2], [delta[3], base[3]])
    if delta is not None:
        delta[3].file.close()                 # it completes another base
    return Snapshot(base[1], base[2], [base[3]])


def mark_used(cache: Path, root: Path) -> None:
    """Mark `root`'s snapshot as in use without reading it (a build that took its model from
    portal.model_snapshot): portal.cache_prune keeps it."""
    touch_files(*_paths(cache, root))


def touch_files(*paths: Path) -> None:
    """Mark cache files as in use (portal.cache_prune keeps them); one that cannot be touched is left."""
    for path in paths:
        try:
            os.utime(path)
        except OSError:
            pass


def unchanged(before: Snapshot, rows: dict[str, Row]) -> bool:
    """Whether `rows` (rel → time, size, key) are those `before` recorded."""
    return len(rows) == len(before.rows) and all(
        (r := before.rows.get(rel)) is not None and r[:3] == row for rel, row in rows.items())


def save(cache: Path | None, root: Path, code: str, taken_ns: int,
         rows: Iterable[tuple[str, Row, bytes | None]], before: Snapshot,
         elsewhere: Callable[[str], str | None] = lambda key: None) -> None:
    """Write the snapshot of `root`: (rel, row, pickled result or None where `before` holds
    it, or the file `elsewhere(key)` names) per file. Closes `before`."""
    if cache is None:
        before.close()
        return
    base_path, delta_path = _paths(cache, root)
    listed = list(rows)
    table = {rel: row for rel, row, _ in listed}
    results: dict[str, bytes | None] = {}
    for _, row, data in listed:
        if row[2] not in results or data is not None:
            results[row[2]] = data
    base = before.base()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if base is not None and _delta_will_do(base, results, elsewhere):
            lacking = {k: v for k, v in results.items() if k not in base.offsets}
            tmp = _write(delta_path, code, base.token, taken_ns, table, lacking, before, elsewhere)
            before.close()
            os.replace(tmp, delta_path)
        else:
            tmp = _write(base_path, code, "", taken_ns, table, results, before, elsewhere)
            before.close()
            os.replace(tmp, base_path)
            delta_path.unlink(missing_ok=True)
    except OSError:
        before.close()                         # a snapshot that cannot be written only costs time
        for path in (base_path, delta_path):
            path.with_name(f"{path.name}.{os.getpid()}.tmp").unlink(missing_ok=True)


def _delta_will_do(base: _Part, results: dict[str, bytes | None], elsewhere: Callable[[str], str | None]) -> bool:
    """Whether a delta suffices: what the base lacks is under a quarter of it, and at least
    half of it is still in use."""
    size = sum(n for _, n in base.offsets.values()) or 1
    lacking = sum(_size(k, v, elsewhere) for k, v in results.items() if k not in base.offsets)
    used = sum(base.offsets[k][1] for k in results if k in base.offsets)
    return lacking <= size // 4 and used >= size // 2


def _size(key: str, data: bytes | None, elsewhere: Callable[[str], str | None]) -> int:
    """The size of a result not in the base: given, or in the file `elsewhere` names."""
    if data is not None:
        return len(data)
    path = elsewhere(key)
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def _write(target: Path, code: str, base_token: str, taken_ns: int, rows: dict[str, Row],
           results: dict[str, bytes | None], before: Snapshot,
           elsewhere: Callable[[str], str | None] = lambda key: None) -> Path:
    """A snapshot file beside `target` (returned, not yet in place): a result given as None is
    copied from `before`, or from the file `elsewhere(key)` names; one neither can give leaves
    the whole write undone."""
    sizes: dict[str, int] = {}
    for key, data in results.items():
        if data is not None:
            sizes[key] = len(data)
        elif (found := next((p.offsets[key] for p in before.parts if key in p.offsets), None)) is not None:
            sizes[key] = found[1]
        elif (path := elsewhere(key)) is not None:
            sizes[key] = os.path.getsize(path)          # OSError: undone
        else:
            raise OSError(f"no result for {key}")
    offsets, at = {}, 0
    for key, n in sizes.items():
        offsets[key] = (at, n)
        at += n
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump((VERSION, code, secrets.token_hex(8), base_token, taken_ns, rows, offsets), f,
                    protocol=pickle.HIGHEST_PROTOCOL)
        for key, data in results.items():
            if data is None:
                data = before.pickled(key) if before.has(key) else _read(elsewhere(key))
                if data is None or len(data) != sizes[key]:
                    raise OSError(f"no result for {key}")
            f.write(data)
    return tmp


def _read(path: str | None) -> bytes | None:
    if path is None:
        return None
    with open(path, "rb") as f:                      # OSError: undone
        return f.read()
