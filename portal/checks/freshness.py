"""Column freshness (国办秘函〔2019〕19号, the 政府网站 inspection's veto thresholds).

A column older than its `max_age` (columns.yaml) is stale, one with nothing in it is empty;
five or more stale columns, or five or more empty ones, fail a real site. The home page's
newest item older than 14 days is a warning. The freshness table itself is a view of the
site (portal.views), shared with the staff report page.
"""
from __future__ import annotations

from ..model import Site
from ..problems import Problems
from ..views import last_update
from .context import Context

HOME_MAX_AGE = 14
VETO_COUNT = 5
HOME_TYPES = ("notice", "news")


def check(site: Site, problems: Problems, ctx: Context) -> None:
    cols = site.columns_file or "columns.yaml"
    rows = [r for r in site.views.freshness if not r.community]
    stale = [r for r in rows if r.newest and r.stale]
    empty = [r for r in rows if r.newest is None]
    for r in stale:
        problems.warning(cols, site.column_line(r.column), "max_age", "更新周期（天）",
                         f"栏目“{r.name}”已 {r.age} 天未更新（要求 {r.max_age} 天内）")
    for r in empty:
        problems.warning(cols, site.column_line(r.column), "max_age", "更新周期（天）",
                         f"栏目“{r.name}”没有任何内容（空白栏目）")
    top = site.column_lines.get("columns", 1)
    if len(stale) >= VETO_COUNT:
        ctx.dated(problems, cols, top, "columns", "栏目",
                  f"{len(stale)} 个栏目未按时更新，达到政府网站检查的单项否决标准（{VETO_COUNT} 个）")
    if len(empty) >= VETO_COUNT:
        ctx.dated(problems, cols, top, "columns", "栏目",
                  f"{len(empty)} 个栏目为空白栏目，达到政府网站检查的单项否决标准（{VETO_COUNT} 个）")
    home = last_update([i for t in HOME_TYPES for i in site.by_type[t]])
    if home is None or (site.today - home).days > HOME_MAX_AGE:
        problems.warning(cols, top, "columns", "栏目",
                         f"首页最新信息已超过 {HOME_MAX_AGE} 天未更新" if home else "首页没有任何通知公告或工作动态")
