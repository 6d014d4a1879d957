"""The sample district as tests must see it: the working tree's content/, but with its
published results files as committed. `make run` lets staff press 公布结果, which rightly
rewrites content/results/*.yaml; a test run afterwards must not depend on that (nor on
anything else the demo writes), so tests build from a copy with the committed results."""
from __future__ import annotations

import atexit
import contextlib
import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content"
RESULTS = "content/results"


@functools.cache
def committed_results() -> dict[str, bytes]:
    """content/results/* as committed (git HEAD), by path below content/; empty outside git."""
    try:
        names = subprocess.run(["git", "ls-files", RESULTS], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split()
        return {name.removeprefix("content/"): subprocess.run(["git", "show", f"HEAD:{name}"], cwd=ROOT,
                                                               capture_output=True, check=True).stdout
                for name in names}
    except (OSError, subprocess.CalledProcessError):
        return {}


def copy_sample(dest: Path) -> Path:
    """A copy of the sample at `dest` (a folder that does not exist yet), results as committed."""
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns(".*"))
    results = dest / "results"
    if committed_results():
        for stray in results.glob("*.yaml"):
            if f"results/{stray.name}" not in committed_results():
                stray.unlink()                       # published during a demo, never committed
        for rel, data in committed_results().items():
            (dest / rel).write_bytes(data)
    return dest


@functools.cache
def sample() -> Path:
    """One shared read-only copy for the whole run (copy it again before editing)."""
    base = Path(tempfile.mkdtemp(prefix="sample-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    return copy_sample(base / "content")


@functools.cache
def _warm_cache() -> Path:
    """The builder's file cache (portal.ingest) filled once from the sample, as read from a
    working directory holding it at ./content (the cache knows files by that path)."""
    import datetime as dt

    from portal import build_state, pipeline
    base = Path(tempfile.mkdtemp(prefix="warm-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    copy_sample(base / "content")
    with working_in(base):
        pipeline.check(Path("content"), dt.date(2026, 11, 24), cache=build_state.CACHE)
    return base / build_state.CACHE


def share_warm_cache(cwd: Path, *caches: Path) -> None:
    """Let builds and checks run from `cwd` (with a copy of the sample at cwd/content) reuse
    the files already read from the sample: only the files a test changed are read again, as
    in a clerk's second build. The cache filled is ./.cache/build (what `build.py` uses) and
    any other `caches` a test passes to pipeline.build. Entries are keyed by the files' bytes,
    their place as shown (content/…, hence the working directory) and the code, so sharing
    them changes no result, only the time."""
    from portal import build_state
    for target in (cwd / build_state.CACHE, *caches):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(_warm_cache(), target, copy_function=os.link, dirs_exist_ok=True)


def files_read(monkeypatch) -> list[str]:
    """The files builds and checks in this test read and validate from here on (not taken from
    a cache), by path below content/, as they are read. Workers are kept to this process
    (PORTAL_JOBS=1) so that every read is seen."""
    from portal import ingest
    monkeypatch.setenv("PORTAL_JOBS", "1")
    read: list[str] = []
    real = ingest._read_and_validate
    monkeypatch.setattr(ingest, "_read_and_validate", lambda entry: read.append(entry[0]) or real(entry))
    return read


@contextlib.contextmanager
def working_in(folder: Path) -> Iterator[None]:
    """Run the block with `folder` as the working directory (as monkeypatch.chdir does for a
    test), so that a copy of the sample at folder/content is shown, and cached, as content/…"""
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


LABELS_RE = re.compile(r' data-label="[^"]*"')
ADDED_CLASS_RE = re.compile(r'( class="[^"]*?)(?: (?:stack|key|minor))+"')
ONLY_CLASS_RE = re.compile(r' class="(?:stack|key|minor)"')


def unlabelled(html: str) -> str:
    """A page's HTML without what portal.phone_html adds for phones (cell labels, the stack /
    key / minor classes), so tests about a table's figures can compare its plain markup."""
    html = LABELS_RE.sub("", html)
    html = ONLY_CLASS_RE.sub("", html)
    return ADDED_CLASS_RE.sub(r'\1"', html)
