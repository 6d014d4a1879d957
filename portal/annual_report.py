"""政府信息公开工作年度报告: the year's report computed from the Site, in the national template's
structure (国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》).

The tables come from the content: 主动公开 counts from the items published that year, 依申请公开
from content/ysqgk/<year>.yaml (published by the survey service), 留言 statistics from the
published 留言 files. The text parts (总体情况, 问题及改进, 其他事项, 复议诉讼 figures) come from
content/ndbg/<year>.yaml, which staff write. Pure: a function of (site, year).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import schema
from .items import Item, Record
from .model import Site
from .schedule import annual_report_due

FOLDER = schema.ANNUAL_REPORT.folder
ENDED = ("废止", "失效")
OWN_LEVELS = ("区", "社区")        # documents this district issues itself (others are reposted)
NOT_OURS = "非本机关"              # counted, as the template does, under 无法提供·本机关不掌握
NOT_HELD = "本机关不掌握相关政府信息"

# Table 三's 办理结果 sections in the template's order, with its numbering.
SECTION_NUMBERS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")
SECTIONS = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
SECTION_NOTES = {"部分公开": "部分公开（区分处理的，只计这一情形，不计其他情形）"}
REVIEW_ROWS = (("reconsideration", "行政复议"), ("litigation", "行政诉讼：未经复议直接起诉"),
               ("after_reconsideration", "行政诉讼：复议后起诉"))
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_KEYS = ("upheld", "corrected", "other", "pending")

MESSAGE_COLUMNS = ("社区", "收到留言", "已答复", "按期答复", "平均答复用时（工作日）")


@dataclass(frozen=True)
class Row:
    """One row of a table: its label, its figures, and its depth (0: a section, 1: a reason)."""
    label: str
    values: tuple[Any, ...]
    depth: int = 0


@dataclass(frozen=True)
class Messages:
    received: int
    replied: int
    on_time: int
    average_days: Decimal | None      # working days from receipt to reply, over replied messages
    periods: int                      # how many monthly files the year has
    communities: tuple[Row, ...] = ()  # per community: received, replied, on time, average days


@dataclass(frozen=True)
class AnnualReport:
    year: int
    title: str
    organ: str
    text: Item | None                 # content/ndbg/<year>.yaml; None: a computed draft
    documents: tuple[Row, ...]        # 二（一）: 规章, 规范性文件, 其他政策文件
    regulatory: tuple[Row, ...]       # 二（二）-（五）: 许可, 处罚, 强制, 收费
    published: tuple[Row, ...]        # 二 supplement: what the portal published that year
    requests: tuple[Row, ...]         # 三: empty when the year's counts are not published
    request_notes: tuple[Row, ...]    # 三 supplement: 申请人类型, 延期, 补正, 超期
    request_as_of: dt.date | None
    review: tuple[Row, ...]           # 四
    messages: Messages | None         # 六 supplement
    until: dt.date                    # 31 December, or today for the year in progress

    @property
    def draft(self) -> bool:
        return self.text is None or bool(self.text.fields.get("draft"))

    @property
    def url(self) -> str:
        return report_url(self.year)

    @property
    def due(self) -> dt.date:
        return due_date(self.year)

    @property
    def review_columns(self) -> tuple[str, ...]:
        return REVIEW_COLUMNS

    @property
    def message_columns(self) -> tuple[str, ...]:
        return MESSAGE_COLUMNS

    @property
    def message_rows(self) -> tuple[Row, ...]:
        m = self.messages
        if m is None:
            return ()
        return (Row("收到留言（条）", (m.received,)), Row("已答复（条）", (m.replied,)),
                Row("按期答复（条）", (m.on_time,)),
                Row("平均答复用时（工作日）", (m.average_days if m.average_days is not None else "—",)))


def report_url(year: int) -> str:
    return f"/xxgk/ndbg/{year}/"


def due_date(year: int) -> dt.date:
    return annual_report_due(year)


def report_texts(site: Site) -> dict[int, Item]:
    """The staff files (content/ndbg/<year>.yaml) in the Site, by year."""
    return {i.year: i for i in site.by_type.get(schema.ANNUAL_REPORT.name, ())}


def draft_years(site: Site) -> list[int]:
    """Years a preview shows a computed draft for: last year and this year, when staff have not
    written their report yet."""
    texts = report_texts(site)
    return [y for y in (site.today.year - 1, site.today.year) if y not in texts]


def build(site: Site, year: int, text: Item | None) -> AnnualReport:
    """The report for `year`, with `text` (the staff file) or as a computed draft."""
    organ = (text.fields.get("organ") if text else None) or site.config.owner
    title = (text.fields.get("title") if text else None) or f"{year}年政府信息公开工作年度报告"
    stats = _request_stats(site).get(year)
    return AnnualReport(
        year=year, title=title, organ=organ, text=text,
        documents=_documents(site, year), regulatory=_regulatory(text),
        published=_published(site, year),
        requests=_requests(stats) if stats is not None else (),
        request_notes=_request_notes(stats) if stats is not None else (),
        request_as_of=stats.as_of if stats is not None else None,
        review=_review(text), messages=_messages(site, year), until=min(dt.date(year, 12, 31), site.today))


# --- 二、主动公开政府信息情况 ------------------------------------------------------------------

def ended_on(site: Site, policy: Item) -> dt.date | None:
    """When a repealed or lapsed policy stopped being in force: the day its replacement took
    effect, its 有效期至, or else the day its page was updated to say so."""
    if policy.validity not in ENDED:
        return None
    new = site.policy(policy.superseded_by) if policy.superseded_by else None
    if new is not None:
        return new.effective or new.written
    if policy.expires:
        return policy.expires
    return policy.updated.date() if policy.updated else None


def _documents(site: Site, year: int) -> tuple[Row, ...]:
    end = dt.date(year, 12, 31)
    own = [p for p in site.by_type["policy"] if p.level in OWN_LEVELS]

    def counts(docs: list[Item]) -> tuple[int, int, int]:
        issued = sum(1 for p in docs if p.written.year == year)
        stops = [ended_on(site, p) for p in docs]
        repealed = sum(1 for s in stops if s is not None and s.year == year)
        current = sum(1 for p, s in zip(docs, stops, strict=True)
                      if p.written <= end and (p.validity not in ENDED or (s is not None and s > end)))
        return issued, repealed, current

    # 区县级机关没有规章制定权 (《立法法》第九十三条): the row is in the template, always 0.
    return (Row("规章", (0, 0, 0)),
            Row("行政规范性文件", counts([p for p in own if p.doc_type == "规范性文件"])),
            Row("其他政策文件", counts([p for p in own if p.doc_type != "规范性文件"])))


def _regulatory(text: Item | None) -> tuple[Row, ...]:
    r = text.fields.get("regulatory") if text else None

    def get(key: str, default: Any) -> Any:
        return r[key] if r is not None and r.get(key) is not None else default

    return (Row("行政许可（本年处理决定数量）", (get("licences", 0),)),
            Row("行政处罚（本年处理决定数量）", (get("penalties", 0),)),
            Row("行政强制（本年处理决定数量）", (get("coercion", 0),)),
            Row("行政事业性收费（本年收费金额，万元）", (get("fees", Decimal(0)),)))


def _in_year(items: Iterable[Item], year: int) -> int:
    return sum(1 for i in items if i.published.year == year)


def _published(site: Site, year: int) -> tuple[Row, ...]:
    T = site.by_type
    records = T["disclosure"]
    rows = [Row("通知公告", (_in_year(T["notice"], year),)),
            Row("其中：公示", (_in_year((n for n in T["notice"] if n.kind == "公示"), year),), 1),
            Row("工作动态", (_in_year(T["news"], year),)),
            Row("政策文件（含转发上级文件）", (_in_year(T["policy"], year),)),
            Row("政策解读", (_in_year(T["interpretation"], year),)),
            Row("办事指南", (_in_year(T["guide"], year),))]
    rows += [Row(f"{domain}公开记录", (_in_year((r for r in records if r.domain == domain), year),))
             for domain in schema.DISCLOSURE_DOMAINS]
    rows += [Row("评议结果", (_in_year(T["evaluation"], year) + _in_year(T["result"], year),)),
             Row("诉求答复", (_in_year(T["appeal"], year),))]
    return tuple(rows)


# --- 三、收到和处理政府信息公开申请情况 --------------------------------------------------------

def _request_stats(site: Site) -> Mapping[int, Record]:
    """content/ysqgk/<year>.yaml by year (portal.request_stats)."""
    return site.request_stats


def _requests(stats: Any) -> tuple[Row, ...]:
    counts: dict[tuple[str, str], int] = {}
    for o in stats.outcomes:
        kind, reason = (("无法提供", NOT_HELD) if o.type == NOT_OURS else (o.type, o.reason or ""))
        counts[(kind, reason)] = counts.get((kind, reason), 0) + o.count
    rows = [Row("一、本年新收政府信息公开申请数量", (stats.received,)),
            Row("二、上年结转政府信息公开申请数量", (stats.carried_over,)),
            Row("三、本年度办理结果", ("",))]
    for number, section in zip(SECTION_NUMBERS, SECTIONS, strict=True):
        reasons = schema.OUTCOME_REASONS[section]
        total = sum(n for (k, _), n in counts.items() if k == section)
        rows.append(Row(number + SECTION_NOTES.get(section, section), (total,), 1))
        rows += [Row(f"{n}. {r}", (counts.get((section, r), 0),), 2) for n, r in enumerate(reasons, 1)]
    rows.append(Row("（七）总计", (stats.answered,), 1))
    rows.append(Row("四、结转下年度继续办理", (stats.carried_forward,)))
    return tuple(rows)


def _request_notes(stats: Any) -> tuple[Row, ...]:
    not_ours = sum(o.count for o in stats.outcomes if o.type == NOT_OURS)
    by = stats.received_by_applicant
    return (Row("新收申请中：公民（自然人）", (by.citizen,)),
            Row("新收申请中：法人或其他组织", (by.organisation,)),
            Row("延期答复", (stats.extensions,)),
            Row("要求申请人补正", (stats.corrections,)),
            Row("超过法定期限答复", (stats.overdue,)),
            Row("告知申请人向负责公开的机关申请（计入“本机关不掌握相关政府信息”）", (not_ours,)))


# --- 四、行政复议和行政诉讼 --------------------------------------------------------------------

def _review(text: Item | None) -> tuple[Row, ...]:
    review = text.fields.get("review") if text else None
    rows = []
    for key, label in REVIEW_ROWS:
        part = review.get(key) if review is not None else None
        values = tuple((part.get(k) or 0) if part is not None else 0 for k in REVIEW_KEYS)
        rows.append(Row(label, values + (sum(values),)))
    return tuple(rows)


# --- 六、其他需要报告的事项: 留言 statistics ----------------------------------------------------

def _messages(site: Site, year: int) -> Messages | None:
    """The year's 留言 totals from the published monthly statistics (content/liuyan/<YYYY-MM>.yaml),
    or None when the year has none (the page then says 暂无数据)."""
    months = [rec for period, rec in sorted(_message_stats(site).items()) if period.startswith(f"{year}-")]
    if not months:
        return None
    rows = [row for rec in months for row in rec.stats]
    by: dict[str, list[int]] = {}
    for row in rows:
        acc = by.setdefault(row.community, [0, 0, 0, 0])
        for n, key in enumerate(("received", "replied", "on_time", "reply_days")):
            acc[n] += row[key]
    names = {cid: site.community_name(cid) for cid in by}
    communities = tuple(Row(names[cid], _message_figures(*by[cid]))
                        for cid in sorted(by, key=lambda c: (c == "district", c)))
    total = [sum(acc[n] for acc in by.values()) for n in range(4)]
    return Messages(total[0], total[1], total[2], _average(total[3], total[1]), len(months), communities)


def _message_stats(site: Site) -> Mapping[str, Record]:
    """content/liuyan/<YYYY-MM>.yaml by month (portal.message_stats)."""
    return site.message_stats


def _average(days: int, replied: int) -> Decimal | None:
    """Average working days to reply, to one decimal (half up, as published rates are)."""
    return (Decimal(days) / replied).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if replied else None


def _message_figures(received: int, replied: int, on_time: int, days: int) -> tuple[Any, ...]:
    average = _average(days, replied)
    return (received, replied, on_time, average if average is not None else "—")
