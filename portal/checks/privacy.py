"""Personal data must never be published: resident ID numbers, private mobile numbers and bank
card numbers in bodies, fields, attachment names or CSV tables are errors (个人信息保护法;
政府网站 inspections treat leaked 身份证号 as a veto item).

Numbers are validated (ID checksum, Luhn) so ordinary long numbers such as 索引号 or voucher
numbers do not trip the check; messages show the number masked.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .. import problems as P
from ..model import Site
from ..problems import Problem, Problems
from .context import Context

ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![\d])(1[3-9]\d{9})(?!\d)")
CARD_RE = re.compile(r"(?<![\d])(\d{16,19})(?!\d)")
# A SHA-256 digest (published results name their export's) is not personal data, though a run
# of its digits can look like a mobile number.
DIGEST_RE = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_checksum_ok(number: str) -> bool:
    """GB 11643: the 18th character is a checksum over the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask(number: str) -> str:
    """Keep the first 3 and last 4 characters: 520115********1234."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


@dataclass(frozen=True)
class Finding:
    line: int            # 1-based line within the scanned text
    kind: str            # Chinese name of what was found
    masked: str


def scan(text: str, public_phones: Iterable[str] = ()) -> list[Finding]:
    """Personal numbers in `text`, with their 1-based line numbers."""
    allowed = {p.replace("-", "") for p in public_phones}
    out: list[Finding] = []
    for n, line in enumerate(text.split("\n"), 1):
        line = DIGEST_RE.sub(lambda m: " " * len(m[0]), line)
        ids = set()
        for m in ID_RE.finditer(line):
            if id_checksum_ok(m[1]):
                ids.add(m[1])
                out.append(Finding(n, "身份证号", mask(m[1])))
        for m in MOBILE_RE.finditer(line):
            if m[1] not in allowed:
                out.append(Finding(n, "手机号码", mask(m[1])))
        for m in CARD_RE.finditer(line):
            if m[1] not in ids and luhn_ok(m[1]):
                out.append(Finding(n, "银行卡号", mask(m[1])))
    return out


def public_phones(site: Site) -> list[str]:
    """Numbers that may be published: site.yaml's and each community's public phones, and the
    phones of its centre, Party committee and 首问负责 contact."""
    public = list(site.config.get("public_phones") or ())
    for c in site.communities.values():
        public += list(c.public_phones or ())
        for holder in (c.centre, c.party, c.first_contact):
            if holder is not None and holder.get("phone"):
                public.append(holder.phone)
    return public


def text_problems(path: str, text: str, public: Iterable[str]) -> list[Problem]:
    """One published text's personal numbers, each an error at its line, shown masked."""
    return [P.error(path, f.line, "", "", f"含有{f.kind} {f.masked}：公开内容不得包含个人信息，"
                    "请删除或去标识化（公开电话请登记在 public_phones）")
            for f in scan(text, public)]


def check(site: Site, problems: Problems, ctx: Context) -> None:
    """Scan every published source file and CSV table; report each number masked."""
    public = public_phones(site)
    for path in sorted(site.texts):
        problems.extend(text_problems(path, site.texts[path], public))
