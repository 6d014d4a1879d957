"""Per-client rate limits on survey submissions and staff login (DESIGN §5 SURVEY_RATELIMIT).

Limits are written like `30/minute` (second, minute, hour, day) or `off`. Counting happens in
the service's SQLite file, so several worker processes share one count; the client is kept
only as a salted hash (see store.hit) and never as its address.
"""
from __future__ import annotations

import datetime as dt
import re
import time

from flask import current_app, request

from portal import clock

from . import store
from .db import get_db

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
SPEC_RE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)s?\s*$")


class LimitError(ValueError):
    pass


def parse(spec: str) -> tuple[int, int] | None:
    """(count, seconds) from `30/minute`, or None for `off`."""
    if str(spec).strip().lower() in ("off", "0", "none", ""):
        return None
    m = SPEC_RE.match(str(spec))
    if not m or int(m[1]) < 1:
        raise LimitError(f"限流设置“{spec}”不正确，应写成如 30/minute、5/second，或 off 关闭")
    return int(m[1]), UNITS[m[2]]


def exceeded(bucket: str, config_key: str) -> int | None:
    """Count this request; the seconds to wait when the client is over its limit, else None."""
    limit = parse(current_app.config[config_key])
    if limit is None:
        return None
    count, window = limit
    now = time.time()
    day = dt.datetime.fromtimestamp(now, clock.CHINA).date().isoformat()     # the real date: salts rotate daily
    n = store.hit(get_db(), bucket, request.remote_addr or "unknown", day, window, now)
    return window if n > count else None
