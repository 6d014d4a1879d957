"""The builder's own version, as a digest of its source (and, for pages, the templates): a
cache entry made by other code is never used."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def code_signature(*extra: Path) -> str:
    """portal/'s Python source plus the files below `extra` (the templates)."""
    h = hashlib.sha1(_source())
    for base in extra:
        for p in sorted(base.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(base).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@functools.cache
def _source() -> bytes:
    h = hashlib.sha1()
    for p in sorted(ROOT.rglob("*.py")):
        h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes())
    return h.digest()
