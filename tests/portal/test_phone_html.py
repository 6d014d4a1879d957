"""portal.phone_html: table cells labelled with their column for the phone layout, and phone
numbers made tap-to-call, on the rendered HTML of any page (templates and Markdown alike)."""
from __future__ import annotations

import datetime as dt
import re

from sampletools import sample

from portal import pipeline
from portal.phone_html import for_phones, label_cells, tel_links


def test_every_body_cell_gets_its_columns_header_and_the_table_is_marked_for_stacking():
    html = ('<table class="ledger"><caption>收支</caption><thead><tr><th scope="col">日期</th>'
            '<th scope="col" class="num">收入<span class="x">（元）</span></th></tr></thead>'
            '<tbody><tr><td>10月3日</td><td class="num">1.00</td></tr></tbody></table>')
    out = label_cells(html)
    assert '<table class="ledger stack">' in out
    assert '<td data-label="日期">10月3日</td>' in out
    assert '<td class="num" data-label="收入（元）">1.00</td>' in out
    assert "<caption>收支</caption>" in out


def test_a_cell_spanning_columns_moves_the_later_cells_along_and_keeps_no_label():
    html = ('<table><thead><tr><th>日期</th><th>摘要</th><th>收入</th><th>支出</th></tr></thead>'
            '<tfoot><tr><th colspan="2">合计</th><td>5</td><td>6</td></tr></tfoot></table>')
    out = label_cells(html)
    assert '<th colspan="2">合计</th>' in out
    assert '<td data-label="收入">5</td><td data-label="支出">6</td>' in out


def test_tables_without_a_header_row_or_with_row_spans_are_left_as_they_are():
    plain = '<table class="meta"><tr><th>地址</th><td>路1号</td></tr></table>'
    spans = '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td rowspan="2">1</td><td>2</td></tr></tbody></table>'
    assert label_cells(plain) == plain
    assert label_cells(spans) == spans


def test_header_text_with_quotes_is_a_safe_attribute():
    out = label_cells('<table><thead><tr><th>"说明"</th></tr></thead><tbody><tr><td>x</td></tr></tbody></table>')
    assert 'data-label="&quot;说明&quot;"' in out


def test_phone_numbers_in_the_main_text_become_tel_links_but_not_inside_links_scripts_or_attributes():
    html = ('<header>0851-00000009</header><main><p>咨询电话：0851-00000001，手机 13800000000，'
            '热线 12345。</p><p><a href="tel:0851-00000002">0851-00000002</a></p>'
            '<p title="0851-00000003">金额 123456.00、编号 20260851-00000004</p>'
            '<script>var a = "0851-00000005";</script><table><tr><td>0851-00000006</td></tr></table></main>')
    out = tel_links(html)
    assert '<a href="tel:085100000001">0851-00000001</a>' in out
    assert '<a href="tel:13800000000">13800000000</a>' in out
    assert '<a href="tel:12345">12345</a>' in out
    assert '<a href="tel:085100000006">0851-00000006</a>' in out          # tables too
    assert out.count("tel:") == 5                                          # the link already there stays one
    assert '<header>0851-00000009</header>' in out                         # outside main: left to the template
    assert 'title="0851-00000003"' in out and "123456.00" in out and "20260851-00000004" in out
    assert 'var a = "0851-00000005";' in out


def test_phone_numbers_are_linked_by_the_element_they_are_in_not_by_tags_that_merely_look_alike():
    html = ('<main><pre><code>0851-00000001</code> 0851-00000002</pre>'       # code and pre: never
            '<abbr title="x">0851-00000003</abbr>'                             # abbr is not a
            '<A HREF="/x">0851-00000004</A><svg viewBox="0 0 1 1"/>0851-00000005'   # upper case; self-closing
            '<a href="/y"><b>0851-00000006</b></a></a>13800000007</main>')    # a stray end tag closes nothing
    out = tel_links(html)
    for number in ("0851-00000003", "0851-00000005", "13800000007"):
        assert f'<a href="tel:{number.replace("-", "")}">{number}</a>' in out
    assert out.count("tel:") == 3


def test_a_built_guide_has_its_materials_labelled_and_its_phone_numbers_tap_to_call(tmp_path):
    result = pipeline.build(sample(), tmp_path / "site", dt.date(2026, 11, 24))
    assert result.ok
    guide = (tmp_path / "site/bszn/dibao/index.html").read_text(encoding="utf-8")
    assert re.search(r'<td data-label="形式">[^<]+</td>', guide)
    assert re.search(r'<a href="tel:0851\d+">0851-\d+</a>', guide)
    hant = (tmp_path / "site/zh-hant/bszn/dibao/index.html").read_text(encoding="utf-8")
    assert 'data-label="形式"' in hant and 'class="stack"' in hant
    assert for_phones(guide) == guide                 # applying it again changes nothing
