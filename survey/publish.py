"""公布评议结果: a survey's aggregates written as `content/results/<sid>.yaml` for the builder
(DESIGN §1, §5). Aggregates only: counts per choice, never a rate (the build computes rates)
and never a free-text answer unless the survey marks that question `public`. The file carries
the sha256 of the full JSON export it was computed from, so an auditor can verify it.

`document` is pure; `publish` is the only function here that writes, and it writes atomically.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from portal import clock, rates, rectification, schema
from portal.content import validate_results
from portal.load import display_path
from portal.model import Site
from portal.surveys import Question, Survey
from portal.write import write_atomic

from . import export
from .results import aggregate, breakdowns

HEADER = "# 由 flask --app survey publish 生成，请勿手工修改；重新发布会覆盖本文件。\n"
PUBLIC_BREAKDOWNS = ("community", "service", "window", "month")


class PublishError(Exception):
    """A survey that cannot be published; the message is for staff, in Chinese."""


def _scale_members(q: Question) -> dict[str, Any]:
    """What a declared-scale question's entry carries so the build can compute its rate from
    counts alone: the scale, the levels counted, how 弃权 is treated, the rate's name, weights."""
    out: dict[str, Any] = {"scale": q.scale_name, "levels": list(q.levels), "exclude_abstain": q.exclude_abstain,
                           "rate_name": q.rate_name}
    if q.weights:
        out["weights"] = [{"level": level, "weight": w} for level, w in q.weights]
    return out


def entry_from_counts(q: Question, answered: int, counts: Mapping[str, int] | None = None,
                      rows: Mapping[str, Mapping[str, int]] | None = None,
                      satisfied: tuple[str, ...] = schema.SATISFIED_DEFAULT) -> dict[str, Any]:
    """A counted question's entry in the results file from counts alone (pure), for results that
    do not come from stored responses (e.g. a meeting's paper ballots, or online and paper
    tallies added together with `add_counts`). Shapes:

    - single / multiple / scale5 / rating / nps and declared-scale single questions: `counts`
      is {choice value: how many chose it} (弃权 is the value "弃权" where the scale offers it;
      a value not given counts 0) and `answered` how many answered the question (弃权 included);
    - matrix: `rows` is {row id: {choice value: count}}; `answered` how many answered any row.

    The entry lists every choice of `q.scale` in order, with `satisfied` (the count of the
    levels counted as satisfied: the question's own on a declared scale, else `satisfied`, the
    survey's) and, on a declared scale, `scale`, `levels`,
    `exclude_abstain`, `rate_name` and `weights`: the build computes every rate from these
    (portal.rates), the file never holds one.

    A results document whose answers come from more than one place also carries `sources`
    (after `satisfied`): [{channel: 网上 | 纸质, label, responses, issued, returned, valid,
    invalid}] (portal.schema.RESULT_SOURCE); the build checks Σ responses = `responses`,
    收回 ≤ 发出, 有效 + 废票 = 收回 and that a paper source counts its valid ballots."""
    item: dict[str, Any] = {"answered": answered}
    if q.type == "matrix":
        item["rows"] = []
        for row in q.rows:
            got = dict((rows or {}).get(row.value, {}))
            entry = {"id": row.value, "label": row.label, "answered": sum(got.values()),
                     "counts": [{"value": c.value, "count": got.get(c.value, 0)} for c in q.scale],
                     "satisfied": {"count": rates.satisfied_count(got, q.levels or satisfied)}}
            item["rows"].append(entry)
    else:
        got = dict(counts or {})
        item["counts"] = [{"value": c.value, "label": c.label, "count": got.get(c.value, 0)} for c in q.scale]
        if q.type == "scale5" or q.scale_name:
            item["satisfied"] = {"count": rates.satisfied_count(got, q.levels or satisfied)}
    return _question(q, item)


def add_counts(*tallies: Mapping[str, int]) -> dict[str, int]:
    """Counts per choice added together (online + paper), keys in first-seen order."""
    out: dict[str, int] = {}
    for t in tallies:
        for value, n in t.items():
            out[value] = out.get(value, 0) + n
    return out


def _question(q: Question, item: dict[str, Any]) -> dict[str, Any]:
    """One question's entry in the results file, from its aggregate (rates and means computed
    by portal.rates; a mean nobody's answers give is "")."""
    out: dict[str, Any] = {"id": q.id, "type": q.type, "label": q.label, "answered": item["answered"]}
    if q.scale_name:
        out.update(_scale_members(q))
    if "counts" in item:
        out["counts"] = [{"value": c["value"], "label": c["label"], "count": c["count"]} for c in item["counts"]]
        if "satisfied" in item:
            out["satisfied"] = item["satisfied"]["count"]
    elif q.type == "matrix":
        labels = {c.value: c.label for c in q.scale}
        out["rows"] = [{"id": r["id"], "label": r["label"], "answered": r["answered"],
                        "satisfied": r["satisfied"]["count"],
                        "counts": [{"value": c["value"], "label": labels.get(c["value"], c["value"]),
                                    "count": c["count"]} for c in r["counts"]]}
                       for r in item["rows"]]
    elif q.type == "ranking":
        out["ranks"] = [{"value": r["value"], "label": r["label"], "mean": r["mean"] or ""}
                        for r in item["mean_rank"]]
    elif q.type == "number":
        out["mean"] = item.get("mean", "")
    elif q.type in schema.FREE_TEXT_TYPES and q.public:
        out["texts"] = list(item.get("texts", ()))
    return out


def public_cases(cases: list[dict[str, Any]], site: Site) -> list[dict[str, Any]]:
    """差评整改 records de-identified for publication: what was wrong (reason categories), where
    (service, window, community), what was done and answered, and when. Never the receipt, the
    phone, or the resident's own words."""
    out = []
    for c in cases:
        guide = site.guide(c["service"]) if c["service"] else None
        rec: dict[str, Any] = {
            "opened": c["opened"][:10], "level": c["level"], "reasons": list(c["reasons"]),
            "service": c["service"], "service_label": guide.title if guide is not None else c["service"],
            "window": c["window"], "community": c["community"],
            "verify_due": c["verify_due"], "reply_due": c["reply_due"],
            "verified": (c["verified"] or "")[:10], "verdict": c["verdict"] or "",
            "closed": (c["closed"] or "")[:10],
        }
        if c["closed"]:
            rec.update(rectification=c["rectification"], reply=c["reply"],
                       on_time=c["closed"][:10] <= c["reply_due"])
        if c.get("followup_method"):
            rec["followup"] = c["followup_method"]
        if c.get("appeal_state") in rectification.PUBLISHED_APPEALS:
            rec["appeal"] = rectification.PUBLISHED_APPEALS[c["appeal_state"]]
        out.append(rec)
    return out


def feedback(cases: list[dict[str, Any]]) -> dict[str, int] | None:
    """How residents rated the rectification of their 差评 (counts only), when any did."""
    given = [c.get("feedback") for c in cases if c.get("feedback")]
    return {"satisfied": given.count("满意"), "unsatisfied": given.count("不满意")} if given else None


def check_phase(survey: Survey, today: dt.date) -> None:
    """A 评议 (or a survey that says `results_after_close: true`) is published only after it
    has closed: residents must not read results while others are still rating."""
    if not survey.publishable(today):
        raise PublishError(f"问卷“{survey.title}”（{survey.id}）到{survey.closes.year}年{survey.closes.month}月"
                           f"{survey.closes.day}日才结束，评议结果要在问卷结束后才能公布"
                           f"（最早{_cn(survey.closes + dt.timedelta(days=1))}）")


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def document(survey: Survey, responses: list[dict[str, Any]], site: Site, export_json: bytes,
             now: dt.datetime, cases: list[dict[str, Any]] | tuple = (), excluded: set[str] | frozenset = frozenset()
             ) -> dict[str, Any]:
    """The results file's content (pure). `excluded`: receipts of ratings whose 申诉 the district
    upheld: left out of every count and rate, and said so (never hidden silently)."""
    if survey.results != "public":
        raise PublishError(f"问卷“{survey.title}”（{survey.id}）的结果设为不公开（results: private），"
                           "不能公布；如需公布，请先在问卷文件中改为 results: public")
    check_phase(survey, now.date())
    if not responses:
        raise PublishError(f"问卷“{survey.title}”（{survey.id}）还没有答卷，暂时无可公布的结果")
    counted = [r for r in responses if r["receipt"] not in excluded]
    agg = aggregate(survey, counted)
    questions = [_question(q, item) for q, item in zip(survey.questions, agg["questions"], strict=True)]
    parts = breakdowns(survey, counted, site)
    shown = {}
    for key in PUBLIC_BREAKDOWNS:
        rows = parts[key]
        if any(r["group"] for r in rows):            # omit a breakdown nobody's answers have
            shown[key] = [{k: r[k] for k in ("group", "label", "responses", "answered", "satisfied") if k in r}
                          for r in rows]
    doc: dict[str, Any] = {
        "survey": survey.id, "title": survey.title, "kind": survey.kind, "community": survey.community,
        "published": now.strftime("%Y-%m-%d %H:%M"),
        "first_response": responses[0]["submitted"][:10], "last_response": responses[-1]["submitted"][:10],
        "responses": len(responses), "satisfied": list(survey.satisfied),
        "export": {"format": "json", "responses": len(responses), "sha256": export.sha256(export_json)},
        "questions": questions,
    }
    if len(counted) < len(responses):
        doc["excluded"] = len(responses) - len(counted)
    if shown:
        doc["breakdowns"] = shown
    if survey.kind == "好差评":
        doc["cases"] = public_cases(list(cases), site)
        if feedback(list(cases)):
            doc["feedback"] = feedback(list(cases))
    return doc


def to_yaml(doc: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def results_path(content_dir: str | Path, sid: str) -> Path:
    return Path(content_dir) / "results" / f"{sid}.yaml"


def publish(survey: Survey, responses: list[dict[str, Any]], site: Site, content_dir: str | Path,
            now: dt.datetime | None = None, cases: list[dict[str, Any]] | tuple = (),
            validate: bool = True, excluded: set[str] | frozenset = frozenset()) -> Path:
    """Write content/results/<sid>.yaml atomically and return its path. With `validate`, the
    new document is first checked in memory the way the build will check it; if it would
    break the build (e.g. a phone number typed into a reply), nothing is written and
    PublishError carries the builder's messages."""
    now = now or clock.now()                 # the service passes its own (pinned) now
    responses = export.for_staff(survey, responses)
    text = to_yaml(document(survey, responses, site, export.to_json(responses), now, cases, excluded))
    target = results_path(content_dir, survey.id)
    if validate:
        found = validate_results(text, f"{schema.RESULT.folder}/{target.name}", display_path(target), site)
        errors = [p.format() for p in sorted(found) if p.is_error]
        if errors:
            raise PublishError("结果文件未通过网站检查，已保留原来的文件：\n" + "\n".join(errors))
    write_atomic(target, text.encode("utf-8"))
    return target


def published_at(content_dir: str | Path, sid: str) -> str | None:
    """When the results of `sid` were last published (the file's `published`), or None."""
    path = results_path(content_dir, sid)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    return str(data.get("published", "")) if isinstance(data, dict) else None
