"""site/ as two generations behind a link (portal.generations.Generations): a reader always finds a
whole site, old or new, even when a build is killed at any moment; a rebuild takes over every
unchanged file from the live site and writes only what changed."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sampletools import ROOT, copy_sample, sample

from portal import pipeline, signatures
from portal.pages import site_pages

pytestmark = pytest.mark.slow(seconds=60)    # started first, longest first (tests/conftest.py)

TODAY = dt.date(2026, 11, 24)
NOTICE = "tzgg/2026/2026-chunjie-zhiban.md"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def build_cli(content: Path, out: Path, cwd: Path, seed: str = "0") -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                             "--out", str(out), "--today", TODAY.isoformat()], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one_whole(scratch):
    content = copy_sample(scratch / "content")
    out = scratch / "site"
    assert build_cli(content, out, scratch).wait(timeout=120) == 0
    old = snapshot(out)
    notice = content / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: ", "title: （更正）", 1), encoding="utf-8")
    for delay in (0.3, 0.6, 0.9, 1.2, 1.6, 2.5):
        proc = build_cli(content, out, scratch)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = snapshot(out)                     # never missing, never a mix
        assert now == old or "（更正）" in now["tzgg/2026/2026-chunjie-zhiban/index.html"].decode("utf-8")
        assert not [p.name for p in scratch.iterdir() if ".new-" in p.name]
    assert build_cli(content, out, scratch).wait(timeout=120) == 0
    clean = scratch / "clean"
    assert build_cli(content, clean, scratch).wait(timeout=120) == 0
    assert snapshot(out) == snapshot(clean)     # whatever the kills left behind in the spare


def parent_if_alive(pid: int) -> int | None:
    """A live process's parent (from /proc/<pid>/stat); None once it has ended (a zombie too)."""
    try:
        state, ppid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:2]
    except OSError:
        return None
    return int(ppid) if state != "Z" else None


def workers_of(pid: int) -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit() and parent_if_alive(int(e)) == pid]


def alive(pid: int) -> bool:
    return parent_if_alive(pid) is not None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are seen through /proc")
def test_a_build_killed_outright_leaves_no_worker_waiting_and_the_next_build_runs(scratch):
    """SIGKILL (the OOM killer, a closed terminal) ends the builder alone: its forked workers
    must end with it, or they wait forever holding the site's lock, and every later build of
    the site waits for them (portal.parallel._die_with)."""
    content = copy_sample(scratch / "content")
    out = scratch / "site"
    proc = build_cli(content, out, scratch)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        workers = workers_of(proc.pid)
        time.sleep(0.005)
    assert workers, "the build finished before its workers were seen"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [w for w in workers if alive(w)] == []
    assert build_cli(content, out, scratch).wait(timeout=60) == 0


def test_an_unchanged_rebuild_in_a_new_process_takes_every_file_over_from_the_live_site(scratch):
    """Page signatures are the same in every process (no set or hash order in them): every
    file of the new generation is the live one's, hard-linked, nothing rendered again."""
    content = copy_sample(scratch / "content")
    out = scratch / "site"
    assert build_cli(content, out, scratch, seed="1").wait(timeout=120) == 0
    first = inodes(out)
    assert build_cli(content, out, scratch, seed="2").wait(timeout=120) == 0
    assert os.readlink(out) == ".site.gen-2"
    assert inodes(out) == first


def test_one_edit_rewrites_the_pages_that_show_it_and_no_others(scratch):
    content = copy_sample(scratch / "content")
    out, cache = scratch / "site", scratch / "cache"
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    first = inodes(out)
    notice = content / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n补充：值班电话二十四小时畅通。\n", encoding="utf-8")
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    changed = {rel for rel, ino in inodes(out).items() if first.get(rel) != ino}
    assert "tzgg/2026/2026-chunjie-zhiban/index.html" in changed
    assert "zh-hant/tzgg/2026/2026-chunjie-zhiban/index.html" in changed
    assert "补充：值班电话" in (out / "tzgg/2026/2026-chunjie-zhiban/index.html").read_text(encoding="utf-8")
    assert "bszn/dibao/index.html" not in changed
    assert len(changed) < len(first) / 10


def test_a_site_folder_from_before_generations_becomes_the_link(scratch):
    content = copy_sample(scratch / "content")
    out = scratch / "site"
    assert pipeline.build(content, scratch / "plain", TODAY).ok
    os.rename(os.path.realpath(scratch / "plain"), out)         # a real folder, as older builds left it
    assert not out.is_symlink()
    assert pipeline.build(content, out, TODAY).ok
    assert out.is_symlink() and (out / "index.html").is_file()


def test_a_removed_site_is_built_afresh_and_its_old_generations_are_deleted_later(scratch):
    content = copy_sample(scratch / "content")
    out, cache = scratch / "site", scratch / "cache"
    for _ in range(2):
        assert pipeline.build(content, out, TODAY, cache=cache).ok
    out.unlink()                                    # `rm -rf site` removes the link only
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    assert os.readlink(out) == ".site.gen-1"
    assert not (scratch / ".site.gen-2").exists()
    aside = [p for p in scratch.iterdir() if ".old-" in p.name]
    assert len(aside) == 2                          # not deleted during this build
    clean = scratch / "clean"
    assert pipeline.build(content, clean, TODAY).ok
    assert snapshot(out) == snapshot(clean)
    for p in aside:                                 # ten minutes later …
        os.utime(p, (time.time() - 700, time.time() - 700))
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    deadline = time.monotonic() + 30
    while [p for p in scratch.iterdir() if ".old-" in p.name] and time.monotonic() < deadline:
        time.sleep(0.2)                             # … a later build deletes them in the background
    assert not [p for p in scratch.iterdir() if ".old-" in p.name]


def test_no_page_of_the_sample_holds_a_value_whose_signature_would_differ_between_runs():
    result = pipeline.check(sample(), TODAY)
    assert result.site is not None
    pages = site_pages(result.site, [])
    assert len(pages) > 400
    assert [w for p in pages for w in signatures.unstable_values(p, p.url)] == []



def test_a_preview_moves_an_edited_page_in_only_after_its_hant_copy_and_the_search_index(scratch, monkeypatch):
    """A preview updates the served folder file by file: the 简体 page, which staff watch, comes
    last, so once it shows the edit its 繁體 copy, lists, feeds and search already do."""
    content = copy_sample(scratch / "content")
    out = scratch / "site"
    session = pipeline.Session()
    assert pipeline.build(content, out, TODAY, preview=True, session=session).ok
    notice = content / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: ", "title: （更正）", 1), encoding="utf-8")
    moved: list[str] = []
    real_replace = os.replace

    def replace(src, dst):
        moved.append(Path(dst).relative_to(out).as_posix())
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    assert pipeline.build(content, out, TODAY, preview=True, session=session).ok
    page = "tzgg/2026/2026-chunjie-zhiban/index.html"
    assert page in moved and "zh-hant/" + page in moved
    assert moved.index("zh-hant/" + page) < moved.index(page)
    assert all(moved.index(rel) < moved.index(page) for rel in moved if not rel.endswith(".html"))
    assert any(rel.startswith("search/") for rel in moved)


def test_a_build_that_cannot_write_says_so_in_chinese_and_keeps_the_site(scratch):
    """A full disk or a file-size limit (here RLIMIT_FSIZE) mid-build: no traceback, a message
    staff can act on, and the site as it was."""
    import resource

    content = copy_sample(scratch / "content")
    out = scratch / "site"
    assert build_cli(content, out, scratch).wait(timeout=120) == 0
    old = snapshot(out)
    notice = content / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n补充：值班电话二十四小时畅通。\n", encoding="utf-8")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))

    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                           "--out", str(out), "--today", TODAY.isoformat()], cwd=scratch,
                          capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "构建失败：无法写入文件（文件超过系统允许的大小）" in proc.stderr and "原有网站未改动" in proc.stderr
    assert snapshot(out) == old


def test_a_state_loaded_before_another_build_flipped_the_site_is_not_trusted(scratch, monkeypatch):
    """Two builds of one site at once: the second loads the state of the live generation,
    then waits for the lock while the first flips to the other one. Trusting that state would
    take over a page the first build changed as if it were the old one."""
    from portal import build_state

    content = copy_sample(scratch / "content")
    out, cache = scratch / "site", scratch / "cache"
    assert pipeline.build(content, out, TODAY, cache=cache).ok          # .site.gen-1
    notice = content / NOTICE
    original = notice.read_text(encoding="utf-8")
    notice.write_text(original.replace("title: ", "title: （更正）", 1), encoding="utf-8")
    assert pipeline.build(content, out, TODAY, cache=cache).ok          # .site.gen-2 shows （更正）
    notice.write_text(original, encoding="utf-8")                        # and back
    stale = build_state.load(cache, content, scratch / ".site.gen-1")
    assert stale.pages
    monkeypatch.setattr(build_state, "load", lambda *a, **k: stale)      # loaded before the flip
    assert pipeline.build(content, out, TODAY, cache=cache).ok
    page = (out / "tzgg/2026/2026-chunjie-zhiban/index.html").read_text(encoding="utf-8")
    assert "（更正）" not in page


def test_the_last_builds_stylesheet_stays_one_more_build_for_pages_already_loaded(scratch):
    import shutil
    content = copy_sample(scratch / "content")
    templates = scratch / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out, cache = scratch / "site", scratch / "cache"

    def build() -> set[str]:
        assert pipeline.build(content, out, TODAY, templates=templates, cache=cache).ok
        return {p.name for p in (out / "static").glob("portal.*.css")}

    first = build()
    css = templates / "static" / "portal.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.x{}\n", encoding="utf-8")
    second = build()
    assert first < second and len(second) == 2       # the old one kept beside the new one
    (new,) = second - first
    assert new in (out / "index.html").read_text(encoding="utf-8")
    css.write_text(css.read_text(encoding="utf-8") + "\n.y{}\n", encoding="utf-8")
    third = build()
    assert len(third) == 2 and new in third and not first & third     # never more than one old one
