"""The build as a pipeline of named stages: load → validate/model → pages → render → write."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import checks
from .load import load_tree
from .model import Site, build_model
from .pages import site_pages
from .problems import Problems
from .render import fingerprint, make_env, render_page
from .write import atomic_output

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
CHINA = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has had no DST since 1991


def china_today() -> dt.date:
    return dt.datetime.now(CHINA).date()


@dataclass
class Result:
    site: Site | None
    problems: Problems
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def check(content: Path, today: dt.date) -> Result:
    """Load, validate and model the content; write nothing."""
    tree = load_tree(content)
    site, problems = build_model(tree, today)
    checks.run(site, problems, site.calendar)
    return Result(site, problems)


def build(content: Path, out: Path, today: dt.date, templates: Path = TEMPLATES) -> Result:
    """Check, then render every page into `out` atomically. Content errors write nothing."""
    result = check(content, today)
    if not result.ok:
        return result
    site = result.site
    static = fingerprint(templates / "static")
    env = make_env(templates, {name: url for name, (url, _) in static.items()})
    pages = site_pages(site)
    urls = [p.url for p in pages]
    duplicates = sorted({u for u in urls if urls.count(u) > 1})
    for u in duplicates:
        result.problems.error("content", 1, "", "", f"两个内容生成了同一个网址 {u}，请修改其中一个的文件名")
    if duplicates:
        return result
    with atomic_output(out) as output:
        for page in pages:
            output.write(page.output, render_page(page, site, env))
        for _, (url, data) in sorted(static.items()):
            output.write(url.lstrip("/"), data)
        for rel in sorted(site.files):
            if rel.startswith("files/"):
                output.write(rel, (content / rel).read_bytes())
        for key in sorted(site.ledgers):
            rel = site.items[key].fields["data"]
            output.write(f"data/{rel}", (content / rel).read_bytes())
    result.pages = len(pages)
    return result
