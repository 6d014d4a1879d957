"""The portal in a real browser: Chinese search, care mode, keyboard use, 简/繁, small screens."""
from __future__ import annotations

import re


def test_search_finds_a_chinese_term_that_appears_in_only_one_guide(page, base_url):
    page.goto(base_url + "/sousuo/")
    page.wait_for_selector("#search-app:not([hidden])")
    page.fill("#q", "挺身而出")
    page.press("#q", "Enter")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')")
    results = page.locator("#search-results > li")
    assert results.count() == 1
    link = results.first.locator("a")
    assert link.get_attribute("href") == "/bszn/jianyiyongwei/"
    assert "见义勇为" in link.inner_text()
    meta = results.first.locator(".item-meta").inner_text()
    assert "办事指南" in meta and "年" in meta            # column and date
    assert "<mark>" in results.first.locator(".excerpt").inner_html()


def test_search_filters_by_column_and_community(page, base_url):
    page.goto(base_url + "/sousuo/?q=" + "低保")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')")
    page.select_option("#filter-column", value="办事指南")
    # the change handler clears the list and shows 正在搜索…… at once: wait for the filtered list
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')"
                           " && document.querySelectorAll('#search-results > li > a').length > 0")
    hrefs = page.locator("#search-results > li > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("/bszn/") for h in hrefs)
    page.select_option("#filter-column", value="")
    page.select_option("#filter-community", value="浦江社区")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')"
                           " && [...document.querySelectorAll('#search-results > li > a')].every("
                           "a => a.getAttribute('href').includes('pujiang'))")
    hrefs = page.locator("#search-results > li > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all("pujiang" in h for h in hrefs)


def test_traditional_search_page_finds_a_page_typed_in_traditional_characters(page, base_url):
    page.goto(base_url + "/zh-hant/sousuo/?q=" + "見義勇為")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')")
    link = page.locator("#search-results > li > a").first
    assert link.get_attribute("href") == "/zh-hant/bszn/jianyiyongwei/"
    assert "見義勇為" in link.inner_text()                               # s2tw's 繁體 title
    assert page.locator("#search-results .excerpt mark").first.inner_text().startswith("見義勇")
    assert "辦事指南" in page.locator("#filter-column").inner_text()     # filter names in 繁體


def test_a_one_character_query_finds_titles_with_that_character(page, base_url):
    page.goto(base_url + "/sousuo/?q=" + "残")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')")
    titles = page.locator("#search-results > li > a").all_inner_texts()
    assert titles and all("残" in t for t in titles)


def test_withdrawn_items_are_not_found_by_search(page, base_url):
    page.goto(base_url + "/sousuo/?q=" + "值班安排调整")
    page.wait_for_function("document.querySelector('#search-status').textContent.length > 4")
    hrefs = page.locator("#search-results > li > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "/tzgg/2026/2026-guoqing-zhiban/" not in hrefs


def test_search_page_without_javascript_offers_the_site_map(no_js_page, base_url):
    no_js_page.goto(base_url + "/sousuo/?q=低保")
    assert no_js_page.locator("#search-app").is_hidden()
    assert "网站地图" in no_js_page.locator("main").inner_text()
    assert no_js_page.locator("main .sitemap a[href='/bszn/']").count() == 1


def test_care_mode_enlarges_text_and_persists_across_pages(page, base_url):
    page.goto(base_url + "/")

    def size() -> float:
        return float(page.evaluate("getComputedStyle(document.body).fontSize").rstrip("px"))

    assert size() >= 16
    toggle = page.locator("#care-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert size() >= 18 and toggle.get_attribute("aria-pressed") == "true"
    page.click("nav.mainnav .nav-wide >> text=办事指南")
    page.wait_for_url("**/bszn/")
    assert size() >= 18
    assert page.locator("#care-toggle").get_attribute("aria-pressed") == "true"
    page.locator("#care-toggle").click()
    assert size() < 18


def test_pages_are_readable_without_javascript(no_js_page, base_url):
    no_js_page.goto(base_url + "/bszn/juzhuzheng/")
    body = float(no_js_page.evaluate("getComputedStyle(document.body).fontSize").rstrip("px"))
    assert body >= 16
    assert no_js_page.locator("#care-toggle").is_hidden()     # no dead button without JS
    assert "办理材料" in no_js_page.locator("main").inner_text()


def test_keyboard_alone_reaches_skip_link_then_the_search_box_with_visible_focus(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    reached = False
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q-top":
            reached = True
            break
    assert reached, "the search box should be among the first few tab stops"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.type("居住证")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sousuo/?q=*")
    page.locator("#search-results > li").first.wait_for()


def test_skip_link_moves_focus_to_the_main_content(page, base_url):
    page.goto(base_url + "/tzgg/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_traditional_chinese_switch_keeps_the_reader_on_the_same_page(page, base_url):
    page.goto(base_url + "/bszn/juzhuzheng/")
    page.click("a.lang-switch")
    page.wait_for_url("**/zh-hant/bszn/juzhuzheng/")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.locator("h1").inner_text() == "居住證辦理"
    assert page.locator("nav.mainnav .nav-wide a", has_text="辦事指南").get_attribute("href") == "/zh-hant/bszn/"
    page.click("a.lang-switch")
    page.wait_for_url(re.compile(r".*/bszn/juzhuzheng/$"))
    assert page.locator("h1").inner_text() == "居住证办理"


def test_hreflang_alternates_point_at_both_scripts(page, base_url):
    page.goto(base_url + "/xxgk/zcwj/")
    alts = page.locator("link[rel=alternate][hreflang]").evaluate_all(
        "els => els.map(e => [e.hreflang, e.getAttribute('href')])")
    assert ["zh-Hans", "https://xiaohe.example.org/xxgk/zcwj/"] in alts
    assert ["zh-Hant", "https://xiaohe.example.org/zh-hant/xxgk/zcwj/"] in alts


def test_layout_fits_a_320_pixel_phone_without_sideways_scrolling(phone, base_url):
    for url in ("/", "/bszn/juzhuzheng/", "/xxgk/zcwj/xh-sqfw-2024-1/", "/sq/huanghe/",
                "/cwgk/huanghe/cw-szmx/2026-03/", "/tzgg/"):
        phone.goto(base_url + url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (url, width)


def test_touch_targets_are_at_least_44_pixels(phone, base_url):
    phone.goto(base_url + "/")
    small = phone.evaluate("""() => [...document.querySelectorAll(
        '.mainnav a, .quick-search button, .chips a, .footer-links a, .pager a, #care-toggle, .lang-switch')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])
        .filter(([t, h]) => h < 44)""")
    assert small == []


def test_print_stylesheet_hides_navigation_and_prints_the_url(page, base_url):
    page.goto(base_url + "/xxgk/zcwj/xh-sqfw-2024-1/")
    page.emulate_media(media="print")
    assert page.locator("nav.mainnav").is_hidden()
    after = page.evaluate("getComputedStyle(document.querySelector('main'), '::after').content")
    assert "xiaohe.example.org/xxgk/zcwj/xh-sqfw-2024-1/" in after
    assert page.locator("table.meta").first.is_visible()


def _search(page, query: str) -> list[str]:
    """Type a query into the open search page; the links of its results, once shown."""
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_function("!document.querySelector('#search-status').textContent.startsWith('正在搜索')")
    return page.locator("#search-results > li > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_search_finds_what_residents_type_and_labels_expired_notices_last(page, base_url):
    page.goto(base_url + "/sousuo/")
    page.wait_for_selector("#search-app:not([hidden])")
    for query in ("医保缴费", "医保 缴费"):                  # no space, or a space: the same
        hrefs = _search(page, query)
        assert hrefs[0] == "/tzgg/2026/2026-yibao-jiaofei/", query
        assert hrefs[-1] == "/tzgg/2025/2025-yibao-jiaofei/", query       # expired: last, and labelled
    old = page.locator("#search-results > li", has=page.locator("a[href='/tzgg/2025/2025-yibao-jiaofei/']"))
    assert old.locator(".tag").inner_text() == "已过期"
    excerpt = old.locator(".excerpt")
    assert "<mark>" in excerpt.inner_html()
    assert "基本信息" not in excerpt.inner_text() and "已过期" not in excerpt.inner_text()   # body, not metadata
    assert page.locator("#search-results > li").first.locator(".tag").count() == 0
    assert _search(page, "高龄补贴")[0] == "/bszn/gaoling-jintie/"          # a synonym finds the guide first
    assert "高龄津贴" in page.locator("#search-results .excerpt mark").all_inner_texts()
    assert _search(page, "怎么办低保")[0] == "/bszn/dibao/"                # filler words are dropped


def test_each_excerpt_is_a_piece_of_the_body_of_its_page_in_the_pages_own_script(page, base_url, site_dir):
    """The page fetches each result's page and leaves out what index.json's `skip` selects:
    what it shows is the body the build counted (portal.search.page_text), 繁體 on the 繁體 page."""
    from portal.search import page_text
    for prefix, query in (("", "低保"), ("/zh-hant", "低保"), ("", "医保缴费"), ("/zh-hant", "高齡津貼")):
        page.goto(base_url + prefix + "/sousuo/?q=" + query)
        page.wait_for_function("document.querySelector('#search-status').textContent.includes('找到')")
        rows = page.locator("#search-results > li").evaluate_all(
            "els => els.map(li => [li.querySelector('a').getAttribute('href'), li.querySelector('.excerpt').textContent])")
        assert len(rows) >= 2, query
        for href, shown in rows:
            assert href.startswith(prefix + "/"), href
            body = page_text((site_dir / href.lstrip("/") / "index.html").read_text(encoding="utf-8")).split("\n")[1]
            piece = shown.strip("…")
            assert piece and piece in body, (href, shown)
            assert "基本信息" not in piece and "所属社区" not in piece, href


def test_search_page_ranks_every_evaluation_query_as_the_python_query_does(page, base_url, site_dir):
    """The page's query (portal.js) and portal.search_query, which the evaluation measures,
    give the same first result for every query of the evaluation set, in 简 and in 繁."""
    from pathlib import Path

    import yaml

    from portal.search_query import evaluate
    cases = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "search_eval.yaml")
                           .read_text(encoding="utf-8"))["queries"]
    for lang, prefix in (("zh-Hans", ""), ("zh-Hant", "/zh-hant")):
        page.goto(base_url + prefix + "/sousuo/")
        page.wait_for_selector("#search-app:not([hidden])")
        outcomes = evaluate(site_dir, cases, lang)
        firsts = page.evaluate("""async (queries) => {
            const status = document.querySelector("#search-status"), out = [];
            for (const q of queries) {          // submitting sets 正在搜索…… at once; wait for the results
                document.querySelector("#q").value = q;
                document.querySelector("#search-form").requestSubmit();
                while (status.textContent.startsWith("正在搜索")) { await new Promise(r => setTimeout(r, 5)); }
                const first = document.querySelector("#search-results > li > a");
                out.push(first ? first.getAttribute("href") : null);
            }
            return out;
        }""", [o.query for o in outcomes])
        assert [(o.query, o.got) for o in outcomes] == list(zip([o.query for o in outcomes], firsts, strict=True)), lang
