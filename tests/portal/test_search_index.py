"""The portal's own search index (portal.search, portal.search_index): tokens, stable ids,
shards a small change leaves alone, and the files the search page reads."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from portal import search, search_index

TEXTS: dict[str, str] = {}


def doc(url: str, text: str, title: str = "标题", order: str = "2026-01-01", column: str = "通知公告",
        community: str = "") -> search.Doc:
    TEXTS[url] = text
    return search.doc_for(url, title, column, community, "2026年1月1日", order, text, (title, column, community))


def counts(d: search.Doc):
    return search.count_tokens(d.title, TEXTS[d.url])


def test_text_is_found_by_cjk_bigrams_words_and_title_characters():
    tokens, length = search.count_tokens("低保申请", "城乡最低生活保障，2026 年 Ｗi-Fi")
    assert {"城乡", "乡最", "最低", "生活", "保障"} <= set(tokens)
    assert {"2026", "wi", "fi"} <= set(tokens)                 # NFKC: full-width letters folded
    assert tokens["低保"] == search.TITLE_BOOST and tokens["^低"] == 1
    assert length == sum(c for t, c in tokens.items() if not t.startswith("^")) - 3 * search.TITLE_BOOST


# What Chinese pages hold, and what NFKC composes, expands or folds around it.
NFKC_ALPHABET = ("低保申请，：（）；。、 　ＡＺａｚ０９！～aZ09-e\u0301\u0300\u0308é\u212b\u2460\u3231"
                 "\uf900\u337b\u2126\ufb01\u1100\u1161\uac00\uff76\uff9e")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=NFKC_ALPHABET, max_size=12))
def test_normalising_a_text_gives_its_nfkc_form_in_lower_case(text):
    assert search.normalise(text) == unicodedata.normalize("NFKC", text).lower()


def test_page_text_is_the_main_element_without_markup_or_scripts():
    page = ('<nav>菜单</nav><main id="main"><h1>标题</h1><script>var x = "不要";</script>'
            '<p>正文&amp;说明</p></main><footer>页脚</footer>')
    assert search.page_text(page) == "标题\n正文&说明"        # the title line, then the body


def test_page_text_keeps_what_a_page_repeats_around_its_body_out_of_the_excerpt_line():
    page = ('<main><article><h1>低保申请</h1><div class="banner banner-expired"><p><strong class="tag">已过期</strong>'
            '有效期至 2025年12月31日</p></div><table class="meta"><caption>基本信息</caption><tr><th>所属社区</th>'
            '<td>小河区（全区）</td></tr></table><div class="summary-box"><dl><div><dt>承诺时限</dt><dd>20 个工作日</dd>'
            '</div></dl></div><p class="summary">家庭人均收入低于低保标准的可申请。</p><div class="prose"><p>社区受理'
            '<br>后入户调查。</p></div><figure><svg><text>8</text><text>62.50%</text></svg><figcaption>好评率</figcaption>'
            '</figure><p data-search-ignore><span>不要</span></p></article></main>')
    hidden, body = search.page_text(page, ["社会救助"]).split("\n")
    assert body == "家庭人均收入低于低保标准的可申请。 社区受理 后入户调查。 好评率"
    assert hidden == "社会救助 低保申请 已过期 有效期至 2025年12月31日 基本信息 所属社区 小河区（全区） 承诺时限 20 个工作日"


def test_what_an_excerpt_skips_is_every_element_the_counted_body_leaves_out():
    assert set(search.SKIP.split(",")) == ({*search.DROPPED, "[data-search-ignore]", *search.HIDDEN_TAGS}
                                           | {"." + c for c in search.HIDDEN_CLASSES})


def test_title_and_keyword_words_carry_a_title_mark_so_the_page_can_rank_title_matches_first():
    tokens, _ = search.count_tokens("高龄津贴申领", "年满80周岁的老年人", ["养老服务", "ABC"])
    assert {"^高龄", "^津贴", "^高", "^养老", "^服务", "^abc"} <= set(tokens)
    assert "^老年" not in tokens                                   # body words carry no mark


def test_shard_of_is_fnv1a_over_utf16_units():
    assert search.shard_of("", 1 << 32) == 0x811C9DC5
    assert search.shard_of("a", 1 << 32) == 0xE40C292C          # the published FNV-1a test vector
    assert all(0 <= search.shard_of(t, 16) < 16 for t in ("低保", "^党", "2026"))


def test_a_new_item_keeps_every_id_and_changes_only_the_shards_of_its_words():
    old = [doc(f"/tzgg/{i}/", f"第{i}号通知：社区卫生整治活动安排，请居民配合。") for i in range(40)]
    new = old + [doc("/tzgg/new/", "冬季供暖报修电话", order="2026-12-01")]
    a = search_index.index_files(search.ordered(old), "", counts).files
    b = search_index.index_files(search.ordered(new), "", counts).files
    assert [r[0] for r in json.loads(a["search/m/0.json"])] == [r[0] for r in json.loads(b["search/m/0.json"])[:40]]
    shards = [k for k in a if k.startswith("search/s/")]
    changed = [k for k in shards if a[k] != b[k]]
    assert 0 < len(changed) < len(shards)


def test_new_documents_after_the_others_are_patched_in_to_what_a_full_index_would_be(tmp_path):
    old = search.ordered([doc(f"/tzgg/{i}/", f"第{i}号通知：社区卫生整治活动安排。") for i in range(40)])
    first = _written(search_index.index_files(old, "", counts), tmp_path)
    grown = search.ordered(first.docs + [doc("/tzgg/new/", "冬季供暖报修电话", order="2026-12-01"),
                                         doc("/tzgg/newer/", "供暖报修电话更正", order="2026-12-02")])
    patched = search_index.index_files(grown, "", counts, search_index.Previous(first.docs, tmp_path), counts)
    full = search_index.index_files(grown, "", counts)
    assert patched.kept and [d.length for d in patched.docs] == [d.length for d in full.docs]
    assert _as_patched(patched, tmp_path, full.files) == full.files


def test_postings_tallied_by_the_render_workers_give_the_index_a_full_count_gives(tmp_path):
    docs = search.ordered([doc(f"/tzgg/{i}/", f"第{i}号通知：社区卫生整治活动安排，请{i}号楼居民配合。", order=f"2026-01-{i % 28 + 1:02d}")
                           for i in range(40)])
    full = search_index.index_files(docs, "", counts)
    tally = search_index.Tally.of([d.url for d in docs], str(tmp_path))
    for start, end in ((25, 40), (0, 25)):                  # ranges rendered in any order
        postings = search_index.Postings()
        for i in range(start, end):
            postings.add(i, counts(docs[i])[0])
        tally.put(postings)

    def never(d):
        raise AssertionError(f"{d.url} counted again")

    tallied = search_index.index_files([replace(d, length=counts(d)[1]) for d in docs], "", never, tally=tally)
    assert tallied.files == full.files and tallied.docs == full.docs


def test_postings_decode_to_ids_and_counts_with_lengths_in_the_index():
    docs = search.ordered([doc("/a/", "低保申请材料", order="1"), doc("/b/", "低保低保低保审核", order="2")])
    built = search_index.index_files(docs, "", counts)
    index = json.loads(built.files["search/index.json"])
    row = json.loads(built.files[f"search/s/{search.shard_of('低保', index['shards'])}.json"])["低保"]
    ids, at = [], 0
    for i in range(0, len(row), 2):
        at += row[i]
        ids.append(at)
    assert ids == [0, 1] and (row[1], row[3]) == (1, 3)
    lengths = [d.length for d in built.docs]
    assert lengths == [counts(d)[1] for d in docs]
    assert index["docs"] == [0, 0, lengths[0], 0, 0, lengths[1]] and index["columns"] == ["通知公告"]


def test_an_edit_patches_the_shards_to_what_a_full_index_would_be(tmp_path):
    old = search.ordered([doc(f"/tzgg/{i}/", f"第{i}号通知：社区卫生整治活动安排。") for i in range(40)])
    first = _written(search_index.index_files(old, "", counts), tmp_path)
    old_texts = dict(TEXTS)
    edited = list(first.docs)
    edited[7] = doc(old[7].url, "改为冬季供暖报修安排", order=old[7].order)

    def old_counts(d):
        return search.count_tokens(d.title, old_texts[d.url])

    patched = search_index.index_files(edited, "", counts, search_index.Previous(first.docs, tmp_path), old_counts)
    full = search_index.index_files(edited, "", counts)
    shards = sorted(k for k in full.files if k.startswith("search/s/"))
    assert patched.kept and len(patched.kept) < len(shards)
    assert _as_patched(patched, tmp_path, full.files) == full.files


def _written(index: search_index.Index, site) -> search_index.Index:
    """`index` with its files written below `site`, as the last build left them."""
    for rel, data in index.files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    return index


def _as_patched(patched: search_index.Index, site, names) -> dict[str, bytes]:
    """Each file `names` as the patched index leaves it: written again, or kept from `site`."""
    return {k: patched.files[k] if k in patched.files else (site / k).read_bytes() for k in names}
