"""What a page's bytes depend on, as a digest: the incremental build renders a page again only
when its signature or the signature of an item its template looked up has changed.

A page is rendered from (page, site) by templates that read the site in two ways:
- everywhere: `site.config`, the columns, the communities and `today` (the global signature,
  with the code, the templates and the asset names);
- per page: the page's own fields and context (items, lists of items, tables) and the items a
  template looks up by key (`site.items.get`, `site.policy`, …), which `Recorder` notes while
  the page renders.
An item's signature covers its fields and body, its state (已撤回, 已废止…) and its attachments'
sizes. Anything else found in a context is an error here, so a new kind of value cannot slip
through unsigned.

A full one-shot build records each page's signature and the keys of the items it holds; the
model snapshot keeps them. A build that takes its pages from there (only texts changed) signs
again only the pages holding a changed item: the others are the very objects signed then,
holding the very items (Signer.take_signed).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import inspect
import pickle
import types
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .items import Item, Record, Ref, source_of
from .model import Site
from .page_model import Page
from .states import NO_STATE

PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime, dt.time, Decimal)
Signed = dict[str, tuple[str, tuple[str, ...]]]     # page output → (signature, keys of the items it holds)


class Signer:
    """Signatures of one build's items and pages (memoised per item)."""

    def __init__(self, site: Site, code: str, assets: Mapping[str, str], preview: bool, record: bool = False):
        """`record`: note each page's signature and the items it holds (`signed`, kept with
        the model snapshot for the next build: take_signed)."""
        self.site = site
        self._items: dict[int, str] = {}
        self._alive: list[Item] = []     # keeps ids unique while memoised
        self._sink = _Sink()
        self.signed: Signed | None = {} if record else None
        self._held: list[str] = []
        self._pickler = _ItemPickler(self._sink, self, self._held if record else None)
        self._before: Signed = {}
        self._known: dict[str, str] = {}
        self.global_sig = self._digest(("code", code, "assets", sorted(assets.items()), "today", site.today,
                                        "preview", preview, "config", site.config, "columns", site.columns,
                                        "communities", [self.item(c) for c in site.communities.values()],
                                        "drafts", sorted(site.drafts)))

    def item(self, item: Item) -> str:
        key = id(item)                  # the site's items live as long as the signer
        sig = self._items.get(key)
        if sig is None:
            state = self.site.state(item)
            succ = state.successor
            # The file's content key stands for the item's own values when it has one; else
            # they are pickled, all but the body, which is hashed as bytes: pickling a str
            # keeps a UTF-8 copy inside it for the rest of the build (at 10,000 items, 40 MB).
            source = source_of(item)
            attachments = self.site.attachments(item)
            if source and state == NO_STATE and not attachments:     # most items: their file alone
                sig = hashlib.sha1(b"file:" + source.encode()).hexdigest()
            else:
                sig = _pickled_digest((
                    source or (item.type, item.id, item.rel, item.file, item.fields),
                    (state.code, state.label, state.note, (succ.key, succ.title) if succ is not None else None),
                    [dataclasses.astuple(a) for a in attachments]),
                    text="" if source else item.body)
            self._items[key] = sig
            self._alive.append(item)
        return sig

    def key(self, key: str) -> str:
        """The signature of the item a template looked up by key ("" when there is none)."""
        item = self.site.items.get(key)
        return self.item(item) if item is not None else ""

    def take_signed(self, global_sig: str, signed: Signed, changed: frozenset[str]) -> None:
        """What the last full build signed, for the very page objects this build renders
        (portal.model_snapshot): a page that holds no item in `changed` (keys) signs as it did
        then, when the signature of everything else is the same, and is not pickled again."""
        if global_sig == self.global_sig:
            self._before = signed
            self._known = {out: sig for out, (sig, held) in signed.items() if changed.isdisjoint(held)}

    def page(self, page: Page) -> str:
        """The page's fields and context, every item in them by its signature (pickled by C
        code, items swapped for their signatures on the way)."""
        known = self._known.get(page.output)
        if known is not None:
            if self.signed is not None:
                self.signed[page.output] = self._before[page.output]
            return known
        h = hashlib.sha1(self.global_sig.encode())
        self._sink.h = h
        self._held.clear()
        self._pickler.dump(page)
        sig = h.hexdigest()
        if self.signed is not None:
            self.signed[page.output] = (sig, tuple(self._held))
        return sig

    def _digest(self, value: Any) -> str:
        h = hashlib.sha1()
        _feed(h, value, self)
        return h.hexdigest()


class _Sink:
    """Where a pickler writes (in frames of up to 64 KiB): the digest of the page at hand."""

    def __init__(self, h=None):
        self.h = h if h is not None else hashlib.sha1()

    def write(self, data) -> None:
        self.h.update(data)


class _ItemPickler(pickle.Pickler):
    """Pickles a page for its digest: an item is written as its signature. Without the memo
    (`fast`), the bytes depend on the values only, not on which equal objects a build happens
    to share, so equal pages always give equal bytes."""

    def __init__(self, sink: _Sink, signer: Signer, held: list[str] | None):
        super().__init__(sink, protocol=5)
        self.fast = True
        # The C pickler looks these types up in a table (no Python call for the thousands of
        # plain values, dates and records of a page). Sets are plain containers to it: that no
        # page context holds one, whose order differs between runs, is a test's job
        # (tests/portal/test_generations.py, unstable_values).
        def signed(item: Item) -> tuple:
            return _item_sig, (signer.item(item),)
        reduce_item = signed
        if held is not None:                  # where the signer records: the items a page holds
            notes = held

            def noted(item: Item) -> tuple:
                notes.append(item.key)
                return signed(item)
            reduce_item = noted
        self.dispatch_table = {Item: reduce_item, Site: _whole_site, Recorder: _whole_site}


def _whole_site(obj: Any) -> Any:
    raise TypeError("a page context holds the whole site: pass what the page shows instead")


def _item_sig(sig: str) -> str:       # what an item stands for in a page's pickle
    return sig


def _pickled_digest(value: Any, text: str = "") -> str:
    """The digest of plain values (fields…) by the C pickler, and of a long `text` as UTF-8.
    Without the pickler's memo, the bytes depend on the values only, not on which equal
    objects happen to be shared."""
    h = hashlib.sha1()
    p = pickle.Pickler(_Sink(h), protocol=5)
    p.fast = True
    p.dump(value)
    h.update(b"\x00text:" + text.encode())
    return h.hexdigest()


def unstable_values(value: Any, path: str = "page") -> list[str]:
    """Where a page holds a value whose pickle differs between runs of the same build (a set
    or frozenset, iterated in hash order): for tests, over every page of the sample."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(v: Any, where: str) -> None:
        if id(v) in seen or isinstance(v, PLAIN) or isinstance(v, Item):
            return
        seen.add(id(v))
        if isinstance(v, (set, frozenset)):
            found.append(where)
        elif isinstance(v, Mapping):
            for k, x in v.items():
                walk(x, f"{where}[{k!r}]")
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                walk(x, f"{where}[{i}]")
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            for f in dataclasses.fields(v):
                walk(getattr(v, f.name), f"{where}.{f.name}")
        elif hasattr(v, "__dict__"):
            walk(vars(v), where)

    walk(value, path)
    return found


def _feed(h, value: Any, signer: Signer) -> None:      # noqa: C901 - one case per kind of value
    if isinstance(value, PLAIN):
        h.update(f"{type(value).__name__}:{value!r}\x1f".encode())
    elif isinstance(value, Item):
        h.update(b"item:" + signer.item(value).encode())
    elif isinstance(value, Record):
        h.update(b"record{")
        for k, v in value.items():
            h.update(k.encode() + b"=")
            _feed(h, v, signer)
        h.update(b"}")
    elif isinstance(value, Mapping):
        h.update(b"map{")
        for k, v in value.items():
            _feed(h, k, signer)
            _feed(h, v, signer)
        h.update(b"}")
    elif isinstance(value, (list, tuple)):
        h.update(f"seq{len(value)}[".encode())
        for v in value:
            _feed(h, v, signer)
        h.update(b"]")
    elif isinstance(value, (set, frozenset)):
        h.update(b"set[" + "\x1f".join(sorted(map(repr, value))).encode() + b"]")
    elif isinstance(value, Ref):
        h.update(f"ref:{value.key}:{value.target}:{value.value}\x1f".encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"{type(value).__name__}(".encode())
        for f in dataclasses.fields(value):
            if f.name == "context" and isinstance(value, Page):
                h.update(b"context")
            _feed(h, getattr(value, f.name), signer)
        h.update(b")")
    else:
        raise TypeError(f"a page context holds a {type(value).__name__}, which signatures.py cannot sign")


class Recorder:
    """The site as templates see it, noting every item looked up by key."""

    def __init__(self, site: Site):
        self._site = site
        self.read: set[str] = set()
        self.items = _RecordingItems(site.items, self.read)

    def __getattr__(self, name: str) -> Any:
        member = getattr(Site, name, None)
        if inspect.isfunction(member):          # Site.policy and the like look up through our items
            return types.MethodType(member, self)
        return getattr(self._site, name)


class _RecordingItems(Mapping):
    def __init__(self, items: Mapping[str, Item], read: set[str]):
        self._items, self._read = items, read

    def __getitem__(self, key: str) -> Item:
        self._read.add(key)
        return self._items[key]

    def get(self, key, default=None):
        self._read.add(key)
        return self._items.get(key, default)

    def __contains__(self, key) -> bool:
        self._read.add(key)
        return key in self._items

    def __iter__(self):
        raise TypeError("a template may look items up by key, not list them (signatures.py)")

    def __len__(self) -> int:
        return len(self._items)
