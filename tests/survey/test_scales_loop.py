"""Declared scales end to end (issue 17): the annual 群众满意度测评 reproduces the seed's three
rates (91.54 %, 91.44 %, 88.36 %) from whole counts and the 长江 述职评议 rates on the 称职 scale
with 弃权 — definition → answers in a real SQLite file (`flask --app survey demo --publish`) →
publish → build → the pages show counts, formula and rate. And the phases: a 评议 form says
when it opens, and 公布结果 is refused while it is still open."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sampletools import copy_sample, unlabelled

from portal import pipeline
from survey import create_app, store
from survey.demo import ANCHOR, TALLIES

ANNUAL = "qunzhong-myd-2026"
CHENGZHI = "changjiang-shuzhi-2026"
EVALUATION = "2026-changjiang-shuzhi"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The sample with no results, seeded with the demo answers in a real SQLite file,
    published on the demo's date and built."""
    base = tmp_path_factory.mktemp("scales")
    content = copy_sample(base / "content")
    shutil.rmtree(content / "results")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SURVEY_DB": str(base / "demo.db"),
                      "SURVEY_CONTENT": str(content), "SURVEY_TODAY": ANCHOR, "WTF_CSRF_ENABLED": False})
    result = app.test_cli_runner().invoke(args=["demo", "--publish"])
    assert result.exit_code == 0, result.output
    out = base / "site"
    built = pipeline.build(content, out, ANCHOR)
    assert built.ok, "\n".join(built.problems.lines())
    return app, content, out


def page(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_the_annual_survey_reproduces_the_seeds_three_rates_from_whole_counts(published):
    app, content, out = published
    db = store.connect(app.config["SURVEY_DB"])
    answers = [r["answers"] for r in store.responses(db, ANNUAL)]
    assert len(answers) == 612
    for qid, counts in TALLIES[ANNUAL].items():
        assert {v: sum(1 for a in answers if a[qid] == v) for v in counts} == counts
    html = unlabelled(page(out, f"/hdjl/pyjg/{ANNUAL}/"))
    assert "满意率 91.54%（552/603）" in html            # 党组织和党员作用发挥
    assert "满意率 91.44%（545/596）" in html            # 服务中心便民利民服务
    assert "认为好转的比例 88.36%（524/593）" in html     # 治安好转
    assert "另有弃权 9 人" in html and "另有弃权 16 人" in html and "另有弃权 19 人" in html
    assert "<td>468</td>" in html and "<td>84</td>" in html          # the counts beside the rates
    assert "满意率 = （满意 + 基本满意） ÷ （作答人数 − 弃权） × 100%" in html
    assert "认为好转的比例 = 是 ÷ （作答人数 − 弃权） × 100%" in html
    assert "满意度指数 <strong>85.97</strong>" in html                 # (468×100 + 84×60) ÷ 603


def test_the_chengzhi_pingyi_shows_each_roles_counts_abstentions_and_rate(published):
    """62 answers online and the meeting's paper ballots (45 issued, 43 returned, 41 valid,
    2 spoilt; entered twice and agreed in the demo), combined: 103 counted."""
    _, _, out = published
    for url in (f"/hdjl/pyjg/{CHENGZHI}/", f"/hdjl/pyjg/{EVALUATION}/"):
        html = page(out, url)
        assert ">称职</th>" in html and ">基本称职</th>" in html and ">不称职</th>" in html and ">弃权</th>" in html
        assert "96.94%（95/98）" in html and "93.68%（89/95）" in html      # 弃权 5 and 8 left out
        assert "称职率 = （称职 + 基本称职） ÷ （作答人数 − 弃权） × 100%" in html, url
    text = unlabelled(page(out, f"/hdjl/pyjg/{CHENGZHI}/"))
    assert "11月18日述职评议会现场纸质测评票" in text
    paper = text.split("11月18日述职评议会现场纸质测评票</th>", 1)[1].split("</tr>", 1)[0]
    assert paper == "".join(f'<td class="num">{n}</td>' for n in (45, 43, 41, 2, 41))   # 发出 收回 有效 废票 计入
    assert '网上评议</th><td class="num">—</td>' in text and '<td class="num">62</td>' in text


@pytest.fixture
def pingyi(make_app):
    """The 长江 评议 as the service sees it on a given day, with an administrator logged in."""
    def at(day: str):
        app = make_app(WTF_CSRF_ENABLED=False, SURVEY_TODAY=day)
        app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=PASSWORD + "\n")
        staff = app.test_client()
        assert staff.post("/survey/admin/login", data={"name": "li", "password": PASSWORD}).status_code == 303
        return app, staff
    return at


def test_the_chengzhi_form_offers_the_scale_with_abstain_and_counts_it(pingyi):
    app, staff = pingyi("2026-11-19")
    definition = app.test_client().get(f"/survey/api/{CHENGZHI}").json
    matrix = definition["questions"][0]
    assert [c["value"] for c in matrix["choices"]] == ["称职", "基本称职", "不称职", "弃权"]
    db = store.connect(app.config["SURVEY_DB"])
    codes = store.create_invites(db, CHENGZHI, 2, "2026-11-19T09:00:00+08:00")
    for code, answer in zip(codes, ({"zhuren": "称职", "yishihui": "弃权"}, {"zhuren": "不称职", "yishihui": "基本称职"}),
                            strict=True):
        r = app.test_client().post(f"/survey/api/{CHENGZHI}/responses",
                                   json={"answers": {"subjects": answer}, "invite": code})
        assert r.status_code == 201, r.json
    admin = unlabelled(staff.get(f"/survey/admin/{CHENGZHI}/").get_data(as_text=True))
    assert '<th scope="col">弃权</th>' in admin and '<th scope="col">称职率</th>' in admin
    assert "<td>100.00%</td>" in admin                  # 议事会负责人: 1 基本称职, 1 弃权 left out
    early = app.test_client().get(f"/survey/api/{CHENGZHI}/results")
    assert early.status_code == 403 and early.json["errors"][0]["message"] == "评议结果要在问卷结束（2026-11-20）后才能查看"
    app, _ = pingyi("2026-11-21")                        # the same database, once the 评议 has closed
    rows = {r["id"]: r for r in app.test_client().get(f"/survey/api/{CHENGZHI}/results").json["questions"][0]["rows"]}
    zhuren, yishihui = rows["zhuren"], rows["yishihui"]
    assert (zhuren["satisfied"], zhuren["valid"], zhuren["abstained"]) == ({"count": 1, "rate": "50.00"}, 2, 0)
    assert (yishihui["satisfied"], yishihui["valid"], yishihui["abstained"]) == ({"count": 1, "rate": "100.00"}, 1, 1)
    assert yishihui["rate_name"] == "称职率"


def test_publishing_a_pingyi_while_it_is_open_is_refused_in_chinese(pingyi):
    app, staff = pingyi("2026-11-19")
    target = Path(app.config["SURVEY_CONTENT"]) / "results" / f"{CHENGZHI}.yaml"
    before = target.read_bytes() if target.exists() else None       # the sample ships last publish's file
    db = store.connect(app.config["SURVEY_DB"])
    code = store.create_invites(db, CHENGZHI, 1, "2026-11-19T09:00:00+08:00")[0]
    r = app.test_client().post(f"/survey/api/{CHENGZHI}/responses",
                               json={"answers": {"subjects": {"zhuren": "称职", "yishihui": "称职"}}, "invite": code})
    assert r.status_code == 201
    assert "2026年11月20日问卷结束后才能公布结果" in staff.get(f"/survey/admin/{CHENGZHI}/").get_data(as_text=True)
    r = staff.post(f"/survey/admin/{CHENGZHI}/publish")
    assert r.status_code == 409
    assert "评议结果要在问卷结束后才能公布（最早2026年11月21日）" in r.get_data(as_text=True)
    assert (target.read_bytes() if target.exists() else None) == before      # nothing written


def test_the_pingyi_form_before_its_meeting_says_when_it_opens(pingyi):
    app, _ = pingyi("2026-11-17")
    r = app.test_client().get(f"/survey/{CHENGZHI}/")
    assert r.status_code == 403
    assert "这份问卷将于 2026年11月18日 开始" in r.get_data(as_text=True)


def test_the_annual_page_pools_both_years_from_counts_not_an_average_of_rates(published):
    _, _, out = published
    html = unlabelled(page(out, f"/hdjl/pyjg/{ANNUAL}/"))
    pooled = html[html.index('id="heji"'):]
    assert "两年来合并统计（2025年度、2026年度）" in pooled
    row = ('<tr class="total"><th scope="row">两年来合计</th><td class="num">898</td><td class="num">179</td>'
           '<td class="num">97</td><td class="num">18</td><td class="num">1192</td>'
           '<td class="num">91.74%（1077/1174）</td></tr>')
    assert row in pooled                            # (525 + 552) ÷ (571 + 603), not (91.94 + 91.54) ÷ 2
    assert '<a href="/hdjl/pyjg/qunzhong-myd-2025/">2025年度</a>' in pooled
    assert "91.94%（525/571）" in pooled and "91.54%（552/603）" in pooled


def test_home_and_community_pages_show_the_latest_annual_figures_as_a_table(published):
    _, _, out = published
    for url in ("/", "/sq/huanghe/"):
        html = unlabelled(page(out, url))
        section = html[html.index('<section class="annual"'):]
        section = section[:section.index("</section>")]
        assert f'<a href="/hdjl/pyjg/{ANNUAL}/">2026年度群众满意度测评</a>' in section, url
        assert "<table>" in section and "<caption" in section
        for rate, counts in (("满意率 91.54%", "552/603，弃权 9"), ("满意率 91.44%", "545/596，弃权 16"),
                             ("认为好转的比例 88.36%", "524/593，弃权 19")):
            assert f'<td class="num">{rate}</td><td class="num">{counts}</td>' in section, (url, rate)
