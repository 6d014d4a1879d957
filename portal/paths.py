"""Paths as staff see them (relative to the working directory) and the walk over a content
folder that yields its files in a stable order."""
from __future__ import annotations

import functools
import os
import time
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


# A folder's listing as walk() keeps it between builds: (the folder's modification time, when
# it was listed, its entries as (name, is a folder, is a link)), by the folder's path.
Listings = dict[str, tuple[int, int, list[tuple[str, bool, bool]]]]
RACY_NS = 2_000_000_000        # a listing taken this soon after its folder changed is not trusted


def walk(root: Path, problems: Problems, listings: Listings | None = None):
    """Yield (rel, path) of files below root, sorted; refuse links leaving it. (os.scandir:
    the link test costs no system call per file; paths are strings, not Path objects.)
    With `listings` (a preview's, kept between builds), a folder whose modification time is
    unchanged since it was listed is not listed again: adding, removing or renaming an entry
    changes its folder's time. A listing taken within RACY_NS of such a change is taken again
    next time, since a second change within the clock's resolution would not show."""
    real_root = root.resolve()

    def visit(folder: str, rel: str):
        subfolders = []
        for name, is_dir, link in _entries(folder, listings):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if is_dir:
                if link:
                    p = Path(path)
                    if not p.resolve().is_relative_to(real_root):
                        problems.error(display_path(p), 1, "", "", "目录是指向 content/ 之外的链接，已拒绝读取")
                    else:
                        problems.warning(display_path(p), 1, "", "", "目录链接不会被读取，请直接放置文件")
                else:
                    subfolders.append((path, name))
                continue
            if name.endswith("~"):
                continue
            if link and not Path(path).resolve().is_relative_to(real_root):
                problems.error(display_path(path), 1, "", "", "文件是指向 content/ 之外的链接，已拒绝读取")
                continue
            yield rel + name, path
        for path, name in subfolders:
            yield from visit(path, f"{rel}{name}/")

    yield from visit(str(root), "")


def _entries(folder: str, listings: Listings | None) -> list[tuple[str, bool, bool]]:
    if listings is None:
        return _listed(folder)
    changed = os.stat(folder).st_mtime_ns
    kept = listings.get(folder)
    if kept is not None and kept[0] == changed and kept[1] - changed > RACY_NS:
        return kept[2]
    now = time.time_ns()
    found = _listed(folder)
    listings[folder] = (changed, now, found)
    return found


def _listed(folder: str) -> list[tuple[str, bool, bool]]:
    """A folder's entries, sorted by name: (name, is a folder (links followed), is a link)."""
    with os.scandir(folder) as it:
        return [(e.name, e.is_dir(), e.is_symlink()) for e in sorted(it, key=lambda e: e.name)]
