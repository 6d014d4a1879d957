"""Rates are computed by the build, never typed in: percentages with two decimals, rounded
half-up (91.435 → 91.44), as published results must show them."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, total: int) -> str:
    """`part` of `total` as a percentage string with two decimals; "" when total is 0."""
    if total == 0:
        return ""
    value = (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value}"
