"""The search page's query (templates/static/portal.js) in Python, over a built site's index:
the benchmarks check that an edit is found without a browser. The browser tests prove the
page itself does the same."""
from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

CJK = "\u3400-\u9fff\uf900-\ufaff"
RUN_RE = re.compile(rf"[{CJK}]+|[a-z0-9]+")


def tokens(query: str) -> list[str]:
    out: list[str] = []
    for run in RUN_RE.findall(query):
        if run[0].isascii():
            out.append(run)
        elif len(run) == 1:
            out.append("^" + run)
        else:
            out += [run[i:i + 2] for i in range(len(run) - 1)]
    return list(dict.fromkeys(out))


def shard_of(token: str, shards: int) -> int:
    h = 0x811C9DC5
    units = token.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h = ((h ^ (units[i] | units[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def search(site: Path, base: str, query: str, lang: str) -> dict:
    """{"count", "top": [{"url", "title"}]} as the 简 or 繁 search page would list them."""
    root = Path(site)
    index = json.loads((root / "search/index.json").read_text(encoding="utf-8"))
    hant = lang == "zh-Hant"
    fold: dict[str, str] = {}
    if hant:
        pairs = json.loads((root / "search/hant.json").read_text(encoding="utf-8"))["t2s"]
        fold = {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}
    q = "".join(fold.get(c, c) for c in unicodedata.normalize("NFKC", query).lower())
    wanted = tokens(q)
    if not wanted:
        return {"count": 0, "top": []}
    lengths = index["docs"][2::3]
    average = max(1.0, sum(lengths) / max(1, len(lengths)))
    scores: dict[int, float] | None = None
    shards: dict[int, dict] = {}
    for tok in wanted:
        k = shard_of(tok, index["shards"])
        if k not in shards:
            shards[k] = json.loads((root / f"search/s/{k}.json").read_text(encoding="utf-8"))
        row = shards[k].get(tok, [])
        idf = math.log(1 + index["n"] / max(1, len(row) / 2))
        now: dict[int, float] = {}
        at = 0
        for i in range(0, len(row), 2):
            at += row[i]
            tf = row[i + 1]
            if scores is None or at in scores:
                norm = index["k1"] * (1 - index["b"] + index["b"] * lengths[at] / average)
                now[at] = (scores[at] if scores else 0) + idf * tf * (index["k1"] + 1) / (tf + norm)
        scores = now
    ids = sorted(scores or {}, key=lambda i: (-(scores or {})[i], -i))
    meta = root / ("zh-hant/search/m" if hant else "search/m")
    top = []
    for i in ids[:5]:
        rows = json.loads((meta / f"{i // index['chunk']}.json").read_text(encoding="utf-8"))
        url, title = rows[i % index["chunk"]][:2]
        top.append({"url": url, "title": title})
    return {"count": len(ids), "top": top}
