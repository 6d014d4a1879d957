"""负责人信息 (政府信息公开条例 第二十条 (二): 机关职能、机构设置、办公地址、办公时间、联系方式、
负责人姓名): the district's responsible officials (site.yaml `leaders`) and each community's
党委书记 / 服务中心主任 (`leaders` in communities/*.yaml), their posts and 分工.

A site may choose to show posts only (`leader_names: false` in site.yaml, or per community):
the names are then left out of every page. Pure: the rules return problems, the views values.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import problems as P
from .items import Item, Record
from .problems import Problem

URL = "/xxgk/fzr/"
TITLE = "负责人信息"
# The posts every community names (the 社区党委 and the 服务中心 it runs together with).
REQUIRED_POSTS = ("党委书记", "服务中心主任")
NAMES_OFF = "或在 site.yaml 写 leader_names: false 只公开职务"


def names_shown(site_config: Record, community: Item | None = None) -> bool:
    """Whether names are shown: the community's own choice, else the site's."""
    own = community.fields.get("leader_names") if community is not None else None
    if own is not None:
        return bool(own)
    return site_config.get("leader_names") is not False


def site_problems(site: Record, lines: Mapping[str, int], path: str) -> list[Problem]:
    """site.yaml: when names are public, every district leader has one."""
    if site.get("leader_names") is False:
        return []
    return [P.error(path, lines.get(f"leaders[{i}].post", lines.get(f"leaders[{i}]", 1)), f"leaders[{i}].name", "姓名",
                    f"负责人“{lead.post}”没有写姓名：负责人姓名应主动公开（政府信息公开条例第二十条），"
                    f"请写姓名，{NAMES_OFF}")
            for i, lead in enumerate(site.get("leaders") or (), 1) if not lead.name]


def community_problems(site_config: Record, communities: Iterable[Item]) -> list[tuple[str, Problem]]:
    """A community that lists its leaders names its 党委书记 and 服务中心主任, each with a name
    when names are shown."""
    out: list[tuple[str, Problem]] = []
    for c in communities:
        leaders = c.fields.get("leaders") or ()
        if not leaders:
            continue
        for post in REQUIRED_POSTS:
            if not any(post in lead.post for lead in leaders):
                out.append((c.key, P.error(c.file, c.line_of("leaders"), "leaders", "负责人",
                                           f"负责人信息缺少{post}：请写明{post}的职务和分工")))
        if names_shown(site_config, c):
            out += [(c.key, P.error(c.file, c.line_of(f"leaders[{i}]"), f"leaders[{i}].name", "姓名",
                                    f"负责人“{lead.post}”没有写姓名：请写姓名，"
                                    f"或在本社区写 leader_names: false 只公开职务"))
                    for i, lead in enumerate(leaders, 1) if not lead.name]
    return out


@dataclass(frozen=True)
class Leader:
    post: str
    name: str          # "" when the site shows posts only
    unit: str
    duties: str


@dataclass(frozen=True)
class Group:
    title: str
    url: str           # the community's page ("" for the district)
    leaders: tuple[Leader, ...]
    names: bool


def _leaders(records: Iterable[Record], names: bool, unit: str) -> tuple[Leader, ...]:
    return tuple(Leader(r.post, (r.name or "") if names else "", r.unit or unit, r.duties) for r in records)


def community_group(site_config: Record, c: Item) -> Group:
    names = names_shown(site_config, c)
    return Group(c.name, f"/sq/{c.id}/", _leaders(c.fields.get("leaders") or (), names, c.name), names)


def groups(site) -> list[Group]:
    """The district first, then each community that lists its leaders."""
    cfg = site.config
    names = names_shown(cfg)
    out = [Group(cfg.district, "", _leaders(cfg.get("leaders") or (), names, cfg.owner), names)] \
        if cfg.get("leaders") else []
    return out + [community_group(cfg, c) for c in site.communities.values() if c.fields.get("leaders")]

