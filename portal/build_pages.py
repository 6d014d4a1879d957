"""The pages of one build: each taken over from the last build when its signature and the
items it looked up are unchanged (portal.signatures), or rendered, in 简 and 繁, on all cores;
then the search index (portal.search_index), whose words the render workers count when they
render every searchable page."""
from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import replace

from . import build_state, markup, search, search_index, signatures
from .hant import DEFAULT, convert_text, t2s_pairs, to_hant
from .items import Item
from .model import Site
from .page_model import Page
from .parallel import give_back_memory, jobs, pmap_shared
from .render import cn_date, compile_all, render_page
from .states import CURRENT, NO_STATE
from .synonyms import NO_SYNONYMS, Synonyms
from .write import OutputDir, put

MIN_PARALLEL = 200                  # pages to render before a pool pays for itself
TALLY_DOCS = 512                    # documents whose postings a render worker holds at most


def render_all(site: Site, pages: list[Page], env, output: OutputDir, signer: signatures.Signer,
               before: build_state.BuildState, one_shot: bool = False,
               warm: Callable[[Iterable[Item]], list[str]] | None = None,
               scratch: Callable[[], str] | None = None) -> tuple[build_state.BuildState, search_index.Tally | None]:
    """Every page in 简 and 繁, and each searchable page's search entry. A page whose signature
    and looked-up items are as in the last build is taken over from it, not rendered. In a
    `one_shot` build (nothing kept for a next one) that renders only a few pages, the bodies
    converted for the checks are let go first: a page converts its own again. `warm`: when many
    pages are to be rendered, each range of them fetches the conversions of its items' texts
    made before, and lets them go when done (pipeline.Result); in a one-shot build the builder
    lets its own go first: no process holds them all.
    When every searchable page is rendered and the index cannot be patched (`_tally`), the
    workers count their words into a folder `scratch` makes (asked only then): the tally is
    returned for search_files."""
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
    if len(todo) < MIN_PARALLEL:
        warm = None
    elif warm is not None and one_shot:    # each range fetches its items' texts: the workers inherit none
        markup.forget(p.item.body for p, _ in todo if p.item is not None and p.item.body)
        give_back_memory()
    tally = _tally(pages, todo, before, scratch) if scratch is not None else None
    if tally is not None:                  # in id order: each range of pages counts a run of ids
        todo.sort(key=lambda t: (tally.ids.get(t[0].url, -1), t[0].output))
    for entry in _render(site, env, signer, output, todo, tally, warm):
        output.claim(entry.files)
        now.pages[entry.files[0]] = entry
    return now, tally


def is_doc(page: Page) -> bool:
    """Whether a page is a document of the search index."""
    return page.search and page.output.endswith(".html")


def doc_order(page: Page) -> str:
    """A document's first sort key (search.Doc.order): when its item was first published."""
    published = getattr(page.item, "published", None) if page.item is not None else None
    return str(published or "")


def _tally(pages: list[Page], todo: list[tuple[Page, str]], before: build_state.BuildState,
           scratch: Callable[[], str]) -> search_index.Tally | None:
    """A tally for the render workers when the index will be built in full (it cannot be patched:
    the documents are not those of the last build, or only new ones after them) and every
    document is rendered here; else None."""
    if len(todo) < MIN_PARALLEL:                    # an edit's build: nothing to sort
        return None
    docs = [p for p in pages if is_doc(p)]
    if sum(1 for page, _ in todo if is_doc(page)) != len(docs):
        return None
    urls = [page.url for page in sorted(docs, key=lambda p: (doc_order(p), p.url))]
    old = [d.url for d in search.ordered(e.doc for e in before.pages.values() if e.doc is not None)]
    if old and search_index.patchable(old, urls):
        return None
    return search_index.Tally.of(urls, scratch())


def _render(site: Site, env, signer: signatures.Signer, output: OutputDir,
            todo: list[tuple[Page, str]], tally: search_index.Tally | None,
            warm: Callable[[Iterable[Item]], list[str]] | None = None) -> list[build_state.PageEntry]:
    shared = (site, env, signer, output.tmp, todo, tally, warm)
    if len(todo) < MIN_PARALLEL:
        return _render_range(shared, (0, len(todo)))
    compile_all(env)
    step = math.ceil(len(todo) / (jobs() * 4))
    parts = pmap_shared(_render_range, shared, [(i, min(i + step, len(todo))) for i in range(0, len(todo), step)])
    return [e for part in parts for e in part]


def _render_range(shared, span: tuple[int, int]) -> list[build_state.PageEntry]:
    site, env, signer, root, todo, tally, warm = shared
    entries = []
    postings = search_index.Postings() if tally is not None else None
    mine = todo[span[0]:span[1]]
    fetched = warm(p.item for p, _ in mine if p.item is not None) if warm is not None else []
    for page, sig in mine:
        entry, text = render_one(site, page, env, root, sig, signer)
        if postings is not None and entry.doc is not None:
            tokens, length = search.count_tokens(entry.doc.title, text, entry.doc.keywords)
            postings.add(tally.ids[entry.doc.url], tokens)
            entry = replace(entry, doc=replace(entry.doc, length=length))
            if postings.docs >= TALLY_DOCS:        # bounded: a worker's peak is the build's
                tally.put(postings)
                postings = search_index.Postings()
        entries.append(entry)
    if postings is not None:
        tally.put(postings)
    markup.forget(fetched)
    return entries


def render_one(site: Site, page: Page, env, root, sig: str,
               signer: signatures.Signer) -> tuple[build_state.PageEntry, str]:
    """One page written below `root` (and its 繁體 copy); its state entry, and its searched text
    (search.page_text) when it is a document of the search index."""
    recorder = signatures.Recorder(site)
    html = render_page(page, recorder, env)    # type: ignore[arg-type]
    files = [page.output]
    put(root, page.output, html)
    doc, plain = None, ""
    if page.output.endswith(".html"):
        text = html.decode("utf-8")
        files.append("zh-hant/" + page.output)
        put(root, files[-1], to_hant(text, site.config.hant).encode("utf-8"))
        if page.search:
            doc, plain = search_doc(site, page, text)
    return build_state.PageEntry(sig, {k: signer.key(k) for k in sorted(recorder.read)}, tuple(files), doc), plain


def search_doc(site: Site, page: Page, html: str) -> tuple[search.Doc, str]:
    """A searchable page's entry in the index, and its text (portal.search.page_text)."""
    item = page.item
    published = getattr(item, "published", None) if item is not None else None
    column = site.column(page.column).name if page.column else "首页"
    keywords = getattr(item, "keywords", None) or ()
    text = search.page_text(html, keywords)
    state = site.state(item) if item is not None else NO_STATE
    doc = search.doc_for(page.url, page.title, column, page.search_community, cn_date(published or page.lastmod),
                         doc_order(page), text,
                         (convert_text(page.title, site.config.hant), _hant_name(column, site.config.hant),
                          _hant_name(page.search_community, site.config.hant)),
                         kind=search.KINDS.get(item.type, search.OTHER) if item is not None else search.OTHER,
                         past=state.code not in CURRENT,
                         label=(state.label, _hant_name(state.label, site.config.hant)) if state.code else ("", ""),
                         keywords=tuple(keywords))
    return doc, text


@functools.lru_cache(maxsize=512)
def _hant_name(name: str, conversion: str) -> str:
    return convert_text(name, conversion)


def search_files(state: build_state.BuildState, before: build_state.BuildState, output: OutputDir,
                 conversion: str = DEFAULT, synonyms: Synonyms = NO_SYNONYMS,
                 tally: search_index.Tally | None = None) -> None:
    """The search index of the pages as now built, with the synonyms the search page applies;
    shards no edit touched are taken over. The state's entries get their documents' lengths.
    Words are counted from each page's HTML as now built (or, the last build's, as it built
    it), unless render_all's `tally` counted them all."""
    now_at = {e.doc.url: key for key, e in state.pages.items() if e.doc is not None}
    then_at = {e.doc.url: key for key, e in before.pages.items() if e.doc is not None}

    def counts(doc: search.Doc):
        return _counted(doc, output.path_of(now_at[doc.url]))

    def old_counts(doc: search.Doc):
        return _counted(doc, os.path.join(output.target, then_at[doc.url]))

    docs = search.ordered(e.doc for e in state.pages.values() if e.doc is not None)
    previous = search_index.Previous(search.ordered(e.doc for e in before.pages.values() if e.doc is not None),
                                     output.target) if before.pages and tally is None else None
    index = search_index.index_files(docs, t2s_pairs(conversion), counts, previous, old_counts, root=str(output.tmp),
                                     synonyms=synonyms, tally=tally)
    output.claim(index.written)
    for rel, data in index.files.items():
        output.write(rel, data)
    for rel in index.kept:
        output.reuse(rel)
    counted = {d.url: d for d in index.docs}
    for key, entry in state.pages.items():
        if entry.doc is not None and counted[entry.doc.url] is not entry.doc:
            state.pages[key] = replace(entry, doc=counted[entry.doc.url])


def _counted(doc: search.Doc, page_file: str):
    """A document's tokens and length, from its page at `page_file`."""
    with open(page_file, encoding="utf-8") as f:
        return search.count_tokens(doc.title, search.page_text(f.read(), doc.keywords), doc.keywords)
