"""The context a response is answered in (DESIGN §5: service, window, community), carried in
the form's URL or chosen on the form, and checked against the portal's content.

A window is a window of one centre: (community, number), never a number alone. A service must
be offered by the centre named. A 好差评 rating must say which centre it is about, so its case
has an owner; when the link does not say, the form asks (centre and window in one choice).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from portal.items import Item
from portal.model import Site
from portal.surveys import Survey

RATING = "好差评"
PLACE = "place"           # the form's field and error key for the centre-and-window choice


class ContextError(ValueError):
    pass


def offers(guide: Item, community: str) -> bool:
    """Whether a community's centre handles a service (district-wide guides: every centre)."""
    return guide.community in (None, "", "district", community)


def _window(site: Site, community: str, window: str) -> str:
    if not (window.isascii() and window.isdigit()) or not 1 <= int(window) <= 99:     # not ² or ①
        raise ContextError(f"窗口号“{window}”不正确")
    centre = site.communities[community].centre
    if not any(w.number == int(window) for w in (centre.windows if centre else ())):
        raise ContextError(f"{site.communities[community].name}服务中心没有 {int(window)} 号窗口")
    return str(int(window))


def parse_context(values: Mapping[str, str], site: Site, prefix: str = "") -> dict[str, str]:
    """Validated context from query values (`service`…) or the form's hidden fields
    (`_ctx.service`…, prefixed so a question may be called `community`); anything unknown or
    inconsistent raises ContextError."""
    out: dict[str, str] = {}
    service = (values.get(prefix + "service") or "").strip()
    window = (values.get(prefix + "window") or "").strip()
    community = (values.get(prefix + "community") or "").strip()
    guide = site.guide(service) if service else None
    if service and guide is None:
        raise ContextError(f"找不到编号为“{service}”的服务事项，请从办事指南页面的“评价”进入")
    if service:
        out["service"] = service
    if community:
        if community not in site.communities:
            raise ContextError(f"找不到编号为“{community}”的社区")
        if guide is not None and not offers(guide, community):
            raise ContextError(f"“{guide.title}”不在{site.communities[community].name}服务中心办理")
        out["community"] = community
    if window:
        if not community:
            raise ContextError("窗口号要和所在的社区一起注明，请从社区页面或办事指南页面的“评价”进入")
        out["window"] = _window(site, community, window)
    return out


def with_place(context: Mapping[str, str], place: str, site: Site) -> dict[str, str]:
    """The context with the centre (and window) chosen on the form: `community:window` or
    `community:` (window not remembered)."""
    community, _, window = place.partition(":")
    return parse_context({**context, "community": community, "window": window}, site)


def needs_place(survey: Survey, context: Mapping[str, str]) -> bool:
    """A 好差评 rating whose link did not name the centre: the form asks for it."""
    return survey.kind == RATING and not context.get("community")


@dataclass(frozen=True)
class Option:
    value: str            # "community:window" or "community:"
    label: str


def place_options(site: Site, service: str | None) -> list[tuple[str, list[Option]]]:
    """The centres (and their windows) a rating may be about, grouped by centre: those offering
    the service, and of their windows those handling it (all windows when the guide names none)."""
    guide = site.guide(service) if service else None
    out = []
    for cid, c in site.communities.items():
        if guide is not None and not offers(guide, cid):
            continue
        windows = [w for w in (c.centre.windows if c.centre else ())
                   if guide is None or not guide.windows or w.number in guide.windows]
        options = [Option(f"{cid}:", f"{c.name}服务中心（不记得窗口）")]
        options += [Option(f"{cid}:{w.number}", f"{c.name} {w.number}号窗口（{w.name}）") for w in windows]
        out.append((c.name, options))
    return out
