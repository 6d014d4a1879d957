"""Real-browser fixtures: the sample site built once, served on loopback, and Debian's
Chromium driven by Playwright (never a downloaded browser)."""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from sampletools import sample

from portal import pipeline
from portal.serve import StaticHandler

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-dev-shm-usage"]
VNU = ROOT / ".cache" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = pipeline.build(sample(), out, dt.date(2026, 11, 24))
    assert result.ok, "\n".join(result.problems.lines())
    return out


@pytest.fixture(scope="session")
def base_url(site_dir):
    handler = functools.partial(StaticHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    # Playwright's string predicates (wait_for_function) run through eval, which the sites' CSP
    # forbids: these contexts bypass it; test_security_headers.py runs the pages under it.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 640},
                                  device_scale_factor=2, is_mobile=True, has_touch=True, bypass_csp=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, bypass_csp=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def java():
    java = shutil.which("java")
    if not java or not VNU.exists():
        pytest.fail("the Nu HTML Checker needs java and .cache/node/node_modules/vnu-jar (`make test` installs it)")
    return java


SURVEY_STAFF = ("demo", "demo password 123")


@pytest.fixture(scope="session")
def survey_server(site_dir, tmp_path_factory):
    """The real survey service on loopback, CSRF on, serving the built site at /: (url, app).
    One SQLite file for the session, so tests count responses rather than assume an empty table."""
    from werkzeug.serving import make_server

    from survey import create_app
    db = tmp_path_factory.mktemp("survey") / "survey.db"
    app = create_app({"SURVEY_DB": str(db), "SURVEY_CONTENT": str(sample()),
                      "SURVEY_SITE": str(site_dir), "SURVEY_TODAY": "2026-11-24",
                      "SECRET_KEY": "browser-test-secret", "SURVEY_RATELIMIT": "off",
                      "SURVEY_LOGIN_RATELIMIT": "off", "SURVEY_MIN_SECONDS": 0})
    name, password = SURVEY_STAFF
    made = app.test_cli_runner().invoke(args=["create-admin", name, "--password-stdin"], input=password + "\n")
    assert made.exit_code == 0, made.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def survey_url(survey_server) -> str:
    return survey_server[0]
