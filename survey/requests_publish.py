"""依申请公开 statistics: a year's counts written as content/ysqgk/<year>.yaml for the builder and
its annual report (/xxgk/ndbg/<year>/). Counts only — never a name, an ID, a contact, the text
of an application or a reply. The document is checked in memory the way the build checks it
(portal.request_stats) before it is written, atomically."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from portal import request_stats, schema
from portal.load import display_path, parse_doc
from portal.personal_data import problems_in
from portal.write import write_atomic

from .requests import year_counts

HEADER = "# 由 flask --app survey publish-ysqgk 生成，请勿手工修改；重新发布会覆盖本文件。\n"


class PublishError(Exception):
    """Statistics that cannot be published; the message is for staff, in Chinese."""


def document(requests: Iterable[Mapping[str, Any]], year: int, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    """The file's content (pure): the year's counts up to today."""
    if year > today.year:
        raise PublishError(f"{year} 年还没有开始，不能生成统计")
    counts = year_counts(requests, year, today)
    return {"year": year, "published": now.strftime("%Y-%m-%d %H:%M"), **counts}


def to_yaml(doc: Mapping[str, Any]) -> str:
    return HEADER + yaml.safe_dump(dict(doc), allow_unicode=True, sort_keys=False, width=100)


def stats_path(content_dir: str | Path, year: int) -> Path:
    return Path(content_dir) / schema.REQUEST_STATS.folder / f"{year}.yaml"


def publish(requests: Iterable[Mapping[str, Any]], year: int, content_dir: str | Path, today: dt.date,
            now: dt.datetime) -> Path:
    """Write content/ysqgk/<year>.yaml (only if the build would accept it) and return its path."""
    text = to_yaml(document(requests, year, today, now))
    target = stats_path(content_dir, year)
    rel = f"{schema.REQUEST_STATS.folder}/{target.name}"
    doc, found = parse_doc(rel, display_path(target), text, schema.REQUEST_STATS)
    if doc is not None:
        found += request_stats.check(doc)[1]
    found += problems_in(display_path(target), text, frozenset())
    errors = [p.format() for p in sorted(found) if p.is_error]
    if doc is None or errors:
        raise PublishError("统计文件未通过网站检查，已保留原来的文件：\n" + "\n".join(errors))
    write_atomic(target, text.encode("utf-8"))
    return target
