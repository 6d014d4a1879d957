"""Answer scales declared as data (portal.schema.SCALES): a survey or one question names its
scale and the levels counted as satisfied, may offer 弃权 (counted and shown, left out of the
denominator) and weights for a 满意度指数; every mistake is an error at its file and line in
Chinese. The rates and formulas come from portal.rates; phases: a 评议 survey opens after its
meeting and its results are published only after it closes."""
from __future__ import annotations

from portal import rates
from portal.schema import surveys as S

SURVEY = """\
id: cz-pingyi
title: 称职测评
kind: 评议
community: hx
opens: 2026-03-10
closes: 2026-03-12
results: public
scale: 称职三级
satisfied: [称职, 基本称职]
abstain: true
pages:
  - title: 测评
    questions:
      - id: roles
        type: matrix
        label: 请评价
        required: true
        rows:
          - {id: zhuren, label: 服务中心主任}
      - id: overall
        type: single
        label: 总体
        scale: 满意三级
        satisfied: [满意, 基本满意]
"""
PATH = "content/surveys/cz-pingyi.yaml"

RESULT = """\
survey: cz-pingyi
title: 称职测评
kind: 评议
community: hx
published: 2026-03-20 10:00
first_response: '2026-03-10'
last_response: '2026-03-12'
responses: 10
satisfied: [称职, 基本称职]
export:
  format: json
  responses: 10
  sha256: 3f2a9c4e5b6d7081f2e3d4c5b6a79801e2f3a4b5c6d7e8f90a1b2c3d4e5f6a7b
questions:
- id: roles
  type: matrix
  label: 请评价
  answered: 10
  scale: 称职三级
  levels: [称职, 基本称职]
  exclude_abstain: true
  rate_name: 称职率
  rows:
  - id: zhuren
    label: 服务中心主任
    answered: 10
    satisfied: 8
    counts:
    - {value: 称职, label: 称职, count: 6}
    - {value: 基本称职, label: 基本称职, count: 2}
    - {value: 不称职, label: 不称职, count: 1}
    - {value: 弃权, label: 弃权, count: 1}
- id: overall
  type: single
  label: 总体
  answered: 10
  scale: 满意三级
  levels: [满意, 基本满意]
  exclude_abstain: true
  rate_name: 满意率
  counts:
  - {value: 满意, label: 满意, count: 7}
  - {value: 基本满意, label: 基本满意, count: 2}
  - {value: 不满意, label: 不满意, count: 1}
  - {value: 弃权, label: 弃权, count: 0}
  satisfied: 9
"""
RESULT_PATH = "content/results/cz-pingyi.yaml"

EVALUATION = """\
---
title: 测试社区述职评议会
published: 2026-03-20 11:00
community: hx
meeting: 述职评议会
held: 2026-03-10 14:30
place: 服务中心会议室
attendees: 20
survey: cz-pingyi
---
述职评议。
"""
EV_PATH = "content/pyjg/2026-cz.md"


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def setup(tree, survey: str = SURVEY, result: str | None = RESULT, evaluation: str | None = EVALUATION):
    tree.write("surveys/cz-pingyi.yaml", survey)
    if result is not None:
        tree.write("results/cz-pingyi.yaml", result)
    if evaluation is not None:
        tree.write("pyjg/2026-cz.md", evaluation)


# --- rates --------------------------------------------------------------------------------

def test_rate_leaves_abstain_out_of_the_denominator_and_rounds_half_up():
    counts = {"满意": 468, "基本满意": 84, "不满意": 51, "弃权": 9}
    part, total = rates.satisfied_count(counts, ("满意", "基本满意")), rates.valid(counts)
    assert (part, total, rates.percent(part, total)) == (552, 603, "91.54")
    assert rates.valid(counts, exclude_abstain=False) == 612


def test_index_is_the_weighted_mean_over_valid_answers():
    counts = {"满意": 3, "基本满意": 1, "不满意": 1, "弃权": 5}
    assert rates.index(counts, (("满意", 100), ("基本满意", 60), ("不满意", 0))) == "72.00"
    assert rates.index(counts, ()) == ""


def test_formula_states_levels_and_denominator_in_chinese():
    assert rates.formula("满意率", ("满意", "基本满意"), abstain=True) == \
        "满意率 = （满意 + 基本满意） ÷ （作答人数 − 弃权） × 100%"
    assert rates.formula("认同率", ("是",)) == "认同率 = 是 ÷ 作答人数 × 100%"


def test_every_declared_scale_counts_some_of_its_own_levels_as_satisfied():
    for name in S.SCALE_NAMES:
        assert set(S.scale_satisfied(name)) < set(S.scale_levels(name)), name
    for levels in (("满意", "基本满意", "不满意"), ("好", "较好", "一般", "差"), ("称职", "基本称职", "不称职"),
                   ("优秀", "称职", "基本称职", "不称职"), ("优秀", "合格", "基本合格", "不合格"), ("是", "否")):
        assert levels in [S.scale_levels(n) for n in S.SCALE_NAMES]


# --- survey definitions ---------------------------------------------------------------------

def test_declared_scale_survey_with_its_results_and_evaluation_checks_clean(tree):
    setup(tree)
    assert tree.errors() == []
    survey = tree.check().site.surveys["cz-pingyi"]
    roles, overall = survey.questions
    assert [c.value for c in roles.scale] == ["称职", "基本称职", "不称职", "弃权"]
    assert (roles.levels, roles.rate_name) == (("称职", "基本称职"), "称职率")
    assert (overall.levels, overall.rate_name) == (("满意", "基本满意"), "满意率")


def test_unknown_scale_is_an_error_at_its_line(tree):
    setup(tree, SURVEY.replace("scale: 满意三级", "scale: 满意五级"), result=None, evaluation=None)
    line = line_of(SURVEY, "scale: 满意三级")
    errors = tree.errors()
    assert any(e.startswith(f"{PATH}:{line}: 错误: pages[1].questions[2].scale（量表）: ") and "满意五级" in e
               for e in errors), errors


def test_satisfied_level_outside_the_questions_scale_is_an_error_at_its_line(tree):
    setup(tree, SURVEY.replace("satisfied: [满意, 基本满意]", "satisfied: [满意, 称职]"), result=None,
          evaluation=None)
    line = line_of(SURVEY, "satisfied: [满意, 基本满意]")
    assert (f"{PATH}:{line}: 错误: pages[1].questions[2].satisfied[2]（计入满意的等级）: "
            "“称职”不是量表“满意三级”（满意、基本满意、不满意）中的等级") in tree.errors()


def test_survey_satisfied_level_outside_the_surveys_scale_is_an_error(tree):
    setup(tree, SURVEY.replace("satisfied: [称职, 基本称职]", "satisfied: [称职, 满意]"), result=None,
          evaluation=None)
    line = line_of(SURVEY, "satisfied: [称职, 基本称职]")
    assert (f"{PATH}:{line}: 错误: satisfied[2]（计入满意的等级）: "
            "“满意”不是量表“称职三级”（称职、基本称职、不称职）中的等级") in tree.errors()


def test_weights_for_an_unknown_level_are_an_error(tree):
    survey = SURVEY.replace("abstain: true\n", "abstain: true\nweights:\n  - {level: 称职, weight: 100}\n"
                            "  - {level: 优秀, weight: 100}\n  - {level: 不称职, weight: 0}\n")
    setup(tree, survey, result=None, evaluation=None)
    line = line_of(survey, "{level: 优秀")
    assert (f"{PATH}:{line}: 错误: weights[2]（指数权重）: "
            "“优秀”不是量表“称职三级”（称职、基本称职、不称职）中的等级，不能设权重") in tree.errors()


def test_a_scale_on_a_text_question_is_an_error(tree):
    survey = SURVEY + "      - {id: why, type: textarea, label: 原因, scale: 是否}\n"
    setup(tree, survey, result=None, evaluation=None)
    line = line_of(survey, "id: why")
    assert (f"{PATH}:{line}: 错误: pages[1].questions[3].scale（量表）: 只有单选题和矩阵题可以指定量表") in tree.errors()


# --- published results ----------------------------------------------------------------------

def test_result_levels_outside_its_scale_are_an_error(tree):
    result = RESULT.replace("levels: [满意, 基本满意]", "levels: [满意, 很好]")
    setup(tree, result=result)
    line = line_of(result, "levels: [满意, 很好]")
    errors = tree.errors()
    assert (f"{RESULT_PATH}:{line}: 错误: questions[2].levels[2]（计入满意的等级）: "
            "“很好”不是量表“满意三级”（满意、基本满意、不满意）中的等级") in errors, errors


def test_result_counts_that_are_not_the_scales_levels_are_an_error(tree):
    result = RESULT.replace("    - {value: 不称职, label: 不称职, count: 1}\n", "    - {value: 差, label: 差, count: 1}\n")
    setup(tree, result=result)
    line = line_of(result, "    counts:\n    - {value: 称职")
    errors = tree.errors()
    assert any(e.startswith(f"{RESULT_PATH}:{line + 1}: 错误: questions[1].rows[1].counts（各选项人数）: "
                            "选项应依次为量表“称职三级”") for e in errors) or \
        any(e.startswith(f"{RESULT_PATH}:{line}: 错误: questions[1].rows[1].counts（各选项人数）: "
                         "选项应依次为量表“称职三级”") for e in errors), errors


def test_result_satisfied_count_must_be_the_declared_levels(tree):
    result = RESULT.replace("  satisfied: 9\n", "  satisfied: 7\n")
    setup(tree, result=result)
    line = line_of(result, "  satisfied: 7")
    assert (f"{RESULT_PATH}:{line}: 错误: questions[2].satisfied（满意数）: "
            "满意数应为计入满意的等级的人数之和 9，而不是 7") in tree.errors()


# --- phases ----------------------------------------------------------------------------------

def test_results_published_while_a_pingyi_survey_is_open_are_an_error_at_published(tree):
    setup(tree, SURVEY.replace("closes: 2026-03-12", "closes: 2026-03-25"))
    line = line_of(RESULT, "published:")
    assert (f"{RESULT_PATH}:{line}: 错误: published（发布时间）: 问卷“称职测评”到2026年3月25日才结束，"
            "评议结果要在问卷结束后才能公布：请在问卷结束后重新发布（flask --app survey publish cz-pingyi），"
            "或修改问卷的结束日期") in tree.errors()


def test_a_satisfaction_survey_may_publish_interim_results_unless_it_says_otherwise(tree):
    survey = SURVEY.replace("kind: 评议", "kind: 满意度").replace("closes: 2026-03-12", "closes: 2026-03-25")
    setup(tree, survey, RESULT.replace("kind: 评议", "kind: 满意度"), evaluation=None)
    assert tree.errors() == []
    setup(tree, survey.replace("results: public", "results: public\nresults_after_close: true"),
          RESULT.replace("kind: 评议", "kind: 满意度"), evaluation=None)
    assert any(e.startswith(f"{RESULT_PATH}:{line_of(RESULT, 'published:')}: 错误: published（发布时间）")
               for e in tree.errors())


def test_pingyi_survey_opening_before_its_meeting_is_an_error_at_the_evaluations_survey(tree):
    setup(tree, evaluation=EVALUATION.replace("held: 2026-03-10 14:30", "held: 2026-03-11 14:30"))
    line = line_of(EVALUATION, "survey:")
    assert (f"{EV_PATH}:{line}: 错误: survey（关联问卷）: 评议问卷“称职测评”2026年3月10日就开始了，早于本次会议召开的"
            "2026年3月11日：评议应在述职之后进行，请把问卷的开始日期（opens）改为 2026-03-11 或之后") in tree.errors()


# --- pooled results ----------------------------------------------------------------------------

def test_pooling_an_unknown_survey_is_an_error_at_pool(tree):
    survey = SURVEY.replace("abstain: true\n", "abstain: true\npool:\n  label: 两年来\n  surveys: [cz-2025]\n")
    setup(tree, survey)
    line = line_of(survey, "pool:")
    assert (f"{PATH}:{line}: 错误: pool.surveys（合并的问卷）: 找不到编号为“cz-2025”的其他调查问卷"
            "（应有 content/surveys/cz-2025.yaml）") in tree.errors()


def test_pooling_a_survey_without_results_warns_and_pools_nothing(tree):
    survey = SURVEY.replace("abstain: true\n", "abstain: true\npool:\n  label: 两年来\n  surveys: [cz-2025]\n")
    setup(tree, survey)
    tree.write("surveys/cz-2025.yaml", SURVEY.replace("id: cz-pingyi", "id: cz-2025")
               .replace("2026-03-1", "2025-03-1"))
    result = tree.check()
    assert result.problems.errors == []
    line = line_of(survey, "pool:")
    assert (f"{PATH}:{line}: 警告: pool.surveys（合并的问卷）: 问卷“cz-2025”还没有公布结果，合并统计暂不包括它"
            ) in result.problems.lines()


# --- answers from paper ballots and online --------------------------------------------------

SOURCES = """\
sources:
- {channel: 网上, label: 网上评议, responses: 4}
- {channel: 纸质, label: 述职评议会现场测评, responses: 6, issued: 8, returned: 7, valid: 6, invalid: 1}
"""


def with_sources(text: str = SOURCES) -> str:
    return RESULT.replace("export:\n", text + "export:\n", 1)


def test_paper_and_online_sources_check_clean_and_show_on_the_page(tree):
    from portal import pipeline
    from portal.render import fingerprint, make_env, render_page
    setup(tree, result=with_sources())
    result = tree.check()
    assert result.problems.errors == []
    page = next(p for p in result.page_list if p.url == "/hdjl/pyjg/cz-pingyi/")
    assets = {name: url for name, (url, _) in fingerprint(pipeline.TEMPLATES / "static").items()}
    html = render_page(page, result.site, make_env(pipeline.TEMPLATES, assets)).decode("utf-8")
    assert "纸质：述职评议会现场测评" in html and ">发出</th>" in html and ">废票</th>" in html
    assert "88.9%（8/9）" in html                        # 称职率: 弃权 1 left out of 10, under 30: one decimal


def test_more_ballots_returned_than_issued_is_an_error(tree):
    text = with_sources(SOURCES.replace("issued: 8, returned: 7, valid: 6, invalid: 1",
                                        "issued: 6, returned: 7, valid: 6, invalid: 1"))
    setup(tree, result=text)
    line = line_of(text, "issued: 6")
    assert (f"{RESULT_PATH}:{line}: 错误: sources[2].returned（收回票数）: 收回票数 7 多于发出票数 6："
            "收回的票数多于发出的票数，测评无效") in tree.errors()


def test_valid_and_invalid_ballots_must_add_up_to_those_returned(tree):
    text = with_sources(SOURCES.replace("valid: 6, invalid: 1", "valid: 6, invalid: 2"))
    setup(tree, result=text)
    line = line_of(text, "invalid: 2")
    assert (f"{RESULT_PATH}:{line}: 错误: sources[2].valid（有效票数）: 有效票 6 加废票 2 应等于收回票数 7"
            ) in tree.errors()


def test_sources_must_add_up_to_the_responses(tree):
    text = with_sources(SOURCES.replace("responses: 4}", "responses: 3}"))
    setup(tree, result=text)
    line = line_of(text, "sources:")
    assert f"{RESULT_PATH}:{line}: 错误: sources（答卷来源）: 各来源计入的答卷数之和 9 应等于答卷数 10" in tree.errors()


def test_abstain_counts_in_the_denominator_when_the_survey_says_so(tree):
    from portal import results
    survey = SURVEY.replace("abstain: true\n", "abstain: true\nexclude_abstain: false\n")
    result = RESULT.replace("exclude_abstain: true", "exclude_abstain: false")
    setup(tree, survey, result)
    checked = tree.check()
    assert checked.problems.errors == []
    assert checked.site.surveys["cz-pingyi"].questions[0].exclude_abstain is False
    view = results.view(checked.site.result("cz-pingyi"), checked.site.surveys["cz-pingyi"])
    row = view.questions[0].rows[0]
    assert (row.satisfaction.part, row.satisfaction.total, row.abstained) == (8, 10, 1)
    assert view.questions[0].formula == "称职率 = （称职 + 基本称职） ÷ 作答人数 × 100%"
