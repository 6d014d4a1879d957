"""The validated content values every stage passes around: `Record` (an immutable mapping of
field values), `Ref` (a reference to another item, with its place) and `Item` (one content
file, validated)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import schema


class Record(Mapping):
    """An immutable mapping whose keys are also attributes (for templates)."""
    __slots__ = ("_d",)

    def __init__(self, d: Mapping[str, Any]):
        object.__setattr__(self, "_d", dict(d))

    def __getitem__(self, k):
        return self._d[k]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __getattr__(self, k):
        try:
            return self._d[k]
        except KeyError:
            raise AttributeError(k) from None

    def get(self, k, default=None):     # Mapping.get would raise and catch KeyError on a miss
        return self._d.get(k, default)

    def __contains__(self, k) -> bool:
        return k in self._d

    def __setattr__(self, k, v):
        raise AttributeError("Record is immutable")

    def __repr__(self):
        return f"Record({self._d!r})"

    def __reduce__(self):
        return (Record, (self._d,))

    def __hash__(self):
        return hash(tuple(sorted((k, repr(v)) for k, v in self._d.items())))


@dataclass(frozen=True)
class Ref:
    """A reference from one item to another, kept with its place for the model's checks."""
    key: str
    label: str
    target: str                      # a content type name, or "*" for "folder/stem"
    value: str
    line: int
    allow: tuple[str, ...] = ()      # literal values accepted without a target (e.g. district)


@dataclass(frozen=True)
class Item:
    """One validated content item. Field values are attributes: `item.title`."""
    type: str
    id: str
    rel: str
    file: str            # the source file as shown in messages
    fields: Record       # field values; also readable as attributes (item.title)
    body: str = ""
    body_line: int = 1
    lines: Mapping[str, int] = field(default_factory=dict)
    refs: tuple[Ref, ...] = ()

    def __post_init__(self) -> None:
        _expose(self)

    def __getattr__(self, k: str) -> Any:
        raise AttributeError(k)        # every field value is already an attribute (_expose)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the exposed copies of the field values (they are the fields'), with
        the content key it was validated from, if noted (portal.model_snapshot keeps it)."""
        d = self.__dict__
        state = {k: d[k] for k in _OWN}
        if "_source" in d:
            state["_source"] = d["_source"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        _expose(self)

    @cached_property
    def key(self) -> str:
        """Global id: `folder/stem` (e.g. zcwj/xh-sqfw-2024-1)."""
        return f"{schema.BY_NAME[self.type].folder}/{self.id}"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.lines.get("", 1))


_OWN = tuple(f for f in Item.__dataclass_fields__)
_TAKEN = frozenset(_OWN) | frozenset(dir(Item))


def _expose(item: Item) -> None:
    """Field values as instance attributes (`item.title`), read by every template and stage at
    the speed of an attribute; a field named like one of Item's own members stays hidden
    behind it, as `__getattr__` hid it before."""
    d = item.__dict__
    for k, v in d["fields"]._d.items():
        if k not in _TAKEN:
            d[k] = v


def take_over(item: Item, new: Item) -> None:
    """Give `item` the text and fields of `new`, an item read from the same file again, in
    place: every list and page that holds `item` then shows them (portal.model_snapshot)."""
    d = item.__dict__
    for k in d["fields"]:
        if k not in new.fields and k not in _TAKEN:
            del d[k]                        # a field no longer written (an optional title)
    d["body"], d["body_line"], d["fields"] = new.body, new.body_line, new.fields
    _expose(item)


def mark_source(item: Item, key: str) -> None:
    """Note the content key of the file `item` was validated from (portal.ingest: the file's
    bytes, place and the builder's code). The item is a pure function of that file, so the key
    stands for its fields and body in signatures (portal.signatures). An item made any other
    way (dataclasses.replace, validation outside the loader) has none."""
    item.__dict__["_source"] = key


def source_of(item: Item) -> str | None:
    return item.__dict__.get("_source")
