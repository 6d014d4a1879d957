"""Site identity (issue 18): 网站标识码, ICP备案号, 公安备案号 formats, the 党政机关网站标识 and
政务新媒体 images, each rule on a broken minimal tree at its site.yaml line."""
from __future__ import annotations

from portal.items import Record
from portal.site_identity import footer

SITE = "content/site.yaml"

IDENTITY = """\
division_code: "520115"
badge:
  image: files/biaoshi/badge.svg
  link: https://bszs.conac.cn/sitename?method=show&id=1
error_report_url: https://zfwzzc.www.gov.cn/
new_media:
  - kind: 微信公众号
    name: 测试社区
    qr: files/biaoshi/qr.svg
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def with_identity(tree) -> None:
    """site.yaml lines 13-21: the identity block above, its images in place."""
    tree.write("site.yaml", tree.read("site.yaml") + IDENTITY)
    tree.write("files/biaoshi/badge.svg", SVG)
    tree.write("files/biaoshi/qr.svg", SVG)


def test_identity_block_is_valid(tree):
    with_identity(tree)
    assert tree.errors() == []


def test_site_code_must_be_ten_digits(tree):
    tree.edit("site.yaml", 'site_code: "5201150000"', 'site_code: "520115000"')
    assert tree.errors() == [f"{SITE}:9: 错误: site_code（网站标识码）: 网站标识码应为 10 位数字"
                             "（前 6 位为行政区划代码），而不是“520115000”"]


def test_site_code_starts_with_the_division_code(tree):
    with_identity(tree)
    tree.edit("site.yaml", 'division_code: "520115"', 'division_code: "520114"')
    assert tree.errors() == [f"{SITE}:9: 错误: site_code（网站标识码）: 网站标识码前 6 位应为行政区划代码 520114，"
                             "而这里是 520115"]


def test_division_code_is_six_digits(tree):
    with_identity(tree)
    tree.edit("site.yaml", 'division_code: "520115"', 'division_code: "52011"')
    assert tree.errors() == [f"{SITE}:13: 错误: division_code（行政区划代码）: 行政区划代码应为 6 位数字，而不是“52011”"]


def test_icp_number_format(tree):
    tree.edit("site.yaml", "icp: 黔ICP备00000000号-1", "icp: 黔ICP备0000号")
    assert tree.errors() == [f"{SITE}:7: 错误: icp（ICP备案号）: ICP备案号格式应如 黔ICP备12345678号-1"
                             "（省简称 + ICP备 + 8 位数字 + 号），而不是“黔ICP备0000号”"]


def test_police_record_number_format(tree):
    tree.edit("site.yaml", "psb: 黔公网安备00000000000000号", "psb: 公安备案0000号")
    assert tree.errors() == [f"{SITE}:8: 错误: psb（公安备案号）: 公安备案号格式应如 黔公网安备 52011402000123号"
                             "（省简称 + 公网安备 + 14 位数字 + 号），而不是“公安备案0000号”"]


def test_police_record_number_may_have_a_space(tree):
    tree.edit("site.yaml", "psb: 黔公网安备00000000000000号", "psb: 黔公网安备 52011402000123号")
    assert tree.errors() == []


def test_badge_image_must_exist(tree):
    with_identity(tree)
    (tree.root / "files/biaoshi/badge.svg").unlink()
    assert tree.errors() == [f"{SITE}:15: 错误: badge.image（标识图片）: 找不到图片 content/files/biaoshi/badge.svg"]


def test_badge_link_is_a_web_address(tree):
    with_identity(tree)
    tree.edit("site.yaml", "link: https://bszs.conac.cn/sitename?method=show&id=1", "link: bszs.conac.cn")
    assert tree.errors() == [f"{SITE}:16: 错误: badge.link（核验链接）: 核验链接应为以 https:// 或 http:// "
                             "开头的网址，而不是“bszs.conac.cn”"]


def test_new_media_qr_must_exist(tree):
    with_identity(tree)
    (tree.root / "files/biaoshi/qr.svg").unlink()
    assert tree.errors() == [f"{SITE}:21: 错误: new_media[1].qr（二维码图片）: 找不到图片 content/files/biaoshi/qr.svg"]


def test_error_report_link_is_a_web_address(tree):
    with_identity(tree)
    tree.edit("site.yaml", "error_report_url: https://zfwzzc.www.gov.cn/", "error_report_url: 找错")
    assert tree.errors() == [f"{SITE}:17: 错误: error_report_url（我为政府网站找错）: 应为以 https:// 开头的网址，"
                             "而不是“找错”"]


def test_footer_links_the_record_numbers():
    f = footer(Record({"psb": "黔公网安备 52011402000123号", "icp": "黔ICP备12345678号"}))
    assert f.icp_url == "https://beian.miit.gov.cn/"
    assert f.psb_url == "https://beian.mps.gov.cn/#/query/webSearch?code=52011402000123"
    assert f.error_report_url == ""


def test_identity_footer_on_built_pages(tree):
    with_identity(tree)
    out = tree.base / "site"
    assert tree.cli("build", "--content", "content", "--out", str(out), "--today", "2026-04-06").returncode == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">黔ICP备00000000号-1</a>' in html
    assert "beian.mps.gov.cn/#/query/webSearch?code=00000000000000" in html
    assert '<a href="https://zfwzzc.www.gov.cn/" rel="noopener">我为政府网站找错</a>' in html
    assert '<p class="site-badge"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=1"' in html
    assert 'src="/files/biaoshi/badge.svg"' in html and '<a href="/xxgk/xmt/">政务新媒体</a>' in html
    assert 'src="/files/biaoshi/qr.svg"' not in html                  # the QR codes are on their own page
    media = (out / "xxgk/xmt/index.html").read_text(encoding="utf-8")
    assert 'src="/files/biaoshi/qr.svg"' in media
    assert (out / "files/biaoshi/badge.svg").is_file() and (out / "files/biaoshi/qr.svg").is_file()
