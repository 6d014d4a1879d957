"""Cross-references and consistency inside the content: every reference resolves, files named
by items exist, guides' windows exist in their centres, page paths are free. Problems point at
the referring key's line."""
from __future__ import annotations

from . import schema
from .disclosure import parse_ledger
from .problems import Problems
from .validate import Item


def check_refs(site, all_items: dict[str, Item], cat_path: str, cat_refs,
                problems: Problems, unreadable: set[str]) -> None:
    """Every reference resolves. A target whose file exists but could not be parsed is not
    reported again: its own error says what to fix."""
    labels = {t.name: t.label for t in schema.ALL_TYPES}

    def resolve(ref, path: str) -> None:
        if ref.value in ("district",) and ref.target == "community":
            return
        if ref.target == "community":
            ok = ref.value in site.communities
        elif ref.target == "*":
            ok = ref.value in all_items or ref.value.removeprefix("communities/") in site.communities
        else:
            folder = schema.BY_NAME[ref.target].folder
            ok = f"{folder}/{ref.value}" in all_items
        key = ref.value if ref.target == "*" else f"{schema.BY_NAME[ref.target].folder}/{ref.value}"
        if not ok and key in unreadable:
            return
        if not ok:
            what = labels.get(ref.target, "内容")
            hint = "（写成 目录/文件名，如 zcwj/xh-sqfw-2024-1）" if ref.target == "*" else ""
            problems.error(path, ref.line, ref.key, ref.label, f"找不到编号为“{ref.value}”的{what}{hint}")

    for item in list(all_items.values()):
        for ref in item.refs:
            resolve(ref, item.file)
    for ref in cat_refs:
        resolve(ref, cat_path)
    for item in site.items.values():
        if item.type == "policy" and item.superseded_by == item.id:
            problems.error(item.file, item.line_of("superseded_by"), "superseded_by", "替代文件",
                           "不能由自己替代")


def check_files(site, problems: Problems) -> None:
    for item in sorted(site.items.values(), key=lambda i: i.rel):
        for i, a in enumerate(getattr(item, "attachments", ()) or (), 1):
            if a.file not in site.files:
                problems.error(item.file, item.line_of(f"attachments[{i}].file"),
                               f"attachments[{i}].file", "文件", f"找不到附件 content/{a.file}")
        if item.type == "disclosure" and item.fields.get("data"):
            rel = item.fields["data"]
            info = site.files.get(rel)
            if info is None or info.text is None:
                problems.error(item.file, item.line_of("data"), "data", "财务明细",
                               f"找不到 CSV 文件 content/{rel}" if info is None else "应为 CSV 文件")
                continue
            ledger = parse_ledger(info.text, info.path, problems, item.period)
            if ledger is not None:
                site.ledgers[item.key] = ledger


def check_windows(site, problems: Problems) -> None:
    """A guide's windows must exist in its community's service centre (every centre for
    district-wide guides)."""
    numbers = {cid: {w.number for w in c.centre.windows} if c.centre else set()
               for cid, c in site.communities.items()}
    for cid, c in site.communities.items():
        if c.key in site.invalid:
            continue
        seen: set[int] = set()
        for i, w in enumerate(c.centre.windows if c.centre else (), 1):
            if w.number in seen:
                problems.error(c.file, c.line_of(f"centre.windows[{i}].number"),
                               f"centre.windows[{i}].number", "窗口号", f"窗口号 {w.number} 重复")
            seen.add(w.number)
    valid = {cid for cid, c in site.communities.items() if c.key not in site.invalid}
    for guide in (i for i in site.items.values() if i.type == "guide" and i.key not in site.invalid):
        where = [guide.community] if guide.community in numbers else list(numbers)
        where = [c for c in where if c in valid]   # a broken community file reports itself
        for i, n in enumerate(guide.windows, 1):
            missing = [site.communities[c].name for c in where if n not in numbers[c]]
            if missing:
                problems.error(guide.file, guide.line_of(f"windows[{i}]"), f"windows[{i}]", "窗口号",
                               f"{'、'.join(missing)}服务中心没有 {n} 号窗口")


def check_pages(site, problems: Problems) -> None:
    from .pages import RESERVED_EXACT, RESERVED_PREFIXES
    seen: dict[str, Item] = {}
    for page in sorted((i for i in site.items.values() if i.type == "page"), key=lambda i: i.rel):
        url = page.path
        if not url:
            continue
        if url in seen:
            problems.error(page.file, page.line_of("path"), "path", "页面地址",
                           f"页面地址 {url} 与 {seen[url].file} 重复")
        seen[url] = page
        if url == "/" or url in RESERVED_EXACT or any(url.startswith(p) for p in RESERVED_PREFIXES):
            problems.error(page.file, page.line_of("path"), "path", "页面地址",
                           f"{url} 是系统栏目使用的地址，请换一个")
