"""Suite-wide: files marked `slow(seconds=…)` (pytestmark; about what they take in CI, from
`make test`'s list of the slowest tests) are collected first, longest first. `make test` hands
whole files to its workers in collection order (pytest-xdist, --dist loadfile), so the longest
ones start at once instead of keeping one worker busy after the others are done."""
from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow(seconds): a file whose tests take long in all; run first")


def _expected(item: pytest.Item) -> int:
    mark = item.get_closest_marker("slow")
    return int(mark.kwargs.get("seconds", 60)) if mark is not None else 0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: -_expected(item))      # stable: the order within a file is kept
