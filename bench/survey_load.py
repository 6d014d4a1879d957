#!/usr/bin/env python3
"""Benchmark: submission throughput of the survey service's JSON API against a real server.

Each run starts the service in a subprocess on a free loopback port with a fresh SQLite file
(rate limiting off, date pinned), POSTs N valid responses to /survey/api/<sid>/responses from a
thread pool (standard library only, one keep-alive connection per thread), then checks that
every acknowledged response (201) is in the database and nothing else was answered.

Never run by `make test`. Machines are noisy: report medians, compare ratios in one run.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import http.client
import json
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
TODAY = "2026-11-24"
CONTEXT = {"community": "changjiang", "window": "3"}     # a window is always a centre's window

# The server, run as `python -c SERVER_CODE <server> <port> <threads>` from the project root.
SERVER_CODE = r"""
import logging, sys
from survey import create_app
server, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app = create_app()
if server == "waitress":
    import waitress
    waitress.serve(app, host="127.0.0.1", port=port, threads=threads, _quiet=True)
else:
    from werkzeug.serving import run_simple
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # no line per request
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False, use_debugger=False)
"""

SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def have(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _answer(q: dict, values: list[str]):
    """A plausible answer to one question of the API's definition."""
    t = q["type"]
    if t in ("single", "scale5"):
        preferred = "huanghe" if t == "single" else "满意"
        return preferred if preferred in values else values[0]
    if t == "matrix":
        return {r["id"]: ("满意" if "满意" in values else values[0]) for r in q["rows"]}
    if t == "number":
        lo = q["min"] if q["min"] is not None else 0
        hi = q["max"] if q["max"] is not None else lo + 10
        return min(max(2, lo), hi)
    fixed = {"rating": 4, "nps": 8, "date": TODAY, "text": "无", "textarea": "希望周末也能办理业务，谢谢。",
             "multiple": values[:1], "ranking": values}
    return fixed.get(t)


def answers_for(definition: dict) -> dict:
    """A valid, realistic answer set built from the API's survey definition."""
    out: dict = {}
    for q in definition["questions"]:
        if q.get("show_if") and not q["required"]:
            continue                      # conditional follow-ups: leave them out
        value = _answer(q, [c["value"] for c in q["choices"] if c["value"] != "other"])
        if value is not None:
            out[q["id"]] = value
    return out


class Server:
    """The survey service in a subprocess; stderr kept in a file for the report."""

    def __init__(self, kind: str, db: Path, log: Path, threads: int):
        self.port = free_port()
        self.log = log
        env = {**os.environ, "SURVEY_DB": str(db), "SURVEY_RATELIMIT": "off", "SURVEY_TODAY": TODAY,
               "SECRET_KEY": "bench-only-secret",
               "SURVEY_CONTENT": os.environ.get("SURVEY_CONTENT", str(ROOT / "content")),
               "PYTHONUNBUFFERED": "1"}
        env.pop("SURVEY_SITE", None)
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER_CODE, kind, str(self.port), str(threads)],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.base + "/survey/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not healthy after {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        self._log.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def post_json(base: str, path: str, payload: dict) -> tuple[int, dict]:
    req = urllib.request.Request(base + path, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def fire(port: int, path: str, body: bytes, n: int, concurrency: int):
    """POST `body` n times from `concurrency` threads, each with its own keep-alive connection
    (http.client reopens it if the server closes). Returns wall seconds and per-request
    (status, latency seconds, receipt or error text)."""
    local = threading.local()
    headers = {"Content-Type": "application/json", "Connection": "keep-alive"}

    def one(_i: int):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            elapsed = time.perf_counter() - started
        except (OSError, http.client.HTTPException) as e:       # no retry: it could double-submit
            conn.close()
            return (None, time.perf_counter() - started, f"{type(e).__name__}: {e}")
        if resp.status == 201:
            return (201, elapsed, json.loads(data)["receipt"])
        return (resp.status, elapsed, data.decode("utf-8", "replace")[:500])

    with cf.ThreadPoolExecutor(max_workers=concurrency) as pool:
        started = time.perf_counter()
        results = list(pool.map(one, range(n)))
        wall = time.perf_counter() - started
    return wall, results


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def one_run(i: int, args, kind: str, tmp: Path) -> dict:
    db = tmp / f"run{i}.db"
    server = Server(kind, db, tmp / f"run{i}.log", args.concurrency)
    try:
        server.wait_healthy()
        with urllib.request.urlopen(f"{server.base}/survey/api/{args.survey}", timeout=10) as r:
            definition = json.loads(r.read())
        payload = {"answers": answers_for(definition), "context": CONTEXT}
        path = f"/survey/api/{args.survey}/responses"
        status, reply = post_json(server.base, path, payload)       # once, untimed: must be 201
        if status != 201:
            raise RuntimeError(f"check submission got {status}: {json.dumps(reply, ensure_ascii=False)}\n"
                               f"payload: {json.dumps(payload, ensure_ascii=False)}")
        expected = {reply["receipt"]}
        wall, results = fire(server.port, path, json.dumps(payload).encode(), args.requests, args.concurrency)
        ok = [r for r in results if r[0] == 201]
        bad = [r for r in results if r[0] != 201]
        expected |= {r[2] for r in ok}
        # Durability: every acknowledged response is stored (read while the server still runs).
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            stored = {row[0] for row in conn.execute("SELECT receipt FROM responses")}
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        from survey import store  # the server's own connect()
        sdb = store.connect(str(db))
        sync = SYNCHRONOUS.get(sdb.execute("PRAGMA synchronous").fetchone()[0], "?")
        sdb.conn.close()
        log = server.output()
    finally:
        server.stop()
    lat = [r[1] for r in results]
    return {"wall": wall, "ok": len(ok), "bad": bad, "rps": len(ok) / wall, "lat": lat,
            "p50": pct(lat, 50), "p95": pct(lat, 95), "stored": len(stored),
            "expected": len(expected), "missing": expected - stored, "extra": stored - expected,
            "journal": journal.upper(), "sync": sync, "log": log}


def server_trouble(log: str) -> list[str]:
    """Lines of the server's output worth reporting verbatim: tracebacks, locking, 5xx."""
    keys = ("Traceback", "Error", "locked", "busy", '" 5')
    lines = log.splitlines()
    hits = [n for n, line in enumerate(lines) if any(k in line for k in keys)]
    if not hits:
        return []
    start = hits[0]
    return lines[max(0, start - 2): start + 60]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--server", choices=("auto", "waitress", "werkzeug"), default="auto",
                    help="auto: waitress if installed, else werkzeug's threaded server")
    ap.add_argument("--survey", default="fwzx-myd-2026")
    args = ap.parse_args()

    kind = args.server
    if kind == "auto":
        kind = "waitress" if have("waitress") else "werkzeug"
    if kind == "waitress" and not have("waitress"):
        sys.exit("waitress is not installed in this environment (it is not a project dependency); "
                 "use --server werkzeug")
    label = {"waitress": f"waitress {args.concurrency} threads", "werkzeug": "werkzeug threaded"}[kind]
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}")
    print(f"server: {label} (WSGI servers importable: "
          f"{', '.join(m for m in ('waitress', 'gunicorn', 'werkzeug') if have(m))})")

    runs, failed = [], False
    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        for i in range(1, args.runs + 1):
            r = one_run(i, args, kind, Path(tmp))
            runs.append(r)
            durable = not r["missing"] and not r["extra"] and not r["bad"]
            failed |= not durable
            print(f"run {i}: {r['ok']}/{args.requests} 201 in {r['wall']:.2f} s = {r['rps']:.0f} responses/s, "
                  f"p50 {r['p50'] * 1000:.1f} ms p95 {r['p95'] * 1000:.1f} ms; "
                  f"stored {r['stored']} rows (expected {r['expected']} incl. 1 check submission) "
                  f"{'OK' if durable else 'FAILED'}")
            if r["bad"]:
                by_status: dict = {}
                for status, _lat, text in r["bad"]:
                    by_status.setdefault(status, []).append(text)
                for status, texts in by_status.items():
                    print(f"  {len(texts)} × {status or 'connection error'}: {texts[0]}")
            if r["missing"]:
                print(f"  {len(r['missing'])} acknowledged receipts NOT in the database, "
                      f"e.g. {sorted(r['missing'])[:5]}")
            if r["extra"]:
                print(f"  {len(r['extra'])} rows in the database that were never acknowledged")
            trouble = server_trouble(r["log"])
            if trouble:
                print("  server output:")
                print("\n".join("    " + line for line in trouble))

    med = statistics.median(r["rps"] for r in runs)
    lat = [x for r in runs for x in r["lat"]]                       # pooled over all runs
    storage = f"SQLite {runs[0]['journal']} synchronous={runs[0]['sync']}"
    print(f"median {med:.0f} responses/s over {args.runs} runs "
          f"(min {min(r['rps'] for r in runs):.0f}, max {max(r['rps'] for r in runs):.0f})")
    print(f"survey submissions: median {med:.0f} responses/s over {args.runs} runs ({args.requests} requests, "
          f"{args.concurrency} concurrent, {label}, {storage}), "
          f"p50 {pct(lat, 50) * 1000:.0f} ms p95 {pct(lat, 95) * 1000:.0f} ms"
          + ("" if not failed else " — DURABILITY/ERROR CHECK FAILED"))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
