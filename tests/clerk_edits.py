"""A clerk's edits to a scratch copy of the sample, and the check that an incremental build
writes what a clean build writes after them (tests/portal/test_incremental*.py)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import strategies as st
from sampletools import copy_sample, share_warm_cache, working_in

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

    def apply(self, op: tuple) -> set[str]:
        """Make the edit; the files it touched (below the content folder), as a watcher sees them."""
        kind = op[0]
        if kind == "body":
            with (self.root / BODIES[op[1]]).open("a", encoding="utf-8") as f:
                f.write(f"\n补充说明：{''.join(op[2])}。\n")
            return {BODIES[op[1]]}
        if kind == "title":
            p = self.root / BODIES[op[1]]
            text = p.read_text(encoding="utf-8")
            p.write_text(text.replace("\ntitle: ", "\ntitle: （修订）", 1) if "\ntitle: " in text
                         else text.replace("title: ", "title: （修订）", 1), encoding="utf-8")
            return {BODIES[op[1]]}
        if kind == "summary":                 # in place where there is one (the model snapshot's
            p = self.root / BODIES[op[1]]      # fast way), else a new line (the full way)
            text = p.read_text(encoding="utf-8")
            p.write_text(text.replace("\nsummary: ", f"\nsummary: {''.join(op[2])}：", 1) if "\nsummary: " in text
                         else text.replace("\ntitle: ", f"\nsummary: {''.join(op[2])}。\ntitle: ", 1), encoding="utf-8")
            return {BODIES[op[1]]}
        if kind == "add":
            rel = f"tzgg/{op[2][:4]}/2026-ceshi-{len(self.added) + 1}.md"
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_text(notice(f"关于{''.join(op[1])}的通知", op[2]), encoding="utf-8")
            self.added.append(rel)
            return {rel}
        if kind == "rename" and self.added:
            old = self.added.pop(op[1] % len(self.added))
            new = old.replace("2026-ceshi-", "2026-gengming-")
            (self.root / old).rename(self.root / new)
            self.added.append(new)
            return {old, new}
        if kind == "delete" and self.added:
            old = self.added.pop(op[1] % len(self.added))
            (self.root / old).unlink()
            return {old}
        if kind == "config":
            p = self.root / "site.yaml"
            p.write_text(p.read_text(encoding="utf-8").replace("phone: 0851-0000000", f"phone: 0851-000000{op[1]}"),
                         encoding="utf-8")
            return {"site.yaml"}
        if kind == "later":
            self.today = TODAY + dt.timedelta(days=op[1])
        elif kind == "attachment":             # a linked file replaced (the preview copies it again)
            with (self.root / "files" / "yishi-guize.txt").open("a", encoding="utf-8") as f:
                f.write(f"\n第{op[1]}条补充。\n")
            return {"files/yishi-guize.txt"}
        return set()

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
    st.tuples(st.just("summary"), st.integers(0, len(BODIES) - 1), st.lists(st.sampled_from(WORDS), min_size=1, max_size=2)),
    ADD,
    st.tuples(st.just("rename"), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 3)),
    st.tuples(st.just("config"), st.integers(2, 9)),
    st.tuples(st.just("later"), st.integers(1, 3)),
)


def replay(ops: list[tuple]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="incr-"))
    try:
        with working_in(scratch):
            content = Content(copy_sample(scratch / "content"))
            out, cache, clean_cache = scratch / "site", scratch / "cache", scratch / "clean-cache"
            share_warm_cache(scratch, cache, clean_cache)       # the sample's files, read once per run
            assert pipeline.build(content.root, out, TODAY, cache=cache).ok
            for n, op in enumerate(ops):
                content.apply(op)
                incremental = pipeline.build(content.root, out, content.today, cache=cache)
                clean = clean_build(content.root, scratch / f"clean-{n}", content.today, clean_cache)
                assert incremental.ok == clean.ok, op
                if clean.ok:
                    assert snapshot(out) == snapshot(scratch / f"clean-{n}"), op
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def clean_build(root: Path, out: Path, today: dt.date, cache: Path, preview: bool = False) -> pipeline.Result:
    """The reference: a build into a new folder, with no earlier output, build state,
    snapshot of times and sizes (every file is read and hashed) or model (portal.model_snapshot);
    only `cache`'s per-file results, keyed by each file's bytes, spare parsing the same text again."""
    for stale in [*cache.glob("read-*.pickle"), *cache.glob("model-*.pickle")]:
        stale.unlink()
    return pipeline.build(root, out, today, preview=preview, cache=cache)
