"""Messages a 社区 clerk can act on (issue 15): each typing mistake below, made in a copy of the
sample, is reported by `python build.py check` at the line where it is, in one Chinese sentence
with the corrected line or a "是否想写 …？"; `python build.py fix` repairs the ones it is sure
of (the tree then passes `check`, and a second `fix` changes nothing), leaves the others byte
for byte, and `--dry-run` changes nothing."""
from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from authoring_cases import cli, replace
from sampletools import files_read, sample, share_warm_cache
from test_no_traceback import mutate

from portal import build_state

TODAY = "2026-11-24"
NOTICE = "tzgg/2026/2026-yibao-jiaofei.md"          # title 2, published 3, community 4, kind 5, valid_until 6
TITLE = "关于开展2027年度城乡居民医保集中参保缴费的通知"
SUMMARY = "2027年度城乡居民基本医疗保险集中参保缴费期为2026年9月15日至12月31日。"
HUANGHE = "communities/huanghe.yaml"                  # centre 15, its address 17
GUIDE = "bszn/dibao.md"
OLD_POLICY = "zcwj/xh-ldrk-2012-1.md"                 # superseded_by on line 9
PROPOSAL = "yishi/2026/changjiang-chuzuwu-xiaofang.md"  # hearing.date on line 9, decision.result on 13
ENGLISH_YAML = re.compile(r"mapping values|could not find|found character|did not find|while scanning|"
                          r"while parsing|expected <|found unexpected|block sequence|YAML 格式错误")


@dataclass(frozen=True)
class Case:
    name: str
    rel: str
    old: str
    new: str
    message: str             # what check prints after "path:line: "; {line} is the edited line
    fixed: tuple[str, ...] = ()   # what fix prints after "path:"; empty: fix leaves the file alone
    exit: int = 1
    at: int = 0              # the line reported, relative to the edited one

    def apply(self, root: Path) -> int:
        return replace(root, self.rel, self.old, self.new) + self.at


INDENT = "缩进只能用英文（半角）空格（这里应是 2 个空格）"
CASES = [
    # --- the pre-scan: lines YAML cannot read (or reads into the wrong shape) -----------------
    Case("fullwidth-colon-after-label", NOTICE, "title: 关于", "标题：关于",
         f"错误: 字段名后面的冒号要用英文（半角）冒号“:”，冒号后加一个空格：应写成 title: {TITLE}",
         (f"2: 标题：{TITLE} → title: {TITLE}",)),
    Case("fullwidth-colon-after-key", NOTICE, "kind: 通知", "kind：通知",
         "错误: 字段名后面的冒号要用英文（半角）冒号“:”，冒号后加一个空格：应写成 kind: 通知", ("5: kind：通知 → kind: 通知",)),
    Case("fullwidth-colon-nested", PROPOSAL, "  date: 2026-03-19", "  date：2026-03-19",
         "错误: 字段名后面的冒号要用英文（半角）冒号“:”，冒号后加一个空格：应写成 date: 2026-03-19",
         ("9: date：2026-03-19 → date: 2026-03-19",)),
    Case("no-space-after-colon", NOTICE, "kind: 通知", "kind:通知",
         "错误: 冒号后面要有一个英文（半角）空格：应写成 kind: 通知", ("5: kind:通知 → kind: 通知",)),
    Case("tab-indent", HUANGHE, "  address: 小河区", "\taddress: 小河区",
         f"错误: 这一行开头用 Tab 键缩进了，{INDENT}：应写成“  address: 小河区黄河示例路11号”",
         ("17: （Tab 键缩进）address: 小河区黄河示例路11号 → （2 个空格缩进）address: 小河区黄河示例路11号",)),
    Case("fullwidth-space-indent", HUANGHE, "  address: 小河区", "\u3000address: 小河区",
         f"错误: 这一行开头用全角空格缩进了，{INDENT}：应写成“  address: 小河区黄河示例路11号”",
         ("17: （全角空格缩进）address: 小河区黄河示例路11号 → （2 个空格缩进）address: 小河区黄河示例路11号",)),
    Case("nbsp-indent", HUANGHE, "  address: 小河区", "\u00a0\u00a0address: 小河区",
         "错误: 这一行开头用不间断空格（从网页或 Word 复制时常带来）缩进了，" + INDENT
         + "：应写成“  address: 小河区黄河示例路11号”",
         ("17: （不间断空格缩进）address: 小河区黄河示例路11号 → （2 个空格缩进）address: 小河区黄河示例路11号",)),
    Case("unbalanced-double-quote", NOTICE, "kind: 通知", 'kind: "通知',
         '错误: 引号没有配对：值以英文引号 " 开头，结尾也要有 "，应写成 kind: "通知"'),
    Case("unbalanced-single-quote", NOTICE, "valid_until: '2026-12-31'", "valid_until: '2026-12-31",
         "错误: 引号没有配对：值以英文引号 ' 开头，结尾也要有 '，应写成 valid_until: '2026-12-31'"),
    Case("quote-inside-quotes", NOTICE, f"title: {TITLE}", 'title: "关于"医保"缴费的通知"',
         "错误: 值里又出现了英文引号 \"，引号提前结束了：外面改用另一种引号，应写成 title: '关于\"医保\"缴费的通知'"),
    Case("chinese-quotes", NOTICE, f"summary: {SUMMARY}", f"summary: “缴费期: {SUMMARY}”",
         f'错误: 中文引号不能代替英文引号把值括起来（值里有冒号或 #）：应写成 summary: "缴费期: {SUMMARY}"',
         (f'7: summary: “缴费期: {SUMMARY}” → summary: "缴费期: {SUMMARY}"',)),
    Case("list-item-less-indented", GUIDE, "conditions:\n- 共同生活的家庭成员人均收入低于本地低保标准\n- 家庭财产",
         "conditions:\n  - 共同生活的家庭成员人均收入低于本地低保标准\n - 家庭财产",
         "错误: 这个列表项“- ”没有和同一列表的其他项对齐（第 15 行的一项从第 3 列开始）：应写成“  - 家庭财产状况符合规定”", at=2),
    Case("list-item-more-indented", GUIDE, "\n- 家庭财产", "\n    - 家庭财产",
         "错误: 这个列表项“- ”比上一项缩进得多，会被当成上一项文字的一部分：同一列表的各项要对齐，应写成“- 家庭财产状况符合规定”", at=1),
    Case("separator-long-dashes", NOTICE, "---\ntitle", "———\ntitle",
         "错误: 头部信息的分隔线要写成三个英文减号“---”，这一行写成了“———”：应写成 ---", ("1: ——— → ---",)),
    Case("separator-spaced", NOTICE, "\n---\n2027", "\n- - -\n2027",
         "错误: 头部信息的分隔线要写成三个英文减号“---”，这一行写成了“- - -”：应写成 ---", ("8: - - - → ---",), at=1),
    Case("separator-mixed", NOTICE, "\n---\n2027", "\n—-—\n2027",
         "错误: 头部信息的分隔线要写成三个英文减号“---”，这一行写成了“—-—”：应写成 ---", ("8: —-— → ---",), at=1),
    Case("colon-in-value", NOTICE, "kind: 通知", "kind: 通知: 公告",
         '错误: 值里有英文冒号加空格“: ”，会被当成又一个字段：请把整个值放在英文引号里，应写成 kind: "通知: 公告"'),
    Case("key-indented-under-value", NOTICE, "kind: 通知", "  kind: 通知",
         "错误: 这一行比上面的字段缩进得多，会被当成上一行的值：同一层的字段要左对齐，应写成“kind: 通知”"),
    # --- 是否想写 …？ -----------------------------------------------------------------------------
    *(Case(f"date-{name}", NOTICE, "valid_until: '2026-12-31'", f"valid_until: {written}",
           f"错误: valid_until（有效期至）: 日期格式应为 YYYY-MM-DD（如 2026-03-01），而不是“{written}”，是否想写 2026-12-31？",
           (f"6: {written} → 2026-12-31",))
      for name, written in (("chinese", "2026年12月31日"), ("slashes", "2026/12/31"), ("dots", "2026.12.31"),
                            ("folder-year", "12月31日"))),
    Case("date-one-digit", NOTICE, "valid_until: '2026-12-31'", "valid_until: 2026-12-1",
         "错误: valid_until（有效期至）: 日期格式应为 YYYY-MM-DD（如 2026-03-01），而不是“2026-12-1”，是否想写 2026-12-01？",
         ("6: 2026-12-1 → 2026-12-01",)),
    Case("datetime-chinese", NOTICE, "published: 2026-09-15 09:00", "published: 2026年9月15日 9:00",
         "错误: published（发布时间）: 日期格式应为 YYYY-MM-DD HH:MM（如 2026-03-01 09:30），而不是“2026年9月15日 9:00”，"
         "是否想写 2026-09-15 09:00？", ("3: 2026年9月15日 9:00 → 2026-09-15 09:00",)),
    Case("datetime-without-time", NOTICE, "published: 2026-09-15 09:00", "published: 2026年9月15日",
         "错误: published（发布时间）: 日期格式应为 YYYY-MM-DD HH:MM（如 2026-03-01 09:30），而不是“2026年9月15日”，"
         "是否想写 2026-09-15 09:00（时间请按实际填写）？"),        # the time is staff's to say: fix leaves it
    Case("key-as-label", NOTICE, "summary:", "摘要:",
         "错误: 摘要: 不认识的字段：字段名要用英文，是否想写 summary？", ("7: 摘要 → summary",)),
    Case("key-as-label-variant", NOTICE, "published:", "发布日期:",
         "错误: 发布日期: 不认识的字段：字段名要用英文，是否想写 published？", ("3: 发布日期 → published",)),
    Case("key-in-pinyin", NOTICE, "summary:", "zhaiyao:",
         "错误: zhaiyao: 不认识的字段，是否想写 summary？", ("7: zhaiyao → summary",)),
    Case("key-misspelt", NOTICE, "summary:", "sumary:",
         "错误: sumary: 不认识的字段，是否想写 summary？", ("7: sumary → summary",)),
    Case("reference-by-title", OLD_POLICY, "superseded_by: xh-ldrk-2025-1",
         "superseded_by: 《小河区流动人口居住证办理实施细则》",
         "错误: superseded_by（替代文件）: 找不到编号为“《小河区流动人口居住证办理实施细则》”的政策文件，是否想写 xh-ldrk-2025-1？",
         ("9: 《小河区流动人口居住证办理实施细则》 → xh-ldrk-2025-1",)),
    Case("reference-by-doc-number", "zcjd/jd-cwgk-2025-5.md", "policy: xh-cwgk-2025-5", "policy: 小府办发〔2025〕15号",
         "错误: policy（解读的文件）: 找不到编号为“小府办发〔2025〕15号”的政策文件，是否想写 xh-cwgk-2025-5？",
         ("4: 小府办发〔2025〕15号 → xh-cwgk-2025-5",)),
    Case("community-by-name", "tzgg/2025/2025-dibao-gongshi-huanghe.md", "community: huanghe", "community: 黄河社区",
         "错误: community（所属社区）: 找不到编号为“黄河社区”的社区，是否想写 huanghe？", ("4: 黄河社区 → huanghe",)),
    Case("choice-synonym-validity", OLD_POLICY, "validity: 废止", "validity: 作废",
         "错误: validity（有效性）: “作废”不是可选值，可选：有效、已修改、失效、废止，是否想写 废止？", ("8: 作废 → 废止",)),
    Case("choice-synonym-status", "sqdf/2025-ludeng.md", "status: 已办结", "status: 已办理",
         "错误: status（办理状态）: “已办理”不是可选值，可选：办理中、已办结，是否想写 已办结？", ("8: 已办理 → 已办结",)),
    Case("choice-synonym-decision", PROPOSAL, "  result: 通过", "  result: 同意",
         "错误: decision.result（表决结果）: “同意”不是可选值，可选：通过、未通过，是否想写 通过？", ("13: 同意 → 通过",)),
    Case("number-with-unit", "pyjg/2026-huanghe-shuzhi.md", "attendees: 86", "attendees: 86人",
         "错误: attendees（参会人数）: 应为整数，而不是“86人”，是否想写 86？", ("8: 86人 → 86",)),
    Case("working-days-with-unit", GUIDE, "promised_limit: 20", "promised_limit: 20个工作日",
         "错误: promised_limit（承诺时限（工作日））: 应为整数，而不是“20个工作日”，是否想写 20？", ("41: 20个工作日 → 20",)),
]


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    share_warm_cache(tmp_path)
    return Path(shutil.copytree(sample(), tmp_path / "content"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mistake_is_named_at_its_line_and_fixed_when_sure(content, capsys, case: Case):
    line = case.apply(content)
    shown = f"content/{case.rel}"
    code, out = cli(capsys, "check", "--today", TODAY)
    assert code == case.exit, out
    assert f"{shown}:{line}: {case.message}" in out.splitlines(), out
    assert not ENGLISH_YAML.search(out) and "Traceback" not in out, out
    before = snapshot(content)
    code, out = cli(capsys, "fix")
    if not case.fixed:
        assert snapshot(content) == before, out             # nothing it is not sure of is touched
        return
    assert code == 0, out
    for change in case.fixed:
        assert f"{shown}:{change}" in out.splitlines(), out
    body = (sample() / case.rel).read_text(encoding="utf-8").split("\n---\n", 1)[-1] if case.rel.endswith(".md") else ""
    assert (content / case.rel).read_text(encoding="utf-8").endswith(body)     # the body, byte for byte
    code, out = cli(capsys, "check", "--today", TODAY)
    assert code == 0, out
    fixed = snapshot(content)
    code, out = cli(capsys, "fix")
    assert code == 0 and "没有可以自动改正的内容。" in out, out
    assert snapshot(content) == fixed                         # a second run changes nothing


def test_fix_keeps_comments_quotes_and_key_order(content, capsys):
    replace(content, NOTICE, "community: district\nkind: 通知\nvalid_until: '2026-12-31'",
            "community: district  # 全区通用\n# 类别：通知 / 公告 / 公示 / 提示\nkind: 通知\n"
            "valid_until: \"2026年12月31日\"   # 有效期")
    replace(content, NOTICE, "summary:", "zhaiyao:")
    code, out = cli(capsys, "fix")
    assert code == 0, out
    assert (content / NOTICE).read_text(encoding="utf-8").startswith(
        f"---\ntitle: {TITLE}\npublished: 2026-09-15 09:00\ncommunity: district  # 全区通用\n"
        "# 类别：通知 / 公告 / 公示 / 提示\nkind: 通知\nvalid_until: \"2026-12-31\"   # 有效期\n"
        f"summary: {SUMMARY}\n---\n")


def test_dry_run_shows_a_diff_and_changes_nothing(content, capsys):
    replace(content, NOTICE, "kind: 通知", "kind:通知")
    replace(content, NOTICE, "valid_until: '2026-12-31'", "valid_until: 2026年12月31日")
    before = snapshot(content)
    code, out = cli(capsys, "fix", "--dry-run")
    assert code == 0, out
    assert snapshot(content) == before
    lines = out.splitlines()
    assert f"--- content/{NOTICE}（原文件）" in lines and f"+++ content/{NOTICE}（修改后）" in lines
    assert "-kind:通知" in lines and "+kind: 通知" in lines
    assert "-valid_until: 2026年12月31日" in lines and "+valid_until: 2026-12-31" in lines
    assert f"content/{NOTICE}:6: 2026年12月31日 → 2026-12-31" in lines
    assert "试运行：会修改 1 个文件，共 2 处；没有改动任何文件。" in lines


def test_a_file_fix_cannot_read_safely_is_left_byte_identical(content, capsys):
    replace(content, NOTICE, "kind: 通知", "kind：通知")                 # sure, but the file stays unreadable:
    replace(content, NOTICE, "valid_until: '2026-12-31'", "valid_until: '2026-12-31")   # an unclosed quote
    before = snapshot(content)
    code, out = cli(capsys, "fix")
    assert code == 1, out
    assert snapshot(content) == before
    assert f"content/{NOTICE}:5: 修改后文件仍无法读取，没有修改：请按 python build.py check 的提示手工改正" in out.splitlines()


def test_fix_takes_only_the_paths_it_is_given(content, capsys):
    replace(content, NOTICE, "kind: 通知", "kind:通知")
    replace(content, "sqdf/2025-ludeng.md", "status: 已办结", "status: 已办理")
    code, out = cli(capsys, "fix", "content/sqdf")
    assert code == 0 and "kind:通知" in (content / NOTICE).read_text(encoding="utf-8")
    assert "status: 已办结" in (content / "sqdf/2025-ludeng.md").read_text(encoding="utf-8")
    code, out = cli(capsys, "fix", "elsewhere")
    assert code == 2 and "找不到 elsewhere" in out


def test_fix_reads_again_only_the_files_changed_since_the_last_build(content, capsys, monkeypatch):
    """Each round of `fix` checks the whole tree; the files the last build read come from its
    cache (as `check` does), so at 10,000 items a fix is not 10,000 files parsed per round."""
    read = files_read(monkeypatch)
    replace(content, NOTICE, "kind: 通知", "kind:通知")
    cache = sorted((content.parent / build_state.CACHE).rglob("*"))
    code, out = cli(capsys, "fix")
    assert code == 0 and "kind: 通知" in (content / NOTICE).read_text(encoding="utf-8"), out
    assert set(read) == {NOTICE}, read              # before the fix and after it, nothing else
    assert sorted((content.parent / build_state.CACHE).rglob("*")) == cache      # and the cache is only read

@pytest.mark.parametrize("encoding, name", [("gb18030", "GB18030"), ("utf-16", "UTF-16")])
def test_fix_converts_a_notepad_encoding_to_utf8(content, capsys, encoding, name):
    text = (content / NOTICE).read_text(encoding="utf-8")
    (content / NOTICE).write_bytes(text.replace("\n", "\r\n").encode(encoding))
    code, out = cli(capsys, "fix", "--backup")
    assert code == 0 and f"content/{NOTICE}:1: {name} 编码 → UTF-8 编码" in out.splitlines(), out
    assert (content / NOTICE).read_bytes() == text.replace("\n", "\r\n").encode("utf-8")
    assert (content / (NOTICE + ".bak")).read_bytes() == text.replace("\n", "\r\n").encode(encoding)
    code, out = cli(capsys, "check", "--today", TODAY)
    assert code == 0 and name not in out, out                 # the backup is not content


def test_fix_converts_a_gbk_finance_table_to_utf8_excel_still_opens(content, capsys):
    ledger = content / "disclosure/changjiang/cw-szmx/2026-01.csv"
    text = ledger.read_text(encoding="utf-8-sig")
    ledger.write_bytes(text.encode("gb18030"))
    code, out = cli(capsys, "fix")
    assert code == 0 and "content/disclosure/changjiang/cw-szmx/2026-01.csv:1: GB18030 编码 → UTF-8 编码" in out, out
    assert ledger.read_bytes() == b"\xef\xbb\xbf" + text.encode("utf-8")
    assert not (content / "disclosure/changjiang/cw-szmx/2026-01.csv.bak").exists()
    code, out = cli(capsys, "check", "--today", TODAY)
    assert code == 0 and "GB18030" not in out, out


def test_verbose_keeps_the_parser_words(content, capsys):
    replace(content, NOTICE, "kind: 通知", "kind：通知")
    code, out = cli(capsys, "check", "--today", TODAY, "--verbose")
    assert code == 1
    assert (f"content/{NOTICE}:5: 错误: 字段名后面的冒号要用英文（半角）冒号“:”，冒号后加一个空格：应写成 kind: 通知\n"
            "    （原始信息）YAML: while scanning a simple key; could not find expected ':'（第 6 行第 1 列）\n") in out, out
    code, out = cli(capsys, "check", "--today", TODAY)
    assert "原始信息" not in out and "could not" not in out


def test_no_guess_without_a_single_answer(content, capsys):
    replace(content, NOTICE, "community: district", "community: 江社区")       # 长江, 漓江, 清水江 …
    replace(content, NOTICE, "summary:", "zz:")
    code, out = cli(capsys, "check", "--today", TODAY)
    assert f"content/{NOTICE}:4: 错误: community（所属社区）: 找不到编号为“江社区”的社区" in out.splitlines(), out
    assert f"content/{NOTICE}:7: 错误: zz: 不认识的字段" in out.splitlines(), out


def test_the_sample_gives_the_prescan_nothing_to_say():
    from portal.yaml_prescan import scan
    for p in sorted(sample().rglob("*")):
        if p.suffix in (".md", ".yaml"):
            text = p.read_text(encoding="utf-8")
            front = text.split("\n---\n", 1)[0].removeprefix("---\n") if p.suffix == ".md" else text
            assert scan(front) == [], p


@pytest.mark.parametrize("seed", range(30))
def test_no_parser_english_reaches_staff_whatever_is_typed(tmp_path, seed):
    import datetime as dt

    from portal import pipeline
    rng = random.Random(seed)
    content = Path(shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "mini", tmp_path / "content"))
    files = sorted(p for p in content.rglob("*") if p.suffix in (".md", ".yaml"))
    for p in rng.sample(files, 3):
        text = p.read_text(encoding="utf-8")
        for _ in range(rng.randrange(1, 4)):
            text = mutate(text, rng)
        p.write_text(text, encoding="utf-8")
    for line in pipeline.check(content, dt.date(2026, 11, 24)).problems.lines():
        assert not ENGLISH_YAML.search(line), line

