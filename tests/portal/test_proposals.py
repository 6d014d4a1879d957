"""议事会提案 (issue 17): the 三会一评 chain as content. One broken tree per rule (file:line and
the Chinese message), the page that shows the chain, the community's counts by state, and
`build.py new 提案`."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from minimal_tree import TODAY

from portal import pipeline

P = "yishi/2026/ludeng.md"
PATH = f"content/{P}"


def meeting(stem: str, meeting: str, held: str, community: str = "hx") -> tuple[str, str]:
    return f"pyjg/{stem}.md", f"""\
---
title: 河西社区{meeting}（{held[:10]}）
published: {held[:10]} 18:00
community: {community}
meeting: {meeting}
held: {held}
place: 河西社区服务中心会议室
attendees: 20
---
会议情况。
"""


MEETINGS = [meeting("shouji", "群众意见收集会", "2026-03-02 14:30"),
            meeting("tingzheng", "听证会", "2026-03-09 14:30"),
            meeting("xietiao", "协调会", "2026-03-12 10:00"),
            meeting("yishi", "议事决策会", "2026-03-16 15:00"),
            meeting("shuzhi", "述职评议会", "2026-04-02 14:30")]

# Line numbers below are asserted by the tests: keep one key per line.
PROPOSAL = """\
---
title: 关于增设河西路路灯的提议
published: 2026-04-03 10:00
community: hx
raised_by: 河西居委会第一居民小组
raised: 2026-03-02
raised_at: shouji
subject: 河西路夜间照明不足，建议增设路灯。
hearing:
  date: 2026-03-09
  record: tingzheng
  note: 居民赞成。
coordination:
  date: 2026-03-12
  record: xietiao
decision:
  date: 2026-03-16
  record: yishi
  result: 通过
  text: 同意增设路灯8盏。
implementation:
  by: 河西社区服务中心
  started: 2026-03-20
  finished: 2026-03-31
evaluated_in: shuzhi
state: 已办结
---
路灯已于3月31日亮灯。
"""
# Line numbers of the keys above.
L_RAISED, L_RAISED_AT, L_HEARING_DATE, L_HEARING_RECORD = 6, 7, 10, 11
L_DECISION_DATE, L_DECISION_RESULT, L_IMPLEMENTATION, L_FINISHED, L_EVALUATED, L_STATE = 17, 19, 21, 24, 25, 26


@pytest.fixture
def chain_tree(tree):
    for rel, text in MEETINGS:
        tree.write(rel, text)
    tree.write(P, PROPOSAL)
    return tree


def errors_in(tree, path: str = PATH) -> list[str]:
    return [e for e in tree.errors() if e.startswith(path)]


def test_a_whole_chain_checks_clean(chain_tree):
    assert chain_tree.errors() == []


def test_a_step_before_the_one_it_follows_is_an_error_at_its_line(chain_tree):
    chain_tree.edit(P, "  date: 2026-03-09\n", "  date: 2026-03-01\n")
    chain_tree.write(*meeting("tingzheng", "听证会", "2026-03-01 14:30"))
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_HEARING_DATE}: 错误: hearing.date（听证日期）: 听证日期 2026-03-01，早于提出日期 2026-03-02："
        "顺序应为 提出 → 听证 → 协调 → 决议 → 实施 → 评议"]


def test_a_review_meeting_before_the_decision_is_an_error(chain_tree):
    chain_tree.write(*meeting("shuzhi", "述职评议会", "2026-03-14 14:30"))
    chain_tree.edit(P, "  finished: 2026-03-31\n", "")
    chain_tree.edit(P, "  started: 2026-03-20\n", "  started: 2026-03-13\n")   # out of order too
    chain_tree.edit(P, "state: 已办结", "state: 实施中")
    found = errors_in(chain_tree)
    assert any(f"{PATH}:{L_EVALUATED - 1}: 错误: evaluated_in（评议会议）: 评议会议“河西社区述职评议会（2026-03-14）”"
               "召开于 2026-03-14，早于" in e for e in found), found
    assert any(f"{PATH}:23: 错误: implementation.started（开始实施日期）: 开始实施日期 2026-03-13，早于决议日期 2026-03-16："
               in e for e in found), found


def test_a_link_to_a_missing_record_is_an_error(chain_tree):
    chain_tree.edit(P, "  record: tingzheng\n", "  record: tingzhenghui\n")
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_HEARING_RECORD}: 错误: hearing.record（听证会记录）: 找不到编号为“tingzhenghui”的评议结果"]


def test_a_link_to_the_wrong_kind_of_meeting_is_an_error(chain_tree):
    chain_tree.edit(P, "evaluated_in: shuzhi\n", "evaluated_in: yishi\n")
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_EVALUATED}: 错误: evaluated_in（评议会议）: “河西社区议事决策会（2026-03-16）”是议事决策会的记录，"
        "这里应链接述职评议会的记录"]


def test_a_link_to_another_communitys_meeting_is_an_error(chain_tree):
    chain_tree.write("communities/hd.yaml", chain_tree.read("communities/hx.yaml").replace("河西", "河东"))
    chain_tree.write(*meeting("shouji", "群众意见收集会", "2026-03-02 14:30", community="hd"))
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_RAISED_AT}: 错误: raised_at（收集会议）: “河西社区群众意见收集会（2026-03-02）”是其他社区（hd）的会议，"
        "不是本提案所属社区的"]


def test_a_step_date_that_differs_from_its_meeting_is_an_error(chain_tree):
    chain_tree.edit(P, "  date: 2026-03-16\n", "  date: 2026-03-17\n")
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_DECISION_DATE}: 错误: decision.date（决议日期）: 决议日期 2026-03-17 与会议记录"
        "“河西社区议事决策会（2026-03-16）”的召开日期 2026-03-16 不一致"]


def test_the_state_must_be_the_one_the_steps_show(chain_tree):
    chain_tree.edit(P, "state: 已办结", "state: 已决议")
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_STATE}: 错误: state（办理状态）: 办理状态写的是“已决议”，但按已填写的环节应为“已办结”：已写办结日期"]


def test_a_rejected_proposal_cannot_be_implemented(chain_tree):
    chain_tree.edit(P, "  result: 通过\n", "  result: 未通过\n")
    chain_tree.edit(P, "state: 已办结", "state: 未通过")
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_IMPLEMENTATION}: 错误: implementation（实施）: 表决未通过的提案不能有实施环节："
        "请删去实施，或把表决结果改为“通过”"]


def test_a_step_in_the_future_is_an_error_on_a_real_site(chain_tree):
    chain_tree.edit(P, "  finished: 2026-03-31\n", "  finished: 2026-04-30\n")
    assert errors_in(chain_tree) == [
        f"{PATH}:{L_FINISHED}: 错误: implementation.finished（办结日期）: 办结日期 2026-04-30 还没有到："
        "尚未进行的环节请等办理后再填写"]


@pytest.mark.parametrize("who", ["张三明", "张*明", "李四等5人"])
def test_the_proposer_is_a_group_not_a_persons_name(chain_tree, who):
    chain_tree.edit(P, "raised_by: 河西居委会第一居民小组\n", f"raised_by: {who}\n")
    assert errors_in(chain_tree) == [
        f"{PATH}:5: 错误: raised_by（提议人）: “{who}”像是个人姓名：提议人写居民小组、“居民代表N人联名”或驻区单位，不写个人姓名"]


def test_a_proposal_needs_a_community_and_its_required_fields(tree):
    tree.write(P, "---\ntitle: 提议\npublished: 2026-04-03 10:00\ncommunity: district\nstate: 已提出\n---\n")
    found = errors_in(tree)
    assert f"{PATH}:4: 错误: community（所属社区）: 找不到编号为“district”的社区" in found
    assert f"{PATH}:2: 错误: raised_by（提议人）: 必填字段，不能缺少" in found
    assert f"{PATH}:2: 错误: subject（提议事项）: 必填字段，不能缺少" in found


# --- pages ------------------------------------------------------------------------------------

@pytest.fixture
def built(chain_tree, tmp_path) -> Path:
    chain_tree.write("yishi/2026/tingche.md", """\
---
title: 关于将广场改建为停车场的提议
published: 2026-03-17 10:00
community: hx
raised_by: 驻区单位代表3人联名
raised: 2026-03-02
subject: 建议将广场改建为停车场。
decision:
  date: 2026-03-16
  result: 未通过
state: 未通过
---
""")
    out = tmp_path / "site"
    result = pipeline.build(Path("content"), out, TODAY)
    assert result.ok, result.problems.lines()
    return out


def text_of(out: Path, url: str) -> str:
    html = (out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_proposal_page_shows_its_chain_with_dates_and_links(built):
    html = (built / "hdjl/yishi/ludeng/index.html").read_text(encoding="utf-8")
    text = text_of(built, "/hdjl/yishi/ludeng/")
    steps = re.findall(r"<li class=\"step-(done|todo)\">\s*<strong>(\S+)</strong>", html)
    assert steps == [("done", n) for n in ("提出", "听证", "协调", "决议", "实施", "评议")]
    for day in ("2026年3月2日", "2026年3月9日", "2026年3月12日", "2026年3月16日", "2026年3月20日",
                "2026年3月31日", "2026年4月2日"):
        assert day in text
    for stem in ("shouji", "tingzheng", "xietiao", "yishi", "shuzhi"):
        assert f'href="/hdjl/pyjg/{stem}/"' in html
    assert "提议人 河西居委会第一居民小组" in text and "办理状态 已办结" in text
    assert "表决结果：通过" in text and "承办：河西社区服务中心" in text


def test_each_meeting_record_links_back_to_the_proposals_it_handled(built):
    """三会一评 both ways: the 听证会 and the 述职评议会 pages name the proposals and their step."""
    hearing = text_of(built, "/hdjl/pyjg/tingzheng/")
    assert "本次会议办理的议事会提案" in hearing and "关于增设河西路路灯的提议 （听证；已办结）" in hearing
    assert "关于增设河西路路灯的提议 （评议；已办结）" in text_of(built, "/hdjl/pyjg/shuzhi/")
    assert 'href="/hdjl/yishi/ludeng/"' in (built / "hdjl/pyjg/tingzheng/index.html").read_text(encoding="utf-8")


def test_a_rejected_proposal_shows_where_its_chain_ended(built):
    text = text_of(built, "/hdjl/yishi/tingche/")
    assert "表决结果：未通过" in text and "表决未通过，不实施" in text
    assert "听证 ：尚未进行" in text


def test_the_list_and_the_community_page_count_proposals_by_state(built):
    listing = text_of(built, "/hdjl/yishi/")
    assert "河西社区 0 0 0 0 1 1 2" in listing      # 已提出 … 已办结 未通过 合计
    assert "关于增设河西路路灯的提议 已办结" in listing
    community = text_of(built, "/sq/hx/")
    assert "本社区收录议事会提案 2 件：已办结 1 件，未通过 1 件。" in community   # a real site: no 示例数据 label
    assert "/hdjl/yishi/ludeng/" in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_a_declared_district_total_is_shown_as_declared(chain_tree, tmp_path):
    chain_tree.edit("site.yaml", "per_page: 20\n",
                    "per_page: 20\ncouncil_total:\n  period: 两年来\n  count: 240余件\n  source: 区工作总结\n")
    out = tmp_path / "site"
    assert pipeline.build(Path("content"), out, TODAY).ok
    assert "全区两年来通过议事会议定并解决的问题 240余件（区工作总结）" in text_of(out, "/hdjl/yishi/")
    assert "全区两年来通过议事会议定并解决的问题 240余件" in text_of(out, "/sq/hx/")


def test_new_proposal_scaffolds_a_draft_in_this_years_folder(tree):
    proc = tree.cli("new", "提案", "关于增设河西路路灯的提议", "--community", "hx")
    assert proc.returncode == 0, proc.stderr
    made = sorted((tree.root / "yishi").rglob("*.md"))
    assert len(made) == 1 and made[0].parent.name.isdigit()
    text = made[0].read_text(encoding="utf-8")
    assert "community: hx" in text and "state: 已提出" in text and "# hearing:" in text
