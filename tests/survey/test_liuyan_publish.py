"""留言 published: `flask --app survey publish-liuyan YYYY-MM` writes content/liuyan/<month>.yaml
(counts, the consented and answered messages de-identified, the dates of unanswered ones); the
builder validates it like every file, shows /hdjl/liuyan/ with 留言统计, and fails a real site
whose message has gone unanswered for more than 3 months. No contact, phone or private message
reaches content/ or site/."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from formtools import hidden_fields
from sampletools import copy_sample, unlabelled

from portal import message_stats, pipeline

PASSWORD = "correct horse battery"
CONTACT = "13912345678"
OTHER_PHONE = "13800138000"
PRIVATE = "只想让社区知道的私事"
TODAY = dt.date(2026, 11, 24)
STAFF = "zhangjianguo"


@pytest.fixture
def content(tmp_path) -> Path:
    return copy_sample(tmp_path / "content")


@pytest.fixture
def app(make_app, content):
    return make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))


def write(client, **fields) -> str:
    form = hidden_fields(client.get("/survey/liuyan/?new=1").get_data(as_text=True))
    r = client.post("/survey/liuyan/", data={**form, "kind": "咨询", "community": "huanghe", **fields})
    assert r.status_code == 303, r.get_data(as_text=True)
    return r.location.rsplit("/", 1)[1]


def staff(app):
    app.test_cli_runner().invoke(args=["create-admin", STAFF, "--password-stdin"], input=PASSWORD + "\n")
    c = app.test_client()
    assert c.post("/survey/admin/login", data={"name": STAFF, "password": PASSWORD}).status_code == 303
    return c


def answer(li, receipt: str, reply: str, close: bool = True) -> None:
    assert li.post(f"/survey/admin/liuyan/{receipt}/accept").status_code == 303
    assert li.post(f"/survey/admin/liuyan/{receipt}/reply", data={"reply": reply}).status_code == 303
    if close:
        assert li.post(f"/survey/admin/liuyan/{receipt}/close").status_code == 303


def test_publish_then_build_shows_statistics_and_no_contact_or_private_message(app, content, tmp_path):
    client, li = app.test_client(), staff(app)
    public = write(client, subject="楼道灯坏了", public="1", contact=CONTACT, consent="1",
                   body=f"3 栋楼道灯坏了，请回电 {CONTACT} 或 {OTHER_PHONE}。")
    private = write(client, kind="求助", subject="家里困难", body=PRIVATE)
    waiting = write(client, kind="投诉", community="changjiang", subject="噪音扰民", body="夜间施工。", public="1")
    answer(li, public, "已于当天更换灯泡。")
    answer(li, private, "网格员已上门了解情况。", close=False)

    r = app.test_cli_runner().invoke(args=["publish-liuyan", "2026-11"])
    assert r.exit_code == 0, r.output
    path = content / "liuyan" / "2026-11.yaml"
    text = path.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    assert doc["stats"] == [{"community": "changjiang", "received": 1, "replied": 0, "on_time": 0, "reply_days": 0},
                            {"community": "huanghe", "received": 2, "replied": 2, "on_time": 2, "reply_days": 0}]
    assert [m["subject"] for m in doc["messages"]] == ["楼道灯坏了"]              # consented and answered only
    assert doc["messages"][0]["reply"] == "已于当天更换灯泡。"
    assert doc["unanswered"] == [{"community": "changjiang", "received": "2026-11-24"}]
    for secret in (CONTACT, OTHER_PHONE, PRIVATE, public, private, waiting, STAFF):
        assert secret not in text
    assert "139****5678" in text or "（电话已隐去）" in text

    out = tmp_path / "site"
    result = pipeline.build(content, out, TODAY)
    assert result.ok, result.problems.lines()
    page = unlabelled((out / "hdjl" / "liuyan" / "index.html").read_text(encoding="utf-8"))
    assert "楼道灯坏了" in page and "已于当天更换灯泡。" in page and "2026年11月" in page
    assert "<th scope=\"row\">黄河社区</th><td>2</td><td>2</td><td>2</td><td>0.0</td>" in page
    assert "<th scope=\"row\">长江社区</th><td>1</td><td>0</td><td>0</td><td>—</td>" in page
    assert "/hdjl/liuyan/" in (out / "hdjl" / "index.html").read_text(encoding="utf-8")
    # the privacy scan of everything published
    for f in [*out.rglob("*"), *(content / "liuyan").rglob("*")]:
        if f.is_file() and f.suffix in (".html", ".xml", ".json", ".yaml", ".txt", ".js"):
            data = f.read_text(encoding="utf-8", errors="replace")
            for secret in (CONTACT, OTHER_PHONE, PRIVATE, public, private, waiting, STAFF):
                assert secret not in data, (f, secret)
    log = li.get("/survey/admin/audit/").get_data(as_text=True)
    assert "公布留言统计" in log


def test_publish_refuses_a_bad_or_future_month_and_writes_nothing(app, content):
    runner = app.test_cli_runner()
    for period, why in (("2026-13", "应写成 YYYY-MM"), ("2027-01", "还没有到")):
        r = runner.invoke(args=["publish-liuyan", period])
        assert r.exit_code == 1 and why in r.output
    assert not (content / "liuyan" / "2026-13.yaml").exists()


def test_the_sample_page_shows_each_month_and_community(tmp_path):
    content = copy_sample(tmp_path / "content")
    out = tmp_path / "site"
    result = pipeline.build(content, out, TODAY)
    assert result.ok, result.problems.lines()
    page = unlabelled((out / "hdjl" / "liuyan" / "index.html").read_text(encoding="utf-8"))
    assert "累计收到留言 23 条，已答复 22 条，其中按期答复 21 条，平均 4.1 个工作日答复" in page
    assert page.index("2026年10月") < page.index("2026年9月")
    assert "<th scope=\"row\">长江社区</th><td>4</td><td>4</td><td>3</td><td>6.8</td>" in page
    assert "<th scope=\"row\">小河区（全区）</th>" in page
    year = message_stats.year_total(result.site.message_stats, 2026)
    assert (year.received, year.replied, year.on_time, year.average_days) == (23, 22, 21, "4.1")


def liuyan_problems(content: Path, today: dt.date) -> list:
    return [p for p in pipeline.check(content, today, remember=False).problems.sorted() if "liuyan" in p.path]


def test_a_message_unanswered_for_three_months_warns_on_the_sample_and_fails_a_real_site(tmp_path):
    content = copy_sample(tmp_path / "content")
    assert liuyan_problems(content, TODAY) == []
    found = liuyan_problems(content, dt.date(2027, 2, 1))             # 2026-10-28 + 96 days
    assert [(p.is_error, p.line) for p in found] == [(False, 26)]
    assert "超过 3 个月仍未答复" in found[0].message
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("sample: true", "sample: false"), encoding="utf-8")
    found = liuyan_problems(content, dt.date(2027, 2, 1))
    assert [p.is_error for p in found] == [True] and found[0].path.endswith("liuyan/2026-10.yaml")


def test_a_statistics_file_that_does_not_add_up_is_an_error_with_its_line(tmp_path):
    content = copy_sample(tmp_path / "content")
    f = content / "liuyan" / "2026-09.yaml"
    text = f.read_text(encoding="utf-8").replace("received: 4, replied: 4, on_time: 3", "received: 4, replied: 5, "
                                                                                         "on_time: 3")
    (content / "liuyan" / "2026-08.yaml").write_text(text, encoding="utf-8")
    f.unlink()
    lines = [p.format() for p in liuyan_problems(content, TODAY) if p.is_error]
    assert any("已答复 5 条多于收到的 4 条" in line for line in lines), lines
    assert any("文件名应为 2026-09.yaml" in line for line in lines), lines


def test_the_district_publishes_a_month_from_the_queue_and_community_staff_may_not(app, content):
    client, li = app.test_client(), staff(app)
    answer(li, write(client, subject="路面破损", body="小区门口路面有坑。", public="1"), "已报修。")
    page = li.get("/survey/admin/liuyan/").get_data(as_text=True)
    assert 'action="/survey/admin/liuyan/publish"' in page and 'value="2026-10"' in page   # last month by default
    r = li.post("/survey/admin/liuyan/publish", data={"period": "2026-11"})
    assert r.status_code == 303 and "2026-11 的留言统计已写入" in li.get(r.location).get_data(as_text=True)
    assert "路面破损" in (content / "liuyan" / "2026-11.yaml").read_text(encoding="utf-8")
    bad = li.post("/survey/admin/liuyan/publish", data={"period": "2026/11"})
    assert bad.status_code == 409 and "应写成 YYYY-MM" in bad.get_data(as_text=True)
    app.test_cli_runner().invoke(args=["create-admin", "wang", "--password-stdin", "--community", "huanghe"],
                                 input=PASSWORD + "\n")
    wang = app.test_client()
    assert wang.post("/survey/admin/login", data={"name": "wang", "password": PASSWORD}).status_code == 303
    assert "publish" not in wang.get("/survey/admin/liuyan/").get_data(as_text=True).replace("/survey/admin/liuyan/", "")
    assert wang.post("/survey/admin/liuyan/publish", data={"period": "2026-11"}).status_code == 403
