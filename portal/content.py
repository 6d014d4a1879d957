"""The narrow way into the content for the survey service and for publishing: load, validate
and model, without the domain checks or the pages.

`load_site` gives the Site the service runs on; `validate_results` checks a results document
(what `flask --app survey publish` is about to write) in memory, the way the build will check
content/results/<sid>.yaml, so nothing that would break the build is ever written.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import problems as P
from . import references, schema, timings, version
from .checks import privacy
from .checks.results import check_result, identity
from .ingest import Memory, ingest
from .load import Tree, parse_doc
from .model import Site, build_model
from .personal_data import problems_in
from .problems import Problem, Problems
from .validate import validate_doc


def load_site(root: Path, today: dt.date, preview: bool = False, cache: Path | None = None,
              remember: bool = True, memory: Memory | None = None) -> tuple[Site | None, list[Problem]]:
    """The Site of the content at `root` on `today`, and every problem found on the way
    (None when there is no content root). `preview` includes drafts; `cache` is where
    portal.ingest remembers files it read (`remember`: and adds new ones; `memory`: a
    preview's copy of them)."""
    _, site, found = read_site(root, today, preview, cache, remember, memory)
    return site, found


def read_site(root: Path, today: dt.date, preview: bool = False, cache: Path | None = None,
              remember: bool = True, memory: Memory | None = None) -> tuple[Tree, Site | None, list[Problem]]:
    """load_site, with the tree read on the way (what a build remembers: portal.model_snapshot)."""
    with timings.stage("read"):
        tree = ingest(root, cache, version.code_signature(), remember, memory)
    with timings.stage("model"):
        site, found = build_model(tree, today, preview)
    return tree, site, found


def validate_results(text: str, rel: str, path: str, site: Site) -> list[Problem]:
    """The problems the build would report about a results file with this text at `rel`
    (`results/<sid>.yaml`), shown as `path`: its fields, its references, its numbers against
    its survey, and personal data in it."""
    doc, found = parse_doc(rel, path, text, schema.RESULT)
    if doc is None:
        return found
    item, own = validate_doc(doc)
    found += own + references.ref_problems(item.refs, path, site.known)
    if P.has_error(found):
        return found
    report = Problems()
    if identity(site, item, report):
        check_result(item, site.surveys.get(item.survey), report)
    return found + report.items + problems_in(path, text, privacy.public_phones(site))
