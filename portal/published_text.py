"""What a document's published text may hold, checked with the document itself (so a document
that breaks a rule is invalid on its own): no HTML the sanitizer would remove, no image pasted
as base64, no placeholder left from `build.py new`, and values not wrapped in Chinese quotes.

The placeholders `build.py new` writes are declared here, so the scaffold and the check that
finds them left behind are one truth.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from . import markup, schema
from . import problems as P
from .items import Item
from .problems import Problem

BODY_PLACEHOLDER = "在这里用 Markdown 书写{label}。"
# An optional field's placeholder, e.g. （信息来源；选填）: its label, then 必填/选填 and help.
PLACEHOLDER_RE = re.compile(r"（[^（）\n]*；(?:必填|选填)[^（）\n]*）")
BODY_PLACEHOLDER_RE = re.compile(r"在这里用 Markdown 书写\S*。")
NO_QUOTES = "不需要引号，请写成 "
WRAPPED = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"))
# Fields whose text is Markdown on the page (besides the body).
MARKDOWN_FIELDS = {"appeal": ("question",)}


def placeholder(describe: str) -> str:
    """How `build.py new` writes an optional field it leaves to staff."""
    return f"（{describe}）"


def markdown_sources(item: Item) -> Iterator[tuple[str, int, str]]:
    """Every Markdown text a document publishes: (key, first line in the file, text)."""
    if item.body:
        yield "", item.body_line, item.body
    for key in MARKDOWN_FIELDS.get(item.type, ()):
        value = item.fields.get(key)
        if value:
            yield key, item.line_of(key) + 1, value          # a block scalar starts below its key
    for i, s in enumerate(item.fields.get("subjects") or (), 1):
        if s.report:
            yield f"subjects[{i}].report", item.line_of(f"subjects[{i}].report") + 1, s.report


def _strings(value, key: str) -> Iterator[tuple[str, str]]:
    """Every string below a field value, with its dotted key."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, tuple):
        for i, v in enumerate(value, 1):
            yield from _strings(v, f"{key}[{i}]")
    elif hasattr(value, "items"):
        for k, v in value.items():
            yield from _strings(v, f"{key}.{k}" if key else k)


def _label(item: Item, key: str) -> str:
    """The Chinese label of a top-level key ("" for the body and nested keys)."""
    f = schema.BY_NAME[item.type].field(key) if key and "." not in key and "[" not in key else None
    return f.label if f else ""


def check(item: Item) -> list[Problem]:
    """The published-text rules for one validated document."""
    problems: list[Problem] = []
    for key, first, text in markdown_sources(item):
        label = _label(item, key) or ("" if key else "")
        for offset, message in markup.removals(text):
            problems.append(P.error(item.file, first + offset, key, label, message))
        m = BODY_PLACEHOLDER_RE.search(text)
        if m:
            problems.append(P.error(item.file, first + text[: m.start()].count("\n"), key, label,
                                    f"还留着“{m[0]}”这句说明：请换成真正的内容"))
    for key, value in _strings(item.fields, ""):
        found = PLACEHOLDER_RE.search(value)
        if found:
            problems.append(P.error(item.file, item.line_of(key), key, _label(item, key),
                                    f"还留着说明文字“{found[0]}”：请填写真正的内容，或删除这一行"))
        elif any(value.startswith(a) and value.endswith(b) and len(value) > 2 for a, b in WRAPPED):
            problems.append(P.warning(item.file, item.line_of(key), key, _label(item, key),
                                      f"两端的中文引号会作为内容的一部分显示在网站上：{NO_QUOTES}{value[1:-1]}"))
    return problems
