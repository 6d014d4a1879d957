#!/usr/bin/env python3
"""Benchmark: build the sample district N times; report the median and pages per second.

Never run by `make test`. Machines are noisy: report medians, compare ratios in one run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal import pipeline  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    args = ap.parse_args()
    today = dt.date(2026, 11, 24)
    times, pages = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            started = time.perf_counter()
            result = pipeline.build(args.content, Path(tmp) / "site", today)
            times.append(time.perf_counter() - started)
            if not result.ok:
                sys.exit("\n".join(result.problems.lines()))
            pages = result.pages
    med = statistics.median(times)
    print(f"build of {args.content.name}/: {pages} pages, median {med:.3f} s over {args.runs} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}), {pages / med:.0f} pages/s")


if __name__ == "__main__":
    main()
