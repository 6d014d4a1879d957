"""File names from titles, in pinyin (`build.py new`): the stem becomes the item's id and the
last part of its web address, so it is short, lower-case ASCII and never reused.

关于停水的通知 → ting-shui-de-tong-zhi. A title whose syllables would pass MAX_LENGTH is
written with each syllable's first letter instead, as the portal's own column codes are
(通知公告 → tzgg): 长江社区2026年第四批最低生活保障拟保障对象公示 → cjsq-2026-ndspzdshbznbzdxgs.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 40
# Han characters (CJK unified ideographs with extension A, compatibility ideographs, 〇) or
# runs of ASCII letters and digits; everything else separates words.
_TOKEN_RE = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_HAN_RE = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Words that start most notices' titles and tell nothing apart.
_LEADING = ("关于",)


def _runs(title: str) -> list[str]:
    runs = _TOKEN_RE.findall(unicodedata.normalize("NFKC", title).lower())
    if runs and _HAN_RE.match(runs[0]):
        for word in _LEADING:
            if runs[0].startswith(word) and (len(runs[0]) > len(word) or len(runs) > 1):
                runs[0] = runs[0][len(word):] or ""
    return [r for r in runs if r]


def _ascii(syllables: list[str]) -> list[str]:
    """pypinyin writes ü as v (lv, nv); anything else outside a-z is dropped."""
    return [s for s in (re.sub(r"[^a-z0-9]", "", x.lower()) for x in syllables) if s]


def _full(runs: list[str]) -> list[str]:
    out: list[str] = []
    for run in runs:
        out += _ascii(lazy_pinyin(run)) if _HAN_RE.match(run) else [run]
    return out


def _initials(runs: list[str]) -> list[str]:
    return [("".join(_ascii(lazy_pinyin(run, style=Style.FIRST_LETTER))) if _HAN_RE.match(run) else run)
            for run in runs]


def _cut(words: list[str]) -> str:
    """Words joined by '-', at most MAX_LENGTH characters, cut between words when it can be."""
    out = ""
    for w in words:
        joined = f"{out}-{w}" if out else w
        if len(joined) > MAX_LENGTH:
            return out or w[:MAX_LENGTH]
        out = joined
    return out


def stem_for(title: str) -> str:
    """The file stem a title suggests ("" when it has no Han character, letter or digit)."""
    runs = _runs(title)
    full = "-".join(w for w in _full(runs) if w)
    if len(full) <= MAX_LENGTH:
        return full
    return _cut([w for w in _initials(runs) if w])


def community_stem(name: str) -> str:
    """A community's id, as the portal writes them: its name without 社区, syllables joined
    (长江社区 → changjiang), or their first letters when that is long."""
    runs = _runs(name)
    if len(runs) > 1 or (runs and runs[-1] != "社区"):
        runs[-1] = runs[-1].removesuffix("社区")
    runs = [r for r in runs if r]
    joined = "".join(_full(runs))
    return joined if len(joined) <= MAX_LENGTH else _cut(_initials(runs))


def unique(stem: str, taken: Callable[[str], bool]) -> str:
    """`stem`, or `stem-2`, `stem-3`… the first that is not taken."""
    if not taken(stem):
        return stem
    n = 2
    while taken(f"{stem}-{n}"):
        n += 1
    return f"{stem}-{n}"
