"""`python build.py fix`: write in place the corrections the checks are sure of.

Three kinds, in this order: a file in GB18030 or UTF-16 becomes UTF-8 (portal.encodings says
when that is certain); a line YAML cannot read gets the one correction the pre-scan names (a
full-width colon, a tab, `———`; portal.yaml_prescan); a value or key gets the "是否想写 …？" of
its problem when that is safe (portal.guesses). Each is applied to the text where it stands:
every other byte of the file (comments, key order, quoting, the Markdown body) stays as it
was. A file is written only when it then reads back as what the corrections say, and never
when it cannot be read safely before or after. Rounds repeat until nothing is left to apply,
so a second run changes nothing.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError

from . import encodings, pipeline, schema
from . import problems as P
from .load import DOCUMENT_SUFFIXES, LineDict, LineList, parse_doc, parse_yaml, split_front_matter
from .paths import display_path, walk
from .problems import Fix, Problems
from .write import write_atomic
from .yaml_lines import closing
from .yaml_prescan import ODD_SPACES, SPACE_NAMES

UNREADABLE = "文件格式有误，无法安全修改，已保持原样：请按 python build.py check 的提示手工改正后再运行 fix"
ROUNDS = 5                    # a key renamed in one round may show a value to correct in the next
TOKEN_RE = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@dataclass(frozen=True)
class Change:
    rel: str                  # below the content folder
    line: int
    old: str
    new: str


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    refused: list[Change] = field(default_factory=list)      # files left as they were: `new` says why
    before: dict[str, bytes] = field(default_factory=dict)   # each written file's bytes before


def fix_tree(root: Path, scope: Iterable[str], today: dt.date, backup: bool = False,
             cache: Path | None = None) -> Report:
    """Apply every safe correction to the documents below `root` whose path (relative to `root`)
    is in `scope` (folders or files; "" for all). `cache`: the builds' file cache, read but never
    written: each round of checks reads again only the files changed since the last build."""
    report = Report()
    wanted = tuple(scope)
    every = [(rel, Path(p)) for rel, p in walk(root, Problems()) if _within(rel, wanted)]
    files = [(rel, p) for rel, p in every if rel.endswith(DOCUMENT_SUFFIXES) and schema.type_for(rel)]
    # finance tables too; an attachment under files/ is published as it is
    tables = [(rel, p) for rel, p in every if rel.endswith(".csv") and not rel.startswith("files/")]
    for rel, path in files + tables:
        _convert(rel, path, report, backup)
    tried: set[Fix] = set()
    for _ in range(ROUNDS):
        fixes, erring = _safe_fixes(root, today, dict(files), tried, cache)
        if not fixes:
            break
        for rel, found in sorted(fixes.items()):
            if not _apply_file(rel, root / rel, found, report):
                tried.update(found)             # not to be tried again; a changed file is checked anew
    refused = {c.rel for c in report.refused}
    for rel, path in files:             # one that cannot be read has an error, or was written since
        if rel not in refused and (rel in erring or rel in report.before):
            _unreadable(rel, path, report)
    return report


def _within(rel: str, scope: tuple[str, ...]) -> bool:
    return any(not s or rel == s or rel.startswith(s.rstrip("/") + "/") for s in scope)


def _convert(rel: str, path: Path, report: Report, backup: bool) -> None:
    """A file in GB18030 or UTF-16 rewritten in UTF-8, when its encoding is certain."""
    raw = path.read_bytes()
    text, encoding = encodings.sniff(raw)
    if encoding not in encodings.FOREIGN:
        if text is None:
            report.refused.append(Change(rel, 1, "", "无法确定文件的编码，没有转换：请用记事本“另存为”选择 UTF-8 编码"))
        return
    assert text is not None
    if backup:
        write_atomic(path.with_name(path.name + ".bak"), raw)
    report.before.setdefault(rel, raw)
    # Excel reads a UTF-8 CSV as UTF-8 only when it starts with a BOM
    write_atomic(path, ("\ufeff" if rel.endswith(".csv") else "").encode("utf-8") + text.encode("utf-8"))
    report.changes.append(Change(rel, 1, f"{encoding} 编码", "UTF-8 编码"))


def _safe_fixes(root: Path, today: dt.date, files: dict[str, Path], tried: set[Fix],
                cache: Path | None) -> tuple[dict[str, list[Fix]], set[str]]:
    """The safe fixes the checks name now by file (less those tried before); the files with errors."""
    result = pipeline.check(root, today, cache=cache, remember=False)
    base = root.resolve()
    out: dict[str, list[Fix]] = {}
    erring = {rel for p in result.problems.items if p.is_error and (rel := _rel(p.path, base)) is not None}
    for p in result.problems.items:
        fix = p.fix
        if fix is None or not fix.safe or fix in tried:
            continue
        rel = _rel(fix.path, base)
        if rel in files and fix not in out.get(rel, ()):
            out.setdefault(rel, []).append(fix)
    return out, erring


def _rel(shown: str, base: Path) -> str | None:
    """A path as messages show it, relative to the content folder `base` (resolved)."""
    path = Path(os.path.abspath(shown)).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else None


def _apply_file(rel: str, path: Path, fixes: list[Fix], report: Report) -> bool:
    """Apply `fixes` to one file; whether it changed."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError:
        report.refused.append(Change(rel, 1, "", "文件不是 UTF-8 编码，没有修改"))
        return False
    new, changes, why = apply(rel, text, fixes)
    if why:
        report.refused.append(Change(rel, changes[0].line if changes else 1, "", why))
        return False
    if new == text:
        return False
    report.before.setdefault(rel, raw)
    write_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"))
    report.changes.extend(changes)
    return True


def _unreadable(rel: str, path: Path, report: Report) -> None:
    """Say so for a file in scope that still cannot be read: fix never touched it."""
    raw = path.read_bytes()
    text, _ = encodings.sniff(raw)
    ctype = schema.type_for(rel)
    if text is None or ctype is None:
        return
    doc, problems = parse_doc(rel, rel, text.replace("\r\n", "\n"), ctype)
    if doc is None:
        first = min((p for p in problems if p.is_error), default=None)
        where = first.line if first else 1
        report.refused.append(Change(rel, where, "", UNREADABLE))


# --- applying fixes to one file's text (pure) -------------------------------------------------

def apply(rel: str, text: str, fixes: list[Fix]) -> tuple[str, list[Change], str]:
    """(the corrected text, the changes made, "" or why nothing was changed). Line fixes come
    first (the file may not read before them); the file must read after them; value and key
    fixes then edit the front matter or YAML where each value stands."""
    lines = text.split("\n")
    changes: list[Change] = []
    line_fixes = sorted((f for f in fixes if f.kind == P.LINE), key=lambda f: f.line)
    for f in line_fixes:
        i = f.line - 1
        if 0 <= i < len(lines) and lines[i].rstrip("\r") == f.old:
            lines[i] = f.new + ("\r" if lines[i].endswith("\r") else "")
            changes.append(Change(rel, f.line, *_shown(f.old, f.new)))
    text = "\n".join(lines)
    region = _region(rel, text)
    if region is None:
        return text, changes, "修改后文件仍无法读取，没有修改：请按 python build.py check 的提示手工改正"
    others = [f for f in fixes if f.kind != P.LINE]
    if line_fixes or not others:           # values are corrected once the file reads as it should
        return text, changes, ""
    new, more, why = _edit_values(rel, text, region, others)
    return new, changes + more, why


def _shown(old: str, new: str) -> tuple[str, str]:
    """A changed line as staff can see it: when only its indentation changed, the indentation
    in words (an invisible tab or full-width space would read as no change at all)."""
    body = old.lstrip(" " + ODD_SPACES)
    if body != new.lstrip(" ") or not body:
        return old.strip(), new.strip()
    lead = old[: len(old) - len(body)]
    kinds = "、".join(SPACE_NAMES.get(c, "特殊空格") for c in dict.fromkeys(lead) if c != " ").split("（")[0]
    return f"（{kinds}缩进）{body}", f"（{len(new) - len(body)} 个空格缩进）{body}"


def _region(rel: str, text: str) -> tuple[int, int] | None:
    """The lines (first, end) holding the YAML of a document that reads; None when it does not."""
    flat = text.replace("\r\n", "\n")
    ctype = schema.type_for(rel)
    if ctype is None:
        return None
    doc, _ = parse_doc(rel, rel, flat, ctype)
    if doc is None:
        return None
    if rel.endswith((".yaml", ".yml")):
        return 0, len(flat.split("\n"))
    parts, _ = split_front_matter(flat, rel)
    assert parts is not None
    return 1, parts[2] - 2


def _edit_values(rel: str, text: str, region: tuple[int, int], fixes: list[Fix]) -> tuple[str, list[Change], str]:
    lines = text.split("\n")
    first, end = region
    yaml_text = "\n".join(line.rstrip("\r") for line in lines[first:end])
    try:
        tree = _ruamel().load(yaml_text)
    except RuamelError:
        return text, [], "无法安全读取这个文件的格式，没有修改"
    old, _ = parse_yaml(yaml_text, rel)
    expected = _plain(old)
    edits: list[tuple[int, int, int, str, Fix]] = []
    for f in fixes:
        found = _span(tree, f, lines, first)
        if found is None:
            continue
        row, start, stop, replacement = found
        if _expect(expected, f, replacement):
            edits.append((row, start, stop, replacement, f))
    changes = []
    for row, start, stop, replacement, f in sorted(edits, key=lambda e: (e[0], -e[1])):
        lines[row] = lines[row][:start] + replacement + lines[row][stop:]
        changes.append(Change(rel, f.line, f.old, f.new))
    new = "\n".join(lines)
    after, _ = parse_yaml("\n".join(line.rstrip("\r") for line in lines[first:end]), rel)
    if edits and (after is None or _plain(after) != expected):
        return text, [], "修改后的内容与预期不符，没有修改：请按 python build.py check 的提示手工改正"
    return new, sorted(changes, key=lambda c: c.line), ""


def _ruamel() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = True
    return y


def _span(tree: Any, f: Fix, lines: list[str], first: int) -> tuple[int, int, int, str] | None:
    """Where the value or key `f` corrects is written: (row, start, stop, replacement text)."""
    tokens: list[str | int] = [int(m[1]) - 1 if m[1] else m[2] for m in TOKEN_RE.finditer(f.key)]
    node, parent = tree, None
    for tok in tokens[:-1]:
        parent = node
        try:
            node = node[tok]
        except (KeyError, IndexError, TypeError):
            return None
    last = tokens[-1] if tokens else None
    try:
        if f.kind == P.KEY and isinstance(node, CommentedMap) and last in node:
            row, col = node.lc.key(last)
        elif isinstance(last, int) and isinstance(node, CommentedSeq):
            row, col = node.lc.item(last)
        elif isinstance(last, str) and isinstance(node, CommentedMap) and last in node:
            row, col = node.lc.value(last)
        elif last == 0 and isinstance(parent, CommentedMap) and len(tokens) > 1:   # a lone value read as a list
            row, col = parent.lc.value(tokens[-2])
        else:
            return None
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    row += first
    if row + 1 != f.line or row >= len(lines):
        return None
    flow = bool(getattr(getattr(node, "fa", None), "flow_style", lambda: False)())
    return _scalar_at(lines[row].rstrip("\r"), col, f, flow, row)


def _scalar_at(line: str, col: int, f: Fix, flow: bool, row: int) -> tuple[int, int, int, str] | None:
    """The scalar (or key) written at `col`, if it reads as `f.old`, and its replacement."""
    quote = line[col: col + 1]
    if quote in ("'", '"'):
        end = closing(line[col + 1:], quote)
        if end is None:
            return None
        stop = col + end + 2
    else:
        stop = len(line)
        cut = line.find(" #", col)
        if cut >= 0:
            stop = cut
        if f.kind == P.KEY:
            m = re.compile(r":(?=[ \t]|$)").search(line, col)
            stop = m.start() if m else stop
        elif flow:
            m = re.compile(r"[,\]}]").search(line, col)
            stop = min(stop, m.start()) if m else stop
        while stop > col and line[stop - 1] in " \t":
            stop -= 1
    written = line[col:stop]
    read, _ = parse_yaml(f"v: {written}", "")
    if not isinstance(read, LineDict) or str(read.get("v", "")).strip() != f.old:
        return None
    return row, col, stop, _written(f.new, quote if quote in ("'", '"') else "")


def _written(new: str, quote: str) -> str:
    """The new value as YAML: a whole number plain (the field wants a number), else in the
    quotes the old one had, else plain when it reads back as itself."""
    if new.isdigit() or not quote:
        read, _ = parse_yaml(f"v: {new}", "")
        if isinstance(read, LineDict) and str(read.get("v")) == new:
            return new
        quote = quote or '"'
    if quote == "'":
        return "'" + new.replace("'", "''") + "'"
    return '"' + new.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _expect(expected: Any, f: Fix, replacement: str) -> bool:
    """Apply `f` to the plain data `expected` (what the file must read as afterwards)."""
    tokens: list[str | int] = [int(m[1]) - 1 if m[1] else m[2] for m in TOKEN_RE.finditer(f.key)]
    node, parent = expected, None
    for tok in tokens[:-1]:
        try:
            node, parent = node[tok], node
        except (KeyError, IndexError, TypeError):
            return False
    last = tokens[-1]
    if f.kind == P.KEY:
        if not isinstance(node, dict) or last not in node or f.new in node:
            return False
        items = [(f.new if k == last else k, v) for k, v in node.items()]
        node.clear()
        node.update(items)
        return True
    read, _ = parse_yaml(f"v: {replacement}", "")
    if not isinstance(read, LineDict):
        return False
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = read["v"]
    elif isinstance(node, dict) and last in node and not isinstance(node[last], list):
        node[last] = read["v"]
    elif last == 0 and not isinstance(node, (dict, list)) and isinstance(parent, dict):   # a lone value
        parent[tokens[-2]] = read["v"]
    else:
        return False
    return True


def _plain(data: Any) -> Any:
    """The loader's data as plain dicts and lists (to compare what a file reads as)."""
    if isinstance(data, (LineDict, dict)):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (LineList, list)):
        return [_plain(v) for v in data]
    return data


# --- what the command needs around it ------------------------------------------------------------

def scope_of(root: Path, paths: Iterable[Path]) -> list[str]:
    """The paths staff named, relative to the content folder ("" for all of it); ValueError
    names one that is not inside it or does not exist."""
    base = root.resolve()
    out = []
    for p in paths:
        if not p.exists():
            raise ValueError(f"找不到 {p}")
        try:
            rel = p.resolve().relative_to(base).as_posix()
        except ValueError:
            raise ValueError(f"{p} 不在内容目录 {root} 中") from None
        out.append("" if rel == "." else rel)
    return out or [""]


def preview(root: Path, scope: Iterable[str], today: dt.date) -> tuple[Report, str]:
    """What `fix` would do, done on a copy of the content folder: its report and a unified diff
    of every file it would change (the folder itself is not touched)."""
    with tempfile.TemporaryDirectory(prefix="fix-") as tmp:
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy, symlinks=True)
        report = fix_tree(copy, scope, today)
        diffs = [_diff(rel, report.before[rel], (copy / rel).read_bytes(), root) for rel in sorted(report.before)]
    return report, "".join(diffs)


def _diff(rel: str, before: bytes, after: bytes, root: Path) -> str:
    old, _ = encodings.sniff(before)
    new, _ = encodings.sniff(after)
    shown = display_path(root / rel)
    return "".join(difflib.unified_diff((old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
                                        f"{shown}（原文件）", f"{shown}（修改后）"))
