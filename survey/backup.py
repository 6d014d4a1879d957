"""Backing up and restoring the survey database while the service runs.

A plain file copy of a WAL database misses what is still in `survey.db-wal` (acknowledged
responses included). A backup here goes through SQLite's online backup API: one consistent
snapshot of the database as committed at that moment, WAL included, taken while writers go on.
The copy is checked (`PRAGMA integrity_check`, the schema version) before it is moved into
place with one rename, so a backup file is either whole and verified or absent.

A restore copies a verified backup into the live database through the same API (other
connections see the restored data at their next transaction; nothing is replaced under them),
after keeping a backup of what it replaces.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .store.migrations import MIGRATIONS


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for staff (Chinese)."""


@dataclass(frozen=True)
class Copy:
    path: Path
    responses: int
    size: int


def default_name(folder: Path, now: dt.datetime) -> Path:
    return folder / f"survey-{now:%Y%m%d-%H%M%S}.db"


def backup(database: Path, output: Path) -> Copy:
    """A verified copy of `database` at `output` (written beside it, then renamed)."""
    if not database.is_file():
        raise BackupError(f"找不到数据库文件 {database}")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        _copy(database, tmp)
        responses = verify(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return Copy(output, responses, output.stat().st_size)


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup, all pages in one step: the copy is one snapshot."""
    src = sqlite3.connect(source, timeout=30)      # (read only by use: a WAL reader needs -shm)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")   # a backup is one self-contained file
    finally:
        dst.close()
        src.close()


def verify(path: Path) -> int:
    """The number of responses in a survey database file that passes SQLite's integrity
    check and has a schema this service knows; BackupError otherwise."""
    try:
        conn = sqlite3.connect(path, timeout=30)
    except sqlite3.Error as e:
        raise BackupError(f"{path} 不是可用的数据库文件（{e}）") from None
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(f"{path} 未通过完整性检查：{'；'.join(result[:3])}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if not 1 <= version <= len(MIGRATIONS):
            raise BackupError(f"{path} 不是问卷服务的数据库（版本 {version}）")
        return conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} 不是可用的数据库文件（{e}）") from None
    finally:
        conn.close()


def restore(source: Path, database: Path, keep: Path) -> tuple[int, Copy | None]:
    """Put a verified backup's data into `database`; what it held first is backed up to
    `keep` (None when there was no database). Returns the responses restored."""
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}")
    responses = verify(source)
    kept = backup(database, keep) if database.is_file() else None
    database.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(database, timeout=30)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()
    verify(database)
    return responses, kept
