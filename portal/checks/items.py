"""Rules on single items: policies' validity chain, interpretations, guide completeness,
notices, appeals."""
from __future__ import annotations

from .. import message_stats, schema
from ..model import Site
from ..problems import Problems
from ..rates import percent
from ..workdays import UnknownYear
from .context import Context

STALE_REVIEW_DAYS = 365          # a guide not re-checked for 12 months
INTERPRETATION_LAG = 3           # 政策解读 within 3 working days of the policy
APPEAL_LIMIT_DAYS = 92           # an appeal open for more than 3 months
TIME_BOUND_KINDS = ("通知", "提示")
DEAD = ("失效", "废止")


def check(site: Site, problems: Problems, ctx: Context) -> None:
    policies(site, problems, ctx)
    interpretations(site, problems, ctx)
    guides(site, problems, ctx)
    notices(site, problems, ctx)
    appeals(site, problems, ctx)
    evaluations(site, problems, ctx)


def policies(site: Site, problems: Problems, ctx: Context) -> None:
    for p in site.to_check("policy"):
        if p.validity == "有效" and p.expires and p.expires < site.today:
            ctx.dated(problems, p.file, p.line_of("expires"), "expires", "有效期至",
                      f"有效期已于 {p.expires} 届满，但有效性仍为“有效”：请改为“失效”并写明说明")
        if p.validity in DEAD + ("已修改",) and not p.validity_note:
            problems.error(p.file, p.line_of("validity"), "validity_note", "有效性说明",
                           f"有效性为“{p.validity}”时必须写明说明（依据哪个文件、何时起）")
        if p.validity == "废止" and not p.superseded_by and "无替代" not in (p.validity_note or ""):
            problems.error(p.file, p.line_of("validity"), "superseded_by", "替代文件",
                           "废止的文件应写明替代文件；确无替代文件的，在有效性说明中写明“无替代文件”")
        if p.validity == "已修改" and not p.amended_by:
            problems.error(p.file, p.line_of("validity"), "amended_by", "修改文件",
                           "有效性为“已修改”时应写明修改文件")
    for item in (*site.items.values(), *site.scheduled):
        for i, b in enumerate(getattr(item, "basis", ()) or (), 1):
            target = site.policy(b.policy) if b.policy else None
            if item.type == "guide" and target and target.validity in DEAD:
                problems.error(item.file, item.line_of(f"basis[{i}].policy"), f"basis[{i}].policy",
                               "对应文件", f"设定依据引用了已{target.validity}的文件“{target.title}”")
        for i, key in enumerate(getattr(item, "related", ()) or (), 1):
            target = site.items.get(key)
            if target is not None and target.type == "policy" and target.validity in DEAD:
                problems.warning(item.file, item.line_of(f"related[{i}]"), f"related[{i}]", "相关内容",
                                 f"链接到已{target.validity}的文件“{target.title}”，页面上会标注")


def interpretations(site: Site, problems: Problems, ctx: Context) -> None:
    for it in site.to_check("interpretation"):
        policy = site.policy(it.policy)
        if policy is None:
            continue  # a dangling reference or the policy's own errors are reported already
        if policy.validity in DEAD:
            problems.warning(it.file, it.line_of("policy"), "policy", "解读的文件",
                             f"解读的文件已{policy.validity}，页面上会标注")
        try:
            lag = ctx.calendar.between(policy.published.date(), it.published.date())
        except UnknownYear as e:
            problems.error(it.file, it.line_of("published"), "published", "发布时间",
                           f"没有 {e.year} 年的工作日历，请在 content/calendar/{e.year}.yaml 中补充")
            continue
        if lag > INTERPRETATION_LAG:
            problems.warning(it.file, it.line_of("published"), "published", "发布时间",
                             f"解读在文件发布后第 {lag} 个工作日才发布，应在 {INTERPRETATION_LAG} 个工作日内")
    for p in site.to_check("policy"):
        if p.doc_type == "规范性文件" and p.validity == "有效" and not site.interpretations.get(p.id):
            problems.warning(p.file, p.line_of("doc_type"), "doc_type", "文件类型",
                             "规范性文件应配发政策解读（content/zcjd/ 中 policy 指向本文件）")


def guides(site: Site, problems: Problems, ctx: Context) -> None:
    for g in site.to_check("guide"):
        if g.legal_limit is not None and g.promised_limit is not None and g.promised_limit > g.legal_limit:
            problems.error(g.file, g.line_of("promised_limit"), "promised_limit", "承诺时限（工作日）",
                           f"承诺时限 {g.promised_limit} 个工作日不能超过法定时限 {g.legal_limit} 个工作日")
        if g.kind == "即办件" and g.promised_limit:
            problems.error(g.file, g.line_of("promised_limit"), "promised_limit", "承诺时限（工作日）",
                           "即办件的承诺时限应为 0（当场办结）")
        if g.kind == "承诺件" and g.promised_limit == 0:
            problems.error(g.file, g.line_of("kind"), "kind", "办件类型",
                           "承诺时限为 0 的事项应为即办件")
        if g.reviewed and (site.today - g.reviewed).days > STALE_REVIEW_DAYS:
            problems.warning(g.file, g.line_of("reviewed"), "reviewed", "审核日期",
                             f"指南已超过 12 个月未核对（上次 {g.reviewed}），请核对后更新日期")


def notices(site: Site, problems: Problems, ctx: Context) -> None:
    for n in site.to_check("notice"):
        if n.kind == "公示":
            if not n.notice_period:
                problems.error(n.file, n.line_of("kind"), "notice_period", "公示期",
                               "公示类必须写明公示期（start 和 end）")
            elif n.notice_period.end < n.notice_period.start:
                problems.error(n.file, n.line_of("notice_period.end"), "notice_period.end", "结束日期",
                               "公示期结束日期早于开始日期")
            if not n.objection:
                problems.error(n.file, n.line_of("kind"), "objection", "异议渠道",
                               "公示类必须写明异议渠道（电话、地址或信箱）")
        elif n.kind in TIME_BOUND_KINDS and not n.valid_until and not n.withdrawn:
            problems.warning(n.file, n.line_of("kind"), "valid_until", "有效期至",
                             f"“{n.kind}”类通常有时效，请写明有效期至，过期后会自动标注")


def appeals(site: Site, problems: Problems, ctx: Context) -> None:
    for a in site.to_check("appeal"):
        if a.replied and a.received and a.replied < a.received:
            problems.error(a.file, a.line_of("replied"), "replied", "答复日期", "答复日期早于受理日期")
        if a.status == "已办结" and not a.replied:
            problems.error(a.file, a.line_of("status"), "replied", "答复日期", "已办结的诉求应写明答复日期")
        if a.status == "已办结" and not a.body.strip():
            problems.error(a.file, a.line_of("status"), "status", "办理状态",
                           "已办结的诉求必须公开答复内容：请在文件末尾的 --- 下面写明办理结果和答复")
        if a.status != "已办结" and (site.today - a.received).days > APPEAL_LIMIT_DAYS:
            ctx.dated(problems, a.file, a.line_of("status"), "status", "办理状态",
                      f"诉求受理于 {a.received}，超过 3 个月仍未办结")
    # 国办秘函〔2019〕19号: a 留言 unanswered for more than 3 months, as for 诉求答复 above.
    for path, line, e in message_stats.unanswered_too_long(site.message_stats, site.today):
        ctx.dated(problems, path, line, "unanswered", "未答复留言",
                  f"{site.community_name(e.community)}收到的留言（{e.received}）超过 3 个月仍未答复")


def evaluations(site: Site, problems: Problems, ctx: Context) -> None:
    """述职评议: votes within attendees; a typed rate must equal the computed one."""
    for ev in site.to_check("evaluation"):
        for i, s in enumerate(ev.subjects, 1):
            if s.votes is None:
                continue
            total = sum(s.votes[level] for level in schema.EVAL_LEVELS)
            if total > ev.attendees:
                problems.error(ev.file, ev.line_of(f"subjects[{i}].votes"), f"subjects[{i}].votes",
                               "评议票数", f"票数合计 {total} 超过参会人数 {ev.attendees}")
            rate = percent(s.votes["满意"] + s.votes["基本满意"], total)
            if s.rate is not None and s.rate.rstrip("%").strip() != rate:
                problems.error(ev.file, ev.line_of(f"subjects[{i}].rate"), f"subjects[{i}].rate",
                               "满意率", f"满意率由系统根据票数计算为 {rate}%，请删除此字段或改正")
