"""简/繁: every page in Traditional Chinese under /zh-hant/, converted with OpenCC at build time.

A pure function of the Simplified page's HTML and the site's choice of character forms
(site.yaml `hant`: s2tw, Taiwan's standard forms, or s2hk, Hong Kong's; characters only, no
Taiwan phrasing, since the words are the mainland residents' own): internal links kept inside
/zh-hant/, the language switch pointed back, `lang` and canonical updated.
"""
from __future__ import annotations

import functools
import re

from .build_state import CACHE
from .parallel import in_child
from .write import write_atomic

PREFIX = "/zh-hant"
# Shared files stay where they are: assets, attachments, data, the search index, feeds, QR codes.
SHARED = ("/static/", "/files/", "/data/", "/search/", "/zh-hant/")
LINK_RE = re.compile(r'\b(href|action|src)="(/[^"]*)"')
SWITCH_RE = re.compile(r'<a class="lang-switch" data-lang-switch href="/zh-hant(/[^"]*)" '
                       r'hreflang="zh-Hant" lang="zh-Hant">[^<]*</a>')
CANONICAL_RE = re.compile(r'(<link rel="canonical" href="https?://[^/"]+)(/[^"]*)"')


# OpenCC's conversion to Traditional → its way back to Simplified. Both give 為 and 核實, the
# forms readers in Taiwan and Hong Kong expect (OpenCC's generic s2t gives 爲 and 覈實).
BACK = {"s2tw": "tw2s", "s2hk": "hk2s"}
DEFAULT = "s2tw"


@functools.cache
def _converter(conversion: str = DEFAULT):
    import opencc
    return opencc.OpenCC(conversion)


@functools.cache
def _back(conversion: str = DEFAULT):
    import opencc
    return opencc.OpenCC(BACK[conversion])


def convert_text(text: str, conversion: str = DEFAULT) -> str:
    """Plain text in 繁體 (titles, names, search excerpts). OpenCC reads a C string and stops
    at a NUL (a request path can carry one, %00, into the survey service's pages): each is
    given as U+FFFD, what a browser shows for it, and nothing after it is lost."""
    return _converter(conversion).convert(text.replace("\x00", "\ufffd") if "\x00" in text else text)


@functools.cache
def t2s_pairs(conversion: str = DEFAULT) -> str:
    """"繁简繁简…": every CJK character OpenCC turns into one different Simplified character,
    for the 繁體 search page to convert a query into the index's Simplified tokens. A character
    that is itself Simplified is kept as typed: OpenCC reads 么 (the Simplified 麼) as a variant
    of 幺, and folding it broke 什么 and 怎么办 typed on the 繁體 page.

    Kept under .cache/build per OpenCC version, and worked out in a worker process (parallel.
    in_child): that loads both of OpenCC's dictionaries (45 MB, 0.15 s), which a build's main
    process otherwise never needs (its workers convert the pages), nor `check` or the survey
    service."""
    import opencc
    path = CACHE / f"t2s-{conversion}-{getattr(opencc, '__version__', '')}.txt"
    try:
        kept = path.read_text(encoding="utf-8")
        if kept and len(kept) % 2 == 0:
            return kept
    except (OSError, ValueError):
        pass
    pairs = in_child(_t2s_pairs, conversion)       # the dictionaries stay out of the builder's memory
    if CACHE.is_dir():          # the builder's: never made for this alone (the survey service runs anywhere)
        try:
            write_atomic(path, pairs.encode("utf-8"))
        except OSError:
            pass                            # a cache that cannot be written only costs time
    return pairs


def _t2s_pairs(conversion: str) -> str:
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    back = _back(conversion).convert("\n".join(chars)).split("\n")
    there = _converter(conversion).convert("\n".join(chars)).split("\n")
    again = _back(conversion).convert("\n".join(there)).split("\n")
    return "".join(t + s for t, s, r in zip(chars, back, again, strict=True)
                   if len(s) == 1 and s != t and r != t and ord(s) < 0x10000)


def hant_url(url: str) -> str:
    if url.startswith(SHARED) or url.endswith((".xml", ".txt", ".svg")):
        return url
    return PREFIX + url


def to_hant(html: str, conversion: str = DEFAULT) -> str:
    """The 繁體 page of a Simplified page. Converted line by line, and each line remembered:
    the head, header, navigation and footer repeat on every page and are converted once per
    process (OpenCC's phrases never span a line break, and no tag this touches does either)."""
    lines = html.split("\n")
    memo = _lines(conversion)
    if len(memo) > MEMO_LINES:
        memo.clear()                # before choosing what to convert: every line is then new
    new = [line for line in dict.fromkeys(lines) if line not in memo]
    if new:
        converted = _hant_lines(convert_text("\n".join(new), conversion))
        for line, done in zip(new, converted.split("\n"), strict=True):
            memo[line] = done
    return "\n".join(memo[line] for line in lines)


MEMO_LINES = 50_000         # about 15 MB at most per process (the survey service converts pages too)


@functools.cache
def _lines(conversion: str = DEFAULT) -> dict[str, str]:
    return {}


def _hant_lines(out: str) -> str:
    """Converted lines with their links, language switch, canonical link and lang updated."""
    out = LINK_RE.sub(lambda m: f'{m[1]}="{hant_url(m[2])}"', out)
    out = SWITCH_RE.sub(lambda m: f'<a class="lang-switch" data-lang-switch href="{m[1]}" '
                        f'hreflang="zh-Hans" lang="zh-Hans">简体中文</a>', out)
    out = CANONICAL_RE.sub(lambda m: f'{m[1]}{PREFIX}{m[2]}"', out, count=1)
    return out.replace('<html lang="zh-CN">', '<html lang="zh-Hant">', 1)
