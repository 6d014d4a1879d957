"""Survey definitions (content/surveys/) and their published results (content/results/):
the survey service reads both with the builder's loader and schema."""
from __future__ import annotations

from .fields import BOOL, DATE, DATETIME, DECIMAL, ENUM, INT, REF, TEXT, ContentType, F, L, S

SURVEY_KINDS = ("满意度", "评议", "好差评")
SURVEY_ACCESS = ("open", "invite")
SURVEY_RESULTS = ("public", "private")
QUESTION_TYPES = ("single", "multiple", "scale5", "rating", "nps", "matrix", "ranking", "text",
                  "textarea", "number", "date")
SCALE5 = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
SATISFIED_DEFAULT = ("非常满意", "满意", "基本满意")

# Answer scales, declared as data: a question names one (`scale:`) instead of listing choices.
# Each declares its levels (best first), the levels counted as satisfied unless the survey or
# the question says otherwise, and what its rate is called. Sources: 民主测评表 in
# ../shared/research/domain_fidelity.md §5.1 (满意/基本满意/不满意 for 三会一评 述职评议;
# 好/较好/一般/差 for 党建述职评议; 称职 scales for 双述双评 and 居委会成员民主评议; 优秀/合格 for
# 民主评议党员); 好差评 keeps its five levels (SCALE5, the scale5 question type).
SCALE5_NAME = "好差评五级"
SCALES: dict[str, dict[str, tuple[str, ...] | str]] = {
    SCALE5_NAME: {"levels": SCALE5, "satisfied": SATISFIED_DEFAULT, "rate": "满意率"},
    "满意三级": {"levels": ("满意", "基本满意", "不满意"), "satisfied": ("满意", "基本满意"), "rate": "满意率"},
    "好较好一般差": {"levels": ("好", "较好", "一般", "差"), "satisfied": ("好", "较好"), "rate": "好评率"},
    "称职三级": {"levels": ("称职", "基本称职", "不称职"), "satisfied": ("称职", "基本称职"), "rate": "称职率"},
    "优秀称职四级": {"levels": ("优秀", "称职", "基本称职", "不称职"), "satisfied": ("优秀", "称职", "基本称职"),
                "rate": "称职率"},
    "优秀合格四级": {"levels": ("优秀", "合格", "基本合格", "不合格"), "satisfied": ("优秀", "合格", "基本合格"),
                "rate": "合格率"},
    "是否": {"levels": ("是", "否"), "satisfied": ("是",), "rate": "肯定率"},
}
SCALE_NAMES = tuple(SCALES)
ABSTAIN = "弃权"                 # an allowed answer on scales that offer it: counted and shown
INDEX_NAME = "满意度指数"         # Σ weight × count ÷ valid answers, when weights are declared


def scale_levels(name: str) -> tuple[str, ...]:
    return tuple(SCALES[name]["levels"])


def scale_satisfied(name: str) -> tuple[str, ...]:
    return tuple(SCALES[name]["satisfied"])


def scale_rate(name: str) -> str:
    return str(SCALES[name]["rate"])


WEIGHT = S("weight", "权重", F("level", "等级", required=True),
           F("weight", "分值", INT, min=0, max=100, required=True))

# Question types by what they hold, declared once for the form, the API, aggregates and results.
CHOICE_TYPES = ("single", "multiple", "ranking")            # list their own choices
PICK_TYPES = ("single", "multiple")                         # pick from listed choices; may offer 其他（请注明）
COUNTED_TYPES = ("single", "multiple", "scale5", "rating", "nps")   # counted per choice
ONE_ANSWER_TYPES = ("single", "scale5", "rating", "nps")    # one choice per person
CHOICE_VALUE_TYPES = COUNTED_TYPES + ("matrix", "ranking")  # answered with the values of choices
FREE_TEXT_TYPES = ("text", "textarea", "date")              # results carry only how many answered
TEXT_TYPES = ("text", "textarea")                           # typed text with a length limit
INTEGER_TYPES = ("rating", "nps", "number")                 # answered with an integer
SCALE_RANGES = {"rating": (1, 5), "nps": (0, 10)}           # the fixed integer scales
NPS_PROMOTERS = (9, 10)                                     # NPS: 9–10 promote, 0–6 detract
NPS_DETRACTORS = (0, 6)

CHOICE = S("choice", "选项", F("value", "选项值", required=True), F("label", "选项文字", required=True))
ROW = S("row", "矩阵行", F("id", "行编号", required=True), F("label", "行文字", required=True))
_CONDITION_FIELDS = (
    F("question", "条件题目"),
    F("equals", "等于"),
    L("in", "属于其中之一", F("value", "值")),
    L("not_in", "不属于其中任何一个", F("value", "值")),
    F("answered", "已作答", BOOL),
)
SIMPLE_CONDITION = S("condition", "条件", *_CONDITION_FIELDS)
CONDITION = S("show_if", "显示条件", *_CONDITION_FIELDS,
              L("all", "同时满足", SIMPLE_CONDITION), L("any", "满足其一", SIMPLE_CONDITION),
              help="如 {question: q1, equals: 不满意}；多个条件用 all 或 any")
QUESTION = S("question", "题目",
             F("id", "题目编号", required=True),
             F("type", "题型", ENUM, choices=QUESTION_TYPES, required=True),
             F("label", "题目", required=True),
             F("help", "说明"),
             F("required", "必答", BOOL, default=False),
             L("choices", "选项", CHOICE),
             L("rows", "矩阵行", ROW),
             F("min", "最小值", INT),
             F("max", "最大值", INT),
             F("other", "允许“其他（请注明）”", BOOL, default=False),
             F("maxlength", "最多字数", INT, min=1, max=5000),
             F("public", "可公开原文", BOOL, default=False),
             F("scale", "量表", ENUM, choices=SCALE_NAMES,
               help="单选题或矩阵题用规定的量表作选项（不再列 choices），如 称职三级、满意三级、是否"),
             L("satisfied", "计入满意的等级", F("level", "等级"),
               help="本题用哪些等级计算满意率（称职率等）；不写则用问卷的设置或量表的默认"),
             F("abstain", "可弃权", BOOL, help="在量表后增加“弃权”选项；不写则按问卷的设置"),
             F("rate_name", "比率名称", help="如 认为好转的比例；不写则用量表的名称，如 满意率、称职率"),
             L("weights", "指数权重", WEIGHT, help="写明各等级的分值时计算满意度指数"),
             CONDITION)
SURVEY_PAGE = S("page", "问卷页", F("title", "页标题"), L("questions", "题目", QUESTION, required=True))

SURVEY = ContentType(
    "survey", "调查问卷", "surveys", fmt="yaml", body=False, listed=False, fields=(
        F("draft", "草稿", BOOL, default=False,
          help="草稿问卷不会上线，也不能填写；写好后删除这一行"),
        F("id", "问卷编号", required=True, help="与文件名一致，只用小写字母、数字和连字符"),
        F("title", "问卷标题", required=True),
        F("kind", "问卷类型", ENUM, choices=SURVEY_KINDS, required=True),
        F("community", "所属社区", REF, target="community", allow=("district",), default="district"),
        F("opens", "开始日期", DATE, required=True),
        F("closes", "结束日期", DATE, required=True),
        F("access", "参与方式", ENUM, choices=SURVEY_ACCESS, default="open",
          help="open 任何人可填；invite 凭邀请码填写，每码一次"),
        F("results", "结果公开", ENUM, choices=SURVEY_RESULTS, default="private"),
        F("intro", "说明", TEXT),
        F("keep_numbers", "保留答案中的号码", BOOL, default=False,
          help="居民在文字题中写下的身份证号、手机号、银行卡号默认遮盖后保存；确需保留原文时写 true"
               "（工作人员页面和导出仍然遮盖）"),
        F("scale", "量表", ENUM, choices=SCALE_NAMES,
          help="不列选项的单选题和矩阵题默认使用的量表；不写则矩阵题用好差评五级"),
        L("satisfied", "计入满意的等级", F("level", "等级"),
          help="计算满意率（称职率等）时计入的等级，须是问卷量表中的等级"),
        F("abstain", "可弃权", BOOL, default=False, help="量表题都增加“弃权”选项"),
        F("exclude_abstain", "弃权不计入分母", BOOL, default=True,
          help="true：比率 = 计入满意的人数 ÷（作答人数 − 弃权）；false：弃权也计入分母"),
        L("weights", "指数权重", WEIGHT, help="写明各等级的分值时计算满意度指数，如 满意 100、基本满意 60、不满意 0"),
        F("results_after_close", "结束后才公布结果", BOOL,
          help="评议问卷默认 true：问卷结束后才能公布结果"),
        F("period", "统计期", help="如 2026年度；合并统计和首页的年度测评结果用它称呼本次调查"),
        F("annual", "年度测评", BOOL, default=False,
          help="true：最新一次的结果在首页和社区页显示（年度群众满意度测评）"),
        S("pool", "合并统计",
          F("label", "合并名称", required=True, help="如 两年来"),
          L("surveys", "合并的问卷", F("survey", "问卷编号"), required=True,
            help="此前各期同题问卷的编号；结果页按人数合并计算，不是各期比率的平均"),
          help="把此前各期问卷的同一题目与本次合并统计"),
        L("pages", "问卷页", SURVEY_PAGE, required=True),
    ), scaffold={"kind": "满意度"})

# --- published survey results (written by `flask --app survey publish`, never by hand) -------
# Aggregates only, no rates: the build computes every percentage (portal.rates) from counts.

EXPORT_FORMATS = ("json",)

RESULT_COUNT = S("count", "选项人数",
                 F("value", "选项值", required=True),
                 F("label", "选项文字", required=True),
                 F("count", "人数", INT, min=0, required=True))
RESULT_ROW = S("row", "矩阵行结果",
               F("id", "行编号", required=True),
               F("label", "行文字", required=True),
               F("answered", "作答数", INT, min=0, required=True),
               F("satisfied", "满意数", INT, min=0, required=True),
               L("counts", "各选项人数", RESULT_COUNT, required=True))
RESULT_RANK = S("rank", "排序结果",
                F("value", "选项值", required=True),
                F("label", "选项文字", required=True),
                F("mean", "平均位次", DECIMAL, help="无人排序时为空"))
RESULT_QUESTION = S("question", "题目结果",
                    F("id", "题目编号", required=True),
                    F("type", "题型", ENUM, choices=QUESTION_TYPES, required=True),
                    F("label", "题目", required=True),
                    F("answered", "作答数", INT, min=0, required=True),
                    L("counts", "各选项人数", RESULT_COUNT),
                    F("satisfied", "满意数", INT, min=0, help="五级满意度题：计入满意的人数"),
                    L("rows", "矩阵行结果", RESULT_ROW),
                    L("ranks", "排序结果", RESULT_RANK),
                    F("mean", "平均值", DECIMAL),
                    L("texts", "公开原文", F("text", "原文", TEXT),
                      help="仅问卷设为可公开原文的题目"),
                    F("scale", "量表", ENUM, choices=SCALE_NAMES, help="量表题：所用量表"),
                    L("levels", "计入满意的等级", F("level", "等级"), help="量表题：计算比率时计入的等级"),
                    F("exclude_abstain", "弃权不计入分母", BOOL, help="量表题：弃权是否从分母中减去"),
                    F("rate_name", "比率名称", help="量表题：如 满意率、称职率"),
                    L("weights", "指数权重", WEIGHT, help="量表题：满意度指数各等级的分值"))
BREAKDOWN_ROW = S("group", "分组",
                  F("group", "分组编号", help="空字符串表示未注明"),
                  F("label", "分组名称"),
                  F("responses", "答卷数", INT, min=0, required=True),
                  F("answered", "作答数", INT, min=0, help="问卷没有五级满意度题时不写"),
                  F("satisfied", "满意数", INT, min=0, help="问卷没有五级满意度题时不写"))
BREAKDOWNS = S("breakdowns", "分组统计",
               L("community", "按社区", BREAKDOWN_ROW),
               L("service", "按服务事项", BREAKDOWN_ROW),
               L("window", "按窗口", BREAKDOWN_ROW),
               L("month", "按月份", BREAKDOWN_ROW))

# 差评整改 (国办发〔2019〕51号): every 不满意 / 非常不满意 on a 好差评 survey is verified, rectified
# and answered; publish lists the cases de-identified (never the resident's words or contact).
CASE_LEVELS = ("不满意", "非常不满意")
CASE_VERDICTS = ("属实", "不属实")
CASE_FOLLOWUPS = ("电话回访", "上门回访", "当面回访", "短信回访", "未能联系上")
CASE_APPEALS = ("成立", "不成立")
RESULT_CASE = S("case", "差评整改",
                F("opened", "评价日期", DATE, required=True),
                F("level", "评价等级", ENUM, choices=CASE_LEVELS, required=True),
                L("reasons", "不满意原因", F("reason", "原因")),
                F("service", "服务事项编号"),
                F("service_label", "服务事项"),
                F("window", "窗口号"),
                F("community", "社区编号"),
                F("verify_due", "核实期限", DATE, required=True),
                F("reply_due", "答复期限", DATE, required=True),
                F("verified", "核实日期", DATE),
                F("verdict", "核实结论", ENUM, choices=CASE_VERDICTS),
                F("closed", "办结日期", DATE),
                F("rectification", "整改措施", TEXT),
                F("reply", "答复内容", TEXT),
                F("on_time", "按期办结", BOOL, help="由系统根据办结日期和答复期限核对"),
                F("followup", "回访方式", ENUM, choices=CASE_FOLLOWUPS),
                F("appeal", "申诉复核", ENUM, choices=CASE_APPEALS,
                  help="成立：这条评价经复核不计入好评率；不成立：维持评价"))

# Where a result's answers came from (the record says how many of each): online responses and
# the paper ballots of a meeting (民主测评: 发出 ≥ 收回 = 有效 + 废票).
SOURCE_CHANNELS = ("网上", "纸质")
RESULT_SOURCE = S("source", "答卷来源",
                  F("channel", "来源", ENUM, choices=SOURCE_CHANNELS, required=True),
                  F("label", "说明", help="如 2026年11月22日述职评议会现场测评"),
                  F("responses", "计入答卷数", INT, min=0, required=True,
                    help="网上：答卷数；纸质：有效票数"),
                  F("issued", "发出票数", INT, min=0),
                  F("returned", "收回票数", INT, min=0),
                  F("valid", "有效票数", INT, min=0),
                  F("invalid", "废票数", INT, min=0))

RESULT = ContentType(
    "result", "调查结果", "results", fmt="yaml", body=False, column="pyjg", fields=(
        F("survey", "问卷编号", required=True, help="与文件名一致，对应 content/surveys/ 中的问卷"),
        F("title", "问卷标题", required=True),
        F("kind", "问卷类型", ENUM, choices=SURVEY_KINDS, required=True),
        F("community", "所属社区", REF, target="community", allow=("district",), default="district"),
        F("published", "发布时间", DATETIME, required=True),
        F("first_response", "首份答卷日期", DATE),
        F("last_response", "末份答卷日期", DATE),
        F("responses", "答卷数", INT, min=0, required=True),
        L("satisfied", "计入满意的等级", F("level", "等级"), required=True),
        L("sources", "答卷来源", RESULT_SOURCE,
          help="网上答卷和会场纸质票各多少；纸质票写明发出、收回、有效、废票张数"),
        S("export", "导出文件",
          F("format", "文件格式", ENUM, choices=EXPORT_FORMATS, required=True),
          F("responses", "答卷数", INT, min=0, required=True),
          F("sha256", "校验值", required=True, help="导出文件的 SHA-256，64 位小写十六进制"),
          required=True),
        L("questions", "题目结果", RESULT_QUESTION, required=True),
        BREAKDOWNS,
        L("cases", "差评整改", RESULT_CASE, help="仅好差评问卷"),
        F("excluded", "申诉复核后不计入的评价", INT, min=0, default=0,
          help="经区级复核申诉成立、不计入各项统计的评价条数"),
        S("feedback", "居民对整改结果的评价", F("satisfied", "满意", INT, min=0, required=True),
          F("unsatisfied", "不满意", INT, min=0, required=True)),
    ))
