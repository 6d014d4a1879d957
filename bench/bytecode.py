"""Benchmarks time our builder as it runs on a staff member's machine, where Python keeps the
compiled form of the builder's modules (__pycache__/) from the first run on. Where the
environment sets PYTHONDONTWRITEBYTECODE (some sandboxes and CI images do), every timed process
would compile portal/'s modules from source again, about a quarter of a second each time on a
2-core machine, which no peer pays: they are compiled once here, before anything is timed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def compile_project() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", "portal", "survey", "build.py"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
