"""The one correction a check can name ("是否想写 …？"): dates written the Chinese way, numbers
with their unit, near-miss choices, keys typed in Chinese, pinyin or misspelt, and references
by title, 文号 or name instead of id.

Each function returns a `Guess` (the corrected text, and whether it is safe for `build.py fix`
to write it) or None when there is no single answer: a guess that could be one of two things
is never made. Pure functions of the value and what the content declares.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from . import problems as P
from . import schema
from .items import Item, Ref
from .problems import Problem


@dataclass(frozen=True)
class Guess:
    new: str
    safe: bool = True      # unambiguous and meaning-preserving: `build.py fix` writes it


# --- dates and times ---------------------------------------------------------------------------

WIDE = str.maketrans("０１２３４５６７８９：／．－　", "0123456789:/.- ")
ASCII_DATE_RE = re.compile(r"^(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
CHINESE_DATE_RE = re.compile(r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
TIME_RE = re.compile(r"^(上午|下午|晚上)?\s*(\d{1,2})\s*(?::(\d{2})|[时点](?:\s*(\d{1,2})\s*分?|\s*半|\s*整)?)$")
YEAR_FOLDER_RE = re.compile(r"(?:^|/)((?:19|20)\d\d)/[^/]+$")


def year_of(path: str) -> int | None:
    """The year a file's folder names (content/tzgg/2026/…), for dates written without one."""
    m = YEAR_FOLDER_RE.search(path)
    return int(m[1]) if m else None


def date(value: str, year: int | None = None) -> Guess | None:
    """`2026年3月5日`, `2026/3/5`, `2026.3.5`, `2026-3-5`, and `3月5日` when the folder gives the
    year → 2026-03-05."""
    found = _date(value.translate(WIDE).strip())
    if found is None:
        return None
    y, m, d = found
    y = y or year
    if y is None:
        return None
    try:
        return Guess(dt.date(y, m, d).isoformat())
    except ValueError:
        return None


def _date(s: str) -> tuple[int | None, int, int] | None:
    m = ASCII_DATE_RE.match(s)
    if m:
        return int(m[1]), int(m[3]), int(m[4])
    m = CHINESE_DATE_RE.match(s)
    if m:
        return (int(m[1]) if m[1] else None), int(m[2]), int(m[3])
    return None


def datetime(value: str, year: int | None = None) -> Guess | None:
    """A date in any of `date`'s forms followed by a time (`9:00`, `9点`, `下午3点半`,
    `9时30分`) → 2026-03-05 09:00. A date alone has no single time: it is shown with an
    example time to replace, never written by `build.py fix`."""
    s = value.translate(WIDE).strip()
    for cut in _cuts(s):
        day, clock = date(s[:cut], year), _time(s[cut:].strip(" T"))
        if day is not None and clock is not None:
            return Guess(f"{day.new} {clock}")
    day = date(s, year)
    if day is not None:
        return Guess(f"{day.new} 09:00（时间请按实际填写）", safe=False)
    return None


def _cuts(s: str) -> Iterable[int]:
    """Where the date may end: before a space, after 日/号, or before 上午/下午/T."""
    for i in range(len(s) - 1, 0, -1):
        if s[i] in " T" or s[i - 1] in "日号" or s.startswith(("上午", "下午", "晚上"), i):
            yield i


def _time(s: str) -> str | None:
    m = TIME_RE.match(s)
    if not m:
        return None
    hour = int(m[2])
    minute = int(m[3] or m[4] or (30 if s.endswith("半") else 0))
    if m[1] in ("下午", "晚上") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


# --- numbers -------------------------------------------------------------------------------------

# `17人`, `10个工作日`, `3号窗口`: a whole number and its unit. 万/千/百 change the number; 约/左右
# make it approximate: neither is a single answer.
NUMBER_UNIT_RE = re.compile(r"^(\d+)\s*(?!万|千|百|亿|十|多|余)[\u4e00-\u9fff]{1,5}$")
MONEY_RE = re.compile(r"^[¥￥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*元?$")
DECIMAL_UNIT_RE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(?:%|[a-zA-Z²]{1,4}|(?!万|千|百|亿)[\u4e00-\u9fff]{1,5})$")


def number(value: str, low: int | None = None, high: int | None = None) -> Guess | None:
    """`17人` → 17, within the field's bounds."""
    m = NUMBER_UNIT_RE.match(value.translate(WIDE).strip())
    if not m:
        return None
    n = int(m[1])
    if (low is not None and n < low) or (high is not None and n > high):
        return None
    return Guess(str(n))


def money(value: str) -> Guess | None:
    """`5000元`, `¥5,000.00` → 5000 / 5000.00."""
    s = value.translate(WIDE).strip()
    m = MONEY_RE.match(s)
    if not m or s == m[1] + (m[2] or ""):
        return None
    return Guess(m[1].replace(",", "") + (m[2] or ""))


def decimal(value: str) -> Guess | None:
    """`4.2平方公里` → 4.2."""
    m = DECIMAL_UNIT_RE.match(value.translate(WIDE).strip())
    return Guess(m[1]) if m else None


# --- choices -------------------------------------------------------------------------------------

# What staff write for a choice, by the choice it means (kept only where the field offers it).
CHOICE_WORDS: dict[str, tuple[str, ...]] = {
    "废止": ("作废", "已作废", "已废止", "废除", "已废除"),
    "失效": ("已失效", "无效", "已过期", "过期"),
    "已修改": ("修改", "已修订", "修订", "已修正"),
    "有效": ("现行有效", "生效", "已生效", "有效中"),
    "已办结": ("已办理", "办结", "已完成", "完成", "已处理", "已解决", "办理完毕", "已答复", "办理完成"),
    "办理中": ("处理中", "正在办理", "在办", "受理中", "未办结", "正在处理"),
    "通过": ("同意", "表决通过", "已通过", "赞成"),                 # 议事会 决议 (portal/schema/proposals.py)
    "未通过": ("不同意", "否决", "不通过", "没通过", "被否决"),
    "来电": ("电话", "打电话", "来电话", "电话反映"),
    "来信": ("信件", "写信", "书信"),
    "来访": ("上门", "到访", "当面", "面谈", "现场"),
    "网上留言": ("网上", "网络留言", "留言", "在线留言", "网络"),
    "即办件": ("即办", "当场办结", "即时办结"),
    "承诺件": ("承诺",),
    "原件和复印件": ("原件及复印件", "原件、复印件", "原件+复印件", "原件与复印件", "原件加复印件"),
    "电子材料": ("电子版", "电子件", "电子文件"),
    "全社会": ("全部", "社会公众", "所有人", "公众"),
    "党内": ("党员", "党内公开"),
    "每月": ("每个月", "月度", "按月"),
    "每季度": ("季度", "每季", "按季度", "每个季度"),
    "每半年": ("半年", "每半年度", "按半年"),
    "每年": ("年度", "每年度", "按年", "每一年"),
    "即时": ("实时", "随时", "及时"),
    "国家": ("国家级", "中央"),
    "省": ("省级",),
    "市": ("市级",),
    "区": ("区级", "区县级"),
    "社区": ("社区级",),
    "文字解读": ("文字",),
    "图文解读": ("图文",),
    "视频解读": ("视频",),
    "问答": ("问答解读", "答问"),
}
WORD_CHOICE = {word: choice for choice, words in CHOICE_WORDS.items() for word in words}
QUOTES = " \u3000\"'“”‘’「」『』《》。；;，,"


def choice(value: str, choices: tuple[str, ...]) -> Guess | None:
    """The one choice `value` means: a word staff use for it, the choice in quotes or another
    case, one choice inside the value (or the value inside one); else the one clearly nearest
    spelling (shown, not applied: a near spelling can be another meaning)."""
    s = value.strip(QUOTES)
    if s in choices and s != value:
        return Guess(s)
    word = WORD_CHOICE.get(s)
    if word in choices:
        return Guess(word)
    folded = [c for c in choices if c.lower() == s.lower()]
    if len(folded) == 1:
        return Guess(folded[0])
    inside = [c for c in choices if len(c) >= 2 and len(s) >= 2 and (c in s or s in c)]
    if len(inside) == 1:
        return Guess(inside[0])
    near = _nearest(s, choices)
    return Guess(near, safe=False) if near else None


def _nearest(s: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The option clearly nearest to `s` in spelling: above `cutoff`, and strictly nearer than
    any other."""
    scored = sorted(((difflib.SequenceMatcher(None, s, o).ratio(), o) for o in options), reverse=True)
    if not scored or scored[0][0] < cutoff or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


# --- keys ----------------------------------------------------------------------------------------

def key(typed: str, fields: Mapping[str, str], present: Iterable[str]) -> Guess | None:
    """The field an unknown key means. `fields`: each known key's Chinese label; `present`: the
    keys the mapping already has (renaming onto one of them is shown, never applied). A label
    (`标题`, `发布日期`), another case (`Title`) or the label's pinyin (`biaoti`) is safe; a
    spelling one edit away (`titel`) too; a farther spelling is only shown."""
    present = set(present)
    found = _by_name(typed, fields)
    if found is not None:
        return Guess(found, safe=found not in present)
    near = _nearest(typed, fields) if typed.isascii() else _nearest_label(typed, fields)
    if near is None:
        return None
    return Guess(near, safe=near not in present and typed.isascii() and _one_edit(typed.lower(), near))


def _by_name(typed: str, fields: Mapping[str, str]) -> str | None:
    """A key written as its label, in another case or in pinyin: the one field it names."""
    if typed.isascii():
        folded = re.sub(r"[\s_-]", "", typed.lower())
        hits = [k for k in fields if k.lower() == typed.lower()] or \
            [k for k, label in fields.items() if folded and folded in _pinyin(label)]
    else:
        hits = [k for k, label in fields.items() if typed in _label_forms(label)]
    return hits[0] if len(set(hits)) == 1 else None


def _nearest_label(typed: str, fields: Mapping[str, str]) -> str | None:
    by_label = {label: k for k, label in fields.items()}
    near = _nearest(typed, by_label)
    return by_label[near] if near else None


def _label_forms(label: str) -> set[str]:
    """How staff write a label: as is, without its note in brackets, 日期 for 时间 and back."""
    bare = re.sub(r"[（(].*?[)）]", "", label)
    forms = {label, bare}
    forms |= {f.replace("时间", "日期") for f in forms} | {f.replace("日期", "时间") for f in forms}
    return forms


@functools.lru_cache(maxsize=1024)
def _pinyin(label: str) -> tuple[str, ...]:
    """A label's pinyin, whole and without its note in brackets: 发布时间 → fabushijian."""
    from pypinyin import lazy_pinyin  # 0.2 s to import: only when a key is unknown
    return tuple("".join(lazy_pinyin(form)) for form in {label, re.sub(r"[（(].*?[)）]", "", label)})


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# --- references ----------------------------------------------------------------------------------

BRACKETS = str.maketrans("〔［[【（(〕］]】）)", "〔〔〔〔((〕〕〕〕))")
DISTRICT_WORDS = ("全区", "全区通用", "区级", "全部社区", "所有社区")
FOLDERS = {t.name: t.folder for t in schema.ALL_TYPES}


def reference(ref: Ref, items: Mapping[str, Item], folders: Mapping[str, str]) -> Guess | None:
    """The id a reference means when it names its target by title (`《…》`), 文号 or name
    (`黄河社区`), or by an id with its folder or missing it. `items`: every item by key
    (folder/stem); `folders`: each content type's folder, by type name."""
    value = ref.value.strip()
    if "district" in ref.allow and value in DISTRICT_WORDS:
        return Guess("district")
    folder = folders.get(ref.target, "")
    pool = [i for i in items.values() if ref.target == "*" or i.type == ref.target]
    if folder and value.startswith(folder + "/") and f"{folder}/{value[len(folder) + 1:]}" in items:
        return Guess(value[len(folder) + 1:])
    if ref.target == "*":
        stems = [i for i in pool if i.id == value]
        if len(stems) == 1:
            return Guess(stems[0].key)
    wanted = _plain(value)
    hits = {i.key if ref.target == "*" else i.id for i in pool if wanted and wanted in _names(i)}
    return Guess(hits.pop()) if len(hits) == 1 else None


def _names(item: Item) -> set[str]:
    """What staff call an item: its title (and name), a policy's 文号, a community's name with
    or without 社区."""
    out = {_plain(str(item.fields.get(k) or "")) for k in ("title", "name", "doc_number")}
    name = str(item.fields.get("name") or "")
    if item.type == "community" and name.endswith("社区"):
        out.add(_plain(name[:-2]))
    return out - {""}


def _plain(s: str) -> str:
    return re.sub(r"[\s《》〈〉“”\"']", "", s.translate(BRACKETS))


def with_reference(problem: Problem, refs: Iterable[Ref], items: Mapping[str, Item]) -> Problem:
    """A "找不到编号" problem with the id its reference means, when one is sure."""
    ref = next((r for r in refs if r.key == problem.key and r.line == problem.line), None)
    guess = reference(ref, items, FOLDERS) if ref is not None else None
    if ref is None or guess is None:
        return problem
    return replace(problem, message=P.guessed(problem.message, guess.new),
                   fix=P.Fix(problem.path, problem.line, problem.key, ref.value, guess.new, guess.safe))
