"""留言统计 (content/liuyan/<YYYY-MM>.yaml): one month of residents' messages (咨询·建议·投诉·求助),
written by `flask --app survey publish-liuyan YYYY-MM`, shown at /hdjl/liuyan/ and read by the
annual report (/xxgk/ndbg/). Counts per community, the de-identified messages whose writers
agreed to publication with their replies, and the received dates of messages still unanswered
(国办秘函〔2019〕19号: unanswered for more than 3 months fails the site). Never a contact, a
name, a receipt or a rate (the builder computes averages and rates from the counts).
"""
from __future__ import annotations

from typing import Any

from .fields import DATE, DATETIME, ENUM, INT, REF, TEXT, ContentType, F, L, S

MESSAGE_KINDS = ("咨询", "建议", "投诉", "求助")

_COUNT: dict[str, Any] = {"kind": INT, "min": 0, "max": 1_000_000, "required": True}
_WHERE: dict[str, Any] = {"kind": REF, "target": "community", "allow": ("district",), "required": True}

MESSAGE_COMMUNITY_STATS = S(
    "community_stats", "社区留言统计",
    F("community", "社区", **_WHERE),
    F("received", "收到留言", **_COUNT),
    F("replied", "已答复", **_COUNT),
    F("on_time", "按期答复", **_COUNT),
    F("reply_days", "答复用时合计（工作日）", **_COUNT,
      help="已答复留言从收到到答复的工作日之和；平均用时由网站计算"))

PUBLISHED_MESSAGE = S(
    "message", "公开的留言",
    F("kind", "留言类型", ENUM, choices=MESSAGE_KINDS, required=True),
    F("community", "办理单位", **_WHERE),
    F("received", "留言日期", DATE, required=True),
    F("replied", "答复日期", DATE, required=True),
    F("subject", "标题", required=True),
    F("question", "留言内容", TEXT, required=True, help="已去除个人信息"),
    F("reply", "答复内容", TEXT, required=True))

UNANSWERED_MESSAGE = S(
    "unanswered", "未答复留言",
    F("community", "办理单位", **_WHERE),
    F("received", "留言日期", DATE, required=True))

MESSAGE_STATS = ContentType(
    "message_stats", "留言统计", "liuyan", fmt="yaml", body=False, listed=False, fields=(
        F("period", "月份", required=True, help="YYYY-MM，与文件名一致；统计这个月收到的留言"),
        F("published", "生成时间", DATETIME, required=True),
        F("as_of", "统计截至", DATE, required=True, help="答复情况统计到这一天"),
        L("stats", "各社区统计", MESSAGE_COMMUNITY_STATS, required=True,
          help="按留言现在的办理单位，每个单位一行"),
        L("messages", "公开的留言", PUBLISHED_MESSAGE, help="居民同意公开且已答复的留言，去除个人信息"),
        L("unanswered", "未答复留言", UNANSWERED_MESSAGE, help="截至统计日仍未答复的留言（只有日期和单位）"),
    ))
