"""Fixtures for the builder's tests: a minimal valid content tree written from the strings
below into a temporary directory, so each test can break exactly one thing in it.

The working directory is the tree's parent, so messages name files as `content/…` (DESIGN §2:
paths are shown relative to where the command runs). Line numbers that tests assert are the
line numbers of these strings: keep one key per line and count with care when editing them.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from minimal_tree import MINIMAL, TODAY, TODAY_ARG
from sampletools import share_warm_cache
from treetools import EditableTree

from portal import pipeline
from portal.problems import Problem

ROOT = Path(__file__).resolve().parents[2]
BUILD_PY = ROOT / "build.py"



class ContentTree(EditableTree):
    """A content tree on disk with the helpers tests use to break it and check it."""

    project = ROOT

    def __init__(self, base: Path):
        self.base = base                  # the working directory of checks and commands
        self.root = base / "content"
        for rel, text in MINIMAL.items():
            self.write(rel, text)

    # -- in-process: the library, for everything that is not the CLI contract ------------
    def check(self) -> pipeline.Result:
        return pipeline.check(Path("content"), TODAY)

    def problems(self) -> list[Problem]:
        return self.check().problems.sorted()

    def lines(self) -> list[str]:
        return self.check().problems.lines()

    def errors(self) -> list[str]:
        return [p.format() for p in self.problems() if p.is_error]

    # -- a real `python build.py …` process -----------------------------------------------
    def cli(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(BUILD_PY), *args], capture_output=True,
                              text=True, cwd=cwd or self.base, timeout=60)

    def cli_check(self, content: str | None = None, cwd: Path | None = None
                  ) -> subprocess.CompletedProcess:
        """`python build.py check --content <tree> --today …`, by default from the tree's parent
        directory with the tree's absolute path."""
        return self.cli("check", "--content", content or str(self.root), "--today", TODAY_ARG,
                        cwd=cwd)

    def snapshot(self) -> dict[str, bytes]:
        """Every file under the working directory with its bytes (to prove nothing changed)."""
        return {p.relative_to(self.base).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
                for p in sorted(self.base.rglob("*")) if not p.is_symlink()}


@pytest.fixture
def tree(tmp_path, monkeypatch) -> ContentTree:
    """A fresh minimal valid content tree at tmp_path/content; cwd is tmp_path."""
    t = ContentTree(tmp_path)
    monkeypatch.chdir(tmp_path)
    return t


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Path:
    """A scratch working directory for a copy of the sample at ./content: the files already
    read from the sample are in its caches (./.cache/build, ./cache, ./clean-cache), so a
    test's first build reads only what the test changed (tests/sampletools.share_warm_cache)."""
    monkeypatch.chdir(tmp_path)
    share_warm_cache(tmp_path, tmp_path / "cache", tmp_path / "clean-cache")
    return tmp_path
