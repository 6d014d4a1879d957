"""居(村)务公开 at the level of each 居委会 and 村 (issue 18).

A community (社区) contains 居委会 and, in the sample, 行政村. A catalogue item marked
`per_committee` (居委会 / 村 / 居委会和村) is disclosed by each such committee of the communities it
applies to, which the community file declares under `committee_subjects` with a folder id and its
监督机构: 村务 ordinary items at least quarterly and finance monthly where busy (村民委员会组织法
第三十条), 居务 under the 居务监督委员会 (城市居民委员会组织法, 2025 修订, in force 2026-01-01).
Their records live at disclosure/<community>/<item>/<committee id>/<period>.md. Pure.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import problems as P
from .items import Item, Record
from .problems import Problem

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BOTH = "居委会和村"


@dataclass(frozen=True, order=True)
class Subject:
    community: str
    id: str
    name: str
    kind: str              # 居委会 or 村
    supervisor: str
    finance_group: str = ""

    @property
    def url(self) -> str:
        return f"/sq/{self.community}/{self.id}/"


def kind_of(name: str) -> str:
    """A committee's kind as its name says it: …村 is a 村, anything else a 居委会."""
    return "村" if name.endswith("村") else "居委会"


def subjects(c: Item) -> tuple[Subject, ...]:
    return tuple(Subject(c.id, s.id, s.name, s.kind, s.supervisor, s.finance_group or "")
                 for s in c.fields.get("committee_subjects") or ())


def subject(c: Item, sid: str) -> Subject | None:
    """The community's committee with id `sid` ("" or unknown: None)."""
    return next((s for s in subjects(c) if s.id == sid), None) if sid else None


def all_subjects(communities: Iterable[Item]) -> dict[str, tuple[Subject, ...]]:
    """Community id → its declared subjects."""
    return {c.id: subjects(c) for c in communities}


def applies(cat: Record, kind: str) -> bool:
    per = cat.get("per_committee")
    return bool(per) and (per == BOTH or per == kind)


def community_problems(communities: Iterable[Item], catalogue: Iterable[Record]) -> list[tuple[str, Problem]]:
    """Each subject names one of the community's committees, with its own id; every committee
    an applicable per-committee catalogue item needs is declared."""
    cats = [c for c in catalogue if c.get("per_committee")]
    out: list[tuple[str, Problem]] = []
    for c in communities:
        declared: dict[str, int] = {}
        ids: set[str] = set()
        for i, s in enumerate(c.fields.get("committee_subjects") or (), 1):
            found: list[tuple[str, str, str]] = []
            if s.name not in c.committees:
                found.append(("name", "名称", f"“{s.name}”不在本社区的居委会/村（committees）中："
                                             f"{'、'.join(c.committees)}"))
            elif s.kind != kind_of(s.name):
                found.append(("kind", "类别", f"“{s.name}”的类别应为 {kind_of(s.name)}"))
            if not ID_RE.match(s.id):
                found.append(("id", "编号", f"编号只能用小写字母、数字和连字符，如 jinzhucun，而不是“{s.id}”"))
            elif s.id in ids:
                found.append(("id", "编号", f"编号 {s.id} 重复"))
            out += [(c.key, P.error(c.file, c.line_of(f"committee_subjects[{i}].{key}"),
                                    f"committee_subjects[{i}].{key}", label, msg)) for key, label, msg in found]
            ids.add(s.id)
            declared[s.name] = i
        for cat in cats:
            if cat.communities and c.id not in cat.communities:
                continue
            missing = [n for n in c.committees if applies(cat, kind_of(n)) and n not in declared]
            if missing:
                out.append((c.key, P.error(c.file, c.line_of("committees"), "committees", "居委会/村",
                                           f"公开目录中“{cat.name}”按{cat.per_committee}公开，但"
                                           f"{'、'.join(missing)}没有在 committee_subjects 中写明编号和监督机构")))
    return out


def place(parts: list[str], cat: Record, subjects_by_community: Mapping[str, tuple[Subject, ...]]
          ) -> tuple[str, str, str] | str:
    """(community, committee id, period code) of a record's path parts, or why it does not fit:
    a per-committee item's records sit one folder deeper, in the committee's folder."""
    cid, iid = parts[0], parts[1]
    if not cat.get("per_committee"):
        if len(parts) != 3:
            return f"事项 {iid} 由社区公开，记录应放在 disclosure/{cid}/{iid}/<期间>.md"
        return cid, "", parts[2]
    if len(parts) != 4:
        return (f"事项 {iid} 按{cat.per_committee}公开，记录应放在 disclosure/{cid}/{iid}/<居委会或村编号>/<期间>.md")
    known = {s.id: s for s in subjects_by_community.get(cid, ())}
    s = known.get(parts[2])
    if s is None:
        ids = "、".join(known) or "（本社区尚未写 committee_subjects）"
        return f"“{parts[2]}”不是本社区居委会或村的编号，可用的编号：{ids}"
    if not applies(cat, s.kind):
        return f"事项 {iid} 按{cat.per_committee}公开，{s.name}是{s.kind}，不适用"
    return cid, s.id, parts[3]


# 村民委员会组织法 第三十条: 一般事项至少每季度公布一次; 涉及财务的事项至少每六个月公布一次.
VILLAGE_MOST_RARE = {"财务": ("每月", "每季度", "每半年", "即时")}
VILLAGE_ORDINARY = ("每月", "每季度", "即时")


def frequency_problem(cat: Record) -> str:
    """Why a per-village catalogue item is published too rarely ("" when it is not)."""
    if not applies(cat, "村"):
        return ""
    allowed = VILLAGE_MOST_RARE.get(cat.domain, VILLAGE_ORDINARY)
    if cat.schedule.every in allowed:
        return ""
    if cat.domain == "财务":
        return f"村务公开中涉及财务的事项至少每六个月公布一次（村民委员会组织法第三十条），不能{cat.schedule.every}公开"
    return f"村务公开的一般事项至少每季度公布一次（村民委员会组织法第三十条），不能{cat.schedule.every}公开"
