"""A printable A4 poster for a survey: its title, what is being rated, a short instruction and
a QR code of the form's full URL, for the wall of a service centre (`flask --app survey poster`).

Everything here is pure except `write_poster`. `form_url` and `qr_svg` live in portal.qr, shared with
the portal's survey list, so the poster and the page show the same code.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from portal.model import Site
from portal.qr import form_url, qr_svg
from portal.render import TEMPLATES, cn_date
from portal.surveys import Survey
from portal.write import write_atomic

__all__ = ["PosterError", "form_url", "poster_html", "qr_svg", "write_poster"]   # form_url, qr_svg: re-exported

# The 好差评 form is one question (plus a reason on a 差评); other surveys' intros give their length.
INSTRUCTION_HAOCHA = "用手机扫一扫，1 分钟完成评价"
INSTRUCTION_OPEN = "用手机扫一扫，在线填写问卷"
INSTRUCTION_INVITE = "扫码后输入邀请函上的邀请码"


class PosterError(ValueError):
    pass


def _context(survey: Survey, site: Site, service: str | None, window: int | None, community: str | None) -> dict:
    """What the poster rates, looked up in the portal's content; unknown values raise."""
    guide = None
    if service:
        guide = site.guide(service)
        if guide is None:
            raise PosterError(f"找不到编号为“{service}”的服务事项")
    if community and community not in site.communities:
        raise PosterError(f"找不到编号为“{community}”的社区")
    if guide is not None and community and guide.community not in (None, "", "district", community):
        raise PosterError(f"服务事项“{service}”不在{site.communities[community].name}办理")
    # The centre whose windows count: the named community, else the survey's or the guide's own.
    where = next((c for c in (community, survey.community, guide.community if guide else None)
                  if c and c in site.communities), None)
    window_name = ""
    if window is not None:
        if where:
            centre = site.communities[where].centre
            found = next((w for w in (centre.windows if centre else ()) if w.number == window), None)
            if found is None:
                raise PosterError(f"{site.communities[where].name}服务中心没有第{window}号窗口")
            window_name = found.name
        elif not any(w.number == window for c in site.communities.values()
                     for w in (c.centre.windows if c.centre else ())):
            raise PosterError(f"没有第{window}号窗口")
    return {"service": guide.title if guide is not None else "",
            "window": window, "window_name": window_name,
            "community": site.communities[community].name if community else ""}


def poster_html(survey: Survey, site: Site, service: str | None = None, window: int | None = None,
                community: str | None = None, *, base_url: str | None = None) -> str:
    """The print-ready A4 poster page (self-contained HTML); base_url defaults to site.yaml's."""
    context = _context(survey, site, service, window, community)
    url = form_url(base_url or site.config.base_url, survey.id, service, window, community)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["cn_date"] = cn_date
    if survey.access == "invite":
        instruction = INSTRUCTION_INVITE
    else:
        instruction = INSTRUCTION_HAOCHA if survey.kind == "好差评" else INSTRUCTION_OPEN
    return env.get_template("survey/poster.html").render(
        survey=survey, site_name=site.config.name, url=url, qr=Markup(qr_svg(url)),
        instruction=instruction, **context)


def write_poster(html: str, path: Path) -> None:
    """Write the poster atomically (portal.write)."""
    write_atomic(Path(path), html.encode("utf-8"))
