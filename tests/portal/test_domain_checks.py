"""Domain rules (issue 4): one broken tree per rule, asserting file, line, rule and exit code."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sampletools import sample

from portal import pipeline
from portal.personal_data import id_checksum_ok, luhn_ok, mask, scan
from portal.workdays import OFFICIAL, Calendar, UnknownYear

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
TODAY = dt.date(2026, 11, 24)
D = dt.date


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "content"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(tmp_path)
    return target


def real_site(content: Path) -> None:
    """Turn the sample flag off: date-dependent rules become errors (DESIGN §6)."""
    edit(content / "site.yaml", "sample: true", "sample: false")


def lines(content: Path, today: dt.date = TODAY) -> list[str]:
    return pipeline.check(Path("content"), today).problems.lines()


def errors(content: Path, today: dt.date = TODAY) -> list[str]:
    return [x for x in lines(content, today) if ": 错误: " in x]


def warnings(content: Path, today: dt.date = TODAY) -> list[str]:
    return [x for x in lines(content, today) if ": 警告: " in x]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_front(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text[4:].partition("\n---\n")
    path.write_text("---\n" + head + "\n" + block.rstrip("\n") + sep + body, encoding="utf-8")


def fill_finance(content: Path, months: range) -> None:
    """Records for the mini tree's monthly finance item, so only the tested gap remains."""
    base = content / "disclosure/aa/cw-szmx"
    for m in months:
        code = f"2026-{m:02d}"
        if (base / f"{code}.md").exists():
            continue
        published = OFFICIAL.add(D(2026, m + 1, 1) if m < 12 else D(2027, 1, 1), 3)
        (base / f"{code}.md").write_text(
            f"---\ntitle: 2026年{m}月收支明细\npublished: {published} 09:00\nreviewed_by: 社区党委书记\n---\n说明\n",
            encoding="utf-8")


# --- 1. working-day calendar --------------------------------------------------------------

def test_national_day_week_is_skipped():
    assert OFFICIAL.add(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert OFFICIAL.between(D(2025, 9, 30), D(2025, 10, 10)) == 2


def test_adjusted_working_saturday_and_sunday_count():
    assert OFFICIAL.is_workday(D(2025, 10, 11))          # 调休 Saturday
    assert OFFICIAL.is_workday(D(2025, 9, 28))           # 调休 Sunday
    assert OFFICIAL.add(D(2026, 2, 13), 1) == D(2026, 2, 14)


def test_year_boundary_uses_the_next_years_calendar():
    assert OFFICIAL.add(D(2025, 12, 31), 1) == D(2026, 1, 4)   # 1-3 Jan off, Sunday 4th worked


def test_unknown_year_is_refused_not_guessed():
    with pytest.raises(UnknownYear) as e:
        OFFICIAL.add(D(2100, 6, 1), 1)
    assert e.value.year == 2100


def test_local_calendar_declares_a_year_and_overrides_days():
    cal = Calendar(holidays=frozenset({D(2100, 6, 2)}), workdays=frozenset({D(2100, 6, 5)}),
                   years=frozenset({2100}))
    assert cal.add(D(2100, 6, 1), 1) == D(2100, 6, 3)          # the 2nd is a local closure
    assert cal.is_workday(D(2100, 6, 5))                       # a Saturday worked


def test_calendar_file_for_an_unknown_year_lets_checks_run(content):
    real_site(content)
    (content / "calendar").mkdir()
    (content / "calendar/2099.yaml").write_text("year: 2098\ncomplete: true\n", encoding="utf-8")
    assert "content/calendar/2099.yaml:1: 错误: year（年份）: 文件名应为 2098.yaml" in errors(content)


# --- 2. disclosure calendar -------------------------------------------------------------

def test_overdue_disclosure_is_an_error_on_a_real_site(content):
    real_site(content)
    fill_finance(content, range(1, 11))
    (content / "disclosure/aa/cw-szmx/2026-07.md").unlink()
    errs = errors(content)
    assert ("content/disclosure/catalogue.yaml:7: 错误: schedule（公开时限）: 甲社区“收支明细”2026年7月"
            "应于 2026-08-14 前公开，至今未公开（应建 disclosure/aa/cw-szmx/2026-07.md）") in errs
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--today", "2026-11-24"],
                          capture_output=True, text=True, cwd=content.parent)
    assert proc.returncode == 1


def test_overdue_disclosure_is_only_a_warning_on_sample_data(content):
    fill_finance(content, range(1, 11))
    (content / "disclosure/aa/cw-szmx/2026-07.md").unlink()
    assert not any("2026年7月" in e for e in errors(content))
    assert any("2026年7月" in w and "示例数据，按警告处理" in w for w in warnings(content))


def test_disclosure_due_within_five_working_days_warns(content):
    real_site(content)
    fill_finance(content, range(1, 10))
    warns = warnings(content, D(2026, 11, 10))
    assert any(w.startswith("content/disclosure/catalogue.yaml:7: 警告: schedule（公开时限）: 甲社区“收支明细”2026年10月应于")
               for w in warns)


def test_on_event_item_published_too_late_is_an_error(content):
    edit(content / "disclosure/catalogue.yaml", "    since: 2026-01-01",
         "    since: 2026-01-01\n  - {id: fzdy, domain: 党务, name: 发展党员公示, content: 公示, basis: 细则,"
         " schedule: {every: 即时, within: 20}, subject: 社区党委, channels: [网站], since: 2026-01-01}")
    rec = content / "disclosure/aa/fzdy"
    rec.mkdir()
    (rec / "2026-03-02.md").write_text("---\ntitle: 公示\npublished: 2026-04-20 09:00\nreviewed_by: 书记\n"
                                       "formed: 2026-03-02\n---\n公示\n", encoding="utf-8")
    (rec / "2026-05-06.md").write_text("---\ntitle: 公示\npublished: 2026-05-07 09:00\nreviewed_by: 书记\n---\n公示\n",
                                       encoding="utf-8")
    errs = errors(content)
    assert ("content/disclosure/aa/fzdy/2026-03-02.md:3: 错误: published（发布时间）: "
            "即时公开事项应在信息形成后 2026-03-30 前公开，实际 2026-04-20") in errs
    assert "content/disclosure/aa/fzdy/2026-05-06.md:2: 错误: formed（信息形成日期）: 即时公开事项必须写明信息形成日期" in errs


def test_disclosure_pages_show_each_period_state(content, tmp_path):
    fill_finance(content, range(1, 11))
    (content / "disclosure/aa/cw-szmx/2026-07.md").unlink()
    assert pipeline.build(Path("content"), tmp_path / "site", TODAY).ok
    page = (tmp_path / "site/cwgk/aa/index.html").read_text(encoding="utf-8")
    assert "逾期未公开" in page and "已按时公开" in page and "2026年8月14日" in page


# --- 3. policy validity chain -----------------------------------------------------------

def test_expired_policy_still_marked_valid_is_an_error(content):
    real_site(content)
    edit(content / "zcwj/p1.md", "validity: 有效", "expires: 2026-06-30\nvalidity: 有效")
    assert ("content/zcwj/p1.md:7: 错误: expires（有效期至）: 有效期已于 2026-06-30 届满，"
            "但有效性仍为“有效”：请改为“失效”并写明说明") in errors(content)


def test_repealed_policy_needs_a_note_and_a_successor(content):
    edit(content / "zcwj/p0.md", "validity_note: 被办法一替代\nsuperseded_by: p1\n", "")
    errs = errors(content)
    assert "content/zcwj/p0.md:7: 错误: validity_note（有效性说明）: 有效性为“废止”时必须写明说明（依据哪个文件、何时起）" in errs
    assert ("content/zcwj/p0.md:7: 错误: superseded_by（替代文件）: 废止的文件应写明替代文件；"
            "确无替代文件的，在有效性说明中写明“无替代文件”") in errs


def test_guide_citing_a_repealed_policy_is_an_error_and_other_links_warn(content):
    edit(content / "bszn/g1.md", "{title: 办法一, policy: p1}", "{title: 旧办法, policy: p0}")
    edit(content / "tzgg/2026/n1.md", "related: [zcwj/p1]", "related: [zcwj/p0]")
    assert "content/bszn/g1.md:6: 错误: basis[2].policy（对应文件）: 设定依据引用了已废止的文件“旧办法”" in errors(content)
    assert ("content/tzgg/2026/n1.md:10: 警告: related[1]（相关内容）: 链接到已废止的文件“旧办法”，页面上会标注"
            in warnings(content))


# --- 4. interpretations ----------------------------------------------------------------

def test_late_interpretation_and_normative_policy_without_one_warn(content):
    edit(content / "zcjd/j1.md", "published: 2026-01-06 09:00", "published: 2026-01-20 09:00")
    assert ("content/zcjd/j1.md:3: 警告: published（发布时间）: 解读在文件发布后第 11 个工作日才发布，应在 3 个工作日内"
            in warnings(content))
    (content / "zcjd/j1.md").unlink()
    assert ("content/zcwj/p1.md:11: 警告: doc_type（文件类型）: 规范性文件应配发政策解读（content/zcjd/ 中 policy 指向本文件）"
            in warnings(content))


# --- 5. guide completeness ----------------------------------------------------------------

def test_promise_longer_than_the_legal_limit_is_an_error(content):
    edit(content / "bszn/g1.md", "promised_limit: 10", "promised_limit: 20")
    assert ("content/bszn/g1.md:15: 错误: promised_limit（承诺时限（工作日））: 承诺时限 20 个工作日不能超过法定时限 15 个工作日"
            in errors(content))


def test_immediate_service_must_promise_zero_days(content):
    edit(content / "bszn/g1.md", "kind: 承诺件", "kind: 即办件")
    assert ("content/bszn/g1.md:15: 错误: promised_limit（承诺时限（工作日））: 即办件的承诺时限应为 0（当场办结）"
            in errors(content))


def test_missing_key_element_and_malformed_phone_are_errors(content):
    edit(content / "bszn/g1.md", "process: [受理, 审核, 发证]\n", "")
    edit(content / "bszn/g1.md", "phone: 0851-00000002", "phone: 8888")
    errs = errors(content)
    assert "content/bszn/g1.md:2: 错误: process（办理流程）: 必填字段，不能缺少" in errs
    assert "content/bszn/g1.md:11: 错误: phone（联系电话）: “8888”不是有效的电话号码（固定电话写成 0851-12345678）" in errs


def test_guide_not_reviewed_for_a_year_warns(content):
    edit(content / "bszn/g1.md", "reviewed: 2026-06-01", "reviewed: 2025-06-01")
    assert ("content/bszn/g1.md:21: 警告: reviewed（审核日期）: 指南已超过 12 个月未核对（上次 2025-06-01），请核对后更新日期"
            in warnings(content))


# --- 6. notices ----------------------------------------------------------------------------

def test_public_notice_without_objection_channel_is_an_error(content):
    edit(content / "tzgg/2026/n1.md", "objection: 电话 0851-00000002\n", "")
    assert ("content/tzgg/2026/n1.md:5: 错误: objection（异议渠道）: 公示类必须写明异议渠道（电话、地址或信箱）"
            in errors(content))


def test_time_bound_notice_without_end_date_warns(content):
    edit(content / "tzgg/2026/n1.md", "kind: 公示", "kind: 通知")
    assert ("content/tzgg/2026/n1.md:5: 警告: valid_until（有效期至）: “通知”类通常有时效，请写明有效期至，过期后会自动标注"
            in warnings(content))


# --- 7. column freshness --------------------------------------------------------------------

def test_five_empty_columns_fail_a_real_site(content):
    real_site(content)
    assert not any("空白栏目" in e for e in errors(content))       # 3 empty columns: warnings only
    for rel in ("zcjd/j1.md", "pyjg/e1.md", "sqdf/a1.md"):
        (content / rel).unlink()
    assert ("content/columns.yaml:2: 错误: columns（栏目）: 6 个栏目为空白栏目，达到政府网站检查的单项否决标准（5 个）"
            in errors(content))
    assert any("栏目“工作动态”没有任何内容（空白栏目）" in w for w in warnings(content))


def test_stale_column_warns_with_its_line(content):
    assert ("content/columns.yaml:6: 警告: max_age（更新周期（天））: 栏目“政策文件”已 323 天未更新（要求 180 天内）"
            in warnings(content))


# --- 8. appeals ------------------------------------------------------------------------------

def test_appeal_open_over_three_months_fails_a_real_site(content):
    real_site(content)
    edit(content / "sqdf/a1.md", "status: 已办结\nreplied: 2026-05-05\n", "status: 办理中\n")
    assert ("content/sqdf/a1.md:7: 错误: status（办理状态）: 诉求受理于 2026-05-01，超过 3 个月仍未办结"
            in errors(content))


def test_reply_before_receipt_is_an_error(content):
    edit(content / "sqdf/a1.md", "replied: 2026-05-05", "replied: 2026-04-05")
    assert "content/sqdf/a1.md:8: 错误: replied（答复日期）: 答复日期早于受理日期" in errors(content)


# --- 9. evaluations --------------------------------------------------------------------------

def test_votes_beyond_attendees_and_typed_rates_are_errors(content):
    edit(content / "pyjg/e1.md", "votes: {满意: 50, 基本满意: 5, 不满意: 3}",
         "votes: {满意: 50, 基本满意: 5, 不满意: 13}\n    rate: 95%")
    errs = errors(content)
    assert "content/pyjg/e1.md:11: 错误: subjects[1].votes（评议票数）: 票数合计 68 超过参会人数 60" in errs
    assert ("content/pyjg/e1.md:12: 错误: subjects[1].rate（满意率）: 满意率由系统根据票数计算为 80.88%，请删除此字段或改正"
            in errs)


def test_rate_is_computed_with_two_decimals_half_up(content, tmp_path):
    assert pipeline.build(Path("content"), tmp_path / "site", TODAY).ok
    page = (tmp_path / "site/hdjl/pyjg/e1/index.html").read_text(encoding="utf-8")
    assert "94.83 %" in page          # (50 + 5) / 58 = 94.827…


# --- 10. personal data -------------------------------------------------------------------------

def test_privacy_numbers_are_validated_before_they_count():
    assert id_checksum_ok("11010519491231002X") and not id_checksum_ok("110105194912310021")
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert mask("11010519491231002X") == "110***********002X"
    found = scan("索引号 000000000/2026-00014，凭证号 2026-03-001\n电话 13912345678\n",
                 public_phones=["0851-00000001"])
    assert [(f.line, f.kind, f.masked) for f in found] == [(2, "手机号码", "139****5678")]


def test_id_number_in_a_body_is_an_error_with_the_number_masked(content):
    p = content / "tzgg/2026/n1.md"
    p.write_text(p.read_text(encoding="utf-8") + "\n申请人身份证号 11010519491231002X。\n", encoding="utf-8")
    errs = errors(content)
    assert len(errs) == 1 and errs[0].startswith("content/tzgg/2026/n1.md:18: 错误: 含有身份证号 110***********002X")
    assert "11010519491231002X" not in "\n".join(lines(content))


def test_mobile_in_a_csv_is_an_error_unless_declared_public(content):
    csv = content / "disclosure/aa/cw-szmx/2026-03.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("会计,2026-03-002", "会计 13912345678,2026-03-002"),
                   encoding="utf-8")
    assert errors(content)[0].startswith("content/disclosure/aa/cw-szmx/2026-03.csv:3: 错误: 含有手机号码 139****5678")
    edit(content / "site.yaml", "public_phones:\n", "public_phones:\n  - \"13912345678\"\n")
    assert errors(content) == []


def luhn_complete(prefix: str) -> str:
    """The Luhn-valid card number starting with `prefix` (one check digit appended)."""
    return next(prefix + str(d) for d in range(10) if luhn_ok(prefix + str(d)))


def test_bank_card_in_an_attachment_title_is_an_error(content):
    card = luhn_complete("622202020011223344")            # 19 digits
    edit(content / "tzgg/2026/n1.md", "title: 说明", f"title: 说明 {card}")
    errs = errors(content)
    assert len(errs) == 1 and errs[0].startswith(f"content/tzgg/2026/n1.md:9: 错误: 含有银行卡号 {mask(card)}")
    assert card not in "\n".join(lines(content))


# --- 11. audience ---------------------------------------------------------------------------

def test_party_internal_items_are_counted_not_published(content, tmp_path):
    append_front(content / "tzgg/2026/n1.md", "audience: 党内")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--today", "2026-11-24"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "已跳过 1 条党内公开内容" in proc.stderr
    site = tmp_path / "site"
    assert not (site / "tzgg/2026/n1").exists()
    for p in list(site.rglob("*.html")) + list(site.rglob("*.xml")):
        assert "测试通知" not in p.read_text(encoding="utf-8"), p


# --- 12. stable URLs --------------------------------------------------------------------------

def test_disappearing_url_is_an_error_until_redirected(content, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--today", "2026-11-24"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    manifest = (content / "published-urls.txt").read_text(encoding="utf-8").splitlines()
    assert "/tzgg/2026/n1/" in manifest and not any("/page/" in u for u in manifest)
    line = manifest.index("/bszn/g1/") + 1
    (content / "bszn/g1.md").rename(content / "bszn/g2.md")
    assert f"content/published-urls.txt:{line}: 错误: 已发布的网址 /bszn/g1/ 不见了：请恢复该内容（撤回请用 withdrawn 标注，页面保留），或在 redirects.yaml 中登记迁移到的新网址" in errors(content)
    (content / "redirects.yaml").write_text("redirects:\n  - {from: /bszn/g1/, to: /bszn/g2/, reason: 事项更名}\n",
                                            encoding="utf-8")
    assert errors(content) == []
    assert pipeline.build(Path("content"), tmp_path / "site", TODAY).ok
    moved = (tmp_path / "site/bszn/g1/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=/bszn/g2/"' in moved and 'href="/bszn/g2/"' in moved


# --- the staff report --------------------------------------------------------------------------

def test_staff_report_lists_warnings_and_is_hidden_from_index(content, tmp_path):
    assert pipeline.build(Path("content"), tmp_path / "site", TODAY).ok
    site = tmp_path / "site"
    report = (site / "xxgk/jcbg/index.html").read_text(encoding="utf-8")
    assert 'name="robots" content="noindex' in report
    from markupsafe import escape
    for w in warnings(content):
        assert str(escape(w)) in report, w
    assert "栏目“工作动态”没有任何内容" in report and "公开日历执行情况" in report
    assert "/xxgk/jcbg/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="/xxgk/jcbg/"' not in (site / "index.html").read_text(encoding="utf-8")


def test_sample_passes_every_domain_check():
    result = pipeline.check(sample(), TODAY)
    assert result.problems.errors == []
