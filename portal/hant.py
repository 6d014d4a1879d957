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
SHARED = ("/static/", "/files/", "/data/", "/pagefind/", "/zh-hant/")
LINK_RE = re.compile(r'\b(href|action|src)="(/[^"]*)"')
SWITCH_RE = re.compile(r'<a class="lang-switch" data-lang-switch href="/zh-hant(/[^"]*)" '
                       r'hreflang="zh-Hant" lang="zh-Hant">[^<]*</a>')
CANONICAL_RE = re.compile(r'(<link rel="canonical" href="https?://[^/"]+)(/[^"]*)"')


@functools.cache
def _converter():
    import opencc
    return opencc.OpenCC("s2t")


def hant_url(url: str) -> str:
    if url.startswith(SHARED) or url.endswith((".xml", ".txt", ".svg")):
        return url
    return PREFIX + url


def to_hant(html: str) -> str:
    out = _converter().convert(html)
    out = LINK_RE.sub(lambda m: f'{m[1]}="{hant_url(m[2])}"', out)
    out = SWITCH_RE.sub(lambda m: f'<a class="lang-switch" data-lang-switch href="{m[1]}" '
                        f'hreflang="zh-Hans" lang="zh-Hans">简体中文</a>', out)
    out = CANONICAL_RE.sub(lambda m: f'{m[1]}{PREFIX}{m[2]}"', out, count=1)
    return out.replace('<html lang="zh-CN">', '<html lang="zh-Hant">', 1)
