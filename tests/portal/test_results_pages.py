"""Published survey results (content/results/<sid>.yaml, written by `flask --app survey
publish`): loaded and validated like any content, rendered under /hdjl/pyjg/ with every rate
computed by the build, linked both ways with evaluations.

tests/data/results/fwzx-myd-2026.yaml is added to a copy of the sample content (rendering) or,
for the faster validation tests, to conftest's minimal tree plus the sample survey. Its counts
are chosen so rates need half-up rounding (145/160 = 90.625 → 90.63, 2/3 → 66.67).
"""
from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

import pytest
from sampletools import sample, share_warm_cache, unlabelled
from treetools import EditableTree

from portal import build_state, pipeline, results, schema
from portal.items import Record
from portal.load import parse_doc
from portal.render import fingerprint, make_env, render_page
from portal.validate import validate_doc

ROOT = Path(__file__).resolve().parents[2]
CONTENT = sample()
FIXTURE = ROOT / "tests" / "data" / "results" / "fwzx-myd-2026.yaml"
TODAY = dt.date(2026, 11, 24)
SID = "fwzx-myd-2026"
RESULT = f"results/{SID}.yaml"
SHOWN = f"content/{RESULT}"
URL = f"/hdjl/pyjg/{SID}/"
SHA = "3f2a9c4e5b6d7081f2e3d4c5b6a79801e2f3a4b5c6d7e8f90a1b2c3d4e5f6a7b"
HIDDEN = "这条回答不公开甲乙丙"          # a verbatim answer to a question that is not public
EVALUATION = f"""\
---
title: 2026年度社区服务中心工作评议
published: 2026-11-24 18:00
meeting: 述职评议会
held: 2026-11-24 15:00
place: 小河区社区服务中心会议室
attendees: 40
survey: {SID}
---
评议参考了全区满意度调查的结果。
"""


class Sample(EditableTree):
    """A copy of the sample content with the results file, edited per test."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "content"
        # The shipped results stay (their URLs are published); this survey's is the fixture.
        shutil.copytree(CONTENT, self.root)
        self.write(RESULT, FIXTURE.read_text(encoding="utf-8"))
        # The sample survey keeps `suggestion` private; publish it here so public answers show.
        self.edit(f"surveys/{SID}.yaml", "        public: false", "        public: true")

    def check(self) -> pipeline.Result:
        return pipeline.check(Path("content"), TODAY, cache=build_state.CACHE)

    def render(self, url: str) -> str:
        return render(url, TODAY)


def render(url: str, today: dt.date) -> str:
    """One page of ./content rendered in process (no site written)."""
    result = pipeline.check(Path("content"), today, cache=build_state.CACHE)
    assert result.ok, "\n".join(result.problems.lines())
    page = next(p for p in result.page_list if p.url == url)
    assets = {name: url for name, (url, _) in fingerprint(pipeline.TEMPLATES / "static").items()}
    return render_page(page, result.site, make_env(pipeline.TEMPLATES, assets)).decode("utf-8")


def line_of(text: str, needle: str, after: str = "") -> int:
    """1-based line of the first `needle` at or after the first `after`."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


@pytest.fixture
def sample(tmp_path, monkeypatch) -> Sample:
    t = Sample(tmp_path)
    monkeypatch.chdir(tmp_path)
    share_warm_cache(tmp_path)
    return t


@pytest.fixture
def small(tree):
    """conftest's minimal tree (checked at its own date) with the sample survey, its
    `suggestion` answers public, and the results file: quick to check."""
    survey = (CONTENT / "surveys" / f"{SID}.yaml").read_text(encoding="utf-8")
    tree.write(f"surveys/{SID}.yaml", survey.replace("        public: false", "        public: true"))
    tree.write(RESULT, FIXTURE.read_text(encoding="utf-8"))
    return tree


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("results")
    t = Sample(base)
    t.write("pyjg/2026-fwzx-pingyi.md", EVALUATION)
    t.edit(RESULT, "  answered: 15\n", f"  answered: 15\n  texts:\n  - {HIDDEN}\n")
    out = base / "site"
    result = pipeline.build(t.root, out, TODAY)
    assert result.ok, "\n".join(result.problems.lines())
    return out, result


def read(out: Path, url: str) -> str:
    path = out / url.lstrip("/") / "index.html"
    assert path.exists(), f"{url} was not built"
    return path.read_text(encoding="utf-8")


# --- rendering --------------------------------------------------------------------------

def test_results_page_is_built_and_listed_with_the_evaluations(built):
    out, _ = built
    page = read(out, URL)
    assert "<h1>2026年度社区服务中心满意度调查</h1>" in page
    for fact in ("满意度调查", "2026年11月20日 至 2026年11月24日", "170 份", "2026年11月24日 16:30"):
        assert fact in page, fact
    for listing in ("/hdjl/pyjg/", "/hdjl/", "/hdjl/pyjg/2026/"):
        assert f'href="{URL}"' in read(out, listing), listing
    assert f"{URL}</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f'href="https://xiaohe.example.org{URL}"' in (out / "feed.xml").read_text(encoding="utf-8")


def test_rates_are_computed_by_the_build_with_two_decimals_half_up_one_below_30_answers(built):
    page = read(built[0], URL)
    # 145/160 = 90.625: half-up gives 90.63 where round-half-even would give 90.62.
    assert "满意率 90.63%（145/160）" in page
    assert "90.62" not in page
    assert "66.7%（2/3）" in page                       # matrix row: 3 answers, one decimal
    assert '<td class="num">2</td><td class="num">66.7%</td>' in unlabelled(page)   # breakdown row
    assert "3.13%" in page                              # 5/160 = 3.125 in the chart
    assert "净推荐值 25.00" in page                      # 45 promoters − 20 detractors of 100
    assert "平均值：<strong>2.10</strong>" in page


def test_charts_and_tables_carry_captions_and_header_cells(built):
    page = unlabelled(read(built[0], URL))
    assert page.count('<svg class="bars"') == 4        # single, multiple, scale5, nps
    assert page.count('<table class="data">') == 4
    tables = re.findall(r"<table[^>]*>.*?</table>", page, re.S)
    assert len(tables) >= 9
    for t in tables:
        assert "<caption" in t and "<th" in t, t[:200]
    assert '<th scope="row">首问负责落实情况</th>' in page
    for header in ("答卷数", "作答数", "满意数", "满意率"):
        assert f'<th scope="col" class="num">{header}</th>' in page
    assert "按社区统计" in page and "按月份统计" in page and '<th scope="row">未注明</th>' in page


def test_public_answers_appear_escaped_and_private_ones_never(built):
    out, result = built
    page = read(out, URL)
    assert "希望&lt;script&gt;alert(1)&lt;/script&gt;周末也能办事" in page
    assert "<script>alert(1)" not in page
    assert "本题回答不公开原文" in page
    for p in list(out.rglob("*.html")) + list(out.rglob("*.xml")):
        assert HIDDEN not in p.read_text(encoding="utf-8"), p
    assert any(w.key == "questions[5].texts" and not w.is_error for w in result.problems.items)


def test_method_note_names_the_export_digest(built):
    page = read(built[0], URL)
    assert f'<code class="digest">{SHA}</code>' in page
    assert "匿名、自愿" in page and "未经人工修改" in page
    assert "非常满意、满意、基本满意" in page


def test_traditional_mirror_of_the_results_page(built):
    page = read(built[0], f"/zh-hant{URL}")
    assert "滿意率 90.63%（145/160）" in page and 'lang="zh-Hant"' in page


def test_evaluation_and_results_link_both_ways(built):
    out, _ = built
    ev = read(out, "/hdjl/pyjg/2026-fwzx-pingyi/")
    assert f'href="{URL}"' in ev and "结果尚未公布" not in ev
    assert 'href="/hdjl/pyjg/2026-fwzx-pingyi/"' in read(out, URL)


def test_evaluation_says_results_are_not_yet_published(sample):
    (sample.root / RESULT).unlink()
    sample.edit("published-urls.txt", f"{URL}\n", "")          # never published, in this story
    sample.write("pyjg/2026-fwzx-pingyi.md", EVALUATION)
    page = sample.render("/hdjl/pyjg/2026-fwzx-pingyi/")
    assert "2026年度社区服务中心满意度调查：结果尚未公布" in page and URL not in page


def test_community_results_show_on_the_community_page(sample):
    sample.edit(RESULT, "community: district", "community: huanghe")
    assert f'href="{URL}"' in sample.render("/sq/huanghe/")
    assert f'href="{URL}"' not in sample.render("/sq/changjiang/")


def test_view_model_is_pure_and_hides_texts_without_a_public_survey_question():
    doc, problems = parse_doc(RESULT, SHOWN, FIXTURE.read_text(encoding="utf-8"), schema.RESULT)
    item, own = validate_doc(doc)
    assert not problems + own, [p.format() for p in problems + own]
    v = results.view(item, None)
    assert (v.headline.satisfaction.part, v.headline.satisfaction.total,
            v.headline.satisfaction.percent) == (145, 160, "90.63")
    by_id = {q.id: q for q in v.questions}
    assert by_id["suggestion"].texts == ()            # no survey says it is public
    assert [r.label for r in by_id["priority"].ranks] == ["延长办公时间", "更多事项网上办", "办事指南更清楚"]
    assert by_id["nps"].nps.score == "25.00" and by_id["nps"].nps.passives.part == 35
    assert [b.percent for b in by_id["services"].bars][:2] == ["53.33", "20.00"]   # of 150 who answered
    assert [b.key for b in v.breakdowns] == ["community", "month"]


def test_nps_can_be_negative():
    counts = [Record({"value": str(n), "label": str(n), "count": c})
              for n, c in enumerate([5, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])]
    assert results.nps(counts).score == "-66.67"       # (1 − 5) / 6


# --- validation ----------------------------------------------------------------------------

def test_sample_with_results_checks_clean(sample):
    result = sample.check()
    assert result.ok, result.problems.lines()
    assert not [p for p in result.problems.items if p.path == SHOWN], result.problems.lines()


@pytest.mark.parametrize("old, new, anchor, needle, expected", [
    ("  - {value: 非常不满意, label: 非常不满意, count: 5}\n  satisfied: 145",
     "  - {value: 非常不满意, label: 非常不满意, count: 4}\n  satisfied: 145",
     "- id: overall", "  counts:",
     "questions[4].counts（各选项人数）: 各选项人数之和 159 应等于作答数 160"),
    (f"sha256: {SHA}", "sha256: 3F2A9C", "", "  sha256:",
     "export.sha256（校验值）: 应为 64 位小写十六进制字符（导出文件的 SHA-256 校验值）"),
    ("  responses: 170", "  responses: 171", "export:", "  responses:",
     "export.responses（答卷数）: 导出文件的答卷数 171 与答卷数 170 不一致"),
    ("\nresponses: 170", "\nresponses: 很多", "", "responses: 很多",
     "responses（答卷数）: 应为整数，而不是“很多”"),
    ("label: 长江社区, count: 20}", "label: 长江社区, count: -20}", "", "label: 长江社区, count",
     "questions[1].counts[2].count（人数）: 不能小于 0"),
    ("  answered: 140", "  answered: 171", "", "  answered: 171",
     "questions[3].answered（作答数）: 作答数 171 超过答卷数 170"),
    ("    answered: 3\n    satisfied: 2", "    answered: 3\n    satisfied: 4", "id: firstask",
     "    satisfied:", "questions[6].rows[3].satisfied（满意数）: 满意数 4 超过作答数 3"),
    ("  satisfied: 145", "  satisfied: 144", "- id: overall", "  satisfied:",
     "questions[4].satisfied（满意数）: 满意数应为计入满意的等级的人数之和 145，而不是 144"),
    ("  answered: 150\n  counts:", "  answered: 200\n  counts:", "- id: services", "  counts:",
     "questions[2].counts（各选项人数）: 多选题各选项人数之和 190 不应少于作答数 200"),
    (f"survey: {SID}", "survey: fwzx-myd-2025", "", "survey:",
     f"survey（问卷编号）: 问卷编号应与文件名一致：{SID}（结果文件名为 <问卷编号>.yaml）"),
])
def test_hand_edited_results_report_the_key_and_line(small, old, new, anchor, needle, expected):
    small.edit(RESULT, old, new)
    line = line_of(small.read(RESULT), needle, anchor)
    result = small.check()
    assert not result.ok
    assert f"{SHOWN}:{line}: 错误: {expected}" in result.problems.lines(), result.problems.lines()


def test_hand_edited_results_fail_the_build_and_write_nothing(small):
    small.edit(RESULT, "count: 60}", "count: 61}")
    out = small.base / "site"
    result = pipeline.build(Path("content"), out, small.check().site.today)
    assert not result.ok and not out.exists()
    assert any(line.startswith(f"{SHOWN}:") and "questions[4].counts（各选项人数）" in line
               for line in result.problems.lines())


@pytest.mark.parametrize("seed", range(40))
def test_corrupted_results_are_reported_not_raised(small, seed):
    from test_no_traceback import mutate  # the builder's own corruption model
    rng = random.Random(seed)
    text = small.read(RESULT)
    for _ in range(rng.randrange(1, 5)):
        text = mutate(text, rng)
    small.write(RESULT, text)
    for line in small.lines():                # must not raise
        assert ": 错误: " in line or ": 警告: " in line, line


def test_broken_yaml_names_the_parser_line_not_a_traceback(small):
    small.edit(RESULT, "responses: 170\nsatisfied:", "responses: [170\nsatisfied:")
    lines = small.check().problems.lines()
    assert any(line.startswith(f"{SHOWN}:") and "方括号 [ ] 没有配对" in line for line in lines), lines


def test_results_for_an_unknown_survey_are_an_error(small):
    text = small.read(RESULT).replace(f"survey: {SID}", "survey: no-such")
    (small.root / RESULT).unlink()
    small.write("results/no-such.yaml", text)
    line = line_of(text, "survey:")
    lines = small.check().problems.lines()
    assert (f"content/results/no-such.yaml:{line}: 错误: survey（问卷编号）: "
            "找不到编号为“no-such”的调查问卷（应有 content/surveys/no-such.yaml）") in lines, lines


def test_results_of_a_private_survey_are_an_error(small):
    small.edit(f"surveys/{SID}.yaml", "results: public", "results: private")
    line = line_of(small.read(RESULT), "survey:")
    errors = [p.format() for p in small.check().problems.errors]
    assert any(e.startswith(f"{SHOWN}:{line}: 错误: survey（问卷编号）: 问卷设为结果不公开") for e in errors), errors


def test_a_survey_changed_after_publishing_warns_but_builds(sample):
    survey = sample.read(f"surveys/{SID}.yaml")
    start = survey.index("      - id: priority")
    end = survey.index("      - id: suggestion")
    sample.write(f"surveys/{SID}.yaml", survey[:start] + survey[end:])
    result = sample.check()
    assert result.ok, result.problems.lines()
    line = line_of(sample.read(RESULT), "- id: priority")
    assert (f"{SHOWN}:{line}: 警告: questions[8].id（题目编号）: 问卷中已没有题目 priority"
            "（问卷在结果发布后修改过；结果按发布时的内容显示，如需更新请重新发布）") in result.problems.lines()
    assert "延长办公时间" in sample.render(URL)


def test_results_may_not_take_an_evaluations_address(small):
    small.write(f"pyjg/{SID}.md", EVALUATION.replace(f"survey: {SID}\n", ""))
    line = line_of(small.read(RESULT), "survey:")
    errors = [p.format() for p in small.check().problems.errors]
    assert any(e.startswith(f"{SHOWN}:{line}: 错误: survey（问卷编号）: 与评议结果 content/pyjg/{SID}.md")
               for e in errors), errors


def test_evaluation_naming_an_unknown_survey_is_an_error(small):
    small.write("pyjg/2026-fwzx-pingyi.md", EVALUATION.replace(f"survey: {SID}", "survey: no-such"))
    line = line_of(EVALUATION, "survey:")
    lines = small.check().problems.lines()
    assert (f"content/pyjg/2026-fwzx-pingyi.md:{line}: 错误: survey（关联问卷）: "
            "找不到编号为“no-such”的调查问卷（应有 content/surveys/no-such.yaml）") in lines, lines


def test_a_digest_is_not_mistaken_for_a_mobile_number(small):
    digest = "ab13812345678" + "c" * 51                 # contains a mobile-number-shaped run
    small.edit(RESULT, f"sha256: {SHA}", f"sha256: {digest}")
    result = small.check()
    assert result.ok, result.problems.lines()


# --- 好差评: 差评整改 --------------------------------------------------------------------------

HAOCHA_SURVEY = """\
id: haocha
title: 政务服务好差评
kind: 好差评
opens: 2026-01-01
closes: 2030-12-31
results: public
pages:
  - questions:
      - id: rating
        type: scale5
        label: 您对本次服务的总体评价
"""
HAOCHA_RESULT = """\
survey: haocha
title: 政务服务好差评
kind: 好差评
community: district
published: 2026-04-03 18:00
first_response: 2026-03-02
last_response: 2026-04-03
responses: 10
satisfied: [非常满意, 满意, 基本满意]
export: {format: json, responses: 10, sha256: SHA256}
questions:
- id: rating
  type: scale5
  label: 您对本次服务的总体评价
  answered: 10
  counts:
  - {value: 非常满意, label: 非常满意, count: 5}
  - {value: 满意, label: 满意, count: 2}
  - {value: 基本满意, label: 基本满意, count: 1}
  - {value: 不满意, label: 不满意, count: 1}
  - {value: 非常不满意, label: 非常不满意, count: 1}
  satisfied: 8
cases:
- opened: 2026-03-02
  level: 不满意
  reasons: [等候时间太长]
  service: bz-one
  service_label: 居住证明办理
  window: "1"
  community: hx
  verify_due: 2026-03-03
  reply_due: 2026-03-23
  verified: 2026-03-03
  verdict: 属实
  closed: 2026-03-10
  rectification: 高峰时段加开窗口
  reply: 已核实，已加开窗口。
  on_time: true
- opened: 2026-03-05
  level: 非常不满意
  reasons: []
  service: ""
  window: ""
  community: ""
  verify_due: 2026-03-06
  reply_due: 2026-03-26
  verified: ""
  verdict: ""
  closed: ""
""".replace("SHA256", SHA)


@pytest.fixture
def haocha(tree):
    tree.write("surveys/haocha.yaml", HAOCHA_SURVEY)
    tree.write("results/haocha.yaml", HAOCHA_RESULT)
    return tree


def test_bad_ratings_and_their_rectification_are_published(haocha):
    assert haocha.check().ok, haocha.lines()
    page = render("/hdjl/pyjg/haocha/", haocha.check().site.today)
    assert "差评整改情况" in page and "差评整改明细" in page
    assert "已办结 1 件，其中按期答复 100.0%（1/1）" in page
    assert "逾期未办结 1 件" in page                  # open past its deadline when published
    assert 'href="/bszn/bz-one/"' in page and "河西社区 1号窗口" in page
    assert "整改：高峰时段加开窗口" in page and "待核实" in page


@pytest.mark.parametrize("edits, key, message", [
    ([("  on_time: true", "  on_time: false")], "cases[1].on_time（按期办结）",
     "按期办结由系统根据办结日期和答复期限核对，应为 true"),
    ([("  reply: 已核实，已加开窗口。\n", "")], "cases[1].reply（答复内容）", "已办结的差评应写明答复内容"),
    ([("kind: 好差评\ncommunity", "kind: 满意度\ncommunity")], "cases（差评整改）",
     "只有好差评问卷才有差评整改记录"),
    ([("非常满意, count: 5}", "非常满意, count: 6}"),          # one 差评 fewer, counts still add up
      ("非常不满意, count: 1}\n  satisfied: 8", "非常不满意, count: 0}\n  satisfied: 9")],
     "cases（差评整改）", "差评整改记录 2 件，多于差评（不满意、非常不满意）人数 1"),
])
def test_rectification_records_are_checked(haocha, edits, key, message):
    for old, new in edits:
        haocha.edit("results/haocha.yaml", old, new)
    errors = haocha.errors()
    assert any(e.startswith("content/results/haocha.yaml:") and f"错误: {key}: {message}" in e
               for e in errors), errors
