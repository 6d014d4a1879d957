"""site/ as two generations beside a link (`site` → `.site.gen-1`), flipped with one rename:
the output of a whole `build.py build`. Files are written through portal.write."""
from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from . import timings
from .write import OutputDir, building, discard, hard_link


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
        self.live_fresh: frozenset[str] | None = None
        if afresh:
            _set_aside(spare, delete=True)
            self.known = set()

    def trust(self, files: frozenset[str], fresh: frozenset[str]) -> None:
        super().trust(files, fresh)
        self.live_fresh = fresh

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
        self.taken.add(rel)
        assert self.live is not None
        if self.live_fresh is not None and self.known is not None and rel in self.known \
                and rel not in self.live_fresh:
            return          # the live build took it over from this generation: the same file
        source, dest = os.path.join(self.live, rel), os.path.join(self.tmp, rel)
        try:
            a, b = os.stat(source), os.stat(dest)
            if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
                return                              # already the live file
        except FileNotFoundError:
            pass
        link = dest + f".{os.getpid()}.link"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)                         # left by a build killed here
        hard_link(source, link)
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


@contextlib.contextmanager
def _updating(out: Generations):
    """Yield `out`; flip to it on success. On an exception the link is not touched (the
    half-updated generation is listed from disk next time: its state was forgotten)."""
    out.tmp.mkdir(exist_ok=True)
    yield out
    with timings.stage("swap"):
        out.swap()


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
            with building(OutputDir(target)) as plain:
                yield plain


def _set_aside(folder: Path, delete: bool = False) -> None:
    """Move a generation out of the way: deleted now in the background, or (`delete` False)
    by a build ten minutes later (_sweep)."""
    if folder.exists():
        away = folder.parent / f"{folder.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(folder, away)
        if delete:
            discard(away)
        else:
            os.utime(away)              # the ten minutes count from now


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
