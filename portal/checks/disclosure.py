"""The disclosure calendar: every due record exists by its deadline (党务/居务/财务公开).

On-event items must be published within N working days of forming (政府信息公开条例 第二十六条:
20 working days unless the catalogue says otherwise). Missing records past their deadline
fail a real site; a record due within 5 working days is a warning.
"""
from __future__ import annotations

from ..model import Site
from ..problems import Problems
from ..schedule import FREQUENCY_KIND
from .context import Context


def check(site: Site, problems: Problems, ctx: Context) -> None:
    cat_path = site.catalogue_file
    for slot in site.schedule:
        line = site.catalogue_line(slot.item.id, "schedule")
        where = f"{site.communities[slot.community].name}“{slot.item.name}”{slot.period.label}"
        if slot.state == "unknown":
            ctx.dated(problems, cat_path, line, "schedule", "公开时限",
                      f"{where}的期限要按 {slot.unknown_year} 年工作日计算，但没有该年的工作日历："
                      f"请添加 content/calendar/{slot.unknown_year}.yaml（complete: true）")
        elif slot.state == "overdue":
            ctx.dated(problems, cat_path, line, "schedule", "公开时限",
                      f"{where}应于 {slot.deadline} 前公开，至今未公开（应建 disclosure/{slot.community}/"
                      f"{slot.item.id}/{slot.period.code}.md）")
        elif slot.state == "due":
            problems.warning(cat_path, line, "schedule", "公开时限", f"{where}应于 {slot.deadline} 前公开")
        elif slot.state == "late" and slot.record is not None:
            r = slot.record
            if FREQUENCY_KIND[slot.item.schedule.every] == "event":
                problems.error(r.file, r.line_of("published"), "published", "发布时间",
                               f"即时公开事项应在信息形成后 {slot.deadline} 前公开，实际 {r.published:%Y-%m-%d}")
            else:
                problems.warning(r.file, r.line_of("published"), "published", "发布时间",
                                 f"应于 {slot.deadline} 前公开，实际 {r.published:%Y-%m-%d}，属逾期公开")
    for r in site.to_check("disclosure"):
        cat = site.catalogue_item(r.item)
        if cat and FREQUENCY_KIND[cat.schedule.every] == "event" and not r.formed:
            problems.error(r.file, r.line_of("title"), "formed", "信息形成日期", "即时公开事项必须写明信息形成日期")

