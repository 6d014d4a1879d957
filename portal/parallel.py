"""Work spread over the machine's cores: a process pool forked from the builder (so workers
share the loaded site for free) when there is enough work to pay for it, plain `map`
otherwise (one core, a small site, other threads running, or a system without fork such as
Windows)."""
from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 200                   # below this a pool costs more than it saves


def jobs() -> int:
    """Worker processes: PORTAL_JOBS, else the usable cores (at most 8)."""
    wanted = os.environ.get("PORTAL_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:                     # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def can_fork() -> bool:
    """Fork only where it exists and only from a process that runs no other thread (a web
    server's or a file watcher's): a child forked mid-way through another thread's lock could
    hang. The preview's later builds and the survey service therefore read on one core."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def pmap(fn: Callable[[T], R], items: Sequence[T], min_items: int = MIN_ITEMS) -> list[R]:
    """[fn(x) for x in items], in order, on every core when it pays. `fn` must be a module-level
    function; with fork it sees the parent's state as it was when the pool started."""
    n = jobs()
    if n == 1 or len(items) < min_items or not can_fork():
        return [fn(x) for x in items]
    chunk = max(1, len(items) // (n * 8))
    # concurrent.futures, not multiprocessing.Pool: a worker that dies or a result that cannot
    # be sent back raises here instead of hanging the build.
    with _frozen(), _pool(n) as pool:
        return list(pool.map(fn, items, chunksize=chunk))


def pmap_iter(fn: Callable[[T], R], items: Sequence[T], min_items: int = MIN_ITEMS) -> Iterator[R]:
    """pmap's results one by one, in order, as they arrive: the caller can let each go before
    the next (pmap holds them all in a list first)."""
    n = jobs()
    if n == 1 or len(items) < min_items or not can_fork():
        yield from (fn(x) for x in items)
        return
    with _frozen(), _pool(n) as pool:
        yield from pool.map(fn, items, chunksize=max(1, len(items) // (n * 8)))


def in_child(fn: Callable[..., R], *args) -> R:
    """fn(*args) in a forked worker where one can be forked, else here: for work that loads
    much it does not keep (the memory goes with the worker, not into the builder's peak).
    `fn` must be a module-level function."""
    if not can_fork():
        return fn(*args)
    with _pool(1) as pool:
        return pool.submit(fn, *args).result()


def give_back_memory() -> None:
    """Hand memory freed by Python back to the system (glibc keeps freed blocks for reuse; a
    build that has just let go of many large objects would carry them into every worker it
    forks and into its peak). Nothing elsewhere."""
    if (libc := _libc()) is not None:
        libc.malloc_trim(0)


def _pool(n: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"), initializer=_die_with,
                               initargs=(os.getpid(),))


def _die_with(builder: int) -> None:
    """In a worker: end when the builder ends. A builder killed outright (kill -9, the OOM
    killer) would otherwise leave its workers waiting forever, holding the files it had open,
    among them the lock the next build of the site waits for."""
    if (libc := _libc()) is not None:
        libc.prctl(1, signal.SIGKILL)                 # PR_SET_PDEATHSIG
    if os.getppid() != builder:          # it ended before the line above
        os._exit(1)


@functools.cache
def _libc():
    """glibc's functions (Linux; None elsewhere, or where they cannot be loaded)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.malloc_trim, libc.prctl              # noqa: B018 - present, or AttributeError
        return libc
    except (OSError, AttributeError):
        return None


@contextlib.contextmanager
def _frozen():
    """What the workers inherit is moved out of the garbage collector's sight (gc.freeze):
    their collections then walk only what they allocate themselves, not the whole loaded site
    (at 10,000 items, a worker's full collections otherwise dominate its rendering time).
    Nothing to do where the collector is off (a one-shot build: portal.cli)."""
    if not gc.isenabled():
        yield
        return
    gc.freeze()             # no collection first: garbage frozen here is collectable again after
    try:
        yield
    finally:
        gc.unfreeze()


_shared: tuple[Callable, object] | None = None


def _call(item):
    assert _shared is not None
    fn, shared = _shared
    return fn(shared, item)


def pmap_shared(fn: Callable[[S, T], R], shared: S, items: Sequence[T], min_items: int = 2) -> list[R]:
    """[fn(shared, x) for x in items] like pmap, where `fn` may be any function and `shared`
    any object (even one that cannot be pickled, such as the site or a closure): forked workers
    inherit both instead of receiving them. Items should be a few large pieces of work."""
    global _shared
    n = jobs()
    if n == 1 or len(items) < min_items or not can_fork():
        return [fn(shared, x) for x in items]
    _shared = (fn, shared)
    try:
        with _frozen(), _pool(n) as pool:
            return list(pool.map(_call, items))
    finally:
        _shared = None
