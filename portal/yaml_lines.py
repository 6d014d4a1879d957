"""How a line of YAML is written: where its key ends, where a quoted value closes, how deep its
brackets go, how wide its indentation looks, and how to write a value so YAML reads it as text.
Pure helpers of portal.yaml_prescan and `build.py fix`."""
from __future__ import annotations

import re

SPECIAL_START = "@`%*&!"


def ascii_indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def width(lead: str) -> int:
    """How wide indentation looks: a tab or a full-width space is one two-space level."""
    return sum(2 if c in "\t\u3000" else 1 for c in lead)


def split_key(body: str) -> tuple[str, str] | None:
    """(key, value) of `key: value` / `key:`; None when the line has no key."""
    if body[:1] in "\"'":
        end = closing(body[1:], body[0])
        if end is None:
            return None
        after = body[end + 2:]
        if after.startswith(":") and (len(after) == 1 or after[1] in " \t"):
            return body[: end + 2], after[1:].strip()
        return None
    if body[:1] in "[{#|>":
        return None
    m = re.search(r":(?=[ \t]|$)", body)
    if m is None or " #" in body[: m.start()]:
        return None
    key = body[: m.start()].rstrip()
    if not key:
        return None
    return key, body[m.end():].strip()


def closing(text: str, quote: str) -> int | None:
    """Index in `text` of the quote closing a scalar opened just before it, or None."""
    i = 0
    while i < len(text):
        c = text[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and text[i + 1: i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def depth(text: str) -> int:
    """How many brackets a line opens minus those it closes, outside quotes."""
    depth, quote = 0, ""
    for c in text:
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "#":
            break
    return depth


def uncommented(value: str) -> str:
    cut = value.find(" #")
    return (value[:cut] if cut >= 0 else value).strip()


def safe(value: str) -> str:
    """A value as it can follow `key: ` (quoted when it holds a colon and a space, or ` #`)."""
    return quoted(value) if ": " in value or " #" in value or value.endswith(":") else value


def needs_quotes(inner: str) -> bool:
    return ": " in inner or inner.endswith(":") or " #" in inner or inner[:1] in SPECIAL_START + "#-?[{|>"


def quoted(value: str) -> str:
    """A value in YAML quotes: double, or single when it holds a double quote or backslash."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'
