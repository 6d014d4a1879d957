"""Paths as staff see them (relative to the working directory) and the walk over a content
folder that yields its files in a stable order."""
from __future__ import annotations

import functools
import os
from pathlib import Path

from .problems import Problems


def display_path(p: Path | str) -> str:
    """The path staff see: relative to the working directory when below it."""
    if isinstance(p, str):                      # the walk's paths: no pathlib per file
        if not os.path.isabs(p):
            return p.replace(os.sep, "/")
        directory, name = os.path.split(p)
        folder = _shown_folder(directory, os.getcwd())
        return p.replace(os.sep, "/") if folder is None else f"{folder}{name}"
    if not p.is_absolute():
        return p.as_posix()
    folder = _shown_folder(str(p.parent), os.getcwd())
    return p.as_posix() if folder is None else f"{folder}{p.name}"


@functools.lru_cache(maxsize=4096)
def _shown_folder(directory: str, cwd: str) -> str | None:
    """A folder as display_path shows it, with its trailing slash ("" for the working
    directory itself), or None when it is not below the working directory."""
    try:
        rel = _resolved(directory).relative_to(_resolved(cwd)).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel + "/"


@functools.lru_cache(maxsize=4096)
def _resolved(directory: str) -> Path:
    return Path(directory).resolve()


def walk(root: Path, problems: Problems):
    """Yield (rel, path) of files below root, sorted; refuse links leaving it. (os.scandir:
    the link test costs no system call per file; paths are strings, not Path objects.)"""
    real_root = root.resolve()

    def visit(folder: str, rel: str):
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        subfolders = []
        for e in entries:
            if e.name.startswith("."):
                continue
            link = e.is_symlink()
            if e.is_dir():
                if link:
                    p = Path(e.path)
                    if not p.resolve().is_relative_to(real_root):
                        problems.error(display_path(p), 1, "", "", "目录是指向 content/ 之外的链接，已拒绝读取")
                    else:
                        problems.warning(display_path(p), 1, "", "", "目录链接不会被读取，请直接放置文件")
                else:
                    subfolders.append(e)
                continue
            if e.name.endswith("~"):
                continue
            if link and not Path(e.path).resolve().is_relative_to(real_root):
                problems.error(display_path(e.path), 1, "", "", "文件是指向 content/ 之外的链接，已拒绝读取")
                continue
            yield rel + e.name, e.path
        for e in subfolders:
            yield from visit(e.path, f"{rel}{e.name}/")

    yield from visit(str(root), "")
