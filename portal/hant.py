"""简/繁: every page in Traditional Chinese under /zh-hant/, converted with OpenCC at build time.

A pure function of the Simplified page's HTML: text converted character by character (s2t,
not Taiwan phrasing, since readers are mainland residents), internal links kept inside
/zh-hant/, the language switch pointed back, `lang` and canonical updated.
"""
from __future__ import annotations

import functools
import re

PREFIX = "/zh-hant"
# Shared files stay where they are: assets, attachments, data, the search index, feeds, QR codes.
SHARED = ("/static/", "/files/", "/data/", "/search/", "/zh-hant/")
LINK_RE = re.compile(r'\b(href|action|src)="(/[^"]*)"')
SWITCH_RE = re.compile(r'<a class="lang-switch" data-lang-switch href="/zh-hant(/[^"]*)" '
                       r'hreflang="zh-Hant" lang="zh-Hant">[^<]*</a>')
CANONICAL_RE = re.compile(r'(<link rel="canonical" href="https?://[^/"]+)(/[^"]*)"')


@functools.cache
def _converter():
    import opencc
    return opencc.OpenCC("s2t")


@functools.cache
def _back():
    import opencc
    return opencc.OpenCC("t2s")


def convert_text(text: str) -> str:
    """Plain text in 繁體 (titles, names, search excerpts)."""
    return _converter().convert(text)


@functools.cache
def t2s_pairs() -> str:
    """"繁简繁简…": every CJK character OpenCC turns into one different Simplified character,
    for the 繁體 search page to convert a query into the index's Simplified tokens."""
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    back = _back().convert("\n".join(chars)).split("\n")
    return "".join(t + s for t, s in zip(chars, back, strict=True) if len(s) == 1 and s != t and ord(s) < 0x10000)


def hant_url(url: str) -> str:
    if url.startswith(SHARED) or url.endswith((".xml", ".txt", ".svg")):
        return url
    return PREFIX + url


def to_hant(html: str) -> str:
    """The 繁體 page of a Simplified page. Converted line by line, and each line remembered:
    the head, header, navigation and footer repeat on every page and are converted once per
    process (OpenCC's phrases never span a line break, and no tag this touches does either)."""
    lines = html.split("\n")
    memo = _lines()
    if len(memo) > MEMO_LINES:
        memo.clear()                # before choosing what to convert: every line is then new
    new = [line for line in dict.fromkeys(lines) if line not in memo]
    if new:
        converted = _hant_lines(_converter().convert("\n".join(new)))
        for line, done in zip(new, converted.split("\n"), strict=True):
            memo[line] = done
    return "\n".join(memo[line] for line in lines)


MEMO_LINES = 50_000         # about 15 MB at most per process (the survey service converts pages too)


@functools.cache
def _lines() -> dict[str, str]:
    return {}


def _hant_lines(out: str) -> str:
    """Converted lines with their links, language switch, canonical link and lang updated."""
    out = LINK_RE.sub(lambda m: f'{m[1]}="{hant_url(m[2])}"', out)
    out = SWITCH_RE.sub(lambda m: f'<a class="lang-switch" data-lang-switch href="{m[1]}" '
                        f'hreflang="zh-Hans" lang="zh-Hans">简体中文</a>', out)
    out = CANONICAL_RE.sub(lambda m: f'{m[1]}{PREFIX}{m[2]}"', out, count=1)
    return out.replace('<html lang="zh-CN">', '<html lang="zh-Hant">', 1)
