"""The preview (`serve`) builds into the served folder with a session: after every save the
folder holds exactly what a clean build writes."""
from __future__ import annotations

import os
import shutil
import time

import pytest
from clerk_edits import BODIES, TODAY, Content, clean_build, snapshot
from sampletools import ROOT, copy_sample

from portal import pipeline

pytestmark = pytest.mark.slow(seconds=60)    # started first, longest first (tests/conftest.py)

PREVIEW_SCRIPT = [("body", 0, ["冬季供暖"]), ("attachment", 1), ("add", ["报修电话"], "2026-11-20"),
                  ("title", 2), ("add", ["低保"], "2024-03-01"), ("rename", 0), ("delete", 0), ("config", 7),
                  ("attachment", 2), ("body", 4, ["窗口"])]


def test_a_preview_writes_what_a_clean_build_writes_after_each_save(scratch):
    """The preview (`serve`) keeps the files read, the folders listed and the bytes of what
    it wrote between builds, and writes only what changed: after every save, including a
    new file in a folder listed before, a rename, a deletion and a replaced attachment, the
    served folder holds exactly what a clean build writes."""
    content = Content(copy_sample(scratch / "content"))
    out, session = scratch / "site", pipeline.Session()
    content.age()
    assert pipeline.build(content.root, out, TODAY, preview=True, cache=scratch / "cache", session=session).ok
    for n, op in enumerate(PREVIEW_SCRIPT):
        content.apply(op)
        if n % 2:                     # half the saves after a pause: listings trusted where unchanged
            content.age()
        assert pipeline.build(content.root, out, TODAY, preview=True, cache=scratch / "cache", session=session).ok
        clean = scratch / f"clean-{n}"
        assert clean_build(content.root, clean, TODAY, scratch / "clean-cache", preview=True).ok
        assert snapshot(out) == snapshot(clean), op


def test_a_preview_shows_an_edited_navigation_or_footer_on_every_page(scratch, monkeypatch):
    """The navigation and footer are rendered once per build (portal.render.Fragments); a
    preview keeps its templates between builds, and shows an edit to either at once."""
    content = copy_sample(scratch / "content")
    templates = scratch / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out, session = scratch / "site", pipeline.Session()

    def preview() -> bool:
        with monkeypatch.context() as m:
            m.setenv("PORTAL_JOBS", "1")    # as under `serve`, whose watcher thread keeps pages in this process
            return pipeline.build(content, out, TODAY, templates=templates, preview=True, session=session).ok

    assert preview()
    for name, old, new in [("_nav.html", "<summary>栏目", "<summary>全部栏目"),
                           ("_footer.html", "<dt>主办单位</dt>", "<dt>主办机关</dt>")]:
        path = templates / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        os.utime(path, ns=(time.time_ns() + 10**9,) * 2)     # a save the template loader sees as newer
        assert preview()
        for page in ("index.html", "tzgg/index.html", "sq/index.html"):
            text = (out / page).read_text(encoding="utf-8")
            assert new in text and old not in text, (name, page)
        assert pipeline.build(content, scratch / f"clean-{name}", TODAY, templates=templates, preview=True).ok
        assert snapshot(out) == snapshot(scratch / f"clean-{name}")


TOLD_SCRIPT = [("body", 0, ["冬季供暖"]), ("attachment", 1), ("add", ["报修电话"], "2026-11-20"), ("rename", 0),
               ("config", 7), ("title", 2)]


def test_a_preview_told_which_files_changed_writes_what_a_clean_build_writes(scratch):
    """With the file watcher's word on which files changed (portal.preview.Changes), the
    preview looks only at those: after every save, including a new file, a rename, a
    deletion and site.yaml (which send it back to looking at every file), the served folder
    holds exactly what a clean build writes."""
    content = Content(copy_sample(scratch / "content"))
    out, session = scratch / "site", pipeline.Session()
    assert pipeline.build(content.root, out, TODAY, preview=True, cache=scratch / "cache", session=session).ok
    for n, op in enumerate(TOLD_SCRIPT):
        session.reads.changed = content.apply(op)
        assert pipeline.build(content.root, out, TODAY, preview=True, cache=scratch / "cache", session=session).ok
        clean = scratch / f"clean-{n}"
        assert clean_build(content.root, clean, TODAY, scratch / "clean-cache", preview=True).ok
        assert snapshot(out) == snapshot(clean), op


def test_a_file_the_watcher_reports_is_read_again_even_with_the_same_time_and_size(scratch):
    """Two saves within the clock's resolution leave the same time and size: the watcher's
    word that the file changed is enough to read it again."""
    content = Content(copy_sample(scratch / "content"))
    out, session = scratch / "site", pipeline.Session()
    notice = content.root / BODIES[0]
    assert pipeline.build(content.root, out, TODAY, preview=True, cache=scratch / "cache", session=session).ok
    before = notice.stat()
    notice.write_text(notice.read_text(encoding="utf-8").replace("值班", "轮班", 1), encoding="utf-8")
    os.utime(notice, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert notice.stat().st_size == before.st_size
    session.reads.changed = {BODIES[0]}
    assert pipeline.build(content.root, out, TODAY, preview=True, cache=scratch / "cache", session=session).ok
    assert "轮班" in (out / "tzgg/2026/2026-chunjie-zhiban/index.html").read_text(encoding="utf-8")
