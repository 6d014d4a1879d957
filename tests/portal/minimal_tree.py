"""The minimal valid content tree the builder's tests start from (tests/portal/conftest.py
writes it for the `tree` fixture), as a plain module: conftest files are not imported by name
(with several test folders, `conftest` is whichever was loaded first).

Line numbers that tests assert are the line numbers of these strings: keep one key per line
and count with care when editing them.
"""
from __future__ import annotations

import datetime as dt

# After every date below, within 14 days of the newest notice (home page freshness) and
# before April's disclosure is due; a real site (`sample: false`), so date-dependent rules
# count as errors, not warnings.
TODAY = dt.date(2026, 4, 6)
TODAY_ARG = TODAY.isoformat()

MINIMAL: dict[str, str] = {
    "site.yaml": """\
name: 测试区社区门户
district: 测试区
owner: 测试区群众工作委员会
operator: 测试区群众工作中心
address: 测试路1号
phone: 0851-00000001
icp: 黔ICP备00000000号-1
psb: 黔公网安备00000000000000号
site_code: "5201150000"
base_url: https://test.example.org
sample: false
per_page: 20
""",
    "columns.yaml": """\
columns:
  - {id: tzgg, name: 通知公告, path: /tzgg/, nav: true}
  - {id: gzdt, name: 工作动态, path: /gzdt/, nav: true}
  - {id: xxgk, name: 信息公开, path: /xxgk/, nav: true}
  - {id: zcwj, name: 政策文件, path: /xxgk/zcwj/, parent: xxgk}
  - {id: zcjd, name: 政策解读, path: /xxgk/zcjd/, parent: xxgk}
  - {id: bszn, name: 办事指南, path: /bszn/, nav: true}
  - {id: tese, name: 特色服务, path: /bszn/tese/, parent: bszn}
  - {id: dwgk, name: 党务公开, path: /dwgk/, nav: true}
  - {id: jwgk, name: 居务公开, path: /jwgk/, nav: true}
  - {id: cwgk, name: 财务公开, path: /cwgk/, nav: true}
  - {id: hdjl, name: 互动交流, path: /hdjl/, nav: true}
  - {id: myd, name: 满意度调查, path: /hdjl/myd/, parent: hdjl}
  - {id: pyjg, name: 评议结果, path: /hdjl/pyjg/, parent: hdjl}
  - {id: sqdf, name: 诉求答复, path: /hdjl/sqdf/, parent: hdjl}
  - {id: sq, name: 社区, path: /sq/, nav: true}
  - {id: sousuo, name: 站内搜索, path: /sousuo/}
""",
    "communities/hx.yaml": """\
name: 河西社区
summary: 测试用社区。
committees:
  - 河西居委会
party:
  name: 中共河西社区委员会
centre:
  name: 河西社区服务中心
  address: 测试路2号
  hours: 周一至周五
  phone: 0851-00000002
  windows:
    - number: 1
      name: 综合受理
    - number: 2
      name: 社会保障
first_contact:
  role: 首问责任岗
  phone: 0851-00000003
""",
    "tzgg/2026/tz-one.md": """\
---
title: 关于测试的通知
published: 2026-03-30 09:00
community: hx
kind: 通知
valid_until: 2026-12-31
related:
  - zcwj/zc-one
---
通知正文。
""",
    "zcwj/zc-one.md": """\
---
title: 测试管理办法
published: 2026-03-02 09:00
doc_number: 测府办发〔2026〕1号
issuer: 测试区政府办公室
written: 2026-02-27
validity: 有效
topic: 民政
level: 区
index_no: TEST/2026-1
---
## 第一条

内容。
""",
    "zcjd/jd-one.md": """\
---
title: 《测试管理办法》解读
published: 2026-03-03 09:00
policy: zc-one
interpreter: 测试区民政局
---
解读正文。
""",
    "bszn/bz-one.md": """\
---
title: 居住证明办理
published: 2026-03-02 09:00
community: hx
category: 户籍证明
department: 河西社区居委会
basis:
  - title: 《测试管理办法》
    policy: zc-one
conditions:
  - 在本社区居住
materials:
  - name: 居民身份证
location: 社区服务中心
hours: 工作日
phone: 0851-00000002
process:
  - 受理
  - 出具证明
kind: 即办件
promised_limit: 0
visits: 1
fee: 不收费
complaint_phone: "12345"
windows:
  - 1
reviewed: 2026-03-01
---
补充说明。
""",
    "disclosure/catalogue.yaml": """\
items:
  - id: cw-szmx
    domain: 财务
    name: 收支明细
    content: 社区每月收入和支出明细
    basis: 《测试区社区财务公开办法》
    schedule:
      every: 每月
      within: 10
    subject: 河西社区服务中心
    channels:
      - 门户网站
    since: 2026-03-01
""",
    "disclosure/hx/cw-szmx/2026-03.md": """\
---
title: 2026年3月收支明细
published: 2026-04-03 09:00
reviewed_by: 社区党委书记
data: disclosure/hx/cw-szmx/2026-03.csv
---
说明。
""",
    "disclosure/hx/cw-szmx/2026-03.csv": """\
日期,摘要,收入,支出,经办,凭证号
2026-03-02,区级拨付工作经费,5000.00,,会计,2026-03-001
2026-03-16,购买办公用品,,320.50,会计,2026-03-002
""",
    "sqdf/sq-one.md": """\
---
title: 关于路灯不亮的诉求
published: 2026-03-25 09:00
received: 2026-03-20
channel: 来电
question: 小区路灯不亮
status: 已办结
replied: 2026-03-24
handler: 河西社区服务中心
---
已修复。
""",
    "pages/wza.md": """\
---
title: 无障碍声明
path: /wza/
updated: 2026-03-01 09:00
---
本站努力符合无障碍标准。
""",
}
