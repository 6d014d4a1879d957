"""Which text encoding a file is in, when that is certain: UTF-8 (with or without a BOM), and
what Notepad and WPS save on Chinese Windows, GB18030 (GBK) and UTF-16.

Never a guess: a file is only taken as GB18030 when its bytes are not UTF-8, decode strictly
as GB18030 and read as Chinese text (characters of GB2312's common set, no control
characters); as UTF-16 without a BOM only when its NUL bytes fall where ASCII text in UTF-16
puts them. Anything else is uncertain, and the caller keeps its "not UTF-8" error. Pure:
bytes in, text out. The loader (portal.load) and `build.py fix` (which converts such files to
UTF-8) share it.
"""
from __future__ import annotations

import codecs
import unicodedata

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8（带 BOM）"
GB18030 = "GB18030"
UTF16 = "UTF-16"

# Read, but not the project's encoding: staff are told `build.py fix` converts them.
FOREIGN = (GB18030, UTF16)

# Share of the non-ASCII characters that must be everyday Chinese for a decoding to count.
# Bytes that are really something else (UTF-8 with a damaged byte, Latin-1, binary) decode as
# GB18030 into rare characters and symbols far more often than this allows.
CHINESE_SHARE = 0.9
WHITESPACE = frozenset("\t\n\r\f")


def sniff(raw: bytes) -> tuple[str | None, str]:
    """(the decoded text, or None when the encoding is not certain; the encoding's name: one of
    UTF8, UTF8_BOM, GB18030, UTF16, or "" when uncertain). A BOM is dropped from the text; line
    ends are left as they are."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], "utf-8", UTF8_BOM)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if raw.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        text, name = _strict(raw[2:], codec, UTF16)
        return (text, name) if text is not None and _readable(text, chinese=False) else (None, "")
    if b"\0" in raw:               # not in UTF-8 or GB18030 text; ASCII in UTF-16 is half NULs
        text, name = _utf16_without_bom(raw)
        if text is not None:
            return text, name
    text, name = _strict(raw, "utf-8", UTF8)
    if text is not None:
        return text, name
    text, name = _strict(raw, "gb18030", GB18030)
    if text is not None and _readable(text, chinese=True):
        return text, name
    return None, ""


def _strict(raw: bytes, codec: str, name: str) -> tuple[str | None, str]:
    try:
        return raw.decode(codec), name
    except UnicodeDecodeError:
        return None, ""


def _utf16_without_bom(raw: bytes) -> tuple[str | None, str]:
    """UTF-16 when the NULs are (almost) all on one side of the byte pairs and exactly one byte
    order gives readable text. In UTF-16LE "a" is `61 00`: a NUL at each odd offset; only the
    rare ideograph whose low byte is 00 (一 is `00 4E`) puts one on the other side."""
    if len(raw) % 2:
        return None, ""
    even = raw[0::2].count(0)
    odd = raw[1::2].count(0)
    codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else ""
    if not codec:
        return None, ""
    text, _ = _strict(raw, codec, UTF16)
    other, _ = _strict(raw, "utf-16-be" if codec == "utf-16-le" else "utf-16-le", UTF16)
    if text is None or not _readable(text, chinese=False) or (other is not None and _readable(other, chinese=False)):
        return None, ""
    return text, UTF16


def _readable(text: str, chinese: bool) -> bool:
    """No control characters, and most non-ASCII characters are Chinese text or its
    punctuation (with `chinese`, ideographs also within GB2312, the everyday set)."""
    others = 0
    plain = 0
    for ch in text:
        if ch < "\x80":
            if ch < " " and ch not in WHITESPACE or ch == "\x7f":
                return False
            continue
        others += 1
        if unicodedata.category(ch)[0] == "C":
            return False
        if _everyday(ch, chinese):
            plain += 1
    return others == 0 or plain >= CHINESE_SHARE * others


# Ideographs, CJK and full-width punctuation, and the symbols Chinese documents use (№ ℃ Ⅰ ①
# → ≤ ■ ★ ㈠ ㎡ · × ÷ °).
_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
           (0x2000, 0x206F), (0x2100, 0x26FF), (0x3200, 0x33FF), (0x00A0, 0x00FF), (0x2E80, 0x2FDF),
           (0x31C0, 0x31EF), (0xFE30, 0xFE4F))


def _everyday(ch: str, chinese: bool) -> bool:
    code = ord(ch)
    if not any(lo <= code <= hi for lo, hi in _RANGES):
        return False
    if not chinese or not 0x3400 <= code <= 0x9FFF:
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
