"""居(村)务公开 at the level of each 居委会 and 村, and finance balances with their sign-off
(issue 18): each rule on a broken minimal tree at its line, and the committee's own page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sampletools import unlabelled

from portal import pipeline

HX = "content/communities/hx.yaml"
CAT = "content/disclosure/catalogue.yaml"
REC = "disclosure/hx/cun-cwsz/hexicun/2026-03.md"
CSV = "disclosure/hx/cun-cwsz/hexicun/2026-03.csv"

# communities/hx.yaml once 河西村 is added at line 5: lines 21-26
SUBJECTS = """\
committee_subjects:
  - name: 河西村
    id: hexicun
    kind: 村
    supervisor: 河西村村务监督委员会
    finance_group: 河西村民主理财小组
"""
# catalogue.yaml lines 14-27
ITEM = """\
  - id: cun-cwsz
    domain: 财务
    name: 村级财务收支
    content: 村集体每笔收支和期初、期末余额
    basis: 《中华人民共和国村民委员会组织法》第三十条
    schedule:
      every: 每月
      within: 10
    subject: 村民委员会
    channels:
      - 门户网站
    per_committee: 村
    since: 2026-03-01
"""
RECORD = f"""\
---
title: 河西村2026年3月财务收支公开
published: 2026-04-03 09:00
reviewed_by: 河西村村民委员会主任
signed_off_by: 河西村民主理财小组
data: {CSV}
---
说明。
"""
LEDGER = """\
日期,摘要,收入,支出,经办,凭证号
,上月结余,1000.00,,,
2026-03-02,集体厂房出租租金,5000.00,,报账员,HX-2026-03-001
2026-03-16,办公用品,,320.50,报账员,HX-2026-03-002
,期末余额,5679.50,,,
"""


@pytest.fixture
def village(tree):
    tree.edit("communities/hx.yaml", "  - 河西居委会\n", "  - 河西居委会\n  - 河西村\n")
    tree.write("communities/hx.yaml", tree.read("communities/hx.yaml") + SUBJECTS)
    tree.write("disclosure/catalogue.yaml", tree.read("disclosure/catalogue.yaml") + ITEM)
    tree.write(REC, RECORD)
    tree.write(CSV, LEDGER)
    return tree


def test_village_record_is_valid_with_its_balances(village):
    result = village.check()
    assert [p.format() for p in result.problems.sorted() if p.is_error] == []
    ledger = result.site.ledgers["disclosure/hx/cun-cwsz/hexicun/2026-03"]
    assert (str(ledger.opening), str(ledger.closing), str(ledger.stated_closing)) == ("1000.00", "5679.50", "5679.50")
    slot = next(s for s in result.site.schedule if s.item.id == "cun-cwsz")
    assert (slot.community, slot.committee, slot.committee_name, slot.state) == ("hx", "hexicun", "河西村", "published")


# --- the subjects a community declares -----------------------------------------------------

def test_subject_must_be_one_of_the_committees(village):
    village.edit("communities/hx.yaml", "  - name: 河西村\n", "  - name: 河东村\n")
    assert f"{HX}:22: 错误: committee_subjects[1].name（名称）: “河东村”不在本社区的居委会/村（committees）中：" \
           "河西居委会、河西村" in village.errors()


def test_subject_kind_follows_its_name(village):
    village.edit("communities/hx.yaml", "    kind: 村\n", "    kind: 居委会\n")
    assert f"{HX}:24: 错误: committee_subjects[1].kind（类别）: “河西村”的类别应为 村" in village.errors()


def test_subject_id_is_a_folder_name(village):
    village.edit("communities/hx.yaml", "    id: hexicun\n", "    id: 河西村\n")
    assert f"{HX}:23: 错误: committee_subjects[1].id（编号）: 编号只能用小写字母、数字和连字符，如 jinzhucun，" \
           "而不是“河西村”" in village.errors()


def test_every_village_of_a_per_village_item_is_declared(village):
    village.write("communities/hx.yaml", village.read("communities/hx.yaml").replace(SUBJECTS, ""))
    assert f"{HX}:3: 错误: committees（居委会/村）: 公开目录中“村级财务收支”按村公开，但河西村没有在 " \
           "committee_subjects 中写明编号和监督机构" in village.errors()


# --- where a committee's records live -------------------------------------------------------

def test_per_committee_record_in_the_community_folder_is_refused(village):
    village.write("disclosure/hx/cun-cwsz/2026-03.md", RECORD.replace("data: " + CSV + "\n", ""))
    assert "content/disclosure/hx/cun-cwsz/2026-03.md:1: 错误: 事项 cun-cwsz 按村公开，记录应放在 " \
           "disclosure/hx/cun-cwsz/<居委会或村编号>/<期间>.md" in village.errors()


def test_unknown_committee_folder_is_refused(village):
    village.write("disclosure/hx/cun-cwsz/hedong/2026-03.md", RECORD.replace("data: " + CSV + "\n", ""))
    assert "content/disclosure/hx/cun-cwsz/hedong/2026-03.md:1: 错误: “hedong”不是本社区居委会或村的编号，" \
           "可用的编号：hexicun" in village.errors()


def test_community_item_record_in_a_committee_folder_is_refused(village):
    village.write("disclosure/hx/cw-szmx/hexicun/2026-03.md", RECORD.replace("data: " + CSV + "\n", ""))
    assert "content/disclosure/hx/cw-szmx/hexicun/2026-03.md:1: 错误: 事项 cw-szmx 由社区公开，记录应放在 " \
           "disclosure/hx/cw-szmx/<期间>.md" in village.errors()


def test_missing_village_record_is_overdue_with_its_folder(village):
    (village.root / REC).unlink()
    (village.root / CSV).unlink()
    lines = pipeline.check(Path("content"), dt.date(2026, 4, 20)).problems.lines()
    assert f"{CAT}:19: 错误: schedule（公开时限）: 河西社区河西村“村级财务收支”2026年3月应于 2026-04-15 前公开，" \
           "至今未公开（应建 disclosure/hx/cun-cwsz/hexicun/2026-03.md）" in lines


# --- balances and sign-off -------------------------------------------------------------------

def test_closing_balance_must_add_up(village):
    village.edit(CSV, ",期末余额,5679.50,,,", ",期末余额,5697.50,,,")
    assert village.errors() == [f"content/{CSV}:5: 错误: 收入: 期末余额应为 期初余额 1,000.00 + 收入 5,000.00 − "
                                "支出 320.50 = 5,679.50，表中写的是 5,697.50，请核对"]


def test_closing_balance_needs_an_opening_balance(village):
    village.edit(CSV, ",上月结余,1000.00,,,\n", "")
    errors = village.errors()
    assert f"content/{CSV}:4: 错误: 摘要: 写了期末余额，就要在明细第一行写期初余额（上月结余）行，才能核对" in errors


def test_village_finance_states_its_opening_balance(village):
    village.write(CSV, LEDGER.replace(",上月结余,1000.00,,,\n", "").replace(",期末余额,5679.50,,,\n", ""))
    assert village.errors() == [f"content/{REC}:6: 错误: data（财务明细）: 村（居）财务公开应写明期初余额："
                                "在明细表头下第一行写“上月结余”及金额，可在最后一行写“期末余额”"]


def test_village_finance_is_signed_off_by_its_finance_group(village):
    village.edit(REC, "signed_off_by: 河西村民主理财小组\n", "")
    assert village.errors() == [f"content/{REC}:4: 错误: signed_off_by（监督审核）: 河西村的财务公开须经河西村民主理财小组"
                                "审核签字：请写 signed_off_by: 河西村民主理财小组"]


def test_sign_off_is_by_a_supervisory_body(village):
    village.edit(REC, "signed_off_by: 河西村民主理财小组", "signed_off_by: 社区党委书记")
    assert village.errors() == [f"content/{REC}:5: 错误: signed_off_by（监督审核）: 财务公开应由民主理财小组或"
                                "居（村）务监督委员会审核签字，而不是“社区党委书记”"]


def test_sign_off_is_by_the_villages_own_body(village):
    village.edit(REC, "signed_off_by: 河西村民主理财小组", "signed_off_by: 河东村民主理财小组")
    assert village.errors() == [f"content/{REC}:5: 错误: signed_off_by（监督审核）: 河西村的财务公开应由"
                                "河西村村务监督委员会或河西村民主理财小组审核签字，而不是“河东村民主理财小组”"]


def test_opening_balance_carries_the_last_months_closing(village):
    village.write("disclosure/hx/cun-cwsz/hexicun/2026-04.md", RECORD.replace("2026年3月", "2026年4月")
                  .replace("2026-04-03 09:00", "2026-04-05 09:00").replace("2026-03.csv", "2026-04.csv"))
    village.write("disclosure/hx/cun-cwsz/hexicun/2026-04.csv",
                  "日期,摘要,收入,支出,经办,凭证号\n,上月结余,5600.00,,,\n2026-04-01,租金,100.00,,报账员,HX-2026-04-001\n")
    assert village.errors() == ["content/disclosure/hx/cun-cwsz/hexicun/2026-04.csv:2: 错误: 上月结余 5,600.00 与"
                                f"2026年3月的期末余额 5,679.50 不一致（content/{REC}），请核对"]


def test_committee_page_shows_its_calendar_and_balances(village):
    out = village.base / "site"
    done = village.cli("build", "--content", "content", "--out", str(out), "--today", "2026-04-06")
    assert done.returncode == 0, done.stdout + done.stderr
    page = unlabelled((out / "sq/hx/hexicun/index.html").read_text(encoding="utf-8"))
    assert "<h1>河西村</h1>" in page and "河西村村务监督委员会" in page and "河西村民主理财小组" in page
    assert 'href="/cwgk/hx/cun-cwsz/hexicun/2026-03/">河西村2026年3月财务收支公开</a>' in page
    assert "已按时公开" in page
    community = (out / "sq/hx/index.html").read_text(encoding="utf-8")
    assert '<a href="/sq/hx/hexicun/">河西村</a>' in community
    record = unlabelled((out / "cwgk/hx/cun-cwsz/hexicun/2026-03/index.html").read_text(encoding="utf-8"))
    assert "<th scope=\"row\">监督审核</th><td>河西村民主理财小组</td>" in record
    assert "<th scope=\"row\" colspan=\"2\">期末余额</th><td class=\"num\">5,679.50</td>" in record
    csv = (out / "data" / CSV).read_text(encoding="utf-8-sig")
    assert ",期末余额,5679.50" in csv


def test_village_finance_is_published_at_least_every_six_months(village):
    village.edit("disclosure/catalogue.yaml", "      every: 每月\n      within: 10\n    subject: 村民委员会",
                 "      every: 每年\n      within: 10\n    subject: 村民委员会")
    assert f"{CAT}:19: 错误: schedule（公开时限）: 村务公开中涉及财务的事项至少每六个月公布一次（村民委员会组织法第三十条），" \
           "不能每年公开" in village.errors()


def test_village_ordinary_items_are_published_at_least_quarterly(village):
    village.edit("disclosure/catalogue.yaml", "    domain: 财务\n    name: 村级财务收支", "    domain: 居务\n    name: 村级财务收支")
    village.edit("disclosure/catalogue.yaml", "      every: 每月\n      within: 10\n    subject: 村民委员会",
                 "      every: 每半年\n      within: 10\n    subject: 村民委员会")
    assert f"{CAT}:19: 错误: schedule（公开时限）: 村务公开的一般事项至少每季度公布一次（村民委员会组织法第三十条），" \
           "不能每半年公开" in village.errors()
