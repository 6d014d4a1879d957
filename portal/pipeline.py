"""The build as a pipeline of named stages: load → validate/model → pages → render → write."""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import build_pages, build_state, cache_prune, checks, manifest, model_snapshot, signatures, timings, version
from . import problems as P
from .checks import links
from .content import read_site
from .evaluation_pages import open_surveys
from .generations import atomic_output
from .ingest import Memory
from .items import Item
from .ledger import copies as ledger_copies
from .load import display_path
from .model import DRAFT_NOTE, Site
from .page_model import Page
from .pages import site_pages
from .problems import Problem, Problems
from .qr import qr_svg
from .render import TEMPLATES, compile_all, fingerprint, make_env, render_redirect
from .urls import item_url
from .write import OutputDir, staged_output, write_atomic

FAVICON = "favicon.ico"                     # templates/static/favicon.ico, also served at the site root


@dataclass
class Result:
    site: Site | None
    problems: Problems
    pages: int = 0
    page_list: list[Page] = field(default_factory=list)
    manifest: manifest.Manifest | None = None
    remember: Callable[..., None] | None = None     # saves the model for the next build (portal.model_snapshot)
    # The conversions the last reading kept of some items' texts (a Site taken from the model
    # snapshot holds none): fetched by each range of pages a one-shot build renders
    # (build_pages.render_all), which returns the texts fetched
    warm: Callable[[Iterable[Item]], list[str]] | None = None
    # The pages as the model snapshot holds them: their signatures then, and the items changed
    # since (signatures.Signer.take_signed)
    signed: tuple[str, signatures.Signed, frozenset[str]] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems.errors


@dataclass
class Session:
    """What a long-running preview keeps between builds: the files read (by content hash),
    the last build's pages and the files it wrote. With a session, builds after the first
    write only what changed into the served directory (portal.write.StagedOutput)."""
    reads: Memory = field(default_factory=Memory)
    state: build_state.BuildState | None = None
    files: set[str] = field(default_factory=set)
    envs: dict = field(default_factory=dict)        # compiled templates, by assets
    digests: dict[str, bytes] = field(default_factory=dict)   # of files written as bytes (StagedOutput)


def check(content: Path, today: dt.date, preview: bool = False, cache: Path | None = None,
          remember: bool = True, session: Session | None = None) -> Result:
    """Load, validate and model the content, run the domain checks and list the pages.
    `preview`: drafts are included (serve, make run). `cache`: where files read before are
    remembered (portal.ingest), and the last full build's model (portal.model_snapshot, used
    when only item texts changed since); `remember=False` reads it but writes nothing."""
    code = version.code_signature()
    taken = model_snapshot.take(cache, content, code, today, preview, touch=remember) if session is None else None
    read = None                             # the files read, when the snapshot is to be written (again)
    site: Site | None
    if taken is not None:
        site, found = taken.site, taken.found
        read = taken.read if remember else None
    else:
        tree, site, found = read_site(content, today, preview, cache, remember, session.reads if session else None)
        if remember and session is None:
            read = model_snapshot.FilesRead.of(tree)
            model_snapshot.forget(cache, content)
        del tree                            # its documents are the Site's now, or garbage
    problems = Problems(list(found))
    if site is None:
        return Result(None, problems)
    checked = Problems()
    with timings.stage("checks"):
        checks.run(site, checked)
    problems.extend(_drafts_warn(site, checked.items))
    info = site.files.get(manifest.MANIFEST)
    shown = info.path if info else f"{display_path(content)}/{manifest.MANIFEST}"
    urls = manifest.parse(info.text if info else "", shown)
    pages: list[Page] = []
    if not problems.errors:
        warnings = [p for p in problems.sorted() if not p.is_error]
        with timings.stage("pages"):
            pages = taken.pages if taken is not None and taken.pages is not None and taken.warnings == warnings \
                else site_pages(site, warnings)
        seen: set[str] = set()
        for p in pages:
            if p.url in seen:
                problems.error(display_path(content), 1, "", "",
                               f"两个内容生成了同一个网址 {p.url}，请修改其中一个的文件名")
            seen.add(p.url)
        linked = Problems()
        with timings.stage("links"):
            links.check(site, pages, linked)
        problems.extend(_drafts_warn(site, linked.items))
        manifest.check(urls, pages, site.redirects, f"{display_path(content)}/redirects.yaml", problems,
                       held_back(site))
    result = Result(site, problems, page_list=pages, manifest=urls)
    if session is None and cache is not None:       # the conversions the reading kept (portal.ingest)
        result.warm = functools.partial(model_snapshot.warm, cache, content, code)
    if taken is not None:
        if pages is taken.pages and taken.signed is not None:     # the stored pages, not listed again
            result.signed = (*taken.signed, taken.changed)
    if read is not None and not problems.errors:
        # the targets now: a build that renders few pages lets the conversions go (render_all)
        result.remember = functools.partial(model_snapshot.save, cache, content, code, today, preview, read, site,
                                            found, warnings, pages, links.targets(pages))
    return result


KEEP_DATE = "请恢复原来的发布时间；修改了内容请写 updated（更新时间）和 changes（更新说明）"


def held_back(site: Site) -> dict[str, Problem]:
    """Why a URL already published is not built now, at the line that holds it back."""
    out = {}
    for i in site.scheduled:
        out[item_url(i)] = P.error(i.file, i.line_of("published"), "published", "发布时间",
                                   f"这条内容已经以 {item_url(i)} 发布过，发布时间不能再改到以后：{KEEP_DATE}")
    for i in site.held_drafts:
        out[item_url(i)] = P.error(i.file, i.line_of("draft"), "draft", "草稿",
                                   f"这条内容已经以 {item_url(i)} 发布过，不能再改回草稿：请删除 draft 这一行，"
                                   "修改后重新生成网站即可")
    return out


def _drafts_warn(site: Site, found: list[Problem]) -> list[Problem]:
    """In a preview, a draft's problems are warnings: a draft never stops a build."""
    files = {site.items[k].file for k in site.drafts if k in site.items}
    return [p.demoted(DRAFT_NOTE) if p.is_error and p.path in files
            else p for p in found]


def _env(templates: Path, assets: dict[str, str], session: Session | None, cache: Path | None):
    """The template environment, compiled templates kept in `cache`; a preview keeps it (Jinja
    recompiles a changed template)."""
    if session is None:
        return make_env(templates, assets, cache)
    key = (str(templates), tuple(sorted(assets.items())))
    if key not in session.envs:
        session.envs.clear()
        session.envs[key] = compile_all(make_env(templates, assets, cache))
    return session.envs[key]


def _copy_files(site: Site, content: Path, static: dict, env, output: OutputDir) -> None:
    """QR codes, assets, attachments, ledger data and redirects."""
    # QR codes as files, not inline SVG, keep /hdjl/myd/ light (the 繁體 page shares them).
    for s in open_surveys(site, invite=True):
        output.write(s.qr.lstrip("/"), qr_svg(s.form).encode("utf-8"))
    for _, (url, data) in sorted(static.items()):
        output.write(url.lstrip("/"), data)
    if FAVICON in static:                      # browsers ask for /favicon.ico whatever the page links
        output.write(FAVICON, static[FAVICON][1])
    for rel in sorted(site.published_files):
        if rel.startswith("files/"):           # a file nothing links to is not published
            output.write(rel, (content / rel).read_bytes())
    for key in sorted(site.ledgers):
        ledger = site.ledgers[key]
        for rel, data in ledger_copies(ledger, (content / ledger.source).read_bytes()):
            output.write(rel, data)
    for key in sorted(site.rosters):          # 重点领域 名单: the CSV the page offers
        roster = site.rosters[key]
        if roster.download:
            output.write(roster.download.lstrip("/"), roster.csv_bytes())
    for r in site.redirects:
        output.write(r["from"].lstrip("/") + "index.html", render_redirect(r, site, env))


def _keep_old_assets(before: build_state.BuildState, assets: dict[str, str], output: OutputDir) -> tuple[str, ...]:
    """The last build's stylesheet and scripts stay one more build beside the new ones: a page
    a resident loaded just before the switch still finds the files it names. Returns this
    build's own assets (those the next build keeps)."""
    own = tuple(sorted(url.lstrip("/") for url in assets.values()))
    for rel in before.assets:
        if rel not in own and output.has(rel):
            output.reuse(rel)
    return own


def build(content: Path, out: Path, today: dt.date, templates: Path = TEMPLATES,
          record_urls: bool = False, preview: bool = False, cache: Path | None = None,
          session: Session | None = None, detach: bool = False) -> Result:
    """Check, then render every page into `out` atomically. Content errors write nothing.
    With `record_urls` (only a real build), newly published URLs are added to
    content/published-urls.txt; a `preview` shows drafts and never records a URL. With a
    `cache` directory, pages unchanged since the last build of `out` are taken over from it;
    with a `session` (a preview), from memory, and only changed files are written. A full
    build remembers its model for the next (portal.model_snapshot): `detach`, in a process of
    its own that the caller does not wait for (build.py build)."""
    result = check(content, today, preview, cache, session=session)
    if not result.ok:
        return result
    signed = _write_site(result, content, out, templates, preview, cache, session)
    if result.remember is not None and signed is not None:
        result.remember = functools.partial(result.remember, signed=signed)
    assert result.manifest is not None
    if record_urls and not preview:
        text = manifest.updated_text(result.manifest, result.page_list)
        target = content / manifest.MANIFEST
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text.encode("utf-8"))
            if result.remember is not None:         # the model remembers the file as now written
                result.remember = functools.partial(result.remember, manifest=text.encode("utf-8"))
    result.pages = len(result.page_list)
    with timings.stage("state"):
        model_snapshot.write(result.remember, detach=detach)
    return result


def _write_site(result: Result, content: Path, out: Path, templates: Path, preview: bool, cache: Path | None,
                session: Session | None) -> tuple[str, signatures.Signed] | None:
    """Render the checked site's pages into `out` (build); the pages' signatures, where the
    model is to be remembered (Result.remember)."""
    site, pages = result.site, result.page_list
    assert site is not None and result.manifest is not None
    static = fingerprint(templates / "static")
    assets = {name: url for name, (url, _) in static.items()}
    env = _env(templates, assets, session, cache)
    signer = signatures.Signer(site, version.code_signature(templates), assets, preview,
                               record=result.remember is not None)
    if result.signed is not None:
        signer.take_signed(*result.signed)
    staged = session is not None and session.state is not None and out.is_dir()
    if staged and session and session.state:
        before = session.state
        build_state.forget(cache, content, out)     # its files are about to differ from any saved state
        output_to = staged_output(out, session.files, session.digests)
    else:
        if session is not None:
            session.digests.clear()                 # they describe the files this build replaces
        with timings.stage("state"):
            before = build_state.load(cache, content, out)
        output_to = atomic_output(out, lambda folder: build_state.take_files(cache, content, folder),
                                  afresh=before.rewritten > 0.5)
    with output_to as output, contextlib.ExitStack() as scratch_dirs:
        def scratch() -> str:           # made only for a build that tallies the index (render_all)
            return scratch_dirs.enter_context(tempfile.TemporaryDirectory(prefix="portal-search-"))

        if not build_state.describes(before, out):
            before = build_state.BuildState()   # another build flipped the site meanwhile
        elif before.out_id is not None and not staged:
            output.trust(before.files, before.fresh)
        with timings.stage("render"):
            state, tally = build_pages.render_all(site, pages, env, output, signer, before, one_shot=session is None,
                                                   warm=result.warm, scratch=scratch)
        with timings.stage("files"):
            _copy_files(site, content, static, env, output)
            state.assets = _keep_old_assets(before, assets, output)
        with timings.stage("search"):
            build_pages.search_files(state, before, output, site.config.hant, site.synonyms, tally)
    with timings.stage("state"):
        if session is not None:
            session.state, session.files = state, set(output.files)
        else:
            build_state.save(cache, content, output.final, state, output.files, output.taken)
            cache_prune.prune_later(cache)
    return (signer.global_sig, signer.signed) if signer.signed is not None else None
