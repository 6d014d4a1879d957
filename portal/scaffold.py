"""`python build.py new TYPE "标题"`: a new content file with every field explained.

The scaffold is derived from portal.schema, so it always lists the fields the validator
accepts, with their Chinese labels, choices and help.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import clock, schema
from .disclosure import parse_period
from .published_text import BODY_PLACEHOLDER, placeholder
from .validate import SLUG_RE
from .write import write_atomic

ALIASES = {"tzgg": "notice", "gzdt": "news", "zcwj": "policy", "zcjd": "interpretation",
           "bszn": "guide", "sqdf": "appeal", "pyjg": "evaluation", "pages": "page"}
CREATABLE = ("notice", "news", "policy", "interpretation", "guide", "appeal", "evaluation",
             "page", "community", "disclosure")


class ScaffoldError(Exception):
    pass


def _describe(f: schema.Field) -> str:
    parts = [f.label, "必填" if f.required else "选填"]
    if f.kind == schema.ENUM:
        parts.append("可选：" + "、".join(f.choices))
    elif f.kind in (schema.DATE, schema.DATETIME) and "YYYY" not in f.help:
        parts.append("YYYY-MM-DD" if f.kind == schema.DATE else "YYYY-MM-DD HH:MM")
    if f.help:
        parts.append(f.help)
    return "；".join(parts)


def _placeholder(f: schema.Field, indent: str) -> str:
    if f.kind == schema.STRUCT:
        inner = "".join(f"{indent}  # {m.key}: {placeholder(_describe(m))}\n" for m in f.fields)
        return "\n" + inner.rstrip("\n")
    if f.kind == schema.LIST:
        if f.of and f.of.kind == schema.STRUCT:
            first, *rest = f.of.fields
            lines = [f"{indent}  # - {first.key}: {placeholder(_describe(first))}"]
            lines += [f"{indent}  #   {m.key}: {placeholder(_describe(m))}" for m in rest]
            return "\n" + "\n".join(lines)
        return "\n" + f"{indent}  # - {placeholder(f.of.label + '；选填' if f.of else '选填')}"
    return ""


def render_scaffold(ctype: schema.ContentType, values: dict[str, str]) -> str:
    """The text of a new file: known values filled in, required fields left to fill (the
    check then lists them), optional fields as comments."""
    lines = [f"# {ctype.label}：以 # 开头的行是说明，填写时去掉 # 即可。"]
    draft = ctype.field("draft")
    if draft is not None:               # first, so it is the last line staff delete
        lines.append(f"draft: true  # {_describe(draft)}")
    for f in ctype.fields:
        if f.key == "draft":
            continue
        if f.key in values:
            lines.append(f"{f.key}: {values[f.key]}  # {_describe(f)}")
        elif f.required:
            lines.append(f"{f.key}:  # {_describe(f)}{_placeholder(f, '')}")
        else:
            lines.append(f"# {f.key}:  {placeholder(_describe(f))}{_placeholder(f, '')}")
    front = "\n".join(lines) + "\n"
    if ctype.fmt == "yaml":
        return front
    return f"---\n{front}---\n\n{BODY_PLACEHOLDER.format(label=ctype.body_label)}\n"


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _values(name: str, ctype: schema.ContentType, title: str, today: dt.date, community: str | None
            ) -> dict[str, str]:
    """The fields a new file starts with filled in."""
    values: dict[str, str] = {("name" if name == "community" else "title"): _quote(title)}
    now = clock.now()
    if ctype.field("published"):
        values["published"] = now.strftime("%Y-%m-%d %H:%M") if now.date() == today \
            else f"{today:%Y-%m-%d} 09:00"
    if name == "page":
        values["updated"] = f"{today:%Y-%m-%d} 09:00"
    values.update(ctype.scaffold)
    if ctype.field("community") and name != "disclosure":
        values["community"] = community or "district"
    return values


def _disclosure_path(community: str | None, item: str | None, period: str | None) -> Path:
    if not (community and item and period):
        raise ScaffoldError("公开记录需要 --community、--item 和 --period，"
                            "如 --community huanghe --item cw-szmx --period 2026-03")
    if parse_period(period) is None:
        raise ScaffoldError(f"期间“{period}”格式不对，应如 2026-03、2026Q1、2026H1、2026 或 2026-05-12")
    return Path("disclosure") / community / item / f"{period}.md"


def _item_path(content: Path, name: str, ctype: schema.ContentType, today: dt.date, item_id: str | None) -> Path:
    """Where a new item goes: its id (or today's date, numbered when taken) in its folder."""
    stem = item_id or f"{today:%Y%m%d}"
    if not SLUG_RE.match(stem):
        raise ScaffoldError(f"文件名“{stem}”只能包含小写字母、数字和连字符")
    folder = Path(ctype.folder)
    if name in ("notice", "news"):
        folder = folder / str(today.year)
    suffix = ".yaml" if ctype.fmt == "yaml" else ".md"
    rel = folder / f"{stem}{suffix}"
    n = 2
    while item_id is None and (content / rel).exists():
        rel = folder / f"{stem}-{n}{suffix}"
        n += 1
    return rel


def create(content: Path, type_name: str, title: str, today: dt.date, *, item_id: str | None = None,
           community: str | None = None, item: str | None = None, period: str | None = None) -> Path:
    name = ALIASES.get(type_name, type_name)
    if name not in CREATABLE:
        raise ScaffoldError(f"不认识的类型“{type_name}”，可选：{'、'.join(CREATABLE)}")
    ctype = schema.BY_NAME[name]
    if not title.strip():
        raise ScaffoldError("标题不能为空")
    values = _values(name, ctype, title, today, community)
    if name == "disclosure":
        rel = _disclosure_path(community, item, period)
    else:
        rel = _item_path(content, name, ctype, today, item_id)
    target = content / rel
    if target.exists():
        raise ScaffoldError(f"{target} 已存在，未覆盖")
    if not re.fullmatch(r"[\w./-]+", rel.as_posix()):
        raise ScaffoldError(f"路径“{rel}”含有不允许的字符")
    write_atomic(target, render_scaffold(ctype, values).encode("utf-8"))
    return target
