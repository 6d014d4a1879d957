"""依申请公开 statistics (content/ysqgk/<year>.yaml): the year's counts of information requests,
written by `flask --app survey publish-ysqgk YEAR`, read by the annual report (/xxgk/ndbg/).
Counts only: nothing of an application (no name, ID, contact or text) is ever published.

The outcome types and their reasons follow 《政府信息公开条例》第三十六条 and the national
template of the annual report (国办公开办函〔2021〕30号, table 三 “收到和处理政府信息公开申请情况”).
"""
from __future__ import annotations

from .fields import DATE, DATETIME, ENUM, INT, ContentType, F, Field, L, S

APPLICANT_TYPES = ("公民", "法人或其他组织")
# 第三十六条 answer types, with the reasons the national template counts under each.
OUTCOME_REASONS: dict[str, tuple[str, ...]] = {
    "予以公开": (),
    "部分公开": (),
    "不予公开": ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                 "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"),
    "无法提供": ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
    "非本机关": ("已告知负责公开的机关", "无法确定负责公开的机关"),
    "不予处理": ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                 "要求行政机关确认或重新出具已获取信息"),
    "其他处理": ("申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用", "其他"),
}
OUTCOMES = tuple(OUTCOME_REASONS)
REASONS = tuple(r for rs in OUTCOME_REASONS.values() for r in rs)



def _count(key: str, label: str) -> Field:
    """A required count of applications."""
    return F(key, label, INT, min=0, max=1_000_000, required=True)


REQUEST_OUTCOME = S("outcome", "办理结果",
                    F("type", "答复类型", ENUM, choices=OUTCOMES, required=True),
                    F("reason", "理由", ENUM, choices=REASONS,
                      help="不予公开、无法提供、非本机关、不予处理、其他处理须写理由"),
                    _count("count", "件数"))

REQUEST_STATS = ContentType(
    "request_stats", "依申请公开统计", "ysqgk", fmt="yaml", body=False, listed=False, fields=(
        F("year", "年度", INT, required=True, min=2000, max=2100),
        F("published", "生成时间", DATETIME, required=True),
        F("as_of", "统计截至", DATE, required=True, help="年度未结束时只统计到这一天"),
        _count("received", "本年新收申请"),
        S("received_by_applicant", "新收申请按申请人", _count("citizen", "公民（自然人）"),
          _count("organisation", "法人或其他组织"), required=True),
        _count("carried_over", "上年结转"),
        _count("answered", "本年办结"),
        L("outcomes", "办理结果", REQUEST_OUTCOME, help="每种答复类型（及理由）一行，件数之和等于本年办结"),
        _count("carried_forward", "结转下年度继续办理"),
        _count("extensions", "延期答复"),
        _count("corrections", "要求补正"),
        _count("overdue", "超期答复"),
    ))
