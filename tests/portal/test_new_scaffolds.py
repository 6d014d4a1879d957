"""`build.py new` for staff (issue 15): Chinese type names, file names in pinyin, the survey
scaffold with every question type, and placeholder lines that stay valid YAML when their `# `
is deleted. In process (portal.scaffold.create) except where the command line is the point;
tests/portal/test_new_cli.py holds the contract tests of the command itself."""
from __future__ import annotations

import re

import pytest
from minimal_tree import TODAY

from portal import pipeline, scaffold, schema, slugs
from portal.load import parse_doc
from portal.scaffold import ScaffoldError, create
from portal.surveys import validate_survey
from portal.validate import validate_doc

TITLE = "测试标题"
PLACEHOLDER_LINE = re.compile(r"^(\s*)# (- |[a-z_]+:)")
# Messages that mean an uncommented line landed in the wrong place (not just a value to fill).
MISPLACED = ("YAML", "应为列表", "应为一组字段", "不认识的字段", "内容应为")


def make(tree, type_name: str, title: str = TITLE, **kw):
    return create(tree.root, type_name, title, TODAY, **kw)


# --- type names --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, folder, filled", [
    ("通知", "tzgg/2026", "kind: 通知"), ("公告", "tzgg/2026", "kind: 公告"),
    ("公示", "tzgg/2026", "kind: 公示"), ("通知公告", "tzgg/2026", "kind: 通知"),
    ("工作动态", "gzdt/2026", ""), ("政策", "zcwj", "validity: 有效"), ("政策文件", "zcwj", ""),
    ("解读", "zcjd", ""), ("政策解读", "zcjd", ""), ("办事指南", "bszn", "kind: 承诺件"),
    ("评议", "pyjg", "meeting: 述职评议会"), ("评议结果", "pyjg", ""), ("三会一评", "pyjg", ""),
    ("议事决策会", "pyjg", "meeting: 议事决策会"), ("诉求答复", "sqdf", "status: 办理中"),
    ("问卷", "surveys", "kind: 满意度"), ("好差评", "surveys", "kind: 好差评"), ("社区", "communities", ""),
    ("页面", "pages", ""), ("survey", "surveys", ""), ("notice", "tzgg/2026", "kind: 通知"),
])
def test_chinese_and_english_type_names_create_the_type(tree, name, folder, filled):
    path = make(tree, name)
    assert path.parent == tree.root / folder
    assert filled in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, item", [("财务公开", "cw-szmx"), ("公开记录", "cw-szmx"), ("disclosure", "cw-szmx")])
def test_disclosure_names_create_a_record(tree, name, item):
    path = make(tree, name, community="hx", item=item, period="2026-04")
    assert path == tree.root / "disclosure/hx/cw-szmx/2026-04.md"


def test_every_creatable_type_has_its_chinese_label_as_a_name():
    names = scaffold.type_names()
    for n in scaffold.CREATABLE:
        assert names[schema.BY_NAME[n].label].type == n
    for short in ("通知", "公告", "政策", "政策文件", "解读", "政策解读", "办事指南", "党务公开", "居务公开",
                  "财务公开", "评议", "评议结果", "诉求答复", "问卷", "工作动态", "社区"):
        assert short in names


def test_domain_name_refuses_an_item_of_another_domain(tree):
    tree.write("disclosure/catalogue.yaml", tree.read("disclosure/catalogue.yaml") + """\
  - id: dw-zzsh
    domain: 党务
    name: 组织生活
    content: 三会一课
    basis: 《测试办法》
    schedule: {every: 每季度, within: 10}
    subject: 社区党委
    channels: [门户网站]
    since: 2026-01-01
""")
    with pytest.raises(ScaffoldError, match="公开事项“dw-zzsh”属于党务公开，不是财务公开"):
        make(tree, "财务公开", community="hx", item="dw-zzsh", period="2026-04")
    with pytest.raises(ScaffoldError, match="财务公开事项有：cw-szmx（收支明细）$"):
        make(tree, "财务公开")
    with pytest.raises(ScaffoldError, match="社区编号“hh”不存在，可选：hx"):
        make(tree, "财务公开", community="hh", item="cw-szmx", period="2026-04")


@pytest.mark.parametrize("name, message", [
    ("站点信息", "站点信息不用 new 新建：请直接编辑 content/site.yaml"),
    ("调查结果", "调查结果不用 new 新建：调查结果由 flask --app survey publish"),
    ("工作日历", "工作日历不用 new 新建"),
])
def test_settings_are_edited_not_created(tree, name, message):
    with pytest.raises(ScaffoldError, match=message):
        make(tree, name)


# --- file names --------------------------------------------------------------------------------

@pytest.mark.parametrize("title, stem", [
    ("关于停水的通知", "ting-shui-de-tong-zhi"),
    ("居住证明办理", "ju-zhu-zheng-ming-ban-li"),
    ("绿色出行倡议", "lv-se-chu-xing-chang-yi"),
    ("２０２６年Wi-Fi覆盖", "2026-nian-wi-fi-fu-gai"),
    ("长江社区2026年第四批最低生活保障拟保障对象公示", "cjsq-2026-ndspzdshbznbzdxgs"),
    ("？？", ""),
])
def test_title_gives_a_short_pinyin_stem(title, stem):
    assert slugs.stem_for(title) == stem


def test_stems_are_short_lower_case_ascii():
    long = "关于做好2026年度城乡居民基本医疗保险集中参保缴费工作和特殊困难群体资助参保的通知" * 3
    for title in (long, "ABC社区", "《测试管理办法》解读", "重庆路长者食堂"):
        stem = slugs.stem_for(title)
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", stem) and len(stem) <= slugs.MAX_LENGTH, stem


def test_community_is_named_as_the_portal_names_communities():
    assert slugs.community_stem("长江社区") == "changjiang"
    assert slugs.community_stem("清水江社区") == "qingshuijiang"


def test_name_taken_in_another_year_or_by_a_published_address_gets_a_number(tree):
    tree.write("tzgg/2025/ting-shui-de-tong-zhi.md", "---\ntitle: 旧\n---\n")
    tree.write("published-urls.txt", "/tzgg/2024/ting-shui-de-tong-zhi-2/\n")
    assert make(tree, "通知", "关于停水的通知").name == "ting-shui-de-tong-zhi-3.md"
    assert make(tree, "通知", "关于停水的通知").name == "ting-shui-de-tong-zhi-4.md"


def test_an_id_taken_in_another_year_is_refused(tree):
    tree.write("tzgg/2025/taken.md", "---\ntitle: 旧\n---\n")
    with pytest.raises(ScaffoldError, match="文件名“taken”已被使用"):
        make(tree, "通知", item_id="taken")


def test_title_without_letters_falls_back_to_the_date(tree):
    assert make(tree, "工作动态", "？？").stem == f"{TODAY:%Y%m%d}"


def test_cli_accepts_a_chinese_type_and_names_the_file_in_pinyin(tree):
    title = "河西社区低保对象公示"
    proc = tree.cli("new", "公示", title, "--content", "content")
    assert proc.returncode == 0, proc.stderr
    [path] = [p for p in tree.root.glob("tzgg/*/*.md") if p.stem == slugs.stem_for(title)]
    text = path.read_text(encoding="utf-8")
    assert "draft: true" in text and "kind: 公示" in text
    assert re.search(r"^notice_period:  # ", text, re.M) and re.search(r"^objection:  # ", text, re.M)
    assert tree.errors() == []                      # a draft never stops a build


# --- the survey scaffold ---------------------------------------------------------------------

def test_survey_scaffold_shows_every_question_type_and_is_a_draft(tree):
    path = make(tree, "问卷", "河西社区居民满意度调查")
    text = path.read_text(encoding="utf-8")
    shown = set(re.findall(r"^\s+type: (\w+)$", text, re.M))
    assert shown == set(schema.QUESTION_TYPES)
    assert text.split("\n")[1].startswith("draft: true")
    assert f"id: {path.stem}  #" in text
    result = pipeline.check(tree.root, TODAY)
    assert result.problems.errors == [] and path.stem not in result.site.surveys


def test_finished_survey_scaffold_validates_and_opens(tree):
    path = make(tree, "问卷", "河西社区居民满意度调查")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("draft: true", "draft: false").replace("closes:  #", "closes: 2026-12-31  #"),
                    encoding="utf-8")
    result = pipeline.check(tree.root, TODAY)
    assert [p.format() for p in result.problems.errors] == []
    survey = result.site.surveys[path.stem]
    assert {q.type for q in survey.questions} == set(schema.QUESTION_TYPES)


# --- every placeholder line uncomments to valid YAML ---------------------------------------------

def _uncomment(line: str) -> str:
    m = PLACEHOLDER_LINE.match(line)
    return line[: len(m[1])] + line[len(m[1]) + 2:] if m else line


def _position(line: str) -> tuple[int, bool]:
    return len(line) - len(line.lstrip(" ")), line.lstrip(" ").startswith("- ")


def _block(lines: list[str], i: int) -> set[int]:
    """Line i and the lines it belongs to: its field's key and the list entry it is in."""
    out = {i}
    threshold, _ = _position(_uncomment(lines[i]))
    for j in range(i - 1, -1, -1):
        if threshold == 0:
            break
        line = _uncomment(lines[j])
        if not line.strip() or line.lstrip().startswith("#") or line.startswith("---"):
            continue
        pos, dash = _position(line)
        if (dash and pos + 2 == threshold) or pos < threshold:
            out.add(j)
            threshold = pos
    return out


def _problems(rel: str, text: str, ctype: schema.ContentType) -> list[str]:
    doc, found = parse_doc(rel, "content/" + rel, text, ctype)
    if doc is None:
        return [p.format() for p in found] or ["unreadable"]
    checked = validate_survey(doc).problems if ctype is schema.SURVEY else validate_doc(doc)[1]
    return [p.format() for p in list(found) + list(checked)]


SCAFFOLDS = [("notice", {}), ("公示", {}), ("news", {}), ("policy", {}), ("interpretation", {}),
             ("guide", {}), ("appeal", {}), ("evaluation", {}), ("述职评议会", {}), ("page", {}),
             ("community", {}), ("survey", {}), ("好差评", {}),
             ("disclosure", {"community": "hx", "item": "cw-szmx", "period": "2026-04"})]


@pytest.mark.parametrize("name, kw", SCAFFOLDS, ids=[s[0] for s in SCAFFOLDS])
def test_every_placeholder_line_uncomments_to_valid_yaml(tree, name, kw):
    path = make(tree, name, **kw)
    rel = path.relative_to(tree.root).as_posix()
    ctype = schema.type_for(rel)
    assert ctype is not None
    lines = path.read_text(encoding="utf-8").split("\n")
    placeholders = [i for i, line in enumerate(lines) if PLACEHOLDER_LINE.match(line)]
    assert placeholders
    for i in placeholders:                          # one at a time, with the lines it belongs to
        block = _block(lines, i)
        text = "\n".join(_uncomment(line) if n in block else line for n, line in enumerate(lines))
        bad = [p for p in _problems(rel, text, ctype) if any(m in p for m in MISPLACED)]
        assert bad == [], f"uncommenting line {i + 1} ({lines[i].strip()}) gives {bad}"
    everything = "\n".join(_uncomment(line) for line in lines)
    assert [p for p in _problems(rel, everything, ctype) if any(m in p for m in MISPLACED)] == []


def test_survey_id_must_not_shadow_the_service(tree):
    with pytest.raises(ScaffoldError, match="问卷编号“admin”不可用"):
        make(tree, "问卷", item_id="admin")
