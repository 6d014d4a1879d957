"""Building the shipped sample district: every DESIGN §4 URL exists and shows its key facts."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from sampletools import sample

from portal import pipeline, search

pytestmark = pytest.mark.slow(seconds=30)    # started first, longest first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
CONTENT = sample()
TODAY = dt.date(2026, 11, 24)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, pipeline.Result]:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = pipeline.build(CONTENT, out, TODAY)
    assert result.ok, "\n".join(result.problems.lines())
    return out, result


def read(out: Path, url: str) -> str:
    path = out / (url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/"))
    assert path.exists(), f"{url} was not built"
    return path.read_text(encoding="utf-8")


def html_pages(out: Path):
    return sorted(out.rglob("*.html"))


def expect(text: str, page: Path, out: Path) -> str:
    """What `text` looks like on that page: converted on the Traditional (/zh-hant/) copy."""
    from portal.hant import _converter
    return _converter().convert(text) if page.relative_to(out).parts[0] == "zh-hant" else text


def test_sample_checks_clean_with_no_errors():
    result = pipeline.check(CONTENT, TODAY)
    assert result.problems.errors == [], "\n".join(result.problems.lines())


def test_every_design_url_exists(built):
    out, result = built
    site = result.site
    urls = ["/", "/tzgg/", "/gzdt/", "/xxgk/", "/xxgk/zcwj/", "/xxgk/zcjd/", "/bszn/",
            "/bszn/tese/", "/dwgk/", "/jwgk/", "/cwgk/", "/hdjl/", "/hdjl/myd/", "/hdjl/pyjg/",
            "/hdjl/sqdf/", "/sq/", "/sousuo/", "/wza/", "/xxgk/zn/", "/gywm/", "/feed.xml",
            "/sitemap.xml", "/404.html", "/robots.txt"]
    urls += [f"/sq/{cid}/" for cid in site.communities]
    urls += [f"/sq/{cid}/feed.xml" for cid in site.communities]
    urls += [f"/bszn/{g.id}/" for g in site.by_type["guide"]]
    for n in site.by_type["notice"]:
        urls += [f"/tzgg/{n.published.year}/{n.id}/", f"/tzgg/{n.published.year}/"]
    for base, t in (("/xxgk/zcwj/", "policy"), ("/xxgk/zcjd/", "interpretation"),
                    ("/hdjl/pyjg/", "evaluation"), ("/hdjl/sqdf/", "appeal"), ("/gzdt/", "news")):
        urls += [f"{base}{i.published.year}/" for i in site.by_type[t]]
    for section in ("dwgk", "jwgk", "cwgk"):
        urls += [f"/{section}/{cid}/" for cid in site.communities]
    for url in urls:
        read(out, url)


def test_sample_has_the_promised_volume(built):
    site = built[1].site
    assert site.config.sample is True
    assert len(site.communities) == 12
    assert len(site.by_type["notice"]) + len(site.by_type["news"]) >= 40
    years = {i.published.year for i in site.by_type["notice"] + site.by_type["news"]}
    assert {2025, 2026} <= years
    assert any(n.kind == "公示" and n.notice_period for n in site.by_type["notice"])
    assert len(site.by_type["policy"]) >= 12
    assert any(p.validity == "废止" and p.superseded_by for p in site.by_type["policy"])
    assert any(p.validity == "已修改" for p in site.by_type["policy"])
    assert len(site.by_type["guide"]) >= 30
    assert any(g.featured for g in site.by_type["guide"])
    assert len(site.by_type["appeal"]) >= 5
    assert any(e.meeting == "述职评议会" for e in site.by_type["evaluation"])
    assert site.ledgers, "no finance CSV table in the sample"
    domains = {r.domain for r in site.by_type["disclosure"]}
    assert {"党务", "居务", "财务"} <= domains


def test_every_page_has_banner_footer_and_government_meta(built):
    out, result = built
    cfg = result.site.config
    pages = html_pages(out)
    assert len(pages) > 100
    for p in pages:
        html = p.read_text(encoding="utf-8")
        where = p.relative_to(out)
        assert expect("示例数据", p, out) in html, where
        for name in ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate",
                     "ContentSource"):
            assert f'<meta name="{name}"' in html, (where, name)
        for fact in (cfg.owner, cfg.icp, cfg.psb, cfg.site_code):
            assert expect(fact, p, out) in html, (where, fact)
        assert ('lang="zh-CN"' in html or 'lang="zh-Hant"' in html) and 'href="#main"' in html, where
        for leak in ("built-in method", "object at 0x", "None</td>", "Record(", "Undefined"):
            assert leak not in html, (where, leak)


class _TagBalance(HTMLParser):
    VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id":
                self.ids.append(v)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def test_every_page_is_balanced_html_with_unique_ids(built):
    out, _ = built
    for p in html_pages(out):
        parser = _TagBalance()
        parser.feed(p.read_text(encoding="utf-8"))
        assert not parser.errors and not parser.stack, (p.relative_to(out), parser.errors[:3],
                                                        parser.stack)
        dupes = {i for i in parser.ids if parser.ids.count(i) > 1}
        assert not dupes, (p.relative_to(out), dupes)


def test_internal_links_resolve(built):
    """Portal links resolve to built files; survey links (served by the survey
    service, not the static build) name a survey the content defines, or the service's
    tracking page."""
    out, result = built
    survey_ids = set(result.site.surveys) | {"track", "liuyan", "ysqgk"}    # the 留言 and 依申请公开 forms
    broken = set()
    for p in html_pages(out):
        for href in re.findall(r'href="(/[^"#?]*)', p.read_text(encoding="utf-8")):
            survey = re.match(r"/(?:zh-hant/)?survey/([^/]+)/", href)
            if survey:
                if survey.group(1) not in survey_ids:
                    broken.add((str(p.relative_to(out)), href))
                continue
            target = out / href.lstrip("/")
            if href.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.add((str(p.relative_to(out)), href))
    assert not broken, sorted(broken)[:10]


def test_policy_page_shows_its_metadata_and_interpretations_link_both_ways(built):
    out, result = built
    site = result.site
    interp = site.by_type["interpretation"][0]
    policy = site.policy(interp.policy)
    page = read(out, f"/xxgk/zcwj/{policy.id}/")
    for label, value in (("文号", policy.doc_number), ("发文机关", policy.issuer),
                         ("索引号", policy.index_no)):
        assert f"<th scope=\"row\">{label}</th><td>{value}</td>" in page
    assert "成文日期" in page and "有效性" in page
    assert f'href="/xxgk/zcjd/{interp.id}/"' in page
    back = read(out, f"/xxgk/zcjd/{interp.id}/")
    assert f'href="/xxgk/zcwj/{policy.id}/"' in back


def test_repealed_policy_shows_banner_linking_its_successor(built):
    out, result = built
    site = result.site
    old = next(p for p in site.by_type["policy"] if p.validity == "废止")
    page = read(out, f"/xxgk/zcwj/{old.id}/")
    assert "已废止" in page and "banner-repealed" in page
    assert f'href="/xxgk/zcwj/{old.superseded_by}/"' in page


def test_expired_notice_is_labelled_and_left_out_of_the_current_list(built):
    out, result = built
    site = result.site
    expired = [n for n in site.by_type["notice"] if n.valid_until and n.valid_until < TODAY]
    assert expired, "the sample should have an expired notice"
    n = expired[0]
    page = read(out, f"/tzgg/{n.published.year}/{n.id}/")
    assert "已过期" in page
    current_pages = "".join(p.read_text(encoding="utf-8") for p in (out / "tzgg").glob("page/*/index.html"))
    current_pages += read(out, "/tzgg/")
    assert f'/{n.id}/"' not in current_pages
    assert f'/{n.id}/"' in read(out, f"/tzgg/{n.published.year}/")


def test_withdrawn_item_keeps_its_page_with_a_label(built):
    out, result = built
    site = result.site
    gone = [i for t in ("notice", "news") for i in site.by_type[t] if i.withdrawn]
    assert gone
    i = gone[0]
    col = "tzgg" if i.type == "notice" else "gzdt"
    page = read(out, f"/{col}/{i.published.year}/{i.id}/")
    assert "已撤回" in page and i.withdrawn.reason in page


def test_the_search_index_lists_every_searchable_page_and_keeps_no_text_file_beside_it(built):
    out, result = built
    index = json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    rows = [r for k in range(-(-index["n"] // index["chunk"]))
            for r in json.loads((out / f"search/m/{k}.json").read_text(encoding="utf-8"))]
    urls = [r[0] for r in rows]
    searchable = sorted(p.url for p in result.page_list if p.search)
    assert sorted(urls) == searchable and len(urls) == index["n"]
    gone = [i for t in ("notice", "news") for i in result.site.by_type[t] if i.withdrawn]
    assert all(f"/{i.id}/" not in u for i in gone for u in urls)      # withdrawn: not found
    # excerpts come from the pages themselves (portal.js): what to leave out is in the index
    assert index["skip"] == search.SKIP and ".summary-box" in index["skip"] and "[data-search-ignore]" in index["skip"]
    assert sorted(p.name for p in (out / "search").iterdir()) == ["hant.json", "index.json", "m", "s"]
    assert sorted(p.name for p in (out / "zh-hant/search").iterdir()) == ["m"]


def test_guide_page_orders_its_key_elements_and_shows_the_summary_box(built):
    out, result = built
    g = result.site.by_type["guide"][0]
    page = read(out, f"/bszn/{g.id}/")
    box = page.index("summary-box")
    order = [page.index(h) for h in ("申请条件", "办理材料", "办理流程", "办理地点", "设定依据")]
    assert box < order[0] and order == sorted(order)
    for label in ("承诺时限", "收费", "到现场次数", "联系电话", "监督投诉电话"):
        assert label in page
    assert g.fee in page and g.complaint_phone in page


def test_community_view_lists_windows_and_own_feed(built):
    out, result = built
    site = result.site
    cid, c = next(iter(site.communities.items()))
    page = read(out, f"/sq/{cid}/")
    assert c.centre.address in page and c.centre.phone in page
    for w in c.centre.windows:
        assert f"{w.number}号窗口" in page
    feed = ET.fromstring((out / "sq" / cid / "feed.xml").read_bytes())
    for entry in feed.iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith(site.config.base_url)


def test_site_feed_and_sitemap_are_valid_xml(built):
    out, result = built
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    entries = list(feed.iter(f"{ATOM}entry"))
    assert 0 < len(entries) <= 50
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    sm = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = [u[0].text for u in sm]
    assert result.site.config.base_url.rstrip("/") + "/" in locs
    assert not any(loc.endswith("404.html") for loc in locs)


def test_finance_record_renders_its_csv_with_computed_totals(built):
    out, result = built
    site = result.site
    key, ledger = sorted(site.ledgers.items())[0]
    record = site.items[key]
    page = read(out, f"/cwgk/{record.id}/")
    assert "收支明细" in page and f"{ledger.income:,.2f}" in page and f"{ledger.expense:,.2f}" in page
    assert (out / "data" / record.fields["data"]).exists()


def test_excel_ledger_is_published_as_the_workbook_and_a_csv(built):
    out, result = built
    workbooks = [ledger for ledger in result.site.ledgers.values() if ledger.source.endswith(".xlsx")]
    assert workbooks, "the sample should keep a ledger in Excel, as 社区 offices do"
    for ledger in workbooks:
        assert [label for _, label in ledger.downloads] == ["Excel", "CSV"]
        for url, _ in ledger.downloads:
            assert (out / url.lstrip("/")).is_file()
        csv = (out / ledger.downloads[1][0].lstrip("/")).read_text(encoding="utf-8-sig")
        balances = (ledger.opening is not None) + (ledger.stated_closing is not None)   # 上月结余 / 期末余额 rows
        assert csv.count("\n") == len(ledger.rows) + 1 + balances and "合计" not in csv


def test_attachments_are_listed_with_format_and_size(built):
    out, result = built
    site = result.site
    with_att = [i for i in site.items.values() if getattr(i, "attachments", None)]
    assert with_att, "the sample should carry at an attachment"
    item = with_att[0]
    from portal.pages import item_url
    page = read(out, item_url(item))
    att = site.attachments(item)[0]
    assert f"（{att.format}，" in page
    assert (out / att.rel).exists()


def test_party_internal_items_are_never_rendered_listed_or_fed(built):
    out, result = built
    from portal.load import load_tree
    tree = load_tree(CONTENT)
    party_items = {c.id for c in result.site.catalogue if c.audience == "党内"}
    hidden = [d for d in tree.docs
              if d.data.get("audience") == "党内"
              or (d.rel.startswith("disclosure/") and d.rel.split("/")[2:3] and d.rel.split("/")[2] in party_items)]
    assert hidden and result.site.skipped_party == len(hidden)
    titles = [d.data["title"] for d in hidden]
    for p in list(out.rglob("*.html")) + list(out.rglob("*.xml")):
        text = p.read_text(encoding="utf-8")
        for t in titles:
            assert t not in text, (p.relative_to(out), t)


def test_same_input_and_today_give_byte_identical_output(tmp_path):
    """Everything the builder writes is byte-identical, the search index included."""
    a, b = tmp_path / "a", tmp_path / "b"
    assert pipeline.build(CONTENT, a, TODAY).ok
    assert pipeline.build(CONTENT, b, TODAY).ok

    def files(root):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    fa, fb = files(a), files(b)
    assert fa == fb
    assert "search/index.json" in fa and any(f.startswith("search/s/") for f in fa)
    for rel in fa:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_failure_mid_render_leaves_previous_output_exactly(tmp_path):
    out = tmp_path / "site"
    assert pipeline.build(CONTENT, out, TODAY).ok
    before = _snapshot(out)
    # A template that fails only when the guide pages render, i.e. after many pages are done.
    broken = tmp_path / "templates"
    shutil.copytree(pipeline.TEMPLATES, broken)
    guide = broken / "guide.html"
    guide.write_text(guide.read_text(encoding="utf-8").replace("{% block main %}",
                     "{% block main %}{{ no_such_variable.boom }}", 1), encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        pipeline.build(CONTENT, out, TODAY, templates=broken)
    assert _snapshot(out) == before
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site"))
    assert leftovers == [".site.gen-1", ".site.gen-2", ".site.lock"]      # no half-built folder
    assert os.readlink(out) == ".site.gen-1"
    # The next good build uses the half-written generation and writes exactly a clean build.
    assert pipeline.build(CONTENT, out, TODAY).ok
    assert os.readlink(out) == ".site.gen-2" and _snapshot(out) == before


def test_content_error_leaves_previous_output_and_exits_1(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "site"
    assert pipeline.build(content, out, TODAY).ok
    before = _snapshot(out)
    notice = next((content / "tzgg").rglob("*.md"))
    notice.write_text(notice.read_text(encoding="utf-8").replace("published:", "published: 2026-99-99\nx_published:", 1),
                      encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content),
                           "--out", str(out), "--today", "2026-11-24"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert "错误" in proc.stderr and "Traceback" not in proc.stderr
    assert _snapshot(out) == before


@pytest.mark.parametrize("page", ["index.html", "bszn/dibao/index.html", "tzgg/index.html"])
def test_typical_pages_weigh_at_most_30_kb_with_their_css(built, page):
    """Issue 6: HTML + CSS of a typical page ≤ 30 KB uncompressed, for cheap phones."""
    out, _ = built
    html = (out / page).read_text(encoding="utf-8")
    css = sum((out / href.lstrip("/")).stat().st_size
              for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    assert css > 0
    assert len(html.encode("utf-8")) + css <= 30_000, page


def test_sample_proposals_show_their_chain_and_the_declared_district_total(built):
    """Issue 17: the sample's 议事会提案 run through 三会一评; the community page counts them by state."""
    out, result = built
    page = read(out, "/hdjl/yishi/huanghe-laonian-zhucan/")
    for stem in ("2026-huanghe-shouji", "2026-huanghe-tingzheng", "2026-huanghe-xietiao", "2026-huanghe-yishi",
                 "2026-huanghe-niandu-shuzhi"):
        assert f'href="/hdjl/pyjg/{stem}/"' in page
    assert page.count('class="step-done"') == 6
    listing = read(out, "/hdjl/yishi/")
    assert "240余件" in listing and "（示例数据）" in listing
    counts = result.site.by_type["proposal"]
    assert {p.community for p in counts} >= {"huanghe", "zhujiang"}
    community = read(out, "/sq/huanghe/")
    assert "本社区收录议事会提案" in community and "已办结 2 件" in community and 'href="/hdjl/yishi/"' in community


def test_sample_identity_officials_guide_and_committees(built):
    """Issue 18 in the sample: the identity footer, 负责人信息, the 指南's facts, and each 居委会
    and 村 with its own page, calendar and (for villages) monthly balances signed off."""
    out, result = built
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<p class="site-badge">' in home and "我为政府网站找错" in home and 'href="/xxgk/xmt/">政务新媒体' in home
    assert "小河社区服务（示例）" in (out / "xxgk/xmt/index.html").read_text(encoding="utf-8")
    assert (out / "files/biaoshi/shili-biaoshi.svg").read_text(encoding="utf-8").count("示例标识") >= 1
    fzr = (out / "xxgk/fzr/index.html").read_text(encoding="utf-8")
    assert all(c.name in fzr for c in result.site.communities.values()) and "区群众工作委员会书记" in fzr
    pujiang = (out / "sq/pujiang/index.html").read_text(encoding="utf-8")
    assert "只公开职务和分工" in pujiang
    zn = (out / "xxgk/zn/index.html").read_text(encoding="utf-8")
    assert "0851-00000006" in zn and "政务公开专区" in zn and "行政复议" in zn
    subjects = [(c.id, s) for c in result.site.communities.values() for s in c.committee_subjects]
    assert len(subjects) == sum(len(c.committees) for c in result.site.communities.values())
    for cid, s in subjects:
        assert (out / f"sq/{cid}/{s.id}/index.html").is_file()
    villages = [s for _, s in subjects if s.kind == "村"]
    assert len(villages) == 7
    finance = [r for r in result.site.by_type["disclosure"] if r.item == "cun-cwsz"]
    assert len(finance) == 7 * 4 and all(r.signed_off_by.endswith("民主理财小组") for r in finance)
    assert all(result.site.ledgers[r.key].stated_closing == result.site.ledgers[r.key].closing for r in finance)
    slots = [s for s in result.site.schedule if s.committee]
    assert slots and all(s.state == "published" for s in slots)
