"""No 500s from crafted input (DESIGN §7; issue 13 §4): each case found by hand has its own
test, and a property test sends hypothesis-generated queries, JSON bodies and form posts to
every route — as a resident and as a logged-in administrator — and fails on any 5xx. Real
HTTP through Flask's test client on a real SQLite file."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow(seconds=30)    # started first, longest first (tests/conftest.py)

PASSWORD = "correct horse battery"
VALID = {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "满意"}}
RATING = "fwzx-myd-2026"


def errors_of(r) -> list[dict]:
    body = r.get_json()
    assert isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"], r.data[:300]
    return body["errors"]


def test_a_superscript_or_circled_window_number_is_a_clear_refusal(client):
    for window in ("²", "①", "٣", "３"):
        r = client.get(f"/survey/{RATING}/?community=changjiang&window={quote(window)}")
        assert r.status_code == 400, (window, r.status_code)
        assert "窗口号" in r.get_data(as_text=True)
        r = client.post(f"/survey/api/{RATING}/responses",
                        json={"answers": {}, "context": {"community": "changjiang", "window": window}})
        assert r.status_code == 422 and errors_of(r)[0]["question"] == "context"
        assert "窗口号" in errors_of(r)[0]["message"]


def test_json_nested_a_thousand_levels_deep_is_a_400(client):
    for depth in (1000, 5000, 100):
        body = "[" * depth + "]" * depth
        r = client.post("/survey/api/all-types/responses", data=body, content_type="application/json")
        assert r.status_code == 400, (depth, r.status_code)
        errors_of(r)
    nested: object = "满意"
    for _ in range(20):
        nested = [nested]
    deep = {"answers": {"single": "a", "scale": "满意", "matrix": {"r1": nested}}}
    assert client.post("/survey/api/all-types/responses", json=deep).status_code == 400


def test_a_lone_surrogate_in_a_text_answer_names_the_question(client, app):
    raw = '{"answers": {"single": "a", "scale": "满意", "matrix": {"r1": "满意", "r2": "满意"}, "text": "好\\ud800"}}'
    r = client.post("/survey/api/all-types/responses", data=raw, content_type="application/json")
    assert r.status_code == 422
    assert errors_of(r)[0]["question"] == "text" and "无法识别的字符" in errors_of(r)[0]["message"]
    raw = '{"answers": {"\\udfff": "x"}}'
    assert client.post("/survey/api/all-types/responses", data=raw, content_type="application/json").status_code == 400


def test_a_login_next_with_cr_lf_does_not_reach_the_location_header(app, client):
    app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=PASSWORD + "\n")
    for nxt in ("/survey/admin/\r\nSet-Cookie: x=1", "/survey/admin/\nX: y", "/survey/admin/\\\\evil.example/"):
        r = client.post("/survey/admin/login", data={"name": "li", "password": PASSWORD, "next": nxt})
        assert r.status_code == 303 and r.headers["Location"] == "/survey/admin/"
        assert "x=1" not in r.headers.get("Set-Cookie", "")
    r = client.get("/survey/admin/login?next=" + quote("/survey/admin/\r\nX: y"))
    assert r.status_code == 200


# --- the property test ------------------------------------------------------------------------

text = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["²", "①", "０", "-1", "1e9", "99999999999999999999", "changjiang", "3", "", " ", "\r\n", "%00", "../",
     "<script>", "' OR 1=1 --", "NaN", "好差评"])
header = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=300)   # what HTTP can carry
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                           max_leaves=20)
PATHS = ["/survey/{s}/", "/zh-hant/survey/{s}/", "/survey/{s}/thanks/{r}", "/survey/track/", "/survey/track/{r}",
         "/survey/api/{s}", "/survey/api/{s}/results", "/survey/admin/", "/survey/admin/{s}/",
         "/survey/admin/{s}/export.{r}", "/survey/admin/cases/", "/survey/admin/cases/{r}",
         "/survey/admin/accounts/", "/survey/admin/audit/", "/survey/admin/login"]
POSTS = ["/survey/{s}/", "/survey/track/{r}/feedback", "/survey/admin/login", "/survey/admin/{s}/publish",
         "/survey/admin/cases/{r}/verify", "/survey/admin/cases/{r}/close", "/survey/admin/cases/{r}/appeal",
         "/survey/admin/cases/{r}/decide", "/survey/admin/accounts/", "/survey/admin/accounts/{r}/password",
         "/survey/admin/accounts/{r}/disabled"]
SURVEYS = st.sampled_from(["all-types", RATING, "closed", "private", "invite-only", "nope"]) | text
KEYS = st.sampled_from(["service", "window", "community", "invite", "receipt", "next", "state", "new", "page",
                        "_nav", "_page", "_ctx.window", "_ctx.community", "place", "verdict", "decision",
                        "feedback", "password", "name", "role", "disabled", "single", "scale", "csrf_token"]) | text


def url(template: str, sid: str, other: str) -> str:
    return template.format(s=quote(sid, safe=""), r=quote(other, safe=""))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_crafted_request_gets_a_5xx(make_app, data):
    app = getattr(test_no_crafted_request_gets_a_5xx, "app", None)
    if app is None:
        app = test_no_crafted_request_gets_a_5xx.app = make_app(WTF_CSRF_ENABLED=False)     # type: ignore[attr-defined]
        app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=PASSWORD + "\n")
    client = app.test_client()
    if data.draw(st.booleans(), "logged in"):
        assert client.post("/survey/admin/login", data={"name": "li", "password": PASSWORD}).status_code == 303
    sid, other = data.draw(SURVEYS, "survey"), data.draw(text, "other")
    query = data.draw(st.dictionaries(KEYS, text, max_size=4), "query")
    kind = data.draw(st.sampled_from(["get", "json", "form", "raw"]), "kind")
    if kind == "get":
        r = client.get(url(data.draw(st.sampled_from(PATHS)), sid, other), query_string=query)
    elif kind == "json":
        body = data.draw(st.fixed_dictionaries({}, optional={"answers": json_values, "context": json_values,
                                                             "invite": json_values, "contact": json_values})
                         | json_values, "body")
        r = client.post(f"/survey/api/{quote(sid, safe='')}/responses", data=json.dumps(body),
                        content_type="application/json", headers={"Idempotency-Key": data.draw(header, "key")})
    elif kind == "raw":
        raw = data.draw(st.binary(max_size=64), "raw")
        r = client.post(f"/survey/api/{quote(sid, safe='')}/responses", data=raw, content_type="application/json")
    else:
        form = data.draw(st.dictionaries(KEYS, text, max_size=6), "form")
        r = client.post(url(data.draw(st.sampled_from(POSTS)), sid, other), data=form, query_string=query)
    assert r.status_code < 500, (r.status_code, r.request.url if hasattr(r, "request") else "", r.data[:400])
