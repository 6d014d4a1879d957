"""The shipped deployment files agree with the code: nginx sends exactly the security headers
of portal/headers.py, the gunicorn settings load, and the systemd units run what exists."""
from __future__ import annotations

import re
import runpy
from pathlib import Path

from portal.headers import SECURITY_HEADERS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_nginx_sends_the_same_security_headers_as_the_service():
    text = (DEPLOY / "nginx" / "security-headers.conf").read_text(encoding="utf-8")
    sent = dict(re.findall(r'^add_header ([\w-]+) "([^"]*)" always;$', text, re.M))
    assert sent == SECURITY_HEADERS


def test_every_static_location_includes_the_headers():
    conf = (DEPLOY / "nginx" / "shequ.conf").read_text(encoding="utf-8")
    for block in re.findall(r"location [^{]+\{[^}]*\}", conf):
        proxied = "proxy_pass" in block
        assert proxied != ("shequ-security-headers.conf" in block), block     # the service sends its own


def test_gunicorn_settings_load_and_follow_the_environment(monkeypatch):
    monkeypatch.setenv("SHEQU_BIND", "127.0.0.1:9999")
    monkeypatch.setenv("SHEQU_WORKERS", "3")
    cfg = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert cfg["bind"] == "127.0.0.1:9999" and cfg["workers"] == 3 and cfg["worker_class"] == "sync"


def test_systemd_units_run_what_the_project_ships():
    units = {p.name: p.read_text(encoding="utf-8") for p in (DEPLOY / "systemd").iterdir()}
    assert "gunicorn -c /srv/shequ/deploy/gunicorn.conf.py" in units["shequ-survey.service"]
    assert "build.py build" in units["shequ-build.service"]
    assert "flask --app survey backup" in units["shequ-backup.service"]
    assert "SURVEY_TRUSTED_PROXIES=1" in units["shequ.env"]
    for name in ("shequ-build.path", "shequ-build.timer", "shequ-backup.timer"):
        assert "[Install]" in units[name]
