"""重大决策预公开 / 征求意见 (content/zqyj/<文件名>.md): a draft decision published for residents'
opinions during a stated period (国办发〔2019〕54号: 重大决策预公开; 《重大行政决策程序暂行条例》
第十四条: 征求意见期一般不少于 30 日), how to give an opinion, and after the period the 采纳情况
(how many opinions came in, how many were taken up and why others were not).
portal.checks.consultations asks for the 采纳情况 once the period has ended.
"""
from __future__ import annotations

from .content import _with_common
from .fields import DATE, INT, TEXT, ContentType, F, S

CONSULTATION = ContentType(
    "consultation", "征求意见", "zqyj", body_label="征求意见稿说明", fields=_with_common(
        F("drafter", "起草单位", required=True, help="如 黄河社区服务中心、区民政局"),
        S("period", "征求意见期", F("start", "开始日期", DATE, required=True),
          F("end", "截止日期", DATE, required=True), required=True,
          help="征求意见的起止日期（含当天）；重大行政决策一般不少于 30 天"),
        F("how", "意见提交方式", TEXT,
          help="不写即为：在本站“我要留言”中留言（注明本事项标题），或到社区服务中心当面、书面提出"),
        S("adoption", "采纳情况",
          F("published", "公布日期", DATE, required=True),
          F("received", "收到意见（条）", INT, min=0, required=True),
          F("adopted", "采纳（条）", INT, min=0, required=True),
          F("summary", "采纳情况说明", TEXT, required=True, help="采纳了哪些意见，未采纳的说明理由"),
          help="征求意见期结束后填写；截止后未填写会提示，超过规定的工作日是错误"),
    ))
