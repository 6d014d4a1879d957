"""议事会提案 (content/yishi/<年份>/<文件名>.md): one matter residents raised, followed through
the 三会一评 chain the seed describes — 提出 (群众意见收集会) → 听证 → 协调 → 决议 (议事决策会) →
实施 (社区服务中心) → 评议 (述职评议会). Each step after 提出 is a group of fields with its date
and, where a meeting was held, the id of that meeting's record in content/pyjg/ (the
`evaluation` type). portal.checks.proposals checks the order of the dates, the links and the
state; portal.proposals builds the chain pages show.
"""
from __future__ import annotations

from .content import _with_common
from .fields import DATE, ENUM, REF, TEXT, ContentType, F, Field, S

# The states a proposal passes through, in order (未通过 ends a chain at its 决议).
PROPOSAL_STATES = ("已提出", "已听证", "已决议", "实施中", "已办结", "未通过")
DECISION_RESULTS = ("通过", "未通过")


def _record(label: str, meeting: str) -> Field:
    return F("record", label, REF, target="evaluation",
             help=f"{meeting}的会议记录编号（content/pyjg/ 中的文件名，不带 .md）；没有单独记录的可不写")


PROPOSAL = ContentType(
    "proposal", "议事会提案", "yishi", fields=_with_common(
        F("community", "所属社区", REF, target="community", required=True,
          help="社区编号（见 content/communities/），议事会提案属于一个社区"),
        F("raised_by", "提议人", required=True,
          help="写居民小组、居民代表联名或驻区单位，如 黄河路居委会第三居民小组、居民代表12人联名；不写个人姓名"),
        F("raised", "提出日期", DATE, required=True),
        F("raised_at", "收集会议", REF, target="evaluation",
          help="群众意见收集会的会议记录编号（content/pyjg/ 中的文件名）"),
        F("subject", "提议事项", TEXT, required=True, help="居民提出的问题和建议，去除姓名、门牌等个人信息"),
        S("hearing", "听证", F("date", "听证日期", DATE, required=True), _record("听证会记录", "听证会或议题讨论会"),
          F("note", "听证意见", TEXT), help="召开听证会或议题讨论会后填写"),
        S("coordination", "协调", F("date", "协调日期", DATE, required=True), _record("协调会记录", "协调会"),
          F("note", "协调结果", TEXT), help="需要与驻区单位、物业或职能部门协调的，协调后填写"),
        S("decision", "决议", F("date", "决议日期", DATE, required=True), _record("议事决策会记录", "议事决策会"),
          F("result", "表决结果", ENUM, choices=DECISION_RESULTS, required=True),
          F("text", "决议内容", TEXT), help="议事决策会表决后填写"),
        S("implementation", "实施", F("by", "承办单位", required=True),
          F("started", "开始实施日期", DATE, required=True), F("finished", "办结日期", DATE),
          F("note", "实施情况", TEXT), help="决议通过、交社区服务中心组织实施后填写；办结后写办结日期"),
        F("evaluated_in", "评议会议", REF, target="evaluation",
          help="报告本提案办理情况的述职评议会记录编号，如 2026-huanghe-niandu-shuzhi"),
        F("state", "办理状态", ENUM, choices=PROPOSAL_STATES, required=True,
          help="与已填写的环节一致：有听证写“已听证”，有决议写“已决议”，开始实施写“实施中”，写了办结日期写“已办结”"),
        skip=("community",)), scaffold={"state": "已提出"})
