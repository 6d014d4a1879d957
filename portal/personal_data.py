"""Finding personal numbers in text: resident ID numbers, mobile numbers and bank card numbers,
however they were typed (个人信息保护法; 政府网站 inspections treat a leaked 身份证号 as a veto).

Text is normalised first: full-width digits and spaces become ASCII (NFKC), so numbers typed
with a Chinese input method count. A number may be split by spaces, hyphens, dashes or dots in
the groupings people write (138-1234-5678, 520102 19900307 1236, 6222 0200 …), and a mobile may
carry a +86 / 86 prefix. ID numbers must pass their GB 11643 checksum and card numbers Luhn,
so order numbers, 索引号 and voucher numbers do not raise false alarms. Pure functions.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import problems as P
from .problems import Problem

# A run of digit groups split by one separator each (on NFKC-normalised text).
SEPARATORS = " \u00a0-\u2010\u2011\u2012\u2013\u2014\u2015."
RUN_RE = re.compile(r"(?<![0-9])\+?\d+(?:[" + re.escape(SEPARATORS) + r"]\d+)*[Xx]?(?![0-9])")
GROUP_RE = re.compile(r"\d+[Xx]?")
# A SHA-256 digest (published results name their export's) is not personal data, though a run
# of its digits can look like a mobile number.
DIGEST_RE = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MOBILE_SHAPES = {(11,), (3, 4, 4), (3, 8), (7, 4)}
ID_SHAPES = {(18,), (6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2), (6, 12)}
CARD_LENGTHS = range(16, 20)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

MOBILE, ID, CARD = "手机号码", "身份证号", "银行卡号"


def id_checksum_ok(number: str) -> bool:
    """GB 11643: the 18th character is a checksum over the first 17 digits."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _id_shaped(number: str) -> bool:
    """18 characters with a birth date in the middle: judged as an ID number (by its checksum),
    never as a card, so a mistyped ID does not turn into a false card alarm."""
    birth = number[6:14]
    return (len(number) == 18 and birth.isdigit() and birth[:2] in ("19", "20")
            and "01" <= birth[4:6] <= "12" and "01" <= birth[6:8] <= "31")


def mask(number: str) -> str:
    """Keep the first 3 and last 4 characters: 520***********1234."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def digits_of(number: str) -> str:
    """A phone number as its digits alone, without a +86 prefix (to compare with public ones)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKC", number) if ch.isdigit())
    return plain[2:] if len(plain) == 13 and plain.startswith("86") else plain


@dataclass(frozen=True)
class Finding:
    line: int            # 1-based line within the scanned text
    kind: str            # Chinese name of what was found
    masked: str
    number: str = field(default="", repr=False)    # the digits, to compare with public phones


def _kind(groups: list[str], whole: bool = True) -> tuple[str, str] | None:
    """What a sequence of digit groups is, as (kind, number), or None. A card written in groups
    counts only as a whole run (`whole`): four-digit groups are common in other numbers."""
    number = "".join(groups)
    shape = tuple(len(g) for g in groups)
    if shape in ID_SHAPES and _id_shaped(number):
        return (ID, number) if id_checksum_ok(number) else None
    if groups[0].startswith("86") and (len(groups) > 1 or len(number) == 13):   # +86 138 1234 5678
        rest = _kind(([groups[0][2:]] if len(groups[0]) > 2 else []) + groups[1:])
        if rest and rest[0] == MOBILE:
            return rest
    if shape in MOBILE_SHAPES and MOBILE_RE.match(number):
        return MOBILE, number
    split_in_fours = whole and len(groups) > 1 and all(n == 4 for n in shape[:-1]) and 1 <= shape[-1] <= 4
    if len(number) in CARD_LENGTHS and (len(groups) == 1 or (split_in_fours and number[0] in "3456")) \
            and luhn_ok(number):
        return CARD, number
    return None


MIN_DIGITS = 11                  # the shortest number looked for: a mobile number


def _numbers(run: str) -> list[tuple[str, str]]:
    """The personal numbers in one run of digit groups: the longest group sequences first, a
    group used once."""
    groups = GROUP_RE.findall(run)
    if sum(map(len, groups)) < MIN_DIGITS:
        return []
    found, i = [], 0
    while i < len(groups):
        for j in range(min(len(groups), i + 6), i, -1):
            hit = _kind(groups[i:j], whole=(i == 0 and j == len(groups)))
            if hit:
                found.append(hit)
                i = j
                break
        else:
            i += 1
    return found


HOW = "公开内容不得包含个人信息，请删除或去标识化（公开电话请登记在 public_phones）"


def public_numbers(config: Mapping[str, Any], communities: Iterable[Any]) -> list[str]:
    """Numbers that may be published: site.yaml's and each community's public phones, and the
    phones of its centre, Party committee and 首问负责 contact."""
    public = list(config.get("public_phones") or ())
    for c in communities:
        public += list(c.public_phones or ())
        for holder in (c.centre, c.party, c.first_contact):
            if holder is not None and holder.get("phone"):
                public.append(holder.phone)
    return public


def problems_in(path: str, text: str, public: Iterable[str], where: str = "", line: int = 0) -> list[Problem]:
    """Each personal number in a text as an error, shown masked: at the text's own line, or at
    `line` with `where` (a sheet cell, a page) when the text is part of a file."""
    return [P.error(path, line or f.line, "", "", f"{where}含有{f.kind} {f.masked}：{HOW}")
            for f in scan(text, public)]


def problems_from(path: str, findings: Iterable[Finding], public: Iterable[str]) -> list[Problem]:
    """problems_in for a text scanned before the public phones were known."""
    allowed = _allowed(tuple(public))
    return [P.error(path, f.line, "", "", f"含有{f.kind} {f.masked}：{HOW}")
            for f in findings if not (f.kind == MOBILE and f.number in allowed)]


def _redact_line(line: str) -> str:
    normal = unicodedata.normalize("NFKC", line)
    base = line if len(normal) == len(line) else normal      # replace in place when widths agree
    out, last = [], 0
    for m in RUN_RE.finditer(normal):
        found = _numbers(m[0])
        if found:
            out += [base[last:m.start()], "、".join(mask(number) for _, number in found)]
            last = m.end()
    return "".join(out) + base[last:]


def redact(text: str) -> str:
    """The text with every personal number masked in place (138****5678), for what staff see
    of residents' free-text answers."""
    return "\n".join(_redact_line(line) for line in text.split("\n"))


@functools.lru_cache(maxsize=64)
def _allowed(public_phones: tuple[str, ...]) -> frozenset[str]:
    return frozenset(digits_of(p) for p in public_phones)


def scan(text: str, public_phones: Iterable[str] = ()) -> list[Finding]:
    """Personal numbers in `text`, with their 1-based line numbers."""
    allowed = _allowed(tuple(public_phones))
    out: list[Finding] = []
    normal = DIGEST_RE.sub(lambda m: " " * len(m[0]), unicodedata.normalize("NFKC", text))
    for m in RUN_RE.finditer(normal):           # a run never crosses a line
        if len(m[0]) < MIN_DIGITS:
            continue
        for kind, number in _numbers(m[0]):
            if kind == MOBILE and number in allowed:
                continue
            out.append(Finding(normal.count("\n", 0, m.start()) + 1, kind, mask(number), number))
    return out
