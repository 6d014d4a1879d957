"""The service's database connections: each request borrows one from a small per-process pool
(on the app) and gives it back at the end of the request; the schema migrated once at start-up;
a context manager for commands that run outside a request.

Reusing connections matters under load: opening one costs three PRAGMAs, and closing the last
connection of a WAL database checkpoints and deletes the WAL file, on every request — together
a third of a submission's time. A connection is only given back outside any transaction; the
pool belongs to one process (a pool made before gunicorn forks is never used after it).
"""
from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

from flask import Flask, current_app, g
from sqlite_utils import Database

from . import store

KEEP = 8                    # idle connections kept per process (a worker's threads)


class Pool:
    def __init__(self, path: str):
        self.path, self.pid = path, os.getpid()
        self.idle: list[Database] = []
        self.lock = threading.Lock()

    def take(self) -> Database:
        with self.lock:
            if self.pid != os.getpid():          # forked: the parent's connections are not ours
                self.idle, self.pid = [], os.getpid()
            if self.idle:
                return self.idle.pop()
        return store.connect(self.path)

    def give_back(self, db: Database) -> None:
        if db.conn.in_transaction:               # never hand a half-done transaction to the next request
            db.conn.rollback()
        with self.lock:
            if self.pid == os.getpid() and len(self.idle) < KEEP:
                self.idle.append(db)
                return
        db.conn.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for db in idle:
            db.conn.close()


def pool(app: Flask) -> Pool:
    return app.extensions["survey_db"]


def get_db() -> Database:
    if "db" not in g:
        g.db = pool(current_app).take()
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        pool(current_app).give_back(db)


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
    app.extensions["survey_db"] = Pool(app.config["SURVEY_DB"])
    app.teardown_appcontext(close_db)
