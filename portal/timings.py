"""Wall time per build stage, for `PORTAL_TIMINGS=1 python build.py build` and make bench:
where an edit's seconds go, measured without a profiler's overhead."""
from __future__ import annotations

import contextlib
import os
import sys
import time

_spent: dict[str, float] = {}


@contextlib.contextmanager
def stage(name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        _spent[name] = _spent.get(name, 0.0) + time.perf_counter() - started


def report() -> None:
    """Print the stages to stderr when PORTAL_TIMINGS is set, then start afresh."""
    if os.environ.get("PORTAL_TIMINGS"):
        print("stages: " + ", ".join(f"{k} {v:.2f}s" for k, v in _spent.items()), file=sys.stderr)
    _spent.clear()
