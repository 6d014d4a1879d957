"""Slips a resident notices on the built sample (issue 14): ended 公示 among current notices, a
summary printed twice, a caption counting a hidden row, titles cut mid-word, two date styles on
one page, a missing favicon, 繁體 forms readers in Taiwan and Hong Kong find odd, and 你 where
the site says 您."""
from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from sampletools import copy_sample, sample

from portal import pipeline, states
from portal.markup import lead

ROOT = Path(__file__).resolve().parents[2]
CONTENT = sample()
TODAY = dt.date(2026, 11, 24)
CHANGJIANG_GONGSHI = "/tzgg/2026/2026-dibao-gongshi-changjiang/"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, pipeline.Result]:
    out = tmp_path_factory.mktemp("slips") / "site"
    result = pipeline.build(CONTENT, out, TODAY)
    assert result.ok, "\n".join(result.problems.lines())
    return out, result


def read(out: Path, url: str) -> str:
    return (out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


class _Text(HTMLParser):
    """The text a reader sees: no attributes, scripts or styles, nor file text shown as code
    (the staff guide's examples are what staff type, ISO dates by design)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden += 1

    def handle_endtag(self, tag) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden -= 1

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data)


HIDDEN_TAGS = ("script", "style", "template", "pre", "code")


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def simplified_pages(out: Path) -> list[Path]:
    return [p for p in sorted(out.rglob("*.html")) if p.relative_to(out).parts[0] != "zh-hant"]


# --- 公示 past its 公示期 ---------------------------------------------------------------------

def test_a_gongshi_past_its_period_leaves_the_current_lists_and_says_so(built):
    out, result = built
    site = result.site
    assert site is not None
    ended = [n for n in site.by_type["notice"] if n.kind == "公示" and n.notice_period.end < TODAY]
    assert len(ended) == 9
    current = site.current(site.by_type["notice"])
    assert not {n.key for n in ended} & {n.key for n in current}
    assert f"当前有效 {len(current)} 条" in read(out, "/tzgg/")
    home, tzgg, changjiang = main_of(read(out, "/")), main_of(read(out, "/tzgg/")), main_of(read(out, "/sq/changjiang/"))
    for n in ended:
        assert n.title not in home and n.title not in tzgg, n.title
    assert "长江社区2026年第四批最低生活保障拟保障对象公示" not in changjiang
    page = read(out, CHANGJIANG_GONGSHI)                 # its own page stays, and says so
    assert "公示期已结束" in page and "公示期 2026年11月16日 至 2026年11月22日" in page


def test_a_gongshi_is_current_until_the_last_day_of_its_period(built):
    site = built[1].site
    assert site is not None
    notice = next(n for n in site.by_type["notice"] if n.id.endswith("2026-dibao-gongshi-changjiang"))
    assert states.state_of(notice, site.policy, dt.date(2026, 11, 22)) is None
    after = states.state_of(notice, site.policy, dt.date(2026, 11, 23))
    assert after is not None and after.label == "公示期已结束"


# --- printed once, counted as shown, whole titles ---------------------------------------------

def test_a_summary_that_opens_the_body_is_printed_once(built):
    page = main_of(read(built[0], CHANGJIANG_GONGSHI))
    assert page.count("拟将3户家庭纳入最低生活保障") == 1
    assert lead("拟将3户家庭纳入低保。", "拟将3户家庭纳入低保。\n\n社区服务中心") == ""
    assert lead("3户家庭拟纳入低保", "经审核，拟将3户家庭纳入低保。") == "3户家庭拟纳入低保"


def test_xxgk_catalogue_caption_counts_the_rows_it_shows(built):
    page = read(built[0], "/xxgk/")
    table = page[page.index("社区公开事项目录"):]
    table = table[:table.index("</table>")]
    caption = int(re.search(r"共 (\d+) 项", table)[1])
    assert caption == table.count("<tr") - 1            # one header row


def test_sample_appeal_titles_do_not_cut_the_question_mid_word():
    """关于<question>的答复: a title that copies the start of the question stops where the
    question has a break, not inside a word (“希望增” of “希望增设”)."""
    for path in sorted((CONTENT / "sqdf").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        m = re.fullmatch(r"关于(.+)的答复", front["title"])
        question = front["question"].rstrip("。")
        if m and question.startswith(m[1]) and len(m[1]) < len(question):
            assert question[len(m[1])] in "，、；：。", front["title"]


# --- one date style ---------------------------------------------------------------------------

def test_readers_see_chinese_dates_and_iso_only_in_machine_readable_places(built):
    out = built[0]
    shown = {p.relative_to(out).as_posix(): ISO_DATE.findall(visible_text(p.read_text(encoding="utf-8")))
             for p in simplified_pages(out)}
    assert {k: v for k, v in shown.items() if v} == {}
    page = read(out, CHANGJIANG_GONGSHI)
    assert "2026年11月16日 09:00" in page and '<meta name="PubDate" content="2026-11-16 09:00">' in page
    assert "<updated>2026-" in (out / "feed.xml").read_text(encoding="utf-8")


# --- favicon ----------------------------------------------------------------------------------

def test_the_site_answers_favicon_ico(built):
    out = built[0]
    ico = (out / "favicon.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0"                     # an ICO file, as browsers expect at that path
    assert ico == (ROOT / "templates/static/favicon.ico").read_bytes()
    assert list((out / "static").glob("favicon.*.svg"))


# --- 繁體 -------------------------------------------------------------------------------------

def test_traditional_pages_use_the_forms_readers_in_taiwan_and_hong_kong_expect(built):
    out = built[0]
    odd = [p.relative_to(out).as_posix() for p in sorted((out / "zh-hant").rglob("*.html"))
           if re.search("[爲覈]", p.read_text(encoding="utf-8"))]
    assert odd == []
    assert "見義勇為" in (out / "zh-hant/bszn/jianyiyongwei/index.html").read_text(encoding="utf-8")
    pairs = json.loads((out / "search/hant.json").read_text(encoding="utf-8"))["t2s"]
    assert "為为" in pairs                               # the 繁體 search finds what the page says


def test_a_traditional_conversion_site_yaml_does_not_offer_is_an_error_at_its_line(tmp_path):
    content = copy_sample(tmp_path / "content")
    site_yaml = content / "site.yaml"
    lines = site_yaml.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines, 1) if line.startswith("hant:"))
    lines[n - 1] = "hant: s2t"
    site_yaml.write_text("\n".join(lines), encoding="utf-8")
    result = pipeline.check(content, TODAY)
    [bad] = [p for p in result.problems.errors if p.key == "hant"]
    assert (bad.path.endswith("site.yaml"), bad.line, bad.label) == (True, n, "繁体用字")
    assert "s2tw" in bad.message and "s2hk" in bad.message


# --- 您 ---------------------------------------------------------------------------------------

YOU = re.compile(r"你(?!我)")          # 你我 (each other) is not an address


def test_no_built_page_addresses_the_reader_as_ni(built):
    out = built[0]
    found = {p.relative_to(out).as_posix(): YOU.findall(visible_text(p.read_text(encoding="utf-8")))
             for p in simplified_pages(out)}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_survey_service_and_templates_address_the_reader_as_nin():
    sources = [*sorted((ROOT / "templates").rglob("*.html")), *sorted((ROOT / "survey").rglob("*.py"))]
    found = [p.relative_to(ROOT).as_posix() for p in sources if YOU.search(p.read_text(encoding="utf-8"))]
    assert found == []

