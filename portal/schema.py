"""Every content type: its fields, their types, requiredness, enums and Chinese labels.

This module is the one source of truth for the content model. The validator, error
messages, the `new` scaffolds and the staff guide are all derived from it, and the survey
service imports it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

# Field kinds. Each is checked by portal.validate.
STR = "str"            # one line of text
TEXT = "text"          # several lines of text (Markdown where rendered)
INT = "int"
BOOL = "bool"
DATE = "date"          # YYYY-MM-DD
DATETIME = "datetime"  # YYYY-MM-DD HH:MM, Asia/Shanghai
ENUM = "enum"
REF = "ref"            # the id of another item (target: a content type)
PHONE = "phone"        # a Chinese landline or service number, e.g. 0851-83990000, 12345
PATH = "path"          # a site path such as /wza/
FILE = "file"          # a file below content/, relative to content/
LIST = "list"
STRUCT = "struct"
MONEY = "money"        # a non-negative amount, at most two decimals
DECIMAL = "decimal"    # a number written as a quoted string, e.g. "2.10" (kept as written)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = STR
    required: bool = False
    choices: tuple[str, ...] = ()
    target: str = ""                      # REF: the content type referred to
    of: "Field | None" = None             # LIST: the element
    fields: tuple["Field", ...] = ()      # STRUCT: its members
    default: Any = None
    help: str = ""                        # shown in scaffolds and the staff guide
    min: int | None = None
    max: int | None = None
    allow: tuple[str, ...] = ()           # REF: extra literal values accepted (e.g. "district")

    def member(self, key: str) -> "Field | None":
        for f in self.fields:
            if f.key == key:
                return f
        return None


def F(key: str, label: str, kind: str = STR, **kw: Any) -> Field:
    return Field(key, label, kind, **kw)


def L(key: str, label: str, of: Field, **kw: Any) -> Field:
    return Field(key, label, LIST, of=of, **kw)


def S(key: str, label: str, *fields: Field, **kw: Any) -> Field:
    return Field(key, label, STRUCT, fields=tuple(fields), **kw)


@dataclass(frozen=True)
class ContentType:
    name: str                     # internal name, e.g. "notice"
    label: str                    # Chinese name, e.g. 通知公告
    folder: str                   # below content/
    fields: tuple[Field, ...]
    body: bool = True             # Markdown body allowed (front-matter files)
    body_label: str = "正文"
    fmt: str = "md"               # "md" (front matter + body) or "yaml"
    column: str = ""              # column id in columns.yaml whose list shows it
    listed: bool = True           # appears in feeds, sitemap and column lists
    scaffold: dict[str, Any] = dc_field(default_factory=dict)

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


# --- enums --------------------------------------------------------------------------

AUDIENCES = ("全社会", "特定群体", "党内")
NOTICE_KINDS = ("通知", "公告", "公示", "提示")
VALIDITY = ("有效", "已修改", "失效", "废止")
POLICY_LEVELS = ("国家", "省", "市", "区", "社区")
POLICY_DOC_TYPES = ("规范性文件", "其他文件")
POLICY_TOPICS = ("综合政务", "社会保障", "民政", "卫生健康", "人口与计划生育", "就业创业",
                 "城乡建设", "平安建设", "教育", "党的建设", "基层治理", "财政")
INTERP_FORMS = ("文字解读", "图文解读", "问答", "视频解读")
GUIDE_KINDS = ("即办件", "承诺件")
GUIDE_CATEGORIES = ("社会保障", "社会救助", "就业创业", "养老服务", "卫生健康", "计划生育",
                    "流动人口", "户籍证明", "残疾人服务", "党员服务", "综合服务")
MATERIAL_FORMS = ("原件", "复印件", "原件和复印件", "电子材料")
DISCLOSURE_DOMAINS = ("党务", "居务", "财务", "政务")
FREQUENCIES = ("每月", "每季度", "每半年", "每年", "即时")
MEETING_TYPES = ("群众意见收集会", "议题讨论会", "议事决策会", "述职评议会")
APPEAL_CHANNELS = ("来电", "来信", "来访", "网上留言", "书记（区长）交流台")
APPEAL_STATUS = ("办理中", "已办结")
EVAL_LEVELS = ("满意", "基本满意", "不满意")

# --- shared field groups ------------------------------------------------------------

ATTACHMENT = S("attachment", "附件",
               F("file", "文件", FILE, required=True, help="放在 content/files/ 下，写相对 content/ 的路径"),
               F("title", "名称", required=True))

WITHDRAWN = S("withdrawn", "撤回", F("date", "撤回日期", DATE, required=True),
              F("reason", "撤回原因", required=True),
              help="撤回后页面保留并显示“已撤回”，不删除")

COMMON: tuple[Field, ...] = (
    F("title", "标题", required=True),
    F("published", "发布时间", DATETIME, required=True, help="YYYY-MM-DD HH:MM，北京时间"),
    F("updated", "更新时间", DATETIME),
    F("changes", "更新说明", TEXT),
    F("community", "所属社区", REF, target="community", allow=("district",), default="district",
      help="社区编号（见 content/communities/），全区通用写 district"),
    F("source", "信息来源"),
    F("summary", "摘要", TEXT),
    L("keywords", "关键词", F("keyword", "关键词")),
    L("attachments", "附件", ATTACHMENT),
    L("related", "相关内容", F("item", "相关内容", REF, target="*"),
      help="其他内容的编号，如 zcwj/xhsq-2024-3"),
    WITHDRAWN,
    F("audience", "公开范围", ENUM, choices=AUDIENCES, default="全社会"),
)


def _with_common(*fields: Field, skip: tuple[str, ...] = ()) -> tuple[Field, ...]:
    return tuple(f for f in COMMON if f.key not in skip) + fields


# --- the types ----------------------------------------------------------------------

SITE = ContentType(
    "site", "站点信息", "", fmt="yaml", body=False, listed=False, fields=(
        F("name", "网站名称", required=True),
        F("short_name", "简称"),
        F("district", "所属区县", required=True),
        F("description", "网站简介", TEXT),
        F("owner", "主办单位", required=True),
        F("operator", "承办单位", required=True),
        F("address", "联系地址", required=True),
        F("phone", "联系电话", PHONE, required=True),
        F("email", "电子邮箱"),
        F("icp", "ICP备案号", required=True),
        F("psb", "公安备案号", required=True),
        F("site_code", "网站标识码", required=True),
        F("base_url", "网站地址", required=True, help="如 https://sq.example.gov.cn"),
        F("sample", "示例数据", BOOL, default=False),
        L("public_phones", "公开联系电话", F("phone", "电话", PHONE),
          help="允许出现在正文中的公开电话（隐私检查据此放行）"),
        F("per_page", "每页条数", INT, default=20, min=5, max=100),
    ))

COLUMN = S("column", "栏目",
           F("id", "栏目编号", required=True),
           F("name", "栏目名称", required=True),
           F("path", "栏目地址", PATH, required=True),
           F("max_age", "更新周期（天）", INT, min=1, help="超过此天数未更新视为不及时"),
           F("parent", "上级栏目"),
           F("nav", "显示在导航", BOOL, default=False))

COLUMNS = ContentType(
    "columns", "栏目设置", "", fmt="yaml", body=False, listed=False,
    fields=(L("columns", "栏目", COLUMN, required=True),))

WINDOW = S("window", "窗口",
           F("number", "窗口号", INT, required=True, min=1, max=99),
           F("name", "窗口名称", required=True),
           F("scope", "业务范围", TEXT))

COMMUNITY = ContentType(
    "community", "社区", "communities", fmt="yaml", body=False, listed=False, fields=(
        F("name", "社区名称", required=True),
        F("formed", "成立时间", DATE),
        F("summary", "社区简介", TEXT, required=True),
        F("area", "辖区面积（平方公里）"),
        F("population", "常住人口", INT, min=0),
        L("committees", "居委会/村", F("committee", "居委会/村"), required=True),
        S("party", "社区党委", F("name", "党组织名称", required=True),
          F("branches", "党支部数", INT, min=0), F("groups", "党小组数", INT, min=0),
          F("phone", "联系电话", PHONE), required=True),
        S("centre", "服务中心", F("name", "服务中心名称", required=True),
          F("address", "地址", required=True), F("hours", "办公时间", required=True),
          F("phone", "咨询电话", PHONE, required=True),
          L("windows", "服务窗口", WINDOW, required=True), required=True),
        S("first_contact", "首问负责", F("role", "首问责任岗位", required=True),
          F("phone", "联系电话", PHONE, required=True), F("note", "说明", TEXT), required=True),
        S("council", "议事会", F("name", "名称", required=True),
          F("members", "成员人数", INT, min=0), F("meets", "议事时间"), F("note", "说明", TEXT)),
        L("public_phones", "公开联系电话", F("phone", "电话", PHONE)),
    ))

NOTICE = ContentType(
    "notice", "通知公告", "tzgg", column="tzgg", fields=_with_common(
        F("kind", "类别", ENUM, choices=NOTICE_KINDS, required=True),
        F("valid_until", "有效期至", DATE, help="过期后移出当前列表并标注“已过期”"),
        S("notice_period", "公示期", F("start", "开始日期", DATE, required=True),
          F("end", "结束日期", DATE, required=True), help="公示类必填"),
        F("objection", "异议渠道", TEXT, help="公示类必填：电话、地址或信箱"),
    ), scaffold={"kind": "通知"})

NEWS = ContentType("news", "工作动态", "gzdt", column="gzdt", fields=_with_common())

POLICY = ContentType(
    "policy", "政策文件", "zcwj", column="zcwj", fields=_with_common(
        F("doc_number", "文号", required=True, help="如 小河社区发〔2025〕3号；无文号写“无”"),
        F("issuer", "发文机关", required=True),
        F("written", "成文日期", DATE, required=True),
        F("effective", "施行日期", DATE),
        F("expires", "有效期至", DATE),
        F("validity", "有效性", ENUM, choices=VALIDITY, required=True),
        F("validity_note", "有效性说明", TEXT, help="失效、废止、已修改时写明依据"),
        F("superseded_by", "替代文件", REF, target="policy"),
        F("amended_by", "修改文件", REF, target="policy"),
        F("topic", "主题分类", ENUM, choices=POLICY_TOPICS, required=True),
        F("level", "文件层级", ENUM, choices=POLICY_LEVELS, required=True),
        F("doc_type", "文件类型", ENUM, choices=POLICY_DOC_TYPES, default="其他文件"),
        F("index_no", "索引号", required=True),
    ), scaffold={"validity": "有效", "topic": "综合政务", "level": "区"})

INTERPRETATION = ContentType(
    "interpretation", "政策解读", "zcjd", column="zcjd", fields=_with_common(
        F("policy", "解读的文件", REF, target="policy", required=True),
        F("form", "解读形式", ENUM, choices=INTERP_FORMS, default="文字解读"),
        F("interpreter", "解读机关", required=True),
    ))

MATERIAL = S("material", "材料",
             F("name", "材料名称", required=True),
             F("form", "材料形式", ENUM, choices=MATERIAL_FORMS, default="原件"),
             F("copies", "份数", INT, min=0, default=1),
             F("note", "说明"))

BASIS = S("basis", "依据", F("title", "依据名称", required=True),
          F("policy", "对应文件", REF, target="policy"))

GUIDE = ContentType(
    "guide", "办事指南", "bszn", column="bszn", body_label="补充说明", fields=_with_common(
        F("category", "服务类别", ENUM, choices=GUIDE_CATEGORIES, required=True),
        F("department", "实施主体", required=True),
        L("basis", "设定依据", BASIS, required=True),
        L("conditions", "申请条件", F("condition", "条件"), required=True),
        L("materials", "办理材料", MATERIAL, required=True),
        F("location", "办理地点", required=True, help="写“社区服务中心”即指所属社区服务中心"),
        F("hours", "办理时间", required=True),
        F("phone", "联系电话", PHONE, required=True),
        L("process", "办理流程", F("step", "步骤"), required=True),
        F("kind", "办件类型", ENUM, choices=GUIDE_KINDS, required=True),
        F("legal_limit", "法定时限（工作日）", INT, min=0),
        F("promised_limit", "承诺时限（工作日）", INT, min=0, required=True),
        F("visits", "到现场次数", INT, min=0, max=5, required=True),
        F("fee", "收费", required=True, help="不收费写“不收费”"),
        F("complaint_phone", "监督投诉电话", PHONE, required=True),
        L("windows", "办理窗口", F("window", "窗口号", INT, min=1, max=99)),
        F("featured", "特色服务", BOOL, default=False),
        F("online", "网上办理", TEXT),
        F("reviewed", "审核日期", DATE, required=True, help="最近一次核对指南内容的日期"),
    ), scaffold={"kind": "承诺件", "category": "综合服务"})

SCHEDULE = S("schedule", "公开时限",
             F("every", "公开频次", ENUM, choices=FREQUENCIES, required=True),
             F("within", "期满后工作日内", INT, min=0, help="周期结束后 N 个工作日内公开"),
             F("day", "次期首月日期", INT, min=1, max=28, help="周期结束后次月 N 日前公开"),
             required=True)

CATALOGUE_ITEM = S("item", "公开事项",
                   F("id", "事项编号", required=True),
                   F("domain", "公开类别", ENUM, choices=DISCLOSURE_DOMAINS, required=True),
                   F("name", "公开事项", required=True),
                   F("content", "公开内容", TEXT, required=True),
                   F("basis", "公开依据", required=True),
                   SCHEDULE,
                   F("subject", "公开主体", required=True),
                   L("channels", "公开渠道", F("channel", "渠道"), required=True),
                   F("audience", "公开范围", ENUM, choices=AUDIENCES, default="全社会"),
                   L("communities", "适用社区", F("community", "社区", REF, target="community"),
                     help="不写即适用全部社区"),
                   F("since", "起始日期", DATE, required=True))

CATALOGUE = ContentType(
    "catalogue", "公开目录", "disclosure", fmt="yaml", body=False, listed=False,
    fields=(L("items", "公开事项", CATALOGUE_ITEM, required=True),))

CORRECTION = S("correction", "更正", F("date", "更正日期", DATE, required=True),
               F("note", "更正说明", TEXT, required=True))

DISCLOSURE = ContentType(
    "disclosure", "公开记录", "disclosure", fields=_with_common(
        F("reviewed_by", "审核人", required=True, help="写岗位，如 社区党委书记"),
        F("formed", "信息形成日期", DATE, help="即时公开事项必填"),
        F("data", "财务明细", FILE, help="CSV 文件，列为 日期,摘要,收入,支出,经办,凭证号"),
        L("corrections", "更正记录", CORRECTION),
        skip=("community",)))

SUBJECT = S("subject", "述职对象",
            F("role", "述职岗位", required=True, help="写岗位，不写姓名"),
            F("report", "述职要点", TEXT),
            S("votes", "评议票数", *(F(level, level, INT, min=0, required=True)
                                    for level in EVAL_LEVELS)),
            F("rate", "满意率", help="由系统计算，无需填写"))

EVALUATION = ContentType(
    "evaluation", "评议结果", "pyjg", column="pyjg", fields=_with_common(
        F("meeting", "会议类型", ENUM, choices=MEETING_TYPES, required=True),
        F("held", "召开时间", DATETIME, required=True),
        F("place", "召开地点", required=True),
        F("attendees", "参会人数", INT, min=1, required=True),
        L("topics", "议题", F("topic", "议题")),
        L("decisions", "决定事项", F("decision", "决定事项")),
        L("subjects", "述职评议", SUBJECT),
        F("survey", "关联问卷"),
    ), scaffold={"meeting": "述职评议会"})

APPEAL = ContentType(
    "appeal", "诉求答复", "sqdf", column="sqdf", body_label="答复内容", fields=_with_common(
        F("received", "受理日期", DATE, required=True),
        F("channel", "诉求渠道", ENUM, choices=APPEAL_CHANNELS, required=True),
        F("question", "诉求内容", TEXT, required=True, help="去除姓名、电话、门牌等个人信息"),
        F("status", "办理状态", ENUM, choices=APPEAL_STATUS, required=True),
        F("replied", "答复日期", DATE),
        F("handler", "承办单位", required=True),
    ), scaffold={"channel": "来电", "status": "办理中"})

PAGE = ContentType(
    "page", "页面", "pages", listed=False, fields=(
        F("title", "标题", required=True),
        F("path", "页面地址", PATH, required=True, help="如 /wza/"),
        F("updated", "更新时间", DATETIME, required=True),
        F("summary", "摘要", TEXT),
        F("order", "排序", INT, default=0),
    ))

DAY = S("day", "日期", F("date", "日期", DATE, required=True), F("name", "说明", required=True))

CALENDAR = ContentType(
    "calendar", "工作日历", "calendar", fmt="yaml", body=False, listed=False, fields=(
        F("year", "年份", INT, required=True, min=2000, max=2100),
        F("complete", "全年已完整", BOOL, default=False,
          help="库中没有这一年时写 true，并列出全部放假和调休上班日期"),
        L("holidays", "放假日期", DAY, help="法定节假日或本地临时闭馆"),
        L("workdays", "调休上班日期", DAY, help="周末调休上班的日期"),
    ))

REDIRECT = S("redirect", "网址迁移", F("from", "原网址", PATH, required=True),
             F("to", "新网址", PATH, required=True), F("reason", "原因", required=True))

REDIRECTS = ContentType(
    "redirects", "网址迁移", "", fmt="yaml", body=False, listed=False,
    fields=(L("redirects", "网址迁移", REDIRECT),))

# --- surveys (the survey service reads these with the same loader) -------------------------

SURVEY_KINDS = ("满意度", "评议", "好差评")
SURVEY_ACCESS = ("open", "invite")
SURVEY_RESULTS = ("public", "private")
QUESTION_TYPES = ("single", "multiple", "scale5", "rating", "nps", "matrix", "ranking", "text",
                  "textarea", "number", "date")
SCALE5 = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
SATISFIED_DEFAULT = ("非常满意", "满意", "基本满意")

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
             CONDITION)
SURVEY_PAGE = S("page", "问卷页", F("title", "页标题"), L("questions", "题目", QUESTION, required=True))

SURVEY = ContentType(
    "survey", "调查问卷", "surveys", fmt="yaml", body=False, listed=False, fields=(
        F("id", "问卷编号", required=True),
        F("title", "问卷标题", required=True),
        F("kind", "问卷类型", ENUM, choices=SURVEY_KINDS, required=True),
        F("community", "所属社区", REF, target="community", allow=("district",), default="district"),
        F("opens", "开始日期", DATE, required=True),
        F("closes", "结束日期", DATE, required=True),
        F("access", "参与方式", ENUM, choices=SURVEY_ACCESS, default="open",
          help="open 任何人可填；invite 凭邀请码填写，每码一次"),
        F("results", "结果公开", ENUM, choices=SURVEY_RESULTS, default="private"),
        F("intro", "说明", TEXT),
        L("satisfied", "计入满意的等级", F("level", "等级", ENUM, choices=SCALE5)),
        L("pages", "问卷页", SURVEY_PAGE, required=True),
    ))

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
                      help="仅问卷设为可公开原文的题目"))
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
                F("on_time", "按期办结", BOOL, help="由系统根据办结日期和答复期限核对"))

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
        L("satisfied", "计入满意的等级", F("level", "等级", ENUM, choices=SCALE5), required=True),
        S("export", "导出文件",
          F("format", "文件格式", ENUM, choices=EXPORT_FORMATS, required=True),
          F("responses", "答卷数", INT, min=0, required=True),
          F("sha256", "校验值", required=True, help="导出文件的 SHA-256，64 位小写十六进制"),
          required=True),
        L("questions", "题目结果", RESULT_QUESTION, required=True),
        BREAKDOWNS,
        L("cases", "差评整改", RESULT_CASE, help="仅好差评问卷"),
    ))

# Article-like types, in the order the portal lists them.
ITEM_TYPES: tuple[ContentType, ...] = (
    NOTICE, NEWS, POLICY, INTERPRETATION, GUIDE, DISCLOSURE, EVALUATION, RESULT, APPEAL, PAGE)
ALL_TYPES: tuple[ContentType, ...] = (SITE, COLUMNS, COMMUNITY, CATALOGUE, CALENDAR, REDIRECTS,
                                     SURVEY) + ITEM_TYPES
BY_NAME: dict[str, ContentType] = {t.name: t for t in ALL_TYPES}
BY_FOLDER: dict[str, ContentType] = {t.folder: t for t in ITEM_TYPES if t.folder != "disclosure"}

# Folders under content/ that hold non-item data read by other stages.
DATA_FOLDERS = ("files", "surveys")


def type_for(rel: str) -> ContentType | None:
    """The content type of a file at `rel` (a path relative to content/), or None."""
    parts = rel.split("/")
    if rel == "site.yaml":
        return SITE
    if rel == "columns.yaml":
        return COLUMNS
    if rel == "redirects.yaml":
        return REDIRECTS
    if parts[0] == "calendar" and len(parts) == 2 and rel.endswith((".yaml", ".yml")):
        return CALENDAR
    if parts[0] == "communities" and len(parts) == 2 and rel.endswith((".yaml", ".yml")):
        return COMMUNITY
    if parts[0] == "disclosure":
        if rel in ("disclosure/catalogue.yaml", "disclosure/catalogue.yml"):
            return CATALOGUE
        if rel.endswith(".md"):
            return DISCLOSURE
        return None
    t = BY_FOLDER.get(parts[0])
    if t and t.fmt == "yaml":
        return t if len(parts) == 2 and rel.endswith((".yaml", ".yml")) else None
    if t and rel.endswith(".md"):
        return t
    return None
