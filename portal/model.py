"""The site: items by id, references resolved and checked, views by column/community/year.

`build_model(tree, today)` is pure: it takes the loaded tree and returns the Site plus every
problem found. Templates get everything they show from here; they compute nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from . import references, schema, workdays
from .disclosure import FREQUENCY_KIND, KIND_EXAMPLE, Ledger, parse_period
from .load import FileInfo, Tree
from .problems import Problems
from .validate import Item, Record, check_fields, validate_doc

# Where each disclosure domain is shown (DESIGN §4). 政务 sits with 居务 (事务公开).
DOMAIN_SECTION = {"党务": "dwgk", "居务": "jwgk", "财务": "cwgk", "政务": "jwgk"}
SECTION_DOMAINS = {"dwgk": ("党务",), "jwgk": ("居务", "政务"), "cwgk": ("财务",)}

REQUIRED_COLUMNS = ("tzgg", "gzdt", "xxgk", "zcwj", "zcjd", "bszn", "tese", "dwgk", "jwgk",
                    "cwgk", "hdjl", "myd", "pyjg", "sqdf", "sq", "sousuo")


@dataclass(frozen=True)
class Column:
    id: str
    name: str
    path: str
    max_age: int | None
    parent: str | None
    nav: bool


@dataclass(frozen=True)
class State:
    """The state label an item shows: 已撤回, 已过期, 已废止, 已失效, 已修改 (or none)."""
    code: str            # "", "withdrawn", "expired", "repealed", "invalid", "amended"
    label: str
    note: str = ""
    successor: Item | None = None


NO_STATE = State("", "")


@dataclass(frozen=True)
class Attachment:
    title: str
    rel: str
    format: str
    size: int


@dataclass(frozen=True)
class Subject:
    role: str
    report: str | None
    votes: tuple[tuple[str, int], ...]
    total: int
    rate: str            # "91.44" (percent, two decimals, half-up), or "" when no votes


@dataclass
class Site:
    today: dt.date
    config: Record
    columns: tuple[Column, ...]
    communities: dict[str, Item]
    catalogue: tuple[Record, ...]
    items: dict[str, Item]                   # global key (folder/stem) → item
    by_type: dict[str, tuple[Item, ...]]     # newest first
    skipped_party: int = 0
    files: dict[str, FileInfo] = field(default_factory=dict)
    ledgers: dict[str, Ledger] = field(default_factory=dict)
    interpretations: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    states: dict[str, State] = field(default_factory=dict)
    invalid: frozenset[str] = frozenset()     # items with field errors: semantic checks skip them
    surveys: dict = field(default_factory=dict)  # id → portal.surveys.Survey
    broken_surveys: frozenset[str] = frozenset()  # survey files that exist but did not validate
    calendar: workdays.Calendar = workdays.OFFICIAL
    schedule: tuple = ()                     # portal.schedule.Slot, one per expected disclosure
    catalogue_file: str = ""
    columns_file: str = ""
    column_lines: dict = field(default_factory=dict)

    def column_line(self, cid: str) -> int:
        for i, c in enumerate(self.columns, 1):
            if c.id == cid:
                return self.column_lines.get(f"columns[{i}]", 1)
        return 1
    warnings: tuple = ()                       # set by the pipeline for the staff report page
    texts: dict = field(default_factory=dict)   # shown path → published source text (privacy scan)
    catalogue_lines: dict = field(default_factory=dict)

    def catalogue_line(self, iid: str, key: str = "") -> int:
        """The line of a catalogue item (or one of its keys) in catalogue.yaml."""
        for i, c in enumerate(self.catalogue, 1):
            if c.id == iid:
                return self.catalogue_lines.get(f"items[{i}].{key}" if key else f"items[{i}]", 1)
        return 1
    redirects: tuple[Record, ...] = ()

    def valid(self, type_name: str) -> tuple[Item, ...]:
        """Items of a type whose fields all validated (what semantic checks look at)."""
        return tuple(i for i in self.by_type[type_name] if i.key not in self.invalid)

    # -- lookups used by pages and templates --------------------------------------------
    def column(self, cid: str) -> Column:
        for c in self.columns:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def policy(self, pid: str) -> Item | None:
        return self.items.get(f"zcwj/{pid}")

    def result(self, sid: str | None) -> Item | None:
        """The published results of a survey (content/results/<sid>.yaml), if any."""
        return self.items.get(f"{schema.RESULT.folder}/{sid}") if sid else None

    def state(self, item: Item) -> State:
        return self.states.get(item.key, NO_STATE)

    def community_name(self, cid: str | None) -> str:
        if not cid or cid == "district":
            return f"{self.config.district}（全区）"
        c = self.communities.get(cid)
        return c.name if c else cid

    def attachments(self, item: Item) -> tuple[Attachment, ...]:
        out = []
        for a in getattr(item, "attachments", ()) or ():
            info = self.files.get(a.file)
            ext = a.file.rsplit(".", 1)[-1].upper() if "." in a.file else "文件"
            out.append(Attachment(a.title, a.file, ext, info.size if info else 0))
        return tuple(out)

    def catalogue_item(self, iid: str) -> Record | None:
        for c in self.catalogue:
            if c.id == iid:
                return c
        return None


def sort_key(item: Item):
    """Newest first; ties broken by id so output is deterministic."""
    published = getattr(item, "published", None) or dt.datetime.min
    return (-published.toordinal() * 1440 - published.hour * 60 - published.minute
            if published != dt.datetime.min else 0, item.id)


def build_model(tree: Tree, today: dt.date) -> tuple[Site | None, Problems]:
    problems = Problems()
    problems.extend(tree.problems)
    if not tree.root.is_dir():
        return None, problems   # the loader said so; nothing else can be checked
    docs = {d.rel: d for d in tree.docs}

    # site.yaml and columns.yaml
    config = None
    site_doc = docs.pop("site.yaml", None) or docs.pop("site.yml", None)
    if site_doc is None:
        problems.error(f"{_root_path(tree)}/site.yaml", 1, "", "", "缺少站点信息文件 site.yaml")
    else:
        config, _, _ = check_fields(schema.SITE.fields, site_doc.data, site_doc.path, problems)
    columns: list[Column] = []
    col_lines: dict[str, int] = {}
    col_doc = docs.pop("columns.yaml", None) or docs.pop("columns.yml", None)
    if col_doc is None:
        problems.error(f"{_root_path(tree)}/columns.yaml", 1, "", "", "缺少栏目设置文件 columns.yaml")
    else:
        rec, lines, _ = check_fields(schema.COLUMNS.fields, col_doc.data, col_doc.path, problems)
        col_lines = lines
        seen: set[str] = set()
        for i, c in enumerate(rec.columns, 1):
            if c.id in seen:
                problems.error(col_doc.path, lines.get(f"columns[{i}]", 1), f"columns[{i}].id",
                               "栏目编号", f"栏目编号 {c.id} 重复")
            seen.add(c.id)
            columns.append(Column(c.id, c.name, c.path, c.max_age, c.parent, bool(c.nav)))
        for cid in REQUIRED_COLUMNS:
            if cid not in seen:
                problems.error(col_doc.path, 1, "columns", "栏目", f"缺少栏目 {cid}")

    catalogue: tuple[Record, ...] = ()
    cat_doc = docs.pop("disclosure/catalogue.yaml", None) or docs.pop("disclosure/catalogue.yml", None)
    cat_lines: dict[str, int] = {}
    cat_refs = ()
    if cat_doc is not None:
        rec, cat_lines, cat_refs = check_fields(schema.CATALOGUE.fields, cat_doc.data, cat_doc.path,
                                                problems)
        # Entries whose required fields failed are reported above and left out below.
        catalogue = tuple(c for c in rec["items"]
                          if c.id and c.domain and c.name and c.since and c.schedule and c.schedule.every)
        seen = set()
        for i, c in enumerate(catalogue, 1):
            if c.id in seen:
                problems.error(cat_doc.path, cat_lines.get(f"items[{i}].id", 1), f"items[{i}].id",
                               "事项编号", f"事项编号 {c.id} 重复")
            seen.add(c.id)

    # working-day calendar files and redirects
    calendar_days = []
    for rel in sorted(r for r in docs if r.startswith("calendar/")):
        doc = docs.pop(rel)
        rec, lines, _ = check_fields(schema.CALENDAR.fields, doc.data, doc.path, problems)
        stem = rel.rsplit("/", 1)[-1].split(".")[0]
        if rec.year is not None and stem != str(rec.year):
            problems.error(doc.path, lines.get("year", 1), "year", "年份", f"文件名应为 {rec.year}.yaml")
        for key in ("holidays", "workdays"):
            for i, d in enumerate(rec[key], 1):
                if rec.year is not None and d.date.year != rec.year:
                    problems.error(doc.path, lines.get(f"{key}[{i}]", 1), f"{key}[{i}].date", "日期",
                                   f"{d.date} 不在 {rec.year} 年内")
        calendar_days.append(rec)
    calendar = workdays.from_records(calendar_days)
    redirects: tuple[Record, ...] = ()
    red_doc = docs.pop("redirects.yaml", None)
    if red_doc is not None:
        rec, _, _ = check_fields(schema.REDIRECTS.fields, red_doc.data, red_doc.path, problems)
        redirects = rec.redirects

    # every other document
    items: dict[str, Item] = {}
    first_seen: dict[str, Item] = {}
    skipped_party = 0
    invalid: set[str] = set()
    for doc in docs.values():
        before = len(problems.errors)
        item = validate_doc(doc, problems)
        if item is None:
            continue
        if item.key in first_seen:
            other = first_seen[item.key]
            problems.error(item.file, 1, "", "",
                           f"编号“{item.id}”与 {other.file} 重复：同类内容的文件名不能相同")
            continue
        first_seen[item.key] = item
        items[item.key] = item
        if len(problems.errors) > before:
            invalid.add(item.key)

    communities = {i.id: i for i in items.values() if i.type == "community"}
    for cid in communities:
        del items[f"communities/{cid}"]

    # disclosure records: community, item and period come from the path
    for key, item in list(items.items()):
        if item.type != "disclosure":
            continue
        parts = item.id.split("/")
        if len(parts) != 3:
            problems.error(item.file, 1, "", "", "公开记录应放在 disclosure/<社区编号>/<事项编号>/<期间>.md")
            del items[key]
            continue
        cid, iid, code = parts
        bad = False
        if cid not in communities:
            if f"communities/{cid}" not in unreadable_keys(tree):
                problems.error(item.file, 1, "", "", f"目录中的社区编号“{cid}”不存在")
            bad = True
        cat = next((c for c in catalogue if c.id == iid), None)
        period = parse_period(code)
        if cat is None:
            problems.error(item.file, 1, "", "", f"目录中的事项编号“{iid}”不在公开目录 catalogue.yaml 中")
            bad = True
        elif period is None or period.kind != FREQUENCY_KIND[cat.schedule.every]:
            kind = FREQUENCY_KIND[cat.schedule.every]
            problems.error(item.file, 1, "", "", f"文件名“{code}”不是{cat.schedule.every}公开的期间，"
                           f"应写成如 {KIND_EXAMPLE[kind]}")
            bad = True
        elif cat.communities and cid not in cat.communities:
            problems.warning(item.file, 1, "", "", f"公开目录中事项 {iid} 不适用于社区 {cid}")
        if bad:
            del items[key]
            continue
        extra = {"community": cid, "item": iid, "period": period,
                 "domain": cat.domain, "audience": cat.audience}
        items[key] = dataclasses.replace(item, fields=Record({**item.fields, **extra}))

    # Results are declared without the common fields (publish writes a fixed format); give
    # them the defaults so lists, feeds and the base layout treat every item alike.
    for key, item in list(items.items()):
        if item.type == schema.RESULT.name:
            missing = {f.key: () if f.kind == schema.LIST else f.default
                       for f in schema.COMMON if f.key not in item.fields}
            items[key] = dataclasses.replace(item, fields=Record({**missing, **item.fields}))

    # 党内 items are never rendered, listed or indexed; only counted.
    for key, item in list(items.items()):
        if getattr(item, "audience", None) == "党内":
            skipped_party += 1
            del items[key]

    site = Site(today=today, config=config or Record({}), columns=tuple(columns),
                communities=dict(sorted(communities.items())), catalogue=catalogue, items=items,
                by_type={}, skipped_party=skipped_party, files=dict(tree.files),
                invalid=frozenset(invalid), calendar=calendar, redirects=redirects,
                catalogue_file=cat_doc.path if cat_doc else "", catalogue_lines=cat_lines,
                columns_file=col_doc.path if col_doc else "", column_lines=col_lines,
                texts={**{d.path: d.text for d in tree.docs},
                       **{f.path: f.text for f in tree.files.values() if f.text is not None}})

    unreadable = unreadable_keys(tree)
    references.check_refs(site, first_seen, cat_doc.path if cat_doc else "", cat_refs, problems,
                          unreadable)
    references.check_files(site, problems)
    references.check_windows(site, problems)
    references.check_pages(site, problems)

    by_type: dict[str, list[Item]] = defaultdict(list)
    for item in items.values():
        by_type[item.type].append(item)
    site.by_type = {t.name: tuple(sorted(by_type.get(t.name, ()), key=sort_key))
                    for t in schema.ITEM_TYPES}
    interp: dict[str, list[Item]] = defaultdict(list)
    for it in site.by_type["interpretation"]:
        interp[it.policy].append(it)
    site.interpretations = {k: tuple(v) for k, v in interp.items()}
    site.states = _states(site)
    from .surveys import validate_all
    site.surveys = validate_all(tree.surveys, problems)
    stems = {d.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] for d in tree.surveys}
    stems |= {k.split("/", 1)[1] for k in unreadable if k.startswith(f"{schema.SURVEY.folder}/")}
    site.broken_surveys = frozenset(stems - set(site.surveys))
    for sv in site.surveys.values():
        if sv.community != "district" and sv.community not in site.communities:
            problems.error(sv.file, 1, "community", "所属社区", f"找不到编号为“{sv.community}”的社区")
    from .schedule import slots
    records = [r for r in site.valid("disclosure")]
    visible = tuple(c for c in site.catalogue if c.audience != "党内")
    site.schedule = tuple(slots(visible, list(site.communities), records, today, site.calendar))
    return site, problems


def unreadable_keys(tree: Tree) -> set[str]:
    """Item keys (folder/stem) of files that exist but could not be parsed."""
    return {rel.split("/", 1)[0] + "/" + rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            for rel in tree.unreadable}


def _root_path(tree: Tree) -> str:
    from .load import display_path
    return display_path(tree.root)


def _states(site: Site) -> dict[str, State]:
    out: dict[str, State] = {}
    for item in site.items.values():
        if item.key in site.invalid:
            continue
        w = getattr(item, "withdrawn", None)
        if w:
            out[item.key] = State("withdrawn", "已撤回", f"{w.date:%Y年%-m月%-d日}撤回：{w.reason}")
            continue
        if item.type == "notice" and item.valid_until and item.valid_until < site.today:
            out[item.key] = State("expired", "已过期", f"有效期至 {item.valid_until:%Y年%-m月%-d日}")
        elif item.type == "policy":
            succ = site.policy(item.superseded_by) if item.superseded_by else None
            amend = site.policy(item.amended_by) if item.amended_by else None
            note = item.validity_note or ""
            if item.validity == "废止":
                out[item.key] = State("repealed", "已废止", note, succ)
            elif item.validity == "失效":
                out[item.key] = State("invalid", "已失效", note, succ)
            elif item.validity == "已修改":
                out[item.key] = State("amended", "已修改", note, amend)
            elif item.expires and item.expires < site.today:
                out[item.key] = State("invalid", "已失效", f"有效期至 {item.expires:%Y年%-m月%-d日}")
    return out


def current(site: Site, items: Iterable[Item]) -> list[Item]:
    """Items still current: not withdrawn, expired, repealed or invalid."""
    return [i for i in items if site.state(i).code in ("", "amended")]
