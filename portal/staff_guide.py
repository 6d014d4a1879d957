"""The 编辑指南 (/xxgk/jcbg/bjzn/): for staff, every content type with its fields, derived from
portal.schema (label, key, required, format, allowed values, help), and a complete example file
from portal/staff_guide_examples/ — a small site of its own that
tests/portal/test_staff_guide.py checks, so the guide cannot drift from the schema.

The guide's first page has the steps, how fields are written and this site's own ids; each
content type has a page of its own below it (/xxgk/jcbg/bjzn/<type>/): one page for all of them
was 255 KB and 700 table rows, slow on an old PC and on a phone.

A built page rather than a document beside the code: it is never stale, it shows this site's
own community ids, catalogue items and 公示 minimums, and staff read it in the same preview
(`make run`) they check their content in. Like the staff report, it is not in the navigation,
the site map or the search index, and it is marked noindex.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .checks.notice_periods import minimums
from .model import Site
from .page_model import Crumb, Page, breadcrumbs
from .results import TYPE_NAMES
from .urls import PATTERNS
from .validate import KIND_NAMES

URL = "/xxgk/jcbg/bjzn/"
EXAMPLES = Path(__file__).resolve().parent / "staff_guide_examples"

# The sections in the order staff meet them: what they write every week first, settings last.
# (type, where its files go, the `build.py new` name or "" when files are not created so)
SECTIONS: tuple[tuple[schema.ContentType, str, str], ...] = (
    (schema.NOTICE, "content/tzgg/<年份>/<文件名>.md", "通知"),
    (schema.NEWS, "content/gzdt/<年份>/<文件名>.md", "工作动态"),
    (schema.POLICY, "content/zcwj/<文件名>.md", "政策文件"),
    (schema.INTERPRETATION, "content/zcjd/<文件名>.md", "政策解读"),
    (schema.GUIDE, "content/bszn/<文件名>.md", "办事指南"),
    (schema.DISCLOSURE, "content/disclosure/<社区编号>/<事项编号>/<期间>.md", "财务公开"),
    (schema.EVALUATION, "content/pyjg/<文件名>.md", "评议"),
    (schema.PROPOSAL, "content/yishi/<年份>/<文件名>.md", "提案"),
    (schema.APPEAL, "content/sqdf/<文件名>.md", "诉求答复"),
    (schema.CONSULTATION, "content/zqyj/<文件名>.md", "征求意见"),
    (schema.SURVEY, "content/surveys/<问卷编号>.yaml", "问卷"),
    (schema.COMMUNITY, "content/communities/<社区编号>.yaml", "社区"),
    (schema.PAGE, "content/pages/<文件名>.md", "页面"),
    (schema.ANNUAL_REPORT, "content/ndbg/<年份>.yaml", ""),
    (schema.SITE, "content/site.yaml", ""),
    (schema.COLUMNS, "content/columns.yaml", ""),
    (schema.CATALOGUE, "content/disclosure/catalogue.yaml", ""),
    (schema.CALENDAR, "content/calendar/<年份>.yaml", ""),
    (schema.REDIRECTS, "content/redirects.yaml", ""),
    (schema.SYNONYMS, "content/synonyms.yaml", ""),
    (schema.RESULT, "content/results/<问卷编号>.yaml", ""),
    (schema.REQUEST_STATS, "content/ysqgk/<年份>.yaml", ""),
    (schema.MESSAGE_STATS, "content/liuyan/<年-月>.yaml", ""),
)
NOTES = {
    "notice": "类别为“公示”时必须写公示期和异议渠道；低保、发展党员等公示的公示期"
              "不能短于编辑指南首页“本站的编号”中公示期下限表的天数。",
    "disclosure": "党务、居务、财务公开都用这种文件，放在哪个栏目由公开目录中事项的类别决定。"
                  "新建时写明社区、事项和期间，如 python build.py new 财务公开 \"2026年3月收支明细\" "
                  "--community hexi --item cw-szmx --period 2026-03。财务明细另存为同名 CSV 文件。",
    "evaluation": "“三会一评”的四种会议（群众意见收集会、议题讨论会、议事决策会、述职评议会）"
                  "和听证会、协调会都用这种文件；"
                  "新建时可以直接写会议名，如 python build.py new 述职评议会 \"标题\"。满意率由系统计算，不要填写。",
    "proposal": "议事会提案按“三会一评”办理：提出 → 听证 → 协调 → 决议 → 实施 → 评议。每办完一个环节，删去该环节"
                "前面的“# ”，写上日期和会议记录编号（content/pyjg/ 中听证会、协调会、议事决策会、述职评议会的文件名），"
                "并把办理状态改成相应的状态。日期必须按环节先后，会议记录的会议类型、社区和召开日期要与环节一致。"
                "提议人写居民小组或“居民代表N人联名”，不写个人姓名。",
    "consultation": "重大决策预公开：公开决策草案并写明征求意见期和提出意见的方式（不写 how 时页面引导居民"
                    "在“我要留言”中留言）；征求意见期内在社区页面上显示。截止后填写 adoption（采纳情况），"
                    "截止后 15 个工作日仍未填写是错误。",
    "appeal": "办理状态为“已办结”时，必须写答复日期，并在正文（文件末尾 --- 下面）写明答复内容。",
    "guide": "正文、摘要和办理流程中写到的办结时限（如“10个工作日内办结”）要与承诺时限一致。",
    "survey": "新建的问卷是草稿（draft: true），不会上线；写好后删除 draft 一行，问卷在开始日期上线。"
              "python build.py new 问卷 \"标题\" 生成的文件中每种题型各有一例。",
    "result": "由问卷服务的 flask --app survey publish 问卷编号 命令生成，不要手工新建或修改，因此这里不给示例。",
    "annual_report": "政府信息公开工作年度报告只写文字部分，表格（主动公开、依申请公开、留言统计）"
                     "由系统按国家统一格式生成；每年 1 月 31 日前公布上一年度报告，文件名为年份。"
                     "没有这个文件时，本地预览显示只有表格的草稿。",
    "request_stats": "由问卷服务的 flask --app survey publish-ysqgk 年份 命令（或依申请公开页面的“写入统计”）生成，"
                     "只有件数，年度报告引用；不要手工修改。",
    "message_stats": "由问卷服务的 flask --app survey publish-liuyan 年-月 命令生成：各社区收到、答复、按期答复的件数，"
                     "居民同意公开且已答复的留言（已隐去号码），仍未答复留言的日期；在“互动交流—居民留言”显示，"
                     "年度报告引用。不要手工修改。",
    "calendar": "法定节假日和调休由程序自带的日历提供，只写本地的临时闭馆或调整；"
                "程序没有的年份写 complete: true 并列全。",
}


@dataclass(frozen=True)
class FieldRow:
    key: str            # dotted: notice_period.start, materials[].name
    label: str
    required: str       # 必填 / 选填
    form: str           # the format, in Chinese
    choices: str
    help: str
    depth: int


@dataclass(frozen=True)
class Example:
    path: str           # as it would be below content/
    text: str


@dataclass(frozen=True)
class Section:
    anchor: str         # the content type's name
    label: str
    where: str
    command: str
    url: str
    note: str
    body: str           # what the Markdown body holds ("" when the type has none)
    rows: tuple[FieldRow, ...]
    examples: tuple[Example, ...]

    @property
    def page(self) -> str:
        """The section's own page."""
        return f"{URL}{self.anchor.replace('_', '-')}/"


def _form(f: schema.Field) -> str:
    if f.kind in (schema.DATE, schema.DATETIME):
        pattern = "YYYY-MM-DD" if f.kind == schema.DATE else "YYYY-MM-DD HH:MM"
        return KIND_NAMES[f.kind] + ("" if "YYYY" in f.help else " " + pattern)
    if f.kind == schema.REF:
        target = "任何内容（栏目/文件名）" if f.target == "*" else schema.BY_NAME[f.target].label
        return f"编号（{target}）" + ("，或 " + "、".join(f.allow) if f.allow else "")
    text = KIND_NAMES.get(f.kind, "文字")
    if f.kind == schema.INT and (f.min is not None or f.max is not None):
        text += f"（{'' if f.min is None else f.min}–{'' if f.max is None else f.max}）"
    return text


def field_rows(fields: tuple[schema.Field, ...], prefix: str = "", depth: int = 0) -> list[FieldRow]:
    """Every field and member, nested ones with a dotted key."""
    rows = []
    for f in fields:
        key = prefix + f.key
        default = "" if f.default in (None, False, "") else f"默认 {f.default}"
        rows.append(FieldRow(key, f.label, "必填" if f.required else "选填", _form(f), "、".join(f.choices),
                             "；".join(x for x in (f.help, default) if x), depth))
        if f.kind == schema.STRUCT:
            rows += field_rows(f.fields, key + ".", depth + 1)
        elif f.kind == schema.LIST and f.of is not None and f.of.kind == schema.STRUCT:
            rows += field_rows(f.of.fields, key + "[].", depth + 1)
    return rows


def examples() -> dict[str, str]:
    """The example files, by their path below content/."""
    return dict(_read_examples())


@functools.cache
def _read_examples() -> tuple[tuple[str, str], ...]:
    """Read once per process: they ship with the code, like the templates."""
    return tuple((p.relative_to(EXAMPLES).as_posix(), p.read_text(encoding="utf-8"))
                 for p in sorted(EXAMPLES.rglob("*")) if p.is_file())


def _examples_of(ctype: schema.ContentType, found: dict[str, str]) -> tuple[Example, ...]:
    out = []
    for rel, text in found.items():
        if schema.type_for(rel) is ctype:
            out.append(Example(rel, text))
            ledger = rel.rsplit(".", 1)[0] + ".csv"
            if ctype is schema.DISCLOSURE and ledger in found:
                out.append(Example(ledger, found[ledger]))
    return tuple(out)


def sections() -> list[Section]:
    found = examples()
    out = []
    for ctype, where, command in SECTIONS:
        pattern = PATTERNS.get(ctype.name, "")
        url = pattern.replace("{year}", "<年份>").replace("{id}", "<文件名>")
        body = ctype.body_label if ctype.body and ctype.fmt == "md" else ""
        out.append(Section(ctype.name, ctype.label, where,
                           f'python build.py new {command} "标题"' if command else "", url, NOTES.get(ctype.name, ""),
                           body, tuple(field_rows(ctype.fields)), _examples_of(ctype, found)))
    return out


def pages(site: Site) -> list[Page]:
    """The guide's first page and one page per content type."""
    crumbs = breadcrumbs(site, "xxgk", extra=(Crumb("网站内容检查报告", "/xxgk/jcbg/"), Crumb("编辑指南", URL)))
    found = sections()
    out = [Page(URL, "staff_guide.html", "编辑指南", "xxgk", {
        "sections": found,
        "communities": [(c.id, c.name) for c in site.communities.values()],
        "catalogue": [(c.id, c.name, c.domain) for c in site.catalogue if c.audience != "党内"],
        "minimums": minimums(site.config),
    }, crumbs, in_sitemap=False)]
    question_types = [{"type": t, "name": TYPE_NAMES.get(t, t)} for t in schema.QUESTION_TYPES]
    for k, s in enumerate(found):
        out.append(Page(s.page, "staff_guide_type.html", f"编辑指南：{s.label}", "xxgk", {
            "s": s, "question_types": question_types,
            "before": found[k - 1] if k else None, "after": found[k + 1] if k + 1 < len(found) else None,
        }, crumbs + (Crumb(s.label, s.page),), in_sitemap=False))
    return out
