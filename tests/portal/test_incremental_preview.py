"""The preview (`serve`) builds into the served folder with a session: after every save the
folder holds exactly what a clean build writes."""
from __future__ import annotations

from clerk_edits import TODAY, Content, snapshot
from sampletools import copy_sample

from portal import pipeline

PREVIEW_SCRIPT = [("body", 0, ["冬季供暖"]), ("attachment", 1), ("add", ["报修电话"], "2026-11-20"),
                  ("title", 2), ("add", ["低保"], "2024-03-01"), ("rename", 0), ("delete", 0), ("config", 7),
                  ("attachment", 2), ("body", 4, ["窗口"])]


def test_a_preview_writes_what_a_clean_build_writes_after_each_save(tmp_path):
    """The preview (`serve`) keeps the files read, the folders listed and the bytes of what
    it wrote between builds, and writes only what changed: after every save, including a
    new file in a folder listed before, a rename, a deletion and a replaced attachment, the
    served folder holds exactly what a clean build writes."""
    content = Content(copy_sample(tmp_path / "content"))
    out, session = tmp_path / "site", pipeline.Session()
    content.age()
    assert pipeline.build(content.root, out, TODAY, preview=True, cache=tmp_path / "cache", session=session).ok
    for n, op in enumerate(PREVIEW_SCRIPT):
        content.apply(op)
        if n % 2:                     # half the saves after a pause: listings trusted where unchanged
            content.age()
        assert pipeline.build(content.root, out, TODAY, preview=True, cache=tmp_path / "cache", session=session).ok
        clean = tmp_path / f"clean-{n}"
        assert pipeline.build(content.root, clean, TODAY, preview=True).ok
        assert snapshot(out) == snapshot(clean), op
