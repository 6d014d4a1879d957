"""议事会提案: the 三会一评 chain holds together. Its steps come in order (提出 → 听证 → 协调 → 决议 →
实施 → 评议), each linked meeting record is a meeting of the right type, of the same community
and on the step's date, the state is the one the filled-in steps show, and a step does not lie
in the future."""
from __future__ import annotations

import datetime as dt
import re

from .. import schema
from ..items import Item
from ..model import Site
from ..problems import Problems
from ..proposals import LINKED_MEETINGS, ORDER, Step, chain, implied_state
from .context import Context

LABELS = {"raised": "提出日期", "hearing.date": "听证日期", "coordination.date": "协调日期",
          "decision.date": "决议日期", "implementation.started": "开始实施日期",
          "implementation.finished": "办结日期", "raised_at": "收集会议", "hearing.record": "听证会记录",
          "coordination.record": "协调会记录", "decision.record": "议事决策会记录", "evaluated_in": "评议会议"}


# 提议人 is a group (居民小组, 居民代表N人联名, 驻区单位), never a private person's name: a bare name
# of two to four characters, a masked one (张*明), or "张三明等5人" is refused.
GROUP_WORDS = ("组", "会", "联名", "代表", "单位", "居民", "社区", "委员", "公司", "企业", "学校", "医院",
               "支部", "协会", "物业", "商户", "业主", "志愿", "中心", "院", "楼", "栋", "户")
NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff][*＊×xX]+[\u4e00-\u9fff]?$|^[\u4e00-\u9fff*＊]{2,4}等")


def personal_name(raised_by: str) -> bool:
    text = raised_by.strip()
    head = text.split("等", 1)[0]
    return bool(NAME_RE.match(text)) and not any(w in head for w in GROUP_WORDS)


def check(site: Site, problems: Problems, ctx: Context) -> None:
    def lookup(eid: str) -> Item | None:
        return site.items.get(f"{schema.EVALUATION.folder}/{eid}")

    for p in site.to_check(schema.PROPOSAL.name):
        steps = chain(p, lookup)
        if personal_name(p.raised_by):
            problems.error(p.file, p.line_of("raised_by"), "raised_by", "提议人",
                           f"“{p.raised_by}”像是个人姓名：提议人写居民小组、“居民代表N人联名”或驻区单位，不写个人姓名")
        _order(p, steps, problems)
        _links(p, steps, problems)
        _state(p, problems)
        _future(site, p, problems, ctx)


def _dated(steps: tuple[Step, ...]) -> list[tuple[str, str, dt.date]]:
    """(step name, field, date) in chain order, 评议 dated by its record (when that is a
    述职评议会: a wrong link is reported once, by _links)."""
    return [(s.name, s.date_key or s.ref_key, s.date) for s in steps if s.date is not None
            and (s.date_key or (s.record is not None and s.record.meeting in LINKED_MEETINGS[s.ref_key]))]


def _order(p: Item, steps: tuple[Step, ...], problems: Problems) -> None:
    """Each step on or after the one before it; 办结 after 实施 began (it may come after the
    评议 that reported the work in progress)."""
    _in_order(p, steps, _dated(steps), problems)
    work = steps[4]
    if work.date is not None and work.end is not None:
        _in_order(p, steps, [("实施", work.date_key, work.date), ("办结", "implementation.finished", work.end)],
                  problems)


def _in_order(p: Item, steps: tuple[Step, ...], dated: list[tuple[str, str, dt.date]], problems: Problems) -> None:
    latest: tuple[str, dt.date] | None = None
    for name, key, day in dated:
        if latest is not None and day < latest[1]:
            what = f"评议会议“{steps[-1].record.title}”召开于 {day}" if name == "评议" and steps[-1].record \
                else f"{LABELS[key]} {day}"
            problems.error(p.file, p.line_of(key), key, LABELS[key],
                           f"{what}，早于{latest[0]} {latest[1]}：顺序应为 {ORDER}")
        if latest is None or day >= latest[1]:
            latest = (LABELS[key], day)


def _links(p: Item, steps: tuple[Step, ...], problems: Problems) -> None:
    for s in steps:
        r = s.record
        if r is None or not s.ref_key:
            continue        # no link, or one the reference check reports (missing) or a broken record
        key, line = s.ref_key, p.line_of(s.ref_key)
        allowed = LINKED_MEETINGS[key]
        if r.meeting not in allowed:
            problems.error(p.file, line, key, LABELS[key],
                           f"“{r.title}”是{r.meeting}的记录，这里应链接{'或'.join(allowed)}的记录")
        elif r.community != p.community:
            problems.error(p.file, line, key, LABELS[key],
                           f"“{r.title}”是其他社区（{r.community}）的会议，不是本提案所属社区的")
        elif s.date_key and s.date is not None and r.held.date() != s.date:
            problems.error(p.file, p.line_of(s.date_key), s.date_key, LABELS[s.date_key],
                           f"{LABELS[s.date_key]} {s.date} 与会议记录“{r.title}”的召开日期 {r.held.date()} 不一致")


def _state(p: Item, problems: Problems) -> None:
    if p.decision and p.decision.result == "未通过" and p.implementation:
        problems.error(p.file, p.line_of("implementation"), "implementation", "实施",
                       "表决未通过的提案不能有实施环节：请删去实施，或把表决结果改为“通过”")
        return
    implied = implied_state(p)
    if p.state != implied:
        problems.error(p.file, p.line_of("state"), "state", "办理状态",
                       f"办理状态写的是“{p.state}”，但按已填写的环节应为“{implied}”：{_why(implied)}")


def _why(state: str) -> str:
    return {"已提出": "还没有听证或决议",
            "已听证": "有听证、还没有决议",
            "已决议": "决议已通过、还没有实施",
            "实施中": "已开始实施、还没有办结日期",
            "已办结": "已写办结日期",
            "未通过": "表决结果为“未通过”"}[state]


def _future(site: Site, p: Item, problems: Problems, ctx: Context) -> None:
    dates = [("hearing.date", p.hearing.date if p.hearing else None),
             ("coordination.date", p.coordination.date if p.coordination else None),
             ("decision.date", p.decision.date if p.decision else None),
             ("implementation.started", p.implementation.started if p.implementation else None),
             ("implementation.finished", p.implementation.finished if p.implementation else None)]
    for key, day in dates:
        if day is not None and day > site.today:
            ctx.dated(problems, p.file, p.line_of(key), key, LABELS[key],
                      f"{LABELS[key]} {day} 还没有到：尚未进行的环节请等办理后再填写")
