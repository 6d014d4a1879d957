"""Files → raw documents with source line numbers (front matter, YAML, CSV).

This stage reads the content tree; the build's writer later copies attachments and ledgers
from it. Everything returned is plain data; parsing problems come back as `Problem`s (each
function returns its own), never as exceptions.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import encodings, markup, personal_data, schema, workbooks, yaml_errors, yaml_prescan
from . import problems as P
from .attachments import Passage, Reading, decode_text, text_lines
from .attachments import read as read_attachment
from .items import Item
from .paths import Listings, display_path, walk
from .problems import Problem, Problems


class LineDict(dict):
    """A YAML mapping that remembers the line of each key (1-based) and of itself."""
    line: int = 1
    lines: dict

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.lines = {}


class LineList(list):
    """A YAML sequence that remembers the line of each element and of itself."""
    line: int = 1
    lines: list

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.lines = []


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """SafeLoader (libyaml's parser when installed: ~8× faster) that keeps line numbers and
    leaves dates and yes/no as strings.

    Dates are parsed by the validator so a bad one gets a precise Chinese message; YAML 1.1's
    yes/no/on/off booleans are switched off so `答复: no` stays text.
    """

    def __init__(self, stream, offset: int = 0):
        super().__init__(stream)
        self.offset = offset
        self.duplicates: list[tuple[int, str]] = []


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1 + loader.offset
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            key = str(key)
        if isinstance(key, str):
            key = key.strip()          # a full-width (U+3000) or no-break space typed after a key
        line = key_node.start_mark.line + 1 + loader.offset
        if key in out:
            loader.duplicates.append((line, str(key)))
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList()
    out.line = node.start_mark.line + 1 + loader.offset
    for child in node.value:
        out.append(loader.construct_object(child, deep=True))
        out.lines.append(child.start_mark.line + 1 + loader.offset)
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def parse_yaml(text: str, path: str, offset: int = 0,
               labels: dict[str, str] | None = None) -> tuple[Any, list[Problem]]:
    """Parse YAML text: (data, its problems). On a syntax error the data is None and the
    problems name, in Chinese, the lines to change (portal.yaml_errors). `labels` names
    top-level keys in Chinese for duplicate-key messages and for keys typed as their label."""
    loader = _Loader(text, offset)
    by_label = _by_label(labels)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as e:
        return None, yaml_errors.syntax_problems(text, path, offset, e, by_label)
    finally:
        loader.dispose()
    return data, [P.error(path, line, key, (labels or {}).get(key, ""), "同一个字段写了两次，请删除重复的一处")
                  for line, key in loader.duplicates] + yaml_errors.misread_problems(text, path, offset, by_label)


def _by_label(labels: dict[str, str] | None) -> dict[str, str]:
    """Keys by their Chinese label, for the labels only one key has."""
    keys: dict[str, list[str]] = {}
    for key, label in (labels or {}).items():
        keys.setdefault(label, []).append(key)
    return {label: ks[0] for label, ks in keys.items() if len(ks) == 1}


@dataclass(frozen=True)
class RawDoc:
    """One content file, parsed but not yet validated."""
    rel: str                 # relative to the content root, with "/" separators
    path: str                # as shown in messages
    type: schema.ContentType
    data: LineDict
    body: str = ""
    body_line: int = 1
    text: str = ""           # the whole decoded file, for checks that scan published text
    findings: tuple[personal_data.Finding, ...] | None = None   # personal numbers in `text`, once scanned
    prepared: markup.Prepared | None = None             # the body converted (markup.prepare)


@dataclass(frozen=True)
class FileInfo:
    """A non-document file under content/ (attachments, CSV tables, finance workbooks)."""
    rel: str
    path: str
    size: int
    text: str | None = None  # decoded text for CSV files
    reading: Reading = Reading(())   # the text inside, for the personal-data scan
    sheets: tuple[workbooks.Sheet, ...] | None = None   # a finance workbook's sheets (.xlsx beside the records)


@dataclass
class Tree:
    root: Path
    docs: list[RawDoc] = field(default_factory=list)
    files: dict[str, FileInfo] = field(default_factory=dict)
    surveys: list[RawDoc] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    unreadable: set[str] = field(default_factory=set)   # rel paths that could not be parsed
    validated: dict[str, tuple[Item, list[Problem]]] = field(default_factory=dict)   # rel → validate_doc
    rows: tuple[int, dict[str, tuple[int, int, str]]] = (0, {})   # ingest's start (ns); rel → (time ns, size, key)


def split_front_matter(text: str, path: str) -> tuple[tuple[str, str, int] | None, list[Problem]]:
    """((front matter text, body, body's first line) or None when there is none, problems).
    A separator typed otherwise (`———`, `- - -`) is an error at its line, and is read as
    `---` so that the rest of the front matter is checked in the same run."""
    lines = text.split("\n")
    problems: list[Problem] = []
    if not lines or lines[0].rstrip() != "---":
        if not yaml_prescan.is_separator_typo(lines[0]):
            return None, [P.error(path, 1, "", "", "文件应以 --- 开头的 YAML 头部信息开始")]
        problems.append(yaml_errors.finding_problem(yaml_prescan.separator_finding(1, lines[0]), path))
    for i in range(1, len(lines)):
        typo = yaml_prescan.is_separator_typo(lines[i])
        if typo:
            problems.append(yaml_errors.finding_problem(yaml_prescan.separator_finding(i + 1, lines[i]), path))
        if typo or lines[i].rstrip() in ("---", "..."):
            return ("\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2), problems
    return None, problems + [P.error(path, 1, "", "", "头部信息缺少结束的 --- 行")]


# Zero-width characters pasted from WeChat and web pages: invisible, yet they stop search from
# finding a word and make equal-looking titles differ. Removed from every document on reading.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """The file's text (BOM dropped, line ends normalised), or None and the problem. UTF-8;
    GB18030 and UTF-16 (what Notepad and WPS save) are read with a warning when certain
    (portal.encodings), and anything uncertain is an error at the line of its first non-UTF-8
    byte."""
    text, encoding = encodings.sniff(raw)
    if text is None:
        try:
            raw.decode("utf-8")
            start = 0
        except UnicodeDecodeError as e:
            start = e.start
        return None, [P.error(path, raw[:start].count(b"\n") + 1, "", "",
                              "文件不是 UTF-8 编码，请用 UTF-8 另存（如记事本“另存为”选择 UTF-8）")]
    problems = [P.warning(path, 1, "", "", foreign_encoding(encoding))] if encoding in encodings.FOREIGN else []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if INVISIBLE_RE.search(text):
        text = text.translate(INVISIBLE)
    return text, problems


def foreign_encoding(encoding: str) -> str:
    """The warning for a file read in an encoding other than UTF-8."""
    return (f"文件是 {encoding} 编码（记事本、WPS 等另存时常见），已按 {encoding} 读取；"
            "运行 python build.py fix 可把它转换为 UTF-8")


def parse_doc(rel: str, path: str, text: str, ctype: schema.ContentType
              ) -> tuple[RawDoc | None, list[Problem]]:
    """Parse a decoded document, plain YAML or Markdown with YAML front matter: the document
    (None when it cannot be read) and its own problems. An empty one is an empty mapping."""
    labels = {f.key: f.label for f in ctype.fields}
    body, body_line, front = "", 1, text
    if rel.endswith((".yaml", ".yml")):
        data, problems = parse_yaml(text, path, labels=labels)
    else:
        parts, split = split_front_matter(text, path)
        if parts is None:
            return None, split
        front, body, body_line = parts
        data, problems = parse_yaml(front, path, offset=1, labels=labels)
        if split:                      # a mistyped separator: reported with the rest, never read
            return None, split + problems
    if data is None and not P.has_error(problems):
        data = LineDict()
    if data is None:
        return None, problems
    if not isinstance(data, LineDict):
        offset = 0 if rel.endswith((".yaml", ".yml")) else 1
        why = yaml_errors.not_a_mapping(front, path, offset, _by_label(labels))
        return None, problems + (why or [P.error(path, getattr(data, "line", 1), "", "", "内容应为“字段: 值”的形式")])
    return RawDoc(rel, path, ctype, data, body, body_line, text), problems


PLACES = ("tzgg、gzdt、zcwj、zcjd、bszn、pyjg、sqdf、pages、communities、disclosure、results、"
          "surveys")


# Spreadsheets beside the disclosure records: finance tables (portal.ledger says which kinds it
# reads, and what to do with an old .xls).
LEDGER_PLACE = "disclosure"
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".et")


def _is_data(rel: str) -> bool:
    """Attachments, CSV tables, finance workbooks and the URL manifest: read as files, not
    documents."""
    top = rel.split("/")[0]
    return top == "files" or rel.endswith(".csv") or rel == "published-urls.txt" \
        or top == LEDGER_PLACE and rel.lower().endswith(SPREADSHEET_SUFFIXES)


# Files any folder may hold that are not content: readme files, and what Windows and Office
# leave beside documents (thumbnail caches, folder settings, Word's lock files).
IGNORED = ("readme", "readme.md", "readme.txt", "thumbs.db", "desktop.ini")
DOCUMENT_SUFFIXES = (".md", ".yaml", ".yml")
OFFICE_SUFFIXES = (".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".pdf", ".ppt", ".pptx", ".jpg", ".jpeg",
                   ".png", ".gif", ".zip", ".rar")


def _ignored(name: str) -> bool:
    # `.bak`: the original `build.py fix --backup` keeps beside a file it converted to UTF-8
    return name.lower() in IGNORED or name.startswith("~$") or name.lower().endswith(".bak")


def unpublished(rel: str) -> str:
    """Why a file in a content folder will not be published, and what to do about it."""
    name = rel.rsplit("/", 1)[-1]
    lower = name.lower()
    for suffix in DOCUMENT_SUFFIXES:
        if lower.endswith(suffix):
            return f"扩展名应为小写的 {suffix}，这个文件不会发布：请改名为 {name[: -len(suffix)]}{suffix}"
        if suffix in lower and not lower.endswith(suffix):
            stem = name[: lower.index(suffix) + len(suffix)]
            return (f"文件名多了“{name[len(stem):]}”（常见于记事本另存时自动添加），这个文件不会发布："
                    f"请改名为 {stem}（在资源管理器中打开“查看 → 文件扩展名”即可看到完整文件名）")
    if lower.endswith(OFFICE_SUFFIXES):
        return ("Word/WPS、Excel、PDF、图片等文件放在这里不会发布：正文请写成 .md 文件；"
                "需要公开的附件请放到 content/files/，并在内容的 attachments 中引用")
    return "这个文件不会发布：内容只能是 .md 或 .yaml 文件，附件请放到 content/files/"


def load_tree(root: Path) -> Tree:
    """Read every file under the content root into memory (on all cores: portal.parallel).
    portal.ingest does the same with validation and a content-hash cache."""
    from .parallel import pmap
    tree = Tree(root)
    files = content_files(tree)
    for (rel, _), got in zip(files, pmap(read_file, files), strict=True):
        add_read(tree, rel, got)
    return tree


def content_files(tree: Tree, listings: Listings | None = None) -> list[tuple[str, str]]:
    """(rel, path) of every file below the tree's root, sorted; problems go to the tree.
    `listings`: a preview's folder listings, kept between builds (portal.paths.walk)."""
    if not tree.root.is_dir():
        tree.problems.error(display_path(tree.root), 1, "", "", "找不到内容目录")
        return []
    return list(walk(tree.root, tree.problems, listings))


def add_read(tree: Tree, rel: str, got: Read) -> None:
    tree.problems.extend(got.problems)
    if got.doc is not None:
        (tree.surveys if got.doc.type is schema.SURVEY else tree.docs).append(got.doc)
    elif got.file is not None:
        tree.files[rel] = got.file
    elif got.unreadable:
        tree.unreadable.add(rel)


@dataclass(frozen=True)
class Read:
    """What reading one file gave: a document, a data file, or neither; and its problems."""
    problems: list[Problem]
    doc: RawDoc | None = None
    file: FileInfo | None = None
    unreadable: bool = False


def read_file(entry: tuple[str, str]) -> Read:
    """One file read from disk (read_bytes)."""
    rel, p = entry
    try:
        with open(p, "rb") as f:
            raw = f.read()
    except OSError as e:
        return Read([P.error(display_path(p), 1, "", "", f"无法读取文件（{e.strerror}）")])
    return read_bytes(rel, display_path(p), raw)


def read_bytes(rel: str, path: str, raw: bytes) -> Read:
    """One file: a document (parsed, its body converted, its personal numbers found), a data
    file, or a problem. A pure function of the file, run in worker processes."""
    name = rel.split("/")[-1]
    if _ignored(name):
        return Read([])
    if _is_data(rel):
        problems: list[Problem] = []
        return Read(problems, file=_data_file(problems, rel, path, raw))
    if not rel.endswith(DOCUMENT_SUFFIXES):
        return Read([P.error(path, 1, "", "", unpublished(rel))])
    ctype = schema.type_for(rel)
    if ctype is None:
        return Read([P.error(path, 1, "", "", f"不认识的内容位置：请放到 {PLACES} 等目录下")])
    text, problems = decode(raw, path)
    doc = None
    if text is not None:
        doc, parsed = parse_doc(rel, path, text, ctype)
        problems += parsed
    if doc is None:
        return Read(problems, unreadable=True)
    return Read(problems, doc=replace(doc, findings=tuple(personal_data.scan(doc.text)),
                                      prepared=markup.prepare(doc.body) if doc.body else None))


def _data_file(problems: list[Problem], rel: str, path: str, raw: bytes) -> FileInfo:
    """An attachment (read for the personal-data scan), a CSV table (decoded, as the ledger
    reader needs), a finance workbook or the URL manifest."""
    if rel.split("/")[0] == "files":
        text = decode_text(raw) if rel.endswith(".csv") else None
        return FileInfo(rel, path, len(raw), text, read_attachment(rel, raw))
    if rel.lower().endswith(".xlsx"):
        sheets, why = workbooks.read(raw)
        return FileInfo(rel, path, len(raw), None, workbooks.reading(rel, sheets, why), None if why else sheets)
    if rel.lower().endswith(SPREADSHEET_SUFFIXES):
        return FileInfo(rel, path, len(raw), None, read_attachment(rel, raw))
    text, found = decode(raw, path)
    problems += found
    reading = Reading((Passage(1, "文件名", rel.rsplit("/", 1)[-1]), *text_lines(text))) if text is not None \
        and rel.endswith(".csv") else Reading(())
    return FileInfo(rel, path, len(raw), text, reading)


CSV_HEADER = ("日期", "摘要", "收入", "支出", "经办", "凭证号")


def read_csv(text: str) -> list[tuple[int, list[str]]]:
    """Rows of a CSV table with their 1-based line numbers (header included)."""
    rows = []
    reader = csv.reader(io.StringIO(text))
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append((reader.line_num, [c.strip() for c in row]))
    return rows
