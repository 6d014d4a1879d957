"""Demo responses for the sample district (`make run` on an empty database), so the dashboards,
the 差评 queue and the published results show real figures on first start.

Clearly marked: every demo receipt starts with `DEMO` (a letter O never occurs in real receipts,
see store.RECEIPT_ALPHABET), and the staff pages count them. Deterministic: the same seed and
anchor date give the same responses, so the results shipped in content/results/ can be checked
against a freshly seeded database (tests/survey/test_demo.py).
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from portal import clock
from portal.model import Site
from portal.surveys import Survey

from . import answers as A
from . import cases, store
from .context import offers

ANCHOR = dt.date(2026, 11, 24)          # the sample district's "today"
SEED = 2026
PREFIX = "DEMO"
# Surveys whose published figures are given, not drawn at random: answers per question and
# choice (a matrix: per row). The annual 群众满意度测评 reproduces the seed's three rates from
# whole counts, half-up: 552 ÷ (612 − 9) = 91.54 %, 545 ÷ (612 − 16) = 91.44 %,
# 524 ÷ (612 − 19) = 88.36 % (弃权 left out of the denominator).
TALLIES: dict[str, dict[str, Any]] = {
    "qunzhong-myd-2026": {
        "dangzuzhi": {"满意": 468, "基本满意": 84, "不满意": 51, "弃权": 9},
        "fuwuzhongxin": {"满意": 455, "基本满意": 90, "不满意": 51, "弃权": 16},
        "zhian": {"是": 524, "否": 69, "弃权": 19},
    },
    "qunzhong-myd-2025": {
        "dangzuzhi": {"满意": 430, "基本满意": 95, "不满意": 46, "弃权": 9},
        "fuwuzhongxin": {"满意": 425, "基本满意": 98, "不满意": 45, "弃权": 12},
        "zhian": {"是": 498, "否": 70, "弃权": 12},
    },
    "changjiang-shuzhi-2026": {
        "subjects": {"zhuren": {"称职": 48, "基本称职": 9, "不称职": 2, "弃权": 3},
                     "yishihui": {"称职": 41, "基本称职": 12, "不称职": 4, "弃权": 5}},
    },
}
COUNTS = {"fwzx-myd-2026": 180, "fuwu-haocha": 260, "huanghe-shuzhi-2026": 72,
          "qunzhong-myd-2026": 612, "changjiang-shuzhi-2026": 62, "qunzhong-myd-2025": 580}
# How residents of the demo lean: 非常满意 … 非常不满意
LEVEL_WEIGHTS = (38, 36, 16, 7, 3)
NOT_TRUE_REPLY = "经核实，该事项已按规定时限办结。我们将进一步做好解释说明工作。"
CLOSED_REPLY = ("已核实情况，{fix}。感谢您的监督，欢迎继续评价我们的服务。",)
FIXES = {
    "等候时间太长": "高峰时段加开一个综合窗口，并在门口设置叫号提示屏",
    "工作人员态度不好": "已对当事工作人员进行批评教育，并组织全体窗口人员开展服务礼仪培训",
    "材料要求没有一次说清楚": "已修订办事指南的材料清单，窗口实行一次性告知单",
    "跑了多次还没办成": "安排专人跟踪办理，已为您办结，并推行容缺受理",
    "不符合办理条件，但解释不清楚": "已由窗口负责人当面说明政策依据，并在指南中补充常见问题",
    "其他": "已逐项核查并整改",
}


def _receipt(rng: random.Random) -> str:
    return PREFIX + "".join(rng.choice(store.RECEIPT_ALPHABET) for _ in range(6))


def _level(rng: random.Random) -> str:
    return rng.choices(("非常满意", "满意", "基本满意", "不满意", "非常不满意"), LEVEL_WEIGHTS)[0]


def _answer(q, rng: random.Random, answers: dict[str, Any]) -> Any:
    """A plausible value for one question, or None to leave it unanswered."""
    if not q.required and rng.random() < 0.25:
        return None
    if q.type == "scale5":
        return _level(rng)
    if q.type == "single":
        return rng.choice([c.value for c in q.choices])
    if q.type == "multiple":
        values = [c.value for c in q.choices]
        lo, hi = max(q.min or 1, 1), min(q.max or len(values), len(values))
        return rng.sample(values, rng.randint(lo, hi))
    if q.type == "rating":
        return rng.choices((1, 2, 3, 4, 5), (2, 4, 14, 40, 40))[0]
    if q.type == "nps":
        return rng.choices(range(11), (1, 1, 1, 2, 2, 4, 6, 12, 20, 24, 27))[0]
    if q.type == "matrix":
        return {r.value: _level(rng) for r in q.rows}
    if q.type == "ranking":
        values = [c.value for c in q.choices]
        rng.shuffle(values)
        return values
    if q.type == "number":
        lo, hi = q.min if q.min is not None else 0, q.max if q.max is not None else 10
        return min(max(rng.choices((1, 2, 3), (60, 30, 10))[0], lo), hi)
    return None                          # no free text in demo data


def responses_for(survey: Survey, site: Site, n: int, rng: random.Random, start: dt.date, end: dt.date
                  ) -> list[dict[str, Any]]:
    """n valid demo responses, submitted between start and end (inclusive), oldest first."""
    guides = sorted(g.id for g in site.by_type["guide"])
    communities = sorted(site.communities)
    days = (end - start).days + 1
    out = []
    for _ in range(n):
        values: dict[str, Any] = {}
        for q in survey.questions:
            if not A.visible(q, values):
                continue
            v = _answer(q, rng, values)
            if v is not None:
                values[q.id] = v
        clean, errors = A.check(survey, values)
        if errors:                       # a constraint the generator does not know: skip it
            continue
        context: dict[str, str] = {}
        if survey.kind == "好差评" and guides:
            context = _place(site, rng.choice(guides), communities, rng)
        day = start + dt.timedelta(days=rng.randrange(days))
        at = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)),
                                 clock.CHINA)
        out.append({"receipt": _receipt(rng), "submitted": at.isoformat(timespec="seconds"),
                    "version": survey.version, "context": context, "answers": clean})
    out.sort(key=lambda r: (r["submitted"], r["receipt"]))
    return out


def _column(counts: dict[str, int], n: int, rng: random.Random) -> list[str]:
    """Exactly `counts` answers, shuffled, for n respondents."""
    values = [v for v, k in counts.items() for _ in range(k)]
    assert len(values) == n, f"counts add up to {len(values)}, not {n}"
    rng.shuffle(values)
    return values


def tallied_responses(survey: Survey, tallies: dict[str, Any], n: int, rng: random.Random, start: dt.date,
                      end: dt.date) -> list[dict[str, Any]]:
    """n demo responses whose answers add up exactly to `tallies` (per question: {choice: count};
    a matrix: {row: {choice: count}}), submitted between start and end, oldest first."""
    columns: dict[str, Any] = {}
    for qid, counts in tallies.items():
        q = survey.question(qid)
        assert q is not None, qid
        if q.type == "matrix":
            columns[qid] = {row: _column(c, n, rng) for row, c in counts.items()}
        else:
            columns[qid] = _column(counts, n, rng)
    days = (end - start).days + 1
    out = []
    for i in range(n):
        values = {qid: ({row: col[i] for row, col in cols.items()} if isinstance(cols, dict) else cols[i])
                  for qid, cols in columns.items()}
        clean, errors = A.check(survey, values)
        assert not errors, errors
        day = start + dt.timedelta(days=rng.randrange(days))
        at = dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59), rng.randint(0, 59)),
                                 clock.CHINA)
        out.append({"receipt": _receipt(rng), "submitted": at.isoformat(timespec="seconds"),
                    "version": survey.version, "context": {}, "answers": clean})
    out.sort(key=lambda r: (r["submitted"], r["receipt"]))
    return out


def _place(site: Site, gid: str, communities: list[str], rng: random.Random) -> dict[str, str]:
    """A plausible context for rating a service: a centre that offers it, and one of that
    centre's windows handling it (none when the centre has no such window)."""
    guide = site.guide(gid)
    assert guide is not None
    cid = rng.choice([c for c in communities if offers(guide, c)])
    centre = site.communities[cid].centre
    windows = [w.number for w in (centre.windows if centre else ()) if not guide.windows or w.number in guide.windows]
    context = {"service": gid, "community": cid}
    if windows:
        context["window"] = str(rng.choice(windows))
    return context


FOLLOWUPS = (("电话回访", "居民认可整改措施"), ("电话回访", "居民表示理解，希望保持"),
             ("上门回访", "当面说明整改情况，居民认可"), ("未能联系上", "居民未留电话，答复已在回执查询页公开"))
APPEAL_REASON = "评价针对的是区级部门的审批结论，不是本中心窗口的服务"


def _followup(rng: random.Random, day: str, true: bool) -> dict[str, Any]:
    """回访 for a closed demo case; some residents rate the rectification, and a 不属实 case is
    now and then appealed (and the district decides some appeals)."""
    method, result = rng.choice(FOLLOWUPS)
    out: dict[str, Any] = {"followup_method": method, "followup_result": result}
    if rng.random() < 0.6:
        out.update(feedback="满意" if rng.random() < 0.85 else "不满意", feedback_at=f"{day}T20:00:00+08:00")
    if not true and rng.random() < 0.5:
        decided = rng.random() < 0.7
        out.update(appeal_state=rng.choice(("upheld", "rejected")) if decided else "pending",
                   appeal_reason=APPEAL_REASON, appeal_by="demo", appeal_at=f"{day}T17:00:00+08:00",
                   appeal_decided_by="demo" if decided else None,
                   appeal_decided_at=f"{day}T18:00:00+08:00" if decided else None,
                   appeal_note="经复核，评价事项不属于服务中心职责" if decided else "")
    return out


def cases_for(survey: Survey, responses: list[dict[str, Any]], calendar, rng: random.Random,
              today: dt.date, days: tuple[int, int] = (1, 15)) -> list[dict[str, Any]]:
    """The 差评 cases the demo 好差评 responses open; older ones verified and closed (mostly on
    time), a few left overdue so the queue shows what an overdue case looks like."""
    out = []
    for r in responses:
        if not cases.is_bad(survey, r["answers"]):
            continue
        opened = dt.date.fromisoformat(r["submitted"][:10])
        verify_due, reply_due, estimated = cases.deadlines(opened, calendar, *days)
        reasons = cases.reasons(survey, r["answers"])
        case = {"receipt": r["receipt"], "survey": survey.id, "opened": r["submitted"],
                "level": cases.headline_answer(survey, r["answers"]), "reasons": reasons,
                "service": r["context"].get("service", ""), "window": r["context"].get("window", ""),
                "community": r["context"].get("community", ""), "verify_due": verify_due.isoformat(),
                "reply_due": reply_due.isoformat(), "estimated": estimated, "phone": None,
                "verified": None, "verdict": None, "verdict_note": "", "verified_by": None,
                "rectification": "", "reply": "", "closed": None, "closed_by": None}
        age = (today - opened).days
        if age > 21 or (age > 5 and rng.random() < 0.5):
            if rng.random() < 0.15:
                out.append(case)         # left open: overdue once its deadline has passed
                continue
            true = rng.random() < 0.8
            fix = FIXES.get(reasons[0] if reasons else "其他", FIXES["其他"])
            closed, _ = cases.add_workdays(calendar, opened, rng.choice((3, 5, 8, 12, 14, 18)))
            day = min(closed, today).isoformat()
            case.update(verified=f"{verify_due.isoformat()}T10:00:00+08:00", verdict="属实" if true else "不属实",
                        verdict_note="" if true else "经调取叫号记录和现场核实，办理用时在承诺时限内",
                        verified_by="demo", rectification=fix if true else "",
                        reply=CLOSED_REPLY[0].format(fix=fix) if true else NOT_TRUE_REPLY,
                        closed=f"{day}T16:00:00+08:00", closed_by="demo", **_followup(rng, day, true))
        elif verify_due <= today:        # in progress: verified, rectification under way
            case.update(verified=f"{verify_due.isoformat()}T10:00:00+08:00", verdict="属实", verified_by="demo")
        out.append(case)
    return out


def published_at(survey: Survey, today: dt.date = ANCHOR) -> dt.datetime:
    """When the demo publishes a survey's results: the anchor date, or four days after a survey
    that closed earlier (last year's annual 测评 was published last year)."""
    day = min(today, survey.closes + dt.timedelta(days=4))
    return dt.datetime.combine(day, dt.time(18, 0), clock.CHINA)


def generate(surveys: dict[str, Survey], site: Site, today: dt.date = ANCHOR, days: tuple[int, int] = (1, 15)
             ) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """(responses per survey id, cases) for the sample surveys present; pure and deterministic.
    `days`: the 差评 deadlines in working days (verify, reply), as the service is configured."""
    rng = random.Random(SEED)
    by_survey: dict[str, list[dict[str, Any]]] = {}
    all_cases: list[dict[str, Any]] = []
    for sid, n in COUNTS.items():
        survey = surveys.get(sid)
        if survey is None:
            continue
        end = min(survey.closes, today)                 # nobody answers a closed survey
        start = max(survey.opens, end - dt.timedelta(days=84))
        if sid in TALLIES:                              # its own generator: the others stay as they were
            by_survey[sid] = tallied_responses(survey, TALLIES[sid], n, random.Random(f"{SEED}-{sid}"), start, end)
            continue
        by_survey[sid] = responses_for(survey, site, n, rng, start, end)
        if survey.kind == "好差评":
            all_cases += cases_for(survey, by_survey[sid], site.calendar, rng, today, days)
    return by_survey, all_cases


# 留言 a staff member meets in the demo queue: (days before today, kind, community, subject, body,
# what happened: "new", "accepted", "replied" or "closed", the reply). Fictional, no contact data.
DEMO_MESSAGES = (
    (0, "咨询", "huanghe", "高龄津贴什么时候到账",
     "我父亲今年满 80 周岁，上个月交了高龄津贴申领材料，请问一般多久能到账？", "new", ""),
    (2, "求助", "changjiang", "独居老人家中水管漏水",
     "我家楼下独居的老人家里水管漏水，老人行动不便，能否请社区帮忙联系维修？", "accepted", ""),
    (6, "建议", "zhujiang", "建议在小区门口增设休息座椅",
     "小区门口到公交站有一段路，老人走累了没有地方坐，建议增设几张座椅。", "replied",
     "感谢您的建议。社区已会同物业实地查看，计划在小区门口至公交站沿线增设 4 张休息座椅，预计下月底前完成。"),
    (12, "投诉", "huanghe", "夜间施工噪音扰民",
     "附近工地晚上十一点以后还在施工，噪音很大，影响休息。", "closed",
     "社区已联系施工单位和区综合行政执法部门，施工单位承诺夜间 22 时后停止高噪声作业，执法部门将不定期夜查。"),
)


# A 评议's paper ballots from its meeting (民主测评 is mostly on paper), entered by two staff
# independently and agreed (survey.ballots): 45 sheets issued, 43 returned, 2 spoilt, and 弃权
# marks, published together with the online answers.
DEMO_BALLOTS: dict[str, dict[str, Any]] = {
    "changjiang-shuzhi-2026": {
        "held": "2026-11-18", "label": "11月18日述职评议会现场纸质测评票",
        "issued": 45, "returned": 43, "valid": 41, "invalid": 2,
        "marks": {"subjects": {"zhuren": {"称职": 33, "基本称职": 5, "不称职": 1, "弃权": 2},
                               "yishihui": {"称职": 30, "基本称职": 6, "不称职": 2, "弃权": 3}}},
    },
}
BALLOT_CLERKS = ("demo-luru-1", "demo-luru-2")        # the two demo staff who entered the sheets


def seed_ballots(db, surveys: dict[str, Survey]) -> int:
    """The demo paper ballots, each entered by both demo clerks (so they agree); none when the
    database already holds an entry. Returns how many entries were added."""
    from .store import ballots as B
    if any(B.entries(db, sid) for sid in DEMO_BALLOTS):
        return 0
    added = 0
    for sid, entry in DEMO_BALLOTS.items():
        survey = surveys.get(sid)
        if survey is None:
            continue
        for n, clerk in enumerate(BALLOT_CLERKS):
            entered = dt.datetime.combine(dt.date.fromisoformat(entry["held"]), dt.time(17, 30 + n * 10), clock.CHINA)
            B.save_entry(db, {**entry, "survey": sid, "staff": clerk, "entered": entered.isoformat()})
            added += 1
    return added


def seed(db, surveys: dict[str, Survey], site: Site, today: dt.date = ANCHOR,
         days: tuple[int, int] = (1, 15)) -> int:
    """Fill an EMPTY database with the demo responses and a few 留言 in each state; returns how
    many responses were added (0 when the database already holds responses: real answers are
    never mixed with new demo ones)."""
    if store.counts(db):
        return 0
    by_survey, all_cases = generate(surveys, site, today, days)
    added = store.insert_demo(db, by_survey, all_cases)
    seed_messages(db, site, today)
    seed_ballots(db, surveys)
    return added


def seed_messages(db, site: Site, today: dt.date) -> int:
    """The demo 留言 (DEMO_MESSAGES) in the states their rows name, with the default deadlines;
    none when the database already holds a message. Returns how many were added."""
    from . import messages
    from .store import messages as M
    if M.messages(db):
        return 0
    added = 0
    for ago, kind, community, subject, body, reached, reply in DEMO_MESSAGES:
        if community not in site.communities:
            continue
        day = today - dt.timedelta(days=ago)
        at = f"{day.isoformat()}T09:30:00+08:00"
        accept_due, reply_due, estimated = messages.deadlines(day, site.calendar, messages.DEFAULT_ACCEPT_DAYS,
                                                              messages.DEFAULT_REPLY_DAYS)
        receipt, _ = M.save_message(db, {"kind": kind, "community": community, "subject": subject, "body": body,
                                         "contact": None, "public": True, "received": at,
                                         "accept_due": accept_due.isoformat(), "reply_due": reply_due.isoformat(),
                                         "estimated": estimated}, None)
        if reached != "new":
            M.accept_message(db, receipt, "demo", at.replace("T09:30", "T14:00"))
        if reached in ("replied", "closed"):
            M.reply_message(db, receipt, reply, "demo", f"{(day + dt.timedelta(days=3)).isoformat()}T10:00:00+08:00")
        if reached == "closed":
            M.close_message(db, receipt, "demo", f"{(day + dt.timedelta(days=4)).isoformat()}T10:00:00+08:00")
        added += 1
    return added
