"""The portal's content types: site configuration, communities, notices, policies, guides,
disclosure, evaluations, appeals, pages, calendars and redirects."""
from __future__ import annotations

from .fields import (
    BOOL,
    DATE,
    DATETIME,
    ENUM,
    FILE,
    INT,
    PATH,
    PHONE,
    REF,
    TEXT,
    ContentType,
    F,
    Field,
    L,
    S,
)

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
MEETING_TYPES = ("群众意见收集会", "议题讨论会", "议事决策会", "述职评议会", "听证会", "协调会")
APPEAL_CHANNELS = ("来电", "来信", "来访", "网上留言", "书记（区长）交流台")
APPEAL_STATUS = ("办理中", "已办结")
EVAL_LEVELS = ("满意", "基本满意", "不满意")
# OpenCC conversions for the 繁體 pages (portal.hant): Taiwan's or Hong Kong's standard forms.
HANT_CONVERSIONS = ("s2tw", "s2hk")

# --- shared field groups ------------------------------------------------------------

ATTACHMENT = S("attachment", "附件",
               F("file", "文件", FILE, required=True, help="放在 content/files/ 下，写相对 content/ 的路径"),
               F("title", "名称", required=True))

DRAFT = F("draft", "草稿", BOOL, default=False,
          help="草稿只在本地预览（serve）中显示，不会发布；写好后删除这一行")

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
    DRAFT,
)


def _with_common(*fields: Field, skip: tuple[str, ...] = ()) -> tuple[Field, ...]:
    return tuple(f for f in COMMON if f.key not in skip) + fields


# --- the types ----------------------------------------------------------------------

# The shortest 公示 periods the rules allow, by what is publicised (matched in the title). A
# site.yaml that lists notice_minimums replaces these.
NOTICE_MINIMUM_DEFAULTS: tuple[dict, ...] = (
    # 《最低生活保障审核确认办法》（民发〔2021〕57号）：拟保障家庭在村（社区）公示，公示期为 7 天。
    {"name": "最低生活保障公示", "keywords": ("低保", "最低生活保障"), "days": 7, "workdays": False,
     "basis": "《最低生活保障审核确认办法》"},
    # 《特困人员认定办法》（民发〔2021〕43号）：拟认定对象在村（社区）公示，公示期为 7 天。
    {"name": "特困人员认定公示", "keywords": ("特困",), "days": 7, "workdays": False,
     "basis": "《特困人员认定办法》"},
    # 《中国共产党发展党员工作细则》（2014）要求发展党员过程公示，期限由各地实施办法规定，通行
    # “确定发展对象、接收预备党员等公示期不少于 5 个工作日”。
    {"name": "发展党员公示", "keywords": ("发展党员", "发展对象", "预备党员"), "days": 5, "workdays": True,
     "basis": "《中国共产党发展党员工作细则》及各地实施办法"},
)
NOTICE_MINIMUM = S("minimum", "公示期下限",
                   F("name", "公示事项", required=True, help="如 最低生活保障公示"),
                   L("keywords", "标题关键词", F("keyword", "关键词", required=True), required=True,
                     help="标题含其中任何一个词的公示适用这一条"),
                   F("days", "最短天数", INT, min=1, max=365, required=True),
                   F("workdays", "按工作日计", BOOL, default=False,
                     help="true 按工作日计（不算周末和法定节假日），false 按自然日计"),
                   F("basis", "依据", help="规定的出处，会写在提示中"))

# Site identity and 法定主动公开 items a site states once (portal.site_identity checks them):
# 国办发〔2017〕47号 附件 网页设计规范 (footer), 《党政机关网站开办审核、资格复核和网站标识管理办法》
# (the badge, bottom centre of every page), 政府信息公开条例 第十二条 (指南) and 第二十条 (负责人).
NEW_MEDIA_KINDS = ("微信公众号", "微信视频号", "微信小程序", "微博", "抖音号", "移动客户端")
NEW_MEDIA = S("account", "政务新媒体账号",
              F("kind", "类型", ENUM, choices=NEW_MEDIA_KINDS, required=True),
              F("name", "账号名称", required=True),
              F("qr", "二维码图片", FILE, required=True, help="放在 content/files/ 下，写相对 content/ 的路径"),
              F("note", "说明", help="如 每周更新社区活动"))
LEADER = S("leader", "负责人",
           F("post", "职务", required=True, help="如 社区党委书记、社区服务中心主任"),
           F("name", "姓名", help="公开负责人姓名（政府信息公开条例第二十条）；站点选择只写岗位时可不写"),
           F("unit", "单位", help="不写即本社区或主办单位"),
           F("duties", "分工", TEXT, required=True, help="主持全面工作、分管哪些事项"))
# 居(村)务公开 subjects: each 居委会 and 村 of a community discloses for itself (城市居民委员会组织法
# (2025 修订) 居务公开 under its 居务监督委员会; 村民委员会组织法 第三十条 村务公开, 第三十二条 村务监督委员会).
COMMITTEE_KINDS = ("居委会", "村")
COMMITTEE = S("subject", "居（村）务公开主体",
              F("name", "名称", required=True, help="与 committees 中的写法一致，如 金竹村"),
              F("id", "编号", required=True, help="小写字母、数字和连字符，公开记录放在 disclosure/社区/事项/编号/ 下"),
              F("kind", "类别", ENUM, choices=COMMITTEE_KINDS, required=True),
              F("supervisor", "监督机构", required=True,
                help="居务监督委员会或村务监督委员会，如 金竹村村务监督委员会；财务公开由其审核签字"),
              F("finance_group", "民主理财小组", help="村设民主理财小组的写其名称"))
SITE_IDENTITY: tuple[Field, ...] = (
    S("badge", "党政机关网站标识",
      F("image", "标识图片", FILE, required=True, help="机构编制部门发放的标识图片，放在 content/files/ 下"),
      F("link", "核验链接", required=True, help="点击标识打开的核验地址，以 https:// 开头"),
      help="显示在每个页面底部中间（党政机关网站标识管理办法）"),
    F("error_report_url", "我为政府网站找错", default="https://zfwzzc.www.gov.cn/",
      help="页脚“我为政府网站找错”的链接；不写即全国政府网站找错平台"),
    L("new_media", "政务新媒体", NEW_MEDIA, help="公众号、视频号、小程序等，页脚列出名称和二维码"),
    S("disclosure_office", "政府信息公开工作机构",
      F("name", "机构名称", required=True),
      F("address", "办公地址", required=True),
      F("hours", "办公时间", required=True),
      F("phone", "联系电话", PHONE, required=True),
      F("fax", "传真", PHONE, required=True),
      F("email", "电子邮箱"),
      F("apply_url", "网上申请地址", PATH, help="依申请公开的网上渠道，如 /survey/ysqgk/"),
      F("review_body", "行政复议机关", required=True, help="如 小河区人民政府"),
      F("court", "行政诉讼法院", required=True, help="如 小河区人民法院"),
      help="信息公开指南写明的工作机构（政府信息公开条例第十二条）"),
    L("leaders", "区负责人", LEADER, help="区有关负责同志的职务和分工，显示在负责人信息页"),
    F("leader_names", "公开负责人姓名", BOOL, default=True,
      help="false 时负责人信息只写职务和分工，不显示姓名"),
)

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
        F("site_code", "网站标识码", required=True, help="10 位数字，前 6 位是行政区划代码"),
        F("division_code", "行政区划代码", help="6 位数字；写了就核对网站标识码的前 6 位与之一致"),
        F("base_url", "网站地址", required=True, help="如 https://sq.example.gov.cn"),
        *SITE_IDENTITY,
        F("sample", "示例数据", BOOL, default=False),
        L("public_phones", "公开联系电话", F("phone", "电话", PHONE),
          help="允许出现在正文中的公开电话（隐私检查据此放行）"),
        F("per_page", "每页条数", INT, default=20, min=5, max=100),
        L("notice_minimums", "公示期下限", NOTICE_MINIMUM,
          help="公示期短于下限是错误。不写时按：" + "；".join(
              f"{d['name']}不少于 {d['days']} {'个工作日' if d['workdays'] else '天'}"
              for d in NOTICE_MINIMUM_DEFAULTS)),
        F("hant", "繁体用字", ENUM, choices=HANT_CONVERSIONS, default="s2tw",
          help="繁體页面的用字：s2tw 按台湾习惯（默认），s2hk 按香港习惯"),
        F("max_attachment_mb", "附件大小上限（MB）", INT, default=20, min=1, max=500,
          help="超过这个大小的附件会提示压缩或拆分"),
        F("max_document_kb", "内容文件大小上限（KB）", INT, default=1024, min=16, max=20480,
          help="超过这个大小的 Markdown/YAML 文件不读取，报错请拆分"),
        S("council_total", "议事会议定事项统计",
          F("period", "统计期间", required=True, help="照统计口径写，如 两年来、2026年"),
          F("count", "议定并解决的问题", required=True, help="照公布的数字写，如 240余件"),
          F("source", "来源", help="公布这个数字的材料"),
          help="全区议事会议定并解决问题的公布数字，显示在议事会提案页和社区页；本站收录的提案另行计数"),
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
        L("leaders", "负责人", LEADER, help="社区党委书记、服务中心主任等的职务、姓名和分工"),
        L("committee_subjects", "居（村）务公开主体", COMMITTEE,
          help="按居委会/村公开的事项（公开目录写 per_committee）由这里的每个居委会和村分别公开"),
        F("leader_names", "公开负责人姓名", BOOL,
          help="不写即按 site.yaml 的设置；false 时本社区只写职务和分工"),
        S("reading_point", "政务公开专区（查阅点）",
          F("place", "位置", required=True, help="如 社区服务中心一楼大厅"),
          F("hours", "开放时间", help="不写即服务中心办公时间"),
          F("note", "说明", TEXT),
          help="居民查阅政府信息的场所（政府信息公开条例第二十五条）"),
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

# The disclosure catalogue (SCHEDULE, CATALOGUE_ITEM, CATALOGUE) is declared in catalogue.py.

CORRECTION = S("correction", "更正", F("date", "更正日期", DATE, required=True),
               F("note", "更正说明", TEXT, required=True))

DISCLOSURE = ContentType(
    "disclosure", "公开记录", "disclosure", fields=_with_common(
        F("reviewed_by", "审核人", required=True, help="写岗位，如 社区党委书记"),
        F("signed_off_by", "监督审核",
          help="财务公开必填：审核签字的民主理财小组或居（村）务监督委员会，如 金竹村民主理财小组"),
        F("formed", "信息形成日期", DATE, help="即时公开事项必填"),
        F("data", "财务明细", FILE,
          help="Excel 工作簿（.xlsx）或 CSV 文件，列为 日期,摘要,收入,支出,经办,凭证号；可有合计行"),
        F("sheet", "工作表", help="Excel 中收支明细所在的工作表名称，不写即用第一个工作表"),
        F("roster", "名单明细", FILE,
          help="重点领域公示名单（低保、临时救助、高龄津贴等）：CSV 或 Excel（读第一个工作表），"
               "第一行为表头，须有姓名列（隐去部分字，如 张*明）；有金额列（如“发放金额（元）”）时"
               "最后一行为合计"),
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
        DRAFT,
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

# content/synonyms.yaml: what residents type → what the pages say (portal.synonyms checks the
# rules between entries; the search page applies it to queries, portal.search_query).
SYNONYMS = ContentType(
    "synonyms", "搜索同义词", "", fmt="yaml", body=False, listed=False, fields=(
        L("groups", "同义词组", L("group", "同义词组", F("term", "词语", required=True)),
          help="每组写两个以上意思相同的词（俗称、简称、旧称和正式名称），如 [低保, 最低生活保障]；"
               "居民搜其中任何一个，都能找到写了另一个的页面"),
        L("ignore", "查询时略过的词", F("word", "词语", required=True),
          help="居民常带在搜索里、但不说明要找什么的词，如 怎么办、在哪里"),
    ))
