"""The JSON API: DESIGN §5 shapes, every question type, and the OpenAPI document checked
against real responses."""
from __future__ import annotations

import sqlite3
import threading

import jsonschema
import pytest

from survey import store
from survey.openapi import SPEC

BASE_OK = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "基本满意"}}


def post(client, sid, answers, **extra):
    return client.post(f"/survey/api/{sid}/responses", json={"answers": answers, **extra})


def schema_for(path: str, method: str, status: int):
    op = SPEC["paths"][path][method]["responses"][str(status)]
    return op["content"]["application/json"]["schema"]


def test_definition_has_the_contract_shape(client):
    r = client.get("/survey/api/all-types")
    assert r.status_code == 200
    body = r.json
    assert set(body) == {"id", "title", "kind", "opens", "closes", "access", "questions"}
    q = body["questions"][0]
    assert set(q) == {"id", "type", "label", "help", "required", "choices", "rows", "min", "max", "show_if", "page"}
    assert [c["value"] for c in q["choices"]] == ["a", "b", "other"]
    assert [x["page"] for x in body["questions"]][-1] == 2
    why = next(x for x in body["questions"] if x["id"] == "why")
    assert why["show_if"] == {"question": "scale", "in": ["不满意", "非常不满意"]}
    jsonschema.validate(body, schema_for("/survey/api/{sid}", "get", 200))


def test_valid_submission_of_every_type_is_stored_with_the_definition_version(client, app):
    answers = {**BASE_OK, "multiple": ["a", "other"], "multiple.other": "自填", "rating": 4, "nps": 9,
               "rank": ["y", "x"], "text": "好", "number": 3, "date": "2026-11-01"}
    r = post(client, "all-types", answers, context={"community": "huanghe", "window": "3"})
    assert r.status_code == 201, r.json
    jsonschema.validate(r.json, schema_for("/survey/api/{sid}/responses", "post", 201))
    db = store.connect(app.config["SURVEY_DB"])
    [row] = store.responses(db, "all-types")
    assert row["answers"] == answers
    assert row["context"] == {"community": "huanghe", "window": "3"}
    assert row["version"] == next(s for s in [app.extensions["portal_site"].surveys["all-types"]]).version


@pytest.mark.parametrize("qid, value, message", [
    ("single", "z", "请从给出的选项中选择"),
    ("multiple", ["a", "b", "c"], "最多只能选择 2 项"),
    ("multiple", [], None),
    ("multiple", ["a", "a"], "同一选项只能选一次"),
    ("scale", "好", "请从给出的选项中选择"),
    ("rating", 6, "不能大于 5"),
    ("rating", "五", "请填写整数"),
    ("nps", -1, "不能小于 0"),
    ("matrix", {"r1": "满意"}, "请对每一行都作出选择"),
    ("matrix", {"r1": "满意", "r9": "满意"}, "请在每一行中从给出的选项中选择"),
    ("rank", ["x", "x"], "请为每一项排出不重复的名次"),
    ("text", "一二三四五六七八九十十一", "最多 10 字"),
    ("text", "两\n行", "请在一行内填写"),
    ("number", 10, "不能大于 9"),
    ("date", "2026-02-30", "日期格式应为 YYYY-MM-DD"),
])
def test_invalid_value_of_each_type_is_refused_naming_the_question(client, qid, value, message):
    r = post(client, "all-types", {**BASE_OK, qid: value})
    if message is None:                     # an empty optional answer is simply not given
        assert r.status_code == 201
        return
    assert r.status_code == 422
    jsonschema.validate(r.json, schema_for("/survey/api/{sid}/responses", "post", 422))
    [err] = r.json["errors"]
    assert err["question"] == qid and message in err["message"]


def test_missing_required_answers_are_each_named(client):
    r = post(client, "all-types", {})
    assert r.status_code == 422
    assert {e["question"] for e in r.json["errors"]} == {"single", "scale", "matrix"}
    assert all("必答题" in e["message"] for e in r.json["errors"])


def test_other_needs_its_text(client):
    r = post(client, "all-types", {**BASE_OK, "single": "other"})
    assert r.status_code == 422 and "请注明" in r.json["errors"][0]["message"]


def test_unknown_question_is_refused(client):
    r = post(client, "all-types", {**BASE_OK, "nope": "x"})
    assert r.status_code == 422 and r.json["errors"][0]["question"] == "nope"


def test_show_if_hides_required_question_and_drops_its_answer(client, app):
    r = post(client, "all-types", {**BASE_OK, "why": "不该保存"})
    assert r.status_code == 201
    [row] = store.responses(store.connect(app.config["SURVEY_DB"]), "all-types")
    assert "why" not in row["answers"]


def test_show_if_shows_the_question_and_makes_it_required(client):
    r = post(client, "all-types", {**BASE_OK, "scale": "不满意"})
    assert r.status_code == 422 and r.json["errors"][0]["question"] == "why"
    assert post(client, "all-types", {**BASE_OK, "scale": "不满意", "why": "排队久"}).status_code == 201


def test_show_if_all_of_several_conditions(client, app):
    assert post(client, "all-types", {**BASE_OK, "rating": 4, "both": "x"}).status_code == 201
    assert post(client, "all-types", {**BASE_OK, "rating": 5, "both": "y"}).status_code == 201
    rows = store.responses(store.connect(app.config["SURVEY_DB"]), "all-types")
    assert ["both" in r["answers"] for r in rows] == [False, True]


def test_unknown_service_in_the_context_is_refused_not_stored(client, app):
    r = post(client, "all-types", BASE_OK, context={"service": "no-such-guide"})
    assert r.status_code == 422 and r.json["errors"][0]["question"] == "context"
    assert store.responses(store.connect(app.config["SURVEY_DB"]), "all-types") == []
    assert post(client, "all-types", BASE_OK, context={"service": "dibao"}).status_code == 201


@pytest.mark.parametrize("sid, status", [("closed", 410), ("later", 403), ("nothing", 404)])
def test_closed_not_yet_open_and_unknown_surveys(client, sid, status):
    r = post(client, sid, {"q": "满意"})
    assert r.status_code == status
    jsonschema.validate(r.json, schema_for("/survey/api/{sid}/responses", "post", status))


def test_invite_code_is_good_for_one_response(client, app):
    db = store.connect(app.config["SURVEY_DB"])
    [code] = store.create_invites(db, "invite-only", 1, "2026-11-24T09:00:00+08:00")
    assert post(client, "invite-only", {"q": "满意"}).status_code == 422          # no code
    assert post(client, "invite-only", {"q": "满意"}, invite="WRONG").status_code == 422
    assert post(client, "invite-only", {"q": "满意"}, invite=code).status_code == 201
    again = post(client, "invite-only", {"q": "满意"}, invite=code)
    assert again.status_code == 422 and "已经使用过" in again.json["errors"][0]["message"]


def test_two_simultaneous_posts_with_one_invite_cannot_both_win(app):
    db = store.connect(app.config["SURVEY_DB"])
    [code] = store.create_invites(db, "invite-only", 1, "2026-11-24T09:00:00+08:00")
    barrier = threading.Barrier(8)
    statuses = []

    def worker():
        c = app.test_client()
        barrier.wait()
        statuses.append(post(c, "invite-only", {"q": "满意"}, invite=code).status_code)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [422] * 7
    n = sqlite3.connect(app.config["SURVEY_DB"]).execute("SELECT count(*) FROM responses").fetchone()[0]
    assert n == 1


def test_results_are_aggregates_for_public_surveys_only(client):
    for level in ("非常满意", "满意", "不满意"):
        post(client, "all-types", {**BASE_OK, "scale": level, **({"why": "慢"} if level == "不满意" else {})})
    r = client.get("/survey/api/all-types/results")
    assert r.status_code == 200
    jsonschema.validate(r.json, schema_for("/survey/api/{sid}/results", "get", 200))
    scale = next(q for q in r.json["questions"] if q["id"] == "scale")
    assert scale["satisfied"] == {"count": 2, "rate": "66.67"}
    why = next(q for q in r.json["questions"] if q["id"] == "why")
    assert "texts" not in why                       # free text is never published unless marked public
    assert client.get("/survey/api/private/results").status_code == 403


def test_openapi_document_is_served_and_well_formed(client):
    r = client.get("/survey/api/openapi.json")
    assert r.status_code == 200 and r.json["openapi"].startswith("3.")
    for path in ("/survey/api/{sid}", "/survey/api/{sid}/responses", "/survey/api/{sid}/results"):
        assert path in r.json["paths"]


def test_malformed_json_is_a_clear_400(client):
    r = client.post("/survey/api/all-types/responses", data="not json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json["errors"][0]["message"]


def test_oversized_request_is_refused(client):
    r = post(client, "all-types", {**BASE_OK, "text": "长" * 100_000})
    assert r.status_code == 413


def test_healthz_answers_when_the_database_does(client):
    r = client.get("/survey/healthz")
    assert r.status_code == 200 and r.data == b"ok"


def test_schema_is_versioned_and_in_wal_mode(app):
    db = store.connect(app.config["SURVEY_DB"])
    assert store.schema_version(db) == len(store.MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_definition_marks_the_other_choice_and_names_the_key_for_its_text(client):
    body = client.get("/survey/api/all-types").json
    jsonschema.validate(body, schema_for("/survey/api/{sid}", "get", 200))
    marked = {q["id"]: [c for c in q["choices"] if "text_key" in c] for q in body["questions"]}
    assert marked["single"] == [{"value": "other", "label": "其他（请注明）", "text_key": "single.other"}]
    assert marked["multiple"][0]["text_key"] == "multiple.other"
    assert all(not v for k, v in marked.items() if k not in ("single", "multiple"))
    # A client that only reads the definition can answer 其他（请注明）.
    choice = marked["single"][0]
    r = post(client, "all-types", {**BASE_OK, "single": choice["value"], choice["text_key"]: "自己写的"})
    assert r.status_code == 201, r.json


def test_nps_and_means_are_two_decimal_strings_as_on_the_portal(client):
    from portal import results as portal_results
    from portal.items import Record
    for score, number in ((9, 1), (10, 2), (3, 2)):
        assert post(client, "all-types", {**BASE_OK, "nps": score, "number": number}).status_code == 201
    r = client.get("/survey/api/all-types/results")
    jsonschema.validate(r.json, schema_for("/survey/api/{sid}/results", "get", 200))
    by_id = {q["id"]: q for q in r.json["questions"]}
    assert by_id["nps"]["nps"] == "33.33"                 # (2 promoters − 1 detractor) / 3, half-up
    assert by_id["number"]["mean"] == "1.67"
    counts = [Record({"value": c["value"], "label": c["label"], "count": c["count"]}) for c in by_id["nps"]["counts"]]
    assert portal_results.nps(counts).score == by_id["nps"]["nps"]


def test_an_invite_code_is_accepted_in_any_case_as_in_the_form(client, app):
    db = store.connect(app.config["SURVEY_DB"])
    [code] = store.create_invites(db, "invite-only", 1, "2026-11-24T09:00:00+08:00")
    assert post(client, "invite-only", {"q": "满意"}, invite=f" {code.lower()} ").status_code == 201
    assert post(client, "invite-only", {"q": "满意"}, invite=code).status_code == 422       # used once
