"""The builder's cache (.cache/build) kept from growing without end: per-file results
(ingest/), compiled templates (templates/<code digest>/), and the build states, read snapshots
and model snapshots of folders (state-*.pickle, read-*.pickle, model-*.pickle) not written or
used for KEEP_DAYS days are deleted, at most once a day, by a process of its own after a build.

Every version of the builder stores every file's result again (an entry's key includes the
code), so a district site of 10,000 items would add about 100 MB at each upgrade. An entry
deleted here costs only a file read again: results are keyed by content, and the snapshot
(portal.ingest_snapshot) holds copies of what the next build needs.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

KEEP_DAYS = 30
DAY = 24 * 3600
STAMP = ".pruned"               # its modification time: when the cache was last looked over


def prune_later(cache: Path | None) -> None:
    """Look the cache over in the background when the last look was a day ago or more. A
    cache seen for the first time is only stamped: nothing in it can be old yet."""
    if cache is None:
        return
    stamp = cache / STAMP
    try:
        last = stamp.stat().st_mtime
    except FileNotFoundError:
        last = None
    except OSError:
        return
    try:
        stamp.touch()
    except OSError:
        return                  # a cache that cannot be written is not ours to prune
    if last is None or time.time() - last < DAY:
        return
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from portal.cache_prune import prune; "
            "prune(sys.argv[2], float(sys.argv[3]))")
    try:
        subprocess.Popen([sys.executable, "-c", code, str(Path(__file__).resolve().parents[1]), str(cache),
                          str(time.time() - KEEP_DAYS * DAY)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:
        pass


def prune(cache: str | Path, cutoff: float) -> int:
    """Delete per-file results, compiled-template folders, and states and snapshots last
    written (or, for those two, used) before `cutoff` (seconds since the epoch); returns how
    many went. Whatever cannot be deleted stays."""
    states = [e for e in _entries(Path(cache))
              if e.name.startswith(("state-", "read-", "model-")) and e.name.endswith(".pickle")]
    results = [e for folder in _folders(Path(cache) / "ingest") for e in _entries(folder)]
    gone = sum(_unlink_if_older(e, cutoff) for e in states + results)
    for folder in _folders(Path(cache) / "templates"):
        newest = max((_mtime(e) for e in _entries(folder)), default=_mtime(folder))
        if newest < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            gone += 1
    return gone


def _folders(root: Path) -> list[os.DirEntry]:
    return [e for e in _entries(root) if e.is_dir(follow_symlinks=False)]


def _entries(folder: Path | os.DirEntry) -> list[os.DirEntry]:
    try:
        with os.scandir(os.fspath(folder)) as it:
            return list(it)
    except OSError:
        return []


def _mtime(entry: os.DirEntry) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return float("inf")


def _unlink_if_older(entry: os.DirEntry, cutoff: float) -> bool:
    """Whether the file was last written before `cutoff` and is now deleted."""
    if not entry.is_file(follow_symlinks=False) or _mtime(entry) >= cutoff:
        return False
    try:
        os.unlink(entry.path)
    except OSError:
        return False
    return True
