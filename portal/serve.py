"""`build.py serve`: the preview (portal.preview) on a small local web server.

A broken edit prints its errors, shows them over the page in the browser, and the last good
site keeps being served. A preview shows drafts with a 草稿 banner and never writes into
content/: only a real `build` records published URLs.
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import click

from .headers import SECURITY_HEADERS
from .preview import Preview, answer, inject, port_free


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """The built site as a static host serves it (the 404 page for unknown paths), with the
    security headers production sends, so a preview breaks where production would."""

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def page(self, body: bytes) -> bytes:
        return body

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            self._send(404, "text/html; charset=utf-8", self.page(page.read_bytes()))
            return
        super().send_error(code, message, explain)

    def log_message(self, fmt, *args):  # keep the terminal for build messages
        pass


class PreviewHandler(StaticHandler):
    """The preview: pages with the reload script, and the preview's own URLs."""
    preview: Preview

    def page(self, body: bytes) -> bytes:
        return inject(body)

    def do_GET(self) -> None:          # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        own = answer(parts.path, dict(parse_qsl(parts.query)), self.preview)
        if own is not None:
            self._send(*own)
            return
        path = Path(self.translate_path(parts.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send(200, "text/html; charset=utf-8", inject(path.read_bytes()))
            return
        super().do_GET()


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that closes its tab, or reloads while the preview holds its long poll, drops
    the connection: normal, and not worth a traceback in the terminal staff read."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):     # broken pipe, reset, aborted
            return
        super().handle_error(request, client_address)


def preview_server(preview: Preview, out: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for `out` with the preview's reload script and status URLs (port 0: any
    free port, see `server_address`)."""
    handler = functools.partial(type("Handler", (PreviewHandler,), {"preview": preview}),
                                directory=str(out.absolute()))
    return QuietServer((host, port), handler)


def serve(content: Path, out: Path, today: dt.date | None, host: str, port: int) -> None:
    busy = port_free(host, port)
    if busy:
        raise SystemExit(busy)
    preview = Preview(content, out, today, say=lambda line: click.echo(line, err=True))
    stop = preview.watch_in_background()        # first: a file saved during the first build is built next
    preview.rebuild()
    with preview_server(preview, out, host, port) as httpd:
        click.echo(f"预览地址 http://{host}:{port}/ （修改内容后自动重新生成，Ctrl+C 退出）", err=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
