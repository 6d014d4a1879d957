"""The model of the last full one-shot build, kept under .cache/ (never in content/ or site/)
so that the commonest edits, a clerk correcting or adding to the text of a notice, its title,
its summary, a guide's materials or hours, do not read every item and build the whole model
again (at 10,000 items, most of an edit's time).

A build whose only changes since that build are item documents whose front matter is exactly
as it was but for the fields no part of the model reads (SHOWN: a title, summary, keywords…;
SHOWN_OF_TYPE: a guide's materials, hours, fees…; their Markdown text may differ too) takes the
Site, its problems and its pages from here, with each changed item's text and fields put in
place. That is the same Site a full build would make:

- no part of the model reads those fields but the title (below), and the Site holds the item
  object that every page and list shows, so they show the new values;
- the model reads no item's text except to find the files it publishes (`files_named`,
  compared) and the personal numbers in it (`findings`, compared; portal.model._personal_data);
- it reads other items' titles only to guess what a reference that names nothing meant
  (portal.guesses.reference): a title may change only when the last build had no such
  reference (references.unresolved);
- a changed document's own problems (validation, published-text rules, stated time limits)
  come from its new text: there must be none, and none from the last build at its file;
- the domain checks and the link check run on the Site as usual, so what they say about the
  new text is said;
- the pages are taken only when the warnings they show are the ones they were made with and
  no title changed (a page holds its title, its breadcrumbs and its lists' entries); then
  their signatures are taken too, but for the pages holding a changed item
  (signatures.Signer.take_signed).

The Site holds no text converted to HTML: a build from it that renders many pages (a new output
folder, other templates) fetches, range by range in its render workers, the conversions the
ingest snapshot keeps (`warm`), rather than converting every text again.

Anything else (a file added, removed or renamed, another front-matter field, a field's line
moved (problems name lines), site.yaml, a draft, a file with problems, another day, other code)
takes the full way, which writes a new snapshot; so does a build from here that finds more
than RENEW files changed since the snapshot (each build would read them all again) or a title
changed (each build would list every page again). build.py build writes it in a process of its
own, after the site is live; what it wrote to published-urls.txt is remembered as read (save).
A snapshot that cannot be read, or was made by other code, is ignored; one not used for a month
is deleted (portal.cache_prune).

The file holds two pickles: what is checked first (versions, day, every file's row), then the
Site and its pages, read only when the build can use them.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from . import ingest, ingest_snapshot, markup, references, timings
from .ingest import DOCUMENT_SUFFIXES, content_key, document_limit
from .items import Item, mark_source, source_of, take_over
from .load import Tree, content_files, display_path, read_bytes
from .manifest import MANIFEST
from .model import Site
from .page_model import Page
from .problems import Problem
from .references import files_named
from .signatures import Signed
from .write import write_atomic

VERSION = 2
Row = tuple[int, int, str]                    # modification time (ns), size, content key
_COMPARED = tuple(f.name for f in fields(Item) if f.name != "body")


def snapshot_file(cache: Path, root: Path) -> Path:
    return cache / f"model-{hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]}.pickle"


def _head(code: str, root: Path, today: dt.date, preview: bool) -> tuple:
    """What the Site is a function of besides the files (messages name them from the working folder)."""
    return (VERSION, code, str(root.resolve()), os.getcwd(), today, preview)


@dataclass(frozen=True)
class FilesRead:
    """What a full build's reading of the content left that the snapshot needs (not the tree
    itself: its documents would stay in memory for the whole build)."""
    read_ns: int
    rows: dict[str, Row]
    findings: dict[str, tuple]      # personal numbers found in a document, where there are any

    @staticmethod
    def of(tree: Tree) -> FilesRead:
        return FilesRead(*tree.rows, {d.rel: d.findings for d in tree.docs if d.findings})


# Fields no part of the model reads (portal.model.build_model, portal.pages.site_pages), of every
# item and of items of some types: only the checks, which run on every build, and the templates,
# which show the item object the Site holds. A title is also read to guess what a reference
# meant and copied into its pages (_retitled). tests/portal/test_model_snapshot.py watches every
# field read while a Site is modelled and its pages listed, and fails if any of these is.
SHOWN = frozenset(("title", "summary", "keywords", "source", "changes"))
SHOWN_OF_TYPE = {
    "guide": frozenset(("department", "conditions", "materials", "location", "hours", "phone", "process",
                        "legal_limit", "promised_limit", "visits", "fee", "complaint_phone", "online", "reviewed")),
    "policy": frozenset(("issuer", "topic", "index_no")),
    "notice": frozenset(("objection",)),
    "interpretation": frozenset(("interpreter",)),
    "evaluation": frozenset(("attendees", "topics", "decisions")),
    "consultation": frozenset(("drafter", "how")),
}


@functools.cache
def shown(type_name: str) -> frozenset[str]:
    """The fields of an item of this type that no part of the model reads (SHOWN)."""
    return SHOWN | SHOWN_OF_TYPE.get(type_name, frozenset())


RENEW = 16          # files changed since the snapshot beyond which it is written again


@dataclass
class Taken:
    """A Site taken from the snapshot, with the problems its model found and its pages (made
    with `warnings`: usable when the build's warnings are the same; None when a title changed),
    their signatures then and the keys of the items changed since (Signer.take_signed). `read`:
    the files as they are now, when the snapshot is worth writing again: so many changed since
    that each build reads and checks every one of them, or a title did, and each build would
    list every page again."""
    site: Site
    found: list[Problem]
    warnings: list[Problem]
    pages: list[Page] | None
    signed: tuple[str, Signed] | None
    changed: frozenset[str]
    read: FilesRead | None = None


def save(cache: Path | None, root: Path, code: str, today: dt.date, preview: bool, read: FilesRead,
         site: Site, found: list[Problem], warnings: list[Problem], pages: list[Page],
         texts: dict[str, tuple[str, ...]], signed: tuple[str, Signed] | None = None,
         manifest: bytes | None = None) -> None:
    """Remember a full build's model, and the link targets of the texts the link check reads
    (portal.checks.links.targets): a build from the snapshot converts no text but its own;
    `signed`: the build's global signature and its pages' (signatures.Signer.signed), so that
    a build that takes the pages signs only those holding an item it changed. `manifest`: what
    the build wrote to published-urls.txt after reading it (new URLs recorded): remembered as
    read, else the next build (after every new item) would find a changed file and read all."""
    if cache is None or not read.rows:
        return
    if manifest is not None:
        now = _with_manifest(root, code, read, site, manifest)
        if now is None:
            forget(cache, root)
            return
        read, site = now
    shapes = {item.rel: _shape(item) for item in site.items.values()}

    def dump(f) -> None:
        pickle.dump((_head(code, root, today, preview), read.read_ns, read.rows, read.findings, shapes), f,
                    protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((site, found, warnings, pages, texts, signed), f, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomic(snapshot_file(cache, root), dump)
    except Exception:                       # noqa: BLE001 - a cache never fails a build whose site is written:
        forget(cache, root)                 # one that cannot be written (full disk, a value pickle refuses) costs time


def _with_manifest(root: Path, code: str, read: FilesRead, site: Site, raw: bytes) -> tuple[FilesRead, Site] | None:
    """The files as a build would read them now that published-urls.txt holds `raw`, and the
    Site with that file among its files (None: the file is not as written, or reads with a
    problem)."""
    p = root / MANIFEST
    path = display_path(p)
    try:
        st = os.stat(p)
    except OSError:
        return None
    got = read_bytes(MANIFEST, path, raw)
    if got.problems or got.file is None or st.st_size != len(raw):
        return None
    row = (st.st_mtime_ns, st.st_size, content_key(code, MANIFEST, path, raw))
    return replace(read, rows={**read.rows, MANIFEST: row}), replace(site, files={**site.files, MANIFEST: got.file})


def write(save: Callable[[], None] | None, detach: bool = False) -> None:
    """Run `save` (a full build's model, about half a second and a 50 MB pickle memo at
    10,000 items). `detach` (build.py build, whose site is live by now): in a forked process
    the build does not wait for, so the command returns at once; the next build uses the
    snapshot if it is complete by then, else builds in full. Where processes cannot fork
    (Windows), and for callers that go on in the same process, it runs here."""
    if save is None:
        return
    if not (detach and hasattr(os, "fork")):
        save()
        return
    if os.fork() == 0:                              # the child: write, and leave without cleaning up
        code = 1
        try:
            quiet = os.open(os.devnull, os.O_RDWR)   # let go of the caller's pipes and terminal
            for fd in (0, 1, 2):
                os.dup2(quiet, fd)
            save()
            code = 0
        finally:
            os._exit(code)


def forget(cache: Path | None, root: Path) -> None:
    if cache is not None:
        try:
            snapshot_file(cache, root).unlink(missing_ok=True)
        except OSError:
            pass


def take(cache: Path | None, root: Path, code: str, today: dt.date, preview: bool,
         touch: bool = False) -> Taken | None:
    """The Site of the content at `root` now, from the snapshot, or None when only a full
    build can say what it is. `touch` (a build): the snapshots used are marked as in use
    (portal.cache_prune keeps them)."""
    if cache is None:
        return None
    try:
        f = open(snapshot_file(cache, root), "rb")
    except OSError:
        return None
    now_ns = time.time_ns()
    with f, timings.stage("read"):
        try:
            head, read_ns, rows, findings, shapes = pickle.load(f)
            if head != _head(code, root, today, preview):
                return None
            changed = _changed(root, code, read_ns, rows)
            if changed is None:
                return None
            fresh = [_fresh(c, findings.get(c.rel, ())) for c in changed]
            if any(item is None or shapes.get(item.rel) != _shape(item) for item in fresh):
                return None                     # not only a text changed: the Site is not read at all
            site, found, warnings, pages, texts, signed = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                ImportError, IndexError, RecursionError):
            return None
    retitled = _retitled(site, found, fresh)
    if retitled is None:
        return None
    markup.preload_links(texts)
    for item, c in zip(fresh, changed, strict=True):
        assert item is not None
        old = site.items[item.key]
        take_over(old, item)                                # every page and list holds this object
        mark_source(old, c.row[2])
    if touch:
        ingest_snapshot.touch_files(snapshot_file(cache, root))
        ingest_snapshot.mark_used(cache, root)
    now = None
    # The Site is as a full build now makes it: remembered as such when each build from here
    # would read many files again, or list every page again (a title changed)
    if len(changed) > RENEW or retitled:
        now = FilesRead(now_ns, {**rows, **{c.rel: c.row for c in changed}}, findings)
    return Taken(site, found, warnings, None if retitled else pages, signed,
                 frozenset(i.key for i in fresh if i is not None), now)


def _retitled(site: Site, found: list[Problem], fresh: list[Item | None]) -> bool | None:
    """Whether a title changed, when each fresh item can take the place of the one the Site
    holds (None: the Site a full build makes may differ)."""
    retitled = False
    for item in fresh:
        assert item is not None
        old = site.items.get(item.key)
        if old is None or source_of(old) is None or not _same_but_text(old, item) \
                or files_named(old) != files_named(item) or any(p.path == item.file for p in found):
            return None
        retitled = retitled or old.fields.get("title") != item.fields.get("title")
    if retitled and any(references.unresolved(p) for p in found):
        return None                         # what such a reference meant is guessed from every title
    return retitled


def warm(cache: Path | None, root: Path, code: str, items: Iterable[Item]) -> list[str]:
    """Put the conversions of these items' texts that the last reading kept in markup's store,
    and return the texts put there: a Site taken from here holds none, and a build that renders
    most pages (a new output folder, other templates) would convert every text again. Each
    render worker fetches those of the pages it renders (build_pages._render_range), so that
    no process holds them all."""
    texts = {i.rel: i.body for i in items if i.body and not markup.has(i.body)}
    found = ingest.converted_texts(cache, root, code, texts)
    markup.preload(found)
    return list(found)


@dataclass(frozen=True)
class _Changed:
    rel: str
    path: str
    raw: bytes
    row: Row


def _shape(item: Item) -> bytes:
    """A digest of all an item holds but its text and the fields in `shown`: equal items give
    equal digests (equal values pickle alike without the pickler's memo, whichever equal
    objects they happen to share), so a different one means another field changed; an equal
    one is confirmed on the items themselves (take)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(_but_text(item))
    return hashlib.sha1(out.getbuffer()).digest()


def _but_text(item: Item) -> tuple:
    free = shown(item.type)
    return tuple({k: v for k, v in item.fields.items() if k not in free} if n == "fields" else getattr(item, n)
                 for n in _COMPARED)


def _same_but_text(old: Item, new: Item) -> bool:
    """Whether `new` differs from `old` at most in its text and the fields no part of the model reads."""
    return _but_text(old) == _but_text(new)


def _changed(root: Path, code: str, read_ns: int, rows: dict[str, Row]) -> list[_Changed] | None:
    """Each file changed since the snapshot (read, with its row now), or None when a file was
    added or removed, cannot be read, is not an item document, or a folder has a problem."""
    tree = Tree(root)
    files = content_files(tree)
    if tree.problems.items or len(files) != len(rows):
        return None
    out = []
    limit = None
    trusted = ingest_snapshot.Snapshot(read_ns, rows).trusted_key      # ingest's rule, time and size
    for rel, p in files:
        row = rows.get(rel)
        if row is None:
            return None
        try:
            st = os.stat(p)
            if trusted(rel, st.st_mtime_ns, st.st_size) is not None:
                continue
            with open(p, "rb") as fh:
                raw = fh.read()
        except OSError:
            return None
        path = display_path(p)
        key = content_key(code, rel, path, raw)
        if key == row[2]:
            continue
        limit = document_limit(root) if limit is None else limit
        if not rel.endswith(DOCUMENT_SUFFIXES) or len(raw) > limit:
            return None
        out.append(_Changed(rel, path, raw, (st.st_mtime_ns, st.st_size, key)))
    return out


def _fresh(c: _Changed, findings) -> Item | None:
    """A changed file read and validated, when it is an item document with no problem and the
    same personal numbers as before (its text converted on the way: markup.prepare); else None."""
    read, validated = ingest._read_and_validate((c.rel, c.path, c.raw))
    doc = read.doc
    if read.problems or doc is None or validated is None or validated[1] or doc.findings != findings \
            or doc.type.name == "community":
        return None
    return validated[0]
