"""政府信息公开工作年度报告: each year's report is published by 31 January of the next year
(《政府信息公开条例》第五十条), after the year it reports on, from a file named for its year.

A report missing after its due date fails a real site (a warning on sample data); one missing
in the month it falls due is a warning. Years are checked from the first report the site has,
or, on a site that has none yet, from the first year it published anything: a site launched in
2026 owes its first report by 31 January 2027, not reports for the years before it.
"""
from __future__ import annotations

import os

from .. import schema
from ..annual_report import report_texts
from ..model import Site
from ..problems import Problems
from ..schedule import annual_report_due
from .context import Context

FOLDER = schema.ANNUAL_REPORT.folder


def check(site: Site, problems: Problems, ctx: Context) -> None:
    for r in site.to_check(schema.ANNUAL_REPORT.name):
        stem = r.id
        if stem != str(r.year):
            problems.error(r.file, r.line_of("year"), "year", "报告年度",
                           f"报告年度 {r.year} 与文件名“{stem}”不一致：文件应命名为 {FOLDER}/{r.year}.yaml")
        if r.published.year <= r.year:
            problems.error(r.file, r.line_of("published"), "published", "公布时间",
                           f"{r.year} 年度报告应在该年度结束后公布，公布时间写成了 {r.published:%Y-%m-%d}")
        elif r.published.date() > annual_report_due(r.year):
            problems.warning(r.file, r.line_of("published"), "published", "公布时间",
                             f"应于 {annual_report_due(r.year)} 前公布，实际 {r.published:%Y-%m-%d}，属逾期公布")
    texts = report_texts(site)
    # files that exist but are not published (a draft) or report their own errors
    files = {int(k.split("/")[1]) for k in site.known if k.startswith(f"{FOLDER}/") and k.split("/")[1].isdigit()}
    first = min(set(texts) | files, default=_first_year(site))
    root = os.path.dirname(site.columns_file) or "content"
    for year in range(first, site.today.year):
        if year in texts or f"{FOLDER}/{year}" in site.broken:
            continue
        due = annual_report_due(year)
        path = f"{root}/{FOLDER}/{year}.yaml"
        todo = f"请完成 {path} 并删除 draft: true 一行" if year in files else f"请新建 {path}"
        message = (f"{year} 年政府信息公开工作年度报告应于 {due} 前公布（政府信息公开条例第五十条），"
                   f"{todo}（表格由系统生成，只需填写文字部分）")
        if site.today > due:
            ctx.dated(problems, path, 1, "", "", message.replace("前公布（", "前公布，至今未公布（", 1))
        else:
            problems.warning(path, 1, "", "", message)


def _first_year(site: Site) -> int:
    """The first year the site published anything (this year when it has published nothing)."""
    years = [i.published.year for items in site.by_type.values() for i in items
             if getattr(i, "published", None) is not None]
    return min(years, default=site.today.year)
