"""The service's database connection (as flaskr's db.py): one per request on `g`, closed at
the end of the request; the schema migrated once at start-up; a context manager for commands
that run outside a request."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import Flask, current_app, g
from sqlite_utils import Database

from . import store


def get_db() -> Database:
    if "db" not in g:
        g.db = store.connect(current_app.config["SURVEY_DB"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


@contextlib.contextmanager
def connection(app: Flask | None = None) -> Iterator[Database]:
    """A connection for a command or a start-up task, closed afterwards."""
    db = store.connect((app or current_app).config["SURVEY_DB"])
    try:
        yield db
    finally:
        db.conn.close()


def init_app(app: Flask) -> None:
    with connection(app) as db:
        store.migrate(db)           # create or migrate the schema now, not on the first request
    app.teardown_appcontext(close_db)
