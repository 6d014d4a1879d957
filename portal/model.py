"""The site: every valid document, references resolved, states, the disclosure calendar and
the derived views, as one frozen `Site` built once by `build_model(tree, today)`.

The stages, in order (MkDocs-style, each a named function below):
configuration (portal.config) → items (validate, shape by path) → references, attachments,
ledgers, windows and page paths (portal.references) → surveys → the frozen Site.

A document with an error of its own (its fields, its type's rules or its references) is left
out of the Site and named in `Site.broken`, so nothing built from the Site can show it and no
other document's check reports it a second time. Pure apart from reading nothing: the tree is
already in memory. Templates get everything they show from here.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import committees, guesses, markup, officials, schema, sector_lists, site_identity, states, views, workdays
from . import problems as P
from . import references as R
from .config import Catalogue, Column, Config, read_config
from .disclosure import FREQUENCY_KIND, KIND_EXAMPLE, Ledger, parse_period
from .items import Item, Record
from .load import FileInfo, RawDoc, Tree, display_path
from .personal_data import problems_from, problems_in, public_numbers
from .problems import Problem
from .schedule import Slot, slots
from .states import NO_STATE, State
from .surveys import Survey, validate_survey
from .synonyms import NO_SYNONYMS, Synonyms
from .validate import item_key, validate_doc

DRAFT_NOTE = "（草稿，暂不发布）"
SCHEDULE_DAYS = 366             # 定时发布 up to a year ahead; further is a typo
WITHIN_A_YEAR = "定时发布请写一年以内的日期"


@dataclass(frozen=True)
class Attachment:
    title: str
    rel: str
    format: str
    size: int


@dataclass(frozen=True)
class Site:
    today: dt.date
    config: Record                            # site.yaml
    columns: tuple[Column, ...]
    columns_file: str
    column_lines: Mapping[str, int]
    catalogue_doc: Catalogue
    calendar: workdays.Calendar
    redirects: tuple[Record, ...]
    communities: Mapping[str, Item]           # id → community, sorted by id
    items: Mapping[str, Item]                 # global key (folder/stem) → item
    by_type: Mapping[str, tuple[Item, ...]]   # newest first
    interpretations: Mapping[str, tuple[Item, ...]]   # policy id → its interpretations
    states: Mapping[str, State]
    surveys: Mapping[str, Survey]
    files: Mapping[str, FileInfo]
    ledgers: Mapping[str, Ledger]             # disclosure record key → its finance table
    published_files: frozenset[str]           # files (attachments, tables) the pages link to
    schedule: tuple[Slot, ...]                # one per expected disclosure
    views: views.Views
    broken: frozenset[str] = frozenset()      # keys of documents that exist but have errors
    known: frozenset[str] = frozenset()       # keys of every content file found (what refs may name)
    broken_surveys: frozenset[str] = frozenset()   # survey files that exist but did not validate
    config_ok: bool = True                    # site.yaml and columns.yaml have no error
    skipped_party: int = 0
    scheduled: tuple[Item, ...] = ()          # 定时发布: valid items published after today
    drafts: frozenset[str] = frozenset()      # keys of drafts in the Site (preview only)
    skipped_drafts: int = 0                   # drafts left out of a real build
    held_drafts: tuple[Item, ...] = ()        # valid drafts left out of a real build
    synonyms: Synonyms = NO_SYNONYMS          # content/synonyms.yaml: shipped with the search index
    request_stats: Mapping[int, Record] = field(default_factory=dict)   # content/ysqgk/<year>.yaml
    message_stats: Mapping[str, Record] = field(default_factory=dict)   # content/liuyan/<YYYY-MM>.yaml
    preview: bool = False                     # serve / make run: computed drafts are shown too
    rosters: Mapping[str, Any] = field(default_factory=dict)   # record key → its 重点领域 名单 (sector_lists)

    # -- lookups used by checks, pages and templates -------------------------------------
    @property
    def catalogue(self) -> tuple[Record, ...]:
        return self.catalogue_doc.entries

    @property
    def catalogue_file(self) -> str:
        return self.catalogue_doc.file

    def catalogue_line(self, iid: str, key: str = "") -> int:
        """The line of a catalogue item (or one of its keys) in catalogue.yaml."""
        return self.catalogue_doc.line(iid, key)

    def catalogue_item(self, iid: str) -> Record | None:
        return next((c for c in self.catalogue if c.id == iid), None)

    def column(self, cid: str) -> Column:
        for c in self.columns:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def column_line(self, cid: str) -> int:
        for i, c in enumerate(self.columns, 1):
            if c.id == cid:
                return self.column_lines.get(f"columns[{i}]", 1)
        return 1

    def to_check(self, type_name: str) -> tuple[Item, ...]:
        """Items of a type the per-item rules look at: those published and those scheduled
        (a scheduled item is checked now, before it goes live)."""
        return self.by_type[type_name] + tuple(i for i in self.scheduled if i.type == type_name)

    def policy(self, pid: str) -> Item | None:
        return self.items.get(f"{schema.POLICY.folder}/{pid}")

    def guide(self, gid: str) -> Item | None:
        return self.items.get(f"{schema.GUIDE.folder}/{gid}")

    def result(self, sid: str | None) -> Item | None:
        """The published results of a survey (content/results/<sid>.yaml), if any."""
        return self.items.get(f"{schema.RESULT.folder}/{sid}") if sid else None

    def state(self, item: Item) -> State:
        return self.states.get(item.key, NO_STATE)

    def current(self, items: Iterable[Item]) -> list[Item]:
        """Items still current: not withdrawn, expired, repealed or invalid."""
        return states.current(self.state, items)

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


def sort_key(item: Item) -> tuple[int, str]:
    """Newest first; ties broken by id so output is deterministic."""
    published = getattr(item, "published", None)
    if published is None:
        return (0, item.id)
    return (-published.toordinal() * 1440 - published.hour * 60 - published.minute, item.id)


@dataclass
class _Book:
    """Each document's own problems, kept apart so validity is per document."""
    own: dict[str, list[Problem]] = field(default_factory=lambda: defaultdict(list))
    loose: list[Problem] = field(default_factory=list)     # not about one document

    def add(self, owned: Iterable[tuple[str, Problem]]) -> None:
        for key, p in owned:
            self.own[key].append(p)

    def broken(self) -> frozenset[str]:
        return frozenset(k for k, ps in self.own.items() if P.has_error(ps))

    def all(self) -> list[Problem]:
        return self.loose + [p for ps in self.own.values() for p in ps]

    def hold_back(self, keys: set[str]) -> frozenset[str]:
        """Drafts never stop a build: their errors become warnings. Returns the drafts that had
        errors (left out of the Site like any broken document)."""
        had = frozenset(k for k in keys if P.has_error(self.own.get(k, ())))
        for k in keys:
            self.own[k] = [p.demoted(DRAFT_NOTE) if p.is_error else p
                           for p in self.own.get(k, ())]
        return had


def build_model(tree: Tree, today: dt.date, preview: bool = False) -> tuple[Site | None, list[Problem]]:
    """The Site and every problem found on the way (None when there is no content root).
    `preview` (serve, make run): drafts are in the Site, shown with a 草稿 banner."""
    if not tree.root.is_dir():
        return None, list(tree.problems.items)   # the loader said so; nothing else can be checked
    book = _Book(loose=list(tree.problems.items))
    content = [d for d in tree.docs if d.type not in schema.CONFIG_TYPES]
    unreadable = frozenset(_key(rel) for rel in tree.unreadable)
    known = frozenset(item_key(d) for d in content) | unreadable    # what a reference may name
    config, found = read_config([d for d in tree.docs if d.type in schema.CONFIG_TYPES],
                                display_path(tree.root), known)
    book.loose += found
    markup.preload({d.body: d.prepared for d in content if d.prepared})   # converted by the loader
    items = _items(content, book, tree.validated)
    communities = {i.id: i for i in items.values() if i.type == "community"}
    items = _place_disclosure(items, communities, config.catalogue, known, book)
    book.add(R.window_numbers(communities.values()))
    book.add(officials.community_problems(config.site, communities.values()))
    book.add(committees.community_problems(communities.values(), config.catalogue.entries))
    _cross_checks(items, tree.files, known, book)
    ledgers, owned = R.ledgers([i for i in items.values() if i.type == "disclosure"], tree.files)
    book.add(owned)
    rosters, owned = sector_lists.rosters([i for i in items.values() if i.type == "disclosure"], tree.files)
    book.add(owned)
    _personal_data(tree, config, communities, book)
    book.add(_too_far_ahead(items.values(), today))
    book.loose += site_identity.file_problems(config.site, config.site_lines, config.site_path, tree.files)
    named = {k: R.files_named(i) for k, i in items.items()}         # each text scanned once a build
    book.loose += R.unreferenced_files(tree.files, set().union(*named.values())
                                       | site_identity.published_images(config.site))
    surveys, broken_surveys = _surveys(tree, known, book, items)
    drafts = {k for k, i in items.items() if i.fields.get("draft")}
    broken = book.hold_back(drafts) | book.broken()
    valid = {k: i for k, i in items.items() if k not in broken and (preview or k not in drafts)}
    site = _site(config, valid, ledgers, surveys, tree, today, named,
                 broken=broken | unreadable, broken_surveys=broken_surveys, known=known,
                 preview=preview, rosters=rosters,
                 drafts=frozenset(drafts) if preview else frozenset(), skipped_drafts=0 if preview else len(drafts),
                 held_drafts=() if preview else tuple(items[k] for k in sorted(drafts - broken)))
    return site, book.all()


def _personal_data(tree: Tree, config: Config, communities: Mapping[str, Item], book: _Book) -> None:
    """Personal numbers in a document are its own error (it is never built or served); in
    configuration and survey files they are reported too."""
    public = public_numbers(config.site, communities.values())
    for doc in tree.docs + tree.surveys:
        found = problems_from(doc.path, doc.findings, public) if doc.findings is not None \
            else problems_in(doc.path, doc.text, public)
        if doc.type in schema.CONFIG_TYPES or doc.type is schema.SURVEY:
            book.loose += found
        else:
            book.add((item_key(doc), p) for p in found)


def _too_far_ahead(items: Iterable[Item], today: dt.date) -> list[tuple[str, Problem]]:
    """A publish date more than a year ahead is a typo, not 定时发布."""
    limit = today + dt.timedelta(days=SCHEDULE_DAYS)
    return [(i.key, P.error(i.file, i.line_of("published"), "published", "发布时间",
                            f"发布时间 {i.published:%Y-%m-%d} 比今天晚一年以上，多半是写错了：{WITHIN_A_YEAR}"))
            for i in items if getattr(i, "published", None) and i.published.date() > limit]


def _key(rel: str) -> str:
    """The item key (folder/stem) of a file path below content/."""
    return rel.split("/", 1)[0] + "/" + rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _items(docs: list[RawDoc], book: _Book, validated: Mapping[str, tuple[Item, list[Problem]]]
           ) -> dict[str, Item]:
    """Every item document validated (by the loader when it could); a second file with the
    same key is refused."""
    items: dict[str, Item] = {}
    for doc in docs:
        item, found = validated[doc.rel] if doc.rel in validated else validate_doc(doc)
        if item.key in items:
            other = items[item.key]
            book.loose += found + [P.error(item.file, 1, "", "",
                                           f"编号“{item.id}”与 {other.file} 重复：同类内容的文件名不能相同")]
            continue
        items[item.key] = _with_defaults(item)
        book.add((item.key, p) for p in found)
    return items


def _with_defaults(item: Item) -> Item:
    """Results are declared without the common fields (publish writes a fixed format); give
    them the defaults so lists, feeds and the base layout treat every item alike."""
    if item.type != schema.RESULT.name:
        return item
    missing = {f.key: () if f.kind == schema.LIST else f.default
               for f in schema.COMMON if f.key not in item.fields}
    return dataclasses.replace(item, fields=Record({**missing, **item.fields}))


def _place_disclosure(items: dict[str, Item], communities: Mapping[str, Item], catalogue: Catalogue,
                      known: frozenset[str], book: _Book) -> dict[str, Item]:
    """A disclosure record's community, catalogue item and period come from its path
    (disclosure/<community>/<item>/<period>.md); a record whose path does not fit is dropped."""
    out = {}
    for key, item in items.items():
        if item.type != "disclosure":
            out[key] = item
            continue
        placed, found = _place(item, communities, catalogue, known)
        book.add((key, p) for p in found)
        if placed is not None:
            out[key] = placed
    return out


def _place(item: Item, communities: Mapping[str, Item], catalogue: Catalogue,
           known: frozenset[str]) -> tuple[Item | None, list[Problem]]:
    parts = item.id.split("/")
    if len(parts) not in (3, 4):
        return None, [P.error(item.file, 1, "", "", "公开记录应放在 disclosure/<社区编号>/<事项编号>/<期间>.md")]
    cid, iid, code = parts[0], parts[1], parts[-1]
    problems = []
    if cid not in communities and f"{schema.COMMUNITY.folder}/{cid}" not in known:
        problems.append(P.error(item.file, 1, "", "", f"目录中的社区编号“{cid}”不存在"))
    cat = next((c for c in catalogue.entries if c.id == iid), None)
    if cat is None:
        if iid not in catalogue.broken:       # a broken catalogue entry reports itself
            problems.append(P.error(item.file, 1, "", "", f"目录中的事项编号“{iid}”不在公开目录 catalogue.yaml 中"))
        return None, problems
    # 居(村)务 items disclosed by each 居委会/村 sit one folder deeper (portal.committees)
    placed = committees.place(parts, cat, {cid: committees.subjects(communities[cid])} if cid in communities else {})
    if isinstance(placed, str):
        return None, problems + [P.error(item.file, 1, "", "", placed)]
    committee = placed[1]
    period = parse_period(code)
    kind = FREQUENCY_KIND[cat.schedule.every]
    if period is None or period.kind != kind:
        problems.append(P.error(item.file, 1, "", "", f"文件名“{code}”不是{cat.schedule.every}公开的期间，"
                                f"应写成如 {KIND_EXAMPLE[kind]}"))
    elif cat.communities and cid not in cat.communities:
        problems.append(P.warning(item.file, 1, "", "", f"公开目录中事项 {iid} 不适用于社区 {cid}"))
    if P.has_error(problems):
        return None, problems
    extra = {"community": cid, "item": iid, "period": period, "domain": cat.domain, "audience": cat.audience,
             "committee": committee}
    return dataclasses.replace(item, fields=Record({**item.fields, **extra})), problems


def _cross_checks(items: Mapping[str, Item], files: Mapping[str, FileInfo], known: frozenset[str],
                  book: _Book) -> None:
    """References, attachments, windows and page paths, each owned by the referring item."""
    book.add((k, guesses.with_reference(p, items[k].refs if k in items else (), items))
             for k, p in R.references(items.values(), known))
    book.add(R.attachments(items.values(), files))
    broken = book.broken() | (known - frozenset(items))       # with errors, or unreadable
    communities = {i.id: i for k, i in items.items() if i.type == "community" and k not in broken}
    guides = [i for k, i in items.items() if i.type == "guide" and k not in broken]
    book.add(R.guide_windows(guides, communities, broken))
    book.add(R.page_paths(i for i in items.values() if i.type == "page"))


def _surveys(tree: Tree, known: frozenset[str], book: _Book, items: Mapping[str, Item]
             ) -> tuple[dict[str, Survey], frozenset[str]]:
    """The surveys whose files have no error of their own (their community included). `items`:
    what a reference written by name may mean."""
    out: dict[str, Survey] = {}
    stems = {_key(rel).split("/", 1)[1] for rel in tree.unreadable if rel.startswith(f"{schema.SURVEY.folder}/")}
    for doc in sorted(tree.surveys, key=lambda d: d.rel):
        checked = validate_survey(doc)
        found = list(checked.problems) + [guesses.with_reference(p, checked.refs, items)
                                          for p in R.ref_problems(checked.refs, doc.path, known)]
        book.add((_key(doc.rel), p) for p in found)
        stems.add(doc.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        if doc.data.get("draft") is True:       # `build.py new` writes one: never served, never stops a build
            book.hold_back({_key(doc.rel)})
        elif checked.survey is not None and not P.has_error(found):
            out[checked.survey.id] = checked.survey
    return out, frozenset(stems - set(out))


def _site(config: Config, valid: dict[str, Item], ledgers: dict[str, Ledger], surveys: dict[str, Survey],
          tree: Tree, today: dt.date, named: Mapping[str, frozenset[str]], **found: Any) -> Site:
    """The frozen Site from valid documents, with everything derived from them. `named`: the
    files each item publishes (references.files_named)."""
    communities = {i.id: i for i in valid.values() if i.type == "community"}
    party = [k for k, i in valid.items() if getattr(i, "audience", None) == "党内"]
    # 定时发布: an item published after today waits, listed only on the staff report page.
    scheduled = {k: i for k, i in valid.items() if getattr(i, "published", None) and i.published.date() > today}
    # 党内 items are never rendered, listed or indexed; only counted.
    items = {k: i for k, i in valid.items() if i.type != "community" and k not in party and k not in scheduled}
    grouped: dict[str, list[Item]] = defaultdict(list)
    for item in items.values():
        grouped[item.type].append(item)
    by_type = {t.name: tuple(sorted(grouped.get(t.name, ()), key=sort_key)) for t in schema.ITEM_TYPES}
    interpretations: dict[str, list[Item]] = defaultdict(list)
    for it in by_type["interpretation"]:
        interpretations[it.policy].append(it)
    catalogue = config.catalogue
    # 依申请 items are never due: only 主动 items have a disclosure calendar (54号 公开方式)
    visible = tuple(c for c in catalogue.entries if c.audience != "党内" and c.get("mode") != "依申请")
    schedule = tuple(slots(visible, sorted(communities), list(by_type["disclosure"]), today, config.calendar,
                           committees.all_subjects(communities.values())))
    listed = views.column_items(by_type)
    derived = views.Views(listed, views.freshness(config.columns, listed, sorted(communities), today),
                          views.disclosure_tables(catalogue.entries, sorted(communities), schedule,
                                                  by_type["disclosure"]), views.by_community(by_type))
    return Site(
        today=today, config=config.site, columns=config.columns, columns_file=config.columns_file,
        column_lines=config.column_lines, catalogue_doc=catalogue, calendar=config.calendar,
        redirects=config.redirects, communities=dict(sorted(communities.items())), items=items,
        by_type=by_type, interpretations={k: tuple(v) for k, v in interpretations.items()},
        states=states.states(items, today), surveys=surveys, files=dict(tree.files),
        ledgers={k: v for k, v in ledgers.items() if k in items},
        published_files=frozenset(set().union(*(named[k] for k in items)) | site_identity.published_images(config.site))
        & frozenset(tree.files),
        schedule=schedule, views=derived, config_ok=config.usable, skipped_party=len(party),
        synonyms=config.synonyms, request_stats=config.request_stats,
        message_stats=config.message_stats,
        scheduled=tuple(sorted(scheduled.values(), key=lambda i: (i.published, i.key))), **found)
