"""政府信息公开工作年度报告 (content/ndbg/<year>.yaml): the text parts staff write for the year's
report; the tables are computed from the content (portal.annual_report), never typed in.

The structure follows the national template (国办公开办函〔2021〕30号《中华人民共和国政府信息公开
工作年度报告格式》); the report for year Y is due by 31 January of Y+1 (《政府信息公开条例》第五十条).
"""
from __future__ import annotations

from typing import Any

from .content import DRAFT
from .fields import DATETIME, INT, MONEY, TEXT, ContentType, F, S

_COUNT: dict[str, Any] = {"kind": INT, "min": 0, "max": 1_000_000, "default": 0}

# One row of table 四: how the cases of the year ended (or are still pending).
_OUTCOMES = (F("upheld", "结果维持", **_COUNT), F("corrected", "结果纠正", **_COUNT),
             F("other", "其他结果", **_COUNT), F("pending", "尚未审结", **_COUNT))

ANNUAL_REPORT = ContentType(
    "annual_report", "政府信息公开工作年度报告", "ndbg", fmt="yaml", body=False, listed=False, fields=(
        F("year", "报告年度", INT, required=True, min=2000, max=2100, help="与文件名一致，如 2025"),
        F("title", "标题", help="不写即为“<年度>年政府信息公开工作年度报告”"),
        F("published", "公布时间", DATETIME, required=True,
          help="YYYY-MM-DD HH:MM；应在次年 1 月 31 日前公布（政府信息公开条例第五十条）"),
        F("organ", "报告机关", help="不写即为站点信息中的主办单位"),
        F("overview", "总体情况", TEXT, required=True,
          help="一、总体情况：主动公开、依申请公开、政府信息管理、平台建设、监督保障等工作概述"),
        S("regulatory", "行政许可、处罚等", F("licences", "行政许可处理决定数", **_COUNT),
          F("penalties", "行政处罚处理决定数", **_COUNT), F("coercion", "行政强制处理决定数", **_COUNT),
          F("fees", "行政事业性收费金额（万元）", MONEY, default="0"),
          help="表二中门户内容里没有的数字；社区一般均为 0，可不写"),
        S("review", "行政复议和行政诉讼",
          S("reconsideration", "行政复议", *_OUTCOMES),
          S("litigation", "未经复议直接起诉", *_OUTCOMES),
          S("after_reconsideration", "复议后起诉", *_OUTCOMES),
          help="四、因政府信息公开工作被申请行政复议、提起行政诉讼的件数；没有写 0 或不写"),
        F("problems", "存在的主要问题及改进情况", TEXT, required=True,
          help="五、上一年度问题的整改情况和本年度存在的主要问题、改进措施"),
        F("other", "其他需要报告的事项", TEXT,
          help="六、收取信息处理费情况、人大代表建议和政协提案办理情况等；留言统计由系统生成，附在其后"),
        DRAFT,
    ))
