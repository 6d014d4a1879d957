#!/usr/bin/env python3
"""One-shot rebuilds after one edit, by what the edit changes, on the harness's generated corpus:
a notice's text, its title, its summary, a guide's materials (the model is taken from the last
build: portal.model_snapshot) and a notice's 有效期 (a field the model reads: the full way).
Each edit is checked on its page (the new value shown, the old one gone).

    bench/field_edits.py [--harness ../shared/bench] [--sizes 10000] [--edits 3]

Never run by `make test`. Between edits the machine is left alone until the build's detached
model writer is done, as it is between a clerk's saves; medians of the edits.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bytecode  # noqa: E402
import corpus  # noqa: E402

TODAY = "2026-11-24"
PAUSE = 4.0                 # seconds between edits: the model snapshot is written after a build returns


def _first(content: Path, pattern: str, folder: str) -> Path:
    for p in sorted(content.glob(f"{folder}/**/*.md")):
        if re.search(pattern, p.read_text(encoding="utf-8"), re.M):
            return p
    sys.exit(f"{content}/{folder} 中没有可编辑的文件（{pattern}）")


def _sub(path: Path, pattern: str, make: Callable[[re.Match, int], str], n: int) -> tuple[str, str]:
    """Edit the first match of `pattern` in `path`; the text the page should now show, and the
    text it should no longer show."""
    text = path.read_text(encoding="utf-8")
    m = re.search(pattern, text, re.M)
    assert m, (path, pattern)
    new = make(m, n)
    path.write_text(text[:m.start()] + new + text[m.end():], encoding="utf-8")
    return new, m[0]


def edits(content: Path) -> dict[str, Callable[[int], tuple[Path, str, str | None]]]:
    notice = _first(content, r"^valid_until: '2026-1[12]-\d\d'$", "tzgg")
    guide = _first(content, r"^- name: \S+$", "bszn")

    def page(p: Path) -> Path:
        return Path(p.relative_to(content).with_suffix("").as_posix(), "index.html")

    def body(n: int):
        with notice.open("a", encoding="utf-8") as f:
            f.write(f"\n第{n}次补充：具体安排以社区服务中心公告为准。\n")
        return page(notice), f"第{n}次补充", None

    def title(n: int):
        new, _ = _sub(notice, r'^title: "(.*?)(（第\d+次更正）)?"$',
                      lambda m, n: f'title: "{m[1]}（第{n}次更正）"', n)
        return page(notice), new[8:-1], None

    def summary(n: int):
        _sub(notice, r'^summary: "(（第\d+次修订）)?(.*)"$', lambda m, n: f'summary: "（第{n}次修订）{m[2]}"', n)
        return page(notice), f"（第{n}次修订）", None

    def materials(n: int):
        new, old = _sub(guide, r"^- name: (第\d+版)?(\S+)$", lambda m, n: f"- name: 第{n}版{m[2]}", n)
        return page(guide), new[8:], old[8:] if old[8:] not in new[8:] else None

    def valid_until(n: int):
        _sub(notice, r"^valid_until: '2026-1[12]-\d\d'$", lambda m, n: f"valid_until: '2026-12-{10 + n:02d}'", n)
        return page(notice), f"2026年12月{10 + n}日", None

    return {"正文": body, "标题": title, "摘要": summary, "办事指南材料": materials, "有效期": valid_until}


def build(content: Path, out: Path) -> tuple[float, bool]:
    """Seconds, and whether the model was built again (portal.timings names its stage)."""
    start = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv/bin/python"), "build.py", "build", "--content", str(content),
                           "--out", str(out), "--today", TODAY], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PORTAL_TIMINGS": "1"})
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"生成失败：\n{done.stdout[-2000:]}")
    return took, bool(re.search(r"^stages:.* model ", done.stderr, re.M))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--harness", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--sizes", type=int, nargs="*", default=[10000])
    ap.add_argument("--edits", type=int, default=3)
    args = ap.parse_args()
    bytecode.compile_project()
    rows = []
    with tempfile.TemporaryDirectory(prefix="field-edits-") as work:
        for n in args.sizes:
            content = corpus.generate(args.harness, n, Path(work) / f"corpus_{n}")
            out = Path(work) / f"out_{n}"
            build(content, out)                 # the first build: every file read, the model kept
            for kind, edit in edits(content).items():
                times, ok, modelled = [], True, set()
                for i in range(1, args.edits + 1):
                    time.sleep(PAUSE)
                    page, shown, gone = edit(i)
                    took, again = build(content, out)
                    times.append(took)
                    modelled.add(again)
                    html = (out / page).read_text(encoding="utf-8")
                    ok = ok and shown in html and (gone is None or gone not in html)
                way = "/".join("完整重建" if m else "沿用上次模型" for m in sorted(modelled))
                rows.append((n, kind, statistics.median(times), min(times), max(times), way, ok))
                print(f"{n} {kind}: {' '.join(f'{t:.2f}' for t in times)} s", file=sys.stderr, flush=True)
    print("\n| items | one edit to | median seconds | range | model | page shows it |")
    print("|---|---|---|---|---|---|")
    for n, kind, med, lo, hi, way, ok in rows:
        print(f"| {n} | {kind} | {med:.2f} | {lo:.2f}–{hi:.2f} | {way} | {'yes' if ok else 'NO'} |")


if __name__ == "__main__":
    main()
