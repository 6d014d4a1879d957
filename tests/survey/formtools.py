"""Helpers for the survey tests (a plain module: a `tests/survey` package would shadow `survey`)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a rendered form, as a browser would send them back."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
