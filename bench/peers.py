#!/usr/bin/env python3
"""Our builder beside Hugo, Pelican, MkDocs and the Python floor on the same generated corpus,
in one run (the shared harness: ../shared/bench/side_by_side.py), then our clean builds once
more with the build cache emptied before each run (a first build on a new machine), and a
table of medians.

    bench/peers.py [--harness ../shared/bench] [--sizes 1000 10000] [--runs 3] [--work DIR]

Peers come from PyPI into a venv of their own (DIR/peers). Never run by `make test`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bytecode  # noqa: E402
import corpus  # noqa: E402

PEERS = ["hugo", "pelican", "mkdocs", "markdown", "jinja2", "pyyaml"]


def peers_venv(work: Path) -> Path:
    venv = work / "peers"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *PEERS], check=True)
    return venv


def cold_runs(harness: Path, work: Path, sizes: list[int], runs: int) -> None:
    """ours, clean output and an empty .cache/build before every run (the harness's warm-up
    leaves the cache full, so its ours_clean rows are clean output with a warm cache)."""
    sys.path.insert(0, str(harness))
    import side_by_side  # type: ignore[import-not-found]
    b = side_by_side.Bench(work / "side", runs)
    for n in sizes:
        out = work / "side" / f"out_{n}" / "ours_cold"

        def fresh(out: Path = out) -> None:
            if out.exists():
                os.rename(out, b.trash / f"cold-{time.monotonic_ns()}")
            shutil.rmtree(ROOT / ".cache" / "build", ignore_errors=True)

        b.bench(f"ours-cold_clean_{n}", "ours (empty cache)", n, "clean",
                [str(ROOT / ".venv/bin/python"), "build.py", "build", "--content",
                 str(work / "side" / f"corpus_{n}" / "portal"), "--out", str(out), "--today", side_by_side.TODAY],
                cwd=ROOT, before=fresh, out_dir=out)


def table(results: Path) -> None:
    rows: dict[tuple[str, int, str], dict] = {}
    for line in results.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rows[(r["tool"], r["n"], r["kind"])] = r
    sizes = sorted({n for _, n, _ in rows})
    tools = sorted({t for t, _, _ in rows}, key=lambda t: (t.startswith("ours"), t))
    print("\n| tool | " + " | ".join(f"clean N={n:,} (peak MiB)" for n in sizes)
          + " | " + " | ".join(f"one edit N={n:,}" for n in sizes) + " |")
    print("|---" * (1 + 2 * len(sizes)) + "|")
    for t in tools:
        cells = []
        for n in sizes:
            r = rows.get((t, n, "clean"))
            cells.append(f"{r['median']['wall']:.2f} s ({r['median']['peak_mib']:.0f}){_failed(r)}" if r else "")
        for n in sizes:
            r = rows.get((t, n, "incr")) or rows.get((t, n, "watch"))
            cells.append(f"{r['median']['wall']:.2f} s{_failed(r)}" if r and r["median"].get("wall") else "")
        print(f"| {t} | " + " | ".join(cells) + " |")


def _failed(row: dict) -> str:
    """A mark for a row some of whose runs failed: a failed build's time means nothing."""
    bad = sum(1 for r in row.get("runs", ()) if r.get("exit") not in (0, -1))
    return f" ⚠ {bad} run(s) failed" if bad else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--harness", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench")
    a = ap.parse_args()
    if not (a.harness / "side_by_side.py").exists():
        sys.exit(f"找不到基准测试工具：{a.harness}（用 --harness 指定 shared/bench 目录）")
    work = a.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    venv = peers_venv(work)
    bytecode.compile_project()
    results = work / "side" / "results.jsonl"
    results.unlink(missing_ok=True)
    for n in a.sizes:           # the harness's corpus, with the images our site.yaml names (bench/corpus.py)
        print(f"== generate corpus N={n}", flush=True)
        corpus.generate(a.harness, n, work / "side" / f"corpus_{n}")
        shutil.rmtree(work / "side" / f"out_{n}", ignore_errors=True)
    subprocess.run([sys.executable, str(a.harness / "side_by_side.py"), "--project", str(ROOT), "--bench",
                    str(a.harness), "--venv", str(venv), "--work", str(work / "side"), "--sizes",
                    *map(str, a.sizes), "--runs", str(a.runs), "--no-gen"], check=True)
    cold_runs(a.harness, work, a.sizes, a.runs)
    table(results)


if __name__ == "__main__":
    main()
