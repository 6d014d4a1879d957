"""The site's configuration documents → a typed `Config`: site.yaml, columns.yaml, the disclosure
catalogue, the working-day calendars, redirects.yaml and the search synonyms (portal.synonyms).

Each document (and each catalogue entry) is valid on its own: an entry or a calendar file with
an error of its own is left out, and `Config.broken` names the documents that have one. The
builder never renders while any error stands; the survey service refuses to start on a broken
site.yaml or columns.yaml (see `Config.usable`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import problems as P
from . import schema, site_identity, workdays
from .hant import DEFAULT, t2s_pairs
from .items import Record
from .load import LineDict, RawDoc
from .message_stats import check as message_stats_check
from .problems import Problem
from .references import ref_problems
from .request_stats import check as request_stats_check
from .synonyms import NO_SYNONYMS, Synonyms, read_synonyms
from .validate import check_entries, check_fields, unknown_keys

REQUIRED_COLUMNS = ("tzgg", "gzdt", "xxgk", "zcwj", "zcjd", "bszn", "tese", "dwgk", "jwgk",
                    "cwgk", "hdjl", "myd", "pyjg", "sqdf", "sq", "sousuo")
SITE_FILE, COLUMNS_FILE = "site.yaml", "columns.yaml"


@dataclass(frozen=True)
class Column:
    id: str
    name: str
    path: str
    max_age: int | None
    parent: str | None
    nav: bool


@dataclass(frozen=True)
class Catalogue:
    """The disclosure catalogue's valid entries and where every entry was written."""
    entries: tuple[Record, ...] = ()
    file: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)
    index: Mapping[str, int] = field(default_factory=dict)    # entry id → 1-based place in the file
    broken: frozenset[str] = frozenset()                      # ids of entries with errors

    def line(self, iid: str, key: str = "") -> int:
        """The line of an entry (or one of its keys) in catalogue.yaml."""
        n = self.index.get(iid)
        if n is None:
            return 1
        return self.lines.get(f"items[{n}].{key}" if key else f"items[{n}]",
                              self.lines.get(f"items[{n}]", 1))


@dataclass(frozen=True)
class Config:
    site: Record
    columns: tuple[Column, ...]
    columns_file: str
    column_lines: Mapping[str, int]
    catalogue: Catalogue
    calendar: workdays.Calendar
    redirects: tuple[Record, ...]
    broken: frozenset[str]          # rel paths of configuration documents with errors
    synonyms: Synonyms = NO_SYNONYMS    # content/synonyms.yaml, for the search page
    # content/ysqgk/<year>.yaml: each valid year's 依申请公开 counts (portal.request_stats)
    request_stats: Mapping[int, Record] = field(default_factory=dict)
    # content/liuyan/<YYYY-MM>.yaml: each valid month's 留言统计 (portal.message_stats)
    message_stats: Mapping[str, Record] = field(default_factory=dict)
    site_path: str = ""                                      # site.yaml as shown in messages
    site_lines: Mapping[str, int] = field(default_factory=dict)   # its keys' lines

    @property
    def usable(self) -> bool:
        """site.yaml and columns.yaml exist and are valid: the service can lay out pages."""
        return SITE_FILE not in self.broken and COLUMNS_FILE not in self.broken


def read_config(docs: list[RawDoc], root: str, known: frozenset[str]) -> tuple[Config, list[Problem]]:
    """Configuration from the loaded documents of the configuration types. `root`: the content
    root as shown in messages (for a missing file); `known`: the keys of every content file
    found, which the catalogue's references may name."""
    by_type: dict[str, list[RawDoc]] = {}
    for d in sorted(docs, key=lambda d: d.rel):
        by_type.setdefault(d.type.name, []).append(d)
    problems: list[Problem] = []
    broken: set[str] = set()

    def own(rel: str, found: list[Problem]) -> None:
        problems.extend(found)
        if P.has_error(found):
            broken.add(rel)

    site_doc = _one(by_type, schema.SITE)
    site, site_lines, found = _site(site_doc, f"{root}/{SITE_FILE}")
    own(SITE_FILE, found)
    columns, column_lines, columns_file, found = _columns(_one(by_type, schema.COLUMNS), root)
    own(COLUMNS_FILE, found)
    catalogue, found = _catalogue(_one(by_type, schema.CATALOGUE), known)
    problems += found
    calendars = []
    for doc in by_type.get(schema.CALENDAR.name, []):
        rec, found = _calendar(doc)
        own(doc.rel, found)
        if not P.has_error(found):
            calendars.append(rec)
    redirects: tuple[Record, ...] = ()
    red = _one(by_type, schema.REDIRECTS)
    if red is not None:
        checked = check_fields(schema.REDIRECTS.fields, red.data, red.path)
        own(red.rel, list(checked.problems))
        redirects = checked.record.redirects if checked.ok else ()
    syn = _one(by_type, schema.SYNONYMS)
    synonyms, found = read_synonyms(syn, _fold(site.get("hant")) if syn is not None else {})
    if syn is not None:
        own(syn.rel, found)
    request_stats: dict[int, Record] = {}
    for doc in by_type.get(schema.REQUEST_STATS.name, []):
        rec, found = request_stats_check(doc)
        own(doc.rel, found)
        if not P.has_error(found):
            request_stats[rec.year] = rec
    message_stats: dict[str, Record] = {}
    for doc in by_type.get(schema.MESSAGE_STATS.name, []):
        rec, found = message_stats_check(doc, known)
        own(doc.rel, found)
        if not P.has_error(found):
            message_stats[rec.period] = rec
    return Config(site, columns, columns_file, column_lines, catalogue, workdays.from_records(calendars),
                  redirects, frozenset(broken), synonyms, request_stats, message_stats,
                  site_doc.path if site_doc else f"{root}/{SITE_FILE}", site_lines), problems


def _fold(conversion: str | None) -> dict[str, str]:
    """繁體 character → the Simplified one the search page turns it into."""
    pairs = t2s_pairs(conversion or DEFAULT)
    return {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}


def _one(by_type: dict[str, list[RawDoc]], ctype: schema.ContentType) -> RawDoc | None:
    docs = by_type.get(ctype.name)
    return docs[0] if docs else None


def _site(doc: RawDoc | None, missing: str) -> tuple[Record, Mapping[str, int], list[Problem]]:
    """site.yaml and its keys' lines. When broken, its record still carries what did validate
    (the `sample` flag among them) so the build's other rules report as they should; nothing
    is rendered. The identity items' formats are checked here (portal.site_identity)."""
    if doc is None:
        return check_fields(schema.SITE.fields, LineDict(), missing).record, {}, [
            P.error(missing, 1, "", "", "缺少站点信息文件 site.yaml")]
    checked = check_fields(schema.SITE.fields, doc.data, doc.path)
    found = list(checked.problems) + site_identity.check(checked.record, checked.lines, doc.path)
    return checked.record, checked.lines, found


def _columns(doc: RawDoc | None, root: str
             ) -> tuple[tuple[Column, ...], dict[str, int], str, list[Problem]]:
    if doc is None:
        path = f"{root}/{COLUMNS_FILE}"
        return (), {}, path, [P.error(path, 1, "", "", "缺少栏目设置文件 columns.yaml")]
    checked = check_fields(schema.COLUMNS.fields, doc.data, doc.path)
    problems, lines = list(checked.problems), checked.lines
    columns: list[Column] = []
    seen: set[str] = set()
    for i, c in enumerate(checked.record.columns, 1):
        if c.id in seen:
            problems.append(P.error(doc.path, lines.get(f"columns[{i}]", 1), f"columns[{i}].id", "栏目编号",
                                    f"栏目编号 {c.id} 重复"))
        seen.add(c.id)
        columns.append(Column(c.id, c.name, c.path, c.max_age, c.parent, bool(c.nav)))
    problems += [P.error(doc.path, 1, "columns", "栏目", f"缺少栏目 {cid}")
                 for cid in REQUIRED_COLUMNS if cid not in seen]
    return tuple(columns), lines, doc.path, problems


def _catalogue(doc: RawDoc | None, known: frozenset[str]) -> tuple[Catalogue, list[Problem]]:
    """Each entry is checked on its own; an entry with an error of its own is left out (its id
    kept in `broken`, so records filed under it are not reported a second time)."""
    if doc is None:
        return Catalogue(), []
    items = schema.CATALOGUE.fields[0]
    problems = unknown_keys(doc.data, schema.CATALOGUE.keys, doc.path)
    entries, found = check_entries(items, doc.data, doc.path)
    problems += found
    lines: dict[str, int] = {"": doc.data.line}
    index: dict[str, int] = {}
    kept: list[Record] = []
    broken: set[str] = set()
    for n, checked in enumerate(entries, 1):
        rec = checked.record
        lines.update(checked.lines)
        found = list(checked.problems) + ref_problems(checked.refs, doc.path, known)
        problems += found
        if rec.id and rec.id in index:
            problems.append(P.error(doc.path, lines.get(f"items[{n}].id", 1), f"items[{n}].id", "事项编号",
                                    f"事项编号 {rec.id} 重复"))
            continue
        if rec.id:
            index[rec.id] = n
        if not P.has_error(found):
            kept.append(rec)
        elif rec.id:
            broken.add(rec.id)
    return Catalogue(tuple(kept), doc.path, lines, index, frozenset(broken)), problems


def _calendar(doc: RawDoc) -> tuple[Record, list[Problem]]:
    checked = check_fields(schema.CALENDAR.fields, doc.data, doc.path)
    rec, lines, problems = checked.record, checked.lines, list(checked.problems)
    stem = doc.rel.rsplit("/", 1)[-1].split(".")[0]
    if rec.year is not None and stem != str(rec.year):
        problems.append(P.error(doc.path, lines.get("year", 1), "year", "年份", f"文件名应为 {rec.year}.yaml"))
    for key in ("holidays", "workdays"):
        for i, d in enumerate(rec[key], 1):
            if rec.year is not None and d.date is not None and d.date.year != rec.year:
                problems.append(P.error(doc.path, lines.get(f"{key}[{i}]", 1), f"{key}[{i}].date", "日期",
                                        f"{d.date} 不在 {rec.year} 年内"))
    return rec, problems
