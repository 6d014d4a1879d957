"""Cross-references and consistency inside the content: every reference resolves, files named
by items exist, finance tables read, guides' windows exist in their centres, page paths are
free. Problems point at the referring key's line.

Pure functions of the validated documents. Each returns `Owned` problems: (the key of the
document a problem belongs to, the problem), so the model can tell which documents have an
error of their own.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from . import problems as P
from . import schema
from .disclosure import Ledger
from .items import Item, Ref
from .ledger import read_ledger
from .load import LEDGER_PLACE, FileInfo
from .problems import Problem
from .published_text import markdown_sources
from .urls import reserved

Owned = list[tuple[str, Problem]]
UNREFERENCED = "没有任何内容引用这个文件，它不会发布：如需公开，请在内容的 attachments（附件）中引用它，或在正文中链接 "
UNREFERENCED_TABLE = ("没有任何公开记录引用这个表格，它不会发布：如需公开，请在对应公开记录中写 data: {rel}"
                      "；不需要的话请删除")
FILE_LINK_RE = re.compile(r"/(files/[^\s)\"'<>#?]+)")
LABELS = {t.name: t.label for t in schema.ALL_TYPES}


def resolves(ref: Ref, known: frozenset[str]) -> bool:
    """Whether a reference names something that exists (valid or not: a broken target reports
    its own errors). `known` holds the `folder/stem` of every content file found."""
    if ref.value in ref.allow:
        return True
    if ref.target == "*":
        return ref.value in known or f"{schema.COMMUNITY.folder}/{ref.value}" in known
    return f"{schema.BY_NAME[ref.target].folder}/{ref.value}" in known


UNRESOLVED = "找不到编号为"        # how every reference that names nothing is reported


def unresolved(problem: Problem) -> bool:
    """Whether `problem` is a reference that names nothing (as ref_problems reports it, a
    guess or a draft's note added after): what portal.guesses.reference answers from every
    item's title, name and 文号."""
    return problem.message.startswith(UNRESOLVED)


def ref_problems(refs: Iterable[Ref], path: str, known: frozenset[str]) -> list[Problem]:
    out = []
    for ref in refs:
        if not resolves(ref, known):
            what = LABELS.get(ref.target, "内容")
            hint = "（写成 目录/文件名，如 zcwj/xh-sqfw-2024-1）" if ref.target == "*" else ""
            out.append(P.error(path, ref.line, ref.key, ref.label, f"{UNRESOLVED}“{ref.value}”的{what}{hint}"))
    return out


def references(items: Iterable[Item], known: frozenset[str]) -> Owned:
    """Every item's references resolve; a policy is not superseded by itself."""
    out: Owned = [(i.key, p) for i in items for p in ref_problems(i.refs, i.file, known)]
    for item in items:
        if item.type == "policy" and item.superseded_by == item.id:
            out.append((item.key, P.error(item.file, item.line_of("superseded_by"), "superseded_by", "替代文件",
                                          "不能由自己替代")))
    return out


def attachments(items: Iterable[Item], files: Mapping[str, FileInfo]) -> Owned:
    out: Owned = []
    for item in sorted(items, key=lambda i: i.rel):
        for i, a in enumerate(getattr(item, "attachments", ()) or (), 1):
            if a.file not in files:
                out.append((item.key, P.error(item.file, item.line_of(f"attachments[{i}].file"),
                                              f"attachments[{i}].file", "文件", f"找不到附件 content/{a.file}")))
    return out


T = TypeVar("T")
ReadTable = Callable[[Item, Mapping[str, FileInfo]], "tuple[T | None, list[Problem]]"]


def tables(records: Iterable[Item], files: Mapping[str, FileInfo], field: str,
           read: ReadTable[T]) -> tuple[dict[str, T], Owned]:
    """The table each record names in `field` (a finance ledger: `data`; a 名单: `roster`), read
    and checked by `read`; its problems are owned by the record."""
    found: dict[str, T] = {}
    out: Owned = []
    for r in sorted(records, key=lambda i: i.rel):
        if not r.fields.get(field):
            continue
        table, problems = read(r, files)
        out += [(r.key, p) for p in problems]
        if table is not None:
            found[r.key] = table
    return found, out


def ledgers(records: Iterable[Item], files: Mapping[str, FileInfo]) -> tuple[dict[str, Ledger], Owned]:
    """The finance tables (CSV or Excel) of disclosure records, read and checked."""
    return tables(records, files, "data", read_ledger)


def window_numbers(communities: Iterable[Item]) -> Owned:
    """A centre's window numbers are unique."""
    out: Owned = []
    for c in communities:
        seen: set[int] = set()
        for i, w in enumerate(c.centre.windows if c.centre else (), 1):
            if w.number in seen:
                out.append((c.key, P.error(c.file, c.line_of(f"centre.windows[{i}].number"),
                                           f"centre.windows[{i}].number", "窗口号", f"窗口号 {w.number} 重复")))
            seen.add(w.number)
    return out


def guide_windows(guides: Iterable[Item], communities: Mapping[str, Item], broken: frozenset[str]) -> Owned:
    """A guide's windows exist in its community's service centre (in every centre for a
    district-wide guide). A broken community file reports itself, so its guides are not
    checked against it."""
    numbers = {cid: {w.number for w in c.centre.windows} if c.centre else set()
               for cid, c in communities.items()}
    out: Owned = []
    for guide in guides:
        if f"{schema.COMMUNITY.folder}/{guide.community}" in broken:
            continue
        where = [guide.community] if guide.community in numbers else list(numbers)
        for i, n in enumerate(guide.windows, 1):
            missing = [communities[c].name for c in where if n not in numbers[c]]
            if missing:
                out.append((guide.key, P.error(guide.file, guide.line_of(f"windows[{i}]"), f"windows[{i}]", "窗口号",
                                               f"{'、'.join(missing)}服务中心没有 {n} 号窗口")))
    return out


def page_paths(pages: Iterable[Item]) -> Owned:
    """A content page takes a free path of its own."""
    seen: dict[str, Item] = {}
    out: Owned = []
    for page in sorted(pages, key=lambda i: i.rel):
        url = page.path
        if not url:
            continue
        if url in seen:
            out.append((page.key, P.error(page.file, page.line_of("path"), "path", "页面地址",
                                          f"页面地址 {url} 与 {seen[url].file} 重复")))
        seen[url] = page
        if reserved(url):
            out.append((page.key, P.error(page.file, page.line_of("path"), "path", "页面地址",
                                          f"{url} 是系统栏目使用的地址，请换一个")))
    return out


NONE: frozenset[str] = frozenset()        # one shared empty set for the items that name no file


def files_named(item: Item) -> frozenset[str]:
    """The files one item publishes: attachments, finance tables and /files/ links in its text."""
    out = {a.file for a in getattr(item, "attachments", ()) or ()}
    if item.type == "disclosure":
        out.update(item.fields[k] for k in ("data", "roster") if item.fields.get(k))
    for _, _, text in markdown_sources(item):
        out.update(m[1] for m in FILE_LINK_RE.finditer(text))
    return frozenset(out) if out else NONE


def unreferenced_files(files: Mapping[str, FileInfo], referenced: set[str]) -> list[Problem]:
    """An attachment or table nothing refers to is not published: say so."""
    return [P.warning(info.path, 1, "", "", UNREFERENCED_TABLE.format(rel=rel) if rel.startswith(f"{LEDGER_PLACE}/")
                      else f"{UNREFERENCED}/{rel}；不需要的话请删除")
            for rel, info in sorted(files.items())
            if (rel.startswith(("files/", f"{LEDGER_PLACE}/")) or rel.endswith(".csv")) and rel not in referenced]
