"""`python build.py check` with an interpreter that lacks the project's packages (the system
python3 instead of .venv) says in Chinese how to run it, instead of printing a traceback.

`-S` leaves out site-packages, where click, PyYAML and Jinja2 live, while build.py's own folder
stays on the path: exactly what the system python3 sees when nothing was installed for it.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BUILD_PY = Path(__file__).resolve().parents[2] / "build.py"


def run_bare(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-S", str(BUILD_PY), *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, timeout=60)


@pytest.mark.parametrize("args", [("check",), ("check", "--today", "2026-04-06"), ()])
def test_check_without_the_packages_explains_how_to_run_it(tmp_path, args):
    proc = run_bare(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    command = " ".join(("build.py",) + args)
    assert proc.stderr.startswith("无法运行：当前的 Python（")
    assert "缺少本项目需要的组件 click" in proc.stderr
    assert f"请进入项目目录 {BUILD_PY.parent}" in proc.stderr
    assert "make run" in proc.stderr
    assert f".venv/bin/python {command}（Linux、macOS）" in proc.stderr
    assert f".venv\\Scripts\\python {command}（Windows）" in proc.stderr


def test_the_project_python_still_runs_it(tmp_path):
    proc = subprocess.run([sys.executable, str(BUILD_PY), "--help"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)
    assert proc.returncode == 0 and "社区门户构建工具" in proc.stdout
