"""The evaluation loop on the portal (issue 5): every service and window offers 评价 on the open
好差评 survey, guide and community pages show the 好评率 the build computes from the published
results, the 差评整改 records are reachable, a 述职评议 shows its roles' results from its survey,
and /hdjl/myd/ shows each open survey's QR code as a deterministic SVG file.

Expected numbers are read from the shipped results files and computed here with
portal.rates (percent, shown), never copied from a page.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from sampletools import sample, unlabelled
from treetools import EditableTree

from portal import pipeline, results
from portal.qr import form_url, qr_svg
from portal.rates import percent, shown

ROOT = Path(__file__).resolve().parents[2]
CONTENT = sample()
TODAY = dt.date(2026, 11, 24)
HAOCHA = "fuwu-haocha"
SHUZHI = "huanghe-shuzhi-2026"
INVITE = "huanghe-shuzhi-2027"            # an open invitation-only 评议 added in the copy (the sample's
                                          # 述职评议 closed the day after its meeting, issue 17)
EVALUATION = "2026-huanghe-niandu-shuzhi"
UNRATED = "dibao-xinban"                  # a guide added in the copy: nobody has rated it yet
CSS_LIMIT = 30_000                        # issue 6: HTML + CSS of a page ≤ 30 KB uncompressed


def results_file(sid: str) -> dict:
    return yaml.safe_load((CONTENT / "results" / f"{sid}.yaml").read_text(encoding="utf-8"))


def rate_text(row: dict) -> str:
    return f"{row['answered']} 次评价，好评率 {shown(row['satisfied'], row['answered'])}%"


class Sample(EditableTree):
    """A copy of the sample content at base/content, edited per test."""

    def __init__(self, base: Path):
        self.root = base / "content"
        shutil.copytree(CONTENT, self.root)

    def add_open_invite_survey(self) -> None:
        """The 述职评议 survey again, open on TODAY and without results."""
        text = self.read(f"surveys/{SHUZHI}.yaml").replace(f"id: {SHUZHI}", f"id: {INVITE}")
        self.write(f"surveys/{INVITE}.yaml", text.replace("closes: 2026-11-23", "closes: 2026-12-20")
                   .replace("opens: 2026-11-22", "opens: 2026-11-24"))

    def add_unrated_guide(self) -> None:
        """A copy of the 低保 guide under a new id: no results row names it."""
        text = self.read("bszn/dibao.md").replace("title: 城乡最低生活保障申请",
                                                  "title: 城乡最低生活保障申请（新办）", 1)
        self.write(f"bszn/{UNRATED}.md", text)


def page_text(out: Path, url: str) -> str:
    path = out / (url.lstrip("/") + "index.html")
    assert path.exists(), f"{url} was not built"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The sample plus one unrated guide, built twice (to compare outputs)."""
    base = tmp_path_factory.mktemp("loop")
    sample = Sample(base)
    sample.add_unrated_guide()
    sample.add_open_invite_survey()
    outs = []
    for name in ("a", "b"):
        out = base / name
        result = pipeline.build(sample.root, out, TODAY)
        assert result.ok, "\n".join(result.problems.lines())
        outs.append(out)
    return outs[0], outs[1]


@pytest.fixture(scope="module")
def site(built):
    return built[0]


# --- 评价 links and 好评率 on guide pages ---------------------------------------------------

def test_guide_page_offers_rating_link_with_its_service_id(site):
    html = page_text(site, "/bszn/dibao/")
    assert f'<a class="button" href="/survey/{HAOCHA}/?service=dibao">评价本事项</a>' in html


def test_every_rated_guide_shows_the_build_computed_haoping_rate_linking_to_results(site):
    rows = results_file(HAOCHA)["breakdowns"]["service"]
    guides = {p.stem for p in (CONTENT / "bszn").glob("*.md")}
    rated = [r for r in rows if r["group"] in guides]
    assert len(rated) >= 10
    for row in rated:
        html = page_text(site, f"/bszn/{row['group']}/")
        expected = f'<a href="/hdjl/pyjg/{HAOCHA}/#bd-service">{rate_text(row)}</a>'
        assert expected in html, row["group"]


def test_guide_rate_shows_the_count_first_and_one_decimal_below_30_ratings(site):
    row = next(r for r in results_file(HAOCHA)["breakdowns"]["service"] if r["group"] == "hunyu-zhengming")
    assert (row["satisfied"], row["answered"]) == (12, 13)        # 92.307… → 92.3
    assert "13 次评价，好评率 92.3%" in page_text(site, "/bszn/hunyu-zhengming/")


def test_community_rate_from_30_ratings_has_two_decimals_half_up(site):
    row = next(r for r in results_file(HAOCHA)["breakdowns"]["community"] if r["answered"] >= 30)
    html = page_text(site, f"/sq/{row['group']}/")
    assert f"{row['answered']} 次评价，好评率 {percent(row['satisfied'], row['answered'])}%" in html


def test_guide_without_ratings_says_no_ratings_yet_but_still_offers_rating(site):
    html = page_text(site, f"/bszn/{UNRATED}/")
    assert "暂无评价" in html and "好评率" not in html
    assert f'href="/survey/{HAOCHA}/?service={UNRATED}"' in html


def test_guide_page_counts_its_bad_ratings_and_links_to_their_rectification(site):
    cases = [c for c in results_file(HAOCHA)["cases"] if c["service"] == "dibao"]
    closed = sum(1 for c in cases if c["closed"])
    html = page_text(site, "/bszn/dibao/")
    assert (f'差评 {len(cases)} 件，已办结 {closed} 件，'
            f'<a href="/hdjl/pyjg/{HAOCHA}/#chaping">查看差评整改</a>') in html


def test_community_guide_rates_the_service_at_its_own_windows(site):
    html = page_text(site, "/bszn/huanghe-zhucan/")
    assert f'href="/survey/{HAOCHA}/?service=huanghe-zhucan&amp;community=huanghe">评价本事项' in html
    assert f'href="/survey/{HAOCHA}/?service=huanghe-zhucan&amp;window=7&amp;community=huanghe">评价</a>' in html


def test_guide_pages_with_the_stylesheet_stay_under_30_kb(site):
    def weight(p: Path) -> int:                # the page and the stylesheets it loads
        html = p.read_text(encoding="utf-8")
        return p.stat().st_size + sum((site / href.lstrip("/")).stat().st_size
                                      for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    sizes = {p.parent.name: weight(p) for p in (site / "bszn").glob("*/index.html")}
    assert sizes and max(sizes.values()) <= CSS_LIMIT, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


# --- community pages ----------------------------------------------------------------------

def test_community_page_windows_link_to_rating_with_window_and_community(site):
    community = yaml.safe_load((CONTENT / "communities" / "huanghe.yaml").read_text(encoding="utf-8"))
    html = page_text(site, "/sq/huanghe/")
    numbers = [w["number"] for w in community["centre"]["windows"]]
    assert numbers
    for n in numbers:
        assert (f'<a class="rate-link" href="/survey/{HAOCHA}/?window={n}&amp;community=huanghe">'
                "评价本窗口</a>") in html


def test_community_page_shows_its_build_computed_haoping_rate(site):
    for row in results_file(HAOCHA)["breakdowns"]["community"]:
        html = page_text(site, f"/sq/{row['group']}/")
        assert f'<a href="/hdjl/pyjg/{HAOCHA}/#bd-community">{rate_text(row)}</a>' in html


# --- 差评整改 -------------------------------------------------------------------------------

def test_results_list_links_to_the_rectification_records(site):
    cases = results_file(HAOCHA)["cases"]
    html = page_text(site, "/hdjl/pyjg/")
    assert (f'<a href="/hdjl/pyjg/{HAOCHA}/#chaping">社区政务服务“好差评”：差评整改情况</a>'
            f'（差评 {len(cases)} 件，已办结 {sum(1 for c in cases if c["closed"])} 件）') in html
    assert '<section id="chaping"' in page_text(site, f"/hdjl/pyjg/{HAOCHA}/")


def test_rectification_records_state_their_outcome_in_words(site):
    html = page_text(site, f"/hdjl/pyjg/{HAOCHA}/")
    assert "已办结（2026年9月7日，按时，未能联系上）" in html            # with its 回访
    assert "已办结（2026年9月30日，按时，电话回访）" in html
    assert "已逾期（答复期限 2026年9月22日）" in html
    assert "是否逾期按2026年11月24日计算" in html


def test_open_bad_rating_is_overdue_only_once_the_build_date_passes_its_deadline():
    site = pipeline.check(CONTENT, TODAY).site
    item = site.result(HAOCHA)
    open_case = next(c for c in item.cases if not c.closed and c.reply_due >= item.published.date())
    before = results.cases(item, open_case.reply_due)
    after = results.cases(item, open_case.reply_due + dt.timedelta(days=1))

    def state(cs):
        return next(c.state_label for c in cs.items
                    if (c.opened, c.service, c.reply_due) == (open_case.opened, open_case.service,
                                                              open_case.reply_due))
    assert (state(before), state(after)) == ("办理中", "已逾期")
    assert after.overdue == before.overdue + sum(
        1 for c in item.cases if not c.closed and c.reply_due == open_case.reply_due)


# --- 述职评议 linked to its survey's results ----------------------------------------------

def test_shuzhi_evaluation_types_no_votes():
    text = (CONTENT / "pyjg" / f"{EVALUATION}.md").read_text(encoding="utf-8")
    assert f"survey: {SHUZHI}" in text and "votes" not in text and "满意率" not in text.split("---")[1]


def test_shuzhi_evaluation_shows_each_roles_counts_and_rate_from_the_results_matrix(site):
    data = results_file(SHUZHI)
    matrix = next(q for q in data["questions"] if q["type"] == "matrix")
    html = page_text(site, f"/hdjl/pyjg/{EVALUATION}/")
    assert len(matrix["rows"]) == 3
    for row in matrix["rows"]:
        cells = "".join(f'<td class="num">{c["count"]}</td>' for c in row["counts"])
        rate = percent(row["satisfied"], row["answered"])
        assert re.fullmatch(r"\d+\.\d\d", rate)
        expected = (f'<tr><th scope="row">{row["label"]}</th>{cells}'
                    f'<td class="num">{row["answered"]}</td>'
                    f'<td class="num">{rate}%（{row["satisfied"]}/{row["answered"]}）</td></tr>')
        assert expected in unlabelled(html), row["label"]
    assert f'<a href="/hdjl/pyjg/{SHUZHI}/">' in html
    assert f"共 {data['responses']} 人参加评议" in html


def test_shuzhi_results_page_links_back_to_the_evaluation(site):
    assert f'href="/hdjl/pyjg/{EVALUATION}/"' in page_text(site, f"/hdjl/pyjg/{SHUZHI}/")


# --- QR codes on /hdjl/myd/ -----------------------------------------------------------------

def test_survey_list_shows_each_open_surveys_qr_code_as_an_image(site):
    html = page_text(site, "/hdjl/myd/")
    assert (f'<img class="qr" src="/hdjl/myd/{HAOCHA}.svg" width="160" height="160" '
            f'alt="社区政务服务“好差评”的二维码">') in html
    assert "<svg" not in html
    assert f'href="/survey/{SHUZHI}/"' not in html              # closed the day after its meeting
    invite = html[html.index(f'href="/survey/{INVITE}/"'):]
    assert invite.index("凭邀请码参与") < invite.index("</li>")
    assert "凭邀请码参与" not in html[:html.index(f'href="/survey/{INVITE}/"')]


def test_qr_svg_file_holds_the_full_form_url_and_is_deterministic(built):
    a, b = built
    base = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))["base_url"]
    for sid in (HAOCHA, "fwzx-myd-2026", INVITE):
        data = (a / "hdjl" / "myd" / f"{sid}.svg").read_bytes()
        assert data == qr_svg(form_url(base, sid)).encode("utf-8")
        assert f"{base}/survey/{sid}/".encode() in data
        assert data == (b / "hdjl" / "myd" / f"{sid}.svg").read_bytes()


def test_no_open_rating_survey_means_no_rating_links(tmp_path, monkeypatch):
    sample = Sample(tmp_path)
    sample.edit(f"surveys/{HAOCHA}.yaml", "closes: 2030-12-31", "closes: 2026-11-01")
    monkeypatch.chdir(tmp_path)
    result = pipeline.check(Path("content"), TODAY)
    assert result.ok, "\n".join(result.problems.lines())
    pages = {p.url: p for p in result.page_list}
    assert pages["/bszn/dibao/"].context["rating"] is None
    assert all(w["rate"] == "" for w in pages["/sq/huanghe/"].context["windows"])
    assert HAOCHA not in [s.url.split("/")[2] for s in pages["/hdjl/myd/"].context["surveys"]]


# --- 繁體 -------------------------------------------------------------------------------------

def test_traditional_guide_page_links_to_the_traditional_form(site):
    html = page_text(site, "/zh-hant/bszn/dibao/")
    assert f'href="/zh-hant/survey/{HAOCHA}/?service=dibao"' in html
    assert "好評率 90.0%" in html


def test_traditional_survey_list_shares_the_qr_files(site):
    html = page_text(site, "/zh-hant/hdjl/myd/")
    assert f'src="/hdjl/myd/{HAOCHA}.svg"' in html
