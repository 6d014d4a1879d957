"""Every response of the service carries the security headers of portal.headers (a strict CSP:
no inline script or style, no framing; nosniff; same-origin referrers)."""
from __future__ import annotations

from flask import Flask, Response

from portal.headers import SECURITY_HEADERS


def _add(resp: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        resp.headers.setdefault(name, value)
    return resp


def init_app(app: Flask) -> None:
    app.after_request(_add)
