"""Survey form URLs and their QR codes, shared by the portal's survey list (/hdjl/myd/) and the
survey service's printable posters, so a code on the wall and a code on the page are the same.

Both functions are pure: the same URL always gives byte-identical SVG (the builder's output
must be deterministic).
"""
from __future__ import annotations

import functools
import io
from html import escape
from urllib.parse import urlencode


def form_url(base_url: str, sid: str, service: str | None = None, window: int | None = None,
             community: str | None = None) -> str:
    """The survey form's URL; the context goes in the query in DESIGN §5's order. An empty
    `base_url` gives the site path (/survey/<sid>/?…) for links inside the portal."""
    query = [(k, str(v)) for k, v in (("service", service), ("window", window),
                                      ("community", community)) if v not in (None, "")]
    url = f"{base_url.rstrip('/')}/survey/{sid}/"
    return f"{url}?{urlencode(query)}" if query else url


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """Inline SVG (no XML declaration, viewBox only, black on white) of the URL's QR code."""
    # Error level M, never boosted: the same URL always gives the same symbol.
    import segno  # loaded only when a code is made (20 ms of every build otherwise)
    qr = segno.make(url, error="m", boost_error=False)
    out = io.BytesIO()
    label = f"问卷网址二维码：{url}"
    qr.save(out, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=4,
            dark="#000", light="#fff", title=label, svgclass="qr", lineclass=None)
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
