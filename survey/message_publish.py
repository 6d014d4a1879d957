"""公布留言统计: one month of 留言 written as `content/liuyan/<YYYY-MM>.yaml` for the builder
(portal.schema.messages), by `flask --app survey publish-liuyan YYYY-MM`.

What is published: counts per handling unit (received, replied, on time, working days to
reply); the messages whose writers agreed to publication and that have a reply, with personal
numbers masked (portal.personal_data.redact); the received dates of messages still unanswered
(for the 3-month rule). Never a contact phone, a receipt, a staff name or a resident's name
field (the form has none). `document` is pure; `publish` checks the text the way the build
will and writes it atomically, or writes nothing.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext

from portal import message_stats, schema, workdays
from portal.load import display_path, parse_doc
from portal.model import Site
from portal.personal_data import problems_in, public_numbers, redact
from portal.problems import Problem
from portal.write import write_atomic

from . import definitions, messages
from .db import connection
from .roles import CLI
from .store import log
from .store import messages as S

HEADER = "# 由 flask --app survey publish-liuyan 生成，请勿手工修改；重新发布会覆盖本文件。\n"


class PublishError(Exception):
    """A month that cannot be published; the message is for staff, in Chinese."""


def _clean(text: str, contact: str | None) -> str:
    """The resident's or the staff's text with personal numbers (and the contact) masked."""
    if contact:
        text = text.replace(contact, "（电话已隐去）")
    return redact(text.strip())


def document(period: str, rows: list[dict[str, Any]], calendar: workdays.Calendar, now: dt.datetime
             ) -> dict[str, Any]:
    """The 留言统计 file's content for the messages received in `period` (pure)."""
    chosen = [m for m in rows if m["received"][:7] == period]
    stats: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        ("received", "replied", "on_time", "reply_days"), 0))
    for m in chosen:
        s = stats[m["community"]]
        s["received"] += 1
        if m["replied"]:
            s["replied"] += 1
            s["on_time"] += 1 if messages.on_time(m) else 0
            s["reply_days"] += messages.reply_days(m, calendar) or 0
    published = [{"kind": m["kind"], "community": m["community"], "received": m["received"][:10],
                  "replied": m["replied"][:10], "subject": _clean(m["subject"], m["contact"]),
                  "question": _clean(m["body"], m["contact"]), "reply": _clean(m["reply"], m["contact"])}
                 for m in chosen if m["public"] and m["replied"]]
    unanswered = [{"community": m["community"], "received": m["received"][:10]} for m in chosen if not m["replied"]]
    doc: dict[str, Any] = {
        "period": period, "published": now.strftime("%Y-%m-%d %H:%M"), "as_of": now.date().isoformat(),
        "stats": [{"community": c, **stats[c]} for c in sorted(stats, key=lambda c: (c == messages.DISTRICT, c))],
    }
    if published:
        doc["messages"] = published
    if unanswered:
        doc["unanswered"] = unanswered
    return doc


def to_yaml(doc: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def target(content_dir: str | Path, period: str) -> Path:
    return Path(content_dir) / schema.MESSAGE_STATS.folder / f"{period}.yaml"


def validate(text: str, path: Path, site: Site) -> list[Problem]:
    """The problems the build would report about this file: schema, counts, personal data."""
    rel = f"{schema.MESSAGE_STATS.folder}/{path.name}"
    doc, found = parse_doc(rel, display_path(path), text, schema.MESSAGE_STATS)
    if doc is None:
        return found
    _, own = message_stats.check(doc, site.known)
    return found + own + problems_in(display_path(path), text,
                                     public_numbers(site.config, site.communities.values()))


def publish(period: str, rows: list[dict[str, Any]], site: Site, content_dir: str | Path, now: dt.datetime
            ) -> Path:
    if message_stats.PERIOD_RE.match(period) is None:
        raise PublishError(f"月份“{period}”应写成 YYYY-MM，如 2026-10")
    if period > now.strftime("%Y-%m"):
        raise PublishError(f"{period} 还没有到，不能公布")
    text = to_yaml(document(period, rows, site.calendar, now))
    path = target(content_dir, period)
    errors = [p.format() for p in sorted(validate(text, path, site)) if p.is_error]
    if errors:
        raise PublishError("留言统计未通过网站检查，没有写入文件：\n" + "\n".join(errors))
    write_atomic(path, text.encode("utf-8"))
    return path


@click.command("publish-liuyan")
@click.argument("period")
@with_appcontext
def publish_cmd(period: str) -> None:
    """把某月的留言统计和居民同意公开的留言、答复写入 content/liuyan/YYYY-MM.yaml。"""
    with connection() as db:
        rows = S.messages(db)
    try:
        path = publish(period, rows, definitions.site(), current_app.config["SURVEY_CONTENT"], definitions.now())
    except PublishError as e:
        raise click.ClickException(str(e)) from None
    with connection() as db:
        log(db, definitions.now_iso(), CLI, "公布留言统计", period)
    click.echo(f"已写入 {path}。请运行 python build.py 重新生成网站。")
