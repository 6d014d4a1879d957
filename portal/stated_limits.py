"""A service guide's text stating a time limit other than its promised_limit (承诺时限): a rule
about one document, run when the document is validated (and so remembered with it by the
ingest cache, not re-run over every guide on every build)."""
from __future__ import annotations

import re

from . import problems as P
from .items import Item
from .problems import Problem

# A guide's text stating its overall time limit: "20个工作日内办结", "承诺时限：15个工作日".
# A step's limit ("审核 | 10 个工作日内", "办结后 1 个工作日内送达") is not one.
_NUMBER = r"(\d+|[〇零一二两三四五六七八九十百]+)"
STATED_LIMIT_RE = re.compile(
    rf"(?:承诺(?:办结)?时限|办结时限|办理时限)\s*(?:为|是|：|:)?\s*{_NUMBER}\s*个?\s*工作日"
    rf"|{_NUMBER}\s*个?\s*工作日\s*内?\s*(?:办结|办理完毕|办完|完成办理)")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def chinese_number(s: str) -> int | None:
    """20, 二十, 十五, 一百二十 → int; None when it is not a plain number."""
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in "十百":
            total += (1 if digit is None else digit) * (10 if c == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def stated_limits(g: Item) -> list[Problem]:
    """Warn where the body, summary or a step states a time limit other than promised_limit."""
    found: list[Problem] = []
    if g.promised_limit is None:
        return found
    texts = [(g.body, g.body_line, "promised_limit", "承诺时限（工作日）", "正文")]
    if g.summary:
        texts.append((g.summary, g.line_of("summary"), "summary", "摘要", "摘要"))
    texts += [(step, g.line_of(f"process[{i}]"), f"process[{i}]", "步骤", "办理流程")
              for i, step in enumerate(g.process or (), 1)]
    for text, first, key, label, where in texts:
        if "工作日" not in text:              # the pattern's anchor: no scan of bodies without it
            continue
        for m in STATED_LIMIT_RE.finditer(text):
            days = chinese_number(m[1] or m[2])
            if days is not None and days != g.promised_limit:
                found.append(P.warning(
                    g.file, first + text[: m.start()].count("\n"), key, label,
                    f"{where}写的是“{m[0]}”，但承诺时限（promised_limit）是 {g.promised_limit} 个工作日："
                    "请改成一致，居民以页面上写的时限为准"))
    return found
