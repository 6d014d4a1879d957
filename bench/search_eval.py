#!/usr/bin/env python3
"""The search evaluation: plain resident queries (tests/data/search_eval.yaml: 「医保缴费」,
「怎么办低保」, 「高龄补贴」…), each with the page that should come first. Prints the share
whose first result is right, on the 简 page and on the 繁體 page (the query typed in 繁體),
and every miss. The query is the search page's, in Python (portal.search_query); the browser
tests prove the page gives the same first results.

    bench/search_eval.py [--site DIR] [--set FILE] [--today YYYY-MM-DD]

Without --site the sample district is built into a scratch folder first (as of --today,
default 2026-11-24, the date the set was written for). Never run by `make test`; the test
tests/portal/test_search_eval.py asserts at least 90 %.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from portal import pipeline  # noqa: E402
from portal.search_query import evaluate  # noqa: E402

LANGS = (("zh-Hans", "简体"), ("zh-Hant", "繁體"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="一个已经生成的网站目录（默认：先生成示例站点）")
    parser.add_argument("--set", type=Path, default=ROOT / "tests/data/search_eval.yaml", help="评测集")
    parser.add_argument("--today", default="2026-11-24", help="生成示例站点时的日期")
    args = parser.parse_args()
    cases = yaml.safe_load(args.set.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory(prefix="search-eval-") as scratch:
        site = args.site
        if site is None:
            from sampletools import sample
            site = Path(scratch) / "site"
            result = pipeline.build(sample(), site, dt.date.fromisoformat(args.today))
            if not result.ok:
                print("\n".join(result.problems.lines()), file=sys.stderr)
                return 1
        for lang, name in LANGS:
            outcomes = evaluate(site, cases, lang)
            right = sum(o.right for o in outcomes)
            print(f"{name}：首条结果正确 {right}/{len(outcomes)}（{right / len(outcomes):.1%}）")
            for o in outcomes:
                if not o.right:
                    print(f"  未命中：{o.query} → {o.got or '没有结果'}（应为 {o.want or '没有结果'}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
