"""The 繁體 copy of a page: converted line by line with repeated lines remembered, the bytes are
those of converting the whole page at once, whatever the memo holds or forgets."""
from __future__ import annotations

import pytest

from portal import hant

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><link rel="canonical" href="https://xiaohe.example.org/tzgg/2026/a/"></head>
<body><a class="lang-switch" data-lang-switch href="/zh-hant/tzgg/2026/a/" hreflang="zh-Hant" lang="zh-Hant">繁體中文</a>
<nav><a href="/bszn/">办事指南</a> <a href="/static/portal.css">样式</a></nav>
<main><h1>关于{n}号窗口办理养老保险的通知</h1><p>头发、发展和后台的简体字：{n}</p></main>
<footer>小河区社区服务门户</footer></body></html>
"""


def whole(html: str) -> str:
    """The conversion of the page in one piece (what to_hant did before the memo)."""
    return hant._hant_lines(hant._converter().convert(html))


def test_line_by_line_conversion_equals_converting_the_whole_page():
    hant._lines().clear()
    for n in range(5):
        page = PAGE.format(n=n)
        assert hant.to_hant(page) == whole(page)
    out = hant.to_hant(PAGE.format(n=1))
    assert '<html lang="zh-Hant">' in out and 'href="/zh-hant/bszn/"' in out and 'href="/static/portal.css"' in out
    assert "頭髮" in out and "辦事指南" in out and 'href="https://xiaohe.example.org/zh-hant/tzgg/2026/a/"' in out


def test_a_full_memo_is_emptied_without_losing_the_page_at_hand(monkeypatch):
    monkeypatch.setattr(hant, "MEMO_LINES", 3)
    hant._lines().clear()
    for n in range(20):             # the memo overflows and is emptied again and again
        page = PAGE.format(n=n)
        assert hant.to_hant(page) == whole(page)
    assert len(hant._lines()) <= 3 + PAGE.count("\n") + 1


def test_the_search_pages_character_pairs_are_kept_and_read_back_without_opencc(tmp_path, monkeypatch):
    """Worked out in a worker process where one can be forked: OpenCC's two dictionaries
    (45 MB) never enter a build's main process."""
    from portal import parallel
    monkeypatch.chdir(tmp_path)
    hant.t2s_pairs.cache_clear()
    hant._back.cache_clear()
    made = hant.t2s_pairs("s2hk")
    assert hant._back.cache_info().currsize == 0 or not parallel.can_fork()
    assert list(tmp_path.iterdir()) == []               # no cache folder made for them alone
    (tmp_path / ".cache/build").mkdir(parents=True)     # the builder's
    hant.t2s_pairs.cache_clear()
    assert hant.t2s_pairs("s2hk") == made
    assert made == hant._t2s_pairs("s2hk") and "後后" in made and "么" not in made[::2]
    assert [p.name for p in (tmp_path / ".cache/build").iterdir()][0].startswith("t2s-s2hk-")
    hant.t2s_pairs.cache_clear()
    monkeypatch.setattr(hant, "_t2s_pairs", lambda conversion: pytest.fail("OpenCC's dictionaries loaded again"))
    assert hant.t2s_pairs("s2hk") == made
    hant.t2s_pairs.cache_clear()


def test_a_nul_in_a_page_or_text_loses_nothing_after_it():
    """OpenCC stops at a NUL: a crafted survey address (%00) once cut the page short (a 500)."""
    page = '<p>甲\x00乙</p>\n<p>汉字</p>\n<a href="/x\x00/">后</a>'
    assert hant.to_hant(page) == '<p>甲\ufffd乙</p>\n<p>漢字</p>\n<a href="/zh-hant/x\ufffd/">後</a>'
    assert hant.convert_text("后台\x00汉字") == "後臺\ufffd漢字"
