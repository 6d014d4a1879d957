"""The build command end to end on a small tree: exit codes and output (the error classes
themselves are covered, line by line, in test_check_cli.py)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal import pipeline

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """A copy of the small valid tree; the working directory is its parent, so messages
    name files as content/…"""
    target = tmp_path / "content"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(tmp_path)
    return target


def problems(content: Path) -> list[str]:
    return pipeline.check(Path("content"), TODAY).problems.lines()


def errors(content: Path) -> list[str]:
    return [line for line in problems(content) if ": 错误: " in line]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True,
                          text=True, cwd=cwd)


def test_file_in_an_unknown_folder_is_reported(content):
    (content / "tongzhi").mkdir()
    (content / "tongzhi/x.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert errors(content)[0].startswith("content/tongzhi/x.md:1: 错误: 不认识的内容位置")


# --- the CLI contract ---------------------------------------------------------------------

def test_build_with_errors_exits_1_and_creates_no_output(content, tmp_path):
    edit(content / "tzgg/2026/n1.md", "kind: 公示", "kind: 公函")
    proc = run_cli("build", "--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 1 and not (tmp_path / "site").exists()

def test_plain_build_command_builds_the_site(content, tmp_path):
    proc = run_cli("--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/index.html").exists() and (tmp_path / "site/tzgg/2026/n1/index.html").exists()


# --- new TYPE ---------------------------------------------------------------------------
