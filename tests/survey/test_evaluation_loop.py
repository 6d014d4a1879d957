"""The whole 好差评 loop in one test (issue 5): residents rate a service (one 差评 with a phone
and consent) → a case opens with the working-day deadline → staff verify, rectify, reply and
close it → publish → build → the guide page shows the right 好评率 and the 差评整改 list shows
the case de-identified."""
from __future__ import annotations

import datetime as dt
import re
import shutil

from portal import pipeline
from portal.rates import shown
from survey import store

SID = "fuwu-haocha"
GUIDE = "dibao"
PHONE = "13812345678"
WORDS = "窗口的人让我明天再来，已经第三次了"     # the resident's own words: never published
PASSWORD = "correct horse battery"


def test_rating_to_case_to_published_rate_and_rectification_list(make_app, content_dir, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))
    resident = app.test_client()
    context = {"service": GUIDE, "window": "3", "community": "huanghe"}
    for level in ("非常满意", "满意", "基本满意"):
        r = resident.post(f"/survey/api/{SID}/responses", json={"answers": {"rating": level}, "context": context})
        assert r.status_code == 201
    bad = resident.post(f"/survey/api/{SID}/responses", json={
        "answers": {"rating": "非常不满意", "reasons": ["trips"], "detail": WORDS},
        "context": context, "contact": {"phone": PHONE, "consent": True}})
    assert bad.status_code == 201
    receipt = bad.json["receipt"]

    db = store.connect(app.config["SURVEY_DB"])
    case = store.case(db, receipt)
    # rated Tuesday 2026-11-24: verify by the next working day, reply within 15 working days
    assert (case["verify_due"], case["reply_due"], case["phone"]) == ("2026-11-25", "2026-12-15", PHONE)

    app.test_cli_runner().invoke(args=["create-admin", "wang", "--password-stdin"], input=PASSWORD + "\n")
    staff = app.test_client()
    staff.post("/survey/admin/login", data={"name": "wang", "password": PASSWORD})
    assert receipt in staff.get("/survey/admin/cases/?state=open").get_data(as_text=True)
    staff.post(f"/survey/admin/cases/{receipt}/verify", data={"verdict": "属实"})
    r = staff.post(f"/survey/admin/cases/{receipt}/close", data={
        "rectification": "低保申请实行一次性告知和容缺受理，专人跟踪到办结",
        "reply": "经核实情况属实，已为您办结申请，并改进了告知方式。",
        "followup_method": "电话回访", "followup_result": "居民表示满意"})
    assert r.status_code == 303
    assert store.case(db, receipt)["phone"] is None

    r = staff.post(f"/survey/admin/{SID}/publish")
    assert r.status_code == 303
    published = (content / "results" / f"{SID}.yaml").read_text(encoding="utf-8")
    assert PHONE not in published and WORDS not in published and receipt not in published

    out = tmp_path / "site"
    result = pipeline.build(content, out, dt.date(2026, 11, 24))
    assert result.ok, "\n".join(result.problems.lines())
    guide = (out / "bszn" / GUIDE / "index.html").read_text(encoding="utf-8")
    assert shown(3, 4) == "75.0"                 # fewer than 30 ratings: one decimal
    assert "4 次评价，好评率 75.0%" in guide

    page = (out / "hdjl" / "pyjg" / SID / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="chaping"'):]
    row = re.search(r"<tr>.*?</tr>", section[section.index("<tbody>"):], re.S).group(0)
    assert "城乡最低生活保障申请" in row and "跑了多次还没办成" in row and "属实" in row
    assert "已办结" in row and "按时" in row and "专人跟踪到办结" in row and "已为您办结申请" in row
    assert PHONE not in page and WORDS not in page and receipt not in page
