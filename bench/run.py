#!/usr/bin/env python3
"""Benchmark on the sample district: clean builds with and without the build cache, a rebuild
with nothing changed, `check` alone, 公布结果 → the rebuilt results page served by the preview,
and the survey service's start. Medians of --runs; never run by `make test`.

    bench/run.py [--runs 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
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
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from portal import pipeline  # noqa: E402
from portal.preview import Preview  # noqa: E402
from portal.serve import preview_server  # noqa: E402

TODAY = dt.date(2026, 11, 24)


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def line(what: str, times: list[float]) -> None:
    print(f"| {what} | {statistics.median(times):.3f} s | {min(times):.3f}–{max(times):.3f} s |")


def remove(site: Path) -> None:
    """Remove a built site (a link to its generation: the next build starts afresh)."""
    if site.is_symlink():
        site.unlink()
    shutil.rmtree(site, ignore_errors=True)


def builds(content: Path, tmp: Path, runs: int) -> None:
    def clean() -> None:
        remove(tmp / "site")
        assert pipeline.build(content, tmp / "site", TODAY).ok

    def warm() -> None:
        remove(tmp / "site2")
        assert pipeline.build(content, tmp / "site2", TODAY, cache=tmp / "cache").ok

    def unchanged() -> None:
        assert pipeline.build(content, tmp / "site2", TODAY, cache=tmp / "cache").ok

    line("clean build, no cache", timed(clean, runs))
    warm()
    line("clean output, cache from an earlier build", timed(warm, runs))
    line("rebuild, nothing changed", timed(unchanged, runs))
    line("check alone (in process, cache read only)",
         timed(lambda: pipeline.check(content, TODAY, cache=tmp / "cache", remember=False), runs))


def publish_latency(content: Path, tmp: Path, runs: int) -> list[float]:
    """公布结果 pressed in the service → the preview serves the rebuilt results page."""
    from survey import create_app
    preview = Preview(content, tmp / "served", TODAY, cache=tmp / "pcache", say=lambda _: None)
    assert preview.rebuild()
    stop = preview.watch_in_background()
    httpd = preview_server(preview, tmp / "served", "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    app = create_app({"SURVEY_DB": str(tmp / "s.db"), "SECRET_KEY": "bench", "SURVEY_CONTENT": str(content),
                      "SURVEY_TODAY": TODAY, "WTF_CSRF_ENABLED": False, "SURVEY_RATELIMIT": "off",
                      "SURVEY_LOGIN_RATELIMIT": "off", "SURVEY_MIN_SECONDS": 0})
    app.test_cli_runner().invoke(args=["create-admin", "bench", "--password-stdin"], input="bench password 1\n")
    staff, resident = app.test_client(), app.test_client()
    staff.post("/survey/admin/login", data={"name": "bench", "password": "bench password 1"})
    out = []
    try:
        for _ in range(runs):
            resident.post("/survey/api/fuwu-haocha/responses", json={
                "answers": {"rating": "满意"}, "context": {"service": "dibao", "community": "huanghe"}})
            time.sleep(1.0)
            started = time.perf_counter()
            assert staff.post("/survey/admin/fuwu-haocha/publish").status_code == 303
            sha = (content / "results" / "fuwu-haocha.yaml").read_text(encoding="utf-8").split("sha256: ")[1][:64]
            while sha not in urllib.request.urlopen(base + "/hdjl/pyjg/fuwu-haocha/", timeout=10).read().decode():
                time.sleep(0.02)
            out.append(time.perf_counter() - started)
    finally:
        stop.set()
        httpd.shutdown()
    return out


def service_start(content: Path, tmp: Path, runs: int) -> list[float]:
    """A new process importing the service and creating the app (reading the content's model)."""
    config = {"SURVEY_DB": str(tmp / "start.db"), "SECRET_KEY": "bench", "SURVEY_CONTENT": str(content),
              "SURVEY_TODAY": "2026-11-24"}
    code = f"from survey import create_app; create_app({config!r})"
    return timed(lambda: subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True), runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from bytecode import compile_project
    compile_project()
    from sampletools import copy_sample
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        content = copy_sample(tmp / "content")
        print("\n| sample district | median | range |\n|---|---|---|")
        builds(content, tmp, args.runs)
        line("survey service start (new process: imports + create_app)", service_start(content, tmp, args.runs))
        line("公布结果 → results page served by the preview", publish_latency(content, tmp, args.runs))


if __name__ == "__main__":
    main()
