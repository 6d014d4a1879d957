"""Raw documents → typed, immutable items, each with its own problems, driven by portal.schema.

Every function here returns the problems it found; a document is invalid when its own problems
hold an error (portal.problems.has_error). Each field kind has one small checker below.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import guesses, published_text, schema, stated_limits
from . import problems as P
from .guesses import Guess
from .items import Item, Record, Ref
from .load import LineDict, LineList, RawDoc
from .problems import Problem

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$")
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


def parse_money(s: str) -> Decimal | None:
    return Decimal(s) if MONEY_RE.match(s) else None


def unknown_key(path: str, line: int, key: str, shown: str, labels: Mapping[str, str],
                present: Iterable[str]) -> Problem:
    """A key its mapping does not declare (`shown`: with its prefix), with the field it means
    when one is sure: its label, its pinyin or a near spelling (portal.guesses). `labels`: the
    declared keys' Chinese labels; `present`: the keys the mapping has."""
    guess = guesses.key(key, labels, present)
    if guess is None:
        return P.error(path, line, shown, "", "不认识的字段")
    message = "不认识的字段" if key.isascii() else "不认识的字段：字段名要用英文"
    return P.error(path, line, shown, "", P.guessed(message, guess.new),
                   P.Fix(path, line, shown, key, guess.new, guess.safe, P.KEY))


@dataclass
class _Ctx:
    """What checking one document collects: key lines, references and its own problems."""
    path: str
    lines: dict[str, int]
    refs: list[Ref] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, key: str, label: str, msg: str, old: str = "", guess: Guess | None = None) -> None:
        """A problem; with a guess, the message names it and the problem carries it as a Fix
        of the value `old`."""
        if guess is None:
            self.problems.append(P.error(self.path, line, key, label, msg))
            return
        self.problems.append(P.error(self.path, line, key, label, P.guessed(msg, guess.new),
                                     P.Fix(self.path, line, key, old, guess.new, guess.safe)))


@dataclass(frozen=True)
class Checked:
    """A mapping checked against its fields: the typed record, each key's line, the references
    it makes, and its own problems."""
    record: Record
    lines: dict[str, int]
    refs: tuple[Ref, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not P.has_error(self.problems)


# --- one checker per kind, on the stripped text of a scalar ------------------------------

Scalar = Callable[[schema.Field, str, str, int, _Ctx], Any]


def _dated(parse: Callable[[str], Any], pattern: re.Pattern[str], form: str, what: str,
           guess: Callable[[str, int | None], Guess | None]) -> Scalar:
    """The checker of a date-like kind: `form` is how it is written, `what` it names, `guess`
    reads the other ways staff write it (the folder's year for a date without one)."""
    def check(f: schema.Field, s: str, key: str, line: int, ctx: _Ctx) -> Any:
        value = parse(s)
        if value is None and pattern.match(s):
            ctx.error(line, key, f.label, f"“{s}”不是存在的{what}")
        elif value is None:
            ctx.error(line, key, f.label, f"日期格式应为 {form}，而不是“{s}”", s, guess(s, guesses.year_of(ctx.path)))
        return value
    return check


_date = _dated(parse_date, DATE_RE, "YYYY-MM-DD（如 2026-03-01）", "日期", guesses.date)
_datetime = _dated(parse_datetime, DATETIME_RE, "YYYY-MM-DD HH:MM（如 2026-03-01 09:30）", "日期或时间",
                   guesses.datetime)


def _enum(f: schema.Field, s: str, key: str, line: int, ctx: _Ctx) -> str | None:
    if s in f.choices:
        return s
    ctx.error(line, key, f.label, f"“{s}”不是可选值，可选：{'、'.join(f.choices)}", s, guesses.choice(s, f.choices))
    return None


def _phone(f: schema.Field, s: str, key: str, line: int, ctx: _Ctx) -> str | None:
    if schema.PHONE_RE.match(s):
        return s
    ctx.error(line, key, f.label, f"“{s}”不是有效的电话号码（固定电话写成 0851-12345678）")
    return None


def _path(f: schema.Field, s: str, key: str, line: int, ctx: _Ctx) -> str | None:
    if PATH_RE.match(s):
        return s
    ctx.error(line, key, f.label, "页面地址应以 / 开头和结尾，只含小写字母、数字和连字符，如 /wza/")
    return None


def _money(f: schema.Field, s: str, key: str, line: int, ctx: _Ctx) -> Decimal | None:
    amount = parse_money(s)
    if amount is None:
        ctx.error(line, key, f.label, f"金额应为非负数字，最多两位小数，而不是“{s}”", s, guesses.money(s))
    return amount


def _decimal(f: schema.Field, s: str, key: str, line: int, ctx: _Ctx) -> str | None:
    if DECIMAL_RE.match(s):
        return s
    ctx.error(line, key, f.label, f"应为数字（如 \"2.10\"），而不是“{s}”", s, guesses.decimal(s))
    return None


def _ref(f: schema.Field, s: str, key: str, line: int, ctx: _Ctx) -> str:
    ctx.refs.append(Ref(key, f.label, f.target, s, line, f.allow))
    return s


SCALARS: dict[str, Scalar] = {
    schema.DATE: _date, schema.DATETIME: _datetime, schema.ENUM: _enum, schema.PHONE: _phone,
    schema.PATH: _path, schema.MONEY: _money, schema.DECIMAL: _decimal, schema.REF: _ref,
}


def _bool(f: schema.Field, value: Any, key: str, line: int, ctx: _Ctx) -> bool | None:
    if isinstance(value, bool):
        return value
    ctx.error(line, key, f.label, "应为 true（是）或 false（否）")
    return None


def _int(f: schema.Field, value: Any, key: str, line: int, ctx: _Ctx) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        written = str(value).strip()
        ctx.error(line, key, f.label, f"应为整数，而不是“{value}”", written,
                  guesses.number(written, f.min, f.max) if isinstance(value, str) else None)
    elif f.min is not None and value < f.min:
        ctx.error(line, key, f.label, f"不能小于 {f.min}")
    elif f.max is not None and value > f.max:
        ctx.error(line, key, f.label, f"不能大于 {f.max}")
    else:
        return value
    return None


def _text(f: schema.Field, value: Any, key: str, line: int, ctx: _Ctx) -> Any:
    """Kinds written as text: blank, one line or several, then the kind's own checker."""
    if isinstance(value, float):
        value = repr(value)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        ctx.error(line, key, f.label, f"应为{KIND_NAMES.get(f.kind, '文字')}")
        return None
    s = str(value).strip()
    if not s:
        if f.required:
            ctx.error(line, key, f.label, "不能为空")
        return None
    if f.kind == schema.STR and "\n" in s:
        ctx.error(line, key, f.label, "应为一行文字")
        return None
    checker = SCALARS.get(f.kind)
    return checker(f, s, key, line, ctx) if checker else s


def _list(f: schema.Field, value: Any, key: str, line: int, ctx: _Ctx) -> tuple | None:
    of = f.of
    assert of is not None, f"list field {f.key} declares no element"
    if isinstance(value, (str, int)) and of.kind != schema.STRUCT:
        value = LineList([value])        # a single value is a list of one
        value.lines = [line]
    if not isinstance(value, LineList):
        ctx.error(line, key, f.label, f"应为{KIND_NAMES[f.kind]}")
        return None
    out = []
    for i, (v, ln) in enumerate(zip(value, value.lines, strict=True), 1):
        sub = f"{key}[{i}]"
        ctx.lines.setdefault(sub, ln)
        if v is None:
            ctx.error(ln, sub, of.label, "列表中有空项")
            continue
        checked = _value(of, v, sub, ln, ctx)
        if checked is not None:
            out.append(checked)
    if f.required and not value:
        ctx.error(line, key, f.label, "不能为空")
    return tuple(out)


def _value(f: schema.Field, value: Any, key: str, line: int, ctx: _Ctx) -> Any:
    """Check one value against its field; the typed value, or None on error."""
    if f.kind == schema.STRUCT:
        if not isinstance(value, LineDict):
            ctx.error(line, key, f.label, f"应为{KIND_NAMES[f.kind]}")
            return None
        return _mapping(f.fields, value, key + ".", ctx, line)
    if f.kind == schema.LIST:
        return _list(f, value, key, line, ctx)
    if isinstance(value, (LineDict, LineList)):
        ctx.error(line, key, f.label, f"应为{KIND_NAMES.get(f.kind, '一个值')}，不能是列表或嵌套字段")
        return None
    if f.kind == schema.BOOL:
        return _bool(f, value, key, line, ctx)
    if f.kind == schema.INT:
        return _int(f, value, key, line, ctx)
    return _text(f, value, key, line, ctx)


def _empty(f: schema.Field) -> Any:
    return () if f.kind == schema.LIST else f.default


def _mapping(fields: tuple[schema.Field, ...], data: LineDict, prefix: str, ctx: _Ctx,
             at: int | None = None) -> Record:
    """`at`: the line of the key holding this mapping, where a missing member is reported."""
    known = tuple(f.key for f in fields)
    out: dict[str, Any] = {}
    for k, line in data.lines.items():
        ctx.lines[prefix + str(k)] = line
        if k not in known:
            ctx.problems.append(unknown_key(ctx.path, line, str(k), prefix + str(k),
                                            {f.key: f.label for f in fields}, data))
    for f in fields:
        key = prefix + f.key
        if f.key not in data or data[f.key] is None:
            if f.required:
                ctx.error(data.lines.get(f.key, at or data.line), key, f.label, "必填字段，不能缺少")
            out[f.key] = _empty(f)
            continue
        value = _value(f, data[f.key], key, data.lines[f.key], ctx)
        out[f.key] = value if value is not None else _empty(f)
    return Record(out)


def check_fields(fields: tuple[schema.Field, ...], data: LineDict, path: str, prefix: str = "",
                 at: int | None = None) -> Checked:
    """Validate a mapping against fields (its keys shown below `prefix`)."""
    ctx = _Ctx(path, {prefix.rstrip("."): at} if prefix and at else {"": data.line})
    record = _mapping(fields, data, prefix, ctx, at)
    return Checked(record, ctx.lines, tuple(ctx.refs), tuple(ctx.problems))


def check_entries(f: schema.Field, data: LineDict, path: str) -> tuple[list[Checked], list[Problem]]:
    """The list field `f` of a document checked entry by entry, so each entry (a catalogue
    item, say) is valid or not on its own: one Checked per entry that is a mapping, and the
    problems of the list itself (missing, not a list, an empty entry)."""
    assert f.kind == schema.LIST and f.of is not None and f.of.kind == schema.STRUCT
    ctx = _Ctx(path, {})
    value, line = data.get(f.key), data.lines.get(f.key, data.line)
    if value is None:
        if f.required:
            ctx.error(line, f.key, f.label, "必填字段，不能缺少")
        return [], ctx.problems
    if not isinstance(value, LineList):
        ctx.error(line, f.key, f.label, f"应为{KIND_NAMES[f.kind]}")
        return [], ctx.problems
    if f.required and not value:
        ctx.error(line, f.key, f.label, "不能为空")
    out = []
    for i, (v, ln) in enumerate(zip(value, value.lines, strict=True), 1):
        sub = f"{f.key}[{i}]"
        if not isinstance(v, LineDict):
            ctx.error(ln, sub, f.of.label, "列表中有空项" if v is None else f"应为{KIND_NAMES[schema.STRUCT]}")
            continue
        out.append(check_fields(f.of.fields, v, path, prefix=sub + ".", at=ln))
    return out, ctx.problems


def unknown_keys(data: LineDict, known: tuple[str, ...], path: str) -> list[Problem]:
    """A document's top-level keys that its type does not declare."""
    return [unknown_key(path, line, str(k), str(k), dict.fromkeys(known, ""), data)
            for k, line in data.lines.items() if k not in known]


def item_id(doc: RawDoc) -> str:
    """The item's id: its file stem; a disclosure record's is community/item/period."""
    if doc.type is schema.DISCLOSURE:
        return doc.rel.split("/", 1)[1].rsplit(".", 1)[0]
    return doc.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def item_key(doc: RawDoc) -> str:
    """The global key (folder/stem) the document's item will have."""
    return f"{doc.type.folder}/{item_id(doc)}"


def validate_doc(doc: RawDoc) -> tuple[Item, list[Problem]]:
    """Validate one document: the item (defaults filling bad fields) and its own problems."""
    stem = item_id(doc)
    problems: list[Problem] = []
    if doc.type.folder not in ("", "disclosure") and not SLUG_RE.match(stem):
        problems.append(P.error(doc.path, 1, "", "",
                                f"文件名“{stem}”只能包含小写字母、数字和连字符（-），它会成为网址的一部分"))
    checked = check_fields(doc.type.fields, doc.data, doc.path)
    problems += checked.problems
    if not doc.type.body and doc.body.strip():
        problems.append(P.error(doc.path, doc.body_line, "", "", f"{doc.type.label}不需要正文"))
    item = Item(doc.type.name, stem, doc.rel, doc.path, checked.record, doc.body, doc.body_line,
                checked.lines, checked.refs)
    problems += published_text.check(item)
    if doc.type is schema.GUIDE:
        problems += stated_limits.stated_limits(item)
    return item, problems
