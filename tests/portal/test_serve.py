"""`python build.py serve`: rebuilds on change, and a broken edit keeps the last good site."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                             "--out", str(tmp_path / "site"), "--port", str(port),
                             "--today", "2026-11-24"],
                            stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _get(base + "/")[0] == 200, what="the preview server")
        yield base, content, tmp_path / "serve.log"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_serve_rebuilds_on_change_and_keeps_last_good_site_on_error(server):
    base, content, log = server
    notice = next((content / "tzgg").rglob("*.md"))
    url = base + "/tzgg/"
    assert "测试通知" in _get(url)[1]

    notice.write_text(notice.read_text(encoding="utf-8").replace("测试通知", "改过的通知"),
                      encoding="utf-8")
    _wait_for(lambda: "改过的通知" in _get(url)[1], what="the rebuild after a good edit")

    notice.write_text(notice.read_text(encoding="utf-8").replace("kind: 公示", "kind: 公函"),
                      encoding="utf-8")
    _wait_for(lambda: "构建失败" in log.read_text(encoding="utf-8"), what="the failed rebuild")
    text = log.read_text(encoding="utf-8")
    assert "错误: kind（类别）" in text and "Traceback" not in text
    status, body = _get(url)
    assert status == 200 and "改过的通知" in body


def test_serve_answers_unknown_paths_with_the_404_page(server):
    base, _, _ = server
    status, body = _get(base + "/no/such/page/")
    assert status == 404 and "页面不存在" in body


def test_a_browser_that_drops_its_waiting_request_leaves_no_traceback_in_the_terminal(server):
    """A tab closed (or reloaded) while the preview holds its long poll: the server's answer
    finds the connection gone. Staff read that terminal for build messages only."""
    base, content, log = server
    host, port = base.removeprefix("http://").split(":")
    for _ in range(3):
        with socket.create_connection((host, int(port))) as s:
            s.sendall(b"GET /__preview__/wait?version=-1&errors=0 HTTP/1.1\r\nHost: x\r\n\r\n")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    first = next((content / "tzgg").rglob("*.md"))
    first.write_text(first.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    _wait_for(lambda: log.read_text(encoding="utf-8").count("已重新生成") >= 2, what="the rebuild")
    time.sleep(0.5)                       # the answers to the dropped requests are sent now
    assert "Traceback" not in log.read_text(encoding="utf-8")
