"""A resident's own words are stored as they read (issue 14): NUL, other control characters and
bidi controls (U+202E turns text around for staff) are stripped before the review page, the
database and the exports see them. Real HTTP through Flask's test client, a real SQLite file."""
from __future__ import annotations

from formtools import hidden_fields

from survey import store

NUL, RLO, LRI, PDI, RLM = "\u0000", "\u202e", "\u2066", "\u2069", "\u200f"
UNSEEN = (NUL, RLO, LRI, PDI, RLM, "\u202a", "\u202b", "\u202c", "\u202d", "\u2067", "\u2068", "\u200e")
VALID = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "满意"}}


def stored(app, sid: str) -> dict:
    [row] = store.responses(store.connect(app.config["SURVEY_DB"]), sid)
    return row["answers"]


def test_the_form_strips_nul_and_bidi_controls_before_review_and_storage(client, app):
    f = hidden_fields(client.get("/survey/all-types/").get_data(as_text=True))
    f.update({"_nav": "next", "single": "other", "single.other": f"开{NUL}证明{RLO}", "scale": "不满意",
              "why": f"{RLO}排队{NUL}太久{RLM}"})
    page2 = client.post("/survey/all-types/", data=f)
    assert page2.status_code == 200, page2.get_data(as_text=True)[:500]
    f = hidden_fields(page2.get_data(as_text=True))
    f.update({"_nav": "review", "matrix.r1": "满意", "matrix.r2": "满意", "text": f"{LRI}好评{PDI}"})
    review = client.post("/survey/all-types/", data=f).get_data(as_text=True)
    assert "请核对您的回答" in review and "排队太久" in review
    assert not any(c in review for c in UNSEEN)
    f = hidden_fields(review)
    f.update({"_nav": "submit"})
    assert client.post("/survey/all-types/", data=f).status_code == 303
    answers = stored(app, "all-types")
    assert (answers["why"], answers["single.other"], answers["text"]) == ("排队太久", "开证明", "好评")


def test_the_api_strips_them_too_and_counts_length_without_them(client, app):
    text = "".join(UNSEEN) + "十个字以内的回答"          # 8 characters: within the question's 10
    r = client.post("/survey/api/all-types/responses", json={"answers": {**VALID, "text": text}})
    assert r.status_code == 201, r.get_json()
    assert stored(app, "all-types")["text"] == "十个字以内的回答"


def test_an_answer_of_control_characters_only_is_no_answer(client):
    answers = {**VALID, "scale": "不满意", "why": NUL + RLO}
    r = client.post("/survey/api/all-types/responses", json={"answers": answers})
    assert r.status_code == 422
    assert r.get_json()["errors"] == [{"question": "why", "message": "“原因”是必答题"}]
