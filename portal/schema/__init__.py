"""Every content type: its fields, their types, requiredness, enums and Chinese labels.

This package is the one source of truth for the content model. The validator, error messages
and the `new` scaffolds are derived from it, and the survey service imports it too. Import it
as one namespace (`from portal import schema`; `schema.GUIDE`): `fields` holds the vocabulary
declarations are written in, `content` the portal's types, `surveys` survey definitions and
their published results.
"""
from __future__ import annotations

from .catalogue import *  # noqa: F403
from .catalogue import CATALOGUE
from .consultations import CONSULTATION
from .content import *  # noqa: F403
from .content import (
    APPEAL,
    CALENDAR,
    COLUMNS,
    COMMUNITY,
    DISCLOSURE,
    EVALUATION,
    GUIDE,
    INTERPRETATION,
    NEWS,
    NOTICE,
    PAGE,
    POLICY,
    REDIRECTS,
    SITE,
    SYNONYMS,
)
from .fields import *  # noqa: F403
from .fields import ContentType
from .messages import *  # noqa: F403
from .messages import MESSAGE_STATS
from .proposals import *  # noqa: F403
from .proposals import PROPOSAL
from .reports import ANNUAL_REPORT
from .requests import *  # noqa: F403
from .requests import REQUEST_STATS
from .surveys import *  # noqa: F403
from .surveys import RESULT, SURVEY

# Article-like types, in the order the portal lists them.
ITEM_TYPES: tuple[ContentType, ...] = (
    NOTICE, NEWS, POLICY, INTERPRETATION, GUIDE, DISCLOSURE, EVALUATION, RESULT, APPEAL, PAGE, ANNUAL_REPORT,
    PROPOSAL, CONSULTATION)
CONFIG_TYPES: tuple[ContentType, ...] = (SITE, COLUMNS, CATALOGUE, CALENDAR, REDIRECTS, SYNONYMS, REQUEST_STATS,
                                      MESSAGE_STATS)
ALL_TYPES: tuple[ContentType, ...] = CONFIG_TYPES + (COMMUNITY, SURVEY) + ITEM_TYPES
BY_NAME: dict[str, ContentType] = {t.name: t for t in ALL_TYPES}
BY_FOLDER: dict[str, ContentType] = {t.folder: t for t in ITEM_TYPES if t.folder != "disclosure"}
# Configuration files at the top of content/.
ROOT_FILES: dict[str, ContentType] = {"site.yaml": SITE, "columns.yaml": COLUMNS, "redirects.yaml": REDIRECTS,
                                      "synonyms.yaml": SYNONYMS}


def type_for(rel: str) -> ContentType | None:
    """The content type of a file at `rel` (a path relative to content/), or None."""
    parts = rel.split("/")
    if rel in ROOT_FILES:
        return ROOT_FILES[rel]
    if parts[0] == "surveys":
        return SURVEY if len(parts) == 2 and rel.endswith((".yaml", ".yml")) else None
    if parts[0] == "calendar" and len(parts) == 2 and rel.endswith((".yaml", ".yml")):
        return CALENDAR
    if parts[0] == REQUEST_STATS.folder and len(parts) == 2 and rel.endswith((".yaml", ".yml")):
        return REQUEST_STATS
    if parts[0] == MESSAGE_STATS.folder and len(parts) == 2 and rel.endswith((".yaml", ".yml")):
        return MESSAGE_STATS
    if parts[0] == "communities" and len(parts) == 2 and rel.endswith((".yaml", ".yml")):
        return COMMUNITY
    if parts[0] == "disclosure":
        if rel in ("disclosure/catalogue.yaml", "disclosure/catalogue.yml"):
            return CATALOGUE
        if rel.endswith(".md"):
            return DISCLOSURE
        return None
    t = BY_FOLDER.get(parts[0])
    if t and t.fmt == "yaml":
        return t if len(parts) == 2 and rel.endswith((".yaml", ".yml")) else None
    if t and rel.endswith(".md"):
        return t
    return None
