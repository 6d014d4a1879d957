"""The 编辑指南 pages (/xxgk/jcbg/bjzn/ and a page per type below it, portal.staff_guide): every content type with its fields
from the schema and a complete example. The examples are a small site of their own that must
check without a single problem, and the page shows exactly those files: the guide cannot
drift from the schema."""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil

from portal import pipeline, schema, staff_guide

EXAMPLES_DAY = dt.date(2026, 4, 10)      # the examples' dates are around this day


def test_the_examples_form_a_site_that_checks_without_a_problem(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(staff_guide.EXAMPLES, content)
    result = pipeline.check(content, EXAMPLES_DAY)
    assert result.problems.lines() == []
    site = result.site
    assert {i.type for i in site.items.values()} >= {
        "notice", "news", "policy", "interpretation", "guide", "disclosure", "evaluation", "appeal", "page"}
    assert list(site.communities) == ["hexi"]
    assert list(site.surveys) == ["hexi-myd-2026"]
    assert {q.type for q in site.surveys["hexi-myd-2026"].questions} == set(schema.QUESTION_TYPES)
    meetings = {i.meeting for i in site.by_type["evaluation"]}
    assert "述职评议会" in meetings and len(meetings) > 1      # 三会一评: the votes and a meeting's decisions


def test_every_content_type_has_a_section_with_all_its_fields():
    sections = {s.anchor: s for s in staff_guide.sections()}
    assert set(sections) == {t.name for t in schema.ALL_TYPES}
    for ctype in schema.ALL_TYPES:
        keys = {r.key for r in sections[ctype.name].rows}
        assert {f.key for f in ctype.fields} <= keys
        required = {r.key for r in sections[ctype.name].rows if r.required == "必填"}
        assert {f.key for f in ctype.fields if f.required} <= required
    enum_rows = {r.key: r.choices for r in sections["appeal"].rows}
    assert enum_rows["status"] == "办理中、已办结"


def test_every_type_but_published_results_has_an_example_with_its_required_fields():
    for s in staff_guide.sections():
        if s.anchor == "result":            # written by `flask --app survey publish`, never by hand
            assert not s.examples and "publish" in s.note
            continue
        assert s.examples, f"no example for {s.label}"
        ctype = schema.BY_NAME[s.anchor]
        text = s.examples[0].text
        for f in ctype.fields:
            if f.required:
                assert re.search(rf"^(  - )?{f.key}:", text, re.M), f"{s.label} example lacks {f.key}"


def test_guide_pages_are_built_for_staff_but_not_listed_or_recorded(tree, tmp_path):
    out = tmp_path / "site"
    proc = tree.cli("build", "--content", "content", "--out", str(out), "--today", "2026-04-06")
    assert proc.returncode == 0, proc.stderr
    first = (out / "xxgk/jcbg/bjzn/index.html").read_text(encoding="utf-8")
    assert re.search(r"<code>hx</code></td>\s*<td[^>]*>河西社区</td>", first)     # this site's own ids
    shown, sitemap = [], (out / "sitemap.xml").read_text(encoding="utf-8")
    for s in staff_guide.sections():              # one page per content type, each linked from the first
        assert f'<a href="{s.page}">{s.label}</a>' in first
        page = (out / s.page.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert f"<h1>编辑指南：{s.label}</h1>" in page
        assert set(re.findall(r"<td[^>]*><code>([^<]*)</code></td>", page)) >= {r.key for r in s.rows}
        assert s.page not in sitemap
        shown += [html.unescape(t) for t in re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)]
    for shown_page in (first, page):
        assert '<meta name="robots" content="noindex, nofollow">' in shown_page
    assert staff_guide.URL not in sitemap
    assert staff_guide.URL not in tree.read("published-urls.txt")
    assert f'href="{staff_guide.URL}"' in (out / "xxgk/jcbg/index.html").read_text(encoding="utf-8")
    assert sorted(shown) == sorted(staff_guide.examples().values())   # the pages show the checked files
    assert max(len(p.read_bytes()) for p in (out / "xxgk/jcbg/bjzn").rglob("index.html")) < 60_000


def test_guide_url_is_reserved_for_the_builder():
    from portal.urls import reserved
    assert reserved(staff_guide.URL)
