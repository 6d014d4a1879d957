"""The only writer of site/ (build into a sibling temporary directory, then swap it in), and
the one atomic writer of single files."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


class OutputDir:
    """Files written here appear in the real output only if the whole build succeeds."""

    def __init__(self, target: Path):
        self.target = target
        self.tmp = target.parent / f".{target.name}.new-{os.getpid()}"
        self.written: set[str] = set()

    def write(self, rel: str, data: bytes) -> None:
        if rel in self.written:
            raise ValueError(f"two pages write {rel}")
        self.written.add(rel)
        p = self.tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    def link(self, rel: str, source: Path) -> None:
        """A file unchanged since the last build, taken over from it: a hard link (no copy,
        nothing rewritten), or a copy where links are not possible."""
        if rel in self.written:
            raise ValueError(f"two pages write {rel}")
        self.written.add(rel)
        p = self.tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, p)
        except OSError:
            shutil.copyfile(source, p)

    def swap(self) -> None:
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists():
            os.rename(self.target, old)
        os.rename(self.tmp, self.target)
        if old.exists():
            shutil.rmtree(old)


@contextlib.contextmanager
def atomic_output(target: Path):
    """Yield an OutputDir; swap it in on success, discard it on any exception."""
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    out = OutputDir(target)
    if out.tmp.exists():
        shutil.rmtree(out.tmp)
    out.tmp.mkdir()
    try:
        yield out
    except BaseException:
        shutil.rmtree(out.tmp, ignore_errors=True)
        raise
    out.swap()


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
