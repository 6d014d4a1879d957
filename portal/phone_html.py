"""What every rendered page gets after templating, so that it reads on a phone: each table
cell labelled with its column's header (the stylesheet stacks labelled tables into one card
per row below 40em, so no column is cut off) and phone numbers in the page's text made
tap-to-call links.

Pure functions of the page's HTML. They apply to the tables the templates write and to
those staff write in Markdown bodies alike, so no template has to remember them.
"""
from __future__ import annotations

import re

TABLE_RE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
THEAD_RE = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S)
ROW_RE = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
CELL_RE = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
TAG_RE = re.compile(r"<[^>]+>")
SPAN_RE = re.compile(r'\bcolspan="(\d+)"')
CLASS_RE = re.compile(r'\bclass="([^"]*)"')
STACK = "stack"
CARRIED = ("key", "minor")          # header classes its column's cells take over


def label_cells(html: str) -> str:
    """Every cell of a table that has a header row gets `data-label` (its column's header
    text) and the table the class `stack`. The cells of a column whose header has the class
    `key` (amounts, rates: a stacked row shows them first) or `minor` (a row number: a stacked
    row leaves it out, its place says it) get that class too. A table whose cells
    span rows, or that has no header row, is left as it is (it is never stacked)."""
    if "<thead" not in html:
        return html
    return TABLE_RE.sub(_labelled, html)


def _labelled(m: re.Match) -> str:
    attrs, inner = m.group(1), m.group(2)
    head = THEAD_RE.search(inner)
    if head is None or "rowspan=" in inner or STACK in CLASS_RE.findall(attrs):
        return m.group(0)
    rows = ROW_RE.findall(head.group(1))
    if not rows:
        return m.group(0)
    labels: list[tuple[str, str]] = []
    for _, cell_attrs, text in CELL_RE.findall(rows[-1]):
        span = SPAN_RE.search(cell_attrs)
        found = CLASS_RE.search(cell_attrs)
        kept = " ".join(c for c in found.group(1).split() if c in CARRIED) if found else ""
        labels += [(_text(text), kept)] * (int(span.group(1)) if span else 1)
    body = inner[head.end():]
    body = ROW_RE.sub(lambda r: _label_row(r.group(0), labels), body)
    return f"<table{_add_class(attrs, STACK)}>{inner[:head.end()]}{body}</table>"


def _label_row(row: str, labels: list[tuple[str, str]]) -> str:
    column = 0

    def one(c: re.Match) -> str:
        nonlocal column
        tag, attrs, text = c.group(1), c.group(2), c.group(3)
        label, kept = labels[column] if column < len(labels) else ("", "")
        span = SPAN_RE.search(attrs)
        column += int(span.group(1)) if span else 1
        if not label or "data-label=" in attrs or (span and int(span.group(1)) > 1):
            return c.group(0)
        return f'<{tag}{_add_class(attrs, kept) if kept else attrs} data-label="{label}">{text}</{tag}>'

    return CELL_RE.sub(one, row)


def _text(cell: str) -> str:
    """A header cell's text as an attribute value (it is already HTML-escaped text)."""
    return " ".join(TAG_RE.sub("", cell).split()).replace('"', "&quot;")


def _add_class(attrs: str, name: str = "stack") -> str:
    found = CLASS_RE.search(attrs)
    if found is None:
        return f'{attrs} class="{name}"'
    return f'{attrs[:found.start()]}class="{found.group(1)} {name}"{attrs[found.end():]}'


# Landline numbers with their area code (0851-86801234, 0851-8680 1234) and mobile numbers;
# the 12345 hotline. Never inside a longer run of digits.
# (Each alternative starts with its digit, the look-behind after it: Python's re then looks for
# a 0 or 1 first, instead of trying the look-behind at every character: 3.5 times faster.)
PHONE_RE = re.compile(r"(?:0(?<![\d\-]0)\d{2,3}-\d{7,8}(?:-\d{1,4})?|1(?<![\d\-]1)(?:[3-9]\d{9}|2345))(?![\d.])")
SKIP_INSIDE = ("a", "script", "style", "textarea", "title", "option", "code", "pre", "svg")
SKIP_TAG_RE = re.compile(rf"<(/?)(?:{'|'.join(SKIP_INSIDE)})(?![a-zA-Z0-9])[^>]*>", re.I)


def tel_links(html: str) -> str:
    """Phone numbers written in the page's main content, tables included, as `tel:` links,
    except inside links, scripts, form fields, code and SVG (and tags' attribute values).
    Only the numbers and the tags that open or close those elements are looked at, not every
    element of the page."""
    start, end = html.find("<main"), html.rfind("</main>")
    if start < 0 or end < 0:
        return html
    main = html[start:end]
    numbers = [m for m in PHONE_RE.finditer(main) if not _in_tag(main, m.start())]
    if not numbers:
        return html
    skips = [(m.start(), -1 if m[1] else (0 if m[0].endswith("/>") else 1))
             for m in SKIP_TAG_RE.finditer(main) if not _in_tag(main, m.start())]
    out: list[str] = []
    at, depth, k = 0, 0, 0
    for m in numbers:
        while k < len(skips) and skips[k][0] < m.start():
            depth = max(0, depth + skips[k][1])
            k += 1
        if depth == 0:
            out += (main[at:m.start()], _tel(m))
            at = m.end()
    if not out:
        return html
    return html[:start] + "".join(out) + main[at:] + html[end:]


def _in_tag(text: str, at: int) -> bool:
    """Whether `at` is inside a tag (after a "<" that no ">" has closed yet)."""
    return text.rfind("<", 0, at) > text.rfind(">", 0, at)


def _tel(m: re.Match) -> str:
    number = m.group(0)
    return f'<a href="tel:{number.replace("-", "")}">{number}</a>'


def for_phones(html: str) -> str:
    """A rendered page with its tables labelled and its phone numbers tap-to-call."""
    return tel_links(label_cells(html))
