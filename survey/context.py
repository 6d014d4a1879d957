"""The context a response is answered in (DESIGN §5: service, window, community), carried in
the form's URL and checked against the portal's content; an unknown id is refused."""
from __future__ import annotations

from collections.abc import Mapping

from portal.model import Site


class ContextError(ValueError):
    pass


def parse_context(values: Mapping[str, str], site: Site, prefix: str = "") -> dict[str, str]:
    """Validated context from query values (`service`…) or the form's hidden fields
    (`_ctx.service`…, prefixed so a question may be called `community`); unknown ids raise
    ContextError."""
    out: dict[str, str] = {}
    service = (values.get(prefix + "service") or "").strip()
    window = (values.get(prefix + "window") or "").strip()
    community = (values.get(prefix + "community") or "").strip()
    if service:
        if site.guide(service) is None:
            raise ContextError(f"找不到编号为“{service}”的服务事项，请从办事指南页面的“评价”进入")
        out["service"] = service
    if window:
        if not window.isdigit() or not 1 <= int(window) <= 99:
            raise ContextError(f"窗口号“{window}”不正确")
        out["window"] = str(int(window))
    if community:
        if community not in site.communities:
            raise ContextError(f"找不到编号为“{community}”的社区")
        out["community"] = community
    return out
