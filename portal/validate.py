"""Raw documents → typed, immutable items plus Problems, driven by portal.schema."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator, Mapping

from . import schema
from .load import LineDict, LineList, RawDoc
from .problems import Problems

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$")
# Landlines with area code, 5-6 digit service numbers (12345), 400/800 numbers, mobiles.
PHONE_RE = re.compile(r"^(0\d{2,3}-\d{7,8}(-\d{1,5})?|1\d{4,5}|[48]00-?\d{3}-?\d{4}|1[3-9]\d{9})$")
PATH_RE = re.compile(r"^/([a-z0-9-]+/)*$")
MONEY_RE = re.compile(r"^\d+(\.\d{1,2})?$")
DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")

KIND_NAMES = {
    schema.STR: "一行文字", schema.TEXT: "文字", schema.INT: "整数", schema.BOOL: "true 或 false",
    schema.DATE: "日期", schema.DATETIME: "日期时间", schema.ENUM: "选项", schema.REF: "编号",
    schema.PHONE: "电话号码", schema.PATH: "页面地址", schema.FILE: "文件路径",
    schema.LIST: "列表（每项以“- ”开头）", schema.STRUCT: "一组字段（缩进的“字段: 值”）",
    schema.DECIMAL: "数字",
}


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

    def __setattr__(self, k, v):
        raise AttributeError("Record is immutable")

    def __repr__(self):
        return f"Record({self._d!r})"

    def __hash__(self):
        return hash(tuple(sorted((k, repr(v)) for k, v in self._d.items())))


@dataclass(frozen=True)
class Ref:
    """A reference from one item to another, kept with its place for the model's checks."""
    key: str
    label: str
    target: str
    value: str
    line: int


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

    def __getattr__(self, k):
        fields = object.__getattribute__(self, "fields")
        try:
            return fields[k]
        except KeyError:
            raise AttributeError(k) from None

    @property
    def key(self) -> str:
        """Global id: `folder/stem` (e.g. zcwj/xh-sqfw-2024-1)."""
        return f"{schema.BY_NAME[self.type].folder}/{self.id}"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.lines.get("", 1))


def parse_date(s: str) -> dt.date | None:
    m = DATE_RE.match(s)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_datetime(s: str) -> dt.datetime | None:
    m = DATETIME_RE.match(s)
    if not m:
        return None
    try:
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]))
    except ValueError:
        return None


def suggest(key: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
    return f"，是否想写 {close[0]}？" if close else ""


@dataclass
class _Ctx:
    path: str
    problems: Problems
    lines: dict[str, int]
    refs: list[Ref]

    def error(self, line: int, key: str, label: str, msg: str) -> None:
        self.problems.error(self.path, line, key, label, msg)


def _check_value(f: schema.Field, value: Any, key: str, line: int, ctx: _Ctx) -> Any:
    """Check one value against its field; return the typed value or None on error."""
    kind = f.kind
    if kind == schema.STRUCT:
        if not isinstance(value, LineDict):
            ctx.error(line, key, f.label, f"应为{KIND_NAMES[kind]}")
            return None
        return _check_mapping(f.fields, value, key + ".", ctx, line)
    if kind == schema.LIST:
        if isinstance(value, (str, int)) and f.of and f.of.kind != schema.STRUCT:
            value = LineList([value]); value.lines = [line]  # a single value is a list of one
        if not isinstance(value, LineList):
            ctx.error(line, key, f.label, f"应为{KIND_NAMES[kind]}")
            return None
        out = []
        for i, (v, ln) in enumerate(zip(value, value.lines), 1):
            sub = f"{key}[{i}]"
            ctx.lines.setdefault(sub, ln)
            if v is None:
                ctx.error(ln, sub, f.of.label, "列表中有空项")
                continue
            checked = _check_value(f.of, v, sub, ln, ctx)
            if checked is not None:
                out.append(checked)
        if f.required and not value:
            ctx.error(line, key, f.label, "不能为空")
        return tuple(out)
    if isinstance(value, (LineDict, LineList)):
        ctx.error(line, key, f.label, f"应为{KIND_NAMES.get(kind, '一个值')}，不能是列表或嵌套字段")
        return None
    if kind == schema.BOOL:
        if not isinstance(value, bool):
            ctx.error(line, key, f.label, "应为 true（是）或 false（否）")
            return None
        return value
    if kind == schema.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.error(line, key, f.label, f"应为整数，而不是“{value}”")
            return None
        if f.min is not None and value < f.min:
            ctx.error(line, key, f.label, f"不能小于 {f.min}")
            return None
        if f.max is not None and value > f.max:
            ctx.error(line, key, f.label, f"不能大于 {f.max}")
            return None
        return value
    if isinstance(value, float):
        value = repr(value)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        ctx.error(line, key, f.label, f"应为{KIND_NAMES.get(kind, '文字')}")
        return None
    s = str(value).strip()
    if not s:
        if f.required:
            ctx.error(line, key, f.label, "不能为空")
        return None
    if kind == schema.STR and "\n" in s:
        ctx.error(line, key, f.label, "应为一行文字")
        return None
    if kind == schema.DATE:
        d = parse_date(s)
        if d is None:
            ctx.error(line, key, f.label, f"日期格式应为 YYYY-MM-DD（如 2026-03-01），而不是“{s}”"
                      if not DATE_RE.match(s) else f"“{s}”不是存在的日期")
        return d
    if kind == schema.DATETIME:
        d = parse_datetime(s)
        if d is None:
            ctx.error(line, key, f.label, f"日期格式应为 YYYY-MM-DD HH:MM（如 2026-03-01 09:30），而不是“{s}”"
                      if not DATETIME_RE.match(s) else f"“{s}”不是存在的日期或时间")
        return d
    if kind == schema.ENUM:
        if s not in f.choices:
            ctx.error(line, key, f.label, f"“{s}”不是可选值，可选：{'、'.join(f.choices)}")
            return None
        return s
    if kind == schema.PHONE:
        if not PHONE_RE.match(s):
            ctx.error(line, key, f.label, f"“{s}”不是有效的电话号码（固定电话写成 0851-12345678）")
            return None
        return s
    if kind == schema.PATH:
        if not PATH_RE.match(s):
            ctx.error(line, key, f.label, "页面地址应以 / 开头和结尾，只含小写字母、数字和连字符，如 /wza/")
            return None
        return s
    if kind == schema.MONEY:
        if not MONEY_RE.match(s):
            ctx.error(line, key, f.label, f"金额应为非负数字，最多两位小数，而不是“{s}”")
            return None
        return Decimal(s)
    if kind == schema.DECIMAL:
        if not DECIMAL_RE.match(s):
            ctx.error(line, key, f.label, f"应为数字（如 \"2.10\"），而不是“{s}”")
            return None
        return s
    if kind == schema.REF:
        ctx.refs.append(Ref(key, f.label, f.target, s, line))
        return s
    return s


def _check_mapping(fields: tuple[schema.Field, ...], data: LineDict, prefix: str,
                   ctx: _Ctx, at: int | None = None) -> Record:
    """`at`: the line of the key holding this mapping, where a missing member is reported."""
    known = tuple(f.key for f in fields)
    out: dict[str, Any] = {}
    for k, line in data.lines.items():
        ctx.lines[prefix + str(k)] = line
        if k not in known:
            ctx.error(line, prefix + str(k), "", f"不认识的字段{suggest(str(k), known)}")
    for f in fields:
        key = prefix + f.key
        if f.key not in data or data[f.key] is None:
            if f.required:
                ctx.error(data.lines.get(f.key, at or data.line), key, f.label, "必填字段，不能缺少")
            out[f.key] = () if f.kind == schema.LIST else f.default
            continue
        value = _check_value(f, data[f.key], key, data.lines[f.key], ctx)
        if value is None and f.kind == schema.LIST:
            value = ()
        out[f.key] = value if value is not None else (f.default if f.kind != schema.LIST else ())
    return Record(out)


def check_fields(fields: tuple[schema.Field, ...], data: LineDict, path: str,
                 problems: Problems) -> tuple[Record, dict[str, int], tuple[Ref, ...]]:
    """Validate a mapping against fields: (typed record, key → line, references)."""
    ctx = _Ctx(path, problems, {"": data.line}, [])
    record = _check_mapping(fields, data, "", ctx)
    return record, ctx.lines, tuple(ctx.refs)


def item_id(doc: RawDoc) -> str:
    """The item's id: its file stem; a disclosure record's is community/item/period."""
    if doc.type is schema.DISCLOSURE:
        return doc.rel.split("/", 1)[1].rsplit(".", 1)[0]
    return doc.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def validate_doc(doc: RawDoc, problems: Problems) -> Item | None:
    """Validate one document. Returns the item (possibly with defaults filling bad fields)."""
    stem = item_id(doc)
    if doc.type.folder not in ("", "disclosure") and not SLUG_RE.match(stem):
        problems.error(doc.path, 1, "", "",
                       f"文件名“{stem}”只能包含小写字母、数字和连字符（-），它会成为网址的一部分")
    record, lines, refs = check_fields(doc.type.fields, doc.data, doc.path, problems)
    if not doc.type.body and doc.body.strip():
        problems.error(doc.path, doc.body_line, "", "", f"{doc.type.label}不需要正文")
    return Item(doc.type.name, stem, doc.rel, doc.path, record, doc.body, doc.body_line,
                lines, refs)


def walk_values(record: Any) -> Iterator[Any]:
    """Every leaf value below a record (used by checks that scan all text)."""
    if isinstance(record, Mapping):
        for v in record.values():
            yield from walk_values(v)
    elif isinstance(record, tuple):
        for v in record:
            yield from walk_values(v)
    else:
        yield record


def parse_money(s: str) -> Decimal | None:
    if not MONEY_RE.match(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already excludes these
        return None
