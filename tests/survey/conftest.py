"""Survey-service fixtures: the sample content plus test surveys in a temporary copy, an app
on a real SQLite file per test, Flask's test client."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from formtools import survey_yaml
from sampletools import copy_sample

from survey import create_app

TODAY = dt.date(2026, 11, 24)

ALL_TYPES = """\
id: all-types
title: 题型测试
kind: 满意度
opens: 2026-01-01
closes: 2030-12-31
results: public
pages:
  - title: 第一页
    questions:
      - {id: single, type: single, label: 单选, required: true, other: true, choices: [{value: a, label: 甲}, {value: b, label: 乙}]}
      - {id: multiple, type: multiple, label: 多选, min: 1, max: 2, other: true, choices: [{value: a, label: 甲}, {value: b, label: 乙}, {value: c, label: 丙}]}
      - {id: scale, type: scale5, label: 满意度, required: true}
      - {id: why, type: textarea, label: 原因, maxlength: 20, required: true, show_if: {question: scale, in: [不满意, 非常不满意]}}
      - {id: rating, type: rating, label: 打分}
      - {id: nps, type: nps, label: 推荐}
  - title: 第二页
    questions:
      - {id: matrix, type: matrix, label: 矩阵, required: true, rows: [{id: r1, label: 态度}, {id: r2, label: 速度}]}
      - {id: rank, type: ranking, label: 排序, choices: [{value: x, label: 一}, {value: y, label: 二}]}
      - {id: text, type: text, label: 单行, maxlength: 10}
      - {id: number, type: number, label: 数字, min: 0, max: 9}
      - {id: date, type: date, label: 日期}
      - {id: both, type: text, label: 组合条件, show_if: {all: [{question: rating, equals: 5}, {question: single, answered: true}]}}
"""


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("survey-content") / "content"
    copy_sample(target)
    s = target / "surveys"
    (s / "all-types.yaml").write_text(ALL_TYPES, encoding="utf-8")
    (s / "invite-only.yaml").write_text(survey_yaml("invite-only", access="invite"), encoding="utf-8")
    (s / "closed.yaml").write_text(survey_yaml("closed", opens="2025-01-01", closes="2025-12-31"), encoding="utf-8")
    (s / "later.yaml").write_text(survey_yaml("later", opens="2027-01-01", closes="2027-12-31"), encoding="utf-8")
    (s / "private.yaml").write_text(survey_yaml("private", results="private"), encoding="utf-8")
    return target


@pytest.fixture
def make_app(content_dir, tmp_path):
    def make(**config):
        cfg = {"TESTING": True, "SECRET_KEY": "test-secret", "SURVEY_DB": str(tmp_path / "survey.db"),
               "SURVEY_CONTENT": str(content_dir), "SURVEY_TODAY": TODAY, "SURVEY_MIN_SECONDS": 0,
               "SURVEY_RATELIMIT": "off", "SURVEY_LOGIN_RATELIMIT": "off"}
        cfg.update(config)
        return create_app(cfg)
    return make


@pytest.fixture
def app(make_app):
    return make_app(WTF_CSRF_ENABLED=False)


@pytest.fixture
def client(app):
    return app.test_client()




STAFF_PASSWORD = "correct horse battery"


@pytest.fixture
def staff_client(app):
    """A client logged in as a district administrator."""
    app.test_cli_runner().invoke(args=["create-admin", "li", "--password-stdin"], input=STAFF_PASSWORD + "\n")
    client = app.test_client()
    assert client.post("/survey/admin/login", data={"name": "li", "password": STAFF_PASSWORD}).status_code == 303
    return client
