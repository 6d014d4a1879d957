"""「评议不记名」 holds in the database: after 50 invited submissions nothing in the whole file ties
a code to an answer, while each code still counts once under concurrent use; personal numbers
residents type into free text are masked for staff and in exports."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import threading

from survey import store

SID = "invite-only"
LEVELS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")


def invite_codes(app, n: int) -> list[str]:
    result = app.test_cli_runner().invoke(args=["invite", SID, "--count", str(n)])
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def submit(client, code: str, level: str):
    return client.post(f"/survey/api/{SID}/responses", json={"answers": {"q": level}, "invite": code})


def test_nothing_in_the_database_ties_an_invite_code_to_an_answer(app, client):
    codes = invite_codes(app, 50)
    order = []
    for n, code in enumerate(codes):
        r = submit(client, code, LEVELS[n % 5])
        assert r.status_code == 201
        order.append(r.json["receipt"])
    path = app.config["SURVEY_DB"]
    conn = sqlite3.connect(path)
    dump = "\n".join(conn.iterdump())
    for code in codes:                       # a code appears once: its own row in invites
        assert dump.count(code) == 1, code
        [row] = conn.execute("SELECT * FROM invites WHERE code = ?", [code]).fetchall()
        assert set(row) <= {code, SID, 1} | {r[2] for r in conn.execute("SELECT * FROM invites")}
    columns = {t: [c[1] for c in conn.execute(f"PRAGMA table_info({t})")]
               for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert columns["invites"] == ["code", "survey", "created", "used"]      # no time, order or link of use
    assert all("invite" not in c for t, cs in columns.items() if t != "invites" for c in cs)
    created = {r[0] for r in conn.execute("SELECT created FROM invites WHERE survey = ?", [SID])}
    assert len(created) == 1                                                 # made together, used in any order
    rows = conn.execute("SELECT receipt, submitted FROM responses WHERE survey = ? ORDER BY id", [SID]).fetchall()
    assert {s for _, s in rows} == {"2026-11-24T00:00:00+08:00"}            # the day, not the moment
    assert [r for r, _ in rows] != order and sorted(r for r, _ in rows) == sorted(order)   # random order
    assert not conn.execute("SELECT count(*) FROM hits").fetchone()[0]
    assert [r[0] for r in conn.execute("SELECT action FROM audit")] == ["生成邀请码"]       # no use is logged


def test_each_invite_code_counts_once_when_submissions_race(app):
    codes = invite_codes(app, 10)
    statuses: list[int] = []

    def attempt(code: str) -> None:
        statuses.append(submit(app.test_client(), code, "满意").status_code)

    threads = [threading.Thread(target=attempt, args=(c,)) for c in codes for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] * 10 + [422] * 20
    assert store.counts(store.connect(app.config["SURVEY_DB"]))[SID] == 10


def test_personal_numbers_in_free_text_are_masked_when_stored_and_for_staff(staff_client, app):
    text = "请回电 138-1234-5678，身份证 11010519491231002X"
    answers = {"single": "a", "scale": "不满意", "why": "慢", "matrix": {"r1": "满意", "r2": "满意"}, "text": "x"}
    r = staff_client.post("/survey/api/all-types/responses", json={"answers": {**answers, "why": text[:20]}})
    assert r.status_code == 201, r.json
    stored = json.dumps(store.responses(store.connect(app.config["SURVEY_DB"]), "all-types"), ensure_ascii=False)
    assert "13812345678" not in stored and "138-1234-5678" not in stored and "138****5678" in stored
    page = staff_client.get("/survey/admin/all-types/").get_data(as_text=True)
    assert "138****5678" in page and "1234-5678" not in page
    exported = staff_client.get("/survey/admin/all-types/export.csv").data.decode("utf-8-sig")
    assert "138****5678" in exported and "1234-5678" not in exported
    assert list(csv.reader(io.StringIO(exported)))


def test_a_survey_may_keep_the_raw_text_yet_staff_still_see_it_masked(make_app, content_dir, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    survey = (content / "surveys" / "all-types.yaml").read_text(encoding="utf-8")
    (content / "surveys" / "keep-raw.yaml").write_text(
        survey.replace("id: all-types", "id: keep-raw").replace("results: public", "results: public\nkeep_numbers: true"),
        encoding="utf-8")
    app = make_app(WTF_CSRF_ENABLED=False, SURVEY_CONTENT=str(content))
    client = app.test_client()
    answers = {"single": "a", "scale": "不满意", "why": "电话13812345678", "matrix": {"r1": "满意", "r2": "满意"}}
    assert client.post("/survey/api/keep-raw/responses", json={"answers": answers}).status_code == 201
    [row] = store.responses(store.connect(app.config["SURVEY_DB"]), "keep-raw")
    assert row["answers"]["why"] == "电话13812345678"
    app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input="long enough pass\n")
    client.post("/survey/admin/login", data={"name": "li", "password": "long enough pass"})
    exported = client.get("/survey/admin/keep-raw/export.json").get_data(as_text=True)
    assert "138****5678" in exported and "13812345678" not in exported
