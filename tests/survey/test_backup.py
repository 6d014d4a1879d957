"""`flask --app survey backup` and `restore`: a consistent, verified copy taken while residents
keep submitting (every response acknowledged before the backup began is in it, although part
of the database is still in the WAL), and a restore that keeps what it replaces."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from survey import store

ANSWERS = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "基本满意"}}


def receipts(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT receipt FROM responses")}
    finally:
        conn.close()


def test_a_backup_under_concurrent_writes_holds_every_response_acknowledged_before_it(app, tmp_path):
    acknowledged: list[tuple[float, str]] = []
    stop = threading.Event()

    def resident() -> None:
        client = app.test_client()
        while not stop.is_set():
            r = client.post("/survey/api/all-types/responses", json={"answers": ANSWERS})
            assert r.status_code == 201, r.json
            acknowledged.append((time.monotonic(), r.json["receipt"]))

    writers = [threading.Thread(target=resident) for _ in range(3)]
    for w in writers:
        w.start()
    try:
        while len(acknowledged) < 60:
            time.sleep(0.02)
        started = time.monotonic()
        target = tmp_path / "backups" / "copy.db"
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(target)])
        while len(acknowledged) < len([a for a in acknowledged if a[0] <= started]) + 20:
            time.sleep(0.02)                    # residents kept submitting after it
    finally:
        stop.set()
        for w in writers:
            w.join()
    assert result.exit_code == 0, result.output
    assert "完整性检查通过" in result.output
    before = {receipt for at, receipt in acknowledged if at <= started}
    copied = receipts(target)
    assert before <= copied
    assert copied <= {receipt for _, receipt in acknowledged}
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"     # one self-contained file
    conn.close()
    assert not [p for p in target.parent.iterdir() if p.name != "copy.db"]   # no temporary left


def test_restore_puts_a_backup_back_and_keeps_what_it_replaced(app, client, tmp_path):
    first = client.post("/survey/api/all-types/responses", json={"answers": ANSWERS}).json["receipt"]
    copy = tmp_path / "copy.db"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(copy)]).exit_code == 0
    later = client.post("/survey/api/all-types/responses", json={"answers": ANSWERS}).json["receipt"]
    result = app.test_cli_runner().invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert "已从" in result.output and "恢复 1 份答卷" in result.output
    db = app.config["SURVEY_DB"]
    assert receipts(Path(db)) == {first}
    kept = next((Path(app.config["SURVEY_DB"]).parent / "backups").glob("*-before-restore.db"))
    assert receipts(kept) == {first, later}
    # The running service sees the restored data at once.
    assert store.counts(store.connect(db))["all-types"] == 1


def test_a_damaged_backup_is_refused_and_the_database_left_alone(app, client, tmp_path):
    receipt = client.post("/survey/api/all-types/responses", json={"answers": ANSWERS}).json["receipt"]
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = app.test_cli_runner().invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code == 1
    assert "恢复失败" in result.output and "数据库未改动" in result.output
    assert receipts(Path(app.config["SURVEY_DB"])) == {receipt}


def test_restore_asks_before_replacing_the_data(app, tmp_path):
    copy = tmp_path / "copy.db"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(copy)]).exit_code == 0
    result = app.test_cli_runner().invoke(args=["restore", str(copy)], input="n\n")
    assert result.exit_code == 1 and "已取消" in result.output


def test_two_restores_in_a_row_keep_both_safety_copies(app, client, tmp_path):
    client.post("/survey/api/all-types/responses", json={"answers": ANSWERS})
    copy = tmp_path / "copy.db"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(copy)]).exit_code == 0
    for _ in range(2):
        assert app.test_cli_runner().invoke(args=["restore", str(copy), "--yes"]).exit_code == 0
    assert len(list((Path(app.config["SURVEY_DB"]).parent / "backups").glob("*-before-restore*.db"))) == 2
