"""The one clock: Beijing time for the builder and the service.

Tests and demos pin the date (`--today`, SURVEY_TODAY); the pin is passed in, never read from
a global, so every date a run uses comes from one place.
"""
from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has had no DST since 1991


def now(pinned: dt.date | None = None) -> dt.datetime:
    """Now in Beijing. With a pinned date, that day at the current time of day, so a response,
    its 差评 case and the case's deadlines all fall on the pinned date."""
    current = dt.datetime.now(CHINA)
    return dt.datetime.combine(pinned, current.timetz()) if pinned else current


def today(pinned: dt.date | None = None) -> dt.date:
    return pinned or now().date()


def now_iso(pinned: dt.date | None = None) -> str:
    """`2026-11-24T09:30:00+08:00`: how the service stores times."""
    return now(pinned).isoformat(timespec="seconds")


def parse_pin(value: str | dt.date | None) -> dt.date | None:
    """A pinned date from configuration (`2026-11-24` or a date); None when unset.
    Raises ValueError for text that is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())
