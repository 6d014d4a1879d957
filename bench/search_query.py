"""The search page's query (templates/static/portal.js) in Python, over a built site's index:
the benchmarks check that an edit is found without a browser (bench/edits.py hands `search` to
the shared harness). It lives in portal.search_query, where the evaluation and tests use it
too; the browser tests prove the page itself does the same."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.search_query import search  # noqa: E402

__all__ = ["search"]
