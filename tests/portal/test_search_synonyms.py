"""Search that reads queries the way residents type them: the synonyms file (validated like
every content file), how a query is cut into words, and the order of results (a guide first
for its own name, expired notices labelled and last), in 简 and 繁."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from minimal_tree import TODAY
from sampletools import copy_sample

from portal import pipeline
from portal.search import page_text
from portal.search_query import SearchIndex, Term, parse, search

SAMPLE_DAY = dt.date(2026, 11, 24)

GROUPS = [["低保", "最低生活保障"], ["医保", "医疗保险"], ["缴费", "交费"], ["高龄补贴", "高龄津贴"]]
STOP = ["怎么办", "在哪里", "的"]


def test_a_synonyms_file_with_mistakes_names_each_at_its_line_in_chinese(tree):
    tree.write("synonyms.yaml", """\
# 搜索同义词
groups:
  - [低保, 最低生活保障]
  - [老年证]
  - [医保, 医疗 保险]
  - [低保金, 低保]
  - [社保, ""]
  - [醫保卡, 社保卡]
  - [身份证, 身份证]
ignore: [怎么办, 低保, 证]
colour: red
""")
    errors = [e for e in tree.errors() if e.startswith("content/synonyms.yaml:")]
    assert errors == [
        "content/synonyms.yaml:4: 错误: groups[2]（同义词组）: 一组至少要有两个意思相同的词，只有一个词的组不起作用："
        "请补上它的另一种说法，或删去这一组",
        "content/synonyms.yaml:5: 错误: groups[3][2]（词语）: “医疗 保险”里有空格或标点：词语只能由汉字、字母和数字组成，"
        "搜索时空格和标点会把词分开",
        "content/synonyms.yaml:6: 错误: groups[4][2]（词语）: “低保”已经写在第 1 组（第 3 行）：一个词只能属于一组，"
        "意思相同的请合并成一组",
        "content/synonyms.yaml:7: 错误: groups[5][2]（词语）: 不能为空",
        "content/synonyms.yaml:8: 错误: groups[6][1]（词语）: “醫保卡”含繁体字，请写成简体“医保卡”：繁體页面的搜索会先把查询转成简体",
        "content/synonyms.yaml:9: 错误: groups[7][2]（词语）: “身份证”在这一组里写了两次，请删去一处",
        "content/synonyms.yaml:10: 错误: ignore[2]（查询时略过的词）: “低保”也写在第 1 组同义词里（第 3 行）："
        "略过的词不会被搜索，请删去其中一处",
        "content/synonyms.yaml:11: 错误: colour: 不认识的字段",
    ]
    assert not tree.check().ok


def test_a_valid_synonyms_file_goes_into_the_index_and_an_edit_to_it_rebuilds_only_the_index(tmp_path):
    content = copy_sample(tmp_path / "content")
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert pipeline.build(content, out, SAMPLE_DAY, cache=cache).ok
    index = json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    assert ["低保", "最低生活保障", "低保金", "城乡低保"] in index["syn"] and "怎么办" in index["stop"]
    pages = (out / "bszn/dibao/index.html").stat().st_mtime_ns
    syn = content / "synonyms.yaml"
    syn.write_text(syn.read_text(encoding="utf-8").replace("  - [噪音, 噪声, 扰民]\n",
                                                           "  - [噪音, 噪声, 扰民]\n  - [路灯, 街灯]\n"), encoding="utf-8")
    assert pipeline.build(content, out, SAMPLE_DAY, cache=cache).ok
    assert pipeline.build(content, tmp_path / "clean", SAMPLE_DAY).ok
    assert snapshot(out) == snapshot(tmp_path / "clean")           # byte for byte as a clean build
    assert ["路灯", "街灯"] in json.loads((out / "search/index.json").read_text(encoding="utf-8"))["syn"]
    assert (out / "bszn/dibao/index.html").stat().st_mtime_ns == pages      # no page rendered again
    assert search(out, "/", "街灯", "zh-Hans")["top"][0]["url"] == "/hdjl/sqdf/2025-ludeng/"


def test_a_site_without_a_synonyms_file_still_searches(tree):
    result = pipeline.build(Path("content"), tree.base / "site", TODAY)
    assert result.ok, result.problems.lines()
    index = json.loads((tree.base / "site/search/index.json").read_text(encoding="utf-8"))
    assert index["syn"] == [] and index["stop"] == []
    assert search(tree.base / "site", "/", "居住证明", "zh-Hans")["top"][0]["url"] == "/bszn/bz-one/"


def test_a_query_without_spaces_is_cut_into_known_words_and_filler_is_dropped():
    assert parse("怎么办低保", GROUPS, STOP) == [Term(("低保", "最低生活保障"), True)]
    assert parse("医保缴费", GROUPS, STOP) == parse("医保 缴费", GROUPS, STOP) == [
        Term(("医保", "医疗保险"), True), Term(("缴费", "交费"), True)]
    assert parse("高龄津贴", GROUPS, STOP) == [Term(("高龄津贴", "高龄补贴"), True)]     # the typed word first
    # unknown stretches give optional bigrams; a lone unknown character goes, unless it is all
    assert parse("办低保的条件", GROUPS, STOP) == [Term(("低保", "最低生活保障"), True), Term(("条件",), False)]
    assert parse("残", GROUPS, STOP) == [Term(("残",), True)]
    assert parse("在哪里", GROUPS, STOP) == [Term(("在哪里",), False)]
    assert parse("2026年 低保", GROUPS, STOP) == [Term(("2026",), False), Term(("低保", "最低生活保障"), True)]
    assert parse("醫保繳費", GROUPS, STOP, {"醫": "医", "繳": "缴", "費": "费"}) == parse("医保缴费", GROUPS, STOP)


NOTICE = """\
---
title: {title}
published: {published} 09:00
community: hx
kind: 通知
valid_until: {until}
---
{body}
"""


def test_a_guide_comes_first_for_its_own_name_and_expired_notices_are_labelled_and_last(tree):
    tree.write("synonyms.yaml", "groups:\n  - [居住证明, 居住情况证明]\n  - [缴费, 交费]\n")
    tree.write("tzgg/2026/tz-old.md", NOTICE.format(title="关于居住证明缴费的通知", published="2026-01-05",
                                                    until="2026-02-28", body="居住证明缴费到期。"))
    tree.write("tzgg/2026/tz-new.md", NOTICE.format(title="关于居住情况证明交费的通知", published="2026-03-20",
                                                    until="2026-12-31", body="居住情况证明交费。"))
    tree.write("tzgg/2026/tz-body.md", NOTICE.format(title="关于窗口调整的通知", published="2026-03-21",
                                                     until="2026-12-31", body="居住证明在1号窗口办理。"))
    assert tree.check().ok, tree.lines()
    site = tree.base / "site"
    assert pipeline.build(Path("content"), site, TODAY).ok
    found = results(site, "居住证明")
    assert found[:2] == [("/bszn/bz-one/", ""),           # the guide, titled with the very words
                         ("/tzgg/2026/tz-new/", "")]      # a notice titled with a synonym
    assert ("/tzgg/2026/tz-body/", "") in found           # a notice that only mentions it
    assert found[-1] == ("/tzgg/2026/tz-old/", "已过期")  # expired: last, whatever its title, and labelled
    both = results(site, "居住证明交费")                   # both words: the guide has no 缴费
    assert both[0] == ("/tzgg/2026/tz-new/", "") and both[-1] == ("/tzgg/2026/tz-old/", "已过期")
    assert ("/bszn/bz-one/", "") not in both
    hant = results(site, "居住證明繳費", "zh-Hant")
    assert hant[0] == ("/zh-hant/tzgg/2026/tz-new/", "") and hant[-1] == ("/zh-hant/tzgg/2026/tz-old/", "已過期")
    # what is counted, and what the search page takes its excerpt from, in both scripts
    head, body = page_text((site / "tzgg/2026/tz-old/index.html").read_text(encoding="utf-8")).split("\n")
    assert body == "居住证明缴费到期。" and "已过期" in head and "关于居住证明缴费的通知" in head
    hant_page = (site / "zh-hant/tzgg/2026/tz-old/index.html").read_text(encoding="utf-8")
    assert page_text(hant_page).split("\n")[1] == "居住證明繳費到期。"


def test_a_query_whose_required_word_nothing_holds_finds_nothing(tree):
    tree.write("synonyms.yaml", "groups:\n  - [丢了, 遗失]\n  - [身份证, 居民身份证]\n")
    site = tree.base / "site"
    assert pipeline.build(Path("content"), site, TODAY).ok
    index = SearchIndex(site)
    assert index.ranked("身份证") and not index.ranked("身份证丢了")


def results(site: Path, query: str, lang: str = "zh-Hans") -> list[tuple[str, str]]:
    """Every result of a query in order: (url, state label)."""
    index = SearchIndex(site, lang)
    return [(row[0], row[4]) for row in (index.row(h.id) for h in index.ranked(query))]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
