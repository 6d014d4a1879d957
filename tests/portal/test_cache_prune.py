"""The builder's cache does not grow without end (portal.cache_prune): per-file results and
compiled templates untouched for a month go, at most once a day, in a process of its own,
and a build after that reads again only what it needs."""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from sampletools import copy_sample

from portal import build_state, cache_prune, ingest_snapshot, model_snapshot, pipeline
from portal.cache_prune import DAY, KEEP_DAYS, STAMP

TODAY = dt.date(2026, 11, 24)


def _age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def _cache_with_old_and_new(cache: Path) -> tuple[list[Path], list[Path]]:
    old = [cache / "ingest/ab/ab01", cache / "ingest/cd/cd02", cache / "state-0123.pickle",
           cache / "read-0123.delta.pickle", cache / "model-0123.pickle", cache / "templates/0123abcd/x.cache"]
    new = [cache / "ingest/ab/ab03", cache / "state-4567.pickle", cache / "model-4567.pickle",
           cache / "templates/4567cdef/y.cache"]
    for p in old + new:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    for p in old:
        _age(p, KEEP_DAYS + 1)
    _age(old[-1].parent, KEEP_DAYS + 1)
    return old, new


def test_entries_untouched_for_a_month_are_deleted_and_newer_ones_kept(tmp_path):
    cache = tmp_path / "cache"
    old, new = _cache_with_old_and_new(cache)
    (cache / "t2s-s2tw-1.txt").write_text("後后", encoding="utf-8")
    _age(cache / "t2s-s2tw-1.txt", KEEP_DAYS + 1)
    assert cache_prune.prune(cache, time.time() - KEEP_DAYS * DAY) == len(old)
    assert not any(p.exists() for p in old) and all(p.exists() for p in new)
    assert (cache / "t2s-s2tw-1.txt").exists()           # tiny, and read by every build
    assert not (cache / "templates/0123abcd").exists()


def test_a_build_looks_the_cache_over_in_the_background_at_most_once_a_day(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_sample(tmp_path / "content")
    cache = build_state.CACHE
    assert pipeline.build(Path("content"), Path("site"), TODAY, cache=cache).ok
    stamp = cache / STAMP
    assert stamp.exists()                            # a new cache: stamped, nothing to look at yet
    old, new = _cache_with_old_and_new(cache)
    assert pipeline.build(Path("content"), Path("site"), TODAY, cache=cache).ok
    assert all(p.exists() for p in old)              # looked over less than a day ago
    _age(stamp, 1.5)
    assert pipeline.build(Path("content"), Path("site"), TODAY, cache=cache).ok
    deadline = time.monotonic() + 20
    while any(p.exists() for p in old) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(p.exists() for p in old) and all(p.exists() for p in new)
    assert time.time() - stamp.stat().st_mtime < 60
    assert ingest_snapshot.snapshot_file(cache, Path("content")).exists()     # this site's own stayed


def test_an_unchanged_sites_snapshot_is_marked_as_used_by_every_build_so_it_is_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_sample(tmp_path / "content")
    cache = build_state.CACHE
    assert pipeline.build(Path("content"), Path("site"), TODAY, cache=cache).ok
    snapshot = ingest_snapshot.snapshot_file(cache, Path("content"))
    _age(snapshot, KEEP_DAYS + 1)
    assert pipeline.check(Path("content"), TODAY, cache=cache, remember=False).ok
    assert time.time() - snapshot.stat().st_mtime > KEEP_DAYS * DAY      # a check changes nothing
    assert pipeline.build(Path("content"), Path("site"), TODAY, cache=cache).ok      # nothing changed: not rewritten
    assert time.time() - snapshot.stat().st_mtime < 60
    model = model_snapshot.snapshot_file(cache, Path("content"))
    _age(model, KEEP_DAYS + 1)
    _age(snapshot, KEEP_DAYS + 1)
    with open("content/tzgg/2026/2026-chunjie-zhiban.md", "a", encoding="utf-8") as f:
        f.write("\n补充。\n")                       # a text edit: the model's snapshot is used, not written
    assert pipeline.build(Path("content"), Path("site"), TODAY, cache=cache).ok
    assert time.time() - model.stat().st_mtime < 60 and time.time() - snapshot.stat().st_mtime < 60
    cache_prune.prune(cache, time.time() - KEEP_DAYS * DAY)
    assert snapshot.exists() and model.exists()
