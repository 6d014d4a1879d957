#!/usr/bin/env python3
"""One-edit rebuilds, one-shot and in the preview (`build.py serve`: file write -> changed page
served), on the sample and on the harness's generated corpora, each edit checked: the notice
page in both scripts, its lists, the home page, the feeds and the search index show the edit
and no longer the previous text. Uses the shared harness's edit_check.py (../shared/bench) with
our own index's query (bench/search_query.py) in place of its Pagefind one.

    bench/edits.py [--harness ../shared/bench] [--sizes 1000 10000] [--edits 3]

Never run by `make test`. Medians of the edits; the machine is waited on until quiet.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bytecode  # noqa: E402
import corpus  # noqa: E402


def harness(path: Path):
    if not (path / "edit_check.py").exists():
        sys.exit(f"找不到基准测试工具：{path}（用 --harness 指定 shared/bench 目录）")
    sys.path.insert(0, str(path))
    import edit_check  # type: ignore[import-not-found]
    from search_query import search
    edit_check.search = search          # our index, not Pagefind
    return edit_check


def newest_notice(content: Path) -> tuple[str, str]:
    """The newest current notice whose title is quoted (the harness edits `title: "…"`)."""
    best = None
    for p in content.glob("tzgg/*/*.md"):
        text = p.read_text(encoding="utf-8")
        until = re.search(r"^valid_until: '(\S+)'$", text, re.M)
        ended = re.search(r"^notice_period:\n(?:  .*\n)*?  end: '(\S+)'$", text, re.M)
        if ended and ended[1] < "2026-11-24":       # a 公示 past its 公示期 has left the current lists
            continue
        community = re.search(r"^community: (\S+)$", text, re.M)
        if not re.search(r'^title: ".*"$', text, re.M) or (until and until[1] < "2026-11-24") \
                or not community or community[1] == "district":       # the check reads /sq/<id>/feed.xml
            continue
        date = re.search(r"^published: (.+)$", text, re.M)[1]
        if best is None or date > best[0]:
            best = (date, p.stem, p.parent.name)
    if best is None:
        sys.exit(f"{content} 中没有可编辑的通知")
    return best[1], best[2]


def add_current_notice(content: Path) -> None:
    """The sample's community notices are 公示 whose 公示期 has ended (they leave the current
    lists): the bench's copy gets one current community notice to edit, as a clerk would post."""
    (content / "tzgg/2026/bench-gongnuan-jianxiu.md").write_text(
        '---\ntitle: "关于黄河社区冬季供暖设施检修的通知"\npublished: 2026-11-23 10:00\ncommunity: huanghe\n'
        "kind: 通知\nvalid_until: '2026-12-31'\n---\n"
        "黄河社区服务中心定于 11 月 26 日对辖区供暖设施进行检修，检修期间部分楼栋暂停供暖约 4 小时。\n\n"
        "如有疑问，请拨打社区服务中心电话咨询。\n", encoding="utf-8")


def run(mode: str, content: Path, work: Path, port: int, edits: int, label: str) -> dict:
    slug, year = newest_notice(content)
    out = work / f"out_{label}_{mode}"
    if mode == "oneshot":
        subprocess.run([str(ROOT / ".venv/bin/python"), "build.py", "build", "--content", str(content), "--out",
                        str(out), "--today", "2026-11-24"], cwd=ROOT, check=True, capture_output=True)
    report = work / f"{label}_{mode}.json"
    subprocess.run([sys.executable, __file__, "--one", mode, "--content", str(content), "--out", str(out),
                    "--port", str(port), "--slug", slug, "--year", year, "--edits", str(edits),
                    "--json", str(report), "--harness", str(ARGS.harness)], check=True)
    return json.loads(report.read_text(encoding="utf-8"))


def quote_titles(content: Path) -> None:
    """The sample writes titles unquoted; the harness edits `title: "…"`: quote the notices'."""
    for p in content.glob("tzgg/*/*.md"):
        text = p.read_text(encoding="utf-8")
        p.write_text(re.sub(r'^title: ([^"\n].*)$', lambda m: f'title: "{m[1]}"', text, count=1, flags=re.M),
                     encoding="utf-8")


def main() -> None:
    bytecode.compile_project()
    work = Path(tempfile.mkdtemp(prefix="edits-"))
    corpora = {"sample": work / "sample" / "content"}
    shutil.copytree(ROOT / "content", corpora["sample"])
    quote_titles(corpora["sample"])
    add_current_notice(corpora["sample"])
    for n in ARGS.sizes:
        corpora[str(n)] = corpus.generate(ARGS.harness, n, work / f"corpus_{n}")
    rows = []
    for label, content in corpora.items():
        for mode, port in (("oneshot", 8301), ("serve", 8302)):
            r = run(mode, content, work, port, ARGS.edits, label)
            ok = all(e["all_ok"] for e in r["edits"])
            rows.append((label, mode, r["median_s"], ok, r.get("idle_watch_cpu_share")))
    print("\n| corpus | one edit | median seconds | every check passed | idle watcher (share of a core) |")
    print("|---|---|---|---|---|")
    for label, mode, med, ok, idle in rows:
        print(f"| {label} | {mode} | {med:.2f} | {'yes' if ok else 'NO'} | {'' if idle is None else f'{idle:.3f}'} |")
    shutil.rmtree(work, ignore_errors=True)


ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--harness", type=Path, default=ROOT.parent / "shared" / "bench")
ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
ap.add_argument("--edits", type=int, default=3)
ap.add_argument("--one", help=argparse.SUPPRESS)
ARGS, REST = ap.parse_known_args()

if __name__ == "__main__":
    if ARGS.one:
        check = harness(ARGS.harness)
        sys.argv = [sys.argv[0], ARGS.one, "--project", str(ROOT), *REST, "--edits", str(ARGS.edits)]
        check.main()
    else:
        harness(ARGS.harness)
        main()
