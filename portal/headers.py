"""The security headers every page of the portal and the survey service is sent with: by the
survey service (survey.security), by the preview and test servers (portal.serve), and by the
shipped nginx configuration (deploy/nginx/shequ.conf, which a test keeps equal to this table).

The policy allows no inline script or style at all: the portal's and the service's scripts and
styles are files under /static/, and SVG charts and QR codes carry no style attributes.
"""
from __future__ import annotations

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
