"""纸质票录入 under /survey/admin/<sid>/ballots/: staff enter a 评议 meeting's paper ballots
(发出 / 收回 / 有效 / 废票 and the tally sheet of marks, 弃权 included), two different people
independently; the tally is used only when their entries agree. A district administrator then
publishes the online responses and the paper tally together: the results file says how many
came from each (`sources`) and the build computes every rate from the combined counts.

Community staff enter their own community's surveys; district administrators any survey, and
they publish. Every entry is one transaction and one line of the audit log; forms carry the
CSRF token like every staff form.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request, url_for
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response as BaseResponse

from portal import schema
from portal.content import validate_results
from portal.load import display_path
from portal.model import Site
from portal.surveys import Survey
from portal.write import write_atomic

from . import definitions, export, publish, store
from .ballot_tally import STATE_LABELS, Status, combined, mark_field, parse, rows_of, status, tallied
from .db import get_db
from .layout import no_store, staff_page
from .roles import account, admin_required, audit, is_admin, login_required, scope
from .store import ballots as ballot_store

bp = Blueprint("ballots", __name__)      # nested in survey.staff's: /survey/admin/<sid>/ballots/
bp.after_request(no_store)


def survey_or_404(sid: str) -> Survey:
    survey = definitions.get(sid)
    if survey is None:
        raise NotFound("找不到这份问卷，可能是网址有误")
    return survey


def _may_enter(survey: Survey) -> None:
    own = scope()
    if own is not None and survey.community != own:
        raise Forbidden("只能录入本社区评议的纸质票")


def _page(survey: Survey, code: int = 200, form: dict[str, str] | None = None, errors: list | None = None,
          message: str = "", error: str = "", error_title: str = "未能公布") -> Response:
    now = status(survey, ballot_store.latest_per_staff(get_db(), survey.id))
    mine = next((e for e in now.entries if e["staff"] == account()["name"]), None)
    return staff_page("survey/ballots.html", f"{survey.title}：纸质票录入", code, survey=survey, check=now,
                      state_label=STATE_LABELS[now.state], mine=mine, questions=tallied(survey), rows_of=rows_of,
                      mark_field=mark_field, form=form if form is not None else _blank(survey), errors=errors or [],
                      message=message, error=error, error_title=error_title,
                      may_publish=is_admin() and survey.results == "public")


def _blank(survey: Survey) -> dict[str, str]:
    return {"held": survey.opens.isoformat(), "label": f"{survey.opens.month}月{survey.opens.day}日评议会现场纸质测评"}


@bp.get("/<sid>/ballots/")
@login_required
def ballots(sid: str) -> Response:
    survey = survey_or_404(sid)
    _may_enter(survey)
    return _page(survey, message="已保存您的录入。" if request.args.get("saved") else "")


@bp.post("/<sid>/ballots/")
@login_required
def enter(sid: str) -> Response | BaseResponse:
    survey = survey_or_404(sid)
    _may_enter(survey)
    form = {k: v for k, v in request.form.items() if k != "csrf_token"}
    entry, problems = parse(survey, form)
    if problems:
        return _page(survey, 422, form=form, errors=problems)
    db = get_db()
    ballot_store.save_entry(db, {**entry, "survey": sid, "staff": account()["name"], "entered": definitions.now_iso()})
    audit("录入纸质票", sid,
          f"发出{entry['issued']} 收回{entry['returned']} 有效{entry['valid']} 废票{entry['invalid']}")
    now = status(survey, ballot_store.latest_per_staff(db, sid))
    if now.state == "mismatch":
        return _page(survey, 409, form=form, error_title="录入不一致",
                     error="您的录入已保存，但与另一名工作人员的录入不一致，两人的录入一致后纸质票才能计入结果。")
    return redirect(url_for(".ballots", sid=sid, saved=1), code=303)


@bp.post("/<sid>/ballots/publish")
@login_required
@admin_required
def publish_with_paper(sid: str) -> Response | BaseResponse:
    survey = survey_or_404(sid)
    db = get_db()
    try:
        _write_stored(survey, db, status(survey, ballot_store.latest_per_staff(db, sid)))
    except publish.PublishError as e:
        return _page(survey, 409, error=str(e))
    audit("公布结果（含纸质票）", sid)
    return redirect(url_for("staff.results", sid=sid, published=1), code=303)


def publish_agreed(survey: Survey, db: Any) -> Path | None:
    """For 公布结果 on the results page and `flask --app survey publish`: when this survey's paper
    ballots are agreed, publish online and paper together (the file's path; None otherwise), so
    the paper tally is never dropped by a publish of the online responses alone."""
    paper = status(survey, ballot_store.latest_per_staff(db, survey.id))
    return _write_stored(survey, db, paper) if paper.agreed is not None else None


def _write_stored(survey: Survey, db: Any, paper: Status) -> Path:
    """write() with what the database holds: the responses, cases and upheld complaints."""
    return write(survey, store.responses(db, survey.id), paper, definitions.site(),
                 current_app.config["SURVEY_CONTENT"], definitions.now(), store.cases(db, survey.id),
                 store.upheld_receipts(db, survey.id))


def write(survey: Survey, responses: list[dict[str, Any]], paper: Status, site: Site, content_dir: str | Path,
          now: dt.datetime, cases: list[dict[str, Any]] | tuple = (),
          excluded: set[str] | frozenset = frozenset()) -> Path:
    """content/results/<sid>.yaml from the online responses and the agreed paper tally, checked
    the way the build will check it before one atomic write (nothing is written otherwise)."""
    if paper.agreed is None:
        raise publish.PublishError(f"纸质票{STATE_LABELS[paper.state]}：两名工作人员的录入一致后才能计入结果")
    if survey.results != "public":
        raise publish.PublishError(f"问卷“{survey.title}”（{survey.id}）的结果设为不公开（results: private），不能公布")
    publish.check_phase(survey, now.date())
    online = export.for_staff(survey, [r for r in responses if r["receipt"] not in excluded])
    online_doc = publish.document(survey, export.for_staff(survey, responses), site,
                                  export.to_json(export.for_staff(survey, responses)), now, cases,
                                  excluded) if responses else None
    text = publish.to_yaml(combined(survey, online_doc, online, paper.agreed, now))
    target = publish.results_path(content_dir, survey.id)
    found = validate_results(text, f"{schema.RESULT.folder}/{target.name}", display_path(target), site)
    errors = [p.format() for p in sorted(found) if p.is_error]
    if errors:
        raise publish.PublishError("结果文件未通过网站检查，已保留原来的文件：\n" + "\n".join(errors))
    write_atomic(target, text.encode("utf-8"))
    return target
