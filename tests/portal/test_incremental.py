"""An incremental build (caches under .cache/, pages taken over from the last build, search
shards patched) writes exactly what a clean build of the same content writes, after any
sequence of edits, new pages, renames, deletions, configuration changes and a later date."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sampletools import copy_sample

from portal import pipeline

TODAY = dt.date(2026, 11, 24)
BODIES = ["tzgg/2026/2026-chunjie-zhiban.md", "gzdt/2025/2025-huanghe-sanhui.md", "bszn/dibao.md",
          "zcwj/xh-cwgk-2025-5.md", "pages/gywm.md"]
WORDS = ["冬季供暖", "报修电话", "低保", "居民", "社区服务中心", "窗口", "2026", "网格员", "志愿服务"]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def notice(title: str, published: str) -> str:
    return (f"---\ntitle: {title}\npublished: {published} 09:00\ncommunity: huanghe\nkind: 通知\n"
            f"summary: {title}。\n---\n{title}，请居民相互转告。\n")


class Content:
    """The sample copied to a scratch folder, with the edits a clerk makes."""

    def __init__(self, root: Path):
        self.root = root
        self.added: list[str] = []
        self.today = TODAY

    def apply(self, op: tuple) -> None:
        kind = op[0]
        if kind == "body":
            with (self.root / BODIES[op[1]]).open("a", encoding="utf-8") as f:
                f.write(f"\n补充说明：{''.join(op[2])}。\n")
        elif kind == "title":
            p = self.root / BODIES[op[1]]
            text = p.read_text(encoding="utf-8")
            p.write_text(text.replace("\ntitle: ", "\ntitle: （修订）", 1) if "\ntitle: " in text
                         else text.replace("title: ", "title: （修订）", 1), encoding="utf-8")
        elif kind == "add":
            rel = f"tzgg/{op[2][:4]}/2026-ceshi-{len(self.added) + 1}.md"
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_text(notice(f"关于{''.join(op[1])}的通知", op[2]), encoding="utf-8")
            self.added.append(rel)
        elif kind == "rename" and self.added:
            old = self.added.pop(op[1] % len(self.added))
            new = old.replace("2026-ceshi-", "2026-gengming-")
            (self.root / old).rename(self.root / new)
            self.added.append(new)
        elif kind == "delete" and self.added:
            (self.root / self.added.pop(op[1] % len(self.added))).unlink()
        elif kind == "config":
            p = self.root / "site.yaml"
            p.write_text(p.read_text(encoding="utf-8").replace("phone: 0851-0000000", f"phone: 0851-000000{op[1]}"),
                         encoding="utf-8")
        elif kind == "later":
            self.today = TODAY + dt.timedelta(days=op[1])
        elif kind == "attachment":             # a linked file replaced (the preview copies it again)
            with (self.root / "files" / "yishi-guize.txt").open("a", encoding="utf-8") as f:
                f.write(f"\n第{op[1]}条补充。\n")

    def age(self) -> None:
        """Every folder's time a minute back: the preview's folder listings are then trusted
        (portal.paths.walk), as they are after staff have paused between saves."""
        past = time.time() - 60
        for folder in [self.root, *(p for p in self.root.rglob("*") if p.is_dir())]:
            os.utime(folder, (past, past))


ADD = st.tuples(st.just("add"), st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
                st.sampled_from(["2026-11-20", "2024-03-01", "2025-07-15"]))
OPS = st.one_of(
    st.tuples(st.just("body"), st.integers(0, len(BODIES) - 1), st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)),
    st.tuples(st.just("title"), st.integers(0, len(BODIES) - 1)),
    ADD,
    st.tuples(st.just("rename"), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 3)),
    st.tuples(st.just("config"), st.integers(2, 9)),
    st.tuples(st.just("later"), st.integers(1, 3)),
)


def test_a_page_that_looks_another_item_up_is_rendered_again_when_that_item_changes(tmp_path):
    """A notice's 相关内容 shows the related notice's title, looked up by key in the template
    (not part of the page's own data): retitling the related notice alone must reach it."""
    content = Content(copy_sample(tmp_path / "content"))
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    related = content.root / "tzgg" / "2026" / "2026-zhengji-yijian.md"
    related.write_text(related.read_text(encoding="utf-8").replace("title: ", "title: 改题", 1), encoding="utf-8")
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    assert "改题" in (out / "tzgg" / "2026" / "2026-myd-diaocha" / "index.html").read_text(encoding="utf-8")


SCRIPT = [("body", 0, ["冬季供暖"]), ("add", ["报修电话"], "2026-11-20"), ("add", ["低保"], "2024-03-01"),
          ("title", 2), ("rename", 0), ("delete", 1), ("config", 7), ("later", 2), ("body", 4, ["窗口"])]


def test_every_kind_of_edit_in_turn_builds_what_a_clean_build_builds():
    """A new page (newest and older: the search ids move), a rename, a deletion, a title, a
    body, site.yaml and a later date, one after another."""
    replay(SCRIPT)


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ADD, st.lists(OPS, min_size=1, max_size=2))
def test_an_incremental_build_writes_what_a_clean_build_writes(first, ops):
    replay([first, *ops])


def replay(ops: list[tuple]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="incr-"))
    try:
        content = Content(copy_sample(scratch / "content"))
        out, cache = scratch / "site", scratch / "cache"
        assert pipeline.build(content.root, out, TODAY, cache=cache).ok
        for n, op in enumerate(ops):
            content.apply(op)
            incremental = pipeline.build(content.root, out, content.today, cache=cache)
            clean = pipeline.build(content.root, scratch / f"clean-{n}", content.today)
            assert incremental.ok == clean.ok, op
            if clean.ok:
                assert snapshot(out) == snapshot(scratch / f"clean-{n}"), op
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


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


def test_choosing_other_traditional_forms_rebuilds_what_a_clean_build_builds(tmp_path):
    """site.yaml's `hant` (s2tw → s2hk) changes every 繁體 page and the 繁體 search's
    character pairs: an incremental build must not keep any page converted the old way."""
    content = Content(copy_sample(tmp_path / "content"))
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    site_yaml = content.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("\nhant: s2tw\n", "\nhant: s2hk\n"),
                         encoding="utf-8")
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    assert pipeline.build(content.root, tmp_path / "clean", TODAY).ok
    assert snapshot(out) == snapshot(tmp_path / "clean")
    assert "説明" in (out / "zh-hant/wza/index.html").read_text(encoding="utf-8")     # Hong Kong's 説
