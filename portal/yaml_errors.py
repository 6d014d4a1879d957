"""YAML that cannot be read, told in Chinese at the line to change.

`syntax_problems` reports what portal.yaml_prescan finds on the lines where the mistakes are;
when the scan finds nothing near the place the parser stopped, the parser's error is
translated (never shown in English: its own words go in `Problem.detail`, printed with
`--verbose`). `misread_problems` reports the mistakes YAML reads without an error but into
the wrong shape (a key indented with full-width spaces, a list item swallowed by the one above).
"""
from __future__ import annotations

from collections.abc import Mapping

import yaml

from . import problems as P
from . import yaml_lines, yaml_prescan
from .problems import Fix, Problem
from .yaml_prescan import Finding

GENERAL = "请检查这一行：英文冒号后要有空格，同一层的字段要对齐（用空格缩进），引号和括号要成对"


def syntax_problems(text: str, path: str, offset: int, error: yaml.YAMLError,
                    labels: Mapping[str, str] | None = None) -> list[Problem]:
    """The problems of YAML `text` (line 1 is line `offset + 1` of the file) that the parser
    refused with `error`."""
    detail = describe(error, offset)
    found = yaml_prescan.scan(text, offset, labels)
    problems = [finding_problem(f, path, detail) for f in found]
    line, message = explain(error, text.split("\n"))
    start = _earliest(error, text.split("\n"), line)
    if not any(start + offset <= f.line <= line + 1 + offset for f in found):
        problems.append(P.error(path, line + 1 + offset, "", "", message, detail=detail))
    return sorted(problems)


def misread_problems(text: str, path: str, offset: int, labels: Mapping[str, str] | None = None) -> list[Problem]:
    """Mistakes in YAML that parsed, where it parsed into something else than staff wrote."""
    if not yaml_prescan.may_be_misread(text):
        return []
    return [finding_problem(f, path) for f in yaml_prescan.scan(text, offset, labels) if f.always]


def not_a_mapping(text: str, path: str, offset: int, labels: Mapping[str, str] | None = None) -> list[Problem]:
    """Why YAML that parsed is not a mapping of fields, when the scan can tell."""
    return [finding_problem(f, path) for f in yaml_prescan.scan(text, offset, labels)]


def finding_problem(f: Finding, path: str, detail: str = "") -> Problem:
    fix = Fix(path, f.line, "", f.old, f.new, f.certain, P.LINE) if f.new else None
    return P.error(path, f.line, "", "", f.message, fix=fix, detail=detail)


def describe(error: yaml.YAMLError, offset: int = 0) -> str:
    """The parser's own words, on one line (for --verbose)."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return f"YAML: {error}"
    mark = error.problem_mark or error.context_mark
    where = f"（第 {mark.line + 1 + offset} 行第 {mark.column + 1} 列）" if mark else ""
    words = "; ".join(w for w in (error.context, error.problem) if w)
    return f"YAML: {words}{where}"


NO_COLON = "这一行没有冒号：每一行应写成“字段名: 值”（英文冒号，冒号后加一个空格）"
QUOTE_IT = "请把整个值放在英文引号里"
ALIGN = "这一行和同一层的字段（或列表项）没有对齐，或上一行的引号、冒号有误：同一层要从同一列开始"
TAB = "这一行用 Tab 键缩进了，缩进只能用英文（半角）空格，同一层的字段要左对齐"
# (words in the parser's error, the line it names: its mark or where what it read began, the sentence)
TRANSLATIONS: tuple[tuple[str, str, str], ...] = (
    ("could not find expected ':'", "start", NO_COLON),
    ("tab character", "mark", TAB),
    ("while scanning a quoted scalar", "start", "从这一行开始的引号没有配对：值以英文引号开头，结尾也要有同样的引号"),
    ("unknown escape character", "mark", "英文双引号里的反斜杠“\\”有特殊含义：请改用英文单引号把值括起来"),
    ("flow sequence", "start", "方括号 [ ] 没有配对，或方括号里的项之间少了英文逗号：请检查从这一行开始的 [ ]"),
    ("flow mapping", "start", "花括号 { } 没有配对，或花括号里的项之间少了英文逗号：请检查从这一行开始的 { }"),
    ("alias", "mark", f"值不能以“*”或“&”开头：{QUOTE_IT}"),
    ("anchor", "mark", f"值不能以“*”或“&”开头：{QUOTE_IT}"),
    ("tag", "mark", f"值不能以“!”开头：{QUOTE_IT}"),
    ("block sequence entries are not allowed", "mark", "列表项“- ”要另起一行，写在字段名下面并缩进两个空格"),
    ("another document", "mark", "这一行的 --- 会把文件分成两段：字段中间不能有 --- 行，请删除它"),
    ("document indicator", "mark", "这一行的 --- 会把文件分成两段：字段中间不能有 --- 行，请删除它"),
    ("block scalar", "mark", "“|”或“>”后面不能接文字：文字要另起一行，并比字段名多缩进两个空格"),
    ("unhashable key", "mark", "字段名不能用方括号或花括号：请写成“字段名: 值”"),
    ("expected key", "mark", ALIGN),
    ("block end", "mark", ALIGN),
    ("'-' indicator", "mark", "这个列表项“- ”和同一列表的其他项没有对齐：各项要从同一列开始"),
)


def explain(error: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    """(0-based line, a Chinese sentence) for a parser error the pre-scan did not name."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return 0, GENERAL
    words = f"{error.context or ''} {error.problem or ''}"
    mark = error.problem_mark or error.context_mark
    line = min(mark.line, max(len(lines) - 1, 0)) if mark else 0
    start = error.context_mark.line if error.context_mark else line
    char = lines[line][mark.column: mark.column + 1] if mark and line < len(lines) else ""
    if "mapping values are not allowed" in words:
        prev = _previous(lines, line)
        if prev is not None and not lines[prev].lstrip().startswith("-") \
                and yaml_lines.split_key(lines[prev].strip()) is None:
            return prev, "这一行没有冒号，和下一行连成了一行：每一行应写成“字段名: 值”（英文冒号，冒号后加一个空格）"
        return line, ("这一行的值里有英文冒号加空格“: ”，或这一行比上面的字段缩进得多："
                      f"值里有冒号时{QUOTE_IT}，同一层的字段要左对齐")
    if "cannot start any token" in words:
        return line, TAB if char == "\t" else f"值不能以“{char}”开头：{QUOTE_IT}" if char.strip() else GENERAL
    for found, which, sentence in TRANSLATIONS:
        if found in words:
            return (start if which == "start" else line), sentence
    return line, GENERAL


def _previous(lines: list[str], line: int) -> int | None:
    """The last line before `line` that holds text (not blank, not a comment)."""
    for i in range(min(line, len(lines)) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _earliest(error: yaml.YAMLError, lines: list[str], line: int) -> int:
    """The first line (1-based, in the text) where the mistake behind `error` may be."""
    if isinstance(error, yaml.MarkedYAMLError) and error.context_mark is not None:
        return min(error.context_mark.line, line) + 1
    prev = _previous(lines, line)
    return (prev if prev is not None else line) + 1
