"""The personal-data scanner (portal.personal_data) as properties: a valid mobile, ID or card
number is found however it is written (separators, full-width digits, +86), masked, and its
checksum-invalid twin is never reported."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.personal_data import (
    CARD,
    ID,
    ID_CHECK,
    ID_WEIGHTS,
    MOBILE,
    MOBILE_SHAPES,
    id_checksum_ok,
    luhn_ok,
    mask,
    scan,
)

SEPARATORS = [" ", "-", "\u3000", "\u00a0", "\u2014", ".", "\uff0d"]
TEXT = st.text(alphabet="的通知请于前到社区服务中心办理，。电话：", max_size=8)


def group(number: str, shape: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for n in shape:
        out.append(number[i:i + n])
        i += n
    return sep.join(out)


def widen(s: str, full: bool) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}) if full else s


@st.composite
def mobiles(draw) -> str:
    return "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                                             min_size=9, max_size=9)))


@st.composite
def ids(draw) -> str:
    region = draw(st.sampled_from(["110105", "520102", "520115", "440303", "320106"]))
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31))).strftime("%Y%m%d")
    body = region + born + draw(st.from_regex(r"\A[0-9]{3}\Z"))
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


@st.composite
def cards(draw) -> str:
    length = draw(st.sampled_from([16, 19]))
    body = "62" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=length - 3, max_size=length - 3)))
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in scan(text)]


@settings(max_examples=300, deadline=None)
@given(mobiles(), st.sampled_from(sorted(MOBILE_SHAPES)), st.sampled_from(SEPARATORS), st.booleans(),
       st.sampled_from(["", "+86 ", "86-", "+86"]), TEXT, TEXT)
def test_a_mobile_is_found_however_it_is_written(number, shape, sep, full, prefix, before, after):
    written = widen(prefix + group(number, shape, sep), full)
    assert kinds(f"{before}{written}{after}") == [(MOBILE, mask(number))]


@settings(max_examples=300, deadline=None)
@given(ids(), st.sampled_from([(18,), (6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2), (6, 12)]),
       st.sampled_from(SEPARATORS), st.booleans(), TEXT, TEXT)
def test_an_id_number_is_found_however_it_is_written_and_its_twin_never(number, shape, sep, full, before, after):
    assert id_checksum_ok(number)
    assert kinds(f"{before}{widen(group(number, shape, sep), full)}{after}") == [(ID, mask(number))]
    twin = number[:17] + next(c for c in ID_CHECK if c != number[17])
    assert kinds(f"{before}{widen(group(twin, shape, sep), full)}{after}") == []


@settings(max_examples=300, deadline=None)
@given(cards(), st.sampled_from([" ", "-", "\u3000"]), st.booleans(), st.booleans(), TEXT, TEXT)
def test_a_card_number_is_found_in_fours_or_whole_and_its_twin_never(number, sep, in_fours, full, before, after):
    shape = tuple([4] * (len(number) // 4) + ([len(number) % 4] if len(number) % 4 else [])) if in_fours \
        else (len(number),)
    assert kinds(f"{before}{widen(group(number, shape, sep), full)}{after}") == [(CARD, mask(number))]
    twin = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not luhn_ok(twin)
    assert kinds(f"{before}{widen(group(twin, shape, sep), full)}{after}") == []


def test_ordinary_numbers_are_not_personal_data():
    text = ("索引号 000000000/2026-00014，凭证号 2026-03-001，2026-03-05 09:30，金额 5000.00，"
            "电话 0851-83990000、12345，年份 2021 2022 2023 2024")
    assert scan(text) == []
