"""Wall time per build stage, for `PORTAL_TIMINGS=1 python build.py build` and make bench:
where an edit's seconds go, measured without a profiler's overhead. `PORTAL_TIMINGS=memory`
adds the resident memory after each stage."""
from __future__ import annotations

import contextlib
import os
import sys
import time

_spent: dict[str, float] = {}
_memory: list[tuple[str, int]] = []


@contextlib.contextmanager
def stage(name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        _spent[name] = _spent.get(name, 0.0) + time.perf_counter() - started
        if os.environ.get("PORTAL_TIMINGS") == "memory":
            _memory.append((name, _resident()))


def _resident() -> int:
    """The process's resident memory now, in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1_000_000
    except (OSError, ValueError, AttributeError):
        return 0


def report() -> None:
    """Print the stages to stderr when PORTAL_TIMINGS is set, then start afresh."""
    if os.environ.get("PORTAL_TIMINGS"):
        print("stages: " + ", ".join(f"{k} {v:.2f}s" for k, v in _spent.items()), file=sys.stderr)
    if _memory:
        print("resident after: " + ", ".join(f"{k} {v} MB" for k, v in _memory), file=sys.stderr)
    _spent.clear()
    _memory.clear()
