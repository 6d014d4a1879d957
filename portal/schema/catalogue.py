"""The disclosure catalogue (content/disclosure/catalogue.yaml): the 基层政务公开标准目录 of
国办发〔2019〕54号. Each row names its 事项, 公开内容（要素）, 依据, 时限, 主体, 渠道和载体, 公开对象,
公开方式 and 公开层级; 重点领域 rows (社会救助, 养老服务 …) also name their 领域. Records filed under
a row live in content/disclosure/<社区>/<事项>/<期间>.md (the `disclosure` type in content.py).
"""
from __future__ import annotations

from .content import AUDIENCES, DISCLOSURE_DOMAINS, FREQUENCIES
from .fields import DATE, ENUM, INT, REF, TEXT, ContentType, F, L, S

SCHEDULE = S("schedule", "公开时限",
             F("every", "公开频次", ENUM, choices=FREQUENCIES, required=True),
             F("within", "期满后工作日内", INT, min=0, help="周期结束后 N 个工作日内公开"),
             F("day", "次期首月日期", INT, min=1, max=28, help="周期结束后次月 N 日前公开"),
             required=True)

DISCLOSURE_MODES = ("主动", "依申请")
DISCLOSURE_LEVELS = ("县级", "乡级", "村级")
SECTORS = ("社会救助", "养老服务", "就业", "社会保险", "保障性住房", "残疾人", "卫生健康")

CATALOGUE_ITEM = S("item", "公开事项",
                   F("id", "事项编号", required=True),
                   F("domain", "公开类别", ENUM, choices=DISCLOSURE_DOMAINS, required=True),
                   F("name", "事项名称", required=True),
                   F("content", "公开内容（要素）", TEXT, required=True),
                   F("basis", "公开依据", required=True),
                   SCHEDULE,
                   F("subject", "公开主体", required=True),
                   L("channels", "公开渠道和载体", F("channel", "渠道"), required=True),
                   F("audience", "公开对象", ENUM, choices=AUDIENCES, default="全社会",
                     help="全社会 或 特定群体；党内 的事项不在网站上公开"),
                   F("mode", "公开方式", ENUM, choices=DISCLOSURE_MODES, default="主动",
                     help="主动：按公开时限主动公开（到期未公开会报告）；依申请：不主动公开，"
                          "公开时限写答复期限（如 即时、20 个工作日）"),
                   F("level", "公开层级", ENUM, choices=DISCLOSURE_LEVELS, default="乡级",
                     help="县级（区）、乡级（街道、社区）或 村级（居委会、村）"),
                   F("sector", "重点领域", ENUM, choices=SECTORS,
                     help="政务公开重点领域的事项写明领域，网站按领域列出各期名单"),
                   L("communities", "适用社区", F("community", "社区", REF, target="community"),
                     help="不写即适用全部社区"),
                   F("per_committee", "按居委会/村公开", ENUM, choices=("居委会", "村", "居委会和村"),
                     help="写了就由适用社区的每个居委会或村分别公开（见社区文件的 committee_subjects）"),
                   F("since", "起始日期", DATE, required=True))

CATALOGUE = ContentType(
    "catalogue", "公开目录", "disclosure", fmt="yaml", body=False, listed=False,
    fields=(L("items", "公开事项", CATALOGUE_ITEM, required=True),))
