"""The Jinja environment and filters. Rendering a page is a pure function of (page, site)."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import schema, version
from .markup import lead, to_html
from .model import Site
from .page_model import Page
from .phone_html import for_phones
from .rates import count_name
from .site_identity import footer
from .urls import item_url

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def cn_date(value) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_time(value) -> str:
    """A reader's date with its time where there is one: 2026年11月16日 09:00."""
    if isinstance(value, dt.datetime):
        return f"{cn_date(value)} {value:%H:%M}"
    return cn_date(value)


def iso_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def rfc3339(value) -> str:
    """Atom dates: content times are Beijing time (UTC+8)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.strftime("%Y-%m-%dT%H:%M:00+08:00")


def filesize(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def make_env(template_dir: Path, assets: dict[str, str], cache: Path | None = None) -> Environment:
    """The templates' environment. With a `cache` folder, compiled templates are kept below it
    (template_cache): a build then compiles only the templates changed since the last one."""
    env = Environment(loader=FileSystemLoader(str(template_dir)),
                      autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, bytecode_cache=template_cache(cache))
    env.filters.update(cn_date=cn_date, cn_time=cn_time, iso=iso_date, rfc3339=rfc3339, filesize=filesize,
                       money=money, count_name=count_name, lead=lead,
                       md=lambda s: Markup(to_html(s or "")))
    env.globals.update(url=item_url, asset=lambda name: assets[name], identity=footer,
                       type_label={t.name: t.label for t in schema.ALL_TYPES},
                       fragment=Fragments(env), nav_paths=nav_paths)
    return env


def nav_paths(site: Site) -> frozenset[str]:
    """The URLs whose pages the main navigation marks as themselves: home and each column."""
    return frozenset(("/", *(c.path for c in site.columns if c.nav)))


class Fragments:
    """Parts of every page that depend only on the site's settings, its columns and the few
    values given (text, None or a column: the navigation's is the column a page is in): each
    rendered once per build and process, not on every page (a third of rendering a notice was
    its header and footer).
    A fragment is rendered again when its template, `site.config` or `site.columns` is not
    the very object it was rendered from (a preview keeps the environment between builds)."""

    def __init__(self, env: Environment):
        self._env = env
        self._done: dict[str, tuple[tuple, dict[tuple, Markup]]] = {}

    def __call__(self, name: str, site: Site, **values) -> Markup:
        template = self._env.get_template(name)
        basis = (template, site.config, site.columns)
        seen = self._done.get(name)
        if seen is None or any(a is not b for a, b in zip(seen[0], basis, strict=True)):
            seen = self._done[name] = (basis, {})
        # A value is text, None or one of site.columns (`basis`), known by its id.
        key = tuple((k, v if v is None or isinstance(v, str) else ("column", v.id)) for k, v in sorted(values.items()))
        out = seen[1].get(key)
        if out is None:
            out = seen[1][key] = Markup(template.render(site=site, **values))
        return out


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, where a template that cannot be stored (a full disk,
    a folder not ours to write) is only compiled again next time."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache(cache: Path | None) -> FileSystemBytecodeCache | None:
    """Compiled templates below `cache`, by the builder's code (the options above are part of
    what a template compiles to; Jinja itself checks each template's source): compiling every
    template takes 0.3 s of each one-shot build otherwise. None when it cannot be written."""
    if cache is None:
        return None
    folder = cache / "templates" / version.code_signature()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _TemplateCache(str(folder))


def compile_all(env: Environment) -> Environment:
    """Every page template compiled now: before workers fork (each would compile them again)
    and when a preview starts (its first edit need not wait for it)."""
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        if not name.startswith(("static/", "survey/")):
            env.get_template(name)
    return env


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE = re.compile(r"\s+")
_CSS_PUNCT = re.compile(r"\s*([{};,>])\s*")


def minify_css(text: str) -> str:
    """Comments and layout whitespace out (the stylesheet counts in every page's weight).
    Safe for our stylesheet: no string in it holds a brace, semicolon, comma or `>`."""
    text = _CSS_SPACE.sub(" ", _CSS_COMMENT.sub("", text))
    return _CSS_PUNCT.sub(r"\1", text).replace(";}", "}").strip() + "\n"


def fingerprint(static_dir: Path) -> dict[str, tuple[str, bytes]]:
    """Static files → (fingerprinted site path, bytes), so browsers may cache them forever.
    CSS is minified on the way."""
    out = {}
    for p in sorted(static_dir.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.suffix == ".css":
                data = minify_css(data.decode("utf-8")).encode("utf-8")
            digest = hashlib.sha256(data).hexdigest()[:10]
            rel = p.relative_to(static_dir).as_posix()
            stem, dot, ext = rel.rpartition(".")
            out[rel] = (f"/static/{stem}.{digest}.{ext}" if dot else f"/static/{rel}.{digest}", data)
    return out


def render_page(page: Page, site: Site, env: Environment) -> bytes:
    template = env.get_template(page.template)
    html = template.render(page=page, site=site, item=page.item, **page.context)
    return for_phones(html).encode("utf-8") if page.output.endswith(".html") else html.encode("utf-8")


def render_redirect(redirect, site: Site, env: Environment) -> bytes:
    """A moved URL: a small page that refreshes to the new one and links to it."""
    html = env.get_template("redirect.html").render(redirect=redirect, site=site)
    return html.encode("utf-8")
