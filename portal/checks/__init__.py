"""Domain rules Chinese government sites are inspected against, one module per family.

Each check is a plain function `check(site, problems, ctx)` called explicitly from `run`; no
plugin machinery. Rules that depend on today's date report through `ctx.dated`, which makes
them warnings on a sample site (DESIGN §6) and errors on a real one. Checks look only at valid
documents: the model leaves out any with an error of its own.
"""
from __future__ import annotations

from ..model import Site
from ..problems import Problems
from . import (
    annual_report,
    catalogue,
    consultations,
    disclosure,
    freshness,
    items,
    notice_periods,
    privacy,
    proposals,
    results,
)
from .context import Context


def run(site: Site, problems: Problems) -> None:
    ctx = Context(site.calendar, bool(site.config.get("sample")))
    items.check(site, problems, ctx)
    notice_periods.check(site, problems, ctx)
    results.check(site, problems, ctx)
    disclosure.check(site, problems, ctx)
    annual_report.check(site, problems, ctx)
    proposals.check(site, problems, ctx)
    consultations.check(site, problems, ctx)
    catalogue.check(site, problems, ctx)
    freshness.check(site, problems, ctx)
    privacy.check(site, problems, ctx)
