"""The preview (`build.py serve`, `make run`) in a real browser: an edit reloads the open page
by itself, a broken edit shows its errors over the last good site until it is fixed, and the
reload script is never part of the built site."""
from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest

from portal.preview import PREFIX, Preview
from portal.serve import preview_server

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"


@pytest.fixture
def preview(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    pv = Preview(content, tmp_path / "site", dt.date(2026, 11, 24), cache=tmp_path / "cache", say=lambda _: None)
    assert pv.rebuild()
    stop = pv.watch_in_background()
    httpd = preview_server(pv, tmp_path / "site", "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", content, pv
    stop.set()
    httpd.shutdown()


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_saved_edit_reloads_the_open_page_and_a_broken_one_shows_its_errors(page, preview):
    base, content, pv = preview
    notice = content / "tzgg" / "2026" / "n1.md"
    page.goto(base + "/tzgg/")
    page.wait_for_function("document.querySelector('script[src=\"/__preview__/client.js\"]') !== null")
    assert "测试通知" in page.locator("main").inner_text()

    with page.expect_navigation(timeout=10000):           # the page reloads itself
        edit(notice, "测试通知", "改过的通知")
    assert "改过的通知" in page.locator("main").inner_text()

    edit(notice, "kind: 公示", "kind: 公函")
    box = page.locator("#preview-errors")
    box.wait_for(timeout=10000)
    text = box.inner_text()
    assert "内容有 1 处错误，网站暂未更新" in text and "n1.md" in text and "kind（类别）" in text
    assert "改过的通知" in page.locator("main").inner_text()      # the last good site underneath

    with page.expect_navigation(timeout=10000):
        edit(notice, "kind: 公函", "kind: 公示")
    assert page.locator("#preview-errors").count() == 0


def test_the_built_site_never_carries_the_reload_script(preview):
    _, _, pv = preview
    for p in pv.out.rglob("*"):
        if p.is_file() and p.suffix in (".html", ".js", ".xml"):
            assert PREFIX.encode() not in p.read_bytes(), p
