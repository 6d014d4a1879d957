"""Checks on pages as a browser was served them (a visit's HTML kept, then checked apart from
the visit): axe in a page that gets that HTML back, and the Nu HTML Checker on the files."""
from __future__ import annotations

import subprocess
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from .conftest import VNU
from .test_accessibility import WCAG_21_AA


def axe_report(page, url: str, html: bytes) -> tuple[int, str]:
    """(violations, report) for `html` served at `url` (its scripts and styles fetched as usual)."""
    page.route("**/*", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
               if route.request.resource_type == "document" else route.continue_())
    page.goto(url)
    results = Axe().run(page, options=WCAG_21_AA)
    return results.violations_count, results.generate_report()


def nu_errors(java: str, folder: Path, pages: dict[str, bytes]) -> tuple[int, str]:
    """(exit code, errors) of the Nu HTML Checker over the pages, written as <name>.html."""
    for name, html in pages.items():
        (folder / f"{name}.html").write_bytes(html)
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", str(folder)],
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stderr.strip()
