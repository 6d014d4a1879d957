"""公布评议结果: a survey's aggregates written as `content/results/<sid>.yaml` for the builder
(DESIGN §1, §5). Aggregates only: counts per choice, never a rate (the build computes rates)
and never a free-text answer unless the survey marks that question `public`. The file carries
the sha256 of the full JSON export it was computed from, so an auditor can verify it.

`document` is pure; `publish` is the only function here that writes, and it writes atomically.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from portal import pipeline
from portal.surveys import Survey

from . import export, files
from .results import FREE_TEXT, aggregate, breakdowns

HEADER = "# 由 flask --app survey publish 生成，请勿手工修改；重新发布会覆盖本文件。\n"
PUBLIC_BREAKDOWNS = ("community", "service", "window", "month")


class PublishError(Exception):
    """A survey that cannot be published; the message is for staff, in Chinese."""


def decimal2(value: Decimal | None) -> str:
    """Two decimals, half-up, as a string ("" for no value): YAML never sees a float."""
    return "" if value is None else str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _question(q, item: dict[str, Any], given: list) -> dict[str, Any]:
    out: dict[str, Any] = {"id": q.id, "type": q.type, "label": q.label, "answered": item["answered"]}
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
        ranks = []
        for c in q.choices:
            positions = [v.index(c.value) + 1 for v in given if c.value in v]
            mean = Decimal(sum(positions)) / Decimal(len(positions)) if positions else None
            ranks.append({"value": c.value, "label": c.label, "mean": decimal2(mean)})
        out["ranks"] = ranks
    elif q.type == "number":
        out["mean"] = decimal2(Decimal(sum(given)) / Decimal(len(given)) if given else None)
    elif q.type in FREE_TEXT and q.public:
        out["texts"] = list(given)
    return out


def public_cases(cases: list[dict[str, Any]], site) -> list[dict[str, Any]]:
    """差评整改 records de-identified for publication: what was wrong (reason categories), where
    (service, window, community), what was done and answered, and when. Never the receipt, the
    phone, or the resident's own words."""
    items = site.items if site is not None else {}
    out = []
    for c in cases:
        guide = items.get(f"bszn/{c['service']}") if c["service"] else None
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
        out.append(rec)
    return out


def document(survey: Survey, responses: list[dict[str, Any]], site, export_json: bytes,
             now: dt.datetime, cases: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """The results file's content (pure)."""
    if survey.results != "public":
        raise PublishError(f"问卷“{survey.title}”（{survey.id}）的结果设为不公开（results: private），"
                           "不能公布；如需公布，请先在问卷文件中改为 results: public")
    if not responses:
        raise PublishError(f"问卷“{survey.title}”（{survey.id}）还没有答卷，暂时无可公布的结果")
    agg = aggregate(survey, responses)
    questions = []
    for q, item in zip(survey.questions, agg["questions"]):
        given = [r["answers"][q.id] for r in responses if q.id in r["answers"]]
        questions.append(_question(q, item, given))
    parts = breakdowns(survey, responses, site)
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
    if shown:
        doc["breakdowns"] = shown
    if survey.kind == "好差评":
        doc["cases"] = public_cases(list(cases), site)
    return doc


def to_yaml(doc: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def results_path(content_dir: str | Path, sid: str) -> Path:
    return Path(content_dir) / "results" / f"{sid}.yaml"


def _builder_errors(content_dir: Path, target: Path, today: dt.date) -> list[str]:
    """The builder's errors about the results file, exactly as `build.py check` shows them."""
    result = pipeline.check(content_dir, today)
    name = f"results/{target.name}"
    return [line for line in result.problems.lines() if ": 错误: " in line and name in line.split(":", 1)[0]]


def publish(survey: Survey, responses: list[dict[str, Any]], site, content_dir: str | Path,
            now: dt.datetime | None = None, cases: list[dict[str, Any]] = (), validate: bool = True) -> Path:
    """Write content/results/<sid>.yaml atomically (a temporary file, then rename) and return
    its path. With `validate`, the builder checks the new file right away; if it would break
    the build (e.g. a phone number typed into a reply), the previous file is put back and
    PublishError carries the builder's messages."""
    now = now or dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    text = to_yaml(document(survey, responses, site, export.to_json(responses), now, cases))
    target = results_path(content_dir, survey.id)
    previous = target.read_bytes() if target.exists() else None
    files.write_atomic(target, text.encode("utf-8"))
    if validate:
        errors = _builder_errors(Path(content_dir), target, now.date())
        if errors:
            if previous is None:
                target.unlink()
            else:
                files.write_atomic(target, previous)
            raise PublishError("结果文件未通过网站检查，已保留原来的文件：\n" + "\n".join(errors))
    return target


def published_at(content_dir: str | Path, sid: str) -> str | None:
    """When the results of `sid` were last published (the file's `published`), or None."""
    path = results_path(content_dir, sid)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    return str(data.get("published", "")) if isinstance(data, dict) else None
