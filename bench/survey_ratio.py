#!/usr/bin/env python3
"""The survey service's submission throughput as a share of a bare Flask + SQLite endpoint, in
the same server (werkzeug threaded, gunicorn sync and gthread with 2 workers), median of 3:
the shared harness's survey_ratio.py, run as it is but for one thing. Its survey payload names
a window without its centre ({"window": "3"}), which the service rightly refuses since windows
are per centre (issue 11: 422 "窗口号要和所在的社区一起注明"); here the survey run posts the same
answers with {"community": "changjiang", "window": "3"} (bench/survey_load.CONTEXT).

    bench/survey_ratio.py [--harness ../shared/bench] [--runs 3] [--servers gunicorn-sync …]

Never run by `make test`.
"""
from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    args = sys.argv[1:]
    harness = ROOT.parent / "shared" / "bench"
    if "--harness" in args:
        at = args.index("--harness")
        harness = Path(args[at + 1])
        del args[at:at + 2]
    if not (harness / "survey_ratio.py").exists():
        sys.exit(f"找不到基准测试工具：{harness}（用 --harness 指定 shared/bench 目录）")
    sys.path.insert(0, str(harness))          # its quiet.py
    import survey_load
    spec = importlib.util.spec_from_file_location("harness_survey_ratio", harness / "survey_ratio.py")
    assert spec and spec.loader
    h = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(h)
    original = h.one

    def one(sl, project, app, server, tmp, i, requests, concurrency):
        if app != "survey":
            return original(sl, project, app, server, tmp, i, requests, concurrency)
        db = tmp / f"{app}-{server}-{i}.db"
        proc, port, f = h.start(project, app, server, db, tmp / f"{app}-{server}-{i}.log")
        try:
            base = f"http://{h.HOST}:{port}"
            path = "/survey/api/fwzx-myd-2026"
            with h.urllib.request.urlopen(base + path, timeout=10) as r:
                payload = {"answers": sl.answers_for(json.loads(r.read())), "context": survey_load.CONTEXT}
            status, reply = sl.post_json(base, path + "/responses", payload)
            assert status == 201, (status, reply)
            expected = {reply["receipt"]}
            wall, results = sl.fire(port, path + "/responses", json.dumps(payload).encode(), requests, concurrency)
            ok = [r for r in results if r[0] == 201]
            expected |= {r[2] for r in ok}
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                stored = {row[0] for row in conn.execute("SELECT receipt FROM responses")}
        finally:
            h.stop(proc, f)
        lat = [r[1] for r in results]
        return {"rps": len(ok) / wall, "ok": len(ok), "bad": len(results) - len(ok), "wall": wall,
                "p50_ms": 1000 * sl.pct(lat, 50), "p95_ms": 1000 * sl.pct(lat, 95),
                "durable": expected <= stored and len(stored) == len(expected)}

    h.one = one
    sys.argv = [sys.argv[0], "--project", str(ROOT), *args]
    h.main()


if __name__ == "__main__":
    main()
