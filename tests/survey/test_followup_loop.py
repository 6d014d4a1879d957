"""回访, the resident's second rating and 申诉复核, end to end: ratings → community staff verify,
rectify and follow up → the resident rates the rectification → an unfair rating is appealed
and upheld by the district → publish → the rebuilt portal shows it all, the upheld rating
left out of the 好评率 and counted as such."""
from __future__ import annotations

import datetime as dt
import shutil

from portal import pipeline
from survey import store

SID = "fuwu-haocha"
PASSWORD = "correct horse battery"


def rate(client, level: str) -> str:
    answers = {"rating": level, **({"reasons": ["wait"]} if level in ("不满意", "非常不满意") else {})}
    r = client.post(f"/survey/api/{SID}/responses", json={
        "answers": answers, "context": {"service": "dibao", "community": "huanghe", "window": "1"}})
    assert r.status_code == 201, r.json
    return r.json["receipt"]


def staff(app, name: str, community: str | None = None):
    args = ["create-admin", name, "--password-stdin"] + (["--community", community] if community else [])
    app.test_cli_runner().invoke(args=args, input=PASSWORD + "\n")
    client = app.test_client()
    client.post("/survey/admin/login", data={"name": name, "password": PASSWORD})
    return client


def test_followup_feedback_and_an_upheld_appeal_reach_the_published_results(make_app, content_dir, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))
    resident = app.test_client()
    fair, unfair = rate(resident, "不满意"), rate(resident, "非常不满意")
    rate(resident, "满意"), rate(resident, "非常满意")
    wang, li = staff(app, "wang", "huanghe"), staff(app, "li")

    wang.post(f"/survey/admin/cases/{fair}/verify", data={"verdict": "属实"})
    assert wang.post(f"/survey/admin/cases/{fair}/close", data={
        "rectification": "高峰时段加开窗口", "reply": "已加开窗口，谢谢监督。",
        "followup_method": "电话回访", "followup_result": "居民认可"}).status_code == 303
    track = resident.get(f"/survey/track/{fair}").get_data(as_text=True)
    assert "您对整改结果满意吗？" in track and "核实结论" in track and "城乡最低生活保障申请" in track
    assert resident.post(f"/survey/track/{fair}/feedback", data={"feedback": "满意"}).status_code == 303
    assert resident.post(f"/survey/track/{fair}/feedback", data={"feedback": "不满意"}).status_code == 422

    wang.post(f"/survey/admin/cases/{unfair}/verify", data={"verdict": "不属实", "verdict_note": "叫号记录显示未超时"})
    wang.post(f"/survey/admin/cases/{unfair}/close", data={
        "reply": "经核实，办理用时在承诺时限内。", "followup_method": "未能联系上", "followup_result": "居民未留电话"})
    assert wang.post(f"/survey/admin/cases/{unfair}/appeal", data={"appeal_reason": ""}).status_code == 422
    assert wang.post(f"/survey/admin/cases/{unfair}/appeal",
                     data={"appeal_reason": "评价针对区级审批结论"}).status_code == 303
    assert wang.post(f"/survey/admin/cases/{unfair}/decide", data={"decision": "upheld"}).status_code == 403
    assert "待复核的申诉（1）" in li.get("/survey/admin/cases/").get_data(as_text=True)
    assert li.post(f"/survey/admin/cases/{unfair}/decide",
                   data={"decision": "upheld", "appeal_note": "与服务中心无关"}).status_code == 303
    assert store.upheld_receipts(store.connect(app.config["SURVEY_DB"]), SID) == {unfair}

    assert wang.post(f"/survey/admin/{SID}/publish").status_code == 403          # the district publishes
    assert li.post(f"/survey/admin/{SID}/publish").status_code == 303
    out = tmp_path / "site"
    result = pipeline.build(content, out, dt.date(2026, 11, 24))
    assert result.ok, "\n".join(result.problems.lines())
    page = (out / "hdjl/pyjg" / SID / "index.html").read_text(encoding="utf-8")
    assert "好评率 66.7%" in page                                    # 2 of 3: the upheld rating left out
    assert "好评率 = 好评数 ÷ 作答数" in page and "满意" + "率" not in page and "满意数" not in page
    assert "另有 1 条评价经申诉复核认定与服务无关，不计入各项统计" in page
    assert "其中 1 件经社区申诉、区级复核，认定评价与服务无关，不计入好评率" in page
    assert "评价人对整改结果的评价：满意 1 件，不满意 0 件" in page
    assert "按时，电话回访" in page and "申诉复核：成立，不计入好评率" in page
    assert fair not in page and unfair not in page                    # receipts are never published
    guide = (out / "bszn/dibao/index.html").read_text(encoding="utf-8")
    assert "3 次评价，好评率 66.7%" in guide
