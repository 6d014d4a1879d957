"""An incremental build writes what a clean build writes after random sequences of a clerk's
edits (hypothesis): new pages, bodies, titles, summaries, renames, deletions, site.yaml and a later date."""
from __future__ import annotations

import pytest
from clerk_edits import ADD, OPS, replay
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow(seconds=55)    # started first, longest first (tests/conftest.py)


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ADD, st.lists(OPS, min_size=1, max_size=2))
@example(("add", ["低保"], "2026-11-20"), [("summary", 0, ["冬季供暖"]), ("summary", 3, ["窗口"])])
def test_an_incremental_build_writes_what_a_clean_build_writes(first, ops):
    replay([first, *ops])
