"""负责人信息 (条例第二十条) and the 信息公开指南's facts (第十二条) (issue 18): each rule on a
broken minimal tree at its line, and the pages built from content."""
from __future__ import annotations

import pytest
from sampletools import unlabelled

SITE = "content/site.yaml"
HX = "content/communities/hx.yaml"

# communities/hx.yaml lines 20-26 once appended
LEADERS = """\
leaders:
  - post: 社区党委书记
    name: 甲示例
    duties: 主持社区党委全面工作。
  - post: 社区服务中心主任
    name: 乙示例
    duties: 主持服务中心日常工作。
reading_point:
  place: 二楼政务公开专区
"""
# site.yaml lines 13-27 once appended
OFFICE = """\
disclosure_office:
  name: 测试区政务公开办
  address: 测试路1号201室
  hours: 周一至周五 9:00-17:00
  phone: 0851-00000001
  fax: 0851-00000009
  apply_url: /survey/ysqgk/
  review_body: 测试区人民政府
  court: 测试区人民法院
leaders:
  - post: 区群工委书记
    name: 丙示例
    duties: 主持全面工作。
  - post: 区群工委副书记
    duties: 分管政务公开。
"""
GUIDE_PAGE = """\
---
title: 信息公开指南
path: /xxgk/zn/
updated: 2026-01-05 09:00
---
本站公开的信息分为主动公开和依申请公开两类。
"""


@pytest.fixture
def full(tree):
    tree.write(HX.removeprefix("content/"), tree.read("communities/hx.yaml") + LEADERS)
    tree.write("site.yaml", tree.read("site.yaml") + OFFICE.replace("  - post: 区群工委副书记\n",
                                                                    "  - post: 区群工委副书记\n    name: 丁示例\n"))
    tree.write("pages/xxgk-zn.md", GUIDE_PAGE)
    return tree


def test_leaders_and_office_are_valid(full):
    assert full.errors() == []


def test_community_leaders_name_the_centre_director(full):
    full.edit("communities/hx.yaml", "    name: 乙示例\n", "")
    full.edit("communities/hx.yaml", "post: 社区服务中心主任", "post: 社区居委会主任")
    assert full.errors() == [f"{HX}:20: 错误: leaders（负责人）: 负责人信息缺少服务中心主任：请写明服务中心主任的职务和分工",
                             f"{HX}:24: 错误: leaders[2].name（姓名）: 负责人“社区居委会主任”没有写姓名：请写姓名，"
                             "或在本社区写 leader_names: false 只公开职务"]


def test_community_may_show_posts_only(full):
    full.edit("communities/hx.yaml", "    name: 乙示例\n", "")
    full.write("communities/hx.yaml", full.read("communities/hx.yaml") + "leader_names: false\n")
    assert full.errors() == []


def test_district_leader_without_name(tree):
    tree.write("site.yaml", tree.read("site.yaml") + OFFICE)
    assert tree.errors() == [f"{SITE}:26: 错误: leaders[2].name（姓名）: 负责人“区群工委副书记”没有写姓名："
                             "负责人姓名应主动公开（政府信息公开条例第二十条），请写姓名，"
                             "或在 site.yaml 写 leader_names: false 只公开职务"]


def test_site_may_show_posts_only(tree):
    tree.write("site.yaml", tree.read("site.yaml") + OFFICE + "leader_names: false\n")
    assert tree.errors() == []


def test_disclosure_office_names_its_fax(tree):
    tree.write("site.yaml", tree.read("site.yaml") + OFFICE.replace("  fax: 0851-00000009\n", "")
               .replace("    duties: 分管政务公开。\n", "    name: 丁示例\n    duties: 分管政务公开。\n"))
    assert tree.errors() == [f"{SITE}:13: 错误: disclosure_office.fax（传真）: 必填字段，不能缺少"]


def test_pages_show_leaders_guide_and_reading_points(full):
    out = full.base / "site"
    done = full.cli("build", "--content", "content", "--out", str(out), "--today", "2026-04-06")
    assert done.returncode == 0, done.stdout + done.stderr
    fzr = unlabelled((out / "xxgk/fzr/index.html").read_text(encoding="utf-8"))
    assert "<td>丙示例</td><td>区群工委书记" in fzr and "<td>甲示例</td><td>社区党委书记" in fzr
    assert "主持服务中心日常工作。" in fzr
    assert '<a href="/xxgk/fzr/">负责人信息</a>' in (out / "xxgk/index.html").read_text(encoding="utf-8")
    zn = unlabelled((out / "xxgk/zn/index.html").read_text(encoding="utf-8"))
    for fact in ("测试区政务公开办", "测试路1号201室", "传真", "0851-00000009",
                 'href="/survey/ysqgk/"', "二楼政务公开专区", "60 日内", "6 个月内", "测试区人民政府",
                 "本站公开的信息分为主动公开和依申请公开两类。"):
        assert fact in zn, fact
    sq = unlabelled((out / "sq/hx/index.html").read_text(encoding="utf-8"))
    assert "<td>甲示例</td><td>社区党委书记</td>" in sq and "二楼政务公开专区" in sq


def test_posts_only_hides_names_on_every_page(full):
    full.write("site.yaml", full.read("site.yaml") + "leader_names: false\n")
    out = full.base / "site"
    assert full.cli("build", "--content", "content", "--out", str(out), "--today", "2026-04-06").returncode == 0
    for page in ("xxgk/fzr/index.html", "sq/hx/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "甲示例" not in html and "丙示例" not in html and "只公开职务和分工" in html
