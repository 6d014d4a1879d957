"""The shipped deployment, run for real (issue 13): Debian's nginx with deploy/nginx/shequ.conf
and gunicorn with deploy/gunicorn.conf.py, on loopback. Through them: the portal and a survey
work; every resident has their own rate limit (residents are distinct loopback addresses,
127.0.0.2, 127.0.0.3…, so nginx sees each as the real client); the security and caching headers
are sent; a load of submissions is stored exactly as acknowledged with no 5xx; and rebuilds
during a stream of requests never serve a 404, a half-written or a mixed page.

Only the lines the configuration marks SITE are changed (ports, the site's path, the snippet's
place), and the test fails if one of them is no longer there."""
from __future__ import annotations

import concurrent.futures as cf
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sampletools import copy_sample

from portal.headers import SECURITY_HEADERS

pytestmark = pytest.mark.slow(seconds=40)    # started first, longest first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SID = "fwzx-myd-2026"
TODAY = "2026-11-24"


def free_ports(n: int) -> list[int]:
    """n different free ports (held together while chosen, so never the same one twice)."""
    held = [socket.socket() for _ in range(n)]
    try:
        for s in held:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def wait_for(port: int, path: str = "/", timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _, _ = get(port, path)
            if status < 500:
                return
        except (OSError, http.client.HTTPException):    # not up yet (or a TCP self-connect to a closed port)
            pass
        time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port}")


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            source: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection, from `source` (a resident's loopback address) if given."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                      source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def get(port: int, path: str, **kw):
    return request(port, "GET", path, **kw)


def nginx_conf(tmp: Path, site: Path, port: int, upstream: int) -> Path:
    """The shipped server block with its SITE lines pointed at this test's ports and folders."""
    conf = (DEPLOY / "nginx" / "shequ.conf").read_text(encoding="utf-8")
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"),
                     ("root /srv/shequ/site;", f"root {site};"),
                     ("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstream};"),
                     ("include snippets/shequ-security-headers.conf;",
                      f"include {DEPLOY / 'nginx' / 'security-headers.conf'};")):
        assert old in conf, f"deploy/nginx/shequ.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    (tmp / "shequ.conf").write_text(conf, encoding="utf-8")
    main = tmp / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""       # workers read the test's private tmp folder
    main.write_text(f"""{user}
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
    include {tmp}/shequ.conf;
}}
""", encoding="utf-8")
    return main


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    if NGINX is None:
        pytest.skip("没有 nginx：以 root 运行 make test 时会用 apt 安装 nginx-light；"
                    "否则请先 sudo apt-get install -y nginx-light")
    tmp = tmp_path_factory.mktemp("deploy")
    content = copy_sample(tmp / "content")
    site = tmp / "site"
    py = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
    build = [py, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(site), "--today", TODAY]
    subprocess.run(build, check=True, capture_output=True, cwd=ROOT)
    port, upstream = free_ports(2)
    env = {**os.environ, "SHEQU_BIND": f"127.0.0.1:{upstream}", "SHEQU_WORKERS": "2",
           "SURVEY_DB": str(tmp / "data" / "survey.db"), "SURVEY_CONTENT": str(content),
           "SURVEY_TRUSTED_PROXIES": "1", "SECRET_KEY": "deploy-test-secret", "SURVEY_TODAY": TODAY,
           "SURVEY_RATELIMIT": "3/minute", "SURVEY_MIN_SECONDS": "0"}
    gunicorn = subprocess.Popen([str(Path(py).parent / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"),
                                 "survey:create_app()"], cwd=ROOT, env=env,
                                stdout=(tmp / "gunicorn.log").open("wb"), stderr=subprocess.STDOUT)
    conf = nginx_conf(tmp, site, port, upstream)
    checked = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                             stderr=(tmp / "nginx.out").open("wb"))
    try:
        wait_for(upstream, "/survey/healthz")
        wait_for(port, "/")
        yield {"port": port, "tmp": tmp, "content": content, "site": site, "build": build,
               "db": tmp / "data" / "survey.db"}
    finally:
        nginx.terminate()
        gunicorn.terminate()
        for p in (nginx, gunicorn):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def answers(port: int) -> bytes:
    status, _, body = get(port, f"/survey/api/{SID}")
    assert status == 200
    definition = json.loads(body)
    sys.path.insert(0, str(ROOT / "bench"))
    from survey_load import CONTEXT, answers_for
    return json.dumps({"answers": answers_for(definition), "context": CONTEXT}).encode()


def submit(port: int, body: bytes, source: str, headers: dict | None = None) -> tuple[int, bytes]:
    status, _, reply = request(port, "POST", f"/survey/api/{SID}/responses", body,
                               {"Content-Type": "application/json", **(headers or {})}, source=source)
    return status, reply


def test_the_portal_and_a_survey_work_through_nginx_with_the_headers(deployed):
    port = deployed["port"]
    status, headers, body = get(port, "/")
    assert status == 200 and "小河区" in body.decode("utf-8")
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == value, name
    assert headers["cache-control"] == "no-cache"
    css = re.search(rb'href="(/static/portal\.[0-9a-f]+\.css)"', body)[1].decode()
    status, headers, _ = get(port, css)
    assert status == 200 and "immutable" in headers["cache-control"]
    assert headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    status, headers, body = get(port, "/zh-hant/")
    assert status == 200 and 'lang="zh-Hant"' in body.decode("utf-8")
    status, headers, body = get(port, "/no/such/page/")
    assert status == 404 and "content-security-policy" in headers and "<html" in body.decode("utf-8")
    status, headers, body = get(port, f"/survey/{SID}/")          # the form, from gunicorn
    assert status == 200 and "<form" in body.decode("utf-8")
    assert headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]   # once, not twice
    status, headers, _ = get(port, f"/zh-hant/survey/{SID}/")
    assert status == 200
    status, reply = submit(port, answers(port), "127.0.0.250")
    assert status == 201
    receipt = json.loads(reply)["receipt"]
    status, _, body = get(port, f"/survey/track/{receipt}")
    assert status == 200 and receipt in body.decode("utf-8")


def test_each_resident_behind_nginx_has_their_own_limit(deployed):
    port, body = deployed["port"], answers(deployed["port"])
    residents = [f"127.0.0.{n}" for n in range(2, 42)]             # 40 residents, one nginx
    with cf.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda src: submit(port, body, src)[0], residents))
    assert statuses == [201] * 40
    first = residents[0]
    assert [submit(port, body, first)[0] for _ in range(2)] == [201, 201]   # 3/minute each
    assert submit(port, body, first)[0] == 429
    forged = submit(port, body, first, {"X-Forwarded-For": "198.51.100.77"})
    assert forged[0] == 429                                         # what a client writes is not trusted
    assert submit(port, body, residents[1])[0] == 201               # the neighbour is not locked out


def test_a_load_through_nginx_is_stored_exactly_as_acknowledged(deployed):
    port, body = deployed["port"], answers(deployed["port"])

    def one(n: int):
        started = time.perf_counter()
        status, reply = submit(port, body, f"127.1.{n // 3 // 250}.{n // 3 % 250 + 1}")   # 3 per resident
        return status, time.perf_counter() - started, json.loads(reply).get("receipt") if status == 201 else None

    started = time.perf_counter()
    with cf.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(600)))
    wall = time.perf_counter() - started
    acknowledged = {r[2] for r in results if r[0] == 201}
    assert [r[0] for r in results if r[0] != 201] == []              # no 5xx, no 429 either
    with sqlite3.connect(f"file:{deployed['db']}?mode=ro", uri=True) as db:
        stored = {row[0] for row in db.execute("SELECT receipt FROM responses")}
    assert acknowledged <= stored and len(acknowledged) == 600
    latencies = sorted(r[1] for r in results)
    print(f"\nthrough nginx: {600 / wall:.0f} responses/s, p50 {1000 * statistics.median(latencies):.1f} ms, "
          f"p95 {1000 * latencies[int(0.95 * len(latencies))]:.1f} ms, 600 acknowledged = 600 stored, 0 5xx")


class Stream:
    """Readers requesting pages in a loop, noting any non-200, any page cut short and any page
    whose assets are missing (a page of one generation served with another's files)."""

    def __init__(self, port: int):
        self.port, self.count = port, 0
        self.problems: list[str] = []
        self.stop = threading.Event()

    def run(self, paths: list[str]) -> None:
        try:
            while not self.stop.is_set():
                for path in paths:
                    self.check(path)
        except Exception as e:                                      # noqa: BLE001 - reported by the test
            self.problems.append(repr(e))

    def check(self, path: str) -> None:
        status, _, body = get(self.port, path)
        self.count += 1
        text = body.decode("utf-8", "replace")
        if status != 200:
            self.problems.append(f"{path}: {status}")
        elif path.endswith("/") and not text.rstrip().endswith("</html>"):
            self.problems.append(f"{path}: cut short")
        elif path.endswith("/"):
            for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', text):
                if get(self.port, asset)[0] != 200:
                    self.problems.append(f"{path}: {asset} missing")


def rebuild(deployed, templates: Path) -> None:
    """`build.py build` as the shequ-build unit runs it, with this test's copy of the templates."""
    code = ("import datetime as dt, sys; from pathlib import Path; from portal import pipeline, version; "
            "r = pipeline.build(Path(sys.argv[1]), Path(sys.argv[2]), dt.date(2026, 11, 24), templates=Path(sys.argv[3])); "
            "sys.exit(0 if r.ok else 1)")
    done = subprocess.run([deployed["build"][0], "-c", code, str(deployed["content"]), str(deployed["site"]),
                           str(templates)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_rebuilds_during_a_stream_of_requests_serve_no_404_and_no_mixed_page(deployed):
    port, content = deployed["port"], deployed["content"]
    notice = sorted(content.glob("tzgg/*/*.md"))[-1]
    pages = ["/", "/tzgg/", "/zh-hant/", "/bszn/", "/sitemap.xml", "/feed.xml",
             f"/tzgg/{notice.parent.name}/{notice.stem}/", f"/zh-hant/tzgg/{notice.parent.name}/{notice.stem}/"]
    stream = Stream(port)
    threads = [threading.Thread(target=stream.run, args=(pages[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    original = notice.read_text(encoding="utf-8")
    templates = deployed["tmp"] / "templates"
    shutil.copytree(ROOT / "templates", templates, dirs_exist_ok=True)
    try:
        for k in range(3):
            notice.write_text(original.replace("title: ", f"title: 修订{k} ", 1), encoding="utf-8")
            rebuild(deployed, templates)
            time.sleep(0.3)
        # A build that changes every page and the stylesheet's fingerprint: old pages must never
        # be served with the new generation's assets or the other way round.
        css = templates / "static" / "portal.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* deploy test */\n", encoding="utf-8")
        rebuild(deployed, templates)
        time.sleep(0.3)
    finally:
        stream.stop.set()
        for t in threads:
            t.join(timeout=60)
        notice.write_text(original, encoding="utf-8")
    print(f"\n{stream.count} requests during 4 rebuilds")
    assert stream.count > 20
    assert stream.problems == []
    page = f"/tzgg/{notice.parent.name}/{notice.stem}/"
    assert "修订2" in get(port, page)[2].decode("utf-8")
