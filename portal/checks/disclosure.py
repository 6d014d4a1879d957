"""The disclosure calendar: every due record exists by its deadline (党务/居务/财务公开).

On-event items must be published within N working days of forming (政府信息公开条例 第二十六条:
20 working days unless the catalogue says otherwise). Missing records past their deadline
fail a real site; a record due within 5 working days is a warning.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .. import committees
from ..disclosure import Period
from ..items import Item
from ..model import Site
from ..problems import Problems
from ..schedule import FREQUENCY_KIND
from .context import Context


def check(site: Site, problems: Problems, ctx: Context) -> None:
    cat_path = site.catalogue_file
    for slot in site.schedule:
        line = site.catalogue_line(slot.item.id, "schedule")
        where = f"{site.communities[slot.community].name}{slot.committee_name}“{slot.item.name}”{slot.period.label}"
        folder = f"{slot.community}/{slot.item.id}/{slot.committee}/" if slot.committee else \
            f"{slot.community}/{slot.item.id}/"
        if slot.state == "unknown":
            ctx.dated(problems, cat_path, line, "schedule", "公开时限",
                      f"{where}的期限要按 {slot.unknown_year} 年工作日计算，但没有该年的工作日历："
                      f"请添加 content/calendar/{slot.unknown_year}.yaml（complete: true）")
        elif slot.state == "overdue":
            ctx.dated(problems, cat_path, line, "schedule", "公开时限",
                      f"{where}应于 {slot.deadline} 前公开，至今未公开（应建 disclosure/{folder}"
                      f"{slot.period.code}.md）")
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
    finance(site, problems)
    for cat in site.catalogue:
        rarely = committees.frequency_problem(cat)
        if rarely:
            problems.error(cat_path, site.catalogue_line(cat.id, "schedule"), "schedule", "公开时限", rarely)



SIGNERS = ("民主理财小组", "监督委员会")


def finance(site: Site, problems: Problems) -> None:
    """财务公开 is signed off by the 民主理财小组 or the 居(村)务监督委员会 (村民委员会组织法 第三十二条;
    城市居民委员会组织法 2025 修订: 居务监督委员会), not only by the 党委书记; a 居委会/村's table
    states its 期初余额, and each period's 期初 is the last period's 期末 (a computed carry-forward)."""
    subjects = {(s.community, s.id): s for c in site.communities.values() for s in committees.subjects(c)}
    chains: dict[tuple[str, str, str], list[tuple[Period, Item]]] = defaultdict(list)
    for r in site.to_check("disclosure"):
        committee = subjects.get((r.community, r.fields.get("committee") or ""))
        signer = r.fields.get("signed_off_by")
        if signer and not any(s in signer for s in SIGNERS):
            problems.error(r.file, r.line_of("signed_off_by"), "signed_off_by", "监督审核",
                           f"财务公开应由民主理财小组或居（村）务监督委员会审核签字，而不是“{signer}”")
        elif signer and committee and signer not in (committee.supervisor, committee.finance_group):
            own = "或".join(n for n in (committee.supervisor, committee.finance_group) if n)
            problems.error(r.file, r.line_of("signed_off_by"), "signed_off_by", "监督审核",
                           f"{committee.name}的财务公开应由{own}审核签字，而不是“{signer}”")
        if r.domain != "财务" or committee is None:
            if r.domain == "财务" and r.key in site.ledgers:
                chains[(r.community, "", r.item)].append((r.period, r))
            continue
        if not signer:
            problems.error(r.file, r.line_of("reviewed_by"), "signed_off_by", "监督审核",
                           f"{committee.name}的财务公开须经{committee.finance_group or committee.supervisor}"
                           f"审核签字：请写 signed_off_by: {committee.finance_group or committee.supervisor}")
        ledger = site.ledgers.get(r.key)
        if r.fields.get("data") and ledger is not None and ledger.opening is None:
            problems.error(r.file, r.line_of("data"), "data", "财务明细",
                           "村（居）财务公开应写明期初余额：在明细表头下第一行写“上月结余”及金额，"
                           "可在最后一行写“期末余额”")
        if ledger is not None:
            chains[(r.community, committee.id, r.item)].append((r.period, r))
    for chain in chains.values():
        chain.sort(key=lambda pr: pr[0])
        for (p0, r0), (p1, r1) in zip(chain, chain[1:], strict=False):
            before, after = site.ledgers[r0.key], site.ledgers[r1.key]
            if (p0.end + dt.timedelta(days=1) != p1.start or before.closing is None or after.opening is None
                    or before.closing == after.opening):
                continue
            problems.error(after.path, after.opening_line, "", "",
                           f"上月结余 {after.opening:,.2f} 与{p0.label}的期末余额 {before.closing:,.2f} 不一致"
                           f"（{r0.file}），请核对")
