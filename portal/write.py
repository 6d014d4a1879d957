"""The only writer of site/: build into a sibling temporary directory, then swap it in."""
from __future__ import annotations

import contextlib
import os
import shutil
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
