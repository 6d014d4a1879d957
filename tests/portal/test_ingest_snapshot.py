"""A one-shot build keeps what it read in one snapshot file under .cache/ (portal.ingest_snapshot)
and the next build takes unchanged files from it: edits still show, a save within the clock's
resolution is never missed, and a damaged or foreign snapshot only costs time."""
from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest
from sampletools import copy_sample, files_read, share_warm_cache

from portal import build_state, ingest_snapshot, pipeline

pytestmark = pytest.mark.slow(seconds=20)    # started first, longest first (tests/conftest.py)

TODAY = dt.date(2026, 11, 24)
NOTICE = "tzgg/2026/2026-chunjie-zhiban.md"
PAGE = "tzgg/2026/2026-chunjie-zhiban/index.html"


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """The sample at ./content of a scratch folder, the files already read from it shared."""
    monkeypatch.chdir(tmp_path)
    share_warm_cache(tmp_path)
    copy_sample(tmp_path / "content")
    return Path("content")


CACHE = build_state.CACHE


def _page(out) -> str:
    return (out / PAGE).read_text(encoding="utf-8")


def _extend(content: Path, day: int) -> str:
    """A clerk's edit of the notice's 有效期 (a field the model reads: a new text, title or
    summary alone would not need this snapshot: portal.model_snapshot); what its page shows."""
    notice = content / NOTICE
    text = notice.read_text(encoding="utf-8")
    notice.write_text(re.sub(r"^valid_until: .*$", f"valid_until: '2026-03-{day:02d}'", text, count=1, flags=re.M),
                      encoding="utf-8")
    return f"2026年3月{day}日"


def test_a_build_writes_one_snapshot_and_the_next_build_shows_an_edit(content):
    out, cache = Path("site"), CACHE
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    snapshot = ingest_snapshot.snapshot_file(cache, content)
    assert snapshot.is_file()
    shown = _extend(content, 3)                 # a field: the model is built again (portal.model_snapshot)
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    assert shown in _page(out)
    loaded = ingest_snapshot.load(cache, content, _code())
    assert loaded.rows[NOTICE][1] == (content / NOTICE).stat().st_size       # the snapshot follows the edit
    loaded.close()


def test_an_edit_leaves_the_base_as_it_is_and_writes_a_small_delta(content):
    """A clerk's save changes one file: the next build writes that file's result and the
    rows, not every result again."""
    out, cache = Path("site"), CACHE
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    base = ingest_snapshot.snapshot_file(cache, content)
    before = base.read_bytes()
    for n in range(3):
        shown = _extend(content, n + 1)
        assert pipeline.build(content, out, TODAY, cache=cache).ok
        assert shown in _page(out)
    assert base.read_bytes() == before
    delta = base.with_name(base.name.replace(".pickle", ".delta.pickle"))
    assert delta.stat().st_size < len(before) // 4


def test_a_same_size_save_within_the_clocks_resolution_is_read_again(content):
    """Time and size alone cannot tell two saves apart within one tick of a coarse clock
    (FAT's two seconds, an editor saving twice at once): a file that changed that close to
    the snapshot is read again, and its new words are built."""
    out, cache = Path("site"), CACHE
    notice = content / NOTICE
    stamp = time.time_ns()
    os.utime(notice, ns=(stamp, stamp))
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    text = notice.read_text(encoding="utf-8")
    assert "值班" in text
    notice.write_text(text.replace("值班", "轮班", 1), encoding="utf-8")     # same length in UTF-8
    os.utime(notice, ns=(stamp, stamp))                                        # and the same time
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    assert _page(out).count("轮班") >= 1


def test_a_damaged_snapshot_is_ignored_and_the_build_is_the_same(content, tmp_path):
    cache = CACHE
    assert pipeline.build(content, tmp_path / "clean", TODAY).ok
    assert pipeline.build(content, tmp_path / "first", TODAY, cache=cache).ok
    snapshot = ingest_snapshot.snapshot_file(cache, content)
    data = snapshot.read_bytes()
    snapshot.write_bytes(data[: len(data) // 2])                      # a disk that filled up mid-way
    past = time.time() - 60                                            # every file trusted by time
    for p in content.rglob("*"):
        os.utime(p, (past, past))
    assert pipeline.build(content, tmp_path / "site", TODAY, cache=cache).ok
    snapshot.write_bytes(b"not a snapshot")
    assert pipeline.build(content, tmp_path / "again", TODAY, cache=cache).ok
    for name in ("site", "again"):
        assert _files(tmp_path / name) == _files(tmp_path / "clean")


def test_a_first_builds_snapshot_holds_each_result_it_stored_and_the_next_build_reads_nothing(
        tmp_path, monkeypatch):
    """A first build reads every file and stores each result in the per-file cache as it
    arrives; its snapshot holds exactly those results (it is written from them, so a
    10,000-item first build never holds every result twice), and the next build opens no
    content file."""
    monkeypatch.chdir(tmp_path)
    copy_sample(tmp_path / "content")
    content, out = Path("content"), Path("site")
    read = files_read(monkeypatch)
    assert pipeline.build(content, out, TODAY, cache=CACHE).ok
    assert len(read) > 400
    loaded = ingest_snapshot.load(CACHE, content, _code())
    assert len(loaded.rows) == len(read)
    for _, _, key in loaded.rows.values():
        assert loaded.pickled(key) == (CACHE / "ingest" / key[:2] / key).read_bytes()
    loaded.close()
    read.clear()
    assert pipeline.build(content, out, TODAY, cache=CACHE).ok
    assert read == []


def test_a_check_alone_writes_no_snapshot(content):
    cache = CACHE
    assert pipeline.check(content, TODAY, cache=cache, remember=False).ok
    assert not ingest_snapshot.snapshot_file(cache, content).exists()


def _code() -> str:
    from portal import version
    return version.code_signature()


def _files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
