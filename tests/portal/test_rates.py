"""Rate arithmetic as published results must show it: two decimals, half-up, computed from
counts (issue 5: 0 responses, all one level, rounding at .xx5)."""
from __future__ import annotations

import pytest

from portal.rates import percent


@pytest.mark.parametrize("part, total, shown", [
    (0, 0, ""),              # no responses: no rate, never 0.00 or a division error
    (0, 7, "0.00"),          # nobody satisfied
    (7, 7, "100.00"),        # all one level
    (1, 3, "33.33"),
    (2, 3, "66.67"),
    (1, 8, "12.50"),
    (145, 160, "90.63"),     # 90.625: half-up, where binary floats would round to 90.62
    (18287, 20000, "91.44"), # 91.435 → 91.44
    (1, 16, "6.25"),
    (1, 40000, "0.00"),      # 0.0025 → 0.00
    (3, 40000, "0.01"),      # 0.0075 → 0.01
])
def test_percent_has_two_decimals_rounded_half_up(part, total, shown):
    assert percent(part, total) == shown


def test_percent_never_uses_binary_floats():
    assert round(90.625, 2) == 90.62                # what naive code would publish
    assert percent(145, 160) == "90.63"
