#!/usr/bin/env python3
"""python build.py [build|check|serve|new] — see `python build.py --help`.

Run with an interpreter that lacks the project's packages (the system python3 instead of the
project's .venv), it says in Chinese how to run it instead of printing a traceback.
"""
import os
import sys

HOW_TO_RUN = """\
无法运行：{why}。
请进入项目目录 {root}，用项目自带的 Python 环境运行，任选一种：
  make run（第一次运行会自动安装，然后生成网站并在本机预览）
  .venv/bin/python build.py{args}（Linux、macOS）
  .venv\\Scripts\\python build.py{args}（Windows）
还没有 .venv 目录时，先运行 make install；没有 make 时，先运行 python3 -m venv .venv，
再运行 .venv/bin/pip install -e .（Windows 为 .venv\\Scripts\\pip install -e .）。
"""


def _explain(why: str) -> None:
    args = "".join(" " + a for a in sys.argv[1:])
    root = os.path.dirname(os.path.abspath(__file__))
    sys.stderr.write(HOW_TO_RUN.format(why=why, root=root, args=args))
    sys.exit(2)


if sys.version_info < (3, 11):       # noqa: UP036 - an older system python may run this file
    _explain(f"需要 Python 3.11 或更新的版本，当前是 {sys.version_info[0]}.{sys.version_info[1]}")
try:
    from portal.cli import run
except ModuleNotFoundError as e:
    if (e.name or "").startswith("portal."):    # a module of our own is missing: a real bug
        raise
    _explain(f"当前的 Python（{os.path.basename(sys.executable) or 'python'}）缺少本项目需要的组件 {e.name}")

if __name__ == "__main__":
    run()
    # Done: leave without freeing the loaded site object by object (at 10,000 items that
    # takes longer than reading it). Every file is written and closed; only output is buffered.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
