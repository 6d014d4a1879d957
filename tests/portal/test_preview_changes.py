"""What the preview's file watcher tells the next build (portal.preview.Changes): the files
below content/ saved since the last build, or "look at everything" after a folder changed."""
from __future__ import annotations

import threading
import time

from portal import preview


def _watching(content):
    changes, events = preview.Changes(), threading.Event()
    observer = preview._observer([content], events, changes.note_for(content))
    changes.take()                                   # unknown before the first build: every file
    return changes, events, observer


def _settled(events: threading.Event) -> None:
    assert events.wait(5)
    time.sleep(0.3)                                  # the rest of the save's events


def test_the_watcher_names_the_files_saved_and_a_new_folder_means_every_file(tmp_path):
    content = tmp_path / "content"
    (content / "tzgg" / "2026").mkdir(parents=True)
    notice = content / "tzgg" / "2026" / "a.md"
    notice.write_text("---\ntitle: 甲\n---\n", encoding="utf-8")
    changes, events, observer = _watching(content)
    try:
        notice.write_text("---\ntitle: 乙\n---\n", encoding="utf-8")
        (content / ".a.md.swp").write_text("x", encoding="utf-8")           # an editor's hidden file
        _settled(events)
        assert changes.take() == {"tzgg/2026/a.md"}
        events.clear()
        (content / "tzgg" / "2027").mkdir()
        _settled(events)
        assert changes.take() is None
        assert changes.take() == set()
    finally:
        observer.stop()


def test_a_file_saved_the_moment_watching_starts_is_built(tmp_path):
    """`serve` answers as soon as watch_in_background returns; a clerk (or a test) who saves
    at once must see the edit built, not lost because the watcher thread had not yet begun
    watching (CI saw exactly this under load)."""
    import datetime as dt
    import shutil
    from pathlib import Path

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "mini", content)
    pv = preview.Preview(content, tmp_path / "site", dt.date(2026, 11, 24), cache=tmp_path / "cache",
                         say=lambda _: None)
    assert pv.rebuild()
    notice = next((content / "tzgg").rglob("*.md"))
    stop = pv.watch_in_background()
    try:
        notice.write_text(notice.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
        assert pv.wait(version=1, errors=0, timeout=20)["version"] >= 2
    finally:
        stop.set()


def test_a_preview_that_cannot_watch_says_so_in_chinese_and_still_serves(tmp_path, monkeypatch):
    """Linux caps the folders one user may watch (fs.inotify.max_user_watches): past it,
    watchdog raises. The preview says what that means for the clerk instead of a traceback."""
    import datetime as dt
    import errno
    import shutil
    from pathlib import Path

    def refuse(*args, **kwargs):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")
    monkeypatch.setattr(preview, "_observer", refuse)
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "mini", content)
    said: list[str] = []
    pv = preview.Preview(content, tmp_path / "site", dt.date(2026, 11, 24), cache=tmp_path / "cache", say=said.append)
    stop = pv.watch_in_background()
    assert pv.rebuild() and not stop.is_set()
    assert "无法监视内容文件夹的变化（inotify watch limit reached）" in said[0] and "重新运行" in said[0]
