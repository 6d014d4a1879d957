"""Files as offices save them (issue 15): Markdown/YAML in GB18030 or UTF-16 (Notepad, WPS) is
read with a warning naming the file, the encoding and `build.py fix`; an encoding that is not
certain stays an error at the line of its first bad byte."""
from __future__ import annotations

import codecs
import random

import pytest
from minimal_tree import MINIMAL, TODAY

from portal import pipeline
from portal.attachments import decode_text
from portal.encodings import GB18030, UTF8, UTF8_BOM, UTF16, sniff

NOTICE = MINIMAL["tzgg/2026/tz-one.md"].replace("关于测试的通知", "关于一楼电梯检修的通知")
FIX = "运行 python build.py fix 可把它转换为 UTF-8"


# --- sniff: certain or nothing --------------------------------------------------------------------

@pytest.mark.parametrize("raw, name", [
    (NOTICE.encode("utf-8"), UTF8),
    (codecs.BOM_UTF8 + NOTICE.encode("utf-8"), UTF8_BOM),
    (NOTICE.encode("gb18030"), GB18030),
    (NOTICE.encode("gbk"), GB18030),
    (NOTICE.encode("utf-16"), UTF16),                          # with a BOM, as Notepad saves "Unicode"
    (codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"), UTF16),
    (NOTICE.encode("utf-16-le"), UTF16),                       # no BOM: the NULs decide
    (NOTICE.encode("utf-16-be"), UTF16),
], ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16be-bom", "utf16le", "utf16be"])
def test_sniff_reads_what_offices_save(raw, name):
    assert sniff(raw) == (NOTICE, name)


@pytest.mark.parametrize("raw", [
    NOTICE.encode("utf-8").replace("电梯".encode(), b"\xff"),            # UTF-8 with a damaged byte
    NOTICE.encode("utf-8")[:-9] + NOTICE.encode("utf-8")[-8:],           # a byte lost from a character
    "Grüße aus München, schöne Straße".encode("cp1252"),
    NOTICE.encode("utf-8").replace("电梯检修".encode(), "电梯检修".encode("gbk")),   # GBK pasted into UTF-8
], ids=["damaged-utf8", "cut-character", "latin1", "mixed"])
def test_sniff_never_guesses(raw):
    assert sniff(raw) == (None, "")


def test_random_bytes_are_never_taken_for_text():
    rng = random.Random(15)
    assert not any(sniff(bytes(rng.randrange(256) for _ in range(300)))[0] for _ in range(500))


def test_attachment_text_in_utf16_is_read_for_the_personal_data_scan():
    assert decode_text("姓名,电话\r\n张*,13812345678\r\n".encode("utf-16")) == "姓名,电话\n张*,13812345678\n"


# --- a content file in GB18030 or UTF-16 builds, with a warning ------------------------------------

@pytest.mark.parametrize("codec, name", [("gb18030", GB18030), ("utf-16", UTF16), ("utf-16-le", UTF16)],
                         ids=["gb18030", "utf16-bom", "utf16le"])
def test_notice_saved_by_notepad_builds_with_a_warning_naming_encoding_and_fix(tree, codec, name):
    tree.write("tzgg/2026/tz-one.md", NOTICE.replace("\n", "\r\n").encode(codec))
    result = pipeline.build(tree.root, tree.base / "site", TODAY)
    assert result.ok and not result.problems.errors, result.problems.lines()
    assert f"content/tzgg/2026/tz-one.md:1: 警告: 文件是 {name} 编码（记事本、WPS 等另存时常见），已按 {name} 读取；{FIX}" \
        in result.problems.lines()
    page = (tree.base / "site/tzgg/2026/tz-one/index.html").read_text(encoding="utf-8")
    assert "关于一楼电梯检修的通知" in page


def test_the_warning_comes_back_on_a_cached_build(tree):
    tree.write("tzgg/2026/tz-one.md", NOTICE.encode("gbk"))
    cache = tree.base / ".cache"
    for _ in range(2):
        result = pipeline.build(tree.root, tree.base / "site", TODAY, cache=cache)
        assert result.ok
        assert [line for line in result.problems.lines() if GB18030 in line] == [
            f"content/tzgg/2026/tz-one.md:1: 警告: 文件是 GB18030 编码（记事本、WPS 等另存时常见），已按 GB18030 读取；{FIX}"]
    assert any((cache / "ingest").rglob("*"))


def test_yaml_file_in_gbk_is_read_too(tree):
    tree.write("communities/hx.yaml", MINIMAL["communities/hx.yaml"].encode("gbk"))
    lines = tree.lines()
    assert not tree.errors()
    assert any(line.startswith("content/communities/hx.yaml:1: 警告: 文件是 GB18030 编码") for line in lines)


def test_file_whose_encoding_is_not_certain_is_an_error_at_its_first_bad_byte(tree):
    raw = NOTICE.encode("utf-8").replace("一楼电梯检修".encode(), "一楼电梯检修".encode("gbk"))
    tree.write("tzgg/2026/tz-one.md", raw)       # UTF-8, but the title (line 2) pasted in GBK
    assert tree.errors() == ["content/tzgg/2026/tz-one.md:2: 错误: 文件不是 UTF-8 编码，请用 UTF-8 另存"
                             "（如记事本“另存为”选择 UTF-8）"]
