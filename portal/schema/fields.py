"""The vocabulary content types are declared in: field kinds, `Field`, `ContentType`, and the
F/L/S shorthands (field, list, struct) that keep the declarations readable."""
from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

# Field kinds. Each is checked by portal.validate.
STR = "str"            # one line of text
TEXT = "text"          # several lines of text (Markdown where rendered)
INT = "int"
BOOL = "bool"
DATE = "date"          # YYYY-MM-DD
DATETIME = "datetime"  # YYYY-MM-DD HH:MM, Asia/Shanghai
ENUM = "enum"
REF = "ref"            # the id of another item (target: a content type)
PHONE = "phone"        # a Chinese landline or service number, e.g. 0851-83990000, 12345
PATH = "path"          # a site path such as /wza/
FILE = "file"          # a file below content/, relative to content/
LIST = "list"
STRUCT = "struct"
MONEY = "money"        # a non-negative amount, at most two decimals
DECIMAL = "decimal"    # a number written as a quoted string, e.g. "2.10" (kept as written)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = STR
    required: bool = False
    choices: tuple[str, ...] = ()
    target: str = ""                      # REF: the content type referred to
    of: Field | None = None             # LIST: the element
    fields: tuple[Field, ...] = ()      # STRUCT: its members
    default: Any = None
    help: str = ""                        # shown in scaffolds and the staff guide
    min: int | None = None
    max: int | None = None
    allow: tuple[str, ...] = ()           # REF: extra literal values accepted (e.g. "district")

    def member(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None


def F(key: str, label: str, kind: str = STR, **kw: Any) -> Field:
    return Field(key, label, kind, **kw)


def L(key: str, label: str, of: Field, **kw: Any) -> Field:
    return Field(key, label, LIST, of=of, **kw)


def S(key: str, label: str, *fields: Field, **kw: Any) -> Field:
    return Field(key, label, STRUCT, fields=tuple(fields), **kw)


_TYPES: dict[str, ContentType] = {}


def content_type(name: str) -> ContentType:
    return _TYPES[name]


@dataclass(frozen=True, eq=False)      # singletons (see __reduce__): compared and hashed by identity
class ContentType:
    name: str                     # internal name, e.g. "notice"
    label: str                    # Chinese name, e.g. 通知公告
    folder: str                   # below content/
    fields: tuple[Field, ...]
    body: bool = True             # Markdown body allowed (front-matter files)
    body_label: str = "正文"
    fmt: str = "md"               # "md" (front matter + body) or "yaml"
    column: str = ""              # column id in columns.yaml whose list shows it
    listed: bool = True           # appears in feeds, sitemap and column lists
    scaffold: dict[str, Any] = dc_field(default_factory=dict)

    def __post_init__(self) -> None:
        _TYPES.setdefault(self.name, self)

    def __reduce__(self):
        """Types are singletons compared with `is`: a copy in another process (portal.parallel)
        is the same object there."""
        return (content_type, (self.name,))

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


# Phone numbers, declared once. Staff publish public numbers (landlines with an area code and
# an optional extension, 5-6 digit service numbers such as 12345, 400/800 numbers, mobiles);
# a resident leaves a number the centre can call back (a mobile or a landline).
_MOBILE = r"1[3-9]\d{9}"
_LANDLINE = r"0\d{2,3}-?\d{7,8}"
PHONE_RE = re.compile(rf"^({_LANDLINE}(-\d{{1,5}})?|1\d{{4,5}}|[48]00-?\d{{3}}-?\d{{4}}|{_MOBILE})$")
CONTACT_PHONE_RE = re.compile(rf"^({_MOBILE}|{_LANDLINE})$")
