"""The pages of one build: each taken over from the last build when its signature and the
items it looked up are unchanged (portal.signatures), or rendered, in 简 and 繁 with its search
text, on all cores; then the search index (portal.search_index)."""
from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import replace

from . import build_state, markup, search, search_index, signatures
from .hant import DEFAULT, convert_text, t2s_pairs, to_hant
from .model import Site
from .page_model import Page
from .parallel import jobs, pmap_shared
from .render import cn_date, compile_all, render_page
from .states import CURRENT, NO_STATE
from .synonyms import NO_SYNONYMS, Synonyms
from .write import OutputDir, put

MIN_PARALLEL = 200                  # pages to render before a pool pays for itself


def render_all(site: Site, pages: list[Page], env, output: OutputDir, signer: signatures.Signer,
               before: build_state.BuildState, one_shot: bool = False,
               warm: Callable[[], None] | None = None) -> build_state.BuildState:
    """Every page in 简 and 繁, and each searchable page's text. A page whose signature and
    looked-up items are as in the last build is taken over from it, not rendered. In a
    `one_shot` build (nothing kept for a next one) that renders only a few pages, the bodies
    converted for the checks are let go first: a page converts its own again. `warm`: called
    first when many pages are to be rendered (texts converted before, fetched: pipeline.Result)."""
    now = build_state.BuildState()
    todo: list[tuple[Page, str]] = []
    for page in pages:
        sig = signer.page(page)
        prev = before.pages.get(page.output)
        if prev is not None and prev.sig == sig and all(signer.key(k) == v for k, v in prev.reads.items()) \
                and all(output.has(rel) for rel in prev.files):
            for rel in prev.files:
                output.reuse(rel)
            now.pages[page.output] = prev
        else:
            todo.append((page, sig))
    if one_shot and len(todo) < MIN_PARALLEL:
        markup.forget_all()                # at 10,000 items, 40 MB of HTML no page here needs
    elif warm is not None and len(todo) >= MIN_PARALLEL:
        warm()
    for entry in _render(site, env, signer, output, todo):
        output.claim(entry.files)
        now.pages[entry.files[0]] = entry
    return now


def _render(site: Site, env, signer: signatures.Signer, output: OutputDir,
            todo: list[tuple[Page, str]]) -> list[build_state.PageEntry]:
    shared = (site, env, signer, output.tmp, todo)
    if len(todo) < MIN_PARALLEL:
        return _render_range(shared, (0, len(todo)))
    compile_all(env)
    step = math.ceil(len(todo) / (jobs() * 4))
    parts = pmap_shared(_render_range, shared, [(i, min(i + step, len(todo))) for i in range(0, len(todo), step)])
    return [e for part in parts for e in part]


def _render_range(shared, span: tuple[int, int]) -> list[build_state.PageEntry]:
    site, env, signer, root, todo = shared
    return [render_one(site, page, env, root, sig, signer) for page, sig in todo[span[0]:span[1]]]


def render_one(site: Site, page: Page, env, root, sig: str, signer: signatures.Signer) -> build_state.PageEntry:
    """One page written below `root` (its 繁體 copy and search texts too); its state entry."""
    recorder = signatures.Recorder(site)
    html = render_page(page, recorder, env)    # type: ignore[arg-type]
    files = [page.output]
    put(root, page.output, html)
    doc = None
    if page.output.endswith(".html"):
        text = html.decode("utf-8")
        hant = to_hant(text, site.config.hant)
        files.append("zh-hant/" + page.output)
        put(root, files[-1], hant.encode("utf-8"))
        if page.search:
            doc, plain, hant_plain = search_doc(site, page, text, hant)
            files.append("search/" + search.text_path(page.url))
            put(root, files[-1], search.text_file(plain, hant_plain).encode("utf-8"))
    return build_state.PageEntry(sig, {k: signer.key(k) for k in sorted(recorder.read)}, tuple(files), doc)


def search_doc(site: Site, page: Page, html: str, hant_html: str) -> tuple[search.Doc, str, str]:
    """A searchable page's entry in the index, and its text in 简 and 繁 (portal.search.page_texts)."""
    item = page.item
    published = getattr(item, "published", None) if item is not None else None
    column = site.column(page.column).name if page.column else "首页"
    keywords = getattr(item, "keywords", None) or ()
    text, hant_text = search.page_texts(html, hant_html, keywords)
    state = site.state(item) if item is not None else NO_STATE
    doc = search.doc_for(page.url, page.title, column, page.search_community, cn_date(published or page.lastmod),
                         str(published or ""), text,
                         (convert_text(page.title, site.config.hant), _hant_name(column, site.config.hant),
                          _hant_name(page.search_community, site.config.hant)),
                         kind=search.KINDS.get(item.type, search.OTHER) if item is not None else search.OTHER,
                         past=state.code not in CURRENT,
                         label=(state.label, _hant_name(state.label, site.config.hant)) if state.code else ("", ""),
                         keywords=tuple(keywords))
    return doc, text, hant_text


@functools.lru_cache(maxsize=512)
def _hant_name(name: str, conversion: str) -> str:
    return convert_text(name, conversion)


def search_files(state: build_state.BuildState, before: build_state.BuildState, output: OutputDir,
                 conversion: str = DEFAULT, synonyms: Synonyms = NO_SYNONYMS) -> None:
    """The search index of the pages as now built, with the synonyms the search page applies;
    shards no edit touched are taken over. The state's entries get their documents' lengths."""
    def counts(doc: search.Doc):
        return _counted(doc, output.path_of("search/" + search.text_path(doc.url)))

    def old_counts(doc: search.Doc):
        return _counted(doc, os.path.join(output.target, "search", search.text_path(doc.url)))

    docs = search.ordered(e.doc for e in state.pages.values() if e.doc is not None)
    previous = search_index.Previous(search.ordered(e.doc for e in before.pages.values() if e.doc is not None),
                                     output.target) if before.pages else None
    index = search_index.index_files(docs, t2s_pairs(conversion), counts, previous, old_counts, root=str(output.tmp),
                                     synonyms=synonyms)
    output.claim(index.written)
    for rel, data in index.files.items():
        output.write(rel, data)
    for rel in index.kept:
        output.reuse(rel)
    counted = {d.url: d for d in index.docs}
    for key, entry in state.pages.items():
        if entry.doc is not None and counted[entry.doc.url] is not entry.doc:
            state.pages[key] = replace(entry, doc=counted[entry.doc.url])


def _counted(doc: search.Doc, text_file: str):
    """A document's tokens and length, from its search/t/ file at `text_file`."""
    with open(text_file, encoding="utf-8") as f:
        return search.count_tokens(doc.title, search.searched_text(f.read()), doc.keywords)
