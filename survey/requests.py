"""依申请公开: the rules of an information request under 《政府信息公开条例》(2019), as pure
functions; the SQL is survey.store.requests, the pages survey.requests_resident and
survey.requests_staff.

- 第二十九条: what an application states (applicant, ID, contact, the information sought, the
  form and the way to receive it): `parse_form` checks it; ID numbers are checked (居民身份证 and
  the residence permits by the GB 11643 check digit, 统一社会信用代码 by GB 32100's) and stored
  only masked plus a keyed hash, so staff can compare the card an applicant shows without the
  database holding the number.
- 第三十三条: an answer within 20 working days of receipt; one extension of at most 20 working
  days, with a reason, decided before the deadline.
- 第三十条: 补正 is asked for once, within 7 working days of receipt; the clock stops meanwhile
  and “答复期限自行政机关收到补正的申请之日起计算”: it starts again, in full, on the day the
  completed application arrives. An applicant who does not complete it in the time given is
  answered 其他处理 (逾期不补正).
- 第三十六条: the answer is one of schema.OUTCOMES, with a reason where the type needs one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from portal import schema, workdays

from .answers import AnswerError
from .cases import add_workdays, days_left

ANSWER_DAYS = 20            # 第三十三条
EXTENSION_DAYS = 20         # 第三十三条: 延长的期限最长不得超过20个工作日
CORRECTION_ASK_DAYS = 7     # 第三十条: 自收到申请之日起7个工作日内一次性告知
CORRECTION_DAYS = 10        # the time an applicant is given to complete, unless staff say otherwise
MAX_TEXT = 2000

APPLICANT_TYPES = schema.APPLICANT_TYPES
CITIZEN_IDS = ("居民身份证", "港澳居民居住证", "台湾居民居住证", "外国人永久居留身份证", "护照",
               "港澳居民来往内地通行证", "台湾居民来往大陆通行证")
ORGANISATION_IDS = ("统一社会信用代码",)
FORMATS = ("纸质文本", "电子文档", "光盘或其他介质")
DELIVERIES = ("邮寄", "电子邮件", "当面领取")
OUTCOMES = schema.OUTCOMES
OUTCOME_REASONS = schema.OUTCOME_REASONS

# States of a stored request; "overdue" is derived (open past its deadline).
OPEN, EXTENDED, CORRECTION, ANSWERED, OVERDUE = "open", "extended", "correction", "answered", "overdue"
STATE_LABELS = {OPEN: "办理中", EXTENDED: "延期办理中", CORRECTION: "待申请人补正", OVERDUE: "已超过答复期限",
                ANSWERED: "已答复"}

_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB32100_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_GB32100_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RequestError(Exception):
    """A step that is not possible in the request's state (message in Chinese)."""


# --- ID numbers ----------------------------------------------------------------------

def gb11643_ok(number: str) -> bool:
    """An 18-character number with a valid birth date and GB 11643 check digit."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _GB11643_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17]


def gb32100_ok(code: str) -> bool:
    """统一社会信用代码: 18 characters and the GB 32100-2015 check character."""
    if len(code) != 18 or any(c not in _GB32100_CHARS for c in code):
        return False
    total = sum(_GB32100_CHARS.index(c) * w for c, w in zip(code[:17], _GB32100_WEIGHTS, strict=True))
    return _GB32100_CHARS[(31 - total % 31) % 31] == code[17]


def id_problem(id_type: str, number: str) -> str:
    """Why an ID number of this type is wrong ("" when it is right)."""
    if id_type == "居民身份证":
        return "" if gb11643_ok(number) else "居民身份证号码应为 18 位，最后一位是数字或 X；请核对（校验位不符）"
    if id_type in ("港澳居民居住证", "台湾居民居住证"):
        prefix = ("810000", "820000") if id_type == "港澳居民居住证" else ("830000",)
        return "" if gb11643_ok(number) and number.startswith(prefix) else \
            f"{id_type}号码应为 18 位，以 {' 或 '.join(prefix)} 开头；请核对（校验位不符）"
    if id_type == "外国人永久居留身份证":
        ok = (len(number) == 18 and number.startswith("9") and gb11643_ok(number)) or \
            bool(re.fullmatch(r"[A-Z]{3}\d{12}", number))
        return "" if ok else "外国人永久居留身份证号码应为以 9 开头的 18 位（或旧版 3 个字母加 12 位数字）"
    if id_type == "护照":
        return "" if re.fullmatch(r"[A-Z0-9]{5,17}", number) else "护照号码应为 5 到 17 位字母或数字"
    if id_type == "港澳居民来往内地通行证":
        return "" if re.fullmatch(r"[HM]\d{8}(\d{2})?", number) else "通行证号码应为 H 或 M 加 8 位（或 10 位）数字"
    if id_type == "台湾居民来往大陆通行证":
        return "" if re.fullmatch(r"\d{8}(\d{2})?", number) else "台湾居民来往大陆通行证号码应为 8 位（或 10 位）数字"
    if id_type == "统一社会信用代码":
        return "" if gb32100_ok(number) else "统一社会信用代码应为 18 位数字或大写字母；请核对（校验位不符）"
    return "请选择证件类型"


def normalise_id(number: str) -> str:
    """Upper case, no spaces (full-width letters and digits folded to ASCII)."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in number)
    return re.sub(r"\s+", "", folded).upper()


def mask_id(number: str) -> str:
    """What staff pages show: the first and last few characters only."""
    keep = (6, 4) if len(number) >= 15 else (2, 2) if len(number) >= 8 else (1, 1)
    return number[:keep[0]] + "*" * (len(number) - sum(keep)) + number[-keep[1]:]


def id_hash(salt: str, id_type: str, number: str) -> str:
    """A keyed hash (the database's own salt) to compare a presented card with, never reversed."""
    return hmac.new(salt.encode(), f"{id_type}:{normalise_id(number)}".encode(), hashlib.sha256).hexdigest()


# --- the application form ------------------------------------------------------------

@dataclass(frozen=True)
class Application:
    applicant_type: str
    name: str
    id_type: str
    id_number: str            # normalised; only masked and hashed when stored
    phone: str
    email: str
    address: str
    description: str
    purpose: str
    format: str
    delivery: str


FIELDS = ("applicant_type", "name", "id_type", "id_number", "phone", "email", "address", "description",
          "purpose", "format", "delivery")


def parse_form(form: Mapping[str, str]) -> tuple[Application, list[AnswerError]]:
    """The application and every problem in it, each naming its field (第二十九条)."""
    v = {k: str(form.get(k) or "").strip() for k in FIELDS}
    v["id_number"] = normalise_id(v["id_number"])
    v["phone"] = re.sub(r"\s", "", v["phone"])
    errors = _applicant_errors(v) + _contact_errors(v) + _request_errors(v)
    return Application(**v), errors


def _applicant_errors(v: Mapping[str, str]) -> list[AnswerError]:
    """Who applies: the type, the name, the ID type and its number."""
    out: list[AnswerError] = []
    org = v["applicant_type"] == "法人或其他组织"
    if v["applicant_type"] not in APPLICANT_TYPES:
        out.append(AnswerError("applicant_type", "请选择申请人类型：公民，或法人或其他组织"))
    if not v["name"]:
        out.append(AnswerError("name", "请填写单位名称" if org else "请填写申请人姓名"))
    elif len(v["name"]) > 100:
        out.append(AnswerError("name", "名称最多 100 字"))
    if v["id_type"] not in (ORGANISATION_IDS if org else CITIZEN_IDS):
        out.append(AnswerError("id_type", "法人或其他组织请选择“统一社会信用代码”" if org else "请选择证件类型"))
    elif not v["id_number"]:
        out.append(AnswerError("id_number", "请填写证件号码"))
    elif problem := id_problem(v["id_type"], v["id_number"]):
        out.append(AnswerError("id_number", problem))
    return out


def _contact_errors(v: Mapping[str, str]) -> list[AnswerError]:
    """How to reach the applicant: phone, e-mail (needed for delivery by e-mail), address."""
    out: list[AnswerError] = []
    if not v["phone"]:
        out.append(AnswerError("phone", "请填写联系电话"))
    elif not schema.CONTACT_PHONE_RE.match(v["phone"]):
        out.append(AnswerError("phone", f"电话号码“{v['phone'][:20]}”格式不对，请填写 11 位手机号或带区号的固定电话"))
    if v["email"] and (not EMAIL_RE.match(v["email"]) or len(v["email"]) > 100):
        out.append(AnswerError("email", "电子邮箱格式不对，例如 name@example.com"))
    elif v["delivery"] == "电子邮件" and not v["email"]:
        out.append(AnswerError("email", "选择通过电子邮件获取时，请填写电子邮箱"))
    if not v["address"]:
        out.append(AnswerError("address", "请填写通信地址（邮寄答复和材料用）"))
    elif len(v["address"]) > 200:
        out.append(AnswerError("address", "通信地址最多 200 字"))
    return out


def _request_errors(v: Mapping[str, str]) -> list[AnswerError]:
    """What is asked for, why (optional), in what form and how to receive it."""
    out: list[AnswerError] = []
    if not v["description"]:
        out.append(AnswerError("description", "请写明申请公开的政府信息的名称、文号或便于查询的其他特征性描述"))
    elif len(v["description"]) > MAX_TEXT:
        out.append(AnswerError("description", f"所需信息描述最多 {MAX_TEXT} 字"))
    if len(v["purpose"]) > 500:
        out.append(AnswerError("purpose", "用途说明最多 500 字"))
    if v["format"] not in FORMATS:
        out.append(AnswerError("format", "请选择信息的提供形式"))
    if v["delivery"] not in DELIVERIES:
        out.append(AnswerError("delivery", "请选择获取信息的方式"))
    return out


# --- the clock -----------------------------------------------------------------------

def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def first_due(calendar: workdays.Calendar, received: dt.date) -> tuple[dt.date, bool]:
    """(deadline, estimated): 20 working days after the day of receipt (第三十三条)."""
    return add_workdays(calendar, received, ANSWER_DAYS)


def state(req: Mapping[str, Any], today: dt.date) -> str:
    """One of STATE_LABELS for a stored request."""
    if req["answered"]:
        return ANSWERED
    if req["state"] == CORRECTION:
        return CORRECTION
    due = _d(req["due"])
    if due is not None and today > due:
        return OVERDUE
    return EXTENDED if req["extended"] else OPEN


def left(req: Mapping[str, Any], calendar: workdays.Calendar, today: dt.date) -> int | None:
    """Working days to the deadline (negative once passed); None while paused or answered."""
    if req["answered"] or req["state"] == CORRECTION or not req["due"]:
        return None
    return days_left(calendar, today, _d(req["due"]) or today)


def extend(req: Mapping[str, Any], reason: str, calendar: workdays.Calendar, today: dt.date) -> dict[str, Any]:
    """第三十三条: one extension of 20 working days, with a reason, before the deadline."""
    reason = reason.strip()
    if req["answered"]:
        raise RequestError("这件申请已经答复，不能再延期")
    if req["extended"]:
        raise RequestError("答复期限只能延长一次（《政府信息公开条例》第三十三条）")
    if req["state"] == CORRECTION:
        raise RequestError("申请正在等待补正，答复期限暂停计算，补正后才能延期")
    if not reason:
        raise RequestError("请写明延期理由（将告知申请人）")
    due = _d(req["due"])
    assert due is not None
    if today > due:
        raise RequestError(f"答复期限 {due} 已过，不能再延期；请尽快答复")
    new_due, estimated = add_workdays(calendar, due, EXTENSION_DAYS)
    return {"state": EXTENDED, "extended": today.isoformat(), "extension_reason": reason,
            "due": new_due.isoformat(), "estimated": int(bool(req["estimated"]) or estimated)}


def ask_correction(req: Mapping[str, Any], note: str, days: int, calendar: workdays.Calendar,
                   today: dt.date) -> dict[str, Any]:
    """第三十条: ask once, within 7 working days of receipt, saying what to complete and by when;
    the deadline is cleared (the clock stops)."""
    note = note.strip()
    if req["answered"]:
        raise RequestError("这件申请已经答复，不能再要求补正")
    if req["correction_asked"]:
        raise RequestError("补正只能一次性告知（《政府信息公开条例》第三十条），这件申请已经要求过补正")
    received = _d(req["received"])
    assert received is not None
    limit, _ = add_workdays(calendar, received, CORRECTION_ASK_DAYS)
    if today > limit:
        raise RequestError(f"要求补正应在收到申请之日起 7 个工作日内（{limit} 前）一次性告知，已超过，请直接答复")
    if not note:
        raise RequestError("请写明需要补正的事项（将告知申请人）")
    if not 1 <= days <= 60:
        raise RequestError("补正期限应为 1 到 60 个工作日")
    by, _ = add_workdays(calendar, today, days)
    return {"state": CORRECTION, "correction_asked": today.isoformat(), "correction_note": note,
            "correction_due": by.isoformat(), "due": None}


def complete_correction(req: Mapping[str, Any], calendar: workdays.Calendar, today: dt.date) -> dict[str, Any]:
    """The completed application arrived today: the 20 working days start again from today
    (第三十条: 答复期限自行政机关收到补正的申请之日起计算)."""
    if req["state"] != CORRECTION or req["answered"]:
        raise RequestError("这件申请没有在等待补正")
    due, estimated = first_due(calendar, today)
    return {"state": OPEN, "correction_done": today.isoformat(), "due": due.isoformat(),
            "estimated": int(bool(req["estimated"]) or estimated)}


def answer(req: Mapping[str, Any], outcome: str, reason: str, reply: str, organ: str, today: dt.date
           ) -> dict[str, Any]:
    """第三十六条: the answer, its type, and the reason where the type needs one."""
    reply, organ = reply.strip(), organ.strip()
    if req["answered"]:
        raise RequestError("这件申请已经答复过")
    if outcome not in OUTCOMES:
        raise RequestError("请选择答复类型")
    reasons = OUTCOME_REASONS[outcome]
    if reasons and reason not in reasons:
        raise RequestError(f"“{outcome}”须选择理由：{'、'.join(reasons)}")
    if not reasons:
        reason = ""
    if outcome == "非本机关" and reason == "已告知负责公开的机关" and not organ:
        raise RequestError("请写明负责公开该信息的机关名称（第三十六条第五项）")
    if req["state"] == CORRECTION and outcome != "其他处理":
        raise RequestError("申请正在等待补正：补正后再答复，或申请人逾期不补正时选择“其他处理”")
    if not reply:
        raise RequestError("请填写答复内容（将告知申请人）")
    if len(reply) > MAX_TEXT * 2:
        raise RequestError("答复内容最多 4000 字")
    return {"state": ANSWERED, "answered": today.isoformat(), "outcome": outcome, "outcome_reason": reason,
            "reply": reply, "organ": organ if outcome == "非本机关" else ""}


def late(req: Mapping[str, Any]) -> bool:
    """Answered after its deadline."""
    answered, due = _d(req["answered"]), _d(req["due"])
    return answered is not None and due is not None and answered > due


# --- the year's counts ---------------------------------------------------------------

def year_counts(requests: Iterable[Mapping[str, Any]], year: int, as_of: dt.date) -> dict[str, Any]:
    """The statistics of one year up to `as_of`, in content/ysqgk/<year>.yaml's shape (counts
    only; schema.REQUEST_STATS). Received in the year, carried over from before, answered in
    the year by outcome, carried forward; extensions and 补正 asked in the year."""
    start = dt.date(year, 1, 1)
    end = min(as_of, dt.date(year, 12, 31))

    def within(value: str | None) -> bool:
        day = _d(value)
        return day is not None and start <= day <= end

    rows = [r for r in requests if (_d(r["received"]) or end) <= end]
    received = [r for r in rows if within(r["received"])]
    carried = [r for r in rows if (_d(r["received"]) or start) < start
               and (not r["answered"] or (_d(r["answered"]) or start) >= start)]
    answered = [r for r in rows if within(r["answered"])]
    outcomes: dict[tuple[str, str], int] = {}
    for r in answered:
        kind = (r["outcome"], r["outcome_reason"] or "")
        outcomes[kind] = outcomes.get(kind, 0) + 1
    order = {(o, x): i for i, (o, x) in enumerate((o, x) for o in OUTCOMES for x in ("", *OUTCOME_REASONS[o]))}
    return {
        "year": year, "as_of": end.isoformat(),
        "received": len(received),
        "received_by_applicant": {"citizen": sum(r["applicant_type"] == "公民" for r in received),
                                  "organisation": sum(r["applicant_type"] != "公民" for r in received)},
        "carried_over": len(carried),
        "answered": len(answered),
        "outcomes": [{"type": o, **({"reason": x} if x else {}), "count": n}
                     for (o, x), n in sorted(outcomes.items(), key=lambda kv: order.get(kv[0], 999))],
        "carried_forward": len(received) + len(carried) - len(answered),
        "extensions": sum(within(r["extended"]) for r in rows),
        "corrections": sum(within(r["correction_asked"]) for r in rows),
        "overdue": sum(late(r) for r in answered),
    }
