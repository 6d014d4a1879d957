"""A one-shot build whose only changes are the Markdown text, the title or fields no part of the
model reads (a summary, a guide's materials) of some items takes the Site (and, but for a
title, its pages) from the last full build (portal.model_snapshot) and writes exactly what a
clean build writes; every other change, and every change that could alter the model or bring
a problem, takes the full way, and says what a full build says."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clerk_edits import clean_build, snapshot
from sampletools import copy_sample, files_read, share_warm_cache

from portal import build_state, model_snapshot, pipeline, search_query

pytestmark = pytest.mark.slow(seconds=30)    # started first, longest first (tests/conftest.py)

TODAY = dt.date(2026, 11, 24)
NOTICE = "tzgg/2026/2026-chunjie-zhiban.md"
PAGE = "tzgg/2026/2026-chunjie-zhiban/index.html"
CACHE = build_state.CACHE


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """The sample at ./content of a scratch folder, built once (the snapshot written)."""
    monkeypatch.chdir(tmp_path)
    share_warm_cache(tmp_path)
    copy_sample(tmp_path / "content")
    assert pipeline.build(Path("content"), Path("site"), TODAY, cache=CACHE).ok
    assert model_snapshot.snapshot_file(CACHE, Path("content")).is_file()
    return Path("content")


@pytest.fixture
def full_builds(monkeypatch) -> list[str]:
    """The content folders the builds from here on read and modelled in full."""
    seen: list[str] = []
    real = pipeline.read_site
    monkeypatch.setattr(pipeline, "read_site", lambda root, *a, **k: seen.append(str(root)) or real(root, *a, **k))
    return seen


def _append(content: Path, text: str, rel: str = NOTICE) -> None:
    with (content / rel).open("a", encoding="utf-8") as f:
        f.write(text)


def _same_as_clean(content: Path, tmp_path: Path) -> None:
    assert clean_build(content, tmp_path / "clean", TODAY, tmp_path / "clean-cache").ok
    assert snapshot(Path("site")) == snapshot(tmp_path / "clean")


def test_a_text_edit_takes_the_model_from_the_last_build_and_builds_what_a_clean_build_builds(
        content, full_builds, tmp_path):
    for n in range(2):          # and again: the snapshot stays the last full build's
        _append(content, f"\n第{n}次补充：值班安排如有变动，将另行通知。\n")
        assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
        assert f"第{n}次补充" in (Path("site") / PAGE).read_text(encoding="utf-8")
    assert full_builds == []
    _same_as_clean(content, tmp_path)


def test_a_text_edit_signs_again_only_the_pages_that_hold_the_item_and_a_reverted_edit_shows(
        content, full_builds, tmp_path, monkeypatch):
    """The pages' signatures come with the snapshot; a page that holds no changed item keeps
    its signature, one that does is signed again. Undoing the edit (the text as the snapshot
    knows it again) still brings the old text back, though nothing differs from the snapshot."""
    from portal import signatures
    fresh: list[bool] = []
    real = signatures.Signer.page
    monkeypatch.setattr(signatures.Signer, "page",
                        lambda self, page: fresh.append(page.output not in self._known) or real(self, page))
    original = (content / NOTICE).read_text(encoding="utf-8")
    _append(content, "\n补充：值班电话如有变动，另行通知。\n")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert full_builds == [] and len(fresh) > 400 and 0 < sum(fresh) < 20
    assert "值班电话如有变动" in (Path("site") / PAGE).read_text(encoding="utf-8")
    (content / NOTICE).write_text(original, encoding="utf-8")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert full_builds == []
    assert "值班电话如有变动" not in (Path("site") / PAGE).read_text(encoding="utf-8")
    _same_as_clean(content, tmp_path)


def _replace(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _retitle(content: Path, rel: str, old: str, new: str) -> None:
    _replace(content, rel, f"title: {old}\n", f"title: {new}\n")


def test_a_title_edit_takes_the_model_and_every_list_shows_the_new_title(
        content, full_builds, tmp_path, monkeypatch):
    """The pages are listed again; the model is remembered with them, so that the next text
    edit takes the pages (it would list them again after every later edit otherwise)."""
    listed: list[int] = []
    real = pipeline.site_pages
    monkeypatch.setattr(pipeline, "site_pages", lambda site, *a: listed.append(1) or real(site, *a))
    _retitle(content, NOTICE, "关于2026年春节期间社区服务中心值班安排的公告", "关于2026年春节期间社区服务中心值班安排的公告（更正）")
    _append(content, "\n值班电话已更新。\n")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert full_builds == [] and len(listed) == 1
    for page in (PAGE, "tzgg/2026/index.html"):
        assert "值班安排的公告（更正）" in (Path("site") / page).read_text(encoding="utf-8"), page
    assert any("值班安排的公告（更正）" in f.read_text(encoding="utf-8") for f in Path("site/search/m").iterdir())
    _append(content, "\n节后恢复正常服务。\n")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert full_builds == [] and len(listed) == 1
    assert "节后恢复正常服务" in (Path("site") / PAGE).read_text(encoding="utf-8")
    _same_as_clean(content, tmp_path)


def test_a_title_edit_while_a_reference_names_nothing_builds_the_model_again(content, full_builds, tmp_path):
    """A draft names its policy by title (an error, a warning while it is a draft, with the id
    guessed from every title): a title edit changes the guess, so the model is built again and
    the build says what a build without any cache says."""
    (content / "zcjd/jd-cwgk-caogao.md").write_text(
        "---\ntitle: 社区财务公开实施办法问答（草稿）\npublished: 2026-11-20 09:00\n"
        "policy: 《小河区社区财务公开实施办法》\nform: 文字解读\ndraft: true\n---\n问答整理中。\n", encoding="utf-8")
    first = pipeline.build(content, Path("site"), TODAY, cache=CACHE)
    assert first.ok and any("xh-cwgk-2025-5" in p.message for p in first.problems.items)
    _retitle(content, "zcwj/xh-cwgk-2025-5.md", "小河区社区财务公开实施办法", "小河区社区财务公开管理办法")
    taken = pipeline.build(content, Path("site"), TODAY, cache=CACHE)
    assert taken.ok and len(full_builds) == 2
    without = pipeline.check(content, TODAY)
    assert [p.format() for p in taken.problems.sorted()] == [p.format() for p in without.problems.sorted()]
    assert not any("xh-cwgk-2025-5" in p.message for p in taken.problems.items)
    _same_as_clean(content, tmp_path)


def test_a_build_into_a_new_folder_takes_the_model_and_converts_no_text_again(
        content, full_builds, tmp_path, monkeypatch):
    """Every page is rendered (nothing to take over), so every text is needed: the conversions
    the last reading kept are fetched (model_snapshot.warm), not made again; the texts
    converted are those a build reading every file converts (a field's Markdown, such as an
    annual report's, is not kept), and the site is what a clean build writes. Each range of
    pages fetches only its own items' conversions and lets them go when done, and a build that
    read every file lets its own go before: the render workers inherit none, and no process
    holds them all (at 10,000 items, some 60 MB)."""
    from portal import build_pages, markup
    monkeypatch.setenv("PORTAL_JOBS", "1")          # pages rendered here, where conversions are seen
    converted: list[str] = []
    real = markup._prepared
    monkeypatch.setattr(markup, "_prepared", lambda text: converted.append(text) or real(text))
    inherited: list[int] = []                       # of the pages' texts, those converted when a range starts
    render_range = build_pages._render_range

    def watched_range(shared, span):
        inherited.append(sum(1 for p, _ in shared[4] if p.item is not None and p.item.body
                             and markup.has(p.item.body)))
        return render_range(shared, span)
    monkeypatch.setattr(build_pages, "_render_range", watched_range)

    def build_new(folder: str) -> tuple[list[str], list[int], set[str]]:
        markup.forget_all()
        converted.clear()
        inherited.clear()
        assert pipeline.build(content, tmp_path / folder, TODAY, cache=CACHE).ok
        return sorted(converted), list(inherited), set(markup.stored())
    taken, taken_inherited, taken_left = build_new("from-snapshot")
    assert full_builds == []
    model_snapshot.forget(CACHE, content)
    read, read_inherited, read_left = build_new("from-files")
    assert full_builds == [str(content)]
    bodies = {i.body for i in pipeline.check(content, TODAY).site.items.values() if i.body}
    assert taken == read and not bodies & set(taken)
    assert len(taken_inherited) > 1 and taken_inherited == read_inherited == [0] * len(taken_inherited)
    assert not bodies & (taken_left | read_left)
    assert clean_build(content, tmp_path / "clean", TODAY, tmp_path / "clean-cache").ok
    assert snapshot(tmp_path / "from-snapshot") == snapshot(tmp_path / "clean")


def test_a_summary_or_keywords_edit_takes_the_model_and_its_pages_and_shows_everywhere(
        content, full_builds, tmp_path):
    """Fields no part of the model reads (model_snapshot.SHOWN) change on the item the Site
    holds: the page shows the new summary, search finds the new keyword."""
    _replace(content, NOTICE, "summary: ", "summary: （更正）")
    guide = "bszn/gongzufang.md"
    _replace(content, guide, "- 公共租赁住房初审\n", "- 公租房资格初审\n")
    _replace(content, guide, "summary: 社区对公租房申请", "summary: 社区服务中心对公租房申请")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert full_builds == []
    assert "（更正）春节期间" in (Path("site") / PAGE).read_text(encoding="utf-8")
    assert "社区服务中心对公租房申请" in Path("site/bszn/gongzufang/index.html").read_text(encoding="utf-8")
    found = search_query.search(Path("site"), "/", "资格初审", "zh-Hans")
    assert found["top"][0]["url"] == "/bszn/gongzufang/"
    _same_as_clean(content, tmp_path)


_WATCH: tuple[list[bool], set[tuple[str, str]]] = ([False], set())     # watching now; (type, key) read


class _Watched(dict):
    """An item's fields, noting each key read while _WATCH says so (pickled as a dict)."""
    of = ""                                     # the item's type

    def _saw(self, k):
        if _WATCH[0][0]:
            _WATCH[1].add((self.of, k))

    def __getitem__(self, k):
        self._saw(k)
        return super().__getitem__(k)

    def get(self, k, default=None):
        self._saw(k)
        return super().get(k, default)

    def __contains__(self, k):
        self._saw(k)
        return super().__contains__(k)

    def __iter__(self):
        for k in super().__iter__():
            self._saw(k)
            yield k

    def items(self):
        return ((k, self[k]) for k in self)

    def values(self):
        return (self[k] for k in self)

    def __reduce__(self):
        return (dict, (dict(super().items()),))


def test_a_guides_materials_and_hours_edit_takes_the_model_and_shows_on_its_page(content, full_builds, tmp_path):
    guide = "bszn/gongzufang.md"
    _replace(content, guide, "- name: 收入证明\n", "- name: 近6个月收入证明\n")
    _replace(content, guide, "hours: 周一至周五 9:00-12:00", "hours: 周一至周六 9:00-12:00")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert full_builds == []
    page = Path("site/bszn/gongzufang/index.html").read_text(encoding="utf-8")
    assert "近6个月收入证明" in page and "周一至周六" in page
    _same_as_clean(content, tmp_path)


def test_no_part_of_the_model_or_its_page_lists_reads_a_field_an_edit_changes_in_place(tmp_path, monkeypatch):
    """model_snapshot.shown: fields the model never reads, of every item or of a type. Every
    field read of every item is watched while a Site is modelled and its pages listed (a
    document's own validation aside), and none of those but the title is read there, though
    other fields are."""
    from portal import content as content_module
    from portal import items, model

    watching, read = _WATCH
    read.clear()
    expose = items._expose

    def free(item) -> frozenset[str]:       # watched, the title too: the watch must see it read
        return model_snapshot.shown(item.type)

    def watched_expose(item):
        fields = _Watched(item.fields._d)
        fields.of = item.type
        object.__setattr__(item.fields, "_d", fields)
        expose(item)
        for k in free(item):
            item.__dict__.pop(k, None)          # read through __getattr__, below

    def attribute(item, k):
        if k in free(item) and k in item.fields._d:
            return item.fields._d[k]
        raise AttributeError(k)

    def watched(fn, on: bool):
        def run(*a, **k):
            was, watching[0] = watching[0], on
            try:
                return fn(*a, **k)
            finally:
                watching[0] = was
        return run
    monkeypatch.setenv("PORTAL_JOBS", "1")          # every item read in this process
    monkeypatch.setattr(items, "_expose", watched_expose)
    monkeypatch.setattr(items.Item, "__getattr__", attribute)
    monkeypatch.setattr(content_module, "build_model", watched(content_module.build_model, True))
    monkeypatch.setattr(pipeline, "site_pages", watched(pipeline.site_pages, True))
    monkeypatch.setattr(model, "validate_doc", watched(model.validate_doc, False))
    # results and disclosure records are copied with fields the model adds: such an item, read
    # again, is never like the one the Site holds, so an edit to it always builds the model again
    monkeypatch.setattr(model, "_with_defaults", watched(model._with_defaults, False))
    monkeypatch.setattr(model, "_place", watched(model._place, False))
    copy_sample(tmp_path / "content")
    result = pipeline.check(tmp_path / "content", TODAY)
    assert result.ok and len(result.page_list) > 400
    types = {t for t, _ in read}
    assert {"notice", "guide", "policy", "interpretation", "evaluation", "consultation"} <= types
    assert {("notice", "title"), ("guide", "title"), ("notice", "published")} <= read     # the watch sees
    assert not {(t, k) for t, k in read if k in model_snapshot.shown(t) - {"title"}}


def test_a_field_the_model_reads_or_a_new_file_builds_the_model_again(content, full_builds, tmp_path):
    _replace(content, NOTICE, "valid_until: '2026-02-24'", "valid_until: '2026-02-25'")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    (content / "tzgg/2026/2026-xin-tongzhi.md").write_text(
        "---\ntitle: 关于社区服务中心周末延时服务的通知\npublished: 2026-11-20 09:00\ncommunity: huanghe\nkind: 通知\n---\n"
        "周六上午照常办理社保、民政业务。\n", encoding="utf-8")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert len(full_builds) == 2
    assert "2026年2月25日" in (Path("site") / PAGE).read_text(encoding="utf-8")
    _same_as_clean(content, tmp_path)


def test_after_a_new_item_records_its_address_the_next_text_edit_takes_the_model(content, full_builds, tmp_path):
    """A new item's build writes its address to published-urls.txt, after reading that file:
    the model remembers the file as written, so the next edit does not read every file again."""
    (content / "tzgg/2026/2026-xin-tongzhi.md").write_text(
        "---\ntitle: 关于社区服务中心周末延时服务的通知\npublished: 2026-11-20 09:00\ncommunity: huanghe\nkind: 通知\n---\n"
        "周六上午照常办理社保、民政业务。\n", encoding="utf-8")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE, record_urls=True).ok
    assert "/tzgg/2026/2026-xin-tongzhi/" in (content / "published-urls.txt").read_text(encoding="utf-8").split()
    _append(content, "\n补充：周日休息。\n", "tzgg/2026/2026-xin-tongzhi.md")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE, record_urls=True).ok
    assert full_builds == [str(content)]
    _same_as_clean(content, tmp_path)
    (content / "tzgg/2026/2026-xin-tongzhi.md").unlink()      # its address is known: it may not vanish
    gone = pipeline.build(content, Path("site"), TODAY, cache=CACHE, record_urls=True)
    assert not gone.ok and any("/tzgg/2026/2026-xin-tongzhi/" in p.message for p in gone.problems.errors)


def test_a_text_that_now_holds_personal_data_is_refused_as_a_full_build_refuses_it(content, full_builds):
    _append(content, "\n联系人身份证号：11010519491231002X\n")
    taken = pipeline.build(content, Path("site"), TODAY, cache=CACHE)
    assert full_builds == [str(content)]
    without = pipeline.check(content, TODAY)                # no cache at all
    assert not taken.ok
    assert [p.format() for p in taken.problems.sorted()] == [p.format() for p in without.problems.sorted()]
    assert any(p.path.endswith(NOTICE) and "身份证" in p.message for p in taken.problems.errors)


def test_a_text_that_now_links_a_missing_page_is_reported_at_its_line(content, full_builds):
    _append(content, "\n详见[办事指南](/bszn/bu-cunzai/)。\n")
    taken = pipeline.build(content, Path("site"), TODAY, cache=CACHE)
    assert not taken.ok and full_builds == []          # the link check runs on the snapshot's site
    without = pipeline.check(content, TODAY)
    assert [p.format() for p in taken.problems.sorted()] == [p.format() for p in without.problems.sorted()]
    line = len((content / NOTICE).read_text(encoding="utf-8").split("\n")) - 1
    assert any(p.line == line and "/bszn/bu-cunzai/" in p.message for p in taken.problems.errors)


def test_a_text_that_now_links_a_file_publishes_it(content, full_builds, tmp_path):
    (content / "files").mkdir(exist_ok=True)
    (content / "files" / "zhiban-biao.pdf").write_bytes(b"%PDF-1.4\n% sample\n")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok       # a new file: full
    _append(content, "\n值班表：[下载](/files/zhiban-biao.pdf)\n")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert len(full_builds) == 2                    # the files it publishes changed: full
    assert (Path("site") / "files" / "zhiban-biao.pdf").is_file()
    _same_as_clean(content, tmp_path)


def test_another_day_or_a_damaged_snapshot_builds_the_model_again(content, full_builds):
    _append(content, "\n补充。\n")
    assert pipeline.build(content, Path("site"), TODAY + dt.timedelta(days=1), cache=CACHE).ok
    assert full_builds == [str(content)]
    model_snapshot.snapshot_file(CACHE, content).write_bytes(b"\x80\x05damaged")
    _append(content, "\n再补充。\n")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert len(full_builds) == 2
    assert "再补充" in (Path("site") / PAGE).read_text(encoding="utf-8")


def test_build_py_writes_the_snapshot_after_it_returns_and_the_next_text_edit_uses_it(content, tmp_path):
    """`build.py build` leaves the writing of the model to a process of its own (the site is
    live before it is written); once written, a clerk's next text edit is built without the
    model (no "model" stage in PORTAL_TIMINGS) and shows."""
    import os
    import subprocess
    import sys
    import time

    from sampletools import ROOT
    snap = model_snapshot.snapshot_file(CACHE, content)
    snap.unlink()
    env = {**os.environ, "PORTAL_TIMINGS": "1"}

    def build() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "site",
                               "--today", TODAY.isoformat()], capture_output=True, text=True, env=env, timeout=300)
    first = build()
    assert first.returncode == 0, first.stderr
    assert "model" in first.stderr.split("stages:")[1].split("\n")[0]
    deadline = time.monotonic() + 60
    while not snap.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert snap.is_file()
    _append(content, "\n补充：节日期间急事请拨打社区服务中心值班电话。\n")
    second = build()
    assert second.returncode == 0, second.stderr
    assert "model" not in second.stderr.split("stages:")[1].split("\n")[0]
    assert "节日期间急事" in (Path("site") / PAGE).read_text(encoding="utf-8")


def test_after_many_text_edits_the_snapshot_is_written_again(content, full_builds, monkeypatch):
    """Every build reads again each file changed since the snapshot: past RENEW of them, a
    build from the snapshot writes it again, and the next build reads none."""
    notices = sorted(content.glob("tzgg/*/*.md"))[:model_snapshot.RENEW + 1]
    for n, notice in enumerate(notices):
        _append(content, f"\n第{n}条补充。\n", str(notice.relative_to(content)))
    read = files_read(monkeypatch)
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert len(read) == len(notices) and full_builds == []
    read.clear()
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert read == [] and full_builds == []


def test_a_model_that_cannot_be_written_only_costs_time(content, full_builds, monkeypatch):
    """A full disk, or a value a later version puts in the Site that pickle refuses: the build
    still writes the site; the next build reads everything."""
    def refuse(path, data):
        raise TypeError("cannot pickle 'generator' object")
    _replace(content, NOTICE, "valid_until: '2026-02-24'", "valid_until: '2026-02-25'")     # a full build
    with monkeypatch.context() as m:
        m.setattr(model_snapshot, "write_atomic", refuse)
        assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert "2026年2月25日" in (Path("site") / PAGE).read_text(encoding="utf-8")
    assert not model_snapshot.snapshot_file(CACHE, content).exists()
    _append(content, "\n补充。\n")
    assert pipeline.build(content, Path("site"), TODAY, cache=CACHE).ok
    assert len(full_builds) == 2


def test_an_item_taken_over_shows_the_new_values_and_no_field_it_no_longer_has():
    from portal.items import Item, Record, take_over
    old = Item("annual_report", "2025", "ndbg/2025.yaml", "content/ndbg/2025.yaml",
               Record({"title": "2025年年度报告", "year": 2025}), body="旧正文")
    new = Item("annual_report", "2025", "ndbg/2025.yaml", "content/ndbg/2025.yaml", Record({"year": 2025}),
               body="新正文")
    take_over(old, new)
    assert old.body == "新正文" and old.year == 2025 and "title" not in old.fields
    with pytest.raises(AttributeError):
        old.title  # noqa: B018 - the attribute itself is what is tested
