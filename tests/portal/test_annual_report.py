"""政府信息公开工作年度报告 (/xxgk/ndbg/<year>/): built from the sample with the counts its
content implies, due by 31 January of the next year, a preview-only draft without the staff
file, and staff-file errors in Chinese at their line."""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml
from minimal_tree import MINIMAL
from sampletools import sample

from portal import pipeline

CONTENT = sample()
TODAY = dt.date(2026, 11, 24)

REPORT_2026 = """\
year: 2026
published: 2027-01-20 10:00
overview: |
  2026年，测试区推进社区党务、居务、财务公开。
review:
  reconsideration:
    upheld: 1
  litigation:
    pending: 2
problems: |
  个别栏目更新偏晚，已纳入自动检查。
"""


# --- helpers -----------------------------------------------------------------------------

def as_sample(tree) -> None:
    """Builds months after the minimal tree's dates: its dated rules (freshness) as warnings."""
    tree.write("site.yaml", MINIMAL["site.yaml"].replace("sample: false", "sample: true"))


def read(out: Path, url: str) -> str:
    return (out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def row(page: str, label: str) -> list[str]:
    """The figures of the table row headed `label` (cell text, tags stripped)."""
    m = re.search(r'<tr><th scope="row"[^>]*>' + re.escape(html.escape(label, quote=False)) + r"</th>(.*?)</tr>",
                  page, re.S)
    assert m, f"no row {label!r}"
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def published_in(folder: str, year: int, **where) -> int:
    """Items of a folder published in `year`, counted from the files themselves."""
    n = 0
    for path in (CONTENT / folder).rglob("*.md"):
        fm = front_matter(path)
        if fm.get("draft") or fm.get("audience") == "党内" or not str(fm.get("published", "")).startswith(str(year)):
            continue
        n += all(fm.get(k) == v for k, v in where.items())
    return n


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def policy_counts(year: int, doc_type: str) -> list[str]:
    """本年制发 / 本年废止 / 现行有效 of the district's own documents of one type, from the files:
    a repealed document ends when its replacement takes effect, a lapsed one on its 有效期至."""
    docs = {p.stem: front_matter(p) for p in (CONTENT / "zcwj").glob("*.md")}
    end = dt.date(year, 12, 31)

    def ended(fm: dict) -> dt.date | None:
        if fm["validity"] not in ("废止", "失效"):
            return None
        new = docs.get(fm.get("superseded_by") or "")
        if new:
            return as_date(new.get("effective") or new["written"])
        return as_date(fm["expires"]) if fm.get("expires") else None

    own = [fm for fm in docs.values() if fm["level"] in ("区", "社区") and fm.get("doc_type", "其他文件") == doc_type]
    issued = sum(1 for fm in own if as_date(fm["written"]).year == year)
    repealed = sum(1 for fm in own if (e := ended(fm)) and e.year == year)
    current = sum(1 for fm in own if as_date(fm["written"]) <= end
                  and (fm["validity"] not in ("废止", "失效") or ((e := ended(fm)) is not None and e > end)))
    return [str(issued), str(repealed), str(current)]


# --- the sample's 2025 report -----------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ndbg") / "site"
    result = pipeline.build(CONTENT, out, TODAY)
    assert result.ok, "\n".join(result.problems.lines())
    assert not [p for p in result.problems.lines() if "ndbg" in p]
    return out


def test_sample_report_has_the_national_template_sections_and_the_staff_text(built):
    page = read(built, "/xxgk/ndbg/2025/")
    heads = re.findall(r"<h2 id=\"s\d-h\">(.*?)</h2>", page)
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    staff = yaml.safe_load((CONTENT / "ndbg/2025.yaml").read_text(encoding="utf-8"))
    assert "2025年政府信息公开工作年度报告" in page
    assert staff["overview"].split("，")[0] in page
    assert "草稿" not in page.split("<main", 1)[1]
    for table in re.findall(r"<table[^>]*>.*?</table>", page, re.S):
        assert "<thead>" in table and '<th scope="col"' in table and 'class="stack"' in table


def test_sample_report_counts_what_the_content_published_that_year(built):
    page = read(built, "/xxgk/ndbg/2025/")
    assert row(page, "规章") == ["0", "0", "0"]
    assert row(page, "行政规范性文件") == policy_counts(2025, "规范性文件")
    assert row(page, "其他政策文件") == policy_counts(2025, "其他文件")
    assert row(page, "通知公告") == [str(published_in("tzgg", 2025))]
    assert row(page, "其中：公示") == [str(published_in("tzgg", 2025, kind="公示"))]
    assert row(page, "工作动态") == [str(published_in("gzdt", 2025))]
    assert row(page, "政策解读") == [str(published_in("zcjd", 2025))]
    assert row(page, "办事指南") == [str(published_in("bszn", 2025))]
    assert row(page, "诉求答复") == [str(published_in("sqdf", 2025))]
    assert int(row(page, "通知公告")[0]) > 0 and int(row(page, "行政规范性文件")[0]) > 0


def test_sample_report_shows_the_published_request_counts_by_outcome(built):
    page = read(built, "/xxgk/ndbg/2025/")
    stats = yaml.safe_load((CONTENT / "ysqgk/2025.yaml").read_text(encoding="utf-8"))

    def outcome(kind: str, reason: str | None = None) -> str:
        return str(sum(o["count"] for o in stats["outcomes"]
                       if o["type"] == kind and (reason is None or o.get("reason") == reason)))

    assert row(page, "一、本年新收政府信息公开申请数量") == [str(stats["received"])]
    assert row(page, "二、上年结转政府信息公开申请数量") == [str(stats["carried_over"])]
    assert row(page, "（一）予以公开") == [outcome("予以公开")]
    assert row(page, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == [outcome("部分公开")]
    assert row(page, "（三）不予公开") == [outcome("不予公开")]
    assert row(page, "4. 保护第三方合法权益") == [outcome("不予公开", "保护第三方合法权益")]
    # 非本机关 is counted, as the national template does, under 无法提供·本机关不掌握相关政府信息
    held = int(outcome("无法提供", "本机关不掌握相关政府信息")) + int(outcome("非本机关"))
    assert row(page, "1. 本机关不掌握相关政府信息") == [str(held)]
    assert row(page, "（五）不予处理") == [outcome("不予处理")]
    assert row(page, "（六）其他处理") == [outcome("其他处理")]
    assert row(page, "（七）总计") == [str(stats["answered"])]
    assert row(page, "四、结转下年度继续办理") == [str(stats["carried_forward"])]
    assert row(page, "延期答复") == [str(stats["extensions"])]


def test_sample_report_is_linked_from_the_xxgk_index_and_listed(built):
    assert 'href="/xxgk/ndbg/"' in read(built, "/xxgk/")
    listing = read(built, "/xxgk/ndbg/")
    assert 'href="/xxgk/ndbg/2025/"' in listing and "草稿" not in listing.split("<main", 1)[1]
    assert "/xxgk/ndbg/2025/" in (built / "sitemap.xml").read_text(encoding="utf-8")


# --- the year's text file, its review figures and 留言 statistics --------------------------------

def test_review_figures_and_totals_come_from_the_staff_file(tree, tmp_path):
    as_sample(tree)
    tree.write("ndbg/2026.yaml", REPORT_2026)
    out = tmp_path / "site"
    result = pipeline.build(Path("content"), out, dt.date(2027, 1, 25))
    assert result.ok, "\n".join(result.problems.lines())
    assert not [p for p in result.problems.lines() if "ndbg" in p]
    page = read(out, "/xxgk/ndbg/2026/")
    assert row(page, "行政复议") == ["1", "0", "0", "0", "1"]
    assert row(page, "行政诉讼：未经复议直接起诉") == ["0", "0", "0", "2", "2"]
    assert row(page, "行政诉讼：复议后起诉") == ["0", "0", "0", "0", "0"]
    # no 依申请 or 留言 statistics published for the year: said so, not an error
    assert "暂无数据：2026 年度依申请公开统计尚未发布" in page
    assert "居民留言统计：暂无数据" in page


# --- due by 31 January -----------------------------------------------------------------------

def ndbg_lines(day: dt.date) -> list[str]:
    return [line for line in pipeline.check(Path("content"), day).problems.lines() if "年度报告" in line]


def test_missing_report_after_31_january_is_an_error_on_a_real_site(tree):
    lines = ndbg_lines(dt.date(2027, 2, 1))
    assert lines == ["content/ndbg/2026.yaml:1: 错误: 2026 年政府信息公开工作年度报告应于 2027-01-31 前公布，"
                     "至今未公布（政府信息公开条例第五十条），请新建 content/ndbg/2026.yaml（表格由系统生成，只需填写文字部分）"]


def test_missing_report_in_january_is_a_warning_and_nothing_is_due_before(tree):
    assert [line.split(": ")[1] for line in ndbg_lines(dt.date(2027, 1, 31))] == ["警告"]
    assert ndbg_lines(dt.date(2026, 12, 31)) == []


def test_report_published_by_31_january_satisfies_the_rule(tree):
    tree.write("ndbg/2026.yaml", REPORT_2026)
    assert ndbg_lines(dt.date(2027, 2, 1)) == []


def test_a_draft_report_does_not_count_as_published(tree):
    tree.write("ndbg/2026.yaml", "draft: true\n" + REPORT_2026)
    lines = ndbg_lines(dt.date(2027, 2, 1))
    assert len(lines) == 1 and ": 错误: " in lines[0] and "请完成 content/ndbg/2026.yaml 并删除 draft: true" in lines[0]


def test_missing_report_on_the_sample_is_only_a_warning():
    lines = [line for line in pipeline.check(CONTENT, dt.date(2027, 2, 1)).problems.lines() if "年度报告" in line]
    assert len(lines) == 1 and ": 警告: " in lines[0] and "（示例数据，按警告处理）" in lines[0]


# --- drafts: computed, preview only ----------------------------------------------------------------

def test_without_the_staff_file_the_report_is_a_draft_shown_only_in_preview(tree, tmp_path):
    as_sample(tree)
    day = dt.date(2027, 1, 10)
    real, preview = tmp_path / "real", tmp_path / "preview"
    result = pipeline.build(Path("content"), real, day)
    assert result.ok, "\n".join(result.problems.lines())
    assert not (real / "xxgk/ndbg/2026").exists()
    assert 'href="/xxgk/ndbg/2026/"' not in read(real, "/xxgk/ndbg/")
    pipeline.build(Path("content"), preview, day, preview=True)
    page = read(preview, "/xxgk/ndbg/2026/")
    assert "<strong>草稿</strong>" in page and "请新建 <code>content/ndbg/2026.yaml</code>" in page
    assert "二、主动公开政府信息情况" in page and row(page, "规章") == ["0", "0", "0"]
    assert "草稿" in read(preview, "/xxgk/ndbg/")
    assert "/xxgk/ndbg/2026/" not in (preview / "sitemap.xml").read_text(encoding="utf-8")


def test_a_staff_file_marked_draft_is_not_built(tree, tmp_path):
    as_sample(tree)
    tree.write("ndbg/2026.yaml", "draft: true\n" + REPORT_2026)
    out = tmp_path / "site"
    assert pipeline.build(Path("content"), out, dt.date(2027, 1, 25)).ok
    assert (out / "xxgk/ndbg/index.html").exists() and not (out / "xxgk/ndbg/2026").exists()


# --- the staff file's errors ------------------------------------------------------------------

def test_staff_file_errors_name_file_line_and_field_in_chinese(tree):
    tree.write("ndbg/2026.yaml", """\
year: 2025
published: 2027-01-20
review:
  reconsideration:
    upheld: -1
problems: 无
""")
    lines = pipeline.check(Path("content"), dt.date(2027, 1, 25)).problems.lines()
    mine = [line for line in lines if line.startswith("content/ndbg/")]
    assert "content/ndbg/2026.yaml:1: 错误: overview（总体情况）: 必填字段，不能缺少" in mine
    assert any(line.startswith("content/ndbg/2026.yaml:2: 错误: published（公布时间）: ") for line in mine)
    assert any(line.startswith("content/ndbg/2026.yaml:5: 错误: review.reconsideration.upheld（结果维持）: ")
               for line in mine)


def test_report_year_must_match_its_file_and_follow_the_year(tree):
    tree.write("ndbg/2026.yaml", REPORT_2026.replace("year: 2026", "year: 2025")
               .replace("2027-01-20 10:00", "2025-12-20 10:00"))
    lines = [line for line in pipeline.check(Path("content"), dt.date(2027, 1, 25)).problems.lines()
             if line.startswith("content/ndbg/")]
    assert "content/ndbg/2026.yaml:1: 错误: year（报告年度）: 报告年度 2025 与文件名“2026”不一致：" \
           "文件应命名为 ndbg/2025.yaml" in lines
    assert "content/ndbg/2026.yaml:2: 错误: published（公布时间）: 2025 年度报告应在该年度结束后公布，" \
           "公布时间写成了 2025-12-20" in lines
