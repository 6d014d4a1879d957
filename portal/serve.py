"""Local preview: serve the output directory and rebuild it when content or templates change.

A broken edit prints its errors and the last good site keeps being served (the build is
atomic, so the served directory is never half-written). A preview shows drafts with a 草稿
banner and never writes into content/: only a real `build` records published URLs.
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
import time
from pathlib import Path

import click

from . import build_state, clock, pipeline


def _snapshot(*roots: Path) -> dict[str, int]:
    out = {}
    for root in roots:
        for p in root.rglob("*"):
            try:
                out[str(p)] = p.stat().st_mtime_ns
            except OSError:
                pass
    return out


def rebuild(content: Path, out: Path, today: dt.date | None) -> bool:
    started = time.perf_counter()
    result = pipeline.build(content, out, today or clock.today(), preview=True, cache=build_state.CACHE)
    for line in result.problems.lines():
        click.echo(line, err=True)
    if result.ok:
        click.echo(f"[{clock.now():%H:%M:%S}] 已重新生成 {result.pages} 个页面"
                   f"（{time.perf_counter() - started:.1f} 秒）", err=True)
    else:
        click.echo(f"[{clock.now():%H:%M:%S}] 构建失败，继续显示上一次成功的网站。", err=True)
    return result.ok


class _Handler(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, fmt, *args):  # keep the terminal for build messages
        pass


def watch(content: Path, out: Path, today: dt.date | None, stop: threading.Event,
          interval: float = 1.0) -> None:
    roots = [content, pipeline.TEMPLATES]
    last = _snapshot(*roots)
    while not stop.wait(interval):
        now = _snapshot(*roots)
        if now != last:
            last = now
            rebuild(content, out, today)


def serve(content: Path, out: Path, today: dt.date | None, host: str, port: int) -> None:
    rebuild(content, out, today)
    out = out.absolute()
    stop = threading.Event()
    threading.Thread(target=watch, args=(content, out, today, stop), daemon=True).start()
    handler = functools.partial(_Handler, directory=str(out))
    with http.server.ThreadingHTTPServer((host, port), handler) as httpd:
        click.echo(f"预览地址 http://{host}:{port}/ （修改内容后自动重新生成，Ctrl+C 退出）", err=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
