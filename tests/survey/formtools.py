"""Helpers for the survey tests (a plain module: a `tests/survey` package would shadow `survey`)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a rendered form, as a browser would send them back."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def survey_yaml(sid: str, **over) -> str:
    fields = {"id": sid, "title": f"测试问卷 {sid}", "kind": "满意度", "opens": "2026-01-01",
              "closes": "2030-12-31", "access": "open", "results": "public"}
    fields.update(over)
    head = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return head + "pages:\n  - questions:\n      - {id: q, type: scale5, label: 您满意吗, required: true}\n"
