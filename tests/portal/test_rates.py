"""Rate arithmetic as published results must show it: two decimals, half-up, computed from
counts (issue 5: 0 responses, all one level, rounding at .xx5)."""
from __future__ import annotations

import pytest

from portal.rates import percent, shown


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


@pytest.mark.parametrize("part, total, expected", [
    (0, 0, ""),
    (6, 6, "100.0"),         # issue 14: 100.00% of 6 ratings claims a precision 6 do not have
    (2, 3, "66.7"),
    (1, 8, "12.5"),
    (12, 13, "92.3"),
    (1, 16, "6.3"),          # 6.25: half-up
    (28, 29, "96.6"),
    (29, 30, "96.67"),       # from 30 answers up: two decimals, as published
    (145, 160, "90.63"),
])
def test_shown_rate_keeps_one_decimal_below_30_answers(part, total, expected):
    assert shown(part, total) == expected
