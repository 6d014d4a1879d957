"""Before YAML reads a file: the typing mistakes staff make, each named on the line where it is,
in one plain sentence with the corrected line.

YAML's own messages are English and often a line late (`title：关于` is reported on the *next*
line as "mapping values are not allowed"). This scan reads the text line by line the way YAML
will: it knows which lines hold a key, which continue the value above, and which sit inside a
block (`|`), a quoted value or brackets, so it looks only where a key or a list item goes.
Pure functions of the text.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .yaml_lines import (
    SPECIAL_START,
    ascii_indent,
    closing,
    depth,
    needs_quotes,
    quoted,
    safe,
    split_key,
    uncommented,
    width,
)

ODD_SPACES = "\t\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
SPACE_NAMES = {"\t": "Tab 键", "\u3000": "全角空格", "\u00a0": "不间断空格（从网页或 Word 复制时常带来）"}
# What a reader can take for the `---` that opens and closes front matter: dashes of any width,
# with or without spaces (Word turns `---` into `——-`; IMEs give `———` and `－－－`).
SEPARATOR_RE = re.compile(r"^(?:[-\u2010-\u2015\u2500\u2501\u4e00\uff0d\ufe63\u30fc][ \t\u3000]*){3,}$")
BLOCK_RE = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")
PLAIN_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*|[\u4e00-\u9fff][\u4e00-\u9fff\w]{0,15})$")
NO_SPACE_RE = re.compile(r"^([A-Za-z_][\w-]*|[\u4e00-\u9fff][\u4e00-\u9fff\w]{0,15}):[\u3000\u00a0]*([^\s/].*)$")
# Only these can make a file that YAML reads wrong in silence, so only texts holding them are
# scanned when YAML reads them without an error (a C-speed test of every document).
QUICK_RE = re.compile(r"^ *[\u3000\u00a0\u2000-\u200a\u202f\u205f]|^( *)- [^\n]*\n(?:[ \t]*\n)*\1 +- ", re.M)


@dataclass(frozen=True)
class Finding:
    line: int              # 1-based, in the file (the offset of its YAML added)
    message: str
    old: str               # the line as written
    new: str = ""          # the corrected line ("" when there is no single correction)
    certain: bool = False  # `build.py fix` may write `new` in place of `old`
    always: bool = False   # wrong even when YAML reads the file: it reads it into the wrong shape


def is_separator_typo(line: str) -> bool:
    """A line meant as the `---` of front matter but written otherwise (`———`, `- - -`)."""
    return line.strip() != "---" and bool(SEPARATOR_RE.match(line))


def separator_finding(line_no: int, old: str) -> Finding:
    return Finding(line_no, f"头部信息的分隔线要写成三个英文减号“---”，这一行写成了“{old.strip()}”：应写成 ---",
                   old, "---", certain=True)


def scan(text: str, offset: int = 0, labels: Mapping[str, str] | None = None) -> list[Finding]:
    """Every mistake found in YAML `text` (its first line is line `offset + 1` of the file).
    `labels`: top-level keys by their Chinese label, so `标题：…` is corrected to `title: …`."""
    scanner = _Scanner(text.split("\n"), offset, dict(labels or {}))
    scanner.run()
    return _merged(scanner.found)


def _merged(found: list[Finding]) -> list[Finding]:
    """One finding per line: a line indented with tabs whose colon is full-width gets one
    sentence naming both and one corrected line (the last, which corrects both)."""
    by_line: dict[int, list[Finding]] = {}
    for f in found:
        by_line.setdefault(f.line, []).append(f)
    out = []
    for line, fs in sorted(by_line.items()):
        if len(fs) == 1:
            out.append(fs[0])
            continue
        new = next((f.new for f in reversed(fs) if f.new), "")
        messages = [f.message.split("：应写成")[0] for f in fs]
        message = "；".join(messages) + (f"：应写成“{new}”" if new else "")
        out.append(Finding(line, message, fs[0].old, new, all(f.certain for f in fs) and bool(new),
                           any(f.always for f in fs)))
    return out


def may_be_misread(text: str) -> bool:
    """Whether YAML that parsed cleanly may still hold a mistake `scan` reports as `always`."""
    return QUICK_RE.search(text) is not None


# --- the scanner ------------------------------------------------------------------------------

@dataclass
class _Level:
    indent: int
    seq: bool                  # a list's `-` column, not a mapping's keys
    line: int = 0              # 0-based line that opened it


@dataclass
class _Open:
    """What the last line left open for the lines below it."""
    kind: str                  # "block" (key with no value), "scalar", "literal" (| or >), "quoted", "flow"
    indent: int                # the container's column: lines below must be indented more to belong
    line: int = 0
    seq_item: bool = False     # the scalar is a list item's (`- text`)
    item_col: int = 0          # that item's `-` column
    quote: str = ""
    depth: int = 0
    parent_key: bool = False   # a block opened by `key:` (a list may start at the key's own column)


@dataclass
class _Scanner:
    lines: list[str]
    offset: int
    labels: dict[str, str]
    found: list[Finding] = field(default_factory=list)
    levels: list[_Level] = field(default_factory=list)
    open: _Open | None = None

    def add(self, i: int, message: str, new: str = "", certain: bool = False, always: bool = False) -> None:
        self.found.append(Finding(i + 1 + self.offset, message, self.lines[i], new, certain, always))

    def run(self) -> None:
        for i, raw in enumerate(self.lines):
            text = raw.rstrip("\r")
            if not text.strip():
                continue
            if self.open is not None and self._inside(i, text):
                continue
            if text.lstrip(" ").startswith("#"):
                continue
            if text in ("---", "...") or text.startswith(("--- ", "%")):
                self.levels, self.open = [], None
                continue
            self._structural(i, text)
        if self.open is not None and self.open.kind == "quoted":
            self._unclosed(self.open)

    # -- lines that belong to the value above ----------------------------------------------

    def _inside(self, i: int, text: str) -> bool:
        """Whether line i continues what the line above left open (and so is not looked at)."""
        op = self.open
        assert op is not None
        if op.kind == "block":
            return False
        indent = ascii_indent(text)
        if op.kind == "literal":
            if indent > op.indent:
                return True
        elif op.kind == "quoted":
            if indent > op.indent:
                if closing(text, op.quote) is not None:
                    self.open = None
                return True
            self._unclosed(op)
        elif op.kind == "flow":
            op.depth += depth(text)
            if op.depth <= 0:
                self.open = None
            return True
        elif op.kind == "scalar" and indent > op.indent and not text.lstrip(" ").startswith("#"):
            self._continued(i, text[indent:], op)
            return True
        self.open = None
        return False

    def _continued(self, i: int, body: str, op: _Open) -> None:
        """A line YAML reads as more of the value above: a list item or a key there is a mistake."""
        if op.seq_item and (body.startswith("- ") or body == "-"):
            new = " " * op.item_col + body
            self.add(i, "这个列表项“- ”比上一项缩进得多，会被当成上一项文字的一部分：同一列表的各项要对齐，"
                        f"应写成“{new}”", new, always=True)
        elif op.seq_item and split_key(body) is not None:
            self.add(i, "这一行比上面的列表项缩进得多，会被当成列表项文字的一部分：列表项里有多个字段时，"
                        "第一个字段要写在“- ”后面（如“- name: 申请书”），其余字段与它左对齐")
        elif split_key(body) is not None:
            new = " " * op.indent + body
            self.add(i, f"这一行比上面的字段缩进得多，会被当成上一行的值：同一层的字段要左对齐，应写成“{new}”", new)

    def _unclosed(self, op: _Open) -> None:
        line = self.lines[op.line]
        q = op.quote
        new = line.rstrip() + q
        self.add(op.line, f"引号没有配对：值以英文引号 {q} 开头，结尾也要有 {q}，应写成 {new.strip()}", new)
        self.open = None

    # -- lines where a key or a list item goes ----------------------------------------------

    def _structural(self, i: int, text: str) -> None:
        lead_len = len(text) - len(text.lstrip(" " + ODD_SPACES))
        lead, body = text[:lead_len], text[lead_len:]
        odd = [c for c in lead if c != " "]
        indent = len(lead) if not odd else self._fixed_indent(lead, body)
        if odd:
            self._odd_lead(i, lead, body, indent, ascii_indent(text))
            if indent < 0:
                indent = width(lead)
        block, self.open = self.open, None
        indent, child = self._place(i, indent, body, block)
        self._content(i, indent, body, child)

    def _fixed_indent(self, lead: str, body: str) -> int:
        """The indentation a line indented with tabs or wide spaces should have: the open level
        (or the new child level) nearest its width; -1 when two are as near."""
        wide = width(lead)
        options = {lv.indent for lv in self.levels}
        op = self.open
        if op is not None and op.kind == "block":
            options.add(op.indent + 2)
            if op.parent_key and body.startswith("-"):
                options.add(op.indent)
        if not options:
            return 0
        ranked = sorted(options, key=lambda n: (abs(n - wide), n))
        if len(ranked) > 1 and abs(ranked[0] - wide) == abs(ranked[1] - wide):
            return -1
        return ranked[0]

    def _odd_lead(self, i: int, lead: str, body: str, indent: int, seen: int) -> None:
        """`seen`: the indentation YAML sees (the spaces before the first odd one)."""
        kinds = [c for c in dict.fromkeys(lead) if c != " "]
        what = "、".join(SPACE_NAMES.get(c, "特殊空格") for c in kinds)
        what = f" {what}" if what.startswith("Tab") else what
        keyish = body.startswith("- ") or body == "-" or split_key(body) is not None
        if indent < 0 or not keyish:
            self.add(i, f"这一行开头用{what}缩进了，缩进只能用英文（半角）空格，同一层的字段要左对齐")
            return
        new = " " * indent + body
        self.add(i, f"这一行开头用{what}缩进了，缩进只能用英文（半角）空格（这里应是 {indent} 个空格）：应写成“{new}”",
                 new, certain=True, always="\t" not in kinds and seen != indent)

    def _place(self, i: int, indent: int, body: str, block: _Open | None) -> tuple[int, bool]:
        """Check the line's indentation against the open levels and keep them up to date: the
        indentation the line is read at (its sibling's when misaligned), and whether it is the
        first line below a `key:`."""
        dash = body.startswith("- ") or body == "-"
        if block is not None and block.kind == "block" and (
                indent > block.indent or (indent == block.indent and dash and block.parent_key)):
            self.levels.append(_Level(indent, dash, i))
            return indent, True
        before = list(self.levels)
        while self.levels and self.levels[-1].indent > indent:
            self.levels.pop()
        if not self.levels:
            self.levels.append(_Level(indent, dash, i))
            return indent, False
        if self.levels[-1].indent == indent:
            return indent, False
        # between two levels: aligned with neither the level above nor its parent
        same = [lv for lv in before if lv.seq == dash] or before
        sibling = min(reversed(same), key=lambda lv: abs(lv.indent - indent))
        new = " " * sibling.indent + body
        where = f"第 {sibling.line + 1 + self.offset} 行"
        if dash:
            self.add(i, f"这个列表项“- ”没有和同一列表的其他项对齐（{where}的一项从第 {sibling.indent + 1} 列开始）："
                        f"应写成“{new}”", new)
        else:
            self.add(i, f"这一行的缩进和同一层的字段没有对齐（{where}的字段从第 {sibling.indent + 1} 列开始）："
                        f"应写成“{new}”", new)
        self.levels = [lv for lv in before if lv.indent <= sibling.indent]
        return sibling.indent, False

    def _content(self, i: int, indent: int, body: str, child: bool) -> None:
        """What follows the indentation: list dashes, then a key and its value, or a value.
        `child`: the line is the first below a `key:` (a value may stand there alone)."""
        col, seq_col, whole = indent, -1, body
        while body.startswith("- ") or body == "-":
            seq_col = col
            rest = body[1:].lstrip(" ")
            col += len(body) - len(rest)
            body = rest
            if self.levels and self.levels[-1].indent < col:
                self.levels.append(_Level(col, rest.startswith("- "), i))
        if not body:
            self.open = _Open("block", seq_col, i)
            return
        prefix = " " * indent + whole[: len(whole) - len(body)]
        split = split_key(body)
        if split is None:
            if child and seq_col < 0 and _ascii_key_wide_colon(body):
                self._fullwidth_colon(i, prefix, body, col)    # `hearing:` then `  date：2026-03-19`
            elif (child and seq_col < 0) or not self._keyless(i, prefix, body, col, seq_col):
                self._value(i, prefix, "", body, col if seq_col < 0 else seq_col, seq_col)
            return
        key, value = split
        if "：" in key:
            self._fullwidth_colon(i, prefix, body, col)
            return
        if not value:
            self.open = _Open("block", col, i, parent_key=True)
            return
        self._value(i, prefix + key + ": ", key, value, col, -1)

    def _keyless(self, i: int, prefix: str, body: str, col: int, seq_col: int) -> bool:
        """A line with no `key: ` where a key goes: a full-width colon or a colon with no space
        after it (reported), or a list item's value (False: the caller reads it as one)."""
        head, sep, _ = body.partition("：")
        head = head.strip(" \u3000")
        # a list item's text often holds a full-width colon (`- 困难残疾人生活补贴：…`): only a
        # field name before it makes it a key
        if sep and PLAIN_KEY_RE.match(head) and (seq_col < 0 or head.isascii()):
            self._fullwidth_colon(i, prefix, body, col)
            return True
        m = NO_SPACE_RE.match(body)
        if m and not m[2].startswith(("//", "\\")) and seq_col < 0:
            new = f"{prefix}{self._key(m[1], col)}: {safe(m[2])}"
            self.add(i, f"冒号后面要有一个英文（半角）空格：应写成 {new.strip()}", new, certain=self._known(m[1]))
            self.open = _Open("scalar", col, i)
            return True
        if seq_col >= 0:
            return False
        self.add(i, "这一行没有冒号：每一行应写成“字段名: 值”（英文冒号，冒号后加一个空格）")
        self.open = _Open("scalar", col, i)
        return True

    def _fullwidth_colon(self, i: int, prefix: str, body: str, col: int) -> None:
        key, _, value = body.partition("：")
        key, value = key.strip(" \u3000"), value.strip(" \u3000")
        new = f"{prefix}{self._key(key, col)}:" + (f" {safe(value)}" if value else "")
        self.add(i, f"字段名后面的冒号要用英文（半角）冒号“:”，冒号后加一个空格：应写成 {new.strip()}", new,
                 certain=self._known(key))
        self.open = _Open("block", col, i, parent_key=True) if not value else _Open("scalar", col, i)

    def _known(self, key: str) -> bool:
        """A key that is surely one: a field name (ASCII) or a field's Chinese label. A Chinese
        word before a colon may also be text that lost its indentation."""
        return key.isascii() or key in self.labels

    def _key(self, key: str, col: int) -> str:
        """The key to write: a top-level key typed as its Chinese label becomes the field's name."""
        return self.labels.get(key, key) if col == 0 else key

    def _value(self, i: int, prefix: str, key: str, value: str, col: int, seq_col: int) -> None:
        """A scalar after `key: ` or `- `: quotes, brackets, block indicators, colons."""
        container = col if seq_col < 0 else seq_col
        item = seq_col >= 0 and not key
        first = value[0]
        if BLOCK_RE.match(value):
            self.open = _Open("literal", container, i)
        elif first in "\"'":
            end = closing(value[1:], first)
            if end is None:
                self.open = _Open("quoted", container, i, quote=first)
                return
            rest = value[end + 2:].strip()
            if rest and not rest.startswith("#"):
                inner = value[1:].rstrip()
                inner = inner[:-1] if inner.endswith(first) else inner
                new = prefix + quoted(inner)
                self.add(i, f"值里又出现了英文引号 {first}，引号提前结束了：外面改用另一种引号，"
                            f"应写成 {new.strip()}", new)
            self.open = _Open("scalar", container, i, item, seq_col)
        elif first in "[{":
            opened = depth(value)
            self.open = _Open("flow", container, i, depth=opened) if opened > 0 else None
        elif first in "“‘" and value.endswith("”’"[first == "‘"]) and needs_quotes(value[1:-1]):
            new = prefix + quoted(value[1:-1])
            self.add(i, f"中文引号不能代替英文引号把值括起来（值里有冒号或 #）：应写成 {new.strip()}", new,
                     certain=True)
            self.open = _Open("scalar", container, i, item, seq_col)
        else:
            self._plain(i, prefix, value, container, item, seq_col)

    def _plain(self, i: int, prefix: str, value: str, container: int, item: bool, seq_col: int) -> None:
        stripped = uncommented(value)
        if (stripped and stripped[0] in SPECIAL_START) or stripped.startswith(("- ", "? ")) or stripped == "-":
            new = prefix + quoted(stripped)
            self.add(i, f"值不能以“{stripped[:1]}”开头：请把值放在英文引号里，应写成 {new.strip()}", new)
        elif ": " in stripped or stripped.endswith(":"):
            new = prefix + quoted(stripped)
            self.add(i, "值里有英文冒号加空格“: ”，会被当成又一个字段：请把整个值放在英文引号里，"
                        f"应写成 {new.strip()}", new)
        self.open = _Open("scalar", container, i, item, seq_col)


def _ascii_key_wide_colon(body: str) -> bool:
    """`date：2026-03-19`: a field name (ASCII) before a full-width colon. The first line below a
    `key:` may be a value on its own, but a value does not start with a field name and "："."""
    head, sep, _ = body.partition("：")
    head = head.strip(" \u3000")
    return bool(sep) and head.isascii() and bool(PLAIN_KEY_RE.match(head))
