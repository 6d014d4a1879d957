"""An incremental build (caches under .cache/, pages taken over from the last build, search
shards patched) writes exactly what a clean build of the same content writes, after any
sequence of edits, new pages, renames, deletions, configuration changes and a later date.
The random sequences are in test_incremental_random.py, the preview's in test_incremental_preview.py
(files of their own so that the suite's workers share the time)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from clerk_edits import TODAY, Content, clean_build, replay, snapshot
from sampletools import ROOT, copy_sample

from portal import pipeline

pytestmark = pytest.mark.slow(seconds=70)    # started first, longest first (tests/conftest.py)


def test_a_page_that_looks_another_item_up_is_rendered_again_when_that_item_changes(scratch):
    """A notice's 相关内容 shows the related notice's title, looked up by key in the template
    (not part of the page's own data): retitling the related notice alone must reach it."""
    content = Content(copy_sample(scratch / "content"))
    out, cache = scratch / "site", scratch / "cache"
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    related = content.root / "tzgg" / "2026" / "2026-zhengji-yijian.md"
    related.write_text(related.read_text(encoding="utf-8").replace("title: ", "title: 改题", 1), encoding="utf-8")
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    assert "改题" in (out / "tzgg" / "2026" / "2026-myd-diaocha" / "index.html").read_text(encoding="utf-8")


SCRIPT = [("body", 0, ["冬季供暖"]), ("add", ["报修电话"], "2026-11-20"), ("add", ["低保"], "2024-03-01"),
          ("title", 2), ("rename", 0), ("delete", 1), ("config", 7), ("later", 2), ("body", 4, ["窗口"])]


def test_every_kind_of_edit_in_turn_builds_what_a_clean_build_builds():
    """A new page (newest and older: the search ids move), a rename, a deletion, a title, a
    body, site.yaml and a later date, one after another."""
    replay(SCRIPT)


def test_choosing_other_traditional_forms_rebuilds_what_a_clean_build_builds(scratch):
    """site.yaml's `hant` (s2tw → s2hk) changes every 繁體 page and the 繁體 search's
    character pairs: an incremental build must not keep any page converted the old way."""
    content = Content(copy_sample(scratch / "content"))
    out, cache = scratch / "site", scratch / "cache"
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    site_yaml = content.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("\nhant: s2tw\n", "\nhant: s2hk\n"),
                         encoding="utf-8")
    assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    assert clean_build(content.root, scratch / "clean", TODAY, scratch / "clean-cache").ok
    assert snapshot(out) == snapshot(scratch / "clean")
    assert "説明" in (out / "zh-hant/wza/index.html").read_text(encoding="utf-8")     # Hong Kong's 説


def test_an_edited_template_is_compiled_again_and_its_pages_equal_a_clean_build(scratch):
    """Compiled templates are kept under the cache (portal.render.template_cache): a template
    edited between two builds is compiled from its new text, never taken from the cache."""
    content = Content(copy_sample(scratch / "content"))
    templates = scratch / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out, cache = scratch / "site", scratch / "cache"
    assert pipeline.build(content.root, out, TODAY, templates=templates, cache=cache).ok
    assert list((cache / "templates").rglob("__jinja2_*"))
    base, footer = templates / "base.html", templates / "_footer.html"      # a page, and a part of every page
    base.write_text(base.read_text(encoding="utf-8").replace('<a class="skip"', '<p>模板已修改</p><a class="skip"'),
                    encoding="utf-8")
    footer.write_text(footer.read_text(encoding="utf-8").replace('<footer class="site-footer">',
                                                                 '<footer class="site-footer"><p>页脚已修改</p>'),
                      encoding="utf-8")
    assert pipeline.build(content.root, out, TODAY, templates=templates, cache=cache).ok
    assert "<p>模板已修改</p>" in (out / "index.html").read_text(encoding="utf-8")
    assert "<p>页脚已修改</p>" in (out / "index.html").read_text(encoding="utf-8")
    assert pipeline.build(content.root, scratch / "clean", TODAY, templates=templates).ok
    assert snapshot(out) == snapshot(scratch / "clean")


def test_a_template_cache_that_cannot_be_written_only_costs_time(scratch):
    content = copy_sample(scratch / "content")
    cache = scratch / "cache"
    (cache / "templates").parent.mkdir(parents=True, exist_ok=True)
    (cache / "templates").write_text("不是文件夹", encoding="utf-8")      # where the folder should be
    assert pipeline.build(content, scratch / "site", TODAY, cache=cache).ok
    assert "社区" in (scratch / "site" / "index.html").read_text(encoding="utf-8")


def test_a_clean_build_counts_its_words_while_rendering_and_writes_the_index_of_its_pages(scratch, monkeypatch):
    """No worker counts words from the pages after a clean build: the render workers tally
    them (in pieces of at most TALLY_DOCS documents), and the index equals one counted from
    the built pages. The newest notice is then patched in, counted from its page alone."""
    from portal import build_pages, search_index
    content = Content(copy_sample(scratch / "content"))
    out, cache = scratch / "site", scratch / "cache"

    def never(*args):
        raise AssertionError("words counted from the pages")

    with monkeypatch.context() as m:
        m.setattr(build_pages, "TALLY_DOCS", 7)
        m.setattr(search_index, "_count_range", never)
        assert pipeline.build(content.root, out, TODAY, cache=cache).ok
    with monkeypatch.context() as m:
        m.setattr(build_pages, "_tally", lambda *args: None)           # the reference: counted from the pages
        assert clean_build(content.root, scratch / "clean", TODAY, scratch / "clean-cache").ok
    assert _search_files(out) == _search_files(scratch / "clean")
    content.apply(("later", 2))
    assert pipeline.build(content.root, out, content.today, cache=cache).ok
    content.apply(("add", ["报修电话"], content.today.isoformat()))      # the newest page of all
    with monkeypatch.context() as m:
        m.setattr(search_index, "_count_range", never)
        assert pipeline.build(content.root, out, content.today, cache=cache).ok
    assert clean_build(content.root, scratch / "clean2", content.today, scratch / "clean-cache").ok
    assert _search_files(out) == _search_files(scratch / "clean2")


def _search_files(site: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(site).items() if k.startswith(("search/", "zh-hant/search/"))}
