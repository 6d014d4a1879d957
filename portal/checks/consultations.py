"""征求意见 (重大决策预公开): the opinion period is a real period, and once it has ended the 采纳情况
is published — a warning as soon as the period ends, an error (a warning on sample data) when
ADOPTION_DAYS working days have passed without it; the 采纳情况 comes after the period and
cannot adopt more opinions than came in."""
from __future__ import annotations

from .. import schema
from ..items import Item
from ..model import Site
from ..problems import Problems
from ..workdays import UnknownYear
from .context import Context

ADOPTION_DAYS = 15     # working days after the period to publish the 采纳情况 (local practice)


def check(site: Site, problems: Problems, ctx: Context) -> None:
    for c in site.to_check(schema.CONSULTATION.name):
        period, adoption = c.period, c.adoption
        if period.end < period.start:
            problems.error(c.file, c.line_of("period.end"), "period.end", "截止日期",
                           f"截止日期 {period.end} 早于开始日期 {period.start}")
            continue
        if adoption:
            _adoption(c, problems)
        elif period.end < site.today:
            _missing(site, c, problems, ctx)


def _adoption(c: Item, problems: Problems) -> None:
    a = c.adoption
    if a.adopted > a.received:
        problems.error(c.file, c.line_of("adoption.adopted"), "adoption.adopted", "采纳（条）",
                       f"采纳 {a.adopted} 条，多于收到的 {a.received} 条意见")
    if a.published <= c.period.end:
        problems.error(c.file, c.line_of("adoption.published"), "adoption.published", "公布日期",
                       f"采纳情况应在征求意见期结束（{c.period.end}）后公布，而不是 {a.published}")


def _missing(site: Site, c: Item, problems: Problems, ctx: Context) -> None:
    end = c.period.end
    try:
        due = site.calendar.add(end, ADOPTION_DAYS)
    except UnknownYear as e:
        problems.warning(c.file, c.line_of("period.end"), "period.end", "截止日期",
                         f"无法计算公布采纳情况的期限：没有 {e.year} 年的工作日历")
        return
    message = (f"征求意见已于 {end} 截止，应在 {due} 前公布采纳情况：请填写 adoption（采纳情况：公布日期、"
               "收到意见条数、采纳条数和说明）")
    if site.today > due:
        ctx.dated(problems, c.file, c.line_of("period.end"), "adoption", "采纳情况", message.replace("应在", "已超过"))
    else:
        problems.warning(c.file, c.line_of("period.end"), "adoption", "采纳情况", message)
