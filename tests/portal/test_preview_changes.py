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
