"""Editing a content tree on disk in tests (a plain module: conftest files are not imported
by name). ContentTree (conftest) and the sample copies of the results tests build on it."""
from __future__ import annotations

from pathlib import Path


class EditableTree:
    """Files under `self.root`, written and edited as UTF-8 text."""

    root: Path

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, data: str | bytes) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data, encoding="utf-8")
        return p

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace the one occurrence of `old` (failing loudly if the fixture changed)."""
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        self.write(rel, text.replace(old, new))
