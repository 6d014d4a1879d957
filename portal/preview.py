"""The local preview behind `build.py serve` and `make run`: the site rebuilt in memory as
staff save files, only what changed written out, the page in the browser reloading itself
when the edit lands, and a broken edit shown over the last good site as a list of errors
(file, line, what to do) until it is fixed.

The reload script is added by the preview's web server to the pages it serves; it is never
in the built site. It waits on /__preview__/wait (a long poll: the server answers when the
build version changes or after WAIT seconds) and either reloads or shows the errors.
"""
from __future__ import annotations

import datetime as dt
import gc
import html
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import build_state, clock, pipeline, timings

PREFIX = "/__preview__/"
WAIT = 25.0                           # seconds a long poll is held open
SETTLE = 0.01                         # after a file event, let the editor finish saving (a later event builds again)
SCRIPT_TAG = f'<script src="{PREFIX}client.js" defer></script>'.encode()


def port_free(host: str, port: int) -> str:
    """"" when the preview can listen on (host, port), else what to tell staff (in Chinese,
    before anything else is printed)."""
    import errno
    import os
    import socket
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            if os.name == "posix":      # as the server will: a port left in TIME_WAIT by the last preview is free
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            return (f"端口 {port} 已被占用：可能已经有一个预览（make run 或 build.py serve）在运行，"
                    f"请先在原来的窗口按 Ctrl+C 关闭它，或换一个端口，例如 make run PORT={port + 1}")
        return f"无法在 {host}:{port} 上启动预览（{e.strerror}），请换一个端口，例如 make run PORT={port + 1}"
    return ""


class Preview:
    """One content folder built into one output folder, again after every change."""

    def __init__(self, content: Path, out: Path, today: dt.date | None = None,
                 cache: Path | None = build_state.CACHE, say: Callable[[str], None] = print):
        self.content, self.out, self.today, self.cache, self.say = content, out, today, cache, say
        self.session = pipeline.Session()
        self.version = 0                          # successful builds so far
        self.errors: list[str] = []               # the last build's errors ([] when it built)
        self.changed = threading.Condition()
        self.building = threading.Lock()
        self.seen = Changes()

    def rebuild(self, changed: set[str] | None = None) -> bool:
        """Build now; tell waiting browsers. Returns whether the site was updated. `changed`:
        the files below content/ the watcher saw change since the last build (None: look at
        every file)."""
        with self.building:
            self.session.reads.changed = changed
            started = time.perf_counter()
            result = pipeline.build(self.content, self.out, self.today or clock.today(), preview=True,
                                    cache=self.cache, session=self.session)
            took = time.perf_counter() - started
            timings.report()
        for line in result.problems.lines():
            self.say(line)
        with self.changed:
            if result.ok:
                self.version += 1
                self.errors = []
            else:
                self.errors = [p.format() for p in result.problems.sorted() if p.is_error]
            self.changed.notify_all()
        if result.ok:
            self.say(f"[{clock.now():%H:%M:%S}] 已重新生成 {result.pages} 个页面（{took:.2f} 秒）")
        else:
            self.say(f"[{clock.now():%H:%M:%S}] 构建失败，继续显示上一次成功的网站；错误已显示在浏览器中。")
        _settle_memory()
        return result.ok

    def status(self) -> dict:
        return {"version": self.version, "errors": self.errors}

    def wait(self, version: int, errors: int, timeout: float = WAIT) -> dict:
        """The status once it differs from what the browser has (`version`, number of
        `errors`), or after `timeout` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version or len(self.errors) != errors, timeout)
            return self.status()

    def watch_in_background(self) -> threading.Event:
        """Watch content/ and the templates, rebuilding in a daemon thread after every change,
        until the returned event is set. The watches are in place when this returns: a file
        saved from then on is seen, however late the thread gets to run (start watching
        before the first build, and nothing saved during it is missed)."""
        stop, events = threading.Event(), threading.Event()
        try:
            observer = _observer([self.content, pipeline.TEMPLATES], events, self.seen.note_for(self.content))
        except OSError as e:        # the system's limit of watched folders (Linux inotify), a folder gone
            self.say(f"无法监视内容文件夹的变化（{e.strerror or e}），修改内容后网站不会自动重新生成："
                     "请在修改后按 Ctrl+C 退出并重新运行。")
            return stop
        threading.Thread(target=self._rebuild_on, args=(events, stop, observer), daemon=True).start()
        return stop

    def _rebuild_on(self, events: threading.Event, stop: threading.Event, observer: Any) -> None:
        """Rebuild after each change `observer` (a started watchdog Observer) reports, until `stop`."""
        try:
            while not stop.is_set():
                if events.wait(0.5):
                    time.sleep(SETTLE)
                    events.clear()
                    self.rebuild(self.seen.take())
        finally:
            observer.stop()


class Changes:
    """The files below content/ the watcher saw change, by path relative to it, until a build
    takes them; unknown (None) after a folder was created, moved or removed, and at first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rels: set[str] | None = None

    def take(self) -> set[str] | None:
        with self._lock:
            rels, self._rels = self._rels, set()
            return rels

    def note_for(self, content: Path) -> Callable[[str, bool], None]:
        root = os.path.abspath(content)

        def note(path: str, is_folder: bool) -> None:
            try:
                rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
            except ValueError:                          # another drive (Windows): not below content/
                return
            if rel.startswith("../") or rel == "..":
                return                                  # a template: not a content file
            with self._lock:
                if is_folder:
                    self._rels = None
                elif self._rels is not None and not any(part.startswith(".") for part in rel.split("/")):
                    self._rels.add(rel)
        return note


def _settle_memory() -> None:
    """After a build is served: collect its garbage now, while nobody waits, and put what
    lives on (the session: files read, pages built) out of the collector's way, so the
    collections during the next edit's build walk only that build's new objects."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _observer(roots: list[Path], events: threading.Event, note: Callable[[str, bool], None] | None = None):
    """File-system notifications (inotify, FSEvents, ReadDirectoryChangesW via watchdog): no
    polling while nothing changes. `note(path, is_folder)` hears of every path changed (a
    folder's own modification time aside: its files report themselves)."""
    from watchdog import events as ev
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            if note is not None and not (event.is_directory and event.event_type == "modified"):
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        note(str(path), event.is_directory)
            # A file saved by rename (editors, `公布结果`) arrives as a move from a hidden
            # temporary name: the name it is moved to is the one that counts.
            for path in (event.src_path, getattr(event, "dest_path", "")):
                name = Path(str(path)).name
                if name and not name.startswith(".") and not name.endswith(("~", ".swp", ".tmp")):
                    events.set()

    # Only changes are asked for: the build itself opens and reads content files (attachments,
    # ledgers) and templates, and every such open would otherwise be an event handled in
    # Python while the build runs.
    wanted = [ev.FileCreatedEvent, ev.FileModifiedEvent, ev.FileDeletedEvent, ev.FileMovedEvent,
              ev.FileClosedEvent, ev.DirCreatedEvent, ev.DirDeletedEvent, ev.DirMovedEvent, ev.DirModifiedEvent]
    observer = Observer()
    for root in roots:
        if root.is_dir():
            observer.schedule(Changed(), str(root), recursive=True, event_filter=wanted)
    observer.daemon = True
    observer.start()
    return observer


def inject(page: bytes) -> bytes:
    """An HTML page as the preview serves it: with the reload script."""
    at = page.rfind(b"</body>")
    return page if at < 0 else page[:at] + SCRIPT_TAG + page[at:]


def answer(path: str, query: dict[str, str], preview: Preview) -> tuple[int, str, bytes] | None:
    """The preview's own URLs: (status, content type, body), or None for any other path."""
    if path == PREFIX + "client.js":
        return 200, "text/javascript; charset=utf-8", CLIENT.encode("utf-8")
    if path == PREFIX + "wait":
        try:
            version, errors = int(query.get("version", "-1")), int(query.get("errors", "0"))
        except ValueError:
            version, errors = -1, 0
        body = preview.wait(version, errors)
        body["html"] = overlay(body["errors"])
        return 200, "application/json; charset=utf-8", json.dumps(body, ensure_ascii=False).encode("utf-8")
    return None


def overlay(errors: list[str]) -> str:
    """The errors panel shown over the last good site."""
    if not errors:
        return ""
    items = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
    return (f'<div class="preview-errors-box"><h2>内容有 {len(errors)} 处错误，网站暂未更新</h2>'
            '<p>下面列出的是出错的文件、行号和修改方法。改好并保存文件后，本页会自动刷新；'
            '在此之前，网站显示的是上一次生成成功的内容。</p>'
            f'<ol>{items}</ol><button type="button" data-preview-close>暂时关闭提示</button></div>')


CLIENT = """/* The preview's reload script (portal/preview.py): never part of the built site. */
(function () {
  "use strict";
  var version = null, errors = 0, box = null;
  function show(html) {
    if (!html) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "preview-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:9999;overflow:auto;background:rgba(20,20,20,.6);" +
        "padding:1rem;font-size:1rem;line-height:1.6";
      document.body.appendChild(box);
    }
    box.innerHTML = html;
    var inner = box.firstChild;
    inner.style.cssText = "background:#fff;color:#1a1a1a;max-width:52rem;margin:2rem auto;padding:1rem 1.5rem;" +
      "border-left:8px solid #a4262c;font-family:inherit";
    var close = box.querySelector("[data-preview-close]");
    if (close) { close.addEventListener("click", function () { box.remove(); box = null; }); }
  }
  function poll() {
    var url = "/__preview__/wait?version=" + (version === null ? -1 : version) + "&errors=" + errors;
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (version !== null && s.version !== version) { location.reload(); return; }
      version = s.version;
      errors = s.errors.length;
      show(s.html);
      poll();
    }).catch(function () { setTimeout(poll, 2000); });
  }
  if (window.fetch) { poll(); }
}());
"""
