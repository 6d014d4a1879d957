"""`python build.py new TYPE "标题"`: a new content file with every field explained.

TYPE is an English type name or a Chinese one: a type's label (通知公告, 办事指南…), a short
name (通知, 政策, 解读, 问卷…), or a name that also fills in a kind (公示 is a notice of kind
公示, 述职评议会 an evaluation of that meeting type, 财务公开 a record of a 财务 catalogue item).
The file is named from the title in pinyin (portal.slugs). The scaffold is derived from
portal.schema, so it always lists the fields the validator accepts; every commented field line
is valid YAML once its `# ` is deleted (together with the line of the field it belongs to).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import clock, schema, slugs, survey_scaffold
from .disclosure import parse_period
from .load import parse_yaml
from .published_text import BODY_PLACEHOLDER, placeholder
from .surveys import ID_RE, RESERVED_IDS
from .urls import PATTERNS
from .validate import SLUG_RE
from .write import write_atomic

ALIASES = {"tzgg": "notice", "gzdt": "news", "zcwj": "policy", "zcjd": "interpretation",
           "bszn": "guide", "sqdf": "appeal", "pyjg": "evaluation", "pages": "page", "surveys": "survey",
           "yishi": "proposal", "zqyj": "consultation"}
CREATABLE = ("notice", "news", "policy", "interpretation", "guide", "appeal", "evaluation",
             "page", "community", "disclosure", "survey", "proposal", "consultation")
# Chinese names besides each type's own label (schema), as staff say them.
SHORT_NAMES = {"动态": "news", "新闻": "news", "政策": "policy", "文件": "policy", "解读": "interpretation",
               "指南": "guide", "服务指南": "guide", "诉求": "appeal", "答复": "appeal", "评议": "evaluation",
               "三会一评": "evaluation", "会议": "evaluation", "公开": "disclosure", "问卷": "survey",
               "调查": "survey", "满意度调查": "survey", "提案": "proposal", "议事会提议": "proposal",
               "居民提议": "proposal", "意见征集": "consultation", "重大决策预公开": "consultation",
               "征求意见稿": "consultation"}
# Files that exist once per site (or are written by a program): edited, never created.
NOT_CREATED = {schema.SITE.name: "请直接编辑 content/site.yaml", schema.COLUMNS.name: "请直接编辑 content/columns.yaml",
               schema.CATALOGUE.name: "请直接编辑 content/disclosure/catalogue.yaml",
               schema.CALENDAR.name: "请复制 content/calendar/ 中已有的年份文件改写",
               schema.REDIRECTS.name: "请直接编辑 content/redirects.yaml",
               schema.SYNONYMS.name: "请直接编辑 content/synonyms.yaml",
               schema.RESULT.name: "调查结果由 flask --app survey publish 问卷编号 生成，不要手工新建",
               schema.REQUEST_STATS.name: "依申请公开统计由 flask --app survey publish-ysqgk 年份 生成，不要手工新建",
               schema.ANNUAL_REPORT.name: "请复制 content/ndbg/ 中已有的年度报告改写，"
                                          "文件名为年份，如 content/ndbg/2026.yaml"}
# Fields a kind makes required although the schema cannot say so (checks.items.notices).
RAISED = {("notice", "公示"): ("notice_period", "objection")}
# Types whose ids share web addresses (/hdjl/pyjg/<id>/: evaluations and survey results).
SHARED_FOLDERS = {"evaluation": ("results",), "survey": ("results", "pyjg")}
MAX_LISTED = 12


class ScaffoldError(Exception):
    pass


@dataclass(frozen=True)
class TypeName:
    """What a TYPE argument names: a content type, the values it fills in, and for a
    disclosure record the domain its catalogue item must have."""
    type: str
    values: Mapping[str, str] = field(default_factory=dict)
    domain: str = ""


def type_names() -> dict[str, TypeName]:
    names = {n: TypeName(n) for n in CREATABLE} | {a: TypeName(t) for a, t in ALIASES.items()}
    names |= {schema.BY_NAME[n].label: TypeName(n) for n in CREATABLE}
    names |= {short: TypeName(n) for short, n in SHORT_NAMES.items()}
    names |= {k: TypeName("notice", {"kind": k}) for k in schema.NOTICE_KINDS}
    names |= {m: TypeName("evaluation", {"meeting": m}) for m in schema.MEETING_TYPES}
    names["述职评议"] = TypeName("evaluation", {"meeting": "述职评议会"})
    names |= {f"{d}公开": TypeName("disclosure", domain=d) for d in schema.DISCLOSURE_DOMAINS}
    names |= {f"{k}问卷": TypeName("survey", {"kind": k}) for k in schema.SURVEY_KINDS}
    names["好差评"] = TypeName("survey", {"kind": "好差评"})
    return names


def resolve(type_name: str) -> TypeName:
    found = type_names().get(type_name.strip()) or type_names().get(type_name.strip().lower())
    if found is not None:
        return found
    for n, how in NOT_CREATED.items():
        if type_name in (n, schema.BY_NAME[n].label):
            raise ScaffoldError(f"{schema.BY_NAME[n].label}不用 new 新建：{how}")
    chinese = [n for n in type_names() if not n.isascii()]
    raise ScaffoldError(f"不认识的类型“{type_name}”，可选：{'、'.join(CREATABLE)}，或中文：{'、'.join(chinese)}")


# --- the text --------------------------------------------------------------------------------

def _describe(f: schema.Field) -> str:
    parts = [f.label, "必填" if f.required else "选填"]
    if f.kind == schema.ENUM:
        parts.append("可选：" + "、".join(f.choices))
    elif f.kind in (schema.DATE, schema.DATETIME) and "YYYY" not in f.help:
        parts.append("YYYY-MM-DD" if f.kind == schema.DATE else "YYYY-MM-DD HH:MM")
    if f.help:
        parts.append(f.help)
    return "；".join(parts)


_PLAIN_UNSAFE = re.compile(r": | #|[\"'{}\[\]]")


def _placeholder(describe: str) -> str:
    """The placeholder value of an optional field: quoted when YAML would read it otherwise."""
    text = placeholder(describe)
    return json.dumps(text, ensure_ascii=False) if _PLAIN_UNSAFE.search(text) else text


def _lines(f: schema.Field, indent: str, examples: Mapping[str, str]) -> list[str]:
    """A field as YAML lines before commenting: a value (an example or its placeholder), or for
    a list or a group of fields, its key with the members of a first entry below."""
    if f.key in examples:
        return [f"{indent}{f.key}: {examples[f.key]}  # {_describe(f)}"]
    if f.kind in (schema.STRUCT, schema.LIST):
        return [f"{indent}{f.key}:  # {_describe(f)}"] + _members(f, indent)
    return [f"{indent}{f.key}: {_placeholder(_describe(f))}"]


def _members(f: schema.Field, indent: str) -> list[str]:
    if f.kind == schema.STRUCT:
        return [line for m in f.fields for line in _lines(m, indent + "  ", {})]
    of = f.of
    if of is None:
        return []
    if of.kind == schema.STRUCT:
        lines = [line for m in of.fields for line in _lines(m, indent + "    ", {})]
        return [f"{indent}  - {lines[0].lstrip()}"] + lines[1:]
    dash = "- - " if of.kind == schema.LIST else "- "
    return [f"{indent}  {dash}{_placeholder(of.label + '；选填')}"]


def _commented(lines: list[str], column: int) -> list[str]:
    """Lines with `# ` inserted at `column`: deleting it gives the lines back."""
    return [line[:column] + "# " + line[column:] for line in lines]


def render_scaffold(ctype: schema.ContentType, values: Mapping[str, str], *, raised: tuple[str, ...] = (),
                    examples: Mapping[str, str] | None = None, blocks: Mapping[str, str] | None = None) -> str:
    """The text of a new file: known values filled in, required fields left to fill (the check
    then lists them), optional fields as comments. `raised`: optional fields to fill all the
    same; `blocks`: fields written as the given YAML text."""
    lines = [f"# {ctype.label}：“# 字段:”开头的行是选填字段，要填写时删去行首的“# ”。"]
    draft = ctype.field("draft")
    if draft is not None:               # first, so it is the last line staff delete
        lines.append(f"draft: true  # {_describe(draft)}")
    for f in ctype.fields:
        if f.key == "draft":
            continue
        if blocks and f.key in blocks:
            lines += blocks[f.key].rstrip("\n").split("\n")
        elif f.key in values:
            lines.append(f"{f.key}: {values[f.key]}  # {_describe(f)}")
        elif f.required or f.key in raised:
            lines.append(f"{f.key}:  # {_describe(f)}")
            lines += _commented(_members(f, ""), 2)
        else:
            lines += _commented(_lines(f, "", examples or {}), 0)
    front = "\n".join(lines) + "\n"
    if ctype.fmt == "yaml":
        return front
    return f"---\n{front}---\n\n{BODY_PLACEHOLDER.format(label=ctype.body_label)}\n"


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _values(name: TypeName, ctype: schema.ContentType, title: str, stem: str, today: dt.date,
            community: str | None) -> dict[str, str]:
    """The fields a new file starts with filled in."""
    values: dict[str, str] = {("name" if name.type == "community" else "title"): _quote(title)}
    now = clock.now()
    if name.type == "survey":
        values |= {"id": stem, "opens": f"{today:%Y-%m-%d}"}
    if ctype.field("published"):
        values["published"] = now.strftime("%Y-%m-%d %H:%M") if now.date() == today \
            else f"{today:%Y-%m-%d} 09:00"
    if name.type == "page":
        values["updated"] = f"{today:%Y-%m-%d} 09:00"
    values.update(ctype.scaffold)
    values.update(name.values)
    if ctype.field("community") and name.type != "disclosure":
        values["community"] = community or ("" if name.type == "proposal" else "district")
    return values


# --- where the file goes -------------------------------------------------------------------

def _catalogue(content: Path) -> dict[str, tuple[str, str]] | None:
    """The catalogue's items by id, (name, domain); None when it cannot be read."""
    path = content / "disclosure" / "catalogue.yaml"
    try:
        data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError):
        return None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    return {str(i["id"]): (str(i.get("name") or ""), str(i.get("domain") or ""))
            for i in items if isinstance(i, dict) and i.get("id")}


def _listed(catalogue: Mapping[str, tuple[str, str]], domain: str) -> str:
    shown = [f"{k}（{name}）" for k, (name, d) in catalogue.items() if not domain or d == domain]
    return "、".join(shown[:MAX_LISTED]) + ("…" if len(shown) > MAX_LISTED else "")


def _disclosure_path(content: Path, name: TypeName, community: str | None, item: str | None,
                     period: str | None) -> Path:
    catalogue = _catalogue(content)
    if not (community and item and period):
        choices = f"；{name.domain or ''}公开事项有：{_listed(catalogue, name.domain)}" if catalogue else ""
        raise ScaffoldError("公开记录需要 --community、--item 和 --period，"
                            f"如 --community huanghe --item cw-szmx --period 2026-03{choices}")
    if catalogue is not None and item not in catalogue:
        raise ScaffoldError(f"公开事项“{item}”不在公开目录 content/disclosure/catalogue.yaml 中，"
                            f"可选：{_listed(catalogue, name.domain)}")
    if catalogue is not None and name.domain and catalogue[item][1] != name.domain:
        raise ScaffoldError(f"公开事项“{item}”属于{catalogue[item][1]}公开，不是{name.domain}公开")
    communities = content / schema.COMMUNITY.folder
    if communities.is_dir() and not any((communities / f"{community}{s}").is_file() for s in (".yaml", ".yml")):
        known = sorted(p.stem for p in communities.glob("*.y*ml"))
        raise ScaffoldError(f"社区编号“{community}”不存在，可选：{'、'.join(known)}")
    if parse_period(period) is None:
        raise ScaffoldError(f"期间“{period}”格式不对，应如 2026-03、2026Q1、2026H1、2026 或 2026-05-12")
    return Path("disclosure") / community / item / f"{period}.md"


def _taken(content: Path, name: str) -> Callable[[str], bool]:
    """Whether a file stem is in use: by a file of the type (in any year's folder), a type
    sharing its web addresses, or a published address (content/published-urls.txt)."""
    stems: set[str] = set()
    for folder in (schema.BY_NAME[name].folder, *SHARED_FOLDERS.get(name, ())):
        if (content / folder).is_dir():
            stems |= {p.stem for p in (content / folder).rglob("*") if p.suffix in (".md", ".yaml", ".yml")}
    prefix = PATTERNS.get("result" if name == "survey" else name, "/").split("{", 1)[0]
    try:
        published = (content / "published-urls.txt").read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        published = []
    stems |= {u.rstrip("/").rsplit("/", 1)[-1] for u in published if u.startswith(prefix) and u != prefix}
    if name == "survey":
        return lambda stem: stem in stems or stem in RESERVED_IDS or not ID_RE.match(stem)
    return lambda stem: stem in stems


def _item_path(content: Path, name: str, ctype: schema.ContentType, title: str, today: dt.date,
               item_id: str | None) -> Path:
    """Where a new item goes: in its folder (notices and news: this year's), named by --id or
    from the title in pinyin, numbered when the name is taken."""
    folder = Path(ctype.folder)
    if name in ("notice", "news", "proposal"):
        folder = folder / str(today.year)
    suffix = ".yaml" if ctype.fmt == "yaml" else ".md"
    taken = _taken(content, name)
    if item_id is not None:
        if not SLUG_RE.match(item_id):
            raise ScaffoldError(f"文件名“{item_id}”只能包含小写字母、数字和连字符")
        if name == "survey" and (item_id in RESERVED_IDS or not ID_RE.match(item_id)):
            raise ScaffoldError(f"问卷编号“{item_id}”不可用：最长 64 个字符，且不能是 "
                                + "、".join(sorted(RESERVED_IDS)) + "（问卷服务的保留地址）")
        if taken(item_id) and not (content / folder / f"{item_id}{suffix}").exists():
            raise ScaffoldError(f"文件名“{item_id}”已被使用（同一栏目中的文件名不能重复），请换一个 --id")
        return folder / f"{item_id}{suffix}"
    stem = (slugs.community_stem if name == "community" else slugs.stem_for)(title)
    stem = slugs.unique(stem or f"{today:%Y%m%d}", taken)
    return folder / f"{stem}{suffix}"


def create(content: Path, type_name: str, title: str, today: dt.date, *, item_id: str | None = None,
           community: str | None = None, item: str | None = None, period: str | None = None) -> Path:
    name = resolve(type_name)
    ctype = schema.BY_NAME[name.type]
    if not title.strip():
        raise ScaffoldError("标题不能为空")
    if name.type == "disclosure":
        rel = _disclosure_path(content, name, community, item, period)
    else:
        rel = _item_path(content, name.type, ctype, title, today, item_id)
    target = content / rel
    if target.exists():
        raise ScaffoldError(f"{target} 已存在，未覆盖")
    if not re.fullmatch(r"[\w./-]+", rel.as_posix()):
        raise ScaffoldError(f"路径“{rel}”含有不允许的字符")
    values = _values(name, ctype, title, rel.stem, today, community)
    survey = name.type == "survey"
    text = render_scaffold(ctype, values, raised=RAISED.get((name.type, values.get("kind", "")), ()),
                           examples=survey_scaffold.EXAMPLES if survey else None,
                           blocks={"pages": survey_scaffold.PAGES} if survey else None)
    write_atomic(target, text.encode("utf-8"))
    return target
