"""The printable QR poster (`flask --app survey poster`): the form URL with its context, the QR
code of exactly that URL, the A4 page around it, and refusals of unknown services, windows and
communities."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
import segno
from formtools import ROOT
from sampletools import sample

from portal import pipeline
from survey.poster import PosterError, form_url, poster_html, qr_svg, write_poster

VNU = ROOT / ".cache" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BASE = "https://xiaohe.example.org"


@pytest.fixture(scope="module")
def site():
    return pipeline.check(sample(), dt.date(2026, 11, 24)).site


@pytest.fixture(scope="module")
def java():
    # As tests/browser/conftest.py: the checker is part of `make test`, so missing it fails.
    java = shutil.which("java")
    if not java or not VNU.exists():
        pytest.fail("the Nu HTML Checker needs java and .cache/node/node_modules/vnu-jar (`make browser-deps` installs it)")
    return java


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules an SVG draws, read back from segno's path of 1-unit horizontal strokes."""
    d = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    tokens = re.findall(r"[MmHh]|-?\d*\.?\d+", d)
    x = y = 0.0
    out: set[tuple[int, int]] = set()
    i = 0
    while i < len(tokens):
        op = tokens[i]
        if op in "Mm":
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if op == "M" else (x + dx, y + dy)
            i += 3
        else:
            n = float(tokens[i + 1])
            end = n if op == "H" else x + n
            out |= {(int(y - 0.5), col) for col in range(int(x), int(end))}
            x = end
            i += 2
    return out


def test_form_url_carries_the_context_in_order_and_only_what_is_given():
    assert form_url(BASE + "/", "fuwu-haocha") == f"{BASE}/survey/fuwu-haocha/"
    assert (form_url(BASE, "fuwu-haocha", service="dibao", window=3, community="changjiang")
            == f"{BASE}/survey/fuwu-haocha/?service=dibao&window=3&community=changjiang")
    assert form_url(BASE, "fuwu-haocha", community="changjiang") == (
        f"{BASE}/survey/fuwu-haocha/?community=changjiang")
    assert form_url(BASE, "s", service="a b&c") == f"{BASE}/survey/s/?service=a+b%26c"


def test_qr_svg_draws_segnos_level_m_symbol_of_the_url():
    url = f"{BASE}/survey/fuwu-haocha/?service=dibao&window=3"
    svg = qr_svg(url)
    qr = segno.make(url, error="m", boost_error=False)
    assert qr.designator.endswith("-M")
    size = len(qr.matrix)
    assert f'viewBox="0 0 {size + 8} {size + 8}"' in svg      # 4-module quiet zone
    expected = {(r + 4, c + 4) for r, row in enumerate(qr.matrix) for c, v in enumerate(row) if v}
    assert dark_modules(svg) == expected


def test_qr_svg_is_inline_accessible_scalable_and_deterministic():
    url = f"{BASE}/survey/fwzx-myd-2026/"
    svg = qr_svg(url)
    assert svg.startswith("<svg ") and "<?xml" not in svg
    assert 'role="img"' in svg and f'aria-label="问卷网址二维码：{url}"' in svg
    assert f"<title>问卷网址二维码：{url}</title>" in svg
    assert "width=" not in svg and "height=" not in svg
    assert 'fill="#fff"' in svg
    assert qr_svg(url) == svg
    assert qr_svg(url + "?window=1") != svg


def test_poster_shows_title_context_qr_url_and_dates_on_an_a4_page(site):
    survey = site.surveys["fuwu-haocha"]
    html = poster_html(survey, site, service="changjiang-peixun", window=7, community="changjiang")
    url = f"{BASE}/survey/fuwu-haocha/?service=changjiang-peixun&window=7&community=changjiang"
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    assert "@page { size: A4; margin: 15mm }" in html
    assert f"<h1>{survey.title}</h1>" in html
    assert re.search(r"h1 \{[^}]*font-size: (4\d|[5-9]\d)pt", html)
    assert "小河区社区服务门户" in html
    assert "评价事项：产业工人技能培训报名" in html
    assert "长江社区 第7号窗口（特色服务窗口）" in html
    assert qr_svg(url) in html
    assert f'<figcaption class="url">{url.replace("&", "&amp;")}</figcaption>' in html
    assert "width: 110mm" in html
    assert "用手机扫一扫，1 分钟完成评价" in html
    assert "截止2030年12月31日" in html
    assert not re.search(r'(src|href)="|@import|url\(', html)      # self-contained


def test_invite_survey_poster_asks_for_the_invitation_code(site):
    html = poster_html(site.surveys["huanghe-shuzhi-2026"], site)
    assert "扫码后输入邀请函上的邀请码" in html
    assert f"{BASE}/survey/huanghe-shuzhi-2026/</figcaption>" in html


def test_poster_uses_a_given_base_url_over_site_yaml(site):
    html = poster_html(site.surveys["fwzx-myd-2026"], site, base_url="http://127.0.0.1:5000/")
    assert "http://127.0.0.1:5000/survey/fwzx-myd-2026/</figcaption>" in html


def test_unknown_service_is_refused_by_name(site):
    with pytest.raises(PosterError, match="找不到编号为“xyz”的服务事项"):
        poster_html(site.surveys["fuwu-haocha"], site, service="xyz")


def test_unknown_community_is_refused_by_name(site):
    with pytest.raises(PosterError, match="找不到编号为“nowhere”的社区"):
        poster_html(site.surveys["fuwu-haocha"], site, community="nowhere")


def test_window_missing_from_the_centre_is_refused(site):
    with pytest.raises(PosterError, match="长江社区服务中心没有第12号窗口"):
        poster_html(site.surveys["fuwu-haocha"], site, window=12, community="changjiang")
    with pytest.raises(PosterError, match="没有第99号窗口"):
        poster_html(site.surveys["fuwu-haocha"], site, service="dibao", window=99)


def test_community_guide_is_refused_for_another_community(site):
    with pytest.raises(PosterError, match="changjiang-peixun"):
        poster_html(site.surveys["fuwu-haocha"], site, service="changjiang-peixun", community="huanghe")


def test_write_poster_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "poster.html"
    path.write_text("old", encoding="utf-8")
    write_poster("<!DOCTYPE html>新", path)
    assert path.read_text(encoding="utf-8") == "<!DOCTYPE html>新"
    assert [p.name for p in tmp_path.iterdir()] == ["poster.html"]


def test_posters_pass_the_nu_html_checker(site, java, tmp_path):
    variants = {"haocha.html": ("fuwu-haocha", {"service": "dibao", "window": 3, "community": "changjiang"}),
                "myd.html": ("fwzx-myd-2026", {}),
                "invite.html": ("huanghe-shuzhi-2026", {})}
    for name, (sid, ctx) in variants.items():
        write_poster(poster_html(site.surveys[sid], site, **ctx), tmp_path / name)
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", *sorted(map(str, tmp_path.glob("*.html")))],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr[:4000]


def test_poster_command_writes_the_file_or_refuses_an_unknown_service(tmp_path):
    from survey import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SURVEY_DB": str(tmp_path / "s.db"),
                      "SURVEY_TODAY": "2026-11-24"})
    target = tmp_path / "poster.html"
    ok = app.test_cli_runner().invoke(args=["poster", "fuwu-haocha", "--service", "canji-butie",
                                            "--output", str(target)])
    assert ok.exit_code == 0, ok.output
    html = target.read_text(encoding="utf-8")
    assert "service=canji-butie" in html and "<svg" in html
    bad = app.test_cli_runner().invoke(args=["poster", "fuwu-haocha", "--service", "nope"])
    assert bad.exit_code == 2 and "找不到编号为“nope”的服务事项" in bad.output
