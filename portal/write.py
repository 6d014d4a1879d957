"""The only writer of site/'s files (a whole build goes through portal.generations; where links
cannot be made, into a sibling temporary directory swapped in; a preview's per-file moves),
and the one atomic writer of single files."""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from . import timings


def discard(folder: Path) -> None:
    """Delete a folder already moved out of the way, in a process of its own: the new site is
    in place, and removing tens of thousands of old files need not hold up the build."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def hard_link(source: str, dest: str) -> None:
    """A hard link at `dest` to `source`, creating its folder only when it is missing."""
    try:
        os.link(source, dest)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.link(source, dest)


def put(root: Path | str, rel: str, data: bytes) -> None:
    """Write `data` as a new file at root/rel, creating its folder only when it is missing.
    A file already there is unlinked first, never written through: in a reused generation
    it may be a hard link shared with the live site."""
    path = os.path.join(root, rel)
    try:
        f = open(path, "xb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        f = open(path, "xb")
    except FileExistsError:
        os.unlink(path)
        f = open(path, "xb")
    with f:
        f.write(data)


class OutputDir:
    """Files written here appear in the real output only if the whole build succeeds.
    This one builds a new folder beside `target` and renames it into place (where the target
    cannot be a link: see Generations)."""

    def __init__(self, target: Path):
        self.target = target
        self.tmp = target.parent / f".{target.name}.new-{os.getpid()}"
        self.written: set[str] = set()
        self.taken: set[str] = set()    # files taken over from the last build
        self.final = target             # the folder the output is in once swapped
        self.live_files: frozenset[str] | None = None

    def trust(self, files: frozenset[str], fresh: frozenset[str]) -> None:
        """What the last build's state says the output holds (and which of its files that
        build wrote anew), checked to describe the output: no need to ask the disk."""
        self.live_files = files

    def write(self, rel: str, data: bytes) -> None:
        self.claim([rel])
        put(self.tmp, rel, data)

    def claim(self, rels) -> None:
        """Note files as written (by this process or by a worker through `put`)."""
        for rel in rels:
            if rel in self.written:
                raise ValueError(f"two pages write {rel}")
            self.written.add(rel)

    def has(self, rel: str) -> bool:
        """Whether the last build's output (what `reuse` takes over from) holds this file."""
        if self.live_files is not None:
            return rel in self.live_files
        return os.path.isfile(os.path.join(self.target, rel))

    def path_of(self, rel: str) -> str:
        """Where this build's copy of a file it wrote or reused is now."""
        return os.path.join(self.tmp, rel)

    def reuse(self, rel: str) -> None:
        """A file unchanged since the last build of the target, taken over from it: a hard
        link (no copy, nothing rewritten), or a copy where links are not possible."""
        if rel in self.written:
            raise ValueError(f"two pages write {rel}")
        self.written.add(rel)
        self.taken.add(rel)
        source, dest = os.path.join(self.target, rel), os.path.join(self.tmp, rel)
        try:
            hard_link(source, dest)
        except OSError:                 # links not possible here
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(source, dest)

    @property
    def files(self) -> set[str]:
        """Every file of this build's output (written or taken over)."""
        return self.written

    def swap(self) -> None:
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        if self.target.exists():
            os.rename(self.target, old)
        os.rename(self.tmp, self.target)
        if old.exists():
            discard(old)


class StagedOutput(OutputDir):
    """A preview's output: files are written beside the served directory, then each moved
    into place (an atomic rename per file) once the whole build succeeded; files the last
    build wrote and this one did not are removed. Nothing is rewritten that did not change,
    so a one-page edit costs one page, not the whole tree: pages are skipped by their
    signatures (portal.build_pages), and a file written here whose bytes equal what the
    preview last put at that place (QR codes, assets, attachments, ledger copies, redirects,
    search files) is kept without touching the disk. `digests` (the preview's, by reference)
    holds those bytes' digests; it is updated only when the build is swapped in."""

    def __init__(self, target: Path, previous: set[str], digests: dict[str, bytes] | None = None):
        super().__init__(target)
        self.tmp = target.parent / f".{target.name}.stage-{os.getpid()}"
        self.previous = previous
        self.kept: set[str] = set()
        self.digests: dict[str, bytes] = {} if digests is None else digests
        self._new_digests: dict[str, bytes | None] = {}

    def write(self, rel: str, data: bytes) -> None:
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if rel in self.previous and self.digests.get(rel) == digest:
            self.reuse(rel)
            return
        super().write(rel, data)
        self._new_digests[rel] = digest

    def claim(self, rels) -> None:
        super().claim(rels)
        for rel in rels:                    # written by a worker: bytes not seen here
            self._new_digests[rel] = None

    def reuse(self, rel: str) -> None:
        if rel in self.written or rel in self.kept:
            raise ValueError(f"two pages write {rel}")
        self.kept.add(rel)

    def has(self, rel: str) -> bool:
        return rel in self.previous         # the preview's own last build, still in place

    def swap(self) -> None:
        # One file at a time: the search index, feeds and data first, then the 繁體 pages,
        # then the 简体 pages, so that when a page shows the edit, all that goes with it is
        # already in place.
        folders: set[str] = set()
        for rel in sorted(self.written, key=_reveal_order):
            folder = os.path.dirname(rel)
            if folder not in folders:
                os.makedirs(os.path.join(self.target, folder), exist_ok=True)
                folders.add(folder)
            os.replace(os.path.join(self.tmp, rel), os.path.join(self.target, rel))
        for rel in sorted(self.previous - self.written - self.kept):
            (self.target / rel).unlink(missing_ok=True)
            self.digests.pop(rel, None)
        for rel, digest in self._new_digests.items():
            if digest is None:
                self.digests.pop(rel, None)
            else:
                self.digests[rel] = digest
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def files(self) -> set[str]:
        return self.written | self.kept

    def path_of(self, rel: str) -> str:
        return os.path.join(self.tmp if rel in self.written else self.target, rel)


def _reveal_order(rel: str) -> tuple[int, str]:
    if not rel.endswith(".html"):
        return 0, rel
    return (1 if rel.startswith("zh-hant/") else 2), rel


@contextlib.contextmanager
def building(out: OutputDir):
    """Yield `out` with a fresh temporary folder; swap it in on success, discard it on any
    exception (the target is left as it was)."""
    if out.tmp.exists():
        shutil.rmtree(out.tmp)
    out.tmp.mkdir(parents=True)
    try:
        yield out
    except BaseException:
        shutil.rmtree(out.tmp, ignore_errors=True)
        raise
    with timings.stage("swap"):
        out.swap()


def staged_output(target: Path, previous: set[str], digests: dict[str, bytes] | None = None):
    """A StagedOutput over an existing output directory (a preview's)."""
    return building(StagedOutput(target.absolute(), previous, digests))


def write_atomic(path: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write one file so a reader never sees half of it: a temporary file beside the target,
    flushed to disk, then renamed over it. The builder's URL manifest and build state and the
    survey service's exports, results files and posters all go through here. `data` may be a
    function that writes to the file (a large pickle streamed, not held in memory twice)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)            # readable like any other content or download
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
