"""The survey service's pages carry the portal's identity footer (issue 18): the 党政机关网站标识,
the linked 备案 numbers, 「我为政府网站找错」 and the 政务新媒体, from the same site.yaml."""
from __future__ import annotations


def test_survey_form_shares_the_identity_footer(client):
    html = client.get("/survey/all-types/").get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">'):]
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">黔ICP备00000000号-1</a>' in footer
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=52011500000000" in footer
    assert '<a href="https://zfwzzc.www.gov.cn/" rel="noopener">我为政府网站找错</a>' in footer
    assert '<p class="site-badge">' in footer and 'src="/files/biaoshi/shili-biaoshi.svg"' in footer
    assert '<a href="/xxgk/xmt/">政务新媒体</a>' in footer       # the accounts and their QR codes: one page
