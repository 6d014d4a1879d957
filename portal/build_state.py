"""What the last build of an output directory wrote, kept under .cache/ so the next build can
reuse every page whose inputs did not change (portal.signatures). Never in content/ or site/.

The state belongs to one output directory (a generation, portal.generations.Generations) as the
last build left it: it records the directory's inode, and is ignored when the directory was
replaced, removed or the state is from another version of the builder. It is forgotten
before anything changes that directory again, so a build cut short leaves no false state.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from .search import Doc
from .write import write_atomic

VERSION = 6                # 6: the pages in a pickle of their own, after the rest
CACHE = Path(".cache") / "build"


@dataclass(frozen=True)
class PageEntry:
    """One page as last built: its signature, the items its template looked up (key →
    signature), its search entry, and the files it wrote below the output directory."""
    sig: str
    reads: dict[str, str]
    files: tuple[str, ...]
    doc: Doc | None = None


@dataclass
class BuildState:
    pages: dict[str, PageEntry] = field(default_factory=dict)
    out_id: tuple[int, int] | None = None      # (st_dev, st_ino) of the output it describes
    files: frozenset[str] = frozenset()        # every file below it
    rewritten: float = 0.0                     # the share of them that build wrote anew
    assets: tuple[str, ...] = ()               # its own fingerprinted static files
    fresh: frozenset[str] = frozenset()        # the files it wrote anew (the rest it took over)
    version: int = VERSION


def state_file(cache: Path, content: Path, out: Path) -> Path:
    """Where the state of `out` (the folder it is, or links to) is kept."""
    key = hashlib.sha1(f"{content.resolve()}\0{out.resolve()}".encode()).hexdigest()[:16]
    return cache / f"state-{key}.pickle"


def _dir_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def load(cache: Path | None, content: Path, out: Path, pages: bool = True) -> BuildState:
    """The state of `out` from the last build, or an empty one when it cannot be trusted.
    The file holds two pickles: the state without its pages, then the pages; without `pages`,
    only the first is read (take_files: a tenth of the time)."""
    if cache is None:
        return BuildState()
    try:
        with state_file(cache, content, out).open("rb") as f:
            state = pickle.load(f)
            if not isinstance(state, BuildState) or state.version != VERSION or state.out_id != _dir_id(out):
                return BuildState()
            if pages:
                state.pages = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return BuildState()
    return state


def describes(state: BuildState, out: Path) -> bool:
    """Whether `state` (empty, or loaded for `out`) still describes what `out` is now."""
    return state.out_id is None or state.out_id == _dir_id(out)


def take_files(cache: Path | None, content: Path, out: Path) -> set[str] | None:
    """The files `out` held after its last build (None when not known), forgetting its state:
    the caller is about to change it."""
    state = load(cache, content, out, pages=False)
    forget(cache, content, out)
    return set(state.files) if state.out_id is not None else None


def forget(cache: Path | None, content: Path, out: Path) -> None:
    if cache is not None:
        state_file(cache, content, out).unlink(missing_ok=True)


def save(cache: Path | None, content: Path, out: Path, state: BuildState, files: set[str],
         taken: set[str]) -> None:
    if cache is None:
        return
    state.out_id = _dir_id(out)
    state.files = frozenset(files)
    state.fresh = frozenset(files - taken)
    state.rewritten = len(state.fresh) / len(files) if files else 0.0
    head = replace(state, pages={})

    def dump(f) -> None:
        pickle.dump(head, f, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(state.pages, f, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomic(state_file(cache, content, out), dump)
