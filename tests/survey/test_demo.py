"""Demo data for `make run`: a few hundred clearly marked responses on an empty database, and
the sample results shipped in content/results/ are exactly what publish writes from them."""
from __future__ import annotations

import shutil

import pytest
from sampletools import copy_sample, sample

from survey import cases, create_app, store
from survey.demo import ANCHOR, COUNTS


@pytest.fixture
def demo_app(tmp_path):
    content = copy_sample(tmp_path / "content")
    shutil.rmtree(content / "results")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SURVEY_DB": str(tmp_path / "demo.db"),
                      "SURVEY_CONTENT": str(content), "SURVEY_TODAY": ANCHOR, "WTF_CSRF_ENABLED": False})
    return app, content


def test_shipped_sample_results_are_what_publish_writes_from_the_demo_seed(demo_app):
    app, content = demo_app
    result = app.test_cli_runner().invoke(args=["demo", "--publish"])
    assert result.exit_code == 0, result.output
    shipped = sorted(p.name for p in (sample() / "results").glob("*.yaml"))
    assert shipped == sorted(f"{sid}.yaml" for sid in COUNTS)
    for name in shipped:
        assert (content / "results" / name).read_bytes() == (sample() / "results" / name).read_bytes(), \
            (f"the committed content/results/{name} is stale: run `SURVEY_TODAY=2026-11-24 flask --app survey demo "
             "--publish` on an empty database and commit the files (tests read the committed ones)")


def test_demo_seeds_only_an_empty_database_and_marks_every_response(demo_app):
    app, _ = demo_app
    runner = app.test_cli_runner()
    assert "已载入" in runner.invoke(args=["demo"]).output
    db = store.connect(app.config["SURVEY_DB"])
    total = sum(store.counts(db).values())
    assert 300 <= total == store.demo_count(db)
    assert "没有再载入" in runner.invoke(args=["demo"]).output
    assert sum(store.counts(db).values()) == total
    states = {cases.state(c, ANCHOR) for c in store.cases(db)}
    assert states == {"open", "overdue", "closed"}              # the queue shows every state


def test_dashboard_says_how_much_is_demo_data(demo_app):
    app, _ = demo_app
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    runner.invoke(args=["create-admin", "li", "--password-stdin"], input="correct horse battery\n")
    c = app.test_client()
    c.post("/survey/admin/login", data={"name": "li", "password": "correct horse battery"})
    html = c.get("/survey/admin/").get_data(as_text=True)
    assert "份是演示数据" in html and "回执码以 DEMO 开头" in html


def test_demo_fills_the_liuyan_queue_with_a_message_in_each_state_and_no_contact_data(demo_app):
    from survey.demo import DEMO_MESSAGES
    from survey.store import messages as M
    app, _ = demo_app
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    db = store.connect(app.config["SURVEY_DB"])
    stored = M.messages(db)
    assert len(stored) == len(DEMO_MESSAGES)
    assert {bool(m["accepted"]) for m in stored} == {True, False}
    assert sum(bool(m["replied"]) for m in stored) == 2 and sum(bool(m["closed"]) for m in stored) == 1
    assert all(m["contact"] is None for m in stored)
    runner.invoke(args=["demo"])                                   # a second run adds nothing
    assert len(M.messages(store.connect(app.config["SURVEY_DB"]))) == len(DEMO_MESSAGES)
