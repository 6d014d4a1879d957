"""The only writer of site/ (build into a sibling temporary directory, then swap it in), and
the one atomic writer of single files."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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
        self.reused = 0                 # files taken over from the last build
        self.final = target             # the folder the output is in once swapped

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
        self.reused += 1
        source, dest = os.path.join(self.target, rel), os.path.join(self.tmp, rel)
        try:
            os.link(source, dest)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.link(source, dest)
        except OSError:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(source, dest)

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
    so a one-page edit costs one page, not the whole tree."""

    def __init__(self, target: Path, previous: set[str]):
        super().__init__(target)
        self.tmp = target.parent / f".{target.name}.stage-{os.getpid()}"
        self.previous = previous
        self.kept: set[str] = set()

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
        for rel in sorted(self.written, key=_reveal_order):
            dest = self.target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp / rel, dest)
        for rel in sorted(self.previous - self.written - self.kept):
            (self.target / rel).unlink(missing_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def files(self) -> set[str]:
        return self.written | self.kept

    def path_of(self, rel: str) -> str:
        return os.path.join(self.tmp if rel in self.written else self.target, rel)


class Generations(OutputDir):
    """The output as two generations beside a link: `site` → `.site.gen-1`, the previous
    build in `.site.gen-2`. A build updates the previous generation in place — files
    unchanged since the live build are hard links to the live ones, changed files are
    written anew, files no longer built are removed — then flips the link with one rename,
    so a reader sees the old site or the new one, never a mix or nothing. Nothing is
    rebuilt from scratch: an edit costs the files it changed, not 40,000 links and folders.

    `known` is what the generation being updated held when its build finished (None when
    unknown: it is listed from disk). With `afresh` (the live build rewrote most files, so
    few of the spare's are the live ones), the spare is set aside and deleted in the
    background instead: creating folders and links costs less than replacing every file."""

    def __init__(self, target: Path, live: Path | None, spare: Path, known: set[str] | None,
                 afresh: bool = False):
        super().__init__(target)
        self.live, self.tmp, self.final = live, spare, spare
        self.known = known
        if afresh:
            self.set_aside(spare)
            self.known = set()

    @staticmethod
    def set_aside(folder: Path) -> None:
        """Move a generation out of the way and delete it in the background."""
        if folder.exists():
            away = folder.parent / f"{folder.name}.old-{os.getpid()}-{time.monotonic_ns()}"
            os.rename(folder, away)
            discard(away)

    def write(self, rel: str, data: bytes) -> None:
        """A file whose bytes equal the live one's is taken over (copied attachments, assets
        and index files mostly are): the flip then changes only what did change."""
        if self.live is not None:
            try:
                with open(os.path.join(self.live, rel), "rb") as f:
                    same = os.fstat(f.fileno()).st_size == len(data) and f.read() == data
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                same = False
            if same:
                self.reuse(rel)
                return
        super().write(rel, data)

    def reuse(self, rel: str) -> None:
        if rel in self.written:
            raise ValueError(f"two pages write {rel}")
        self.written.add(rel)
        self.reused += 1
        assert self.live is not None
        source, dest = os.path.join(self.live, rel), os.path.join(self.tmp, rel)
        try:
            a, b = os.stat(source), os.stat(dest)
            if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
                return                              # already the live file
        except FileNotFoundError:
            pass
        link = dest + f".{os.getpid()}.link"
        try:
            os.link(source, link)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.link(source, link)
        except FileExistsError:
            os.unlink(link)
            os.link(source, link)
        os.replace(link, dest)

    def swap(self) -> None:
        before = self.known if self.known is not None else _files_below(self.tmp)
        folders = set()
        for rel in before - self.written:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(self.tmp, rel))
            folders.add(os.path.dirname(rel))
        _remove_empty(self.tmp, folders)
        old = None
        if self.target.exists() and not self.target.is_symlink():     # a site/ built before generations
            old = self.target.parent / f".{self.target.name}.old-{os.getpid()}-{time.monotonic_ns()}"
            os.rename(self.target, old)
        flip(self.target, self.tmp.name)
        if old is not None:
            discard(old)

    @property
    def files(self) -> set[str]:
        return self.written


def flip(link: Path, name: str) -> None:
    """Point `link` at its sibling `name` with one rename (a reader never finds it missing)."""
    tmp = link.parent / f".{link.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.symlink(name, tmp, target_is_directory=True)
    os.replace(tmp, link)


def _files_below(root: Path) -> set[str]:
    out = set()
    for folder, _, names in os.walk(root):
        rel = os.path.relpath(folder, root)
        for n in names:
            out.add(n if rel == "." else f"{rel}/{n}".replace(os.sep, "/"))
    return out


def _remove_empty(root: Path, folders: set[str]) -> None:
    """Remove the folders (and their parents) that deleting files left empty."""
    for rel in sorted(folders, key=len, reverse=True):
        while rel:
            try:
                os.rmdir(os.path.join(root, rel))
            except OSError:                # not empty, or gone already
                break
            rel = os.path.dirname(rel)


def _reveal_order(rel: str) -> tuple[int, str]:
    if not rel.endswith(".html"):
        return 0, rel
    return (1 if rel.startswith("zh-hant/") else 2), rel


@contextlib.contextmanager
def _building(out: OutputDir):
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


@contextlib.contextmanager
def _updating(out: Generations):
    """Yield `out`; flip to it on success. On an exception the link is not touched (the
    half-updated generation is listed from disk next time: its state was forgotten)."""
    out.tmp.mkdir(exist_ok=True)
    yield out
    with timings.stage("swap"):
        out.swap()


def staged_output(target: Path, previous: set[str]):
    """A StagedOutput over an existing output directory (a preview's)."""
    return _building(StagedOutput(target.absolute(), previous))


@contextlib.contextmanager
def atomic_output(target: Path, known: Callable[[Path], set[str] | None] = lambda folder: None,
                  afresh: bool = False):
    """The output of a whole build, seen by readers only once complete (build.py build):
    two generations behind a link (Generations), or, where links cannot be made (Windows
    without the right to), a new folder renamed into place. `known(folder)` gives what a
    generation held when last built, and forgets it (it is about to change); `afresh`: see
    Generations."""
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        _sweep(target)
        if _links_work(target.parent):
            live = Path(os.path.realpath(target)) if target.exists() else None
            first, second = (target.parent / f".{target.name}.gen-{i}" for i in (1, 2))
            spare = second if live == first else first
            held = known(spare)                 # (forgotten either way: it is about to change)
            if live is None:
                # No site at all (someone removed the link): generations left beside it are
                # stale. They are moved aside, and deleted by a build ten minutes later.
                for stale in (first, second):
                    _set_aside(stale)
                held = set()
            with _updating(Generations(target, live, spare, held, afresh and live is not None)) as out:
                yield out
        else:
            with _building(OutputDir(target)) as plain:
                yield plain


def _set_aside(folder: Path) -> None:
    if folder.exists():
        away = folder.parent / f"{folder.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(folder, away)
        os.utime(away)                  # the ten minutes count from now


def _sweep(target: Path) -> None:
    """Folders a build killed half-way left behind: a deletion cut short (.old-*, after ten
    minutes) and a new folder never swapped in (.new-<pid> of a process that is gone)."""
    for stale in [*target.parent.glob(f".{target.name}.old-*"), *target.parent.glob(f".{target.name}.gen-*.old-*")]:
        try:
            if time.time() - stale.stat().st_mtime > 600:
                discard(stale)
        except OSError:
            pass
    for stale in target.parent.glob(f".{target.name}.new-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            discard(stale)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_LINKS: dict[str, bool] = {}


def _links_work(folder: Path) -> bool:
    """Whether symbolic links can be made here (not on Windows without the right to)."""
    key = str(folder)
    if key not in _LINKS:
        probe = folder / f".link-probe-{os.getpid()}"
        try:
            os.symlink(".", probe, target_is_directory=True)
            os.unlink(probe)
            _LINKS[key] = True
        except (OSError, NotImplementedError):
            _LINKS[key] = False
    return _LINKS[key]


@contextlib.contextmanager
def _locked(target: Path):
    """One build of a target at a time (a second waits): two builds must not update the
    same generation at once."""
    try:
        import fcntl
    except ImportError:                 # Windows: builds there are one clerk's, one at a time
        yield
        return
    with open(target.parent / f".{target.name}.lock", "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file so a reader never sees half of it: a temporary file beside the target,
    flushed to disk, then renamed over it. The builder's URL manifest and the survey service's
    exports, results files and posters all go through here."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)            # readable like any other content or download
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
